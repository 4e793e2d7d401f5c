import type * as pulumi from "@pulumi/pulumi";

/**
 * Secret configuration keys. Each is a top-level key set with `pulumi config set --secret <key>`;
 * the program only ever sees them as Pulumi secrets. The description says when each is needed.
 */
export const SECRET_KEYS = {
    githubToken: "GitHub token (read access to the footanalytics organisation's repositories) for the Argo CD repository credential template, unless a Secrets Manager secret or GitHub App is configured.",
    githubAppPrivateKey: "PEM private key of the GitHub App, when repository credentials use a GitHub App.",
    githubWebhookSecret: "Shared secret of the GitHub webhook that tells Argo CD about pushes (`webhook.github.secret`).",
    slackToken: "Slack bot token for Argo CD notifications (`$slack-token`).",
    teamsWorkflowUrls: "Microsoft Teams Workflows webhook URLs for Argo CD notifications: a JSON object from each `notifications.teams.channels` key to its Power Automate workflow URL (`$teams-workflows-url-<channel>`).",
    oidcClientSecret: "Client secret of the OIDC application Argo CD uses for SSO.",
    kubeconfig: "Kubeconfig of an existing cluster, required when `cluster.mode` is `existing`.",
} as const;

export type SecretKey = keyof typeof SECRET_KEYS;

/** The secrets that are set, as Pulumi secrets. */
export type Secrets = { readonly [K in SecretKey]?: pulumi.Output<string> };
