import * as assert from "assert/strict";
import { loadBalancerControllerPolicy, podIdentityTrustPolicy } from "../../../components/platform/iam";
import { planPlatform, PLATFORM_DEFAULTS } from "../../../components/platform/values";
import { loadStack, StackName } from "../../helpers";

const CLUSTER = { clusterName: "footanalytics-production", region: "eu-west-1", vpcId: "vpc-0a1b2c3d4e5f67890" };

function plan(stack: StackName, edit?: (v: Record<string, any>) => void) { // eslint-disable-line @typescript-eslint/no-explicit-any
    const cfg = loadStack(stack, edit);
    return planPlatform({ config: cfg.platform, environment: cfg.environment, clusterMode: cfg.cluster.mode, nodeGroups: cfg.cluster.nodeGroups, cluster: CLUSTER });
}

describe("platform plan", () => {
    it("installs the CRDs, the controller, metrics-server and the device plugin in production, each pinned", () => {
        assert.deepEqual(
            plan("production").map((p) => [p.service, p.chart, p.version, p.repository, p.namespace, p.retainOnDelete]),
            [
                ["prometheusOperatorCrds", "prometheus-operator-crds", "31.0.1", "https://prometheus-community.github.io/helm-charts", "kube-system", true],
                ["loadBalancerController", "aws-load-balancer-controller", "3.5.0", "https://aws.github.io/eks-charts", "kube-system", false],
                ["metricsServer", "metrics-server", "3.13.1", "https://kubernetes-sigs.github.io/metrics-server", "kube-system", false],
                ["nvidiaDevicePlugin", "nvidia-device-plugin", "0.20.0", "https://nvidia.github.io/k8s-device-plugin", "kube-system", false],
            ],
        );
    });

    it("installs no CRDs and no device plugin in staging (ServiceMonitors off, no NVIDIA node group)", () => {
        assert.deepEqual(plan("staging").map((p) => p.service), ["loadBalancerController", "metricsServer"]);
    });

    it("installs nothing that needs AWS on an existing cluster", () => {
        const cfg = loadStack("production");
        const services = planPlatform({ config: cfg.platform, environment: cfg.environment, clusterMode: "existing", nodeGroups: cfg.cluster.nodeGroups, cluster: CLUSTER }).map((p) => p.service);
        assert.deepEqual(services, ["prometheusOperatorCrds", "metricsServer"]);
    });

    it("gives the controller its cluster name, region and VPC id explicitly, named service account, probes, and HA in production", () => {
        const lbc = plan("production").find((p) => p.service === "loadBalancerController");
        assert.deepEqual(lbc?.values, {
            clusterName: "footanalytics-production",
            region: "eu-west-1",
            additionalLabels: { "footanalytics.io/environment": "production" },
            vpcId: "vpc-0a1b2c3d4e5f67890",
            replicaCount: 2,
            resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
            serviceAccount: { create: true, name: "aws-load-balancer-controller" },
            ingressClass: "alb",
            createIngressClassResource: true,
            // Internal-only for every namespace; the Argo CD ALB has its own class.
            ingressClassParams: { create: true, name: "alb", spec: { scheme: "internal" } },
            disableIngressClassAnnotation: true,
            disableIngressGroupNameAnnotation: true,
            enableServiceMutatorWebhook: false,
            livenessProbe: { httpGet: { path: "/healthz", port: 61779, scheme: "HTTP" }, initialDelaySeconds: 30, timeoutSeconds: 10, failureThreshold: 2 },
            readinessProbe: { httpGet: { path: "/readyz", port: 61779, scheme: "HTTP" }, initialDelaySeconds: 10, timeoutSeconds: 10, failureThreshold: 2 },
            podDisruptionBudget: { maxUnavailable: 1 },
            topologySpreadConstraints: [
                {
                    maxSkew: 1,
                    topologyKey: "topology.kubernetes.io/zone",
                    whenUnsatisfiable: "ScheduleAnyway",
                    labelSelector: { matchLabels: { "app.kubernetes.io/name": "aws-load-balancer-controller", "app.kubernetes.io/instance": "aws-load-balancer-controller" } },
                },
            ],
            nodeSelector: { "footanalytics.io/node-role": "system" },
            tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
        });
    });

    it("puts metrics-server on the system nodes of a cluster the program created, and leaves an existing cluster's placement alone", () => {
        const ms = plan("production").find((p) => p.service === "metricsServer");
        assert.deepEqual([ms?.values.nodeSelector, ms?.values.tolerations], [{ "footanalytics.io/node-role": "system" }, [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }]]);
        const cfg = loadStack("production");
        const existing = planPlatform({ config: cfg.platform, environment: cfg.environment, clusterMode: "existing", nodeGroups: cfg.cluster.nodeGroups, cluster: CLUSTER }).find((p) => p.service === "metricsServer");
        assert.equal(existing?.values.nodeSelector, undefined);
        assert.equal(existing?.values.tolerations, undefined);
    });

    it("runs one metrics-server without a budget or spread in staging", () => {
        const ms = plan("staging").find((p) => p.service === "metricsServer");
        assert.deepEqual([ms?.values.replicas, ms?.values.podDisruptionBudget, ms?.values.topologySpreadConstraints], [1, { enabled: false }, []]);
        assert.deepEqual(ms?.values.commonLabels, { "footanalytics.io/environment": "staging" });
    });

    it("schedules the device plugin only on the NVIDIA node groups, tolerating their taints", () => {
        const dp = plan("production").find((p) => p.service === "nvidiaDevicePlugin");
        assert.deepEqual(dp?.values.affinity, {
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [{ matchExpressions: [{ key: "footanalytics.io/node-group", operator: "In", values: ["ml-gpu"] }] }],
                },
            },
        });
        assert.deepEqual(dp?.values.tolerations, [
            { key: "CriticalAddonsOnly", operator: "Exists" },
            { key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" },
        ]);
    });
});

describe("AWS Load Balancer Controller IAM", () => {
    it("trusts EKS Pod Identity only", () => {
        assert.deepEqual(podIdentityTrustPolicy().Statement, [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }]);
    });

    it("allows changes and deletes only on resources tagged for the cluster, and uses the region's partition", () => {
        const policy = loadBalancerControllerPolicy("aws-cn");
        const bySid = new Map(policy.Statement.map((s) => [s.Sid as string, s]));
        assert.deepEqual(bySid.get("ManageOwnLoadBalancers")?.Condition, { Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } });
        assert.deepEqual(bySid.get("CreateTaggedLoadBalancers")?.Condition, { Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" } });
        assert.equal(bySid.get("RegisterTargets")?.Resource, "arn:aws-cn:elasticloadbalancing:*:*:targetgroup/*/*");
        assert.equal(policy.Statement.length, 16);
        const unconditionalWrites = policy.Statement.filter((s) => s.Condition === undefined && s.Resource === "*").flatMap((s) => s.Action as string[]).filter((a) => !/:(Describe|Get|List)/.test(a));
        assert.deepEqual(unconditionalWrites, [
            "waf-regional:AssociateWebACL",
            "waf-regional:DisassociateWebACL",
            "wafv2:AssociateWebACL",
            "wafv2:DisassociateWebACL",
            "shield:CreateProtection",
            "shield:DeleteProtection",
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupIngress",
            "ec2:CreateSecurityGroup",
            "elasticloadbalancing:CreateListener",
            "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:CreateRule",
            "elasticloadbalancing:DeleteRule",
            "elasticloadbalancing:SetWebAcl",
            "elasticloadbalancing:ModifyListener",
            "elasticloadbalancing:AddListenerCertificates",
            "elasticloadbalancing:RemoveListenerCertificates",
            "elasticloadbalancing:ModifyRule",
            "elasticloadbalancing:SetRulePriorities",
        ]);
    });

    it("names the controller's service account in one place", () => {
        assert.equal(PLATFORM_DEFAULTS.loadBalancerController.serviceAccount, "aws-load-balancer-controller");
    });
});
