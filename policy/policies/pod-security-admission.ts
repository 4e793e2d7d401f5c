import { Finding, StackRule, toStackPolicy } from "../lib/engine";
import { describeObject, isKubeKind, Subject } from "../lib/kube";
import { at, isRecord, knownString } from "../lib/values";
import { describeContainer, extractWorkload, Workload, workloadKindOf } from "../lib/workloads";

/**
 * The Pod Security Standards (Kubernetes docs "Pod Security Standards", policies as of v1.35) that the
 * Pod Security admission controller enforces on a namespace labelled
 * `pod-security.kubernetes.io/enforce`. A workload the pack passes but the namespace refuses creates no
 * pod: the Deployment exists, its ReplicaSet reports FailedCreate, and `pulumi up` waits out its await.
 */
export const ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

type Level = "baseline" | "restricted";

/** Capabilities `baseline` allows to add, compared literally as the admission controller does (`CAP_CHOWN` is not `CHOWN`). */
const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
]);

/** Volume types `restricted` allows. */
const RESTRICTED_VOLUMES: readonly string[] = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret"];

/** SELinux types `baseline` allows (an empty type too). */
const SELINUX_TYPES: ReadonlySet<string> = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);

/** The sysctls `baseline` calls safe (as of Kubernetes 1.35). */
const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
]);

/** The AppArmor annotation prefix of a container (deprecated in favour of `appArmorProfile`, still enforced). */
const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

/** Paths from a workload to its pod spec and its pod metadata. */
function podOf(subject: Subject): { spec: unknown; metadata: unknown } {
    const kind = workloadKindOf(subject.type);
    const template = kind === "Pod" ? [] : kind === "CronJob" ? ["spec", "jobTemplate", "spec", "template"] : ["spec", "template"];
    return { spec: at(subject.props, [...template, "spec"]), metadata: at(subject.props, [...template, "metadata"]) };
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === "string");

/** An AppArmor profile type `baseline` refuses (`Unconfined`, or anything but RuntimeDefault/Localhost). */
function appArmorProblem(context: Record<string, unknown>): string | undefined {
    const type = at(context, ["appArmorProfile", "type"]);
    const allowed = type === undefined || type === "RuntimeDefault" || type === "Localhost";
    return allowed ? undefined : `sets securityContext.appArmorProfile.type ${String(type)}`;
}

/** SELinux options `baseline` refuses: a type outside the container types, or any user or role. */
function seLinuxProblem(context: Record<string, unknown>): string | undefined {
    const options = context.seLinuxOptions;
    if (!isRecord(options)) return undefined;
    if (typeof options.type === "string" && !SELINUX_TYPES.has(options.type)) return `sets securityContext.seLinuxOptions.type ${options.type}`;
    for (const field of ["user", "role"]) {
        if (typeof options[field] === "string" && options[field] !== "") return `sets securityContext.seLinuxOptions.${field}`;
    }
    return undefined;
}

/** The problems of one pod at a level, each a sentence fragment naming the field. */
export function podSecurityProblems(workload: Workload, podSpec: unknown, level: Level, podMetadata: unknown = undefined): { container?: string; problem: string }[] {
    const problems: { container?: string; problem: string }[] = [];
    const pod = isRecord(podSpec) ? podSpec : {};
    const podContext = isRecord(pod.securityContext) ? pod.securityContext : {};
    // Pod Security exempts Windows pods from the Linux-only restricted checks (privilege escalation, seccomp, capabilities).
    const windows = at(pod, ["os", "name"]) === "windows";
    for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
        if (pod[field] === true) problems.push({ problem: `sets ${field}: true` });
    }
    if (at(podContext, ["windowsOptions", "hostProcess"]) === true) problems.push({ problem: "sets securityContext.windowsOptions.hostProcess: true" });
    for (const volume of list(pod.volumes)) {
        if (!isRecord(volume)) continue;
        const name = knownString(volume.name) ?? "(unnamed)";
        const type = Object.keys(volume).find((k) => k !== "name");
        if (type === "hostPath") problems.push({ problem: `mounts the hostPath volume "${name}"` });
        else if (level === "restricted" && type !== undefined && !RESTRICTED_VOLUMES.includes(type)) problems.push({ problem: `uses the ${type} volume "${name}", which restricted does not allow` });
    }
    const podSeccomp = at(podContext, ["seccompProfile", "type"]);
    if (podSeccomp === "Unconfined") problems.push({ problem: "sets securityContext.seccompProfile.type Unconfined" });
    for (const podProblem of [appArmorProblem(podContext), seLinuxProblem(podContext)]) {
        if (podProblem !== undefined) problems.push({ problem: podProblem });
    }
    const unsafe = list(podContext.sysctls).filter(isRecord).map((x) => String(x.name)).filter((n) => !SAFE_SYSCTLS.has(n));
    if (unsafe.length > 0) problems.push({ problem: `sets the sysctls ${unsafe.join(", ")}, which baseline does not allow` });
    if (podContext.runAsUser === 0 && level === "restricted") problems.push({ problem: "sets securityContext.runAsUser 0" });
    const annotations = at(podMetadata, ["annotations"]);
    const ephemeral = list(pod.ephemeralContainers).filter(isRecord).map((spec, i) => ({ name: knownString(spec.name) ?? `ephemeralContainers[${i}]`, spec }));
    const containers = [...workload.containers.map((c) => ({ name: c.name, spec: c.spec, ref: c })), ...ephemeral.map((c) => ({ ...c, ref: undefined }))];
    for (const c of containers) {
        const where = c.ref !== undefined ? describeContainer(workload, c.ref) : `${describeObject(workload.id)} container "${c.name}"`;
        const add = (problem: string) => problems.push({ container: c.name, problem: `${where} ${problem}` });
        const ctx = isRecord(c.spec.securityContext) ? c.spec.securityContext : {};
        if (ctx.privileged === true) add("sets securityContext.privileged: true");
        if (at(ctx, ["windowsOptions", "hostProcess"]) === true) add("sets securityContext.windowsOptions.hostProcess: true");
        const added = strings(at(ctx, ["capabilities", "add"]));
        const restrictedCaps = level === "restricted" && !windows;
        const allowed = restrictedCaps ? new Set(["NET_BIND_SERVICE"]) : BASELINE_CAPABILITIES;
        const extra = added.filter((cap) => !allowed.has(cap));
        if (extra.length > 0) add(`adds the capabilities ${extra.join(", ")}`);
        for (const port of list(c.spec.ports)) {
            if (isRecord(port) && typeof port.hostPort === "number" && port.hostPort !== 0) add(`uses hostPort ${port.hostPort}`);
        }
        if (ctx.procMount !== undefined && ctx.procMount !== "Default") add(`sets securityContext.procMount ${String(ctx.procMount)}`);
        const seccomp = at(ctx, ["seccompProfile", "type"]);
        if (seccomp === "Unconfined") add("sets securityContext.seccompProfile.type Unconfined");
        for (const problem of [appArmorProblem(ctx), seLinuxProblem(ctx)]) {
            if (problem !== undefined) add(problem);
        }
        const annotated = isRecord(annotations) ? annotations[`${APPARMOR_ANNOTATION}${c.name}`] : undefined;
        if (typeof annotated === "string" && annotated !== "runtime/default" && !annotated.startsWith("localhost/")) add(`has the AppArmor annotation ${annotated}`);
        if (level !== "restricted") continue;
        if (!windows && ctx.allowPrivilegeEscalation !== false) add("does not set securityContext.allowPrivilegeEscalation: false");
        if (!windows && !strings(at(ctx, ["capabilities", "drop"])).includes("ALL")) add("does not drop ALL capabilities (securityContext.capabilities.drop)");
        const nonRoot = ctx.runAsNonRoot ?? podContext.runAsNonRoot;
        if (nonRoot !== true) add("does not set runAsNonRoot: true (container or pod securityContext)");
        if (ctx.runAsUser === 0) add("sets securityContext.runAsUser 0");
        const profile = seccomp ?? podSeccomp;
        if (!windows && profile !== "RuntimeDefault" && profile !== "Localhost") add("has no seccompProfile RuntimeDefault or Localhost (container or pod securityContext)");
    }
    return problems;
}

function check(subjects: readonly Subject[]): readonly Finding[] {
    const levels = new Map<string, Level>();
    for (const s of subjects) {
        if (!isKubeKind(s.type, "core", "Namespace")) continue;
        const name = knownString(at(s.props, ["metadata", "name"]));
        const level = at(s.props, ["metadata", "labels", ENFORCE_LABEL]);
        if (name !== undefined && (level === "baseline" || level === "restricted")) levels.set(name, level);
    }
    if (levels.size === 0) return [];
    return subjects.flatMap((subject) => {
        const workload = extractWorkload(subject);
        const level = workload?.id.namespace === undefined ? undefined : levels.get(workload.id.namespace);
        if (workload === undefined || level === undefined) return [];
        const pod = podOf(subject);
        return podSecurityProblems(workload, pod.spec, level, pod.metadata).map(({ container, problem }): Finding => ({
            ...workload.id,
            ...(container !== undefined ? { container } : {}),
            message: `${container === undefined ? `${describeObject(workload.id)} ` : ""}${problem}: namespace ${workload.id.namespace} enforces Pod Security "${level}", so the API server creates none of its pods`,
        }));
    });
}

/** Stack rule: needs the Namespace and the workload together. */
export const podSecurityAdmissionRule: StackRule = {
    name: "pod-security-admission",
    description:
        "Every workload in a namespace of the stack labelled pod-security.kubernetes.io/enforce meets that Pod Security level (baseline or restricted), so the admission controller does not refuse its pods.",
    enforcementLevel: "mandatory",
    settingKeys: [],
    check,
};

/** CrossGuard policy. */
export const podSecurityAdmission = toStackPolicy(podSecurityAdmissionRule);
