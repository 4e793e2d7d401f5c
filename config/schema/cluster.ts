import { AMI_TYPES, inferAmiType } from "@footanalytics/facts";
import { bool, derived, Field, int, list, obj, perEnv, PerEnvironment, problem, problemText, record, refined, section, str, TypeOf } from "../dsl";
import * as fmt from "../formats";

/** One node group taint. */
const taint = obj(
    {
        key: str({ description: "Taint key." }),
        value: str({ description: "Taint value.", optional: true }),
        effect: str({ description: "Taint effect.", oneOf: ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"] as const }),
    },
    { description: "A node taint in the EKS API's form." },
);

/** Longest node group name: EKS names are at most 63 characters and `nodeGroupNamePrefix` adds a 26-character suffix after a `-`. */
export const NODE_GROUP_NAME_MAX = 36;

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
        amiType: str({
            description: "Amazon Linux 2023 AMI type; inferred from the instance types when unset (Graviton → ARM_64, g/p families → NVIDIA, inf/trn → NEURON).",
            oneOf: AMI_TYPES,
            optional: true,
        }),
        diskSizeGiB: int({ description: "Root volume size in GiB (gp3, encrypted).", min: 20, max: 16384, default: 50 }),
        labels: record(str({ description: "Label value." }), { description: "Kubernetes labels on every node.", default: {} }),
        taints: list(taint, { description: "Kubernetes taints on every node.", default: [] }),
    },
    {
        description: "An EKS managed node group.",
        rules(g, key, ctx) {
            if (g.minSize > g.maxSize) {
                problem(ctx, `${key}.minSize`, g.minSize, `must not exceed ${key}.maxSize (${g.maxSize})`);
            } else if (g.desiredSize < g.minSize || g.desiredSize > g.maxSize) {
                problem(ctx, `${key}.desiredSize`, g.desiredSize, `must lie between ${key}.minSize (${g.minSize}) and ${key}.maxSize (${g.maxSize})`);
            }
            if (g.name.length > NODE_GROUP_NAME_MAX) {
                problem(ctx, `${key}.name`, g.name, `is ${g.name.length} characters; expected at most ${NODE_GROUP_NAME_MAX} because EKS adds a 26-character unique suffix to node group names (63 at most)`);
            }
            if (g.amiType === undefined) {
                const inferred = [...new Set(g.instanceTypes.map(inferAmiType))];
                if (inferred.length > 1) {
                    problem(ctx, `${key}.instanceTypes`, g.instanceTypes, `mixes instance types that need different AMI types (${inferred.join(", ")}); one node group runs one AMI, so split them into separate node groups`);
                }
            }
        },
    },
);

/** Prefix lengths a created VPC may have (its subnets are carved out of it by fixed fractions). */
export const VPC_PREFIX_MIN = 16;
export const VPC_PREFIX_MAX = 20;

/** Retention periods CloudWatch Logs accepts (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html). */
export const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** An integer field restricted to the retention periods CloudWatch Logs accepts. */
function logRetentionDays(opts: { readonly description: string; readonly default: PerEnvironment<number> }): Field<number> {
    return refined(
        int({ ...opts, min: 1, max: 3653 }),
        (n) => (LOG_RETENTION_DAYS.includes(n) ? undefined : `must be a CloudWatch retention value: ${LOG_RETENTION_DAYS.join(", ")}`),
        "CloudWatch retention in days",
    );
}

/** A managed add-on version pinned in config. */
const addonVersion = (name: string) => str({ description: `Version of the \`${name}\` EKS add-on (required in \`managed\` mode).`, format: fmt.eksAddonVersion, optional: true });

/** The EKS names of the managed add-ons, by config key. */
export const ADDON_NAMES = {
    vpcCni: "vpc-cni",
    coredns: "coredns",
    kubeProxy: "kube-proxy",
    podIdentityAgent: "eks-pod-identity-agent",
    ebsCsiDriver: "aws-ebs-csi-driver",
} as const;

/** EKS support types (`upgradePolicy.supportType`, https://docs.aws.amazon.com/eks/latest/APIReference/API_UpgradePolicyRequest.html). */
export const UPGRADE_POLICIES = ["STANDARD", "EXTENDED"] as const;

/** The five EKS control-plane log types (https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html). */
export const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** The cluster keys existing-cluster mode reads; every other key only configures a managed cluster. */
const EXISTING_MODE_KEYS: readonly string[] = ["mode", "name"];

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
        kubernetesVersion: str({
            description: "Kubernetes minor version of the control plane: one EKS offers (the dated table in facts/eks-versions.ts); plan and policy:check warn once it is past standard support.",
            format: fmt.kubernetesVersion,
            default: "1.35",
        }),
        upgradePolicy: str({
            description:
                "EKS `upgradePolicy.supportType` at the end of standard support: `STANDARD` lets EKS upgrade the control plane automatically, `EXTENDED` keeps the version in extended support (billed per cluster hour).",
            oneOf: UPGRADE_POLICIES,
            default: perEnv<(typeof UPGRADE_POLICIES)[number]>("STANDARD", "EXTENDED"),
        }),
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
                    if (v.mode === "create") {
                        const prefix = Number(v.cidr.split("/")[1]);
                        if (prefix < VPC_PREFIX_MIN || prefix > VPC_PREFIX_MAX) {
                            problem(ctx, `${key}.cidr`, v.cidr, `must be a /${VPC_PREFIX_MIN} to /${VPC_PREFIX_MAX} block: AWS allows at most /16, and the private subnets get an eighth of it each (pods take their IPs from them)`);
                        }
                        for (const k of ["vpcId", "privateSubnetIds", "publicSubnetIds"] as const) {
                            const given = k === "vpcId" ? v.vpcId !== undefined : v[k].length > 0;
                            if (given) problemText(ctx, `${key}.${k}`, `${key}.${k} is set but ${key}.mode is "create"; set ${key}.mode to "existing" to use an existing VPC, or remove ${key}.${k}`);
                        }
                    }
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
                    description: "CIDRs allowed to reach the public endpoint; required when it is on; in production never more than a /8 in total.",
                    default: [],
                }),
                privateAccessSecurityGroupIds: list(str({ description: "Security group id.", format: fmt.securityGroupId }), {
                    description:
                        "Security groups in the VPC (a self-hosted CI runner's, a bastion's) admitted to the private endpoint: each gets an inbound rule on TCP 443 of the EKS cluster security group, which admits only the cluster's own nodes otherwise.",
                    default: [],
                    uniqueBy: (g) => g,
                    uniqueLabel: "security group",
                }),
            },
            {
                description: "API server endpoint access.",
                rules(v, key, ctx) {
                    if (ctx.env === "production" && v.publicAccessCidrs.includes("0.0.0.0/0")) {
                        problem(ctx, `${key}.publicAccessCidrs`, v.publicAccessCidrs, "must not contain 0.0.0.0/0 in production; list the office and CI CIDRs instead");
                    } else if (ctx.env === "production") {
                        const why = fmt.cidrCoverageProblem(v.publicAccessCidrs);
                        if (why !== undefined) problem(ctx, `${key}.publicAccessCidrs`, v.publicAccessCidrs, why);
                    }
                },
            },
        ),
        adminRoleArns: list(str({ description: "IAM role ARN.", format: fmt.iamRoleArn }), {
            description: "IAM roles granted cluster admin through EKS access entries.",
            default: [],
            uniqueBy: (a) => a,
            uniqueLabel: "role",
        }),
        developerRoleArns: list(str({ description: "IAM role ARN.", format: fmt.iamRoleArn }), {
            description: "IAM roles granted namespace-scoped access (see `developerAccess`) through EKS access entries.",
            default: [],
            uniqueBy: (a) => a,
            uniqueLabel: "role",
        }),
        deployRoleArn: str({
            description:
                "IAM role that runs `pulumi up` (CI's deploy role). It must run the first `up`: EKS gives the cluster's creator a cluster-admin access entry of its own (pulumi-eks sets `bootstrapClusterCreatorAdminPermissions`), so the program creates none for it (pulumi-eks#2373).",
            format: fmt.iamRoleArn,
            optional: true,
        }),
        previewRoleArns: list(str({ description: "IAM role ARN.", format: fmt.iamRoleArn }), {
            description:
                "IAM roles that run `pulumi preview` (CI's preview role): AmazonEKSViewPolicy on the cluster plus the Kubernetes group `footanalytics:preview`, which may `get` the Secret `kube-system/aws-load-balancer-tls` the load balancer controller chart looks up when it renders.",
            default: [],
            uniqueBy: (a) => a,
            uniqueLabel: "role",
        }),
        developerAccess: str({
            description: "EKS access policy of the developer roles in `developerNamespaces`: `edit` (AmazonEKSEditPolicy) or `view` (AmazonEKSViewPolicy; production changes go through Git).",
            oneOf: ["edit", "view"] as const,
            default: perEnv<"edit" | "view">("edit", "view"),
        }),
        developerNamespaces: list(str({ description: "Namespace.", format: fmt.dns1123Label }), {
            description: "Namespaces the developer roles may edit.",
            default: ["footanalytics"],
            minItems: 1,
        }),
        kmsKeyArn: str({ description: "Existing KMS key for envelope encryption of Secrets; a rotating key is created when unset.", format: fmt.kmsKeyArn, optional: true }),
        logTypes: list(str({ description: "Log type.", oneOf: LOG_TYPES }), {
            description: "Control-plane log types sent to CloudWatch.",
            default: perEnv<readonly (typeof LOG_TYPES)[number][]>([], LOG_TYPES),
            uniqueBy: (t) => t,
            uniqueLabel: "log type",
        }),
        logRetentionDays: logRetentionDays({ description: "Retention of the control-plane log group, in days (a CloudWatch retention value).", default: perEnv(30, 365) }),
        deletionProtection: bool({ description: "Protect the cluster and its KMS key from deletion (Pulumi `protect` and EKS deletion protection).", default: perEnv(false, true) }),
        nodeGroups: list(nodeGroup, {
            description: "Managed node groups; exactly one has role `system`.",
            minItems: 1,
            uniqueBy: (g) => g.name,
            uniqueLabel: "name",
            default: perEnv<readonly TypeOf<typeof nodeGroup>[]>(
                [
                    { name: "system", role: "system", instanceTypes: ["m7i.large"], capacityType: "ON_DEMAND", minSize: 1, desiredSize: 2, maxSize: 3, amiType: "AL2023_x86_64_STANDARD", diskSizeGiB: 50, labels: { "footanalytics.io/node-role": "system" }, taints: [] },
                ],
                [
                    { name: "system", role: "system", instanceTypes: ["m7i.xlarge"], capacityType: "ON_DEMAND", minSize: 3, desiredSize: 3, maxSize: 6, amiType: "AL2023_x86_64_STANDARD", diskSizeGiB: 100, labels: { "footanalytics.io/node-role": "system" }, taints: [] },
                ],
            ),
        }),
        addons: section(
            {
                vpcCni: addonVersion(ADDON_NAMES.vpcCni),
                coredns: addonVersion(ADDON_NAMES.coredns),
                kubeProxy: addonVersion(ADDON_NAMES.kubeProxy),
                podIdentityAgent: addonVersion(ADDON_NAMES.podIdentityAgent),
                ebsCsiDriver: addonVersion(ADDON_NAMES.ebsCsiDriver),
            },
            { description: "EKS managed add-on versions, pinned per Kubernetes version." },
        ),
    },
    {
        description: "The EKS cluster and its network.",
        rules(c, key, ctx, given) {
            if (c.mode === "existing") {
                // Existing mode creates no AWS resources: a managed-mode key would be silently ignored.
                for (const k of [...given].filter((k) => !EXISTING_MODE_KEYS.includes(k))) {
                    problemText(ctx, `${key}.${k}`, `${key}.${k} is set but ${key}.mode is "existing", which creates no AWS resources and ignores it; remove it (existing mode reads only: ${EXISTING_MODE_KEYS.join(", ")})`);
                }
                return;
            }
            if (c.endpoint.publicAccess && c.endpoint.publicAccessCidrs.length === 0) {
                problemText(ctx, `${key}.endpoint.publicAccessCidrs`, `${key}.endpoint.publicAccessCidrs is empty; expected the CIDRs allowed to reach the public endpoint when ${key}.endpoint.publicAccess is true`);
            }
            for (const [k, name] of Object.entries(ADDON_NAMES)) {
                if (c.addons[k as keyof typeof ADDON_NAMES] === undefined) {
                    problemText(ctx, `${key}.addons.${k}`, `${key}.addons.${k} is missing; expected the version of the \`${name}\` EKS add-on (such as "v1.19.2-eksbuild.1") when ${key}.mode is "managed"`);
                }
            }
            if (c.deployRoleArn !== undefined) {
                for (const list of ["adminRoleArns", "developerRoleArns", "previewRoleArns"] as const) {
                    if (c[list].includes(c.deployRoleArn)) {
                        problemText(ctx, `${key}.${list}`, `${key}.${list} lists ${c.deployRoleArn}, which is ${key}.deployRoleArn; EKS gives the deploy role the creator's admin access entry, and a second entry fails with ResourceInUseException (pulumi-eks#2373): remove it from ${key}.${list}`);
                    }
                }
            }
            const previewAlso = c.previewRoleArns.filter((a) => c.adminRoleArns.includes(a) || c.developerRoleArns.includes(a));
            if (previewAlso.length > 0) {
                problemText(ctx, `${key}.previewRoleArns`, `${key}.previewRoleArns lists ${previewAlso.join(", ")}, also in ${key}.adminRoleArns or ${key}.developerRoleArns; an IAM role has one access entry, so list each role once`);
            }
            const both = c.developerRoleArns.filter((a) => c.adminRoleArns.includes(a));
            if (both.length > 0) {
                problemText(ctx, `${key}.developerRoleArns`, `${key}.developerRoleArns lists ${both.join(", ")}, also in ${key}.adminRoleArns; an IAM role has one access entry, so list each role once`);
            }
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
