import * as assert from "assert/strict";
import { adminPasswordHint } from "../../../components/argocd";
import { onSystemNodes } from "../../../components/argocd/placement";
import { argocdValues } from "../../../components/argocd/values";
import { ProgramRun } from "../../../tools/harness";
import { loadStack, NS, only, runStack, STACKS, StackName } from "../../helpers";

const CHART = "kubernetes:helm.sh/v4:Chart";
const SECRET = "kubernetes:core/v1:Secret";
const MONITOR = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The chart values the pure function gives a committed stack file. */
function expectedValues(stack: StackName): Values {
    const cfg = loadStack(stack);
    // Neither stack sets githubWebhookSecret: the program generates it (the chart gets it as a secret).
    // Both stacks create their cluster: Argo CD runs on the system node group (components/argocd/placement.ts).
    return onSystemNodes(argocdValues({ config: cfg.argocd, monitoring: cfg.monitoring, environment: cfg.environment, gpgKeys: cfg.gitops.gpgKeys, githubWebhookSecret: "[secret]" }));
}

describe("ArgoCd component", () => {
    const runs = new Map<StackName, ProgramRun>();
    before(async () => {
        for (const stack of STACKS) runs.set(stack, await runStack(stack));
    });
    const run = (stack: StackName) => runs.get(stack)!;

    for (const stack of STACKS) {
        describe(stack, () => {
            it("registers the component with the namespace, the Redis password and Secret, the SSO client Secret (production) and the chart as its children", () => {
                const component = only(run(stack), "footanalytics:argocd:ArgoCd", "argocd");
                const children = run(stack).resources.filter((r) => r.parent === component.urn).map((r) => `${r.type}::${r.name}`);
                assert.deepEqual(children.sort(), [
                    "kubernetes:core/v1:Namespace::argocd-namespace",
                    ...(stack === "production" ? [`${SECRET}::argocd-oidc-client`] : []),
                    `${SECRET}::argocd-redis`,
                    "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams::argocd-ingress-class-params",
                    `${CHART}::argocd-chart`,
                    ...(stack === "production" ? [`${MONITOR}::argocd-redis-ha-exporter-monitor`, `${MONITOR}::argocd-redis-ha-haproxy-metrics-monitor`] : []),
                    "kubernetes:networking.k8s.io/v1:IngressClass::argocd-ingress-class",
                    ...(stack === "production" ? ["kubernetes:networking.k8s.io/v1:NetworkPolicy::argocd-redis-ha-haproxy-clients", "kubernetes:networking.k8s.io/v1:NetworkPolicy::argocd-redis-ha-server-peers"] : []),
                    "random:index/randomPassword:RandomPassword::argocd-github-webhook-secret",
                    "random:index/randomPassword:RandomPassword::argocd-redis-password",
                ]);
            });

            it("signs the GitHub webhook by construction: a generated 48-character secret, given to the chart only as a secret", () => {
                const generated = only(run(stack), "random:index/randomPassword:RandomPassword", "argocd-github-webhook-secret");
                assert.deepEqual(generated.inputs, { length: 48, special: false });
                const chart = only(run(stack), CHART, "argocd-chart");
                assert.deepEqual((chart.inputs.values as Values).configs.secret, { createSecret: true, githubSecret: "[secret]" });
                assert.equal((chart.rawInputs.values as Values).configs.secret.githubSecret, "m0ck-".padEnd(48, "x"));
            });

            it("writes redis-ha's two ServiceMonitors itself, each label once, after the cluster services that install the CRDs (production)", () => {
                const monitors = run(stack).resources.filter((r) => r.type === MONITOR);
                if (stack === "staging") {
                    assert.deepEqual(monitors, []);
                    return;
                }
                const labels = { "app.kubernetes.io/part-of": "argocd", "app.kubernetes.io/managed-by": "pulumi", release: "kube-prometheus-stack" };
                assert.deepEqual(
                    monitors.map((m) => [m.name, m.inputs.metadata, m.inputs.spec]),
                    [
                        ["argocd-redis-ha-exporter-monitor", { name: "argocd-redis-ha-exporter", namespace: "argocd", labels }, {
                            endpoints: [{ targetPort: 9121 }], jobLabel: "argocd-redis-ha", namespaceSelector: { matchNames: ["argocd"] },
                            selector: { matchLabels: { app: "redis-ha", release: "argocd", exporter: "enabled" } },
                        }],
                        ["argocd-redis-ha-haproxy-metrics-monitor", { name: "argocd-redis-ha-haproxy-metrics", namespace: "argocd", labels }, {
                            endpoints: [{ targetPort: 9101 }], jobLabel: "argocd-redis-ha-haproxy", namespaceSelector: { matchNames: ["argocd"] },
                            selector: { matchLabels: { app: "redis-ha", release: "argocd", component: "haproxy" } },
                        }],
                    ],
                );
                const crds = only(run(stack), CHART, "platform-prometheus-operator-crds");
                for (const m of monitors) assert.ok(m.options.dependsOn.includes(crds.urn), `${m.name} waits for the CRDs chart`);
            });

            it("admits only the Argo CD components that use Redis to redis-ha (production runs redis-ha)", () => {
                const policies = run(stack).resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy");
                if (stack === "staging") {
                    assert.deepEqual(policies, []);
                    return;
                }
                const prometheus = {
                    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
                    podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
                };
                const haproxy = only(run(stack), "kubernetes:networking.k8s.io/v1:NetworkPolicy", "argocd-redis-ha-haproxy-clients");
                assert.deepEqual(haproxy.inputs.spec, {
                    podSelector: { matchLabels: { app: "redis-ha-haproxy", release: "argocd", component: "haproxy" } },
                    policyTypes: ["Ingress"],
                    ingress: [
                        {
                            from: ["argocd-server", "argocd-repo-server", "argocd-application-controller"].map((n) => ({
                                podSelector: { matchLabels: { "app.kubernetes.io/name": n, "app.kubernetes.io/instance": "argocd" } },
                            })),
                            ports: [{ port: 6379, protocol: "TCP" }],
                        },
                        { from: [prometheus], ports: [{ port: 9101, protocol: "TCP" }] },
                    ],
                });
                const server = only(run(stack), "kubernetes:networking.k8s.io/v1:NetworkPolicy", "argocd-redis-ha-server-peers");
                assert.deepEqual((server.inputs.spec as { ingress: unknown[] }).ingress, [
                    {
                        from: [{ podSelector: { matchLabels: { app: "redis-ha-haproxy", release: "argocd", component: "haproxy" } } }, { podSelector: { matchLabels: { app: "redis-ha", release: "argocd" } } }],
                        ports: [{ port: 6379, protocol: "TCP" }, { port: 26379, protocol: "TCP" }],
                    },
                    // The redis exporter (its /scrape?target= logs in with the Redis password): the monitoring namespace's Prometheus only.
                    { from: [prometheus], ports: [{ port: 9121, protocol: "TCP" }] },
                ]);
            });

            it("creates the argocd namespace with its Pod Security labels and, the ingress being on, ALB readiness gates", () => {
                const ns = only(run(stack), "kubernetes:core/v1:Namespace", "argocd-namespace");
                assert.deepEqual(ns.inputs.metadata, {
                    name: "argocd",
                    labels: {
                        "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled",
                        "app.kubernetes.io/name": "argocd",
                        "app.kubernetes.io/part-of": "argocd",
                        "app.kubernetes.io/managed-by": "pulumi",
                        "pod-security.kubernetes.io/enforce": "restricted",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                        "pod-security.kubernetes.io/audit": "restricted",
                        "pod-security.kubernetes.io/warn": "restricted",
                    },
                });
                assert.equal(ns.options.retainOnDelete, stack === "production");
            });

            it("creates the argocd-redis Secret from a generated password, kept secret", () => {
                const secret = only(run(stack), SECRET, "argocd-redis");
                assert.equal(secret.inputs.stringData, "[secret]");
                assert.deepEqual(secret.inputs.metadata, {
                    name: "argocd-redis",
                    namespace: "argocd",
                    labels: { "app.kubernetes.io/part-of": "argocd", "app.kubernetes.io/managed-by": "pulumi" },
                    // Tells the pack's no-plaintext-secrets that the value comes from the program, not from Git.
                    annotations: { "footanalytics.io/secret-source": "pulumi" },
                });
                const password = only(run(stack), "random:index/randomPassword:RandomPassword", "argocd-redis-password");
                assert.deepEqual(password.inputs, { length: 32, special: false });
                assert.match((secret.rawInputs.stringData as Values).auth, /^m0ck-x{27}$/);
            });

            it("installs the pinned argo-cd chart with the values of the pure function", () => {
                const chart = only(run(stack), CHART, "argocd-chart");
                assert.equal(chart.remote, true);
                const { values, ...rest } = chart.inputs;
                assert.deepEqual(rest, {
                    chart: "argo-cd",
                    version: "10.1.1",
                    repositoryOpts: { repo: "https://argoproj.github.io/argo-helm" },
                    name: "argocd",
                    namespace: "argocd",
                    resourcePrefix: "argocd",
                    skipCrds: false,
                });
                assert.deepEqual(values, expectedValues(stack));
            });

            it("orders the chart after the namespace and the Redis Secret", () => {
                const chart = only(run(stack), CHART, "argocd-chart");
                assert.ok(chart.options.dependsOn.includes(only(run(stack), SECRET, "argocd-redis").urn), "chart must depend on the argocd-redis Secret");
                assert.ok(chart.options.dependsOn.includes(only(run(stack), "kubernetes:core/v1:Namespace", "argocd-namespace").urn));
            });

            it("gives the chart the Kubernetes provider of the cluster component", () => {
                const provider = run(stack).resources.filter((r) => r.type === "pulumi:providers:kubernetes");
                assert.equal(provider.length, 1, "expected the cluster's one Kubernetes provider");
                assert.ok(provider[0].parent?.includes("footanalytics:cluster:EksCluster"), "the provider belongs to the cluster component");
                for (const name of ["argocd-chart", "argocd-redis"]) {
                    const r = run(stack).resources.find((x) => x.name === name)!;
                    assert.ok(r.options.provider?.startsWith(`${provider[0].urn}::`), `${name} uses ${r.options.provider}`);
                }
            });

            it("never retains the chart itself on delete (every child would inherit it): its transforms retain the CRDs and label every object", () => {
                const chart = only(run(stack), CHART, "argocd-chart");
                assert.equal(chart.options.retainOnDelete, false);
                assert.equal(chart.transforms?.length, 2);
            });
        });
    }

    it("exports the URL, namespace, chart version and admin password hint of each stack", () => {
        assert.deepEqual(
            {
                url: run("staging").outputs.argocdUrl,
                namespace: run("staging").outputs.argocdNamespace,
                version: run("staging").outputs.argocdChartVersion,
                admin: run("staging").outputs.argocdAdminPassword,
            },
            {
                url: "https://argocd.staging.footanalytics.io/argocd",
                namespace: "argocd",
                version: "10.1.1",
                admin: "kubectl -n argocd get secret argocd-initial-admin-secret -o jsonpath='{.data.password}' | base64 -d  (then change it and delete the Secret)",
            },
        );
        assert.equal(run("production").outputs.argocdUrl, "https://argocd.footanalytics.io/argocd");
        assert.equal(run("production").outputs.argocdAdminPassword, "admin login is disabled (configs.cm admin.enabled=false); sign in with SSO");
        assert.match(adminPasswordHint(true), /^kubectl -n argocd get secret argocd-initial-admin-secret -o jsonpath='\{\.data\.password\}' \| base64 -d/);
    });

    it("builds the production SSO client Secret from Secrets Manager, as a secret, ordered before the chart", () => {
        const oidc = only(run("production"), SECRET, "argocd-oidc-client");
        assert.equal(oidc.inputs.stringData, "[secret]");
        // The `clientSecret` field of the mocked Secrets Manager secret (tools/mocks.ts).
        assert.deepEqual(oidc.rawInputs.stringData, { clientSecret: "mock-oidc-client-secret" });
        assert.equal((oidc.inputs.metadata as Values).name, "argocd-oidc-client");
        assert.ok(only(run("production"), CHART, "argocd-chart").options.dependsOn.includes(oidc.urn));
    });

    it("creates the SSO client Secret from the Pulumi secret and passes the webhook secret only as secrets, ordered before the chart", async () => {
        const withSecrets = await runStack("production", (v) => {
            delete v[`${NS}:argocd`].sso.clientSecretSecretsManagerName;
            v[`${NS}:oidcClientSecret`] = { secure: "v1:oidc" };
            v[`${NS}:githubWebhookSecret`] = { secure: "v1:hook" };
        });
        const oidc = only(withSecrets, SECRET, "argocd-oidc-client");
        assert.equal(oidc.inputs.stringData, "[secret]");
        assert.deepEqual(oidc.rawInputs.stringData, { clientSecret: "redacted-footanalytics-gitops-oidcClientSecret" });
        assert.equal((oidc.inputs.metadata as Values).name, "argocd-oidc-client");
        const chart = only(withSecrets, CHART, "argocd-chart");
        assert.ok(chart.options.dependsOn.includes(oidc.urn));
        assert.deepEqual((chart.inputs.values as Values).configs.secret, { createSecret: true, githubSecret: "[secret]" });
        assert.equal((chart.rawInputs.values as Values).configs.secret.githubSecret, "redacted-footanalytics-gitops-githubWebhookSecret");
        assert.doesNotMatch(JSON.stringify(chart.inputs), /redacted-footanalytics-gitops-oidcClientSecret/);
    });

    it("creates the webhook on footanalytics/gitops-config with @pulumi/github when argocd.githubWebhook.manage is on, signed with the generated secret", async () => {
        const managed = await runStack("production", (v) => (v[`${NS}:argocd`].githubWebhook = { manage: true }));
        const provider = only(managed, "pulumi:providers:github", "argocd-github");
        assert.deepEqual(provider.inputs.owner, "footanalytics");
        const hook = only(managed, "github:index/repositoryWebhook:RepositoryWebhook", "argocd-github-webhook");
        assert.deepEqual(hook.inputs, {
            repository: "gitops-config",
            active: true,
            events: ["push"],
            configuration: { url: "https://argocd.footanalytics.io/argocd/api/webhook", contentType: "json", insecureSsl: false, secret: "[secret]" },
        });
        assert.deepEqual(hook.rawInputs.configuration, { url: "https://argocd.footanalytics.io/argocd/api/webhook", contentType: "json", insecureSsl: false, secret: "m0ck-".padEnd(48, "x") });
        assert.ok(hook.options.dependsOn.includes(only(managed, CHART, "argocd-chart").urn));
        assert.equal(hook.options.provider?.startsWith(provider.urn), true);
    });

    it("uses the stack's githubWebhookSecret instead of generating one", async () => {
        const withSecret = await runStack("staging", (v) => (v[`${NS}:githubWebhookSecret`] = { secure: "v1:hook" }));
        assert.equal(withSecret.resources.filter((r) => r.name === "argocd-github-webhook-secret").length, 0);
    });

    it("gives the Argo CD ALB its own IngressClass, usable only from the argocd namespace, created before the chart", () => {
        const params = only(run("production"), "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams", "argocd-ingress-class-params");
        assert.deepEqual(params.inputs.spec, { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "argocd" } }, scheme: "internet-facing" });
        const cls = only(run("production"), "kubernetes:networking.k8s.io/v1:IngressClass", "argocd-ingress-class");
        assert.deepEqual(cls.inputs.spec, { controller: "ingress.k8s.aws/alb", parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: "argocd-alb" } });
        assert.equal((cls.inputs.metadata as Values).name, "argocd-alb");
        const chart = only(run("production"), CHART, "argocd-chart");
        assert.ok(chart.options.dependsOn.includes(cls.urn) && chart.options.dependsOn.includes(params.urn));
        assert.equal((chart.inputs.values as Values).server.ingress.ingressClassName, "argocd-alb");
    });

    it("puts every Argo CD pod, redis-ha included, on the tainted system nodes", () => {
        const values = only(run("production"), CHART, "argocd-chart").inputs.values as Values;
        const toleration = [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }];
        assert.deepEqual([values.global.nodeSelector, values.global.tolerations], [{ "kubernetes.io/os": "linux", "footanalytics.io/node-role": "system" }, toleration]);
        assert.deepEqual([values["redis-ha"].nodeSelector, values["redis-ha"].tolerations], [{ "footanalytics.io/node-role": "system" }, toleration]);
    });

    it("creates no SSO client Secret when SSO is off", () => {
        assert.equal(run("staging").resources.filter((r) => r.name === "argocd-oidc-client").length, 0);
    });
});
