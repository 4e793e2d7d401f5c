/**
 * What `npm run plan` prints besides the resource tree: the bootstrap order as the plan's
 * dependencies really are (cluster → cluster services → Argo CD chart → GitOps objects), and
 * warnings for values that cannot work on a real account (example values in the stack file, a
 * Kubernetes version past EKS standard support). Pure functions over a plan and a stack file.
 */
import { isoDay, NODE_GROUP_ROLE_TAG, supportWarning } from "@footanalytics/facts";
import type { StackValue } from "./harness";

/** The slice of a planned resource these checks read. */
export interface PlanResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly parent?: string;
    readonly inputs: Record<string, unknown>;
    readonly options: { readonly dependsOn: readonly string[] };
}

/** One step of the bootstrap order and the resources that make it up. */
export interface BootstrapStep {
    readonly step: "cluster" | "cluster services" | "Argo CD chart" | "GitOps objects";
    readonly resources: readonly string[];
}

/** The order, and every edge that is missing from it. */
export interface BootstrapOrder {
    readonly steps: readonly BootstrapStep[];
    readonly problems: readonly string[];
}

const CHART = "kubernetes:helm.sh/v4:Chart";
const K8S_PROVIDER = "pulumi:providers:kubernetes";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const ADDON = "aws:eks/addon:Addon";

/**
 * The bootstrap order of a plan: step 1 is the Kubernetes provider (it waits for the system node
 * group and the add-ons), step 2 the platform charts, step 3 the argo-cd chart, step 4 the children
 * of the GitOps component. Each resource of a step must depend on every resource of the previous
 * non-empty step. No add-on and no Kubernetes provider may wait for a node group other than the
 * system one (tagged NODE_GROUP_ROLE_TAG): a workload or GPU group that cannot get capacity must not
 * hold up the rest of the bootstrap.
 */
export function bootstrapOrder(resources: readonly PlanResource[]): BootstrapOrder {
    const components = new Map(resources.filter((r) => r.type.startsWith("footanalytics:")).map((r) => [r.urn, r.type]));
    const provider = resources.filter((r) => r.type === K8S_PROVIDER);
    const platformCharts = resources.filter((r) => r.type === CHART && components.get(r.parent ?? "") === "footanalytics:platform:PlatformServices");
    const argocdChart = resources.filter((r) => r.type === CHART && r.inputs.chart === "argo-cd");
    const gitops = resources.filter((r) => components.get(r.parent ?? "") === "footanalytics:gitops:GitOps" && r.type.startsWith("kubernetes:argoproj.io/"));
    const steps: BootstrapStep[] = [
        { step: "cluster", resources: provider.map((r) => r.name) },
        { step: "cluster services", resources: platformCharts.map((r) => r.name) },
        { step: "Argo CD chart", resources: argocdChart.map((r) => r.name) },
        { step: "GitOps objects", resources: gitops.map((r) => r.name) },
    ];
    const members = [provider, platformCharts, argocdChart, gitops];
    const problems: string[] = [];
    const roleOf = (g: PlanResource) => (g.inputs.tags as Record<string, unknown> | undefined)?.[NODE_GROUP_ROLE_TAG];
    const groups = resources.filter((r) => r.type === NODE_GROUP);
    const others = groups.filter((g) => roleOf(g) !== "system");
    for (const r of resources.filter((x) => x.type === ADDON || x.type === K8S_PROVIDER)) {
        for (const g of others) {
            if (r.options.dependsOn.includes(g.urn)) problems.push(`${r.name} dependsOn ${g.name}, a ${String(roleOf(g) ?? "untagged")} node group: only the system node group may hold up the bootstrap`);
        }
    }
    const system = groups.filter((g) => roleOf(g) === "system");
    for (const p of provider) {
        for (const g of system) {
            if (!p.options.dependsOn.includes(g.urn)) problems.push(`${p.name} (cluster) does not dependOn ${g.name}, the system node group`);
        }
    }
    let previous: readonly PlanResource[] = [];
    let previousStep = "";
    members.forEach((current, i) => {
        for (const r of current) {
            for (const before of previous) {
                if (!r.options.dependsOn.includes(before.urn)) problems.push(`${r.name} (${steps[i].step}) does not dependOn ${before.name} (${previousStep})`);
            }
        }
        if (current.length > 0) {
            previous = current;
            previousStep = steps[i].step;
        }
    });
    return { steps, problems };
}

/** The order as printed after a plan. */
export function formatBootstrapOrder(order: BootstrapOrder): string {
    const lines = ["Bootstrap order (each step dependsOn the previous):"];
    order.steps.forEach((s, i) => lines.push(`  ${i + 1}. ${s.step}: ${s.resources.length > 0 ? s.resources.join(", ") : "(none)"}`));
    for (const p of order.problems) lines.push(`  ! ${p}`);
    return lines.join("\n");
}

/** Values reserved for documentation: they never work on a real account. */
const EXAMPLE_CIDRS = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"] as const;
/** Account ids of the AWS documentation and of this repository's stack files. */
const EXAMPLE_ACCOUNTS = ["123456789012", "210987654321", "111122223333", "444455556666"] as const;
const ZERO_ID = "00000000-0000-0000-0000-000000000000";

function ipv4(v: string): number | undefined {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(v);
    if (!m) return undefined;
    return m.slice(1, 5).reduce((n, o) => n * 256 + Number(o), 0);
}

/** Whether a CIDR lies inside a documentation range (RFC 5737). */
function isDocumentationCidr(v: string): boolean {
    const ip = ipv4(v);
    if (ip === undefined) return false;
    return EXAMPLE_CIDRS.some((range) => {
        const base = ipv4(range) as number;
        return ip >= base && ip < base + 256;
    });
}

/** Why a string is an example value, or undefined. */
function exampleReason(v: string): string | undefined {
    if (isDocumentationCidr(v)) return `documentation IP range (RFC 5737) ${v}`;
    const account = EXAMPLE_ACCOUNTS.find((a) => v.includes(`:${a}:`));
    if (account !== undefined) return `example AWS account id ${account}`;
    if (v.includes(ZERO_ID)) return `placeholder id ${ZERO_ID}`;
    return undefined;
}

/**
 * Every key of the stack file's config holding an example value, with why (`cluster.endpoint.publicAccessCidrs[0]`:
 * documentation IP range …). Secure values are skipped.
 */
export function exampleValueWarnings(config: Readonly<Record<string, StackValue>>): string[] {
    const warnings: string[] = [];
    const walk = (value: unknown, key: string) => {
        if (typeof value === "string") {
            const why = exampleReason(value);
            if (why !== undefined) warnings.push(`${key} holds an example value (${why}); replace it before the first \`pulumi up\` (docs/operations.md)`);
        } else if (Array.isArray(value)) {
            value.forEach((v, i) => walk(v, `${key}[${i}]`));
        } else if (value !== null && typeof value === "object" && !("secure" in value)) {
            for (const [k, v] of Object.entries(value)) walk(v, `${key}.${k}`);
        }
    };
    for (const [k, v] of Object.entries(config)) walk(v, k);
    return warnings;
}

/** The EKS support advisory of every EKS cluster in the plan, on `today` (`YYYY-MM-DD`). */
export function eksSupportWarnings(resources: readonly PlanResource[], today: string = isoDay(new Date())): string[] {
    return resources
        .filter((r) => r.type === "eks:index:Cluster" && typeof r.inputs.version === "string")
        .flatMap((r) => {
            const w = supportWarning(r.inputs.version as string, today);
            return w === undefined ? [] : [`${r.name}: ${w}`];
        });
}
