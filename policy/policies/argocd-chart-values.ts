import { CHART_CONTAINERS, ChartContainer, HA_MINIMUMS, HaMinimum, PDB_SETTINGS, PdbSetting, RenderCondition } from "../../components/argocd/chart";
import { Finding, ResourceRule, RuleContext, toResourcePolicy } from "../lib/engine";
import { describeObject, HELM_CHART_TYPES, ObjectIdentity, Subject } from "../lib/kube";
import { at, describe, isMissing, isRecord, isUnknown, knownString, UNKNOWN, Unknown } from "../lib/values";
import { missingResourceFields } from "./require-requests-limits";

/*
 * What the chart renders, where each container's resources, probes and security context go, and the
 * HA minimums all come from components/argocd/chart.ts (argo-cd chart 10.1.1, redis-ha 4.38.0): the
 * values builder and this policy read the same table. That module is plain data with no imports.
 */


type Path = readonly string[];
const split = (dotted: string): Path => dotted.split(".");

/** Whether every condition holds: true, false, or unknown (skip). */
export function rendered(values: unknown, conditions: readonly RenderCondition[]): boolean | Unknown {
    let unknown = false;
    for (const c of conditions) {
        const value = at(values, split(c.path));
        if (isUnknown(value)) {
            unknown = true;
            continue;
        }
        const effective = typeof value === "boolean" ? value : c.chartDefault;
        if (effective !== c.equals) {
            return false;
        }
    }
    return unknown ? UNKNOWN : true;
}

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

/** One finding per distinct values path (containers sharing a path are reported once). */
function once<T>(items: readonly T[], key: (item: T) => string | undefined): T[] {
    const seen = new Set<string>();
    return items.filter((item) => {
        const k = key(item);
        if (k === undefined || seen.has(k)) {
            return false;
        }
        seen.add(k);
        return true;
    });
}

function resourceFindings(chart: ChartSubject, containers: readonly ChartContainer[]): readonly Finding[] {
    return once(containers, (c) => c.resources).flatMap((c) => {
        const own = at(chart.values, split(c.resources));
        const resources = (isMissing(own) && c.resourcesFallback !== undefined) ? at(chart.values, split(c.resourcesFallback)) : own;
        const missing = missingResourceFields(resources, chart.requireCpuLimits);
        if (missing.length === 0) {
            return [];
        }
        return [chartFinding(chart, c.resources.slice(0, -".resources".length), `values ${c.resources} is missing ${missing.join(", ")}`)];
    });
}

function probeFindings(chart: ChartSubject, containers: readonly ChartContainer[]): readonly Finding[] {
    const flagged = once(containers, (c) => ((c.readiness === "flag" || c.liveness === "flag") ? c.probes : undefined));
    return flagged.flatMap((c) =>
        ["readinessProbe", "livenessProbe"].flatMap((probe) => {
            const path = `${c.probes}.${probe}.enabled`;
            const value = at(chart.values, split(path));
            if (isUnknown(value)) {
                return [];
            }
            if (c.probeFlagDefault !== true && value !== true) {
                return [chartFinding(chart, c.probes!, `values ${path} is ${value === undefined ? "not set" : describe(value)}; set it to true, the chart leaves this probe off by default`)];
            }
            if (c.probeFlagDefault === true && value === false) {
                return [chartFinding(chart, c.probes!, `values ${path} is false; remove it or set it to true`)];
            }
            return [];
        }),
    );
}

/** The restricted Pod Security fields a container security context lacks. */
export function restrictedGaps(context: unknown): readonly string[] {
    if (isUnknown(context)) {
        return [];
    }
    const gaps: string[] = [];
    if (at(context, ["runAsNonRoot"]) !== true) gaps.push("runAsNonRoot: true");
    if (at(context, ["allowPrivilegeEscalation"]) !== false) gaps.push("allowPrivilegeEscalation: false");
    const seccomp = at(context, ["seccompProfile", "type"]);
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") gaps.push("seccompProfile.type: RuntimeDefault");
    const drop = at(context, ["capabilities", "drop"]);
    if (!Array.isArray(drop) || !drop.includes("ALL")) gaps.push("capabilities.drop: [ALL]");
    return gaps;
}

/** Production enforces Pod Security `restricted`: every container's security context must meet it explicitly. */
function securityContextFindings(chart: ChartSubject, containers: readonly ChartContainer[]): readonly Finding[] {
    return once(containers, (c) => c.securityContext).flatMap((c) => {
        const context = at(chart.values, split(c.securityContext));
        if (isUnknown(context) || (isRecord(context) && Object.values(context).some(isUnknown))) {
            return [];
        }
        const gaps = restrictedGaps(context);
        if (gaps.length === 0) {
            return [];
        }
        return [chartFinding(chart, c.securityContext, `values ${c.securityContext} does not meet Pod Security "restricted", which production enforces; set ${gaps.join(", ")}`)];
    });
}

function pdbFinding(chart: ChartSubject, setting: PdbSetting): readonly Finding[] {
    const path = setting.style === "enabled" ? `${setting.path}.enabled` : setting.path;
    const value = at(chart.values, split(path));
    if (isUnknown(value)) {
        return [];
    }
    if (setting.style === "enabled" && value !== true) {
        return [chartFinding(chart, setting.component, `values ${path} must be true in production so that a PodDisruptionBudget protects ${setting.component}`)];
    }
    const hasBudget = isRecord(value) && (!isMissing(value.minAvailable) || !isMissing(value.maxUnavailable));
    if (setting.style === "spec" && !hasBudget) {
        return [chartFinding(chart, setting.component, `values ${path} must set minAvailable or maxUnavailable in production`)];
    }
    return [];
}

/** A replica count below its production minimum; while autoscaling, `minReplicas` counts (the chart drops `replicas`). */
function replicaFindings(chart: ChartSubject, m: HaMinimum): readonly Finding[] {
    const autoscaling = m.autoscaled === undefined ? false : at(chart.values, split(m.autoscaled.enabled));
    if (isUnknown(autoscaling)) {
        return [];
    }
    const path = (autoscaling === true && m.autoscaled !== undefined) ? m.autoscaled.value : m.value;
    const value = at(chart.values, split(path));
    if (isUnknown(value)) {
        return [];
    }
    const count = value ?? (autoscaling === true ? 1 : m.chartDefault);
    if (typeof count === "number" && count >= m.min) {
        return [];
    }
    const alternative = (m.autoscaled !== undefined && autoscaling !== true) ? ` (or enable ${m.autoscaled.enabled.replace(/\.enabled$/, "")} with minReplicas of at least ${m.min})` : "";
    return [chartFinding(chart, path.split(".")[0], `values ${path} (${describe(count)}) must be at least ${m.min} in production${alternative}`)];
}

function haFindings(chart: ChartSubject): readonly Finding[] {
    const redisHa = at(chart.values, ["redis-ha", "enabled"]);
    const redisFinding =
        (isUnknown(redisHa) || redisHa === true) ? [] : [chartFinding(chart, "redis-ha", "values redis-ha.enabled must be true in production (Redis highly available)")];
    const minimums = HA_MINIMUMS.filter((m) => rendered(chart.values, m.renderedWhen) === true).flatMap((m) => replicaFindings(chart, m));
    const pdbs = PDB_SETTINGS.filter((s) => rendered(chart.values, s.renderedWhen) === true).flatMap((s) => pdbFinding(chart, s));
    return [...redisFinding, ...minimums, ...pdbs];
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
    const containers = CHART_CONTAINERS.filter((c) => rendered(chart.values, c.renderedWhen) === true);
    const perContainer = [...resourceFindings(chart, containers), ...probeFindings(chart, containers)];
    return context.environment === "production" ? [...perContainer, ...securityContextFindings(chart, containers), ...haFindings(chart)] : perContainer;
}

/** Pure rule. */
export const argocdChartValuesRule: ResourceRule = {
    name: "argocd-chart-values",
    description:
        "The argo-cd chart's values give every container CPU and memory requests and limits, enable probes wherever the chart hides them behind a flag, and in production meet Pod Security restricted at every container, keep redis-ha, the HA replica minimums and PodDisruptionBudgets.",
    enforcementLevel: "mandatory",
    settingKeys: ["requireCpuLimits", "environment"],
    appliesTo: (type) => HELM_CHART_TYPES.has(type),
    check,
};

/** CrossGuard policy. */
export const argocdChartValues = toResourcePolicy(argocdChartValuesRule);
