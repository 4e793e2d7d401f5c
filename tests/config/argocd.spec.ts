import * as assert from "assert/strict";
import { expectInvalid, loadStack, NS, refusedStack } from "../helpers";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const loaded = loadStack;
const refused = refusedStack;

const argocd = (v: Values): Values => v[`${NS}:argocd`];
const K = `${NS}:argocd`;

describe("argocd configuration", () => {
    it("loads the production stack with its HA profile", () => {
        const a = loaded("production").argocd;
        assert.equal(a.chartVersion, "10.1.1");
        assert.equal(a.server.replicas, 3);
        assert.deepEqual(a.repoServer.autoscaling, { enabled: true, minReplicas: 2, maxReplicas: 6, targetCpuPercent: 70 });
        assert.equal(a.applicationSet.replicas, 2);
        assert.deepEqual({ enabled: a.redisHa.enabled, replicas: a.redisHa.replicas, haproxyReplicas: a.redisHa.haproxyReplicas }, { enabled: true, replicas: 3, haproxyReplicas: 3 });
        assert.deepEqual(a.sso, {
            mode: "oidc",
            name: "FootAnalytics SSO",
            issuer: "https://sso.footanalytics.io",
            clientId: "argocd",
            clientSecretSecretsManagerName: "footanalytics/production/argocd-oidc",
        });
        assert.equal(a.adminEnabled, false);
        assert.deepEqual(a.ingress, {
            enabled: true,
            className: "argocd-alb",
            scheme: "internet-facing",
            inboundCidrs: ["203.0.113.0/24", "192.30.252.0/22", "185.199.108.0/22", "140.82.112.0/20", "143.55.64.0/20"],
            certificateArn: "arn:aws:acm:eu-west-1:210987654321:certificate/00000000-0000-0000-0000-000000000000",
        });
    });

    it("gives staging one replica of each component, no redis-ha and the admin login", () => {
        const a = loaded("staging").argocd;
        assert.deepEqual(
            [a.controller.replicas, a.server.replicas, a.repoServer.replicas, a.applicationSet.replicas, a.redisHa.enabled, a.adminEnabled, a.sso.mode],
            [1, 1, 1, 1, false, true, "none"],
        );
    });

    it("defaults resources per environment: production containers get more than staging ones", () => {
        const staging = loaded("staging").argocd;
        const production = loaded("production").argocd;
        assert.deepEqual(staging.controller.resources, { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } });
        assert.deepEqual(production.controller.resources, { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } });
        assert.deepEqual(production.redisHa.splitBrainResources, { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "50m", memory: "64Mi" } });
    });

    it("keeps the defaults of the other quantities when one is overridden", () => {
        const a = loaded("staging", (v) => {
            argocd(v).server = { resources: { limits: { memory: "1Gi" } } };
        }).argocd;
        assert.deepEqual(a.server.resources, { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "1Gi" } });
    });

    it("refuses a production stack with one API server replica, naming the key", () => {
        const problems = refused("production", (v) => {
            argocd(v).server.replicas = 1;
        });
        assert.deepEqual(problems, [`${K}.server.replicas (1) must be at least 2 in production because the API server runs highly available`]);
    });

    it("refuses a production repo server autoscaler whose minimum is one replica", () => {
        const problems = refused("production", (v) => {
            argocd(v).repoServer.autoscaling.minReplicas = 1;
        });
        assert.deepEqual(problems, [`${K}.repoServer.autoscaling.minReplicas (1) must be at least 2 in production because the repo server runs highly available`]);
    });

    it("accepts an autoscaled production API server with two replicas at least", () => {
        const a = loaded("production", (v) => {
            argocd(v).server = { replicas: 1, autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 4 } };
        }).argocd;
        assert.equal(a.server.autoscaling.enabled, true);
    });

    it("refuses a production stack without redis-ha", () => {
        const problems = refused("production", (v) => {
            argocd(v).redisHa.enabled = false;
        });
        assert.deepEqual(problems, [`${K}.redisHa.enabled (false) must be true in production: a single Redis is a single point of failure for every Argo CD component`]);
    });

    it("refuses redis-ha with fewer than three nodes in production", () => {
        const problems = refused("production", (v) => {
            argocd(v).redisHa.replicas = 2;
        });
        assert.deepEqual(problems, [`${K}.redisHa.replicas (2) must be at least 3 in production because Sentinel needs three Redis nodes to keep a quorum when one is lost`]);
    });

    it("refuses one HAProxy and one ApplicationSet controller in production, reporting both at once", () => {
        const problems = refused("production", (v) => {
            argocd(v).redisHa.haproxyReplicas = 1;
            argocd(v).applicationSet.replicas = 1;
        });
        assert.deepEqual(problems, [
            `${K}.applicationSet.replicas (1) must be at least 2 in production because the ApplicationSet controller runs highly available`,
            `${K}.redisHa.haproxyReplicas (1) must be at least 2 in production because every component reaches Redis through HAProxy`,
        ]);
    });

    it("refuses another chart version than the one facts/charts.ts was checked against", () => {
        assert.deepEqual(refused("staging", (v) => (argocd(v).chartVersion = "10.2.0")), [
            `${K}.chartVersion ("10.2.0") must be 10.1.1, the version facts/charts.ts was checked against; read the new chart's templates and update charts.ts together with this key`,
        ]);
    });

    it("refuses production without NetworkPolicies, which keep Redis to its clients", () => {
        assert.deepEqual(refused("production", (v) => (argocd(v).networkPolicy = false)), [
            `${K}.networkPolicy (false) must be true in production: without it every pod of the cluster can reach Redis and the Argo CD components`,
        ]);
        assert.equal(loaded("staging", (v) => (argocd(v).networkPolicy = false)).argocd.networkPolicy, false);
    });

    it("accepts the same single replicas in staging", () => {
        const a = loaded("staging", (v) => {
            argocd(v).server = { replicas: 1 };
            argocd(v).redisHa = { enabled: true, replicas: 1, haproxyReplicas: 1 };
        }).argocd;
        assert.equal(a.redisHa.replicas, 1);
    });

    it("refuses the admin login in production once SSO is configured", () => {
        const problems = refused("production", (v) => {
            argocd(v).adminEnabled = true;
        });
        assert.deepEqual(problems, [`${K}.adminEnabled (true) must be false in production once SSO is configured (${K}.sso.mode is "oidc")`]);
    });

    it("refuses turning the admin login off without SSO, in any environment", () => {
        const problems = refused("staging", (v) => {
            argocd(v).adminEnabled = false;
        });
        assert.deepEqual(problems, [`${K}.adminEnabled (false) must be true while ${K}.sso.mode is "none": otherwise nobody can sign in`]);
    });

    describe("SSO client secret", () => {
        const MISSING = (mode: string) =>
            `${NS}:oidcClientSecret is missing; expected the SSO client secret set with \`pulumi config set --secret oidcClientSecret <secret>\` (or set ${K}.sso.clientSecretSecretsManagerName) because ${K}.sso.mode is "${mode}" and ${K}.adminEnabled is false: otherwise nobody can sign in`;

        for (const mode of ["oidc", "dex"]) {
            it(`refuses production with sso.mode "${mode}", the admin login off and no client secret, registering nothing`, async () => {
                const problems = await expectInvalid("production", (v) => {
                    argocd(v).sso.mode = mode;
                    delete argocd(v).sso.clientSecretSecretsManagerName;
                });
                assert.deepEqual(problems, [MISSING(mode)]);
            });
        }

        it("loads production with the client secret from Secrets Manager or from the Pulumi secret", () => {
            const fromStore = loaded("production");
            assert.equal(fromStore.argocd.sso.clientSecretSecretsManagerName, "footanalytics/production/argocd-oidc");
            assert.equal(fromStore.secrets.oidcClientSecret, undefined);
            const fromPulumi = loaded("production", (v) => {
                delete argocd(v).sso.clientSecretSecretsManagerName;
                v[`${NS}:oidcClientSecret`] = { secure: "v1:oidc" };
            });
            assert.equal(fromPulumi.argocd.sso.clientSecretSecretsManagerName, undefined);
            assert.ok(fromPulumi.secrets.oidcClientSecret !== undefined);
        });

        it("refuses both sources of the client secret, registering nothing", async () => {
            const problems = await expectInvalid("production", (v) => {
                v[`${NS}:oidcClientSecret`] = { secure: "v1:oidc" };
            });
            assert.deepEqual(problems, [
                `${K}.sso.clientSecretSecretsManagerName ("footanalytics/production/argocd-oidc") and the secret ${NS}:oidcClientSecret are both set; expected exactly one source of the SSO client secret (remove one)`,
            ]);
        });

        it("needs aws:region on an existing cluster to read the client secret from Secrets Manager", () => {
            const problems = refused("production", (v) => {
                v[`${NS}:cluster`] = { mode: "existing" };
                v[`${NS}:kubeconfig`] = { secure: "v1:kubeconfig" };
                delete v["aws:region"];
            });
            assert.deepEqual(problems, [
                `aws:region is missing; expected the AWS region of the Secrets Manager secrets read because of ${NS}:gitops.repoCredentials.source and ${NS}:notifications.secretsManagerSecretName and ${K}.sso.clientSecretSecretsManagerName`,
            ]);
        });

        it("accepts SSO without a client secret while the admin login stays on (staging)", () => {
            const a = loaded("staging", (v) => {
                argocd(v).sso = { mode: "oidc", issuer: "https://sso.footanalytics.io", clientId: "argocd" };
            }).argocd;
            assert.deepEqual([a.sso.mode, a.adminEnabled, a.sso.clientSecretSecretsManagerName], ["oidc", true, undefined]);
        });

        it("refuses a malformed Secrets Manager name without also calling the client secret missing", () => {
            const problems = refused("production", (v) => {
                argocd(v).sso.clientSecretSecretsManagerName = "not a name";
            });
            assert.deepEqual(problems, [
                `${K}.sso.clientSecretSecretsManagerName ("not a name") must be an AWS Secrets Manager secret name such as "footanalytics/production/argocd-notifications"`,
            ]);
        });
    });

    it("requires the issuer and client id when SSO is on", () => {
        const problems = refused("staging", (v) => {
            argocd(v).sso = { mode: "dex" };
        });
        assert.deepEqual(problems, [
            `${K}.sso.issuer is missing; expected the OIDC issuer URL when ${K}.sso.mode is "dex"`,
            `${K}.sso.clientId is missing; expected the OIDC client id when ${K}.sso.mode is "dex"`,
        ]);
    });

    it("lists the allowed SSO modes and ingress classes", () => {
        const problems = refused("staging", (v) => {
            argocd(v).sso = { mode: "saml" };
            argocd(v).ingress = { ...argocd(v).ingress, className: "traefik" };
        });
        assert.deepEqual(problems, [`${K}.ingress.className ("traefik") must be one of: argocd-alb`, `${K}.sso.mode ("saml") must be one of: none, oidc, dex`]);
    });

    it("refuses a request above its limit and a malformed quantity, naming each key", () => {
        const problems = refused("staging", (v) => {
            argocd(v).controller = { resources: { requests: { cpu: "2" }, limits: { memory: "lots" } } };
        });
        assert.deepEqual(problems, [
            `${K}.controller.resources.limits.memory ("lots") must be a memory quantity such as "256Mi" or "1Gi"`,
            // The CPU pair parsed, so its rule still runs next to the malformed memory limit.
            `${K}.controller.resources.requests.cpu ("2") must not exceed ${K}.controller.resources.limits.cpu (1)`,
        ]);
        const over = refused("staging", (v) => {
            argocd(v).controller = { resources: { requests: { cpu: "2", memory: "2Gi" } } };
        });
        assert.deepEqual(over, [
            `${K}.controller.resources.requests.cpu ("2") must not exceed ${K}.controller.resources.limits.cpu (1)`,
            `${K}.controller.resources.requests.memory ("2Gi") must not exceed ${K}.controller.resources.limits.memory (1Gi)`,
        ]);
    });

    it("refuses an autoscaler whose maximum is below its minimum", () => {
        const problems = refused("staging", (v) => {
            argocd(v).repoServer = { autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 2 } };
        });
        assert.deepEqual(problems, [`${K}.repoServer.autoscaling.maxReplicas (2) must be at least ${K}.repoServer.autoscaling.minReplicas (3)`]);
    });

    it("refuses the latest image tag and enabled extensions without any extension", () => {
        const problems = refused("staging", (v) => {
            argocd(v).imageTag = "latest";
            argocd(v).extensions = { enabled: true };
        });
        assert.deepEqual(problems, [
            `${K}.imageTag ("latest") must pin a version; "latest" is not reproducible`,
            `${K}.extensions.list ([]) is empty; expected at least one extension when ${K}.extensions.enabled is true`,
        ]);
    });

    it("refuses a production UI extension without a checksum file, and accepts one in staging", () => {
        const list = [{ name: "metrics", url: "https://github.com/argoproj-labs/argocd-extension-metrics/releases/download/v1.0.0/extension.tar.gz" }];
        const problems = refused("production", (v) => (argocd(v).extensions = { enabled: true, list }));
        assert.deepEqual(problems, [
            `${K}.extensions.list[0].checksumUrl is missing; expected the URL of the release's sha256 checksum file for extension "metrics": in production the installer must verify the tarball, whose JavaScript runs in every Argo CD session`,
        ]);
        assert.equal(loaded("staging", (v) => (argocd(v).extensions = { enabled: true, list })).argocd.extensions.list.length, 1);
    });

    it("refuses an unknown key instead of ignoring a typo", () => {
        const problems = refused("staging", (v) => {
            argocd(v).redisHA = { enabled: true };
        });
        assert.equal(problems.length, 1);
        assert.match(problems[0], new RegExp(`^${K}\\.redisHA is not a known key \\(did you mean redisHa\\?\\); expected one of: chartVersion, domain, imageTag, controller,`));
    });

    it("registers nothing when the production HA invariants are broken", async () => {
        const problems = await expectInvalid("production", (v) => {
            argocd(v).server.replicas = 1;
            argocd(v).redisHa.replicas = 1;
        });
        assert.deepEqual(problems, [
            `${K}.server.replicas (1) must be at least 2 in production because the API server runs highly available`,
            `${K}.redisHa.replicas (1) must be at least 3 in production because Sentinel needs three Redis nodes to keep a quorum when one is lost`,
        ]);
    });
});

describe("monitoring configuration", () => {
    const M = `${NS}:monitoring`;

    it("loads both stacks: ServiceMonitors and alerts in production only", () => {
        const staging = loaded("staging").monitoring;
        const production = loaded("production").monitoring;
        assert.deepEqual(staging, {
            serviceMonitors: false,
            serviceMonitorLabels: {},
            prometheus: { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" } },
            applicationLabels: ["team", "tier"],
            alerts: { enabled: false, outOfSyncFor: "1h", degradedFor: "15m", syncFailedFor: "1m" },
        });
        assert.deepEqual(production, {
            serviceMonitors: true,
            serviceMonitorLabels: { release: "kube-prometheus-stack" },
            prometheus: { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" } },
            applicationLabels: ["team", "tier"],
            alerts: { enabled: true, outOfSyncFor: "30m", degradedFor: "5m", syncFailedFor: "1m" },
        });
    });

    it("applies production defaults when the section is left out", () => {
        const m = loaded("production", (v) => {
            delete v[M];
        }).monitoring;
        assert.equal(m.serviceMonitors, true);
        assert.equal(m.alerts.enabled, true);
    });

    it("refuses a repeated application label", () => {
        const problems = refused("production", (v) => {
            v[M].applicationLabels = ["team", "tier", "team"];
        });
        assert.deepEqual(problems, [`${M}.applicationLabels[2] repeats label "team" of ${M}.applicationLabels[0]; each must be unique`]);
    });

    it("refuses alert rules without ServiceMonitors", () => {
        const problems = refused("staging", (v) => {
            v[M].alerts.enabled = true;
        });
        assert.deepEqual(problems, [
            `${M}.alerts.enabled (true) requires ${M}.serviceMonitors to be true: the alert rules evaluate the controller metrics that the ServiceMonitors scrape`,
        ]);
    });

    it("refuses a malformed duration and label key", () => {
        const problems = refused("production", (v) => {
            v[M].alerts.degradedFor = "5 minutes";
            v[M].applicationLabels = ["team", "Team Name"];
        });
        assert.deepEqual(problems, [
            `${M}.applicationLabels[1] ("Team Name") must be a Kubernetes label key such as "team" or "footanalytics.io/team"`,
            `${M}.alerts.degradedFor ("5 minutes") must be a duration such as "5s", "3m" or "1h30m"`,
        ]);
    });

    it("refuses malformed label keys of a label map, also next to malformed values, each key once", () => {
        const problems = refused("staging", (v) => {
            v[M].serviceMonitorLabels = { "Bad Key!": "x", "-a": "not ok!", team: "platform" };
        });
        const expected = 'must be a Kubernetes label key such as "team" or "footanalytics.io/team"';
        assert.deepEqual(problems, [
            `${M}.serviceMonitorLabels.-a ("not ok!") must be a Kubernetes label value such as "kube-prometheus-stack"`,
            `${M}.serviceMonitorLabels has the key "Bad Key!", which ${expected}`,
            `${M}.serviceMonitorLabels has the key "-a", which ${expected}`,
        ]);
    });
});
