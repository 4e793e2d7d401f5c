import { bool, derived, int, list, obj, perEnv, problem, problemText, record, section, str, TypeOf } from "../dsl";
import * as fmt from "../formats";

/** Requests and limits of one node group's taint. */
const taint = obj(
    {
        key: str({ description: "Taint key." }),
        value: str({ description: "Taint value.", optional: true }),
        effect: str({ description: "Taint effect.", oneOf: ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"] as const }),
    },
    { description: "A node taint in the EKS API's form." },
);

/** One EKS managed node group. */
export const nodeGroup = obj(
    {
        name: str({ description: "Node group name, unique in the cluster.", format: fmt.dns1123Label }),
        role: str({ description: "`system` runs Argo CD and cluster add-ons; `workload` runs the platform services.", oneOf: ["system", "workload"] as const }),
        instanceTypes: list(str({ description: "EC2 instance type.", format: fmt.instanceType }), { description: "Instance types, most preferred first.", minItems: 1 }),
        capacityType: str({ description: "On-demand or spot capacity.", oneOf: ["ON_DEMAND", "SPOT"] as const, default: "ON_DEMAND" }),
        minSize: int({ description: "Minimum node count.", min: 0, max: 450 }),
        desiredSize: int({ description: "Desired node count at creation (the autoscaler owns it afterwards).", min: 0, max: 450 }),
        maxSize: int({ description: "Maximum node count.", min: 1, max: 450 }),
        diskSizeGiB: int({ description: "Root volume size in GiB (gp3, encrypted).", min: 20, max: 16384, default: 50 }),
        labels: record(str({ description: "Label value." }), { description: "Kubernetes labels on every node.", default: {} }),
        taints: list(taint, { description: "Kubernetes taints on every node.", default: [] }),
    },
    {
        description: "An EKS managed node group.",
        rules(g, key, ctx) {
            if (g.minSize > g.desiredSize || g.desiredSize > g.maxSize) {
                problemText(
                    ctx,
                    `${key}.desiredSize`,
                    `${key} sizes (minSize ${g.minSize}, desiredSize ${g.desiredSize}, maxSize ${g.maxSize}) must satisfy minSize ≤ desiredSize ≤ maxSize`,
                );
            }
        },
    },
);

/** A managed add-on version pinned in config. */
const addonVersion = (name: string) => str({ description: `Version of the \`${name}\` EKS add-on.`, format: fmt.eksAddonVersion });

export const clusterSchema = section(
    {
        mode: str({
            description: "`managed` creates the VPC and EKS cluster; `existing` uses the secret `kubeconfig` key and creates no AWS resources.",
            oneOf: ["managed", "existing"] as const,
            default: "managed",
        }),
        name: str({
            description: "EKS cluster name.",
            format: fmt.dns1123Label,
            default: derived("`footanalytics-<stack>`", (ctx) => `footanalytics-${ctx.stack}`),
        }),
        kubernetesVersion: str({ description: "Kubernetes minor version of the control plane.", format: fmt.kubernetesVersion, default: "1.33" }),
        vpc: section(
            {
                mode: str({ description: "`create` a dedicated VPC, or use an `existing` one.", oneOf: ["create", "existing"] as const, default: "create" }),
                cidr: str({ description: "CIDR of the VPC created in `create` mode.", format: fmt.cidr, default: "10.0.0.0/16" }),
                availabilityZones: int({ description: "Availability zones spanned by the created VPC.", min: 2, max: 6, default: 3 }),
                natGateways: str({
                    description: "`single` NAT gateway, or `one-per-az` so an AZ outage keeps egress in the others.",
                    oneOf: ["single", "one-per-az"] as const,
                    default: perEnv<"single" | "one-per-az">("single", "one-per-az"),
                }),
                vpcId: str({ description: "Existing VPC id (`existing` mode).", format: fmt.vpcId, optional: true }),
                privateSubnetIds: list(str({ description: "Subnet id.", format: fmt.subnetId }), {
                    description: "Existing private subnet ids, in at least two AZs (`existing` mode).",
                    default: [],
                }),
                publicSubnetIds: list(str({ description: "Subnet id.", format: fmt.subnetId }), {
                    description: "Existing public subnet ids for internet-facing load balancers (`existing` mode).",
                    default: [],
                }),
            },
            {
                description: "Network of the cluster.",
                rules(v, key, ctx) {
                    if (v.mode === "existing") {
                        if (v.vpcId === undefined) problemText(ctx, `${key}.vpcId`, `${key}.vpcId is missing; expected a VPC id when ${key}.mode is "existing"`);
                        if (v.privateSubnetIds.length < 2) {
                            problem(ctx, `${key}.privateSubnetIds`, v.privateSubnetIds, `has ${v.privateSubnetIds.length} subnet(s); expected at least 2 private subnets in different AZs when ${key}.mode is "existing"`);
                        }
                        const all = [...v.privateSubnetIds, ...v.publicSubnetIds];
                        const repeated = all.filter((s, i) => all.indexOf(s) !== i);
                        if (repeated.length > 0) {
                            problemText(ctx, `${key}.privateSubnetIds`, `${key} lists subnet ${[...new Set(repeated)].join(", ")} more than once; each subnet may appear once across privateSubnetIds and publicSubnetIds`);
                        }
                    }
                },
            },
        ),
        endpoint: section(
            {
                publicAccess: bool({ description: "Expose the API server endpoint publicly (the private endpoint is always on).", default: perEnv(true, false) }),
                publicAccessCidrs: list(str({ description: "CIDR block.", format: fmt.cidr }), {
                    description: "CIDRs allowed to reach the public endpoint; required when it is on.",
                    default: [],
                }),
            },
            {
                description: "API server endpoint access.",
                rules(v, key, ctx) {
                    if (v.publicAccess && v.publicAccessCidrs.length === 0) {
                        problemText(ctx, `${key}.publicAccessCidrs`, `${key}.publicAccessCidrs is empty; expected the CIDRs allowed to reach the public endpoint when ${key}.publicAccess is true`);
                    }
                    if (ctx.env === "production" && v.publicAccessCidrs.includes("0.0.0.0/0")) {
                        problem(ctx, `${key}.publicAccessCidrs`, v.publicAccessCidrs, "must not contain 0.0.0.0/0 in production; list the office and CI CIDRs instead");
                    }
                },
            },
        ),
        adminRoleArns: list(str({ description: "IAM role ARN.", format: fmt.iamRoleArn }), {
            description: "IAM roles granted cluster admin through EKS access entries.",
            default: [],
        }),
        developerRoleArns: list(str({ description: "IAM role ARN.", format: fmt.iamRoleArn }), {
            description: "IAM roles granted namespace-scoped edit access through EKS access entries.",
            default: [],
        }),
        developerNamespaces: list(str({ description: "Namespace.", format: fmt.dns1123Label }), {
            description: "Namespaces the developer roles may edit.",
            default: ["footanalytics"],
            minItems: 1,
        }),
        kmsKeyArn: str({ description: "Existing KMS key for envelope encryption of Secrets; a rotating key is created when unset.", format: fmt.kmsKeyArn, optional: true }),
        logTypes: list(str({ description: "Log type.", oneOf: ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const }), {
            description: "Control-plane log types sent to CloudWatch.",
            default: perEnv<readonly ("api" | "audit" | "authenticator" | "controllerManager" | "scheduler")[]>([], ["api", "audit", "authenticator", "controllerManager", "scheduler"]),
            uniqueBy: (t) => t,
            uniqueLabel: "log type",
        }),
        logRetentionDays: int({ description: "Retention of the control-plane log group, in days.", min: 1, max: 3653, default: perEnv(30, 365) }),
        deletionProtection: bool({ description: "Protect the cluster and its KMS key from deletion (Pulumi `protect` and EKS deletion protection).", default: perEnv(false, true) }),
        nodeGroups: list(nodeGroup, {
            description: "Managed node groups; exactly one has role `system`.",
            minItems: 1,
            uniqueBy: (g) => g.name,
            uniqueLabel: "name",
            default: perEnv<readonly TypeOf<typeof nodeGroup>[]>(
                [
                    { name: "system", role: "system", instanceTypes: ["m7i.large"], capacityType: "ON_DEMAND", minSize: 1, desiredSize: 2, maxSize: 3, diskSizeGiB: 50, labels: { "footanalytics.io/node-role": "system" }, taints: [] },
                ],
                [
                    { name: "system", role: "system", instanceTypes: ["m7i.xlarge"], capacityType: "ON_DEMAND", minSize: 3, desiredSize: 3, maxSize: 6, diskSizeGiB: 100, labels: { "footanalytics.io/node-role": "system" }, taints: [] },
                ],
            ),
        }),
        addons: section(
            {
                vpcCni: addonVersion("vpc-cni"),
                coredns: addonVersion("coredns"),
                kubeProxy: addonVersion("kube-proxy"),
                podIdentityAgent: addonVersion("eks-pod-identity-agent"),
                ebsCsiDriver: addonVersion("aws-ebs-csi-driver"),
            },
            { description: "EKS managed add-on versions, pinned per Kubernetes version." },
        ),
    },
    {
        description: "The EKS cluster and its network.",
        rules(c, key, ctx) {
            if (c.mode !== "managed") return;
            const system = c.nodeGroups.filter((g) => g.role === "system");
            if (system.length !== 1) {
                problem(ctx, `${key}.nodeGroups`, c.nodeGroups.map((g) => g.name), `has ${system.length} node groups with role "system"; expected exactly one`);
            } else if (ctx.env === "production" && system[0].minSize < 3) {
                const i = c.nodeGroups.indexOf(system[0]);
                problem(
                    ctx,
                    `${key}.nodeGroups[${i}].minSize`,
                    system[0].minSize,
                    "must be at least 3 in production: the system node group spans three AZs because Argo CD's HA Redis needs three nodes",
                );
            }
            if (ctx.env === "production" && c.vpc.mode === "create" && c.vpc.availabilityZones < 3) {
                problem(ctx, `${key}.vpc.availabilityZones`, c.vpc.availabilityZones, "must be at least 3 in production so the system nodes spread over three AZs");
            }
        },
    },
);

export type ClusterConfig = TypeOf<typeof clusterSchema>;
export type NodeGroupConfig = TypeOf<typeof nodeGroup>;
