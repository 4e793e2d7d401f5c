/**
 * The plan of a dedicated cluster VPC: public and private subnets in each availability zone, NAT
 * gateways (one, or one per zone), and the route tables. Pure: the component creates what this returns.
 */
import { CLUSTER_DEFAULTS } from "@footanalytics/facts";

/** The cluster's VPC: one the program creates (`create`), or an existing one by id (config's `cluster.vpc` satisfies it). */
export interface VpcSettings {
    /** `create` or `existing`. */
    readonly mode: string;
    /** CIDR of a created VPC. */
    readonly cidr: string;
    /** Zones a created VPC spans. */
    readonly availabilityZones: number;
    /** One NAT gateway, or one per zone. */
    readonly natGateways: "single" | "one-per-az";
    /** The existing VPC (`existing` mode). */
    readonly vpcId?: string;
    /** The existing private subnets (`existing` mode). */
    readonly privateSubnetIds: readonly string[];
    /** The existing public subnets (`existing` mode; may be empty). */
    readonly publicSubnetIds: readonly string[];
}

/** Tags that let EKS and the AWS Load Balancer Controller discover subnets (https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html). */
export const SUBNET_ROLE_TAGS = Object.freeze({
    public: "kubernetes.io/role/elb",
    private: "kubernetes.io/role/internal-elb",
});

/** The cluster discovery tag key for a cluster name. */
export function clusterTagKey(clusterName: string): string {
    return `kubernetes.io/cluster/${clusterName}`;
}

/** One subnet to create. */
export interface SubnetPlan {
    /** Stable key used in child names (`public-1`, `private-2`). */
    readonly key: string;
    /** Index into the region's available zones. */
    readonly zoneIndex: number;
    readonly cidrBlock: string;
    readonly tags: Readonly<Record<string, string>>;
}

/** One NAT gateway (with its Elastic IP) in a public subnet. */
export interface NatGatewayPlan {
    readonly key: string;
    /** Key of the public subnet it lives in. */
    readonly publicSubnet: string;
    readonly tags: Readonly<Record<string, string>>;
}

/** One private route table: the private subnet of a zone, routed to a NAT gateway. */
export interface PrivateRoutePlan {
    readonly key: string;
    readonly privateSubnet: string;
    readonly natGateway: string;
    readonly tags: Readonly<Record<string, string>>;
}

/** Everything the created network consists of. */
export interface NetworkPlan {
    readonly vpc: { readonly cidrBlock: string; readonly enableDnsHostnames: true; readonly enableDnsSupport: true; readonly tags: Readonly<Record<string, string>> };
    readonly zoneCount: number;
    readonly publicSubnets: readonly SubnetPlan[];
    readonly privateSubnets: readonly SubnetPlan[];
    readonly natGateways: readonly NatGatewayPlan[];
    readonly privateRoutes: readonly PrivateRoutePlan[];
}

function toInt(ip: string): number {
    return ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
}

function toIp(n: number): string {
    return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

/**
 * The `index`-th block of `newBits` more prefix bits inside `cidr` (Terraform's `cidrsubnet`):
 * `subnetCidr("10.0.0.0/16", 3, 1)` is `"10.0.32.0/19"`.
 */
export function subnetCidr(cidr: string, newBits: number, index: number): string {
    const [ip, prefixText] = cidr.split("/");
    const prefix = Number(prefixText) + newBits;
    if (prefix > 28) throw new Error(`${cidr} is too small for ${newBits} more prefix bits (/${prefix}; AWS subnets are at most /28)`);
    if (index < 0 || index >= 2 ** newBits) throw new Error(`${cidr} has ${2 ** newBits} blocks of /${prefix}; index ${index} is out of range`);
    const base = toInt(ip);
    return `${toIp(base + index * 2 ** (32 - prefix))}/${prefix}`;
}

/** Plan the VPC of `create` mode for a cluster. */
export function planNetwork(clusterName: string, vpc: Pick<VpcSettings, "cidr" | "availabilityZones" | "natGateways">): NetworkPlan {
    const shared = { [clusterTagKey(clusterName)]: "shared" };
    const zones = Array.from({ length: vpc.availabilityZones }, (_, i) => i);
    const bits = CLUSTER_DEFAULTS.subnetBits;
    // Public subnets share the last eighth of the VPC: (2^private - 1) * 2^(public - private) is its first block.
    const publicBase = (2 ** bits.private - 1) * 2 ** (bits.public - bits.private);

    const publicSubnets = zones.map<SubnetPlan>((i) => ({
        key: `public-${i + 1}`,
        zoneIndex: i,
        cidrBlock: subnetCidr(vpc.cidr, bits.public, publicBase + i),
        tags: { Name: `${clusterName}-public-${i + 1}`, [SUBNET_ROLE_TAGS.public]: "1", ...shared },
    }));
    const privateSubnets = zones.map<SubnetPlan>((i) => ({
        key: `private-${i + 1}`,
        zoneIndex: i,
        cidrBlock: subnetCidr(vpc.cidr, bits.private, i),
        tags: { Name: `${clusterName}-private-${i + 1}`, [SUBNET_ROLE_TAGS.private]: "1", ...shared },
    }));
    const natZones = vpc.natGateways === "one-per-az" ? zones : [0];
    const natGateways = natZones.map<NatGatewayPlan>((i) => ({
        key: `nat-${i + 1}`,
        publicSubnet: publicSubnets[i].key,
        tags: { Name: `${clusterName}-nat-${i + 1}` },
    }));
    const privateRoutes = zones.map<PrivateRoutePlan>((i) => ({
        key: `private-${i + 1}`,
        privateSubnet: privateSubnets[i].key,
        // With one NAT gateway per zone, a zone's egress survives another zone's outage.
        natGateway: natGateways[vpc.natGateways === "one-per-az" ? i : 0].key,
        tags: { Name: `${clusterName}-private-${i + 1}` },
    }));

    return {
        vpc: { cidrBlock: vpc.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: clusterName, ...shared } },
        zoneCount: zones.length,
        publicSubnets,
        privateSubnets,
        natGateways,
        privateRoutes,
    };
}
