import * as assert from "assert/strict";
import { loadStack, NS, refusedStack } from "../helpers";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const platform = (v: Values): Values => v[`${NS}:platform`];
const ingress = (v: Values): Values => v[`${NS}:argocd`].ingress;

describe("platform configuration", () => {
    it("loads the pinned chart versions and the HA replicas of production", () => {
        const p = loadStack("production").platform;
        assert.deepEqual(
            [p.loadBalancerController.chartVersion, p.metricsServer.chartVersion, p.prometheusOperatorCrds.chartVersion, p.nvidiaDevicePlugin.chartVersion],
            ["3.5.0", "3.13.1", "31.0.1", "0.20.0"],
        );
        assert.deepEqual([p.loadBalancerController.replicas, p.metricsServer.replicas, p.prometheusOperatorCrds.mode], [2, 2, "install"]);
    });

    it("defaults per environment when the section is absent", () => {
        const staging = loadStack("staging", (v) => delete v[`${NS}:platform`]).platform;
        assert.deepEqual([staging.loadBalancerController.replicas, staging.prometheusOperatorCrds.mode], [1, "off"]);
        const production = loadStack("production", (v) => delete v[`${NS}:platform`]).platform;
        assert.deepEqual([production.loadBalancerController.replicas, production.metricsServer.replicas, production.prometheusOperatorCrds.mode], [2, 2, "install"]);
    });

    it("refuses the ingress without the AWS Load Balancer Controller", () => {
        assert.deepEqual(refusedStack("staging", (v) => (platform(v).loadBalancerController.enabled = false)), [
            `${NS}:platform.loadBalancerController.enabled is false but ${NS}:argocd.ingress.enabled is true: nothing would serve the "alb" Ingress and the argo-cd chart would never become ready; enable the controller or turn the ingress off`,
        ]);
    });

    it("refuses ServiceMonitors with no Prometheus Operator CRDs and no statement that they are preinstalled", () => {
        assert.deepEqual(refusedStack("production", (v) => (platform(v).prometheusOperatorCrds.mode = "off")), [
            `${NS}:platform.prometheusOperatorCrds.mode is "off" but ${NS}:monitoring.serviceMonitors is true: the argo-cd chart renders ServiceMonitors and PrometheusRules only when the monitoring.coreos.com/v1 CRDs exist, so nothing would be created; set it to "install" (or "preinstalled" if the cluster already has them)`,
        ]);
        assert.equal(loadStack("production", (v) => (platform(v).prometheusOperatorCrds.mode = "preinstalled")).platform.prometheusOperatorCrds.mode, "preinstalled");
    });

    it("refuses repo-server autoscaling without metrics-server", () => {
        assert.deepEqual(refusedStack("production", (v) => (platform(v).metricsServer.enabled = false)), [
            `${NS}:platform.metricsServer.enabled is false but ${NS}:argocd.repoServer.autoscaling.enabled is true: a HorizontalPodAutoscaler without the metrics API never scales; enable metrics-server or use fixed replicas`,
        ]);
    });

    it("refuses an NVIDIA node group without the device plugin", () => {
        assert.deepEqual(refusedStack("production", (v) => (platform(v).nvidiaDevicePlugin.enabled = false)), [
            `${NS}:platform.nvidiaDevicePlugin.enabled is false but node group(s) ml-gpu run an NVIDIA AMI: without the device plugin no node advertises nvidia.com/gpu and GPU pods stay Pending; enable it or remove the NVIDIA node groups`,
        ]);
        assert.equal(loadStack("staging", (v) => (platform(v).nvidiaDevicePlugin.enabled = false)).platform.nvidiaDevicePlugin.enabled, false);
    });

    it("refuses a single controller or metrics-server replica in production", () => {
        assert.deepEqual(
            refusedStack("production", (v) => {
                platform(v).loadBalancerController.replicas = 1;
                platform(v).metricsServer.replicas = 1;
            }),
            [
                `${NS}:platform.loadBalancerController.replicas (1) must be at least 2 in production so the service stays up while a node is drained`,
                `${NS}:platform.metricsServer.replicas (1) must be at least 2 in production so the service stays up while a node is drained`,
            ],
        );
    });
});

describe("argocd ingress configuration", () => {
    it("refuses 0.0.0.0/0 in production and an internet-facing ingress without CIDRs or certificate", () => {
        assert.deepEqual(refusedStack("production", (v) => (ingress(v).inboundCidrs = ["0.0.0.0/0"])), [
            `${NS}:argocd.ingress.inboundCidrs (["0.0.0.0/0"]) must not contain 0.0.0.0/0 in production; list the office ranges and GitHub's hook ranges (https://api.github.com/meta, key \`hooks\`) instead`,
        ]);
        assert.deepEqual(
            refusedStack("staging", (v) => {
                ingress(v).inboundCidrs = [];
                delete ingress(v).certificateArn;
            }),
            [
                `${NS}:argocd.ingress.certificateArn is missing; expected the ACM certificate ARN of the Argo CD domain (arn:aws:acm:<region>:<account>:certificate/<id>) because ${NS}:argocd.ingress.enabled is true: the ALB serves HTTPS only`,
                `${NS}:argocd.ingress.inboundCidrs is empty; expected the CIDRs allowed to reach the internet-facing ALB (office ranges and GitHub's hook ranges), otherwise the controller opens it to 0.0.0.0/0`,
            ],
        );
    });

    it("refuses a certificate that is not an ACM ARN", () => {
        const problems = refusedStack("staging", (v) => (ingress(v).certificateArn = "arn:aws:iam::123456789012:server-certificate/argocd"));
        assert.equal(problems.length, 1);
        assert.match(problems[0], /^footanalytics-gitops:argocd\.ingress\.certificateArn \("arn:aws:iam::123456789012:server-certificate\/argocd"\) must be an ACM certificate ARN/);
    });

    it("refuses polling slower than 180s when no webhook can arrive (ingress internal or off), and allows it when one can", () => {
        const internal = (v: Values) => {
            ingress(v).scheme = "internal";
            v[`${NS}:argocd`].reconciliationTimeout = "600s";
        };
        assert.deepEqual(refusedStack("staging", internal), [
            `${NS}:argocd.reconciliationTimeout ("600s") must be at most 180s because ${NS}:argocd.ingress.scheme is "internal": no GitHub webhook reaches Argo CD, so polling is the only way changes are noticed`,
        ]);
        assert.deepEqual(
            refusedStack("production", (v) => {
                ingress(v).enabled = false;
                v[`${NS}:argocd`].reconciliationTimeout = "5m";
            }),
            [`${NS}:argocd.reconciliationTimeout ("5m") must be at most 180s because ${NS}:argocd.ingress.enabled is false: no GitHub webhook reaches Argo CD, so polling is the only way changes are noticed`],
        );
        assert.equal(loadStack("staging", (v) => (v[`${NS}:argocd`].reconciliationTimeout = "600s")).argocd.reconciliationTimeout, "600s");
    });

    it("refuses an upgrade policy EKS does not know and defaults it per environment", () => {
        assert.deepEqual([loadStack("staging").cluster.upgradePolicy, loadStack("production").cluster.upgradePolicy], ["STANDARD", "EXTENDED"]);
        assert.equal(loadStack("production", (v) => delete v[`${NS}:cluster`].upgradePolicy).cluster.upgradePolicy, "EXTENDED");
    });

    describe("node autoscaling and application secrets", () => {
        it("turns the Cluster Autoscaler and the External Secrets Operator on in both stacks, two replicas in production", () => {
            for (const [stack, replicas] of [["staging", 1], ["production", 2]] as const) {
                const p = loadStack(stack, (v) => {
                    delete platform(v).clusterAutoscaler;
                    delete platform(v).externalSecrets;
                }).platform;
                assert.deepEqual(
                    [p.clusterAutoscaler.enabled, p.clusterAutoscaler.chartVersion, p.clusterAutoscaler.replicas, p.clusterAutoscaler.expander, p.clusterAutoscaler.balanceSimilarNodeGroups, p.clusterAutoscaler.scaleDownUnneededTime],
                    [true, "9.59.0", replicas, "least-waste", true, "10m"],
                );
                assert.deepEqual(
                    [p.externalSecrets.enabled, p.externalSecrets.chartVersion, p.externalSecrets.replicas, p.externalSecrets.secretPaths, p.externalSecrets.kmsKeyArn],
                    [true, "2.9.0", replicas, [`footanalytics/${stack}/apps/*`], undefined],
                );
            }
        });

        it("refuses node groups with a size range while the autoscaler is off, naming each group and the fix", () => {
            assert.deepEqual(refusedStack("production", (v) => (platform(v).clusterAutoscaler.enabled = false)), [
                `${NS}:cluster.nodeGroups[0].maxSize (6) is above minSize (3) of node group "system" but ${NS}:platform.clusterAutoscaler.enabled is false: nothing would ever scale the group, so the range means nothing; enable the autoscaler or set maxSize to 3`,
                `${NS}:cluster.nodeGroups[1].maxSize (12) is above minSize (3) of node group "workloads" but ${NS}:platform.clusterAutoscaler.enabled is false: nothing would ever scale the group, so the range means nothing; enable the autoscaler or set maxSize to 3`,
                `${NS}:cluster.nodeGroups[2].maxSize (4) is above minSize (0) of node group "ml-gpu" but ${NS}:platform.clusterAutoscaler.enabled is false: nothing would ever scale the group, so the range means nothing; enable the autoscaler or set maxSize to 0`,
            ]);
        });

        it("accepts the autoscaler off when every node group has a fixed size", () => {
            const cfg = loadStack("staging", (v) => {
                platform(v).clusterAutoscaler.enabled = false;
                for (const g of v[`${NS}:cluster`].nodeGroups) g.maxSize = g.minSize = g.desiredSize = 2;
            });
            assert.equal(cfg.platform.clusterAutoscaler.enabled, false);
        });

        it("refuses a node group whose minSize exceeds its maxSize with the autoscaler on", () => {
            assert.deepEqual(refusedStack("staging", (v) => (v[`${NS}:cluster`].nodeGroups[1].minSize = 7)), [
                `${NS}:cluster.nodeGroups[1].minSize (7) must not exceed ${NS}:cluster.nodeGroups[1].maxSize (6)`,
            ]);
        });

        it("refuses the External Secrets Operator without any application secret path", () => {
            assert.deepEqual(refusedStack("staging", (v) => (platform(v).externalSecrets.secretPaths = [])), [
                `${NS}:platform.externalSecrets.secretPaths is empty but ${NS}:platform.externalSecrets.enabled is true: the operator's role could read no secret and every ExternalSecret would fail; list the applications' secrets (such as "footanalytics/staging/apps/*") or turn the operator off`,
            ]);
            assert.deepEqual(loadStack("staging", (v) => Object.assign(platform(v).externalSecrets, { enabled: false, secretPaths: [] })).platform.externalSecrets.enabled, false);
        });

        it("refuses a secret path outside the stack's applications, such as the program's own credentials", () => {
            assert.deepEqual(refusedStack("production", (v) => (platform(v).externalSecrets.secretPaths = ["footanalytics/production/apps/*", "footanalytics/production/argocd-repo-creds", "footanalytics/staging/apps/*"])), [
                `${NS}:platform.externalSecrets.secretPaths[1] ("footanalytics/production/argocd-repo-creds") must lie under "footanalytics/production/apps/": the operator's role reads the applications' secrets only, never the ones this program reads (repository, notification, SSO credentials)`,
                `${NS}:platform.externalSecrets.secretPaths[2] ("footanalytics/staging/apps/*") must lie under "footanalytics/production/apps/": the operator's role reads the applications' secrets only, never the ones this program reads (repository, notification, SSO credentials)`,
            ]);
        });

        it("refuses one autoscaler or operator replica in production", () => {
            assert.deepEqual(refusedStack("production", (v) => {
                platform(v).clusterAutoscaler.replicas = 1;
                platform(v).externalSecrets.replicas = 1;
            }), [
                `${NS}:platform.clusterAutoscaler.replicas (1) must be at least 2 in production so the service stays up while a node is drained`,
                `${NS}:platform.externalSecrets.replicas (1) must be at least 2 in production so the service stays up while a node is drained`,
            ]);
        });
    });
});
