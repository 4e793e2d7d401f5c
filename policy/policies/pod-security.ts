import { Finding, ResourceRule, toResourcePolicy } from "../lib/engine";
import { describeObject, Subject } from "../lib/kube";
import { at, isRecord, knownString } from "../lib/values";
import { describeContainer, extractWorkload, workloadKindOf } from "../lib/workloads";

/**
 * What reaches the node from a pod: the host's network, process and IPC namespaces, its filesystem
 * (hostPath), a privileged container, added Linux capabilities. These are the controls of the Pod
 * Security Standards' `baseline` level that give a container node root
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/, "Host Namespaces",
 * "Privileged Containers", "Capabilities", "HostPath Volumes"); the rule refuses them everywhere
 * except for reviewed exemptions (policy/pack-config.json, reason required), so rendered charts and
 * gitops-config manifests are judged before Pod Security Admission would reject them at sync time.
 */
const HOST_NAMESPACES = { hostNetwork: "network", hostPID: "PID", hostIPC: "IPC" } as const;

/** The one capability `restricted` lets a container add (binding a port below 1024). */
const ALLOWED_CAPABILITY = "NET_BIND_SERVICE";

function podFindings(subject: Subject): readonly Finding[] {
    const workload = extractWorkload(subject);
    if (workload === undefined) {
        return [];
    }
    const what = describeObject(workload.id);
    const findings: Finding[] = [];
    for (const [field, namespace] of Object.entries(HOST_NAMESPACES)) {
        if (at(workload.podSpec, [field]) === true) {
            findings.push({ ...workload.id, message: `${what} sets ${field}: true (the node's ${namespace} namespace); remove it or add a reviewed exemption` });
        }
    }
    const volumes = at(workload.podSpec, ["volumes"]);
    if (Array.isArray(volumes)) {
        for (const volume of volumes) {
            if (!isRecord(volume) || !isRecord(volume.hostPath)) {
                continue;
            }
            const name = knownString(volume.name) ?? "(unnamed)";
            const hostPath = knownString(volume.hostPath.path) ?? "(unknown path)";
            findings.push({ ...workload.id, message: `${what} mounts the node's ${hostPath} (hostPath volume "${name}"); use another volume type or add a reviewed exemption` });
        }
    }
    for (const container of workload.containers) {
        const context = container.spec.securityContext;
        if (!isRecord(context)) {
            continue;
        }
        if (context.privileged === true) {
            findings.push({ ...workload.id, container: container.name, message: `${describeContainer(workload, container)} is privileged (securityContext.privileged: true); remove it or add a reviewed exemption` });
        }
        const added = at(context, ["capabilities", "add"]);
        const extra = Array.isArray(added) ? added.filter((c): c is string => typeof c === "string" && c !== ALLOWED_CAPABILITY) : [];
        if (extra.length > 0) {
            findings.push({
                ...workload.id,
                container: container.name,
                message: `${describeContainer(workload, container)} adds capabilities ${extra.join(", ")} (only ${ALLOWED_CAPABILITY} is allowed); drop them or add a reviewed exemption`,
            });
        }
    }
    return findings;
}

/** Pure rule, also applied by `npm run policy:manifests`. */
export const podSecurityRule: ResourceRule = {
    name: "pod-security",
    description:
        "No workload uses the node's network, PID or IPC namespace, mounts a hostPath volume, runs a privileged container or adds a Linux capability other than NET_BIND_SERVICE, outside reviewed exemptions.",
    enforcementLevel: "mandatory",
    settingKeys: [],
    appliesTo: (type) => workloadKindOf(type) !== undefined,
    check: podFindings,
};

/** CrossGuard policy. */
export const podSecurity = toResourcePolicy(podSecurityRule);
