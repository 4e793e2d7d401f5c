/**
 * The plan of the cluster itself: the arguments of `eks.Cluster`, the standard tags, and which
 * resources are protected or retained. Pure; `index.ts` turns it into resources.
 */
import * as YAML from "yaml";
import { type AccessConfig, type AccessEntryPlan, planAccessEntries } from "../../plans/access";
import type { AddonVersions } from "../../plans/addons";
import type { VpcSettings } from "./network";
import type { NodeGroupSettings } from "./nodegroups";
import { CLUSTER_DEFAULTS, type Environment } from "@footanalytics/facts";

/**
 * The cluster's settings, as the component and its plans read them (config's `cluster` section
 * satisfies it; index.ts passes it). Defaults and validation live in config/; fixed choices in CLUSTER_DEFAULTS.
 */
export interface ClusterSettings extends AccessConfig {
    /** EKS cluster name (also the prefix of its children's AWS names). */
    readonly name: string;
    /** Kubernetes minor version of the control plane and the nodes. */
    readonly kubernetesVersion: string;
    /** What EKS does at the end of standard support: `STANDARD` or `EXTENDED`. */
    readonly upgradePolicy: string;
    /** The VPC to create or use. */
    readonly vpc: VpcSettings;
    /** The API server endpoints. */
    readonly endpoint: {
        /** Whether the API server has a public endpoint. */
        readonly publicAccess: boolean;
        /** Who may reach the public endpoint. */
        readonly publicAccessCidrs: readonly string[];
        /** Security groups admitted to the private endpoint. */
        readonly privateAccessSecurityGroupIds: readonly string[];
    };
    /** Roles that run previews (always a list here; empty when none). */
    readonly previewRoleArns: readonly string[];
    /** A customer-managed KMS key for Secret encryption; the component creates one when unset. */
    readonly kmsKeyArn?: string;
    /** Control-plane log types (none: no log group). */
    readonly logTypes: readonly string[];
    /** Retention of the control-plane log group, in days. */
    readonly logRetentionDays: number;
    /** EKS deletion protection (production protects the cluster regardless: `planSafety`). */
    readonly deletionProtection: boolean;
    /** The managed node groups. */
    readonly nodeGroups: readonly NodeGroupSettings[];
    /** Pinned managed add-on versions. */
    readonly addons: AddonVersions;
}

/** The tags the AWS provider sets on every AWS resource (`defaultTags`). */
export function standardTags(environment: Environment, costCentre: string, stack: string): Record<string, string> {
    const k = CLUSTER_DEFAULTS.tagKeys;
    return { [k.partOf]: CLUSTER_DEFAULTS.partOf, [k.environment]: environment, [k.costCentre]: costCentre, [k.stack]: stack, [k.managedBy]: "pulumi" };
}

/** `eks.Cluster` arguments that follow from config alone (network, role and key are added by the component). */
export interface ClusterArgsPlan {
    readonly name: string;
    readonly version: string;
    /** What EKS does at the end of standard support (`cluster.upgradePolicy`), stated instead of left to the API default. */
    readonly upgradePolicy: { readonly supportType: string };
    readonly authenticationMode: typeof CLUSTER_DEFAULTS.authenticationMode;
    readonly accessEntries: Readonly<Record<string, AccessEntryPlan>>;
    readonly createOidcProvider: true;
    readonly endpointPrivateAccess: true;
    readonly endpointPublicAccess: boolean;
    /** Only when the public endpoint is on (eks.Cluster refuses CIDRs otherwise). */
    readonly publicAccessCidrs?: readonly string[];
    readonly enabledClusterLogTypes: readonly string[];
    readonly deletionProtection: boolean;
    readonly skipDefaultNodeGroup: true;
    /** Managed nodes use the EKS-created cluster security group; eks.Cluster's extra groups are for self-managed nodes. */
    readonly skipDefaultSecurityGroups: true;
    /** Every add-on is an EKS managed add-on with a pinned version; none is installed self-managed first. */
    readonly bootstrapSelfManagedAddons: false;
    readonly corednsAddonOptions: { readonly enabled: false };
    readonly kubeProxyAddonOptions: { readonly enabled: false };
    /** Keep eks.Cluster from deploying its own CNI manifest; the vpc-cni managed add-on runs it. */
    readonly useDefaultVpcCni: true;
    readonly nodeAssociatePublicIpAddress: false;
}

/** Plan the `eks.Cluster` arguments of a managed-mode cluster. */
export function planCluster(config: ClusterSettings, partition: string): ClusterArgsPlan {
    return {
        name: config.name,
        version: config.kubernetesVersion,
        upgradePolicy: { supportType: config.upgradePolicy },
        authenticationMode: CLUSTER_DEFAULTS.authenticationMode,
        accessEntries: planAccessEntries(config, partition),
        createOidcProvider: true,
        endpointPrivateAccess: true,
        endpointPublicAccess: config.endpoint.publicAccess,
        ...(config.endpoint.publicAccess ? { publicAccessCidrs: [...config.endpoint.publicAccessCidrs] } : {}),
        enabledClusterLogTypes: [...config.logTypes],
        deletionProtection: config.deletionProtection,
        skipDefaultNodeGroup: true,
        skipDefaultSecurityGroups: true,
        bootstrapSelfManagedAddons: false,
        corednsAddonOptions: { enabled: false },
        kubeProxyAddonOptions: { enabled: false },
        useDefaultVpcCni: true,
        nodeAssociatePublicIpAddress: false,
    };
}

/** One inbound rule of the EKS cluster security group (`aws.vpc.SecurityGroupIngressRule`), without the group id. */
export interface EndpointIngressPlan {
    /** Child name suffix: the source security group id. */
    readonly key: string;
    readonly referencedSecurityGroupId: string;
    readonly ipProtocol: "tcp";
    readonly fromPort: 443;
    readonly toPort: 443;
    readonly description: string;
}

/** The rules that admit `endpoint.privateAccessSecurityGroupIds` to the private API endpoint (HTTPS). */
export function planEndpointIngress(endpoint: Pick<ClusterSettings["endpoint"], "privateAccessSecurityGroupIds">): EndpointIngressPlan[] {
    return endpoint.privateAccessSecurityGroupIds.map((sg) => ({
        key: sg,
        referencedSecurityGroupId: sg,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: `Kubernetes API (private endpoint) from ${sg}: cluster.endpoint.privateAccessSecurityGroupIds`,
    }));
}

/** Which resources Pulumi protects or keeps on delete. */
export interface SafetyPlan {
    /** `protect` on eks.Cluster (its children inherit it) and on the created KMS key, which is always retained on delete. */
    readonly protectCluster: boolean;
    /** `retainOnDelete` on the control-plane log group (audit evidence). */
    readonly retainLogs: boolean;
}

/**
 * Production always protects the cluster and its key (deliberate teardown goes through
 * `pulumi state unprotect`); other stacks follow `deletionProtection`. The key is always retained:
 * deleting it while the cluster lives makes every Secret unreadable and the cluster unrecoverable,
 * and a retained key costs one dollar a month.
 */
export function planSafety(environment: Environment, config: Pick<ClusterSettings, "deletionProtection">): SafetyPlan {
    const production = environment === "production";
    return {
        protectCluster: production || config.deletionProtection,
        retainLogs: production,
    };
}

/** The control-plane log group EKS writes to; created beforehand so its retention is ours. */
export function logGroupName(clusterName: string): string {
    return `/aws/eks/${clusterName}/cluster`;
}

/**
 * The API server URL of a kubeconfig (YAML or JSON): the server of the current context's cluster,
 * else of the only cluster. Undefined when it cannot be told.
 */
export function kubeconfigServer(text: string): string | undefined {
    let doc: unknown;
    try {
        doc = YAML.parse(text);
    } catch {
        return undefined;
    }
    if (doc === null || typeof doc !== "object") return undefined;
    const k = doc as { "current-context"?: string; contexts?: { name?: string; context?: { cluster?: string } }[]; clusters?: { name?: string; cluster?: { server?: string } }[] };
    const clusters = k.clusters ?? [];
    const current = k.contexts?.find((c) => c.name === k["current-context"])?.context?.cluster;
    const cluster = current !== undefined ? clusters.find((c) => c.name === current) : clusters.length === 1 ? clusters[0] : undefined;
    return cluster?.cluster?.server;
}
