import * as assert from "assert/strict";
import { repoCredsSecret } from "../../../components/gitops/repositories";
import { sections, validateManifest } from "./fixtures";

describe("components/gitops/repositories", () => {
    it("builds a repo-creds template for the footanalytics organisation with a token", () => {
        const s = repoCredsSecret(sections("production").gitops.repoCredentials, { kind: "token", token: "ghp_x" });
        validateManifest(s);
        assert.deepEqual(s.metadata, {
            name: "footanalytics-github-repo-creds",
            namespace: "argocd",
            labels: { "argocd.argoproj.io/secret-type": "repo-creds", "app.kubernetes.io/part-of": "argocd" },
        });
        assert.deepEqual(s.stringData, { type: "git", url: "https://github.com/footanalytics", username: "x-access-token", password: "ghp_x" });
    });

    it("builds GitHub App credentials when the source is githubApp", () => {
        const creds = sections("staging", (v) => (v.gitops.repoCredentials = { source: "githubApp", githubAppId: 123456, githubAppInstallationId: 7890123 })).gitops.repoCredentials;
        const s = repoCredsSecret(creds, { kind: "githubApp", privateKey: "-----BEGIN RSA PRIVATE KEY-----" });
        validateManifest(s);
        assert.deepEqual(s.stringData, {
            type: "git",
            url: "https://github.com/footanalytics",
            githubAppID: "123456",
            githubAppInstallationID: "7890123",
            githubAppPrivateKey: "-----BEGIN RSA PRIVATE KEY-----",
        });
    });
});
