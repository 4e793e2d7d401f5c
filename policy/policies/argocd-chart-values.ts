import { Finding, ResourceRule, RuleContext, toResourcePolicy } from "../lib/engine";
import { describeObject, ObjectIdentity, Subject } from "../lib/kube";
import { at, describe, isMissing, isRecord, isUnknown, knownString, UNKNOWN, Unknown } from "../lib/values";
import { missingResourceFields } from "./require-requests-limits";

/**
 * Value keys of the argo-cd chart (argoproj/argo-helm charts/argo-cd/values.yaml and README.md, chart 8.x-10.x)
 * and of its redis-ha subchart (DandyDeveloper/charts charts/redis-ha/values.yaml).
 */

const CHART_TYPES: ReadonlySet<string> = new Set(["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Release"]);

type Path = readonly string[];

/** A toggle that turns a probe on: chart default `false` means we must set it to true. */
interface ProbeToggle {
    readonly path: Path;
    readonly chartDefault: boolean;
}

/** One component of the chart: when it is rendered, where its container resources go, its probe toggles and PDB. */
interface Component {
    /** Values key prefix, e.g. `repoServer`. */
    readonly key: string;
    /** Whether the chart renders it: true, false, or unknown (skip). */
    readonly enabled: (values: unknown) => boolean | Unknown;
    /** `resources` paths of its containers; `fallback` is the chart's own fallback (`dex.initImage.resources` defaults to `dex.resources`). */
    readonly resources: readonly { readonly path: Path; readonly fallback?: Path }[];
    readonly probes: readonly ProbeToggle[];
    /** Production needs a PodDisruptionBudget: `<key>.pdb.enabled` (argo-cd) or a non-empty `podDisruptionBudget` (redis-ha). */
    readonly pdb?: { readonly path: Path; readonly style: "enabled" | "spec" };
}

/** `true` unless the value at `path` is `false`; unknown stays unknown. */
function onUnlessFalse(path: Path): (values: unknown) => boolean | Unknown {
    return (values) => {
        const value = at(values, path);
        return isUnknown(value) ? UNKNOWN : value !== false;
    };
}

/** `true` only when the value at `path` is `true`; unknown stays unknown. */
function onlyIfTrue(path: Path): (values: unknown) => boolean | Unknown {
    return (values) => {
        const value = at(values, path);
        return isUnknown(value) ? UNKNOWN : value === true;
    };
}

function both(...conditions: readonly ((values: unknown) => boolean | Unknown)[]): (values: unknown) => boolean | Unknown {
    return (values) => {
        const results = conditions.map((condition) => condition(values));
        if (results.includes(false)) {
            return false;
        }
        return results.some(isUnknown) ? UNKNOWN : true;
    };
}

const always = (): boolean => true;
const redisHaEnabled = onlyIfTrue(["redis-ha", "enabled"]);
const redisHaDisabled = (values: unknown): boolean | Unknown => {
    const on = redisHaEnabled(values);
    return isUnknown(on) ? UNKNOWN : !on;
};
const singleRedis = both(onUnlessFalse(["redis", "enabled"]), redisHaDisabled);

function probes(key: Path, chartDefault: boolean): readonly ProbeToggle[] {
    return [
        { path: [...key, "readinessProbe", "enabled"], chartDefault },
        { path: [...key, "livenessProbe", "enabled"], chartDefault },
    ];
}

function argoPdb(key: string): Component["pdb"] {
    return { path: [key, "pdb", "enabled"], style: "enabled" };
}

/**
 * Every component and container the chart renders. The controller, server and repo server probes are
 * always rendered (no toggle). The controller has no liveness probe in chart 10.1.1; a later chart's opt-in
 * `controller.livenessProbe.enabled` (argoproj/argo-helm#4051) is not required, as upstream removed the
 * probe on purpose (argoproj/argo-cd#9557).
 */
export const ARGO_CD_COMPONENTS: readonly Component[] = Object.freeze([
    { key: "controller", enabled: always, resources: [{ path: ["controller", "resources"] }], probes: [], pdb: argoPdb("controller") },
    { key: "server", enabled: always, resources: [{ path: ["server", "resources"] }], probes: [], pdb: argoPdb("server") },
    { key: "server.extensions", enabled: onlyIfTrue(["server", "extensions", "enabled"]), resources: [{ path: ["server", "extensions", "resources"] }], probes: [] },
    {
        key: "repoServer",
        enabled: always,
        resources: [{ path: ["repoServer", "resources"] }, { path: ["repoServer", "copyutil", "resources"] }],
        probes: [],
        pdb: argoPdb("repoServer"),
    },
    // Always rendered since chart 6.9.0.
    { key: "applicationSet", enabled: always, resources: [{ path: ["applicationSet", "resources"] }], probes: probes(["applicationSet"], false), pdb: argoPdb("applicationSet") },
    {
        key: "notifications",
        enabled: onUnlessFalse(["notifications", "enabled"]),
        resources: [{ path: ["notifications", "resources"] }],
        probes: probes(["notifications"], false),
        pdb: argoPdb("notifications"),
    },
    {
        key: "dex",
        enabled: onUnlessFalse(["dex", "enabled"]),
        resources: [{ path: ["dex", "resources"] }, { path: ["dex", "initImage", "resources"], fallback: ["dex", "resources"] }],
        probes: probes(["dex"], false),
        pdb: argoPdb("dex"),
    },
    { key: "redis", enabled: singleRedis, resources: [{ path: ["redis", "resources"] }], probes: probes(["redis"], false) },
    {
        key: "redis.exporter",
        enabled: both(singleRedis, onlyIfTrue(["redis", "exporter", "enabled"])),
        resources: [{ path: ["redis", "exporter", "resources"] }],
        probes: probes(["redis", "exporter"], false),
    },
    {
        key: "redis-ha",
        enabled: redisHaEnabled,
        resources: [
            { path: ["redis-ha", "redis", "resources"] },
            { path: ["redis-ha", "sentinel", "resources"] },
            { path: ["redis-ha", "init", "resources"] },
            { path: ["redis-ha", "splitBrainDetection", "resources"] },
        ],
        // On by default in the subchart; the split-brain sidecar has no probe setting at all.
        probes: [...probes(["redis-ha", "redis"], true), ...probes(["redis-ha", "sentinel"], true)],
        pdb: { path: ["redis-ha", "podDisruptionBudget"], style: "spec" },
    },
    {
        key: "redis-ha.haproxy",
        enabled: both(redisHaEnabled, onUnlessFalse(["redis-ha", "haproxy", "enabled"])),
        resources: [{ path: ["redis-ha", "haproxy", "resources"] }, { path: ["redis-ha", "haproxy", "init", "resources"] }],
        probes: probes(["redis-ha", "haproxy"], true),
        pdb: { path: ["redis-ha", "haproxy", "podDisruptionBudget"], style: "spec" },
    },
    {
        key: "redis-ha.exporter",
        enabled: both(redisHaEnabled, onlyIfTrue(["redis-ha", "exporter", "enabled"])),
        resources: [{ path: ["redis-ha", "exporter", "resources"] }],
        probes: [],
    },
    { key: "commitServer", enabled: onlyIfTrue(["commitServer", "enabled"]), resources: [{ path: ["commitServer", "resources"] }], probes: probes(["commitServer"], true) },
    // A Helm hook Job; issue 4 turns it off because Chart v4 does not run hooks.
    { key: "redisSecretInit", enabled: onUnlessFalse(["redisSecretInit", "enabled"]), resources: [{ path: ["redisSecretInit", "resources"] }], probes: [] },
]);

/** True for the argo-cd chart, however it is referenced (`argo-cd`, `argo/argo-cd`, `oci://…/argo-cd`). */
export function isArgoCdChart(chart: string): boolean {
    return chart.slice(chart.lastIndexOf("/") + 1) === "argo-cd";
}

interface ChartSubject {
    readonly id: ObjectIdentity;
    readonly values: unknown;
    readonly requireCpuLimits: boolean;
}

function chartFinding(chart: ChartSubject, component: string, problem: string): Finding {
    return { ...chart.id, container: component, message: `${describeObject(chart.id)} (argo-cd): ${problem}` };
}

function dotted(path: Path): string {
    return path.join(".");
}

function resourceFindings(chart: ChartSubject, component: Component): readonly Finding[] {
    return component.resources.flatMap(({ path, fallback }) => {
        const own = at(chart.values, path);
        const resources = (isMissing(own) && fallback !== undefined) ? at(chart.values, fallback) : own;
        const missing = missingResourceFields(resources, chart.requireCpuLimits);
        if (missing.length === 0) {
            return [];
        }
        return [chartFinding(chart, dotted(path.slice(0, -1)), `values ${dotted(path)} is missing ${missing.join(", ")}`)];
    });
}

function probeFindings(chart: ChartSubject, component: Component): readonly Finding[] {
    return component.probes.flatMap(({ path, chartDefault }) => {
        const value = at(chart.values, path);
        if (isUnknown(value)) {
            return [];
        }
        if (!chartDefault && value !== true) {
            return [chartFinding(chart, component.key, `values ${dotted(path)} is ${value === undefined ? "not set" : describe(value)}; set it to true, the chart leaves this probe off by default`)];
        }
        if (chartDefault && value === false) {
            return [chartFinding(chart, component.key, `values ${dotted(path)} is false; remove it or set it to true`)];
        }
        return [];
    });
}

function pdbFinding(chart: ChartSubject, component: Component): readonly Finding[] {
    if (component.pdb === undefined) {
        return [];
    }
    const value = at(chart.values, component.pdb.path);
    if (isUnknown(value)) {
        return [];
    }
    const path = dotted(component.pdb.path);
    if (component.pdb.style === "enabled" && value !== true) {
        return [chartFinding(chart, component.key, `values ${path} must be true in production so that a PodDisruptionBudget protects ${component.key}`)];
    }
    const hasBudget = isRecord(value) && (!isMissing(value.minAvailable) || !isMissing(value.maxUnavailable));
    if (component.pdb.style === "spec" && !hasBudget) {
        return [chartFinding(chart, component.key, `values ${path} must set minAvailable or maxUnavailable in production`)];
    }
    return [];
}

/** At least two pods: fixed `replicas` (chart default 1) or autoscaling with `minReplicas` (chart default 1). */
function replicaFindings(chart: ChartSubject, key: "server" | "repoServer"): readonly Finding[] {
    const autoscaling = at(chart.values, [key, "autoscaling", "enabled"]);
    if (isUnknown(autoscaling)) {
        return [];
    }
    const path = autoscaling === true ? [key, "autoscaling", "minReplicas"] : [key, "replicas"];
    const value = at(chart.values, path);
    if (isUnknown(value)) {
        return [];
    }
    const count = value ?? 1;
    if (typeof count === "number" && count >= 2) {
        return [];
    }
    const alternative = autoscaling === true ? "" : ` (or enable ${key}.autoscaling with minReplicas of at least 2)`;
    return [chartFinding(chart, key, `values ${dotted(path)} (${describe(count)}) must be at least 2 in production${alternative}`)];
}

function haFindings(chart: ChartSubject, enabled: readonly Component[]): readonly Finding[] {
    const redisHa = at(chart.values, ["redis-ha", "enabled"]);
    const redisFinding =
        (isUnknown(redisHa) || redisHa === true) ? [] : [chartFinding(chart, "redis-ha", "values redis-ha.enabled must be true in production (Redis highly available)")];
    return [...redisFinding, ...replicaFindings(chart, "server"), ...replicaFindings(chart, "repoServer"), ...enabled.flatMap((c) => pdbFinding(chart, c))];
}

function chartIdentity(subject: Subject): ObjectIdentity {
    const kind = subject.type.endsWith(":Release") ? "Release" : "Chart";
    const name = knownString(subject.props.name) ?? subject.name;
    const namespace = knownString(subject.props.namespace);
    return (namespace === undefined || namespace === "") ? { kind, name } : { kind, namespace, name };
}

function check(subject: Subject, context: RuleContext): readonly Finding[] {
    const chartName = subject.props.chart;
    const values = subject.props.values;
    if (typeof chartName !== "string" || !isArgoCdChart(chartName) || isUnknown(values)) {
        return [];
    }
    const chart: ChartSubject = { id: chartIdentity(subject), values: values ?? {}, requireCpuLimits: context.settings.requireCpuLimits };
    const enabled = ARGO_CD_COMPONENTS.filter((component) => component.enabled(chart.values) === true);
    const perComponent = enabled.flatMap((component) => [...resourceFindings(chart, component), ...probeFindings(chart, component)]);
    return context.environment === "production" ? [...perComponent, ...haFindings(chart, enabled)] : perComponent;
}

/** Pure rule. */
export const argocdChartValuesRule: ResourceRule = {
    name: "argocd-chart-values",
    description:
        "The argo-cd chart's values give every component CPU and memory requests and limits, enable probes wherever the chart supports them, and in production keep redis-ha, two or more API and repo servers, and PodDisruptionBudgets.",
    enforcementLevel: "mandatory",
    settingKeys: ["requireCpuLimits", "environment"],
    appliesTo: (type) => CHART_TYPES.has(type),
    check,
};

/** CrossGuard policy. */
export const argocdChartValues = toResourcePolicy(argocdChartValuesRule);
