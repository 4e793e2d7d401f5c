import { describeObject, identityOf, ObjectIdentity, parseKubeType, Subject } from "./kube";
import { at, describe, isRecord, isUnknown, knownName, PlainRecord } from "./values";

/** Kinds whose pod template the workload rules inspect. */
export type WorkloadKind = "Pod" | "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController" | "Job" | "CronJob";

interface WorkloadShape {
    /** API groups the kind is served from (older `extensions` kept so old manifests are still checked). */
    readonly groups: readonly string[];
    /** The apiVersion a manifest of the kind names today. */
    readonly apiVersion: string;
    /** Path from the object to its pod spec. */
    readonly podSpecPath: readonly string[];
    /** Long-running workloads need probes; Jobs and CronJobs run to completion. */
    readonly longRunning: boolean;
}

const TEMPLATE_SPEC = ["spec", "template", "spec"] as const;

const WORKLOADS: Readonly<Record<WorkloadKind, WorkloadShape>> = Object.freeze({
    Pod: { groups: ["core"], apiVersion: "v1", podSpecPath: ["spec"], longRunning: true },
    Deployment: { groups: ["apps", "extensions"], apiVersion: "apps/v1", podSpecPath: TEMPLATE_SPEC, longRunning: true },
    StatefulSet: { groups: ["apps"], apiVersion: "apps/v1", podSpecPath: TEMPLATE_SPEC, longRunning: true },
    DaemonSet: { groups: ["apps", "extensions"], apiVersion: "apps/v1", podSpecPath: TEMPLATE_SPEC, longRunning: true },
    ReplicaSet: { groups: ["apps", "extensions"], apiVersion: "apps/v1", podSpecPath: TEMPLATE_SPEC, longRunning: true },
    // Still served (core/v1) and still written by old charts; polaris and checkov check it too.
    ReplicationController: { groups: ["core"], apiVersion: "v1", podSpecPath: TEMPLATE_SPEC, longRunning: true },
    Job: { groups: ["batch"], apiVersion: "batch/v1", podSpecPath: TEMPLATE_SPEC, longRunning: false },
    CronJob: { groups: ["batch"], apiVersion: "batch/v1", podSpecPath: ["spec", "jobTemplate", "spec", "template", "spec"], longRunning: false },
});

/** The workload kinds, in the order messages list them. */
export const WORKLOAD_KINDS: readonly WorkloadKind[] = Object.freeze(Object.keys(WORKLOADS) as WorkloadKind[]);

/**
 * Why a manifest's `apiVersion`/`kind` pair names a workload kind the API server does not serve
 * (`apiVersion: v1` with `kind: Deployment`, a missing apiVersion, `kind: deployment`), naming both
 * and what to write; `undefined` for a served pair and for kinds that are no workload in any spelling.
 */
export function workloadTypeProblem(apiVersion: unknown, kind: unknown): string | undefined {
    if (typeof kind !== "string") return undefined;
    const canonical = WORKLOAD_KINDS.find((k) => k.toLowerCase() === kind.toLowerCase());
    if (canonical === undefined) return undefined;
    const shape = WORKLOADS[canonical];
    if (typeof apiVersion !== "string" || apiVersion === "") return `apiVersion is missing for kind ${kind}; expected ${shape.apiVersion}`;
    if (kind !== canonical) return `apiVersion ${apiVersion} does not serve kind ${kind} (kinds are case-sensitive); expected kind ${canonical}`;
    const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "core";
    return shape.groups.includes(group) ? undefined : `apiVersion ${apiVersion} does not serve kind ${kind}; expected ${shape.apiVersion}`;
}

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
        const name = knownName(entry.name);
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
            return entryProblem(where, value) ?? initContainersProblem(path.slice(0, -1).join("."), current);
        }
        if (!isRecord(value)) {
            return `${where} (${kindOfValue(value)}) must be an object`;
        }
        current = value;
    }
    return undefined;
}

/** The first entry of a container list that is not an object (`- nginx:1.27`, an empty `-`). */
function entryProblem(where: string, list: readonly unknown[]): string | undefined {
    const at = list.findIndex((entry) => !isUnknown(entry) && !isRecord(entry));
    return at < 0 ? undefined : `${where}[${at}] (${kindOfValue(list[at])}) must be a container (an object)`;
}

/**
 * Init containers are judged like containers: a list of objects when present. A mis-indented
 * `initContainers:` reads as null with its fields landing on the pod spec.
 */
function initContainersProblem(podSpecPath: string, podSpec: unknown): string | undefined {
    if (!isRecord(podSpec) || !("initContainers" in podSpec)) return undefined;
    const value = podSpec.initContainers;
    const where = `${podSpecPath}.initContainers`;
    if (isUnknown(value) || value === undefined) return undefined;
    if (value === null) return `${where} is null; expected a list of containers (or leave it out)`;
    if (!Array.isArray(value)) return `${where} (${kindOfValue(value)}) must be a list of containers`;
    return entryProblem(where, value);
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
