import { Finding, ResourceRule, RuleContext, toResourcePolicy } from "../lib/engine";
import { Subject } from "../lib/kube";
import { at, isSet, isUnknown } from "../lib/values";
import { describeContainer, extractWorkload, workloadKindOf } from "../lib/workloads";

const ALWAYS_REQUIRED: readonly (readonly [string, string])[] = [
    ["requests", "cpu"],
    ["requests", "memory"],
    ["limits", "memory"],
];
const CPU_LIMIT: readonly [string, string] = ["limits", "cpu"];

/** Resource fields a container must set, in message order. */
export function requiredResourceFields(requireCpuLimits: boolean): readonly (readonly [string, string])[] {
    return requireCpuLimits ? [...ALWAYS_REQUIRED.slice(0, 2), CPU_LIMIT, ALWAYS_REQUIRED[2]] : ALWAYS_REQUIRED;
}

/** Fields of `resources` that are not set (`isSet`: `cpu: {}` or `memory: false` is not); unknown values count as set (cannot tell yet). */
export function missingResourceFields(resources: unknown, requireCpuLimits: boolean): readonly string[] {
    if (isUnknown(resources)) {
        return [];
    }
    return requiredResourceFields(requireCpuLimits)
        .filter((path) => !isSet(at(resources, path)))
        .map((path) => path.join("."));
}

function check(subject: Subject, context: RuleContext): readonly Finding[] {
    const workload = extractWorkload(subject);
    if (workload === undefined) {
        return [];
    }
    return workload.containers.flatMap((container) => {
        const missing = missingResourceFields(container.spec.resources, context.settings.requireCpuLimits);
        if (missing.length === 0) {
            return [];
        }
        const fields = missing.map((field) => `resources.${field}`).join(", ");
        return [{ ...workload.id, container: container.name, message: `${describeContainer(workload, container)} is missing ${fields}` }];
    });
}

/** Pure rule, also applied by `npm run policy:manifests`. */
export const requireRequestsLimitsRule: ResourceRule = {
    name: "require-requests-limits",
    description:
        "Every container and init container of a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job or CronJob sets CPU and memory requests, a memory limit and (unless requireCpuLimits is false) a CPU limit.",
    enforcementLevel: "mandatory",
    settingKeys: ["requireCpuLimits"],
    appliesTo: (type) => workloadKindOf(type) !== undefined,
    check,
};

/** CrossGuard policy. */
export const requireRequestsLimits = toResourcePolicy(requireRequestsLimitsRule);
