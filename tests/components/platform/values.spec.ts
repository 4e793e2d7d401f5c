import * as assert from "assert/strict";
import { clusterAutoscalerPolicy, externalSecretsPolicy, loadBalancerControllerPolicy, podIdentityTrustPolicy } from "../../../components/platform/iam";
import { clusterSecretStoreSpec } from "../../../components/platform/secret-store";
import { scaleFromZeroTags } from "../../../components/cluster/nodegroups";
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
            plan("production").map((p) => [p.service, p.chart, p.version, p.repository, p.namespace]),
            [
                ["prometheusOperatorCrds", "prometheus-operator-crds", "31.0.1", "https://prometheus-community.github.io/helm-charts", "kube-system"],
                ["loadBalancerController", "aws-load-balancer-controller", "3.5.0", "https://aws.github.io/eks-charts", "kube-system"],
                ["metricsServer", "metrics-server", "3.13.1", "https://kubernetes-sigs.github.io/metrics-server", "kube-system"],
                ["nvidiaDevicePlugin", "nvidia-device-plugin", "0.20.0", "https://nvidia.github.io/k8s-device-plugin", "kube-system"],
                ["clusterAutoscaler", "cluster-autoscaler", "9.59.0", "https://kubernetes.github.io/autoscaler", "kube-system"],
                ["externalSecrets", "external-secrets", "2.9.0", "https://charts.external-secrets.io", "kube-system"],
            ],
        );
    });

    it("installs no CRDs and no device plugin in staging (ServiceMonitors off, no NVIDIA node group)", () => {
        assert.deepEqual(plan("staging").map((p) => p.service), ["loadBalancerController", "metricsServer", "clusterAutoscaler", "externalSecrets"]);
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

const spreadOf = (name: string) => [
    { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": name.startsWith("external-secrets") ? "external-secrets" : name } } },
];

describe("Cluster Autoscaler values", () => {
    const expected = (environment: "staging" | "production", clusterName: string, replicas: number, spread: unknown[]) => ({
        cloudProvider: "aws",
        awsRegion: "eu-west-1",
        autoDiscovery: { clusterName, tags: ["k8s.io/cluster-autoscaler/enabled", "k8s.io/cluster-autoscaler/{{ .Values.autoDiscovery.clusterName }}"] },
        nameOverride: "cluster-autoscaler",
        additionalLabels: { "footanalytics.io/environment": environment },
        replicaCount: replicas,
        resources: { requests: { cpu: "100m", memory: "300Mi" }, limits: { cpu: "500m", memory: "600Mi" } },
        rbac: { serviceAccount: { create: true, name: "cluster-autoscaler" } },
        extraArgs: {
            expander: "least-waste",
            "balance-similar-node-groups": true,
            "balancing-ignore-label_1": "footanalytics.io/node-group",
            "scale-down-unneeded-time": "10m",
            "skip-nodes-with-local-storage": false,
            "leader-elect": true,
        },
        podDisruptionBudget: { maxUnavailable: 1 },
        priorityClassName: "system-cluster-critical",
        securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
        containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        topologySpreadConstraints: spread,
    });

    it("discovers the production node groups by their tags, runs two replicas spread over zones with a budget", () => {
        assert.deepEqual(plan("production").find((p) => p.service === "clusterAutoscaler")?.values, expected("production", "footanalytics-production", 2, spreadOf("cluster-autoscaler")));
    });

    it("runs one replica without a spread in staging, with the expander and balancing stated", () => {
        assert.deepEqual(plan("staging").find((p) => p.service === "clusterAutoscaler")?.values, expected("staging", "footanalytics-production", 1, []));
    });

    it("is not installed on an existing cluster or when turned off", () => {
        const cfg = loadStack("production");
        assert.equal(planPlatform({ config: cfg.platform, environment: "production", clusterMode: "existing", nodeGroups: [], cluster: CLUSTER }).some((p) => p.service === "clusterAutoscaler"), false);
        const off = loadStack("staging", (v) => {
            v["footanalytics-gitops:platform"].clusterAutoscaler.enabled = false;
            for (const g of v["footanalytics-gitops:cluster"].nodeGroups) g.maxSize = g.desiredSize = g.minSize;
        });
        assert.equal(planPlatform({ config: off.platform, environment: "staging", clusterMode: "managed", nodeGroups: off.cluster.nodeGroups, cluster: CLUSTER }).some((p) => p.service === "clusterAutoscaler"), false);
    });

    it("may describe only this cluster's node groups and change only Auto Scaling groups EKS tagged for it", () => {
        assert.deepEqual(clusterAutoscalerPolicy({ partition: "aws", region: "eu-west-1", accountId: "123456789012", clusterName: "footanalytics-production" }), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "Discover",
                    Effect: "Allow",
                    Action: [
                        "autoscaling:DescribeAutoScalingGroups",
                        "autoscaling:DescribeAutoScalingInstances",
                        "autoscaling:DescribeLaunchConfigurations",
                        "autoscaling:DescribeScalingActivities",
                        "ec2:DescribeImages",
                        "ec2:DescribeInstanceTypes",
                        "ec2:DescribeLaunchTemplateVersions",
                        "ec2:GetInstanceTypesFromInstanceRequirements",
                    ],
                    Resource: "*",
                },
                { Sid: "DescribeOwnNodeGroups", Effect: "Allow", Action: ["eks:DescribeNodegroup"], Resource: "arn:aws:eks:eu-west-1:123456789012:nodegroup/footanalytics-production/*/*" },
                {
                    Sid: "ScaleOwnNodeGroups",
                    Effect: "Allow",
                    Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true", "aws:ResourceTag/k8s.io/cluster-autoscaler/footanalytics-production": "owned" } },
                },
            ],
        });
    });

    it("tags the GPU group's Auto Scaling group with its labels and taint so it scales from zero; groups with a minimum get none", () => {
        const groups = loadStack("production").cluster.nodeGroups;
        assert.deepEqual(groups.map(scaleFromZeroTags), [
            {},
            {},
            {
                "k8s.io/cluster-autoscaler/node-template/label/footanalytics.io/node-role": "ml",
                "k8s.io/cluster-autoscaler/node-template/label/footanalytics.io/node-group": "ml-gpu",
                "k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu": "true:NoSchedule",
            },
        ]);
        assert.deepEqual(loadStack("staging").cluster.nodeGroups.map(scaleFromZeroTags), [{}, {}]);
    });
});

describe("External Secrets Operator values", () => {
    const probes = {
        livenessProbe: { enabled: true, port: 8081, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 },
        readinessProbe: { enabled: true, port: 8081, initialDelaySeconds: 20, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 },
    };
    const expected = (environment: "staging" | "production", replicas: number) => {
        const production = environment === "production";
        const pdb = production ? { enabled: true, maxUnavailable: 1 } : { enabled: false };
        const spread = (name: string) => (production ? spreadOf(name) : []);
        const small = { requests: { cpu: "20m", memory: "64Mi" }, limits: { cpu: "100m", memory: "128Mi" } };
        return {
            installCRDs: true,
            commonLabels: { "footanalytics.io/environment": environment },
            replicaCount: replicas,
            leaderElect: true,
            serviceAccount: { create: true, name: "external-secrets" },
            processPushSecret: false,
            processClusterPushSecret: false,
            resources: production ? { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } } : { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
            livenessProbe: { enabled: true, spec: { port: 8082, httpGet: { port: "live", path: "/healthz" }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 5, successThreshold: 1 } },
            readinessProbe: { enabled: true, spec: { httpGet: { port: "live", path: "/readyz" }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 } },
            podDisruptionBudget: pdb,
            topologySpreadConstraints: spread("external-secrets"),
            webhook: { replicaCount: replicas, resources: small, ...probes, podDisruptionBudget: pdb, topologySpreadConstraints: spread("external-secrets-webhook") },
            certController: { replicaCount: replicas, resources: small, ...probes, podDisruptionBudget: pdb, topologySpreadConstraints: spread("external-secrets-cert-controller") },
        };
    };

    it("runs two of each Deployment with budgets and zone spreads in production, every container probed and sized", () => {
        assert.deepEqual(plan("production").find((p) => p.service === "externalSecrets")?.values, expected("production", 2));
    });

    it("runs one of each in staging", () => {
        assert.deepEqual(plan("staging").find((p) => p.service === "externalSecrets")?.values, expected("staging", 1));
    });

    it("reads only the application secrets, and decrypts only through Secrets Manager with the configured key", () => {
        const scope = { partition: "aws", region: "eu-west-1", accountId: "123456789012" };
        assert.deepEqual(externalSecretsPolicy(scope, ["footanalytics/staging/apps/*"], undefined), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ReadApplicationSecrets",
                    Effect: "Allow",
                    Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "secretsmanager:ListSecretVersionIds"],
                    Resource: ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:footanalytics/staging/apps/*"],
                },
            ],
        });
        const key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assert.deepEqual(externalSecretsPolicy(scope, ["footanalytics/production/apps/*", "footanalytics/production/apps/api-gateway/db"], key).Statement, [
            {
                Sid: "ReadApplicationSecrets",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "secretsmanager:ListSecretVersionIds"],
                Resource: ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:footanalytics/production/apps/*", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:footanalytics/production/apps/api-gateway/db-??????"],
            },
            { Sid: "DecryptThroughSecretsManager", Effect: "Allow", Action: ["kms:Decrypt"], Resource: key, Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } } },
        ]);
    });

    it("serves the ClusterSecretStore to the application namespaces only", () => {
        assert.deepEqual(clusterSecretStoreSpec("aws-secrets-manager", "eu-west-1", ["footanalytics"], "production"), {
            apiVersion: "external-secrets.io/v1",
            kind: "ClusterSecretStore",
            metadata: { name: "aws-secrets-manager", labels: { "footanalytics.io/environment": "production" } },
            spec: { provider: { aws: { service: "SecretsManager", region: "eu-west-1" } }, conditions: [{ namespaces: ["footanalytics"] }] },
        });
    });
});
