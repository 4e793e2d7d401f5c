import { NOTIFICATION_SERVICES, NOTIFICATION_TRIGGERS } from "@footanalytics/facts";
import { bool, list, obj, ParseContext, problem, section, str, StringFormat, TypeOf } from "../dsl";

/** A Slack channel name, without `#`. */
export const slackChannel: StringFormat = {
    name: "Slack channel",
    check: (v) => (/^[a-z0-9][a-z0-9_-]{0,79}$/.test(v) ? undefined : 'must be a Slack channel name such as "footanalytics-deployments" (lowercase, no "#")'),
};

/** A Teams channel's name in `recipientUrls` (it also names the Secret key of its workflow URL). */
export const teamsChannel: StringFormat = {
    name: "Teams channel key",
    check: (v) => (/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(v) ? undefined : 'must be a short key for a Teams channel such as "platform-alerts" (lowercase letters, digits and "-")'),
};

/** An AWS Secrets Manager secret name. */
export const secretsManagerName: StringFormat = {
    name: "Secrets Manager secret name",
    check: (v) => (/^[\w/+=.@-]{1,512}$/.test(v) ? undefined : 'must be an AWS Secrets Manager secret name such as "footanalytics/production/argocd-notifications"'),
};

/** One subscription: a trigger sends to a service and recipient. */
export const subscription = obj(
    {
        trigger: str({ description: "Trigger name.", oneOf: NOTIFICATION_TRIGGERS }),
        service: str({ description: "Service the trigger sends to.", oneOf: NOTIFICATION_SERVICES }),
        recipient: str({ description: "Slack channel, or the key of a Teams channel in `notifications.teams.channels`." }),
    },
    {
        description: "A notification subscription.",
        rules(s, key, ctx) {
            const expected = (s.service === "slack" ? slackChannel : teamsChannel).check(s.recipient);
            if (expected !== undefined) problem(ctx, `${key}.recipient`, s.recipient, expected);
        },
    },
);

export type SubscriptionConfig = TypeOf<typeof subscription>;

/** The `<trigger>.<service>.<recipient>` identity of a subscription, for duplicate detection. */
export const subscriptionKey = (s: SubscriptionConfig) => `${s.trigger}.${s.service}:${s.recipient}`;

/**
 * Problems of a subscription against the notifications section: its service must be enabled and
 * a Slack recipient must be one of the configured channels. Shared with the Applications' own
 * subscriptions (config/index.ts).
 */
export function subscriptionProblems(
    n: { slack: { enabled: boolean; channels: readonly string[] }; teams: { enabled: boolean; channels: readonly string[] } },
    section: string,
    s: SubscriptionConfig,
    key: string,
    ctx: ParseContext,
): void {
    if (!n[s.service].enabled) {
        problem(ctx, `${key}.service`, s.service, `is not enabled; set ${section}.${s.service}.enabled to true or remove the subscription`);
    } else {
        const channels = n[s.service].channels;
        // (An empty channel list is reported once, by the notifications section.)
        if (channels.length > 0 && !channels.includes(s.recipient)) {
            problem(ctx, `${key}.recipient`, s.recipient, `is not one of ${section}.${s.service}.channels (${channels.join(", ")})`);
        }
    }
}

/**
 * Argo CD notifications: the Slack and Microsoft Teams services and the default subscriptions.
 * Owned by components/gitops (notifications.ts).
 */
export const notificationsSchema = section(
    {
        slack: section(
            {
                enabled: bool({ description: "Send notifications to Slack (needs the `slackToken` secret or `secretsManagerSecretName`).", default: false }),
                channels: list(str({ description: "Channel.", format: slackChannel }), {
                    description: "Channels the default subscriptions post to.",
                    default: [],
                    uniqueBy: (c) => c,
                    uniqueLabel: "channel",
                }),
            },
            { description: "The Slack service." },
        ),
        teams: section(
            {
                enabled: bool({
                    description: "Send notifications to Microsoft Teams through Power Automate workflows (`service.teams-workflows`); needs each channel's workflow URL in the `teamsWorkflowUrls` secret or `secretsManagerSecretName`.",
                    default: false,
                }),
                channels: list(str({ description: "Channel key.", format: teamsChannel }), {
                    description: "Teams channels (keys of `recipientUrls`), one workflow each; subscriptions name them as recipients.",
                    default: [],
                    uniqueBy: (c) => c,
                    uniqueLabel: "channel",
                }),
            },
            { description: "The Microsoft Teams Workflows service (Office 365 connectors were retired on 2026-03-31)." },
        ),
        secretsManagerSecretName: str({
            description: "AWS Secrets Manager secret (JSON with `slack-token` and one `teams-workflows-url-<channel>` per Teams channel) read at deploy time instead of the `slackToken` / `teamsWorkflowUrls` Pulumi secrets.",
            format: secretsManagerName,
            optional: true,
        }),
        defaultSubscriptions: list(subscription, {
            description: "Subscriptions every Application gets (the `subscriptions` key of argocd-notifications-cm).",
            default: [],
            uniqueBy: subscriptionKey,
            uniqueLabel: "subscription",
        }),
    },
    {
        description: "Argo CD notifications (argocd-notifications-cm and argocd-notifications-secret).",
        rules(v, key, ctx) {
            if (v.slack.enabled && v.slack.channels.length === 0) {
                problem(ctx, `${key}.slack.channels`, v.slack.channels, "is empty; expected at least one channel when slack.enabled is true");
            }
            if (v.teams.enabled && v.teams.channels.length === 0) {
                problem(ctx, `${key}.teams.channels`, v.teams.channels, "is empty; expected at least one channel (a Power Automate workflow) when teams.enabled is true");
            }
            v.defaultSubscriptions.forEach((s, i) => subscriptionProblems(v, key, s, `${key}.defaultSubscriptions[${i}]`, ctx));
        },
    },
);

export type NotificationsConfig = TypeOf<typeof notificationsSchema>;
