import * as assert from "assert/strict";
import { DEFAULT_SETTINGS } from "../../../policy/lib/config";
import { stackFindingsFor } from "../../../policy/lib/engine";
import { Subject } from "../../../policy/lib/kube";
import { podSecurityAdmissionRule } from "../../../policy/policies/pod-security-admission";
import { fixture, Json, podSpec } from "../helpers";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

/** A namespace labelled with a Pod Security level. */
function namespace(name: string, level?: string): Subject {
    return { type: "kubernetes:core/v1:Namespace", name, props: { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: level === undefined ? {} : { "pod-security.kubernetes.io/enforce": level } } } };
}

/** The compliant Deployment fixture in `ns`, restricted-ready, edited by `edit`. */
function deployment(ns: string, edit: (d: Json) => void = () => undefined): Subject {
    const d = fixture("workloads/deployment.yaml");
    d.metadata.namespace = ns;
    const spec = podSpec(d);
    spec.securityContext = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) c.securityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
    edit(d);
    return { type: DEPLOYMENT, name: d.metadata.name, props: d };
}

const messages = (subjects: readonly Subject[]) => stackFindingsFor(podSecurityAdmissionRule, subjects, DEFAULT_SETTINGS).map((f) => f.message);
const SUFFIX = (ns: string, level: string) => `namespace ${ns} enforces Pod Security "${level}", so the API server creates none of its pods`;

describe("pod-security-admission", () => {
    it("passes a restricted-ready workload in a restricted namespace, and judges nothing in a namespace that enforces no level", () => {
        assert.deepEqual(messages([namespace("argocd", "restricted"), deployment("argocd")]), []);
        assert.deepEqual(messages([namespace("apps"), deployment("apps", (d) => (podSpec(d).hostNetwork = true))]), []);
        assert.deepEqual(messages([deployment("nowhere", (d) => (podSpec(d).hostNetwork = true))]), []);
    });

    it("refuses what restricted refuses, one finding per field, naming the container", () => {
        const d = deployment("argocd", (x) => {
            const c = podSpec(x).containers[0];
            c.securityContext = { capabilities: { add: ["NET_ADMIN"] } };
            delete podSpec(x).securityContext.seccompProfile;
        });
        const name = `Deployment argocd/${String((d.props.metadata as Json).name)}`;
        const container = `container "${String(podSpec(d.props).containers[0].name)}"`;
        assert.deepEqual(messages([namespace("argocd", "restricted"), d]), [
            `${name} ${container} adds the capabilities NET_ADMIN: ${SUFFIX("argocd", "restricted")}`,
            `${name} ${container} does not set securityContext.allowPrivilegeEscalation: false: ${SUFFIX("argocd", "restricted")}`,
            `${name} ${container} does not drop ALL capabilities (securityContext.capabilities.drop): ${SUFFIX("argocd", "restricted")}`,
            `${name} ${container} has no seccompProfile RuntimeDefault or Localhost (container or pod securityContext): ${SUFFIX("argocd", "restricted")}`,
            // The pod-level profile was the init container's too.
            `${name} init container "migrate" has no seccompProfile RuntimeDefault or Localhost (container or pod securityContext): ${SUFFIX("argocd", "restricted")}`,
        ]);
    });

    it("refuses under baseline what baseline refuses, and lets baseline add its own capabilities, compared literally", () => {
        const ns = namespace("ops", "baseline");
        const loose = deployment("ops", (x) => {
            podSpec(x).securityContext = {};
            podSpec(x).containers[0].securityContext = { capabilities: { add: ["CHOWN"] } };
        });
        assert.deepEqual(messages([ns, loose]), []);
        const findings = messages([
            ns,
            deployment("ops", (x) => {
                const pod = podSpec(x);
                pod.hostPID = true;
                pod.volumes = [{ name: "root", hostPath: { path: "/" } }];
                pod.securityContext = { sysctls: [{ name: "kernel.msgmax", value: "1" }, { name: "net.ipv4.tcp_syncookies", value: "1" }], seLinuxOptions: { type: "spc_t" } };
                pod.containers[0].securityContext = { privileged: true, capabilities: { add: ["CAP_CHOWN"] }, appArmorProfile: { type: "Unconfined" }, windowsOptions: { hostProcess: true } };
                pod.containers[0].ports = [{ containerPort: 80, hostPort: 8080 }];
            }),
        ]);
        assert.equal(findings.length, 9, findings.join("\n"));
        for (const part of ["sets hostPID: true", 'mounts the hostPath volume "root"', "sets the sysctls kernel.msgmax, which baseline does not allow", "sets securityContext.seLinuxOptions.type spc_t", "sets securityContext.privileged: true", "adds the capabilities CAP_CHOWN", "uses hostPort 8080", "sets securityContext.appArmorProfile.type Unconfined", "sets securityContext.windowsOptions.hostProcess: true"]) {
            assert.ok(findings.some((f) => f.includes(part)), `missing: ${part}`);
        }
    });

    it("refuses the AppArmor annotation unconfined, and leaves Windows pods out of the Linux-only restricted checks", () => {
        const annotated = deployment("argocd", (x) => (x.spec.template.metadata = { ...x.spec.template.metadata, annotations: { [`container.apparmor.security.beta.kubernetes.io/${String(podSpec(x).containers[0].name)}`]: "unconfined" } }));
        assert.deepEqual(messages([namespace("argocd", "restricted"), annotated]).map((m) => m.replace(/^.*" /, "")), [`has the AppArmor annotation unconfined: ${SUFFIX("argocd", "restricted")}`]);
        const windows = deployment("argocd", (x) => {
            const pod = podSpec(x);
            pod.os = { name: "windows" };
            pod.securityContext = { runAsNonRoot: true };
            pod.containers[0].securityContext = {};
        });
        assert.deepEqual(messages([namespace("argocd", "restricted"), windows]), []);
    });

    it("honours a reviewed exemption for one container only", () => {
        const privileged = deployment("argocd", (x) => (podSpec(x).containers[0].securityContext.privileged = true));
        const metadata = privileged.props.metadata as Json;
        const container = String(podSpec(privileged.props).containers[0].name);
        const exempt = { ...DEFAULT_SETTINGS, exemptions: [{ policy: "pod-security-admission", kind: "Deployment", namespace: "argocd", name: metadata.name, container, reason: "r" }] };
        assert.deepEqual(stackFindingsFor(podSecurityAdmissionRule, [namespace("argocd", "restricted"), privileged], exempt), []);
        const other = { ...exempt, exemptions: [{ ...exempt.exemptions[0], container: "other" }] };
        assert.equal(stackFindingsFor(podSecurityAdmissionRule, [namespace("argocd", "restricted"), privileged], other).length, 1);
    });
});
