/**
 * Argo CD notifications: the `argocd-notifications-cm` ConfigMap (services, templates, triggers,
 * default subscriptions) and the `argocd-notifications-secret` Secret (tokens).
 * Formats: argoproj/argo-cd v3.4.7 docs/operator-manual/notifications/ (services/slack.md,
 * services/teams-workflows.md, templates.md, triggers.md, subscriptions.md); trigger conditions
 * from the same tag's notifications_catalog/triggers/. Teams goes through Power Automate
 * workflows (`service.teams-workflows`, Adaptive Cards): the Office 365 connectors behind the
 * old `teams` service and incoming webhooks were retired on 2026-03-31.
 *
 * Template subset: every `{{…}}` in a template is a plain field reference such as
 * `{{.app.metadata.name}}` or `{{.context.argocdUrl}}` (no pipelines, conditionals or functions),
 * and only fields that cannot contain a double quote are interpolated into JSON bodies, so the
 * rendered Slack attachments and Teams cards are valid JSON (tests render them with a sample app).
 */
import * as YAML from "yaml";
import type { NotificationService, NotificationTrigger } from "@footanalytics/facts";
import type { NotificationsSettings } from "./settings";
import { ARGOCD_NAMESPACE, ConfigMapManifest, Metadata, PART_OF, SecretManifest } from "./common";

/** One notification event: the trigger, its template, and how it looks. */
interface Event {
    readonly trigger: NotificationTrigger;
    readonly template: string;
    readonly description: string;
    /** Argo CD trigger condition (expr language), from the notifications catalog. */
    readonly when: string;
    /** Send once per value of this expression. */
    readonly oncePer: string;
    readonly title: string;
    readonly colour: string;
}

/**
 * The revision an operation synced: the notifications catalog's `oncePer` for all three triggers.
 * Not `app.status.sync.revision`: the four Applications share one repository, so that revision
 * moves on every commit to it and would re-notify every Application (triggers.md, "Avoid Sending
 * Same Notification Too Often").
 */
export const SYNCED_REVISION = "app.status.operationState?.syncResult?.revision";

/**
 * The three events, one per trigger of NOTIFICATION_TRIGGERS (facts/notifications.ts), with
 * the `when` and `oncePer` of argo-cd v3.4.7 notifications_catalog/triggers/<trigger>.yaml.
 */
export const EVENTS: readonly Event[] = [
    {
        trigger: "on-deployed",
        template: "app-deployed",
        description: "The Application synced and is healthy; sent once per synced revision.",
        // The catalog's condition: healthy after this operation, not still healthy from before it.
        when:
            "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy' and " +
            "(!time.Parse(app.status.health.lastTransitionTime).Add(1 * time.Minute).Before(time.Parse(app.status.operationState.finishedAt)) or " +
            "time.Parse(app.status.health.lastTransitionTime).Before(time.Parse(app.status.operationState.startedAt)))",
        oncePer: SYNCED_REVISION,
        title: "Deployed",
        colour: "18be52",
    },
    {
        trigger: "on-sync-failed",
        template: "app-sync-failed",
        description: "A sync of the Application failed; sent once per synced revision.",
        when: "app.status.operationState != nil and app.status.operationState.phase in ['Error', 'Failed']",
        oncePer: SYNCED_REVISION,
        title: "Sync failed",
        colour: "e96d76",
    },
    {
        trigger: "on-health-degraded",
        template: "app-health-degraded",
        description: "The Application's health is Degraded; sent once per synced revision.",
        when: "app.status.health.status == 'Degraded'",
        oncePer: SYNCED_REVISION,
        title: "Health degraded",
        colour: "f4c030",
    },
];

/** Link to the Application in the Argo CD UI (`context.argocdUrl` is the server URL under /argocd). */
const APP_LINK = "{{.context.argocdUrl}}/applications/{{.app.metadata.name}}";

/** Facts shown in both Slack and Teams: only fields whose values never contain a double quote. */
const FACTS: readonly (readonly [string, string])[] = [
    ["Application", "{{.app.metadata.name}}"],
    ["Sync status", "{{.app.status.sync.status}}"],
    ["Health", "{{.app.status.health.status}}"],
    ["Revision", "{{.app.status.sync.revision}}"],
    ["Repository", "{{.app.spec.source.repoURL}}"],
];

/** Slack `attachments` JSON (a string template) for an event. */
export function slackAttachments(e: Event): string {
    return JSON.stringify(
        [
            {
                title: `${e.title}: {{.app.metadata.name}}`,
                title_link: APP_LINK,
                color: `#${e.colour}`,
                fields: FACTS.map(([title, value]) => ({ title, value, short: true })),
            },
        ],
        null,
        2,
    );
}

/**
 * Adaptive Card JSON (a string template) for an event: the `teams-workflows.adaptiveCard` field,
 * which the service wraps in the Workflows message envelope (services/teams-workflows.md, "Option 2").
 */
export function teamsAdaptiveCard(e: Event): string {
    return JSON.stringify(
        {
            type: "AdaptiveCard",
            version: "1.4",
            body: [
                { type: "TextBlock", text: `${e.title}: {{.app.metadata.name}}`, size: "Large", weight: "Bolder", color: `#${e.colour}`, wrap: true },
                { type: "FactSet", facts: FACTS.map(([title, value]) => ({ title, value })) },
            ],
            actions: [{ type: "Action.OpenUrl", title: "Open in Argo CD", url: APP_LINK }],
        },
        null,
        2,
    );
}

/** The `template.<name>` value: a message, Slack attachments and the Teams Workflows Adaptive Card. */
export function templateOf(e: Event): Record<string, unknown> {
    return {
        message: `${e.title}: {{.app.metadata.name}} ({{.app.status.sync.revision}}). ${APP_LINK}`,
        slack: { attachments: slackAttachments(e) },
        "teams-workflows": { adaptiveCard: teamsAdaptiveCard(e) },
    };
}

/** The `trigger.<name>` value. */
export function triggerOf(e: Event): Record<string, unknown>[] {
    return [{ description: e.description, oncePer: e.oncePer, send: [e.template], when: e.when }];
}

/** The Argo CD notifications service of a configured service (`teams` is Teams Workflows). */
export function serviceName(service: NotificationService): string {
    return service === "teams" ? TEAMS_SERVICE : service;
}

/** Argo CD's service name for Microsoft Teams through Power Automate workflows. */
export const TEAMS_SERVICE = "teams-workflows";

/**
 * A channel's URL from the `teamsWorkflowUrls` Pulumi secret (JSON `{"<channel>": "https://…"}`);
 * the error names the secret and the channel, never a value.
 */
export function teamsUrlFrom(json: string, channel: string): string {
    let doc: unknown;
    try {
        doc = JSON.parse(json);
    } catch {
        throw new Error('the teamsWorkflowUrls secret is not JSON; expected an object such as {"<channel>": "https://…"} with one workflow URL per notifications.teams.channels key');
    }
    const url = (doc !== null && typeof doc === "object" && !Array.isArray(doc)) ? (doc as Record<string, unknown>)[channel] : undefined;
    if (typeof url !== "string" || !url.startsWith("https://")) throw new Error(`the teamsWorkflowUrls secret has no https URL for the Teams channel "${channel}"`);
    return url;
}

/** The `argocd-notifications-secret` key of a Teams channel's workflow URL (`$<key>` in `recipientUrls`). */
export function teamsUrlKey(channel: string): string {
    return `teams-workflows-url-${channel}`;
}

/** Default subscriptions, limited to the platform Applications by label. */
export function defaultSubscriptions(n: NotificationsSettings): Record<string, unknown>[] {
    return n.defaultSubscriptions.map((s) => ({
        recipients: [`${serviceName(s.service)}:${s.recipient}`],
        triggers: [s.trigger],
        selector: `app.kubernetes.io/part-of=${PART_OF["app.kubernetes.io/part-of"]}`,
    }));
}

const yaml = (v: unknown) => YAML.stringify(v, { lineWidth: 0 });

/** Metadata of `argocd-notifications-cm`. */
const NOTIFICATIONS_CM_METADATA: Metadata = Object.freeze({
    name: "argocd-notifications-cm",
    namespace: ARGOCD_NAMESPACE,
    labels: { "app.kubernetes.io/name": "argocd-notifications-cm", "app.kubernetes.io/part-of": "argocd" },
});

/** The `argocd-notifications-cm` ConfigMap; `argocdUrl` is Argo CD's external URL. */
export function notificationsConfigMap(n: NotificationsSettings, argocdUrl: string): ConfigMapManifest {
    const data: Record<string, string> = { context: yaml({ argocdUrl }) };
    if (n.slack.enabled) data["service.slack"] = yaml({ token: "$slack-token" });
    if (n.teams.enabled) data[`service.${TEAMS_SERVICE}`] = yaml({ recipientUrls: Object.fromEntries(n.teams.channels.map((c) => [c, `$${teamsUrlKey(c)}`])) });
    for (const e of EVENTS) data[`template.${e.template}`] = yaml(templateOf(e));
    for (const e of EVENTS) data[`trigger.${e.trigger}`] = yaml(triggerOf(e));
    if (n.defaultSubscriptions.length > 0) data.subscriptions = yaml(defaultSubscriptions(n));
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: NOTIFICATIONS_CM_METADATA,
        data,
    };
}

/** The tokens the services reference (`$slack-token`, `$teams-workflows-url-<channel>`), for the enabled services. */
export interface NotificationTokens<T> {
    readonly slackToken?: T;
    /** Workflow URL of each Teams channel, by channel name. */
    readonly teamsWorkflowUrls?: Readonly<Record<string, T>>;
}

/** The `argocd-notifications-secret` Secret. */
export function notificationsSecret<T>(n: NotificationsSettings, tokens: NotificationTokens<T>): SecretManifest<T> {
    const stringData: Record<string, T> = {};
    if (n.slack.enabled && tokens.slackToken !== undefined) stringData["slack-token"] = tokens.slackToken;
    if (n.teams.enabled) {
        for (const c of n.teams.channels) {
            const url = tokens.teamsWorkflowUrls?.[c];
            if (url !== undefined) stringData[teamsUrlKey(c)] = url;
        }
    }
    return {
        apiVersion: "v1",
        kind: "Secret",
        type: "Opaque",
        metadata: { name: "argocd-notifications-secret", namespace: ARGOCD_NAMESPACE, labels: { "app.kubernetes.io/name": "argocd-notifications-secret", "app.kubernetes.io/part-of": "argocd" } },
        stringData,
    };
}
