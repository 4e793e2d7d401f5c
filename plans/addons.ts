/**
 * The EKS managed add-ons, versions pinned in config, and when each may be created: DaemonSets that
 * nodes need to become Ready (vpc-cni, kube-proxy, eks-pod-identity-agent) before the node groups,
 * Deployments that need nodes to schedule on (coredns, aws-ebs-csi-driver) after them. Pure.
 */
import { CLUSTER_DEFAULTS } from "@footanalytics/facts";

/** The pinned version of each managed add-on (config's `cluster.addons` satisfies it). */
export interface AddonVersions {
    readonly vpcCni: string;
    readonly coredns: string;
    readonly kubeProxy: string;
    readonly podIdentityAgent: string;
    readonly ebsCsiDriver: string;
}

/** When an add-on is created relative to the node groups. */
export type AddonPhase = "before-nodes" | "after-nodes";

/** One managed add-on. */
export interface AddonPlan {
    /** Key of the add-on in config (`vpcCni`), used in child names. */
    readonly key: keyof AddonVersions;
    readonly addonName: string;
    readonly addonVersion: string;
    /** JSON configuration values, when the add-on is configured. */
    readonly configurationValues?: string;
    /** Whether the add-on runs under its own IRSA role (planned by the component). */
    readonly irsa?: { readonly namespace: string; readonly serviceAccount: string; readonly policy: string };
    /** Whether the add-on's service account gets a role through EKS Pod Identity (the add-on's `podIdentityAssociations`). */
    readonly podIdentity?: { readonly serviceAccount: string; readonly policy: string };
    readonly phase: AddonPhase;
    readonly resolveConflictsOnCreate: string;
    readonly resolveConflictsOnUpdate: string;
    /** Keep the add-on's software on the cluster if the add-on resource is ever deleted (nodes keep networking). */
    readonly preserve: true;
}

/**
 * Configuration of the vpc-cni add-on: network policy enforcement on, so Argo CD's (and every
 * other) NetworkPolicy is enforced (https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html).
 */
export const VPC_CNI_CONFIGURATION = Object.freeze({ enableNetworkPolicy: "true" });

/** Plan the five managed add-ons. */
export function planAddons(versions: AddonVersions): AddonPlan[] {
    const common = {
        resolveConflictsOnCreate: CLUSTER_DEFAULTS.addonConflicts.onCreate,
        resolveConflictsOnUpdate: CLUSTER_DEFAULTS.addonConflicts.onUpdate,
        preserve: true as const,
    };
    const ebs = CLUSTER_DEFAULTS.ebsCsi;
    const cni = CLUSTER_DEFAULTS.cni;
    return [
        {
            key: "vpcCni",
            addonName: "vpc-cni",
            addonVersion: versions.vpcCni,
            configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION),
            podIdentity: { serviceAccount: cni.serviceAccount, policy: cni.policy },
            phase: "before-nodes",
            ...common,
        },
        { key: "kubeProxy", addonName: "kube-proxy", addonVersion: versions.kubeProxy, phase: "before-nodes", ...common },
        { key: "podIdentityAgent", addonName: "eks-pod-identity-agent", addonVersion: versions.podIdentityAgent, phase: "before-nodes", ...common },
        { key: "coredns", addonName: "coredns", addonVersion: versions.coredns, phase: "after-nodes", ...common },
        {
            key: "ebsCsiDriver",
            addonName: "aws-ebs-csi-driver",
            addonVersion: versions.ebsCsiDriver,
            irsa: { namespace: ebs.namespace, serviceAccount: ebs.serviceAccount, policy: ebs.policy },
            phase: "after-nodes",
            ...common,
        },
    ];
}

/** The default StorageClass (`CLUSTER_DEFAULTS.storageClass`): encrypted gp3, bound once the pod is scheduled, expandable. */
export function planDefaultStorageClass(): {
    readonly metadata: { readonly name: string; readonly annotations: Readonly<Record<string, string>> };
    readonly provisioner: string;
    readonly parameters: Readonly<Record<string, string>>;
    readonly volumeBindingMode: "WaitForFirstConsumer";
    readonly reclaimPolicy: "Delete";
    readonly allowVolumeExpansion: true;
} {
    const sc = CLUSTER_DEFAULTS.storageClass;
    return {
        metadata: { name: sc.name, annotations: { [sc.defaultAnnotation]: "true" } },
        provisioner: sc.provisioner,
        // aws-ebs-csi-driver StorageClass parameters (docs/parameters.md): volume type, encryption at rest with the account's EBS key.
        parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
        volumeBindingMode: "WaitForFirstConsumer",
        reclaimPolicy: "Delete",
        allowVolumeExpansion: true,
    };
}
