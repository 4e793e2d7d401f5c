import * as assert from "assert/strict";
import { gitopsRepositorySecret, repoCredsSecret } from "../../../components/gitops/repositories";
import { sections, validateManifest } from "./fixtures";
import { loadStack, NS, refusedStack } from "../../helpers";

describe("components/gitops/repositories", () => {
    it("builds a repo-creds template for the footanalytics organisation with a token", () => {
        const s = repoCredsSecret(sections("production").gitops.repoCredentials, { kind: "token", token: "fake-github-token" });
        validateManifest(s);
        assert.deepEqual(s.metadata, {
            name: "footanalytics-github-repo-creds",
            namespace: "argocd",
            labels: { "argocd.argoproj.io/secret-type": "repo-creds", "app.kubernetes.io/part-of": "argocd" },
        });
        assert.deepEqual(s.stringData, { type: "git", url: "https://github.com/footanalytics", username: "x-access-token", password: "fake-github-token" });
    });

    it("builds GitHub App credentials when the source is githubApp", () => {
        // A GitHub App source needs its private key: the real config loader refuses it without one.
        const cfg = loadStack("staging", (v) => {
            v[`${NS}:gitops`].repoCredentials = { source: "githubApp", githubAppId: 123456, githubAppInstallationId: 7890123 };
            v[`${NS}:githubAppPrivateKey`] = { secure: "v1:private-key" };
        });
        // config/ decided the source: the App's ids and its private key from the Pulumi secret.
        const source = cfg.secretSources.repoCredentials;
        assert.ok(source.kind === "githubApp");
        assert.deepEqual([source.appId, source.installationId, source.privateKey.from], [123456, 7890123, "pulumi"]);
        const s = repoCredsSecret(cfg.gitops.repoCredentials, { ...source, privateKey: "fake-github-app-private-key" });
        validateManifest(s);
        assert.deepEqual(s.stringData, {
            type: "git",
            url: "https://github.com/footanalytics",
            githubAppID: "123456",
            githubAppInstallationID: "7890123",
            githubAppPrivateKey: "fake-github-app-private-key",
        });
    });
});

describe("components/gitops/repositories: the GitOps repository's shallow clone", () => {
    it("declares gitops-config with depth \"1\" by default, credentials left to the template", () => {
        assert.deepEqual(gitopsRepositorySecret({ repoUrl: "https://github.com/footanalytics/gitops-config", cloneDepth: 1 }), {
            apiVersion: "v1",
            kind: "Secret",
            type: "Opaque",
            metadata: {
                name: "footanalytics-gitops-config-repo",
                namespace: "argocd",
                labels: { "argocd.argoproj.io/secret-type": "repository", "app.kubernetes.io/part-of": "argocd" },
            },
            stringData: { type: "git", name: "gitops-config", url: "https://github.com/footanalytics/gitops-config", depth: "1" },
        });
    });

    it("clones the full history when cloneDepth is 0", () => {
        assert.deepEqual(gitopsRepositorySecret({ repoUrl: "https://github.com/footanalytics/gitops-config", cloneDepth: 0 }).stringData, {
            type: "git",
            name: "gitops-config",
            url: "https://github.com/footanalytics/gitops-config",
        });
    });
});

describe("config: the GitOps repository's clone depth", () => {
    it("defaults to a shallow clone in both stacks and refuses a negative depth", () => {
        assert.deepEqual([loadStack("staging").gitops.cloneDepth, loadStack("production").gitops.cloneDepth], [1, 1]);
        assert.equal(loadStack("production", (v) => (v[`${NS}:gitops`].cloneDepth = 0)).gitops.cloneDepth, 0);
        assert.deepEqual(refusedStack("staging", (v) => (v[`${NS}:gitops`].cloneDepth = -1)), [`${NS}:gitops.cloneDepth (-1) must be at least 0`]);
    });
});
