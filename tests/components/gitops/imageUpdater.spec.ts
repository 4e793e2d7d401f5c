import * as assert from "assert/strict";
import { imageUpdaterGitSecret, imageUpdaterResource, imageUpdaterValues } from "../../../components/gitops/imageUpdater";
import { sectionProblems, sections, validateManifest } from "./fixtures";
import { loadStack, NS } from "../../helpers";

describe("components/gitops/imageUpdater", () => {
    it("follows ghcr.io/footanalytics/<app> within the tag constraint for the four Applications and writes back to main with Git and its own credential Secret", () => {
        const r = imageUpdaterResource(sections("staging").gitops);
        assert.equal(r.apiVersion, "argocd-image-updater.argoproj.io/v1alpha1");
        assert.equal(r.kind, "ImageUpdater");
        // "git" alone reuses Argo CD's read-only repository credentials (image-updater v1.1.0 docs/basics/update-methods.md).
        assert.deepEqual(r.spec.writeBackConfig, { method: "git:secret:argocd/argocd-image-updater-git-creds", gitConfig: { branch: "main", writeBackTarget: "kustomization" } });
        assert.deepEqual(r.spec.namespace, "argocd");
        assert.deepEqual(
            (r.spec.applicationRefs as { namePattern: string; images: { imageName: string }[] }[]).map((a) => [a.namePattern, a.images[0].imageName]),
            [
                ["api-gateway", "ghcr.io/footanalytics/api-gateway:^1"],
                ["video-ingestion", "ghcr.io/footanalytics/video-ingestion:^1"],
                ["ml-pipeline", "ghcr.io/footanalytics/ml-pipeline:^1"],
                ["analytics-engine", "ghcr.io/footanalytics/analytics-engine:^1"],
            ],
        );
    });

    it("refuses an unqualified image (Docker Hub by default), a tag in the name, and Image Updater without a tag constraint", () => {
        assert.deepEqual(sectionProblems("staging", (v) => {
            v.gitops.applications[0].image = "footanalytics/api-gateway";
            v.gitops.applications[1].image = "ghcr.io/footanalytics/video:1.2";
            v.gitops.applications[2].imageTagConstraint = "*";
        }), [
            `${NS}:gitops.applications[0].image ("footanalytics/api-gateway") must be a fully qualified image name with its registry and without a tag, such as "ghcr.io/footanalytics/api-gateway"`,
            `${NS}:gitops.applications[1].image ("ghcr.io/footanalytics/video:1.2") must be a fully qualified image name with its registry and without a tag, such as "ghcr.io/footanalytics/api-gateway"`,
            `${NS}:gitops.applications[2].imageTagConstraint ("*") must be a semantic version constraint such as "~1.4" or "^2" (a bounded range, never "*")`,
        ]);
        assert.deepEqual(sectionProblems("staging", (v) => {
            delete v.gitops.imageUpdater.tagConstraint;
            v.gitops.applications[0].imageTagConstraint = ">=1.2 <2";
        }), [1, 2, 3].map((i) => `${NS}:gitops.applications[${i}].imageTagConstraint is missing; expected a semantic version constraint such as "~1.4" (or ${NS}:gitops.imageUpdater.tagConstraint for every Application) because ${NS}:gitops.imageUpdater.enabled is true: without one Image Updater deploys any new tag, a major version or a pre-release included`));
    });

    it("gives the Image Updater container CPU and memory requests and limits", () => {
        assert.deepEqual(imageUpdaterValues(sections("staging").gitops.imageUpdater).resources, {
            requests: { cpu: "50m", memory: "128Mi" },
            limits: { cpu: "500m", memory: "256Mi" },
        });
    });

    it("takes an Application's own image name and tag constraint", () => {
        const g = sections("staging", (v) => Object.assign(v.gitops.applications[0], { image: "ghcr.io/footanalytics/gateway", imageTagConstraint: "~2.3" })).gitops;
        const refs = imageUpdaterResource(g).spec.applicationRefs as { images: { imageName: string; manifestTargets: unknown }[] }[];
        assert.deepEqual(refs[0].images[0].imageName, "ghcr.io/footanalytics/gateway:~2.3");
        assert.deepEqual(refs[1].images[0].imageName, "ghcr.io/footanalytics/video-ingestion:^1");
        assert.deepEqual(refs[0].images[0].manifestTargets, { kustomize: { name: "ghcr.io/footanalytics/gateway" } });
    });

    it("writes the credential Secret in the format Image Updater reads: a token as username/password, or a GitHub App", () => {
        const token = imageUpdaterGitSecret({ kind: "token", token: "fake-write-token" });
        validateManifest(token);
        assert.deepEqual([token.metadata.name, token.metadata.namespace], ["argocd-image-updater-git-creds", "argocd"]);
        assert.deepEqual(token.stringData, { username: "x-access-token", password: "fake-write-token" });
        const source = loadStack("staging", (v) => (v[`${NS}:gitops`].imageUpdater.writeCredentials = { kind: "githubApp", secretsManagerSecretName: "x/app", githubAppId: 12, githubAppInstallationId: 34 })).secretSources.imageUpdaterWrite;
        assert.deepEqual(source, { kind: "githubApp", appId: 12, installationId: 34, privateKey: { from: "secretsManager", secretName: "x/app", jsonKey: "privateKey" } });
        assert.ok(source?.kind === "githubApp");
        assert.deepEqual(imageUpdaterGitSecret({ ...source, privateKey: "fake-pem" }).stringData, { githubAppID: "12", githubAppInstallationID: "34", githubAppPrivateKey: "fake-pem" });
    });

    it("refuses git write-back without a write credential, and a GitHub App without its ids", () => {
        assert.deepEqual(sectionProblems("staging", (v) => delete v.gitops.imageUpdater.writeCredentials), [
            "footanalytics-gitops:gitops.imageUpdater.writeCredentials.secretsManagerSecretName is missing; expected the Secrets Manager secret holding Image Updater's Git write credential (a GitHub token with contents:write, or a GitHub App key) because footanalytics-gitops:gitops.imageUpdater.enabled is true: git write-back cannot use Argo CD's read-only repository credentials",
        ]);
        assert.deepEqual(sectionProblems("staging", (v) => (v.gitops.imageUpdater.writeCredentials.kind = "githubApp")), [
            'footanalytics-gitops:gitops.imageUpdater.writeCredentials.githubAppId is missing; expected it when footanalytics-gitops:gitops.imageUpdater.writeCredentials.kind is "githubApp"',
            'footanalytics-gitops:gitops.imageUpdater.writeCredentials.githubAppInstallationId is missing; expected it when footanalytics-gitops:gitops.imageUpdater.writeCredentials.kind is "githubApp"',
        ]);
        assert.deepEqual(sectionProblems("production", (v) => delete v.gitops.imageUpdater.writeCredentials), [], "not needed while Image Updater is off");
        assert.deepEqual(sectionProblems("staging", (v) => (v.gitops.imageUpdater.chartVersion = "1.2.0")), [
            'footanalytics-gitops:gitops.imageUpdater.chartVersion ("1.2.0") must be 1.1.1, the version components/gitops/imageUpdater.ts was checked against (values keys, CRD fields); read the new chart and update PINNED in facts/charts.ts with this key',
        ]);
    });

    it("writes a method the chart 1.1.1 CRD accepts (crd-imageupdaters.yaml writeBackConfig.method pattern)", () => {
        const method = (imageUpdaterResource(sections("staging").gitops).spec.writeBackConfig as { method: string }).method;
        assert.match(method, /^(argocd|git|git:[a-zA-Z0-9][a-zA-Z0-9-._/:]*)$/);
    });

    it("meets Pod Security restricted, which the argocd namespace enforces", () => {
        assert.deepEqual(imageUpdaterValues(sections("staging").gitops.imageUpdater).securityContext, {
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            seccompProfile: { type: "RuntimeDefault" },
            capabilities: { drop: ["ALL"] },
        });
    });
});
