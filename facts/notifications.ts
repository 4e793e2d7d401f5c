/** The notification triggers and services of `argocd-notifications-cm` (components/gitops/notifications.ts builds them; config/ accepts only these). */

/** The triggers argocd-notifications-cm defines. */
export const NOTIFICATION_TRIGGERS = ["on-deployed", "on-sync-failed", "on-health-degraded"] as const;
export type NotificationTrigger = (typeof NOTIFICATION_TRIGGERS)[number];

/** The services argocd-notifications-cm defines: Slack, and Microsoft Teams through Power Automate workflows (`teams-workflows`). */
export const NOTIFICATION_SERVICES = ["slack", "teams"] as const;
export type NotificationService = (typeof NOTIFICATION_SERVICES)[number];
