import { Finding, ResourceRule, RuleContext, toResourcePolicy } from "../lib/engine";
import { HELM_CHART_TYPES, ObjectIdentity, Subject } from "../lib/kube";
import { at, describe, isMissing, isRecord, isUnknown, knownString } from "../lib/values";
import { missingResourceFields } from "./require-requests-limits";

/**
 * The cluster services' charts (components/platform) render their workloads only at `pulumi up`, so
 * their values are checked the way `argocd-chart-values` checks the argo-cd chart: every container has
 * requests and limits, liveness and readiness probes, and in production two or more replicas, a
 * PodDisruptionBudget and a zone spread. Findings name the workload the chart renders, so an
 * exemption written for `require-probes` on that workload (policy/pack-config.json) can name it too.
 */


type Path = readonly string[];

/** One chart: the workload it renders (by release name) and where its values put each setting. */
interface PlatformChart {
    readonly chart: string;
    readonly kind: "Deployment" | "DaemonSet";
    /** Name of the rendered workload for a release name (each chart's `fullname` helper). */
    readonly workloadName: (release: string) => string;
    readonly container: string;
    readonly resources: Path;
    /** Probe value paths; a container the chart offers no probe setting for has none (and needs an exemption). */
    readonly probes: readonly Path[];
    /** Production HA settings; DaemonSets have none (one pod per selected node). */
    readonly ha?: {
        readonly replicas: Path;
        /** PodDisruptionBudget: a non-empty object (`spec`) or `{enabled: true, ...}` (`enabled`). */
        readonly pdb: { readonly path: Path; readonly style: "spec" | "enabled" };
        readonly spread: Path;
    };
}

/** `fullname` of these charts: the release name when it contains the chart name, else `<release>-<chart>`. */
const fullname = (chart: string) => (release: string) => (release.includes(chart) ? release : `${release}-${chart}`);

/**
 * aws/eks-charts aws-load-balancer-controller 3.5.0 templates/deployment.yaml and pdb.yaml;
 * kubernetes-sigs/metrics-server chart 3.13.1 templates/deployment.yaml and pdb.yaml;
 * NVIDIA/k8s-device-plugin 0.20.0 templates/daemonset-device-plugin.yml (no probe setting);
 * kubernetes/autoscaler cluster-autoscaler chart 9.59.0 templates/deployment.yaml and pdb.yaml;
 * external-secrets chart 2.9.0 templates/deployment.yaml and poddisruptionbudget.yaml.
 */
export const PLATFORM_CHARTS: readonly PlatformChart[] = Object.freeze([
    {
        chart: "aws-load-balancer-controller",
        kind: "Deployment",
        workloadName: fullname("aws-load-balancer-controller"),
        container: "aws-load-balancer-controller",
        resources: ["resources"],
        probes: [["livenessProbe"], ["readinessProbe"]],
        ha: { replicas: ["replicaCount"], pdb: { path: ["podDisruptionBudget"], style: "spec" }, spread: ["topologySpreadConstraints"] },
    },
    {
        chart: "metrics-server",
        kind: "Deployment",
        workloadName: fullname("metrics-server"),
        container: "metrics-server",
        resources: ["resources"],
        probes: [["livenessProbe"], ["readinessProbe"]],
        ha: { replicas: ["replicas"], pdb: { path: ["podDisruptionBudget"], style: "enabled" }, spread: ["topologySpreadConstraints"] },
    },
    {
        chart: "nvidia-device-plugin",
        kind: "DaemonSet",
        workloadName: fullname("nvidia-device-plugin"),
        container: "nvidia-device-plugin-ctr",
        resources: ["resources"],
        probes: [],
    },
    {
        // Liveness is fixed in the template, readiness has no setting (exempted in policy/pack-config.json); nameOverride makes both names the release's.
        chart: "cluster-autoscaler",
        kind: "Deployment",
        workloadName: fullname("cluster-autoscaler"),
        container: "cluster-autoscaler",
        resources: ["resources"],
        probes: [],
        ha: { replicas: ["replicaCount"], pdb: { path: ["podDisruptionBudget"], style: "spec" }, spread: ["topologySpreadConstraints"] },
    },
    {
        // The controller; the webhook and cert controller take the same settings under `webhook.` and `certController.`.
        chart: "external-secrets",
        kind: "Deployment",
        workloadName: fullname("external-secrets"),
        container: "external-secrets",
        resources: ["resources"],
        probes: [["livenessProbe", "spec"], ["readinessProbe", "spec"]],
        ha: { replicas: ["replicaCount"], pdb: { path: ["podDisruptionBudget"], style: "enabled" }, spread: ["topologySpreadConstraints"] },
    },
]);

/** The chart a resource installs, by the last segment of its `chart` input. */
function chartOf(chartName: string): PlatformChart | undefined {
    const short = chartName.slice(chartName.lastIndexOf("/") + 1);
    return PLATFORM_CHARTS.find((c) => c.chart === short);
}

interface Rendered {
    readonly id: ObjectIdentity;
    readonly chart: PlatformChart;
    readonly values: unknown;
}

function finding(r: Rendered, problem: string): Finding {
    const where = r.id.namespace === undefined ? r.id.name : `${r.id.namespace}/${r.id.name}`;
    return { ...r.id, container: r.chart.container, message: `${r.id.kind} ${where} (chart ${r.chart.chart}), container ${r.chart.container}: ${problem}` };
}

function containerFindings(r: Rendered, requireCpuLimits: boolean): Finding[] {
    const findings: Finding[] = [];
    const missing = missingResourceFields(at(r.values, r.chart.resources), requireCpuLimits);
    if (missing.length > 0) findings.push(finding(r, `values ${r.chart.resources.join(".")} is missing ${missing.join(", ")}`));
    if (r.chart.probes.length === 0) {
        findings.push(finding(r, "the chart renders no liveness or readiness probe and offers no setting for one; exempt it in policy/pack-config.json with the upstream reason"));
    }
    for (const path of r.chart.probes) {
        const probe = at(r.values, path);
        if (isUnknown(probe)) continue;
        if (!isRecord(probe) || Object.keys(probe).length === 0) {
            findings.push(finding(r, `values ${path.join(".")} is ${probe === undefined ? "not set" : describe(probe)}; state the probe explicitly`));
        }
    }
    return findings;
}

function haFindings(r: Rendered): Finding[] {
    const ha = r.chart.ha;
    if (ha === undefined) return [];
    const findings: Finding[] = [];
    const replicas = at(r.values, ha.replicas);
    if (!isUnknown(replicas) && !(typeof replicas === "number" && replicas >= 2)) {
        findings.push(finding(r, `values ${ha.replicas.join(".")} (${describe(replicas ?? 1)}) must be at least 2 in production`));
    }
    const pdb = at(r.values, ha.pdb.path);
    if (!isUnknown(pdb)) {
        const budget = isRecord(pdb) && (!isMissing(pdb.minAvailable) || !isMissing(pdb.maxUnavailable));
        const on = ha.pdb.style === "spec" ? budget : (isRecord(pdb) && pdb.enabled === true && budget);
        if (!on) findings.push(finding(r, `values ${ha.pdb.path.join(".")} must ${ha.pdb.style === "enabled" ? "be enabled with" : "set"} minAvailable or maxUnavailable in production`));
    }
    const spread = at(r.values, ha.spread);
    if (!isUnknown(spread) && !(Array.isArray(spread) && spread.length > 0)) {
        findings.push(finding(r, `values ${ha.spread.join(".")} must spread the pods over zones in production`));
    }
    return findings;
}

function check(subject: Subject, context: RuleContext): readonly Finding[] {
    const chartName = subject.props.chart;
    const values = subject.props.values;
    if (typeof chartName !== "string" || isUnknown(values)) return [];
    const chart = chartOf(chartName);
    if (chart === undefined) return [];
    const release = knownString(subject.props.name) ?? subject.name;
    const namespace = knownString(subject.props.namespace);
    const id: ObjectIdentity = { kind: chart.kind, name: chart.workloadName(release), ...((namespace === undefined || namespace === "") ? {} : { namespace }) };
    const rendered: Rendered = { id, chart, values: values ?? {} };
    const findings = containerFindings(rendered, context.settings.requireCpuLimits);
    return context.environment === "production" ? [...findings, ...haFindings(rendered)] : findings;
}

/** Pure rule. */
export const platformChartValuesRule: ResourceRule = {
    name: "platform-chart-values",
    description:
        "The cluster services' charts (AWS Load Balancer Controller, metrics-server, NVIDIA device plugin, Cluster Autoscaler, External Secrets Operator) give every container requests, limits and probes, and in production two or more replicas, a PodDisruptionBudget and a zone spread.",
    enforcementLevel: "mandatory",
    settingKeys: ["requireCpuLimits", "environment"],
    appliesTo: (type) => HELM_CHART_TYPES.has(type),
    check,
};

/** CrossGuard policy. */
export const platformChartValues = toResourcePolicy(platformChartValuesRule);
