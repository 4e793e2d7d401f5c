import { describeObject, identityOf, ObjectIdentity, parseKubeType, Subject } from "./kube";
import { at, describe, isRecord, isUnknown, knownString, PlainRecord } from "./values";

/** Kinds whose pod template the workload rules inspect. */
export type WorkloadKind = "Pod" | "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" | "CronJob";

interface WorkloadShape {
    /** API groups the kind is served from (older `extensions` kept so old manifests are still checked). */
    readonly groups: readonly string[];
    /** Path from the object to its pod spec. */
    readonly podSpecPath: readonly string[];
    /** Long-running workloads need probes; Jobs and CronJobs run to completion. */
    readonly longRunning: boolean;
}

const TEMPLATE_SPEC = ["spec", "template", "spec"] as const;

const WORKLOADS: Readonly<Record<WorkloadKind, WorkloadShape>> = Object.freeze({
    Pod: { groups: ["core"], podSpecPath: ["spec"], longRunning: true },
    Deployment: { groups: ["apps", "extensions"], podSpecPath: TEMPLATE_SPEC, longRunning: true },
    StatefulSet: { groups: ["apps"], podSpecPath: TEMPLATE_SPEC, longRunning: true },
    DaemonSet: { groups: ["apps", "extensions"], podSpecPath: TEMPLATE_SPEC, longRunning: true },
    ReplicaSet: { groups: ["apps", "extensions"], podSpecPath: TEMPLATE_SPEC, longRunning: true },
    Job: { groups: ["batch"], podSpecPath: TEMPLATE_SPEC, longRunning: false },
    CronJob: { groups: ["batch"], podSpecPath: ["spec", "jobTemplate", "spec", "template", "spec"], longRunning: false },
});

/** One container or init container of a workload's pod template. */
export interface ContainerRef {
    /** `name`, or `containers[2]` when the name is missing or unknown. */
    readonly name: string;
    /** True for an entry of `initContainers`. */
    readonly init: boolean;
    /** An init container with `restartPolicy: Always` (a native sidecar): it keeps running, so it can and should be probed. */
    readonly sidecar: boolean;
    /** The container spec (fields may be {@link UNKNOWN}). */
    readonly spec: PlainRecord;
}

/** A workload and the containers that are known at this point. */
export interface Workload {
    readonly id: ObjectIdentity & { readonly kind: WorkloadKind };
    /** Deployment, StatefulSet, DaemonSet, ReplicaSet or bare Pod. */
    readonly longRunning: boolean;
    /** Containers then init containers; entries that are unknown at preview are left out. */
    readonly containers: readonly ContainerRef[];
    /** The pod spec of the template (or of the Pod), possibly {@link UNKNOWN} at preview. */
    readonly podSpec: unknown;
}

/** The workload kind of a type token, or `undefined` for anything else (including `...Patch` and `...List` types). */
export function workloadKindOf(type: string): WorkloadKind | undefined {
    const parsed = parseKubeType(type);
    if (parsed === undefined || !Object.hasOwn(WORKLOADS, parsed.kind)) {
        return undefined;
    }
    const kind = parsed.kind as WorkloadKind;
    return WORKLOADS[kind].groups.includes(parsed.group) ? kind : undefined;
}

function containerList(podSpec: unknown, field: "containers" | "initContainers"): readonly ContainerRef[] {
    const list = at(podSpec, [field]);
    if (!Array.isArray(list)) {
        return [];
    }
    const init = field === "initContainers";
    const refs: ContainerRef[] = [];
    list.forEach((entry: unknown, index: number) => {
        if (!isRecord(entry)) {
            return;
        }
        const name = knownString(entry.name);
        refs.push({
            name: (name === undefined || name === "") ? `${field}[${index}]` : name,
            init,
            sidecar: init && entry.restartPolicy === "Always",
            spec: entry,
        });
    });
    return refs;
}

/** Extracts the workload behind `subject`, or `undefined` when it is not one of the {@link WorkloadKind}s. */
export function extractWorkload(subject: Subject): Workload | undefined {
    const kind = workloadKindOf(subject.type);
    if (kind === undefined) {
        return undefined;
    }
    const shape = WORKLOADS[kind];
    const podSpec = at(subject.props, shape.podSpecPath);
    const containers = isUnknown(podSpec) ? [] : [...containerList(podSpec, "containers"), ...containerList(podSpec, "initContainers")];
    return { id: { ...identityOf(subject, kind), kind }, longRunning: shape.longRunning, containers, podSpec };
}

/**
 * Why the pod spec of a workload cannot be checked, naming the path from the object
 * (`spec.template.spec.containers (a map) must be a list of containers`), or `undefined` when it
 * can be checked or is not known yet (preview). A workload without a container list is not a
 * workload the rules could pass: the API server rejects it, so the offline checker reports it as
 * an input error rather than counting it as checked.
 */
export function podSpecProblem(subject: Subject): string | undefined {
    const kind = workloadKindOf(subject.type);
    if (kind === undefined) {
        return undefined;
    }
    const path = [...WORKLOADS[kind].podSpecPath, "containers"];
    let current: unknown = subject.props;
    for (let i = 0; i < path.length; i++) {
        const where = path.slice(0, i + 1).join(".");
        const value: unknown = (current as PlainRecord)[path[i]];
        if (isUnknown(value)) {
            return undefined;
        }
        if (value === undefined || value === null) {
            return `${where} is ${value === null ? "null" : "missing"}; expected ${i === path.length - 1 ? "a list of containers" : "an object"}`;
        }
        if (i === path.length - 1) {
            if (!Array.isArray(value)) {
                return `${where} (${kindOfValue(value)}) must be a list of containers`;
            }
            if (value.length === 0) {
                return `${where} is empty; a pod needs at least one container`;
            }
            return undefined;
        }
        if (!isRecord(value)) {
            return `${where} (${kindOfValue(value)}) must be an object`;
        }
        current = value;
    }
    return undefined;
}

/** `a map`, `a list`, or the value itself for scalars, as the input errors name what they found. */
function kindOfValue(value: unknown): string {
    if (Array.isArray(value)) return "a list";
    if (isRecord(value)) return "a map";
    return `${typeof value === "string" ? "a string " : ""}${describe(value)}`;
}

/** `Deployment argocd/argocd-server container "server"` or `... init container "copyutil"`. */
export function describeContainer(workload: Workload, container: ContainerRef): string {
    const role = container.init ? "init container" : "container";
    return `${describeObject(workload.id)} ${role} "${container.name}"`;
}
