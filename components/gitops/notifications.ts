/**
 * Argo CD notifications: the `argocd-notifications-cm` ConfigMap (services, templates, triggers,
 * default subscriptions) and the `argocd-notifications-secret` Secret (tokens).
 * Formats: argoproj/argo-cd docs/operator-manual/notifications/ (services/slack.md,
 * services/webhook.md, templates.md, triggers.md, subscriptions.md).
 *
 * Template subset: every `{{…}}` in a template is a plain field reference such as
 * `{{.app.metadata.name}}` or `{{.context.argocdUrl}}` (no pipelines, conditionals or functions),
 * and only fields that cannot contain a double quote are interpolated into JSON bodies, so the
 * rendered Slack attachments and Teams cards are valid JSON (tests render them with a sample app).
 */
import * as YAML from "yaml";
import { NotificationsConfig, NotificationTrigger } from "../../config/schema/notifications";
import { ARGOCD_NAMESPACE, ConfigMapManifest, Metadata, PART_OF, SecretManifest } from "./common";

/** One notification event: the trigger, its template, and how it looks. */
interface Event {
    readonly trigger: NotificationTrigger;
    readonly template: string;
    readonly description: string;
    /** Argo CD trigger condition (expr language), from the notifications catalog. */
    readonly when: string;
    /** Send once per value of this expression (on-deployed: once per synced revision). */
    readonly oncePer?: string;
    readonly title: string;
    readonly colour: string;
}

/** The three events, one per trigger of config/schema/notifications.ts NOTIFICATION_TRIGGERS. */
export const EVENTS: readonly Event[] = [
    {
        trigger: "on-deployed",
        template: "app-deployed",
        description: "The Application synced and is healthy; sent once per revision.",
        when: "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy'",
        oncePer: "app.status.sync.revision",
        title: "Deployed",
        colour: "18be52",
    },
    {
        trigger: "on-sync-failed",
        template: "app-sync-failed",
        description: "A sync of the Application failed.",
        when: "app.status.operationState != nil and app.status.operationState.phase in ['Error', 'Failed']",
        title: "Sync failed",
        colour: "e96d76",
    },
    {
        trigger: "on-health-degraded",
        template: "app-health-degraded",
        description: "The Application's health is Degraded.",
        when: "app.status.health.status == 'Degraded'",
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

/** Microsoft Teams MessageCard JSON (a string template) for an event. */
export function teamsMessageCard(e: Event): string {
    return JSON.stringify(
        {
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            themeColor: e.colour,
            summary: `${e.title}: {{.app.metadata.name}}`,
            title: `${e.title}: {{.app.metadata.name}}`,
            sections: [{ facts: FACTS.map(([name, value]) => ({ name, value })) }],
            potentialAction: [{ "@type": "OpenUri", name: "Open in Argo CD", targets: [{ os: "default", uri: APP_LINK }] }],
        },
        null,
        2,
    );
}

/** The `template.<name>` value: a message, Slack attachments and the Teams webhook request. */
export function templateOf(e: Event): Record<string, unknown> {
    return {
        message: `${e.title}: {{.app.metadata.name}} ({{.app.status.sync.revision}}). ${APP_LINK}`,
        slack: { attachments: slackAttachments(e) },
        webhook: { teams: { method: "POST", body: teamsMessageCard(e) } },
    };
}

/** The `trigger.<name>` value. */
export function triggerOf(e: Event): Record<string, unknown>[] {
    return [{ description: e.description, ...(e.oncePer ? { oncePer: e.oncePer } : {}), send: [e.template], when: e.when }];
}

/** Default subscriptions, limited to the platform Applications by label. */
export function defaultSubscriptions(n: NotificationsConfig): Record<string, unknown>[] {
    return n.defaultSubscriptions.map((s) => ({
        recipients: [s.service === "slack" ? `slack:${s.recipient}` : s.service],
        triggers: [s.trigger],
        selector: `app.kubernetes.io/part-of=${PART_OF["app.kubernetes.io/part-of"]}`,
    }));
}

const yaml = (v: unknown) => YAML.stringify(v, { lineWidth: 0 });

/** Metadata of `argocd-notifications-cm` (known before the Argo CD URL is). */
export const NOTIFICATIONS_CM_METADATA: Metadata = Object.freeze({
    name: "argocd-notifications-cm",
    namespace: ARGOCD_NAMESPACE,
    labels: { "app.kubernetes.io/name": "argocd-notifications-cm", "app.kubernetes.io/part-of": "argocd" },
});

/** The `argocd-notifications-cm` ConfigMap; `argocdUrl` is Argo CD's external URL. */
export function notificationsConfigMap(n: NotificationsConfig, argocdUrl: string): ConfigMapManifest {
    const data: Record<string, string> = { context: yaml({ argocdUrl }) };
    if (n.slack.enabled) data["service.slack"] = yaml({ token: "$slack-token" });
    if (n.teams.enabled) data["service.webhook.teams"] = yaml({ url: "$teams-webhook-url", headers: [{ name: "Content-Type", value: "application/json" }] });
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

/** The tokens the services reference (`$slack-token`, `$teams-webhook-url`), for the enabled services. */
export interface NotificationTokens<T> {
    readonly slackToken?: T;
    readonly teamsWebhookUrl?: T;
}

/** The `argocd-notifications-secret` Secret. */
export function notificationsSecret<T>(n: NotificationsConfig, tokens: NotificationTokens<T>): SecretManifest<T> {
    const stringData: Record<string, T> = {};
    if (n.slack.enabled && tokens.slackToken !== undefined) stringData["slack-token"] = tokens.slackToken;
    if (n.teams.enabled && tokens.teamsWebhookUrl !== undefined) stringData["teams-webhook-url"] = tokens.teamsWebhookUrl;
    return {
        apiVersion: "v1",
        kind: "Secret",
        type: "Opaque",
        metadata: { name: "argocd-notifications-secret", namespace: ARGOCD_NAMESPACE, labels: { "app.kubernetes.io/name": "argocd-notifications-secret", "app.kubernetes.io/part-of": "argocd" } },
        stringData,
    };
}
