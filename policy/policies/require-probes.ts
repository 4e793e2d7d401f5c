import { Finding, ResourceRule, toResourcePolicy } from "../lib/engine";
import { Subject } from "../lib/kube";
import { isSet } from "../lib/values";
import { ContainerRef, describeContainer, extractWorkload, workloadKindOf } from "../lib/workloads";

const PROBES = ["readinessProbe", "livenessProbe"] as const;

/** A probe is missing unless set (`isSet`: an object with a handler; `false`, `{}` and null are not); an unknown probe counts as set. */
function probeMissing(value: unknown): boolean {
    return !isSet(value);
}

/** Regular containers and native sidecars run for the pod's lifetime; plain init containers cannot be probed. */
function runsContinuously(container: ContainerRef): boolean {
    return !container.init || container.sidecar;
}

function check(subject: Subject): readonly Finding[] {
    const workload = extractWorkload(subject);
    if (workload === undefined || !workload.longRunning) {
        return [];
    }
    return workload.containers.filter(runsContinuously).flatMap((container) => {
        const missing = PROBES.filter((probe) => probeMissing(container.spec[probe]));
        if (missing.length === 0) {
            return [];
        }
        return [{ ...workload.id, container: container.name, message: `${describeContainer(workload, container)} is missing ${missing.join(", ")}` }];
    });
}

/** Pure rule, also applied by `npm run policy:manifests`. */
export const requireProbesRule: ResourceRule = {
    name: "require-probes",
    description:
        "Every container and native sidecar init container (restartPolicy: Always) of a long-running workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, bare Pod) has a readiness and a liveness probe; Jobs and CronJobs are exempt.",
    enforcementLevel: "mandatory",
    settingKeys: [],
    appliesTo: (type) => workloadKindOf(type) !== undefined,
    check,
};

/** CrossGuard policy. */
export const requireProbes = toResourcePolicy(requireProbesRule);
