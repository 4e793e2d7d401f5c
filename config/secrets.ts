import * as pulumi from "@pulumi/pulumi";
import type { SchemaValues } from "./schema";
import type { SecretKey, Secrets } from "./secret-keys";

/** The secret keys and the `Secrets` type live in config/secret-keys.ts (config/schema/ reads them from there). */
export { SECRET_KEYS } from "./secret-keys";
export type { SecretKey, Secrets } from "./secret-keys";

/**
 * Where each secret value comes from, decided once here (config/), so components map a source
 * straight to an Output and never re-check what config/ refuses.
 */
export type SecretSource =
    /** A Pulumi secret of the stack (`pulumi config set --secret <key>`). */
    | { readonly from: "pulumi"; readonly key: SecretKey; readonly value: pulumi.Output<string> }
    /** One field of a Pulumi secret holding a JSON object (`teamsWorkflowUrls`: one URL per Teams channel). */
    | { readonly from: "pulumiJson"; readonly key: SecretKey; readonly field: string; readonly value: pulumi.Output<string> }
    /** One key of a JSON secret in AWS Secrets Manager, read at deploy time through the program's AWS provider. */
    | { readonly from: "secretsManager"; readonly secretName: string; readonly jsonKey: string };

/** Git credentials: a token, or a GitHub App (its ids and private key). `T` is how a secret is held. */
export type Credentials<T> =
    | { readonly kind: "token"; readonly token: T }
    | { readonly kind: "githubApp"; readonly appId: number; readonly installationId: number; readonly privateKey: T };

/** The repository credential template: a token (from a Pulumi secret or Secrets Manager), or a GitHub App. */
export type RepoCredentialSource = Credentials<SecretSource>;

/** Image Updater's Git write credential, always from Secrets Manager. */
export type WriteCredentialSource = Credentials<SecretSource>;

/** Every secret the components use, by purpose; a source is present exactly when the component needs it. */
export interface SecretSources {
    /** Argo CD's repository credential template. */
    readonly repoCredentials: RepoCredentialSource;
    /** Slack bot token, when `notifications.slack.enabled`. */
    readonly slackToken?: SecretSource;
    /** Teams workflow URL per `notifications.teams.channels` key, when Teams is on (else empty). */
    readonly teamsWorkflowUrls: Readonly<Record<string, SecretSource>>;
    /** SSO client secret, when SSO is on and a source is configured (config/ requires one while the admin login is off). */
    readonly oidcClientSecret?: SecretSource;
    /** GitHub webhook secret, when `argocd.webhook` is on and the secret is set. */
    readonly githubWebhookSecret?: SecretSource;
    /** Image Updater's write credential, when `gitops.imageUpdater.enabled`. */
    readonly imageUpdaterWrite?: WriteCredentialSource;
    /** The existing cluster's kubeconfig, when `cluster.mode` is `existing`. */
    readonly kubeconfig?: SecretSource;
}

/** The JSON keys of the Secrets Manager secrets the program reads (documented in each stack file's header). */
export const SECRETS_MANAGER_KEYS = Object.freeze({
    /** `gitops.repoCredentials.secretsManagerSecretName`: the read-only GitHub token. */
    repoToken: "token",
    /** `notifications.secretsManagerSecretName`: the Slack bot token. */
    slackToken: "slack-token",
    /** `notifications.secretsManagerSecretName`: a Teams channel's workflow URL. */
    teamsWorkflowUrl: (channel: string) => `teams-workflows-url-${channel}`,
    /** `argocd.sso.clientSecretSecretsManagerName`: the OIDC client secret. */
    oidcClientSecret: "clientSecret",
    /** `gitops.imageUpdater.writeCredentials.secretsManagerSecretName`, by credential kind. */
    imageUpdater: Object.freeze({ token: "token", githubApp: "privateKey" }),
});

const PROJECT_PREFIX = "footanalytics-gitops:";
const key = (k: string) => `${PROJECT_PREFIX}${k}`;

/**
 * Decide the source of every secret, reporting a Pulumi secret that a chosen source needs but the
 * stack does not set. Section rules have already checked the names and ids each source needs.
 * `check` runs each part so that one reading a field which failed to parse stops alone
 * (config/dsl.ts `skipUnparsed`). Undefined when anything was reported or skipped.
 */
export function secretSources(v: SchemaValues, secrets: Secrets, report: (key: string, message: string) => void, check: (part: () => void) => void): SecretSources | undefined {
    let complete = true;
    const pulumiSecret = (k: SecretKey, missing: string): SecretSource | undefined => {
        const value = secrets[k];
        if (value !== undefined) return { from: "pulumi", key: k, value };
        report(key(k), missing);
        complete = false;
        return undefined;
    };
    const store = (secretName: string, jsonKey: string): SecretSource => ({ from: "secretsManager", secretName, jsonKey });
    const sources: { -readonly [K in keyof SecretSources]?: SecretSources[K] } = { teamsWorkflowUrls: {} };
    const part = (fn: () => void) => {
        let done = false;
        check(() => {
            fn();
            done = true;
        });
        if (!done) complete = false;
    };

    part(() => {
        const creds = v.gitops.repoCredentials;
        switch (creds.source) {
            case "token": {
                const token = pulumiSecret("githubToken", `${key("githubToken")} is missing; expected a GitHub token set with \`pulumi config set --secret githubToken <token>\` because ${key("gitops.repoCredentials.source")} is "token" (or use "secretsManager" or "githubApp")`);
                if (token) sources.repoCredentials = { kind: "token", token };
                break;
            }
            case "secretsManager":
                sources.repoCredentials = { kind: "token", token: store(creds.secretsManagerSecretName, SECRETS_MANAGER_KEYS.repoToken) };
                break;
            case "githubApp": {
                const privateKey = pulumiSecret("githubAppPrivateKey", `${key("githubAppPrivateKey")} is missing; expected the GitHub App's PEM private key set with \`pulumi config set --secret githubAppPrivateKey < key.pem\` because ${key("gitops.repoCredentials.source")} is "githubApp"`);
                if (privateKey) sources.repoCredentials = { kind: "githubApp", appId: creds.githubAppId, installationId: creds.githubAppInstallationId, privateKey };
                break;
            }
            default: {
                const never: never = creds.source;
                return never;
            }
        }
    });
    part(() => {
        const n = v.notifications;
        const storeName = n.secretsManagerSecretName;
        if (n.slack.enabled) {
            sources.slackToken =
                storeName !== undefined
                    ? store(storeName, SECRETS_MANAGER_KEYS.slackToken)
                    : pulumiSecret("slackToken", `${key("slackToken")} is missing; expected the Slack bot token set with \`pulumi config set --secret slackToken <xoxb-token>\` because ${key("notifications.slack.enabled")} is true (or set ${key("notifications.secretsManagerSecretName")})`);
        }
        if (n.teams.enabled) {
            const urls = secrets.teamsWorkflowUrls;
            if (storeName === undefined && urls === undefined) {
                complete = false;
                report(key("teamsWorkflowUrls"), `${key("teamsWorkflowUrls")} is missing; expected the Teams Workflows URLs as JSON {"<channel>": "https://…"} set with \`pulumi config set --secret teamsWorkflowUrls '<json>'\` because ${key("notifications.teams.enabled")} is true (or set ${key("notifications.secretsManagerSecretName")})`);
            }
            sources.teamsWorkflowUrls = Object.fromEntries(
                n.teams.channels.map((c): [string, SecretSource] => [
                    c,
                    (storeName !== undefined || urls === undefined)
                        ? store(storeName, SECRETS_MANAGER_KEYS.teamsWorkflowUrl(c))
                        : { from: "pulumiJson", key: "teamsWorkflowUrls", field: c, value: urls },
                ]),
            );
        }
    });
    part(() => {
        const sso = v.argocd.sso;
        if (sso.mode === "none") return;
        // Both sources, or none while the admin login is off, are refused by argocdCrossSectionRules.
        if (sso.clientSecretSecretsManagerName !== undefined) sources.oidcClientSecret = store(sso.clientSecretSecretsManagerName, SECRETS_MANAGER_KEYS.oidcClientSecret);
        else if (secrets.oidcClientSecret !== undefined) sources.oidcClientSecret = { from: "pulumi", key: "oidcClientSecret", value: secrets.oidcClientSecret };
    });
    part(() => {
        if (v.argocd.webhook && secrets.githubWebhookSecret !== undefined) sources.githubWebhookSecret = { from: "pulumi", key: "githubWebhookSecret", value: secrets.githubWebhookSecret };
    });
    part(() => {
        const u = v.gitops.imageUpdater;
        if (!u.enabled) return;
        const c = u.writeCredentials;
        const credential = store(c.secretsManagerSecretName, SECRETS_MANAGER_KEYS.imageUpdater[c.kind]);
        sources.imageUpdaterWrite =
            c.kind === "token" ? { kind: "token", token: credential } : { kind: "githubApp", appId: c.githubAppId, installationId: c.githubAppInstallationId, privateKey: credential };
    });
    part(() => {
        // A missing kubeconfig in existing mode is reported by config/index.ts next to aws:region.
        if (v.cluster.mode === "existing" && secrets.kubeconfig !== undefined) sources.kubeconfig = { from: "pulumi", key: "kubeconfig", value: secrets.kubeconfig };
    });
    if (!complete || sources.repoCredentials === undefined) return undefined;
    return { ...sources, repoCredentials: sources.repoCredentials, teamsWorkflowUrls: sources.teamsWorkflowUrls ?? {} };
}
