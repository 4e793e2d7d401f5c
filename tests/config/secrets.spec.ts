import * as assert from "assert/strict";
import { SecretSources } from "../../config/secrets";
import { isSecret, loadStack, NS, unwrap } from "../helpers";

/** Sources as plain data: a Pulumi secret's Output shown as "[output]". */
const plain = (s: SecretSources) => JSON.parse(JSON.stringify(s, (k, v) => (k === "value" ? "[output]" : v)));
const store = (secretName: string, jsonKey: string) => ({ from: "secretsManager", secretName, jsonKey });

describe("config: where each secret comes from", () => {
    it("reads both committed stacks' secrets from Secrets Manager, under the JSON keys the stack file headers document", () => {
        assert.deepEqual(plain(loadStack("staging").secretSources), {
            teamsWorkflowUrls: {},
            repoCredentials: { kind: "token", token: store("footanalytics/staging/argocd-repo-creds", "token") },
            slackToken: store("footanalytics/staging/argocd-notifications", "slack-token"),
            imageUpdaterWrite: { kind: "token", token: store("footanalytics/staging/argocd-image-updater-git", "token") },
        });
        assert.deepEqual(plain(loadStack("production").secretSources), {
            teamsWorkflowUrls: { "platform-alerts": store("footanalytics/production/argocd-notifications", "teams-workflows-url-platform-alerts") },
            repoCredentials: { kind: "token", token: store("footanalytics/production/argocd-repo-creds", "token") },
            slackToken: store("footanalytics/production/argocd-notifications", "slack-token"),
            oidcClientSecret: store("footanalytics/production/argocd-oidc", "clientSecret"),
        });
    });

    it("takes Pulumi secrets where no Secrets Manager secret is named, and the webhook secret once it is set", async () => {
        const cfg = loadStack("production", (v) => {
            v[`${NS}:gitops`].repoCredentials = { source: "token" };
            delete v[`${NS}:notifications`].secretsManagerSecretName;
            delete v[`${NS}:argocd`].sso.clientSecretSecretsManagerName;
            for (const k of ["githubToken", "slackToken", "teamsWorkflowUrls", "oidcClientSecret", "githubWebhookSecret"]) v[`${NS}:${k}`] = { secure: `v1:${k}` };
        });
        const s = cfg.secretSources;
        assert.deepEqual(plain(s), {
            teamsWorkflowUrls: { "platform-alerts": { from: "pulumiJson", key: "teamsWorkflowUrls", field: "platform-alerts", value: "[output]" } },
            repoCredentials: { kind: "token", token: { from: "pulumi", key: "githubToken", value: "[output]" } },
            slackToken: { from: "pulumi", key: "slackToken", value: "[output]" },
            oidcClientSecret: { from: "pulumi", key: "oidcClientSecret", value: "[output]" },
            githubWebhookSecret: { from: "pulumi", key: "githubWebhookSecret", value: "[output]" },
        });
        const token = s.repoCredentials.kind === "token" ? s.repoCredentials.token : undefined;
        assert.ok(token?.from === "pulumi");
        assert.equal(await isSecret(token.value), true);
        assert.equal(await unwrap(token.value), "redacted-footanalytics-gitops-githubToken");
    });

    it("prefers the named Secrets Manager secret to a Pulumi secret that is also set", () => {
        const cfg = loadStack("production", (v) => {
            for (const k of ["slackToken", "teamsWorkflowUrls"]) v[`${NS}:${k}`] = { secure: `v1:${k}` };
        });
        assert.deepEqual(plain(cfg.secretSources).teamsWorkflowUrls, { "platform-alerts": store("footanalytics/production/argocd-notifications", "teams-workflows-url-platform-alerts") });
        assert.deepEqual(plain(cfg.secretSources).slackToken, store("footanalytics/production/argocd-notifications", "slack-token"));
    });

    it("describes a GitHub App with its ids and private key, and an existing cluster's kubeconfig", () => {
        const cfg = loadStack("staging", (v) => {
            v[`${NS}:cluster`] = { mode: "existing" };
            v[`${NS}:kubeconfig`] = { secure: "v1:kubeconfig" };
            v[`${NS}:gitops`].repoCredentials = { source: "githubApp", githubAppId: 1, githubAppInstallationId: 2 };
            v[`${NS}:githubAppPrivateKey`] = { secure: "v1:pem" };
        });
        assert.deepEqual(plain(cfg.secretSources).repoCredentials, { kind: "githubApp", appId: 1, installationId: 2, privateKey: { from: "pulumi", key: "githubAppPrivateKey", value: "[output]" } });
        assert.deepEqual(plain(cfg.secretSources).kubeconfig, { from: "pulumi", key: "kubeconfig", value: "[output]" });
        assert.deepEqual(JSON.parse(JSON.stringify(cfg.clusterTarget, (k, v) => (k === "value" ? "[output]" : v))), { mode: "existing", kubeconfig: { from: "pulumi", key: "kubeconfig", value: "[output]" } });
        assert.deepEqual(loadStack("production").clusterTarget, { mode: "managed", region: "eu-west-1" });
    });
});
