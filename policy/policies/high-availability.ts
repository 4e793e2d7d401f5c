import { Finding, StackRule, toStackPolicy } from "../lib/engine";
import { declaredEnvironment } from "../lib/environment";
import { describeObject, identityOf, isKubeKind, Subject } from "../lib/kube";
import { at, isRecord, knownString } from "../lib/values";

/**
 * High availability as the cluster will run it, judged on the objects themselves (a chart's rendered
 * Deployments, StatefulSets, HorizontalPodAutoscalers and PodDisruptionBudgets): the same rule holds
 * under `pulumi preview --policy-pack`, where Chart v4 sends the rendered objects and never the values.
 */

/** Replicas a production Deployment or StatefulSet keeps running, at least. */
export const MIN_REPLICAS = 2;

const HA_KINDS = [["apps", "Deployment"], ["apps", "StatefulSet"]] as const;

/**
 * Whether `labels` satisfy a PodDisruptionBudget's label selector (`matchLabels` and `matchExpressions`).
 * In policy/v1 an empty selector `{}` selects every pod of the namespace; an absent one selects none.
 */
export function selects(selector: unknown, labels: Readonly<Record<string, unknown>>): boolean {
    if (!isRecord(selector)) return false;
    const matchLabels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
    const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.filter(isRecord) : [];
    if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
    return expressions.every((e) => {
        const key = String(e.key);
        const values = Array.isArray(e.values) ? e.values.map(String) : [];
        const has = Object.hasOwn(labels, key);
        switch (e.operator) {
            case "In":
                return has && values.includes(String(labels[key]));
            case "NotIn":
                return !has || !values.includes(String(labels[key]));
            case "Exists":
                return has;
            case "DoesNotExist":
                return !has;
            default:
                return false;
        }
    });
}

const namespaceOf = (s: Subject): string => knownString(at(s.props, ["metadata", "namespace"])) ?? "default";

function check(subjects: readonly Subject[]): readonly Finding[] {
    const hpas = subjects.filter((s) => isKubeKind(s.type, "autoscaling", "HorizontalPodAutoscaler"));
    const pdbs = subjects.filter((s) => isKubeKind(s.type, "policy", "PodDisruptionBudget"));
    const findings: Finding[] = [];
    for (const subject of subjects) {
        const kind = HA_KINDS.find(([group, k]) => isKubeKind(subject.type, group, k))?.[1];
        if (kind === undefined || declaredEnvironment(subject.props) !== "production") continue;
        const id = identityOf(subject, kind);
        const namespace = namespaceOf(subject);
        const hpa = hpas.find((h) => {
            const ref = at(h.props, ["spec", "scaleTargetRef"]);
            return namespaceOf(h) === namespace && isRecord(ref) && ref.kind === kind && ref.name === id.name;
        });
        const replicas = hpa !== undefined ? at(hpa.props, ["spec", "minReplicas"]) : at(subject.props, ["spec", "replicas"]);
        // Kubernetes defaults both to 1 when unset.
        const floor = typeof replicas === "number" ? replicas : replicas === undefined ? 1 : undefined;
        if (floor !== undefined && floor < MIN_REPLICAS) {
            const what = hpa !== undefined ? `is scaled by HorizontalPodAutoscaler ${namespace}/${knownString(at(hpa.props, ["metadata", "name"])) ?? hpa.name} with minReplicas ${floor}` : `runs ${floor} replica${floor === 1 ? "" : "s"}`;
            findings.push({ ...id, message: `${describeObject(id)} ${what}; production runs at least ${MIN_REPLICAS} so that losing one pod or node keeps it serving` });
        }
        const podLabels = at(subject.props, ["spec", "template", "metadata", "labels"]);
        if (!isRecord(podLabels)) continue;
        const covering = pdbs.filter((p) => namespaceOf(p) === namespace && selects(at(p.props, ["spec", "selector"]), podLabels));
        const pdbName = (p: Subject) => `${namespace}/${knownString(at(p.props, ["metadata", "name"])) ?? p.name}`;
        if (covering.length === 0) {
            findings.push({ ...id, message: `${describeObject(id)} has no PodDisruptionBudget selecting its pods; production needs one so that a node drain or upgrade keeps it serving` });
        } else if (covering.length > 1) {
            // The eviction API refuses to evict a pod that more than one budget selects: every drain stalls.
            findings.push({ ...id, message: `${describeObject(id)} is selected by ${covering.length} PodDisruptionBudgets (${covering.map(pdbName).join(", ")}); the eviction API refuses pods with more than one, so every node drain stalls` });
        } else {
            const spec = at(covering[0].props, ["spec"]);
            const maxUnavailable = at(spec, ["maxUnavailable"]);
            const minAvailable = at(spec, ["minAvailable"]);
            const blocks = maxUnavailable === 0 || maxUnavailable === "0%" || minAvailable === "100%" || (typeof minAvailable === "number" && floor !== undefined && minAvailable >= floor);
            if (blocks) {
                findings.push({ ...id, message: `${describeObject(id)} has PodDisruptionBudget ${pdbName(covering[0])} that allows no pod to be evicted (${maxUnavailable !== undefined ? `maxUnavailable ${String(maxUnavailable)}` : `minAvailable ${String(minAvailable)}`}); every node drain and upgrade stalls on it` });
            }
        }
    }
    return findings;
}

/** Stack rule: a workload, its autoscaler and its disruption budget are different objects. */
export const highAvailabilityRule: StackRule = {
    name: "high-availability",
    description: `Every production Deployment and StatefulSet runs at least ${MIN_REPLICAS} replicas (or is scaled by a HorizontalPodAutoscaler with at least that minReplicas) and has a PodDisruptionBudget selecting its pods.`,
    enforcementLevel: "mandatory",
    settingKeys: [],
    check,
};

/** CrossGuard policy. */
export const highAvailability = toStackPolicy(highAvailabilityRule);
