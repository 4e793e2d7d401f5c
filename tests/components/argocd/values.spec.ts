import * as assert from "assert/strict";
import * as YAML from "yaml";
import {
    alertRules,
    ARGOCD_DEFAULTS,
    argocdValues,
    ChartValues,
    dexConfig,
    ingressValues,
    namespaceLabels,
    oidcConfig,
    reconciliationTimeout,
    valueAt,
} from "../../../components/argocd/values";
import { loadStack, NS, STACKS, StackName } from "../../helpers";
import { SECURITY_CONTEXT_PATHS } from "./expected";


type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The validated configuration of a committed stack file, optionally edited. */
const stackConfig = loadStack;

/** The chart values of a committed stack file, optionally edited. */
function valuesOf(stack: StackName, edit?: (v: Values) => void, extra: { githubWebhookSecret?: string } = {}): ChartValues {
    const cfg = stackConfig(stack, edit);
    return argocdValues({ config: cfg.argocd, monitoring: cfg.monitoring, environment: cfg.environment, gpgKeys: cfg.gitops.gpgKeys, ...extra });
}

const at = (values: ChartValues, path: string) => valueAt(values, path);
const res = (rc: string, rm: string, lc: string, lm: string) => ({ requests: { cpu: rc, memory: rm }, limits: { cpu: lc, memory: lm } });

describe("argocdValues", () => {
    const staging = valuesOf("staging");
    const production = valuesOf("production");

    describe("both stacks", () => {
        for (const stack of STACKS) {
            const values = stack === "staging" ? staging : production;

            it(`sets no notifications.argocdUrl, which only the chart's own notifications ConfigMap reads, in ${stack}`, () => {
                // argo-helm argo-cd-10.1.1 templates/argocd-configs/argocd-notifications-cm.yaml:1 renders only with cm.create.
                assert.equal(Object.hasOwn(at(values, "notifications") as object, "argocdUrl"), false);
            });

            it(`keeps argocd-rbac-cm and the notifications ConfigMap and Secret out of the chart in ${stack}`, () => {
                assert.deepEqual(at(values, "configs.rbac"), { create: false });
                assert.deepEqual(at(values, "notifications.cm"), { create: false });
                assert.deepEqual(at(values, "notifications.secret"), { create: false });
                assert.equal(at(values, "configs.cm.create"), true);
                assert.equal(at(values, "configs.params.create"), true);
            });

            it(`turns off the redis-secret-init hook and points Redis at the argocd-redis Secret in ${stack}`, () => {
                assert.equal(at(values, "redisSecretInit.enabled"), false);
                assert.equal(at(values, "redis-ha.auth"), true);
                assert.equal(at(values, "redis-ha.existingSecret"), "argocd-redis");
                assert.equal(at(values, "redis-ha.authKey"), "auth");
            });

            it(`serves ${stack} under /argocd with TLS kept and the secure defaults`, () => {
                assert.deepEqual(at(values, "configs.params"), {
                    create: true,
                    "server.insecure": false,
                    "server.rootpath": "/argocd",
                    "server.basehref": "/argocd",
                    "reposerver.parallelism.limit": stack === "staging" ? 5 : 10,
                    "reposerver.repo.cache.expiration": "24h",
                    "controller.status.processors": stack === "staging" ? 20 : 50,
                    "controller.operation.processors": stack === "staging" ? 10 : 25,
                });
                assert.equal(at(values, "configs.cm.exec.enabled"), undefined, "dotted keys stay flat");
                const cm = at(values, "configs.cm") as Values;
                assert.equal(cm["exec.enabled"], false);
                assert.equal(cm["users.anonymous.enabled"], false);
                assert.equal(at(values, "global.networkPolicy.create"), true);
                assert.deepEqual(at(values, "crds"), { install: true, keep: true });
            });
        }
    });

    describe("staging", () => {
        it("runs one replica of each component with a single Redis and no PodDisruptionBudgets", () => {
            assert.equal(at(staging, "controller.replicas"), 1);
            assert.equal(at(staging, "server.replicas"), 1);
            assert.deepEqual(at(staging, "server.env"), [{ name: "ARGOCD_API_SERVER_REPLICAS", value: "1" }]);
            assert.equal(at(staging, "repoServer.replicas"), 1);
            assert.equal(at(staging, "applicationSet.replicas"), 1);
            assert.equal(at(staging, "redis.enabled"), true);
            assert.equal(at(staging, "redis-ha.enabled"), false);
            for (const c of ["controller", "server", "repoServer", "applicationSet", "notifications", "dex", "redis"]) {
                assert.deepEqual(at(staging, `${c}.pdb`), { enabled: false }, c);
            }
            assert.deepEqual(at(staging, "global.topologySpreadConstraints"), []);
        });

        it("sizes the staging containers from the staging defaults", () => {
            assert.deepEqual(at(staging, "controller.resources"), res("250m", "512Mi", "1", "1Gi"));
            assert.deepEqual(at(staging, "server.resources"), res("50m", "128Mi", "500m", "256Mi"));
            assert.deepEqual(at(staging, "repoServer.resources"), res("100m", "256Mi", "1", "1Gi"));
            assert.deepEqual(at(staging, "repoServer.copyutil.resources"), res("10m", "32Mi", "50m", "64Mi"));
            assert.deepEqual(at(staging, "redis.resources"), res("100m", "128Mi", "500m", "256Mi"));
            assert.deepEqual(at(staging, "redis.exporter"), {
                enabled: true,
                containerSecurityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: { type: "RuntimeDefault" }, capabilities: { drop: ["ALL"] } },
                resources: res("10m", "32Mi", "100m", "64Mi"),
                readinessProbe: { enabled: true },
                livenessProbe: { enabled: true },
            });
        });

        it("keeps the admin login, no SSO, and no ServiceMonitors or alert rules", () => {
            const cm = at(staging, "configs.cm") as Values;
            assert.deepEqual(cm, {
                create: true,
                url: "https://argocd.staging.footanalytics.io/argocd",
                "admin.enabled": true,
                "exec.enabled": false,
                "users.anonymous.enabled": false,
                "timeout.reconciliation": "600s",
            });
            assert.equal(at(staging, "dex.enabled"), false);
            assert.deepEqual(at(staging, "server.metrics"), { enabled: true, serviceMonitor: { enabled: false, additionalLabels: {} } });
            assert.equal(at(staging, "controller.metrics.rules.enabled"), false);
        });
    });

    describe("production", () => {
        it("follows the chart's HA guide: redis-ha, two API and repo servers, two ApplicationSet controllers", () => {
            assert.equal(at(production, "redis-ha.enabled"), true);
            assert.equal(at(production, "redis.enabled"), false);
            assert.equal(at(production, "redis-ha.replicas"), 3);
            assert.equal(at(production, "redis-ha.hardAntiAffinity"), true);
            assert.equal(at(production, "redis-ha.haproxy.replicas"), 3);
            assert.equal(at(production, "redis-ha.haproxy.hardAntiAffinity"), true);
            assert.equal(at(production, "server.replicas"), 3);
            assert.deepEqual(at(production, "server.autoscaling"), {
                enabled: false,
                minReplicas: 2,
                maxReplicas: 5,
                targetCPUUtilizationPercentage: 70,
                targetMemoryUtilizationPercentage: 80,
            });
            assert.deepEqual(at(production, "server.env"), [{ name: "ARGOCD_API_SERVER_REPLICAS", value: "3" }]);
            assert.deepEqual(at(production, "repoServer.autoscaling"), {
                enabled: true,
                minReplicas: 2,
                maxReplicas: 6,
                targetCPUUtilizationPercentage: 70,
                targetMemoryUtilizationPercentage: 80,
            });
            assert.equal(at(production, "applicationSet.replicas"), 2);
            assert.equal(at(production, "controller.replicas"), 1);
        });

        it("writes no repoServer.replicas while the repo server autoscales (the chart would drop it)", () => {
            // argo-helm argo-cd-10.1.1 templates/argocd-repo-server/deployment.yaml:22-23.
            assert.equal(at(production, "repoServer.autoscaling.enabled"), true);
            assert.equal(Object.hasOwn(at(production, "repoServer") as object, "replicas"), false);
            const fixed = valuesOf("production", (c) => {
                c[`${NS}:argocd`].repoServer = { autoscaling: { enabled: false }, replicas: 4 };
            });
            assert.equal(at(fixed, "repoServer.replicas"), 4);
            const scaledServer = valuesOf("production", (c) => {
                c[`${NS}:argocd`].server = { autoscaling: { enabled: true, minReplicas: 3 } };
            });
            assert.equal(Object.hasOwn(at(scaledServer, "server") as object, "replicas"), false);
            assert.deepEqual(at(scaledServer, "server.env"), []);
        });

        it("sets the restricted container fields at every security context path of the chart", () => {
            const restricted = { runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: { type: "RuntimeDefault" }, capabilities: { drop: ["ALL"] } };
            for (const path of SECURITY_CONTEXT_PATHS) assert.deepEqual(at(production, path), restricted, path);
        });

        it("gives every component that has one a PodDisruptionBudget and spreads pods across zones", () => {
            for (const c of ["controller", "server", "repoServer", "applicationSet", "notifications", "dex", "redis"]) {
                assert.deepEqual(at(production, `${c}.pdb`), { enabled: true, maxUnavailable: 1 }, c);
            }
            assert.deepEqual(at(production, "redis-ha.podDisruptionBudget"), { maxUnavailable: 1 });
            assert.deepEqual(at(production, "redis-ha.haproxy.podDisruptionBudget"), { maxUnavailable: 1 });
            assert.deepEqual(at(production, "global.topologySpreadConstraints"), [
                { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" },
            ]);
            assert.deepEqual(at(production, "redis-ha.topologySpreadConstraints"), {
                enabled: true,
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "ScheduleAnyway",
            });
        });

        it("sizes the redis-ha containers and enables their probes", () => {
            assert.deepEqual(at(production, "redis-ha.redis"), { resources: res("100m", "256Mi", "500m", "512Mi"), readinessProbe: { enabled: true }, livenessProbe: { enabled: true } });
            assert.deepEqual(at(production, "redis-ha.sentinel"), { resources: res("50m", "64Mi", "200m", "128Mi"), readinessProbe: { enabled: true }, livenessProbe: { enabled: true } });
            assert.deepEqual(at(production, "redis-ha.haproxy.resources"), res("50m", "64Mi", "250m", "256Mi"));
            assert.deepEqual(at(production, "redis-ha.haproxy.init"), { resources: res("10m", "32Mi", "50m", "64Mi") });
            assert.deepEqual(at(production, "redis-ha.init"), { resources: res("10m", "32Mi", "50m", "64Mi") });
            assert.deepEqual(at(production, "redis-ha.splitBrainDetection"), { resources: res("10m", "32Mi", "50m", "64Mi") });
            assert.deepEqual(at(production, "controller.resources"), res("500m", "1Gi", "2", "2Gi"));
        });

        it("turns the admin login off and configures OIDC with the client secret referenced, never inlined", () => {
            const cm = at(production, "configs.cm") as Values;
            assert.equal(cm["admin.enabled"], false);
            assert.equal(cm.url, "https://argocd.footanalytics.io/argocd");
            assert.deepEqual(YAML.parse(cm["oidc.config"] as string), {
                name: "FootAnalytics SSO",
                issuer: "https://sso.footanalytics.io",
                clientID: "argocd",
                clientSecret: "$argocd-oidc-client:clientSecret",
                requestedScopes: ["openid", "profile", "email", "groups"],
            });
            assert.equal(cm["dex.config"], undefined);
            assert.equal(at(production, "dex.enabled"), false);
        });

        it("creates ServiceMonitors with the Prometheus selector labels, application labels and the three alert rules", () => {
            const sm = { enabled: true, additionalLabels: { release: "kube-prometheus-stack" } };
            for (const c of ["controller", "server", "repoServer", "applicationSet", "notifications", "dex", "redis"]) {
                assert.deepEqual(at(production, `${c}.metrics.serviceMonitor`), sm, c);
                assert.equal(at(production, `${c}.metrics.enabled`), true, c);
            }
            // redis-ha's own ServiceMonitors would repeat the `release` label: components/argocd writes them (service-monitors.ts).
            assert.deepEqual(at(production, "redis-ha.exporter.serviceMonitor"), { enabled: false });
            assert.deepEqual(at(production, "redis-ha.haproxy.metrics"), { enabled: true, serviceMonitor: { enabled: false } });
            assert.deepEqual(at(production, "controller.metrics.applicationLabels"), { enabled: true, labels: ["team", "tier"] });
            const rules = at(production, "controller.metrics.rules") as Values;
            assert.equal(rules.enabled, true);
            assert.deepEqual(rules.additionalLabels, { release: "kube-prometheus-stack" });
            assert.deepEqual(
                rules.spec.map((r: Values) => [r.alert, r.expr, r.for, r.labels.severity]),
                [
                    ["ArgoCdAppOutOfSync", 'argocd_app_info{sync_status="OutOfSync"} == 1', "30m", "warning"],
                    ["ArgoCdAppDegraded", 'argocd_app_info{health_status="Degraded"} == 1', "5m", "critical"],
                    ["ArgoCdAppSyncFailed", 'increase(argocd_app_sync_total{phase=~"Error|Failed"}[10m]) > 0', "1m", "warning"],
                ],
            );
        });

        it("serves an internet-facing ALB ingress at https://<domain>/argocd: ACM certificate, listed CIDRs, HTTPS to the server, health check under the root path", () => {
            assert.deepEqual(at(production, "server.ingress"), {
                enabled: true,
                controller: "generic",
                ingressClassName: "argocd-alb",
                hostname: "argocd.footanalytics.io",
                path: "/argocd",
                pathType: "Prefix",
                tls: false,
                annotations: {
                    "alb.ingress.kubernetes.io/scheme": "internet-facing",
                    "alb.ingress.kubernetes.io/target-type": "ip",
                    "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS":443}]',
                    "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                    "alb.ingress.kubernetes.io/backend-protocol": "HTTPS",
                    "alb.ingress.kubernetes.io/healthcheck-protocol": "HTTPS",
                    "alb.ingress.kubernetes.io/healthcheck-path": "/argocd/healthz",
                    "alb.ingress.kubernetes.io/success-codes": "200",
                    "alb.ingress.kubernetes.io/certificate-arn": "arn:aws:acm:eu-west-1:210987654321:certificate/00000000-0000-0000-0000-000000000000",
                    "alb.ingress.kubernetes.io/inbound-cidrs": "203.0.113.0/24,192.30.252.0/22,185.199.108.0/22,140.82.112.0/20,143.55.64.0/20",
                },
            });
        });
    });

    describe("options", () => {
        it("passes the GitHub webhook secret as configs.secret.githubSecret only while the webhook is on", () => {
            assert.deepEqual(at(valuesOf("staging", undefined, { githubWebhookSecret: "s3cret" }), "configs.secret"), { createSecret: true, githubSecret: "s3cret" });
            const off = valuesOf("staging", (v) => (v[`${NS}:argocd`].webhook = false), { githubWebhookSecret: "s3cret" });
            assert.deepEqual(at(off, "configs.secret"), { createSecret: true });
            assert.equal((at(off, "configs.cm") as Values)["timeout.reconciliation"], "180s");
            assert.deepEqual(at(staging, "configs.secret"), { createSecret: true });
        });

        it("sets the image tag only when one is configured", () => {
            assert.equal(at(staging, "global.image"), undefined);
            assert.deepEqual(at(valuesOf("staging", (v) => (v[`${NS}:argocd`].imageTag = "v3.4.2")), "global.image"), { tag: "v3.4.2" });
        });

        it("switches the API server to its autoscaler without ARGOCD_API_SERVER_REPLICAS", () => {
            const v = valuesOf("production", (x) => (x[`${NS}:argocd`].server = { autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 4 } }));
            assert.deepEqual(at(v, "server.env"), []);
            assert.equal(at(v, "server.autoscaling.enabled"), true);
        });

        it("enables Dex with an OIDC connector when sso.mode is dex", () => {
            const v = valuesOf("staging", (x) => {
                x[`${NS}:argocd`].sso = { mode: "dex", issuer: "https://sso.footanalytics.io", clientId: "argocd" };
            });
            assert.equal(at(v, "dex.enabled"), true);
            const cm = at(v, "configs.cm") as Values;
            assert.equal(cm["oidc.config"], undefined);
            assert.equal(YAML.parse(cm["dex.config"] as string).connectors[0].config.clientSecret, "$argocd-oidc-client:clientSecret");
        });

        it("renders GPG keys, extensions and the commit server from config", () => {
            const key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmDMEZ\n-----END PGP PUBLIC KEY BLOCK-----\n";
            const v = valuesOf("staging", (x) => {
                x[`${NS}:gitops`].gpgKeys = [{ keyId: "4AEE18F83AFDEB23", publicKey: key }];
                x[`${NS}:argocd`].extensions = { enabled: true, list: [{ name: "metrics", url: "https://example.com/ext.tar.gz" }] };
                x[`${NS}:argocd`].commitServer = { enabled: true };
            });
            assert.deepEqual(at(v, "configs.gpg"), { keys: { "4AEE18F83AFDEB23": key } });
            assert.deepEqual(at(v, "server.extensions.extensionList"), [{ name: "metrics", env: [{ name: "EXTENSION_URL", value: "https://example.com/ext.tar.gz" }] }]);
            assert.equal(at(v, "commitServer.enabled"), true);
            assert.deepEqual(at(v, "commitServer.readinessProbe"), { enabled: true });
        });

        it("states an internal scheme without inbound CIDRs, renders no gRPC Service, and no ingress when disabled", () => {
            const base = stackConfig("staging").argocd;
            const internal = ingressValues({ domain: base.domain, ingress: { ...base.ingress, scheme: "internal", inboundCidrs: [] } });
            const annotations = internal.annotations as Record<string, string>;
            assert.equal(annotations["alb.ingress.kubernetes.io/scheme"], "internal");
            assert.equal(annotations["alb.ingress.kubernetes.io/inbound-cidrs"], undefined);
            assert.equal(internal.controller, "generic");
            assert.equal(internal.aws, undefined);
            assert.deepEqual(ingressValues({ domain: base.domain, ingress: { ...base.ingress, enabled: false } }), { enabled: false });
        });

        it("is pure: the same input gives equal values and the frozen config is not shared", () => {
            const cfg = stackConfig("production");
            const input = { config: cfg.argocd, monitoring: cfg.monitoring, environment: cfg.environment };
            const first = argocdValues(input);
            assert.deepEqual(argocdValues(input), first);
            (first.controller as Values).resources.limits.cpu = "9";
            assert.equal(cfg.argocd.controller.resources.limits.cpu, "2");
        });
    });
});

describe("argocd helpers", () => {
    it("enforces, audits and warns at restricted Pod Security, and asks for ALB readiness gates only with the ingress on", () => {
        assert.deepEqual(namespaceLabels(true), {
            "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled",
            "app.kubernetes.io/name": "argocd",
            "app.kubernetes.io/part-of": "argocd",
            "app.kubernetes.io/managed-by": "pulumi",
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/warn": "restricted",
        });
        assert.deepEqual(namespaceLabels(false), {
            "app.kubernetes.io/name": "argocd",
            "app.kubernetes.io/part-of": "argocd",
            "app.kubernetes.io/managed-by": "pulumi",
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/warn": "restricted",
        });
    });

    it("polls Git every 10 minutes only when pushes reach the webhook through an internet-facing ingress, else every 3, or as configured", () => {
        const ingress = stackConfig("production").argocd.ingress;
        assert.equal(reconciliationTimeout({ webhook: true, ingress }), "600s");
        assert.equal(reconciliationTimeout({ webhook: false, ingress }), "180s");
        assert.equal(reconciliationTimeout({ webhook: true, ingress: { ...ingress, scheme: "internal" } }), "180s");
        assert.equal(reconciliationTimeout({ webhook: true, ingress: { ...ingress, enabled: false } }), "180s");
        assert.equal(reconciliationTimeout({ webhook: true, reconciliationTimeout: "5m", ingress }), "5m");
    });

    it("writes OIDC and Dex configuration that references the client Secret by name", () => {
        const sso = { mode: "oidc" as const, name: "SSO", issuer: "https://sso.example.com", clientId: "argo", clientSecretSecretsManagerName: undefined };
        assert.match(oidcConfig(sso), new RegExp(`clientSecret: \\$${ARGOCD_DEFAULTS.oidcSecretName}:${ARGOCD_DEFAULTS.oidcSecretKey}`));
        assert.match(dexConfig(sso), /clientSecret: \$argocd-oidc-client:clientSecret/);
    });

    it("marks degraded Applications critical in production and a warning in staging", () => {
        const alerts = { enabled: true, outOfSyncFor: "1h", degradedFor: "15m", syncFailedFor: "1m" };
        assert.equal((alertRules(alerts, "staging")[1].labels as Values).severity, "warning");
        assert.equal((alertRules(alerts, "production")[1].labels as Values).severity, "critical");
        for (const r of alertRules(alerts, "production")) assert.doesNotMatch(JSON.stringify(r.annotations), /\{\{/, "Helm would template {{ }}");
    });
});
