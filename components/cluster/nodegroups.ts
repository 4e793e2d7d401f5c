/**
 * The plan of the EKS managed node groups: one launch template per group (IMDSv2 required, hop
 * limit 1, encrypted gp3 root volume) and the node group itself (Amazon Linux 2023, sizes, capacity
 * type, labels, taints). Pure: the component adds the cluster name, role, subnets and template id.
 */
import { AmiType, inferAmiType, NodeGroupConfig } from "../../config/schema/cluster";
import { CLUSTER_DEFAULTS, SYSTEM_NODES } from "./defaults";

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
    readonly role: NodeGroupConfig["role"];
    readonly launchTemplate: LaunchTemplatePlan;
    readonly nodeGroup: NodeGroupArgsPlan;
}

/** Label every node carries with the name of its node group (for affinities and debugging). */
export const NODE_GROUP_LABEL = "footanalytics.io/node-group";

/** The AMI type of a node group: the configured one, else the one its first instance type needs. */
export function amiTypeOf(group: Pick<NodeGroupConfig, "amiType" | "instanceTypes">): AmiType {
    return group.amiType ?? inferAmiType(group.instanceTypes[0]);
}

/**
 * Plan every node group. `tags` are the stack's standard tags: launch template tag
 * specifications carry them to the instances and volumes, which the provider's default tags do not reach.
 */
export function planNodeGroups(clusterName: string, kubernetesVersion: string, groups: readonly NodeGroupConfig[], tags: Readonly<Record<string, string>>): NodeGroupPlan[] {
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
                tags: { Name: name },
            },
        };
    });
}
