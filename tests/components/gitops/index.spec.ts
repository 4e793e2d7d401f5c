import * as assert from "assert/strict";
import { ProgramRun, runProgram } from "../../../tools/harness";
import { loadStack, NS, ofType, only, runStack, STACKS } from "../../helpers";
import { PROJECT_ROLES, RBAC, validateManifest } from "./fixtures";

const runs = new Map<string, Promise<ProgramRun>>();
const run = (stack: (typeof STACKS)[number]) => {
    if (!runs.has(stack)) runs.set(stack, runStack(stack));
    return runs.get(stack)!;
};

const APP = "kubernetes:argoproj.io/v1alpha1:Application";
const PROJECT = "kubernetes:argoproj.io/v1alpha1:AppProject";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const SECRET = "kubernetes:core/v1:Secret";

describe("components/gitops (the program under mocks)", () => {
    for (const stack of STACKS) {
        it(`builds from the RBAC sections the pure builder specs use as fixtures (${stack})`, () => {
            const config = loadStack(stack);
            assert.deepEqual(config.rbac, RBAC[stack], "tests/components/gitops/fixtures.ts RBAC differs from the stack file");
            assert.deepEqual(config.gitops.projectRoles, PROJECT_ROLES, "tests/components/gitops/fixtures.ts PROJECT_ROLES differs from the stack file");
        });
    }

    for (const stack of STACKS) {
        describe(stack, () => {
            it("registers one GitOps component with the project, RBAC, credentials, notifications and four Applications", async () => {
                const r = await run(stack);
                const component = only(r, "footanalytics:gitops:GitOps", "gitops");
                const children = r.resources.filter((x) => x.parent === component.urn).map((x) => `${x.type} ${x.name}`);
                for (const expected of [
                    `${PROJECT} gitops-project`,
                    `${CONFIG_MAP} gitops-rbac`,
                    `${SECRET} gitops-repo-creds`,
                    `${CONFIG_MAP} gitops-notifications`,
                    `${SECRET} gitops-notifications-secret`,
                    `${APP} gitops-app-api-gateway`,
                    `${APP} gitops-app-video-ingestion`,
                    `${APP} gitops-app-ml-pipeline`,
                    `${APP} gitops-app-analytics-engine`,
                ]) {
                    assert.ok(children.includes(expected), `missing child ${expected}`);
                }
                assert.equal(ofType(r, APP).length, 4);
            });

            it("locks Argo CD's default project with a forced patch, creates the destination namespaces with Pod Security labels, and whitelists no Namespace", async () => {
                const r = await run(stack);
                const locked = only(r, "kubernetes:argoproj.io/v1alpha1:AppProjectPatch", "gitops-default-project");
                assert.deepEqual(locked.inputs.metadata, {
                    name: "default",
                    namespace: "argocd",
                    labels: { "app.kubernetes.io/part-of": "footanalytics", "footanalytics.io/environment": stack },
                    annotations: { "pulumi.com/patchForce": "true" },
                });
                assert.deepEqual(locked.inputs.spec, {
                    description: "Locked by footanalytics-gitops: Applications belong to a project of their own.",
                    sourceRepos: [],
                    destinations: [],
                    clusterResourceWhitelist: [],
                    namespaceResourceBlacklist: [{ group: "*", kind: "*" }],
                });
                const ns = only(r, "kubernetes:core/v1:Namespace", "gitops-namespace-footanalytics");
                assert.deepEqual(ns.inputs.metadata, {
                    name: "footanalytics",
                    labels: {
                        "app.kubernetes.io/part-of": "footanalytics",
                        "app.kubernetes.io/managed-by": "pulumi",
                        "footanalytics.io/environment": stack,
                        "pod-security.kubernetes.io/enforce": "restricted",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                        "pod-security.kubernetes.io/audit": "restricted",
                        "pod-security.kubernetes.io/audit-version": "latest",
                        "pod-security.kubernetes.io/warn": "restricted",
                        "pod-security.kubernetes.io/warn-version": "latest",
                    },
                });
                assert.equal(ns.options.retainOnDelete, stack === "production");
                for (const app of ofType(r, APP)) {
                    assert.ok(app.options.dependsOn.includes(ns.urn), `${app.name} does not wait for its namespace`);
                    assert.ok(!(app.inputs.spec as { syncPolicy: { syncOptions: string[] } }).syncPolicy.syncOptions.includes("CreateNamespace=true"));
                }
                for (const project of [...ofType(r, PROJECT), locked]) {
                    const whitelist = (project.inputs.spec as { clusterResourceWhitelist: { kind: string }[] }).clusterResourceWhitelist;
                    assert.ok(!whitelist.some((g) => g.kind === "Namespace"), `${project.name} whitelists Namespace`);
                }
            });

            it("registers objects that validate against the Argo CD and Kubernetes schemas", async () => {
                const r = await run(stack);
                const parent = only(r, "footanalytics:gitops:GitOps", "gitops").urn;
                const objects = r.resources.filter((x) => x.parent === parent && [APP, PROJECT, CONFIG_MAP, SECRET].includes(x.type));
                // 4 Applications, the two AppProjects, 2 ConfigMaps, 4 Secrets (with the in-cluster cluster Secret and the repository's); staging adds Image Updater's write credential Secret.
                assert.equal(objects.length, stack === "staging" ? 13 : 12);
                // rawInputs: the Secret class records stringData as one secret, "[secret]" in inputs.
                for (const o of objects) validateManifest(o.rawInputs as { kind: string });
            });

            it("gives every Kubernetes object the cluster's provider and orders the custom resources after the argo-cd chart", async () => {
                const r = await run(stack);
                const parent = only(r, "footanalytics:gitops:GitOps", "gitops").urn;
                const chart = only(r, "kubernetes:helm.sh/v4:Chart", "argocd-chart").urn;
                for (const o of r.resources.filter((x) => x.parent === parent && x.type.startsWith("kubernetes:"))) {
                    assert.match(o.options.provider ?? "", /pulumi:providers:kubernetes::/, `${o.name} has no Kubernetes provider`);
                }
                for (const o of r.resources.filter((x) => x.parent === parent && (x.type === APP || x.type === PROJECT))) {
                    assert.ok(o.options.dependsOn.includes(chart), `${o.name} is not ordered after the argo-cd chart`);
                }
                for (const o of ofType(r, APP)) {
                    assert.ok(o.options.dependsOn.includes(only(r, PROJECT, "gitops-project").urn), `${o.name} is not ordered after the AppProject`);
                }
            });

            it("records the repository and notification credentials only as secrets", async () => {
                const r = await run(stack);
                const creds = only(r, SECRET, "gitops-repo-creds");
                assert.equal(creds.inputs.stringData, "[secret]");
                // The stack files read the token from Secrets Manager (mocked in tools/mocks.ts).
                assert.deepEqual(creds.rawInputs.stringData, { type: "git", url: "https://github.com/footanalytics", username: "x-access-token", password: "mock-github-token" });
                const tokens = only(r, SECRET, "gitops-notifications-secret");
                assert.equal(tokens.inputs.stringData, "[secret]");
                assert.deepEqual(
                    tokens.rawInputs.stringData,
                    stack === "production"
                        ? { "slack-token": "fake-slack-bot-token", "teams-workflows-url-platform-alerts": "https://teams-workflows.example.invalid/fake" }
                        : { "slack-token": "fake-slack-bot-token" },
                );
                const recorded = JSON.stringify(r.resources.map((x) => x.inputs));
                for (const value of ["mock-github-token", "fake-slack-bot-token", "teams-workflows.example.invalid/fake"]) assert.ok(!recorded.includes(value), `${value} appears in plain text`);
            });

            it("publishes the cluster's facts and the platform services' roles on the in-cluster cluster Secret", async () => {
                const r = await run(stack);
                const secret = only(r, SECRET, "gitops-in-cluster");
                const meta = secret.inputs.metadata as { labels: Record<string, string>; annotations: Record<string, string> };
                assert.equal(meta.labels["argocd.argoproj.io/secret-type"], "cluster");
                const services = stack === "production"
                    ? "prometheus-operator-crds,aws-load-balancer-controller,metrics-server,nvidia-device-plugin,cluster-autoscaler,external-secrets"
                    : "aws-load-balancer-controller,metrics-server,cluster-autoscaler,external-secrets";
                assert.deepEqual(
                    [meta.annotations["footanalytics.io/cluster-name"], meta.annotations["footanalytics.io/region"], meta.annotations["footanalytics.io/addons-path"], meta.annotations["footanalytics.io/addons"]],
                    [`footanalytics-${stack}`, "eu-west-1", `addons/${stack}`, services],
                );
                for (const [chart, role] of [["aws-load-balancer-controller", "lbc"], ["cluster-autoscaler", "cluster-autoscaler"], ["external-secrets", "external-secrets"]]) {
                    assert.equal(meta.annotations[`footanalytics.io/${chart}-role-arn`], `arn:aws:iam::123456789012:role/platform-${role}-role`);
                }
                assert.deepEqual(secret.rawInputs.stringData, { name: "in-cluster", server: "https://kubernetes.default.svc", config: '{"tlsClientConfig":{"insecure":false}}' });
            });

            it("links notifications to this stack's Argo CD URL", async () => {
                const r = await run(stack);
                const data = only(r, CONFIG_MAP, "gitops-notifications").inputs.data as Record<string, string>;
                const domain = stack === "production" ? "argocd.footanalytics.io" : "argocd.staging.footanalytics.io";
                assert.equal(data.context, `argocdUrl: https://${domain}/argocd\n`);
            });
        });
    }

    it("installs Image Updater and its ImageUpdater resource in staging, after the chart that brings the CRD", async () => {
        const r = await run("staging");
        const chart = only(r, "kubernetes:helm.sh/v4:Chart", "gitops-image-updater");
        assert.equal(chart.inputs.chart, "argocd-image-updater");
        assert.equal(chart.inputs.version, "1.1.1");
        const cr = only(r, "kubernetes:argocd-image-updater.argoproj.io/v1alpha1:ImageUpdater", "gitops-image-updater-config");
        assert.ok(cr.options.dependsOn.includes(chart.urn));
        // Its own write credential, from Secrets Manager, kept secret; the ImageUpdater names it and waits for it.
        const secret = only(r, "kubernetes:core/v1:Secret", "gitops-image-updater-git-creds");
        assert.equal(secret.inputs.stringData, "[secret]");
        assert.equal((secret.inputs.metadata as { name: string }).name, "argocd-image-updater-git-creds");
        assert.ok(cr.options.dependsOn.includes(secret.urn));
        assert.equal((cr.inputs.spec as { writeBackConfig: { method: string } }).writeBackConfig.method, "git:secret:argocd/argocd-image-updater-git-creds");
    });

    it("installs no Image Updater in production, where it is off", async () => {
        const r = await run("production");
        assert.equal(ofType(r, "kubernetes:argocd-image-updater.argoproj.io/v1alpha1:ImageUpdater").length, 0);
        assert.equal(r.resources.filter((x) => x.name === "gitops-image-updater").length, 0);
    });

    it("uses the githubToken secret for the credential template when the source is token", async () => {
        const r = await runStack("staging", (v) => {
            v[`${NS}:gitops`].repoCredentials = { source: "token" };
            v[`${NS}:githubToken`] = { secure: "v1:c2VjcmV0" };
        });
        const s = only(r, SECRET, "gitops-repo-creds");
        assert.equal(s.inputs.stringData, "[secret]");
        assert.equal((s.rawInputs.stringData as Record<string, string>).password, "redacted-footanalytics-gitops-githubToken");
        const tokens = only(r, SECRET, "gitops-notifications-secret").rawInputs.stringData as Record<string, string>;
        assert.equal(tokens["slack-token"], "fake-slack-bot-token", "notifications still read Secrets Manager");
    });

    it("reads no Secrets Manager value in a preview (the preview role has no GetSecretValue): the secret values stay unknown", async () => {
        const preview = await runProgram({ stack: "production", preview: true });
        const tokens = only(preview, SECRET, "gitops-notifications-secret");
        assert.doesNotMatch(JSON.stringify(tokens.rawInputs), /fake-slack-bot-token|mock-github-token/);
        assert.doesNotMatch(JSON.stringify(only(preview, SECRET, "gitops-repo-creds").rawInputs), /mock-github-token/);
        const update = await run("production");
        assert.match(JSON.stringify(only(update, SECRET, "gitops-notifications-secret").rawInputs), /fake-slack-bot-token/);
    });

    it("creates the root application when it is enabled", async () => {
        const r = await runStack("production", (v) => (v[`${NS}:gitops`].rootApplication = { enabled: true }));
        const root = only(r, APP, "gitops-root-app");
        assert.equal((root.inputs.metadata as { name: string }).name, "footanalytics-platform");
        validateManifest(root.rawInputs as { kind: string });
    });
});
