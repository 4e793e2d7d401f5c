/**
 * The plan of the EKS managed node groups: one launch template per group (IMDSv2 required, hop
 * limit 1, encrypted gp3 root volume) and the node group itself (Amazon Linux 2023, sizes, capacity
 * type, labels, taints). Pure: the component adds the cluster name, role, subnets and template id.
 */
import { type AmiType, CLUSTER_DEFAULTS, inferAmiType, NODE_GROUP_LABEL, NODE_GROUP_ROLE_TAG, SYSTEM_NODES } from "@footanalytics/facts";

/** One EKS managed node group, as the plan reads it (config's `cluster.nodeGroups[]` satisfies it). */
export interface NodeGroupSettings {
    /** Unique in the cluster; keys the children and labels the nodes (`NODE_GROUP_LABEL`). */
    readonly name: string;
    /** `system` runs Argo CD and the cluster services (tainted); `workload` the platform. */
    readonly role: "system" | "workload";
    /** Instance types, most preferred first. */
    readonly instanceTypes: readonly string[];
    /** `ON_DEMAND` or `SPOT`. */
    readonly capacityType: string;
    /** Node count bounds; `desiredSize` only at creation (the autoscaler owns it afterwards). */
    readonly minSize: number;
    readonly desiredSize: number;
    readonly maxSize: number;
    /** The AMI type; inferred from the first instance type when unset (`inferAmiType`). */
    readonly amiType?: AmiType;
    /** Root volume size in GiB. */
    readonly diskSizeGiB: number;
    /** Kubernetes labels on every node. */
    readonly labels: Readonly<Record<string, string>>;
    /** Kubernetes taints on every node, in the EKS API's form. */
    readonly taints: readonly NodeTaint[];
}

/** A node taint in the EKS API's form. */
export interface NodeTaint {
    readonly key: string;
    readonly value?: string;
    readonly effect: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE";
}

/** Launch template arguments of one node group (`aws.ec2.LaunchTemplate`). */
export interface LaunchTemplatePlan {
    readonly description: string;
    readonly updateDefaultVersion: true;
    readonly metadataOptions: typeof CLUSTER_DEFAULTS.metadataOptions;
    readonly blockDeviceMappings: readonly {
        readonly deviceName: string;
        readonly ebs: { readonly volumeSize: number; readonly volumeType: string; readonly encrypted: "true"; readonly deleteOnTermination: "true" };
    }[];
    readonly tagSpecifications: readonly { readonly resourceType: "instance" | "volume" | "network-interface"; readonly tags: Readonly<Record<string, string>> }[];
}

/** Node group arguments (`aws.eks.NodeGroup`) that follow from config alone. */
export interface NodeGroupArgsPlan {
    /** EKS appends a unique suffix, so a replacement can be created before the old group is deleted. */
    readonly nodeGroupNamePrefix: string;
    readonly amiType: AmiType;
    readonly version: string;
    readonly instanceTypes: readonly string[];
    readonly capacityType: "ON_DEMAND" | "SPOT";
    readonly scalingConfig: { readonly minSize: number; readonly desiredSize: number; readonly maxSize: number };
    readonly updateConfig: { readonly maxUnavailable: number };
    readonly nodeRepairConfig: { readonly enabled: true };
    readonly labels: Readonly<Record<string, string>>;
    readonly taints: readonly { readonly key: string; readonly value?: string; readonly effect: string }[];
    readonly tags: Readonly<Record<string, string>>;
}

/** Everything planned for one node group, keyed by its name. */
export interface NodeGroupPlan {
    readonly key: string;
    readonly role: NodeGroupSettings["role"];
    readonly launchTemplate: LaunchTemplatePlan;
    readonly nodeGroup: NodeGroupArgsPlan;
}

/** The node-group names live with the other facts (facts/names.ts). */
export { NODE_GROUP_LABEL, NODE_GROUP_ROLE_TAG };

/** The AMI type of a node group: the configured one, else the one its first instance type needs. */
export function amiTypeOf(group: Pick<NodeGroupSettings, "amiType" | "instanceTypes">): AmiType {
    return group.amiType ?? inferAmiType(group.instanceTypes[0]);
}

/**
 * Plan every node group. `tags` are the stack's standard tags: launch template tag
 * specifications carry them to the instances and volumes, which the provider's default tags do not reach.
 */
export function planNodeGroups(clusterName: string, kubernetesVersion: string, groups: readonly NodeGroupSettings[], tags: Readonly<Record<string, string>>): NodeGroupPlan[] {
    return groups.map((g) => {
        const name = `${clusterName}-${g.name}`;
        const specTags = { ...tags, Name: name, [NODE_GROUP_LABEL]: g.name };
        return {
            key: g.name,
            role: g.role,
            launchTemplate: {
                description: `Nodes of ${name}: IMDSv2 only (hop limit 1), encrypted gp3 root volume`,
                updateDefaultVersion: true,
                metadataOptions: CLUSTER_DEFAULTS.metadataOptions,
                blockDeviceMappings: [
                    {
                        deviceName: CLUSTER_DEFAULTS.rootDeviceName,
                        ebs: { volumeSize: g.diskSizeGiB, volumeType: CLUSTER_DEFAULTS.rootVolumeType, encrypted: "true", deleteOnTermination: "true" },
                    },
                ],
                tagSpecifications: (["instance", "volume", "network-interface"] as const).map((resourceType) => ({ resourceType, tags: specTags })),
            },
            nodeGroup: {
                nodeGroupNamePrefix: `${g.name}-`,
                amiType: amiTypeOf(g),
                // Nodes follow the control plane's version; the cluster is updated first (data edge).
                version: kubernetesVersion,
                instanceTypes: [...g.instanceTypes],
                capacityType: g.capacityType as "ON_DEMAND" | "SPOT",
                scalingConfig: { minSize: g.minSize, desiredSize: g.desiredSize, maxSize: g.maxSize },
                updateConfig: { maxUnavailable: CLUSTER_DEFAULTS.maxUnavailableNodes },
                nodeRepairConfig: { enabled: true },
                labels: { ...g.labels, ...(g.role === "system" ? { [SYSTEM_NODES.label.key]: SYSTEM_NODES.label.value } : {}), [NODE_GROUP_LABEL]: g.name },
                taints: [
                    ...((g.role === "system" && !g.taints.some((t) => t.key === SYSTEM_NODES.taint.key)) ? [{ ...SYSTEM_NODES.taint }] : []),
                    ...g.taints.map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect })),
                ],
                tags: { Name: name, [NODE_GROUP_ROLE_TAG]: g.role },
            },
        };
    });
}

/** Kubernetes taint effects by the EKS API's. */
const TAINT_EFFECTS: Readonly<Record<string, string>> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };

/**
 * Tags for the Auto Scaling group of a node group that may scale to zero, telling the Cluster
 * Autoscaler the labels and taints its nodes will carry (kubernetes/autoscaler cluster-autoscaler-1.35.0
 * cluster-autoscaler/cloudprovider/aws/README.md, "Auto-Discovery Setup": `node-template/label/<name>`
 * = value, `node-template/taint/<key>` = `<value>:<effect>`). Without them a group at zero nodes is
 * never chosen for a pod that selects its labels or tolerates its taints, because
 * `eks:DescribeNodegroup` is only consulted for a group that never had a node. Empty for a group whose
 * `minSize` is above zero: it always has a node to copy.
 */
export function scaleFromZeroTags(group: NodeGroupSettings): Record<string, string> {
    if (group.minSize > 0) return {};
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...group.labels, [NODE_GROUP_LABEL]: group.name })) tags[`k8s.io/cluster-autoscaler/node-template/label/${k}`] = v;
    for (const t of group.taints) tags[`k8s.io/cluster-autoscaler/node-template/taint/${t.key}`] = `${t.value ?? ""}:${TAINT_EFFECTS[t.effect] ?? t.effect}`;
    return tags;
}
