/**
 * The Amazon Linux 2023 AMI types of EKS managed node groups and which one an EC2 instance type
 * needs: config/ validates node groups with them, components/ plan the node groups and the NVIDIA
 * device plugin from them. (AL2 AMI types are deprecated; the names are those of the EKS API's
 * `amiType`: https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html.)
 */

/** The Amazon Linux 2023 AMI types of EKS managed node groups (AL2 is deprecated). */
export const AMI_TYPES = ["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NVIDIA", "AL2023_ARM_64_NVIDIA", "AL2023_x86_64_NEURON"] as const;
export type AmiType = (typeof AMI_TYPES)[number];

/**
 * The AMI type an EC2 instance type needs: Graviton types carry a `g` right after the generation
 * digit (`m7g`, `c7gn`, `g5g`), GPU families are `g` and `p`, AWS Neuron families `inf` and `trn`.
 */
export function inferAmiType(instanceType: string): AmiType {
    const family = instanceType.split(".")[0];
    const m = /^([a-z]+)(\d+)([a-z-]*)$/.exec(family);
    const series = m?.[1] ?? family;
    const arm = m !== null && m[3].startsWith("g");
    if (series === "inf" || series === "trn") return "AL2023_x86_64_NEURON";
    if (series === "g" || series === "p") return arm ? "AL2023_ARM_64_NVIDIA" : "AL2023_x86_64_NVIDIA";
    return arm ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

/** Whether a node group runs an NVIDIA AMI (configured or inferred from its instance types). */
export function isNvidiaNodeGroup(g: { readonly amiType?: string; readonly instanceTypes: readonly string[] }): boolean {
    const ami = g.amiType ?? inferAmiType(g.instanceTypes[0]);
    return ami.endsWith("_NVIDIA");
}
