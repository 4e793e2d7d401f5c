import * as assert from "assert/strict";
import { podSecurity } from "../../../policy/policies/pod-security";
import { fixture, messages, NotApplicableError, podSpec, UNKNOWN_VALUE, validate, WORKLOAD_FIXTURES } from "../helpers";

const DAEMONSET = "kubernetes:apps/v1:DaemonSet";

describe("pod-security", () => {
    for (const { kind, type, file } of WORKLOAD_FIXTURES) {
        it(`accepts a compliant ${kind}`, () => {
            assert.deepEqual(messages(podSecurity, type, fixture(file)), []);
        });
    }

    it("rejects the node's network, PID and IPC namespaces, one finding each", () => {
        const daemonSet = fixture("workloads/daemonset.yaml");
        Object.assign(podSpec(daemonSet), { hostNetwork: true, hostPID: true, hostIPC: true });
        assert.deepEqual(messages(podSecurity, DAEMONSET, daemonSet), [
            "DaemonSet platform/api-gateway sets hostNetwork: true (the node's network namespace); remove it or add a reviewed exemption",
            "DaemonSet platform/api-gateway sets hostPID: true (the node's PID namespace); remove it or add a reviewed exemption",
            "DaemonSet platform/api-gateway sets hostIPC: true (the node's IPC namespace); remove it or add a reviewed exemption",
        ]);
    });

    it("accepts host namespaces set to false", () => {
        const daemonSet = fixture("workloads/daemonset.yaml");
        Object.assign(podSpec(daemonSet), { hostNetwork: false, hostPID: false, hostIPC: false });
        assert.deepEqual(messages(podSecurity, DAEMONSET, daemonSet), []);
    });

    it("rejects a hostPath volume, naming the path and the volume, and accepts other volume types", () => {
        const deployment = fixture("workloads/deployment.yaml");
        podSpec(deployment).volumes = [
            { name: "root", hostPath: { path: "/", type: "Directory" } },
            { name: "cache", emptyDir: {} },
        ];
        assert.deepEqual(messages(podSecurity, "kubernetes:apps/v1:Deployment", deployment), [
            'Deployment platform/api-gateway mounts the node\'s / (hostPath volume "root"); use another volume type or add a reviewed exemption',
        ]);
    });

    it("rejects a privileged container and added capabilities in containers and init containers, allowing NET_BIND_SERVICE", () => {
        const job = fixture("workloads/job.yaml");
        const spec = podSpec(job);
        spec.containers[0].securityContext = { privileged: true, capabilities: { add: ["NET_BIND_SERVICE", "SYS_ADMIN", "NET_RAW"] } };
        spec.initContainers = [{ name: "setup", image: "busybox:1.36", securityContext: { capabilities: { add: ["NET_BIND_SERVICE"] } } }];
        assert.deepEqual(messages(podSecurity, "kubernetes:batch/v1:Job", job), [
            `Job platform/${(job.metadata as { name: string }).name} container "${spec.containers[0].name}" is privileged (securityContext.privileged: true); remove it or add a reviewed exemption`,
            `Job platform/${(job.metadata as { name: string }).name} container "${spec.containers[0].name}" adds capabilities SYS_ADMIN, NET_RAW (only NET_BIND_SERVICE is allowed); drop them or add a reviewed exemption`,
        ]);
    });

    it("honours a reviewed exemption of the pack configuration", () => {
        const daemonSet = fixture("workloads/daemonset.yaml");
        podSpec(daemonSet).volumes = [{ name: "device-plugins", hostPath: { path: "/var/lib/kubelet/device-plugins" } }];
        const config = { exemptions: [{ kind: "DaemonSet", namespace: "platform", name: "api-gateway", reason: "registers with the kubelet over its device-plugin socket" }] };
        assert.deepEqual(messages(podSecurity, DAEMONSET, daemonSet, { config }), []);
    });

    it("reports a pod spec unknown at preview as not checked yet, and nothing else", () => {
        const daemonSet = fixture("workloads/daemonset.yaml");
        (daemonSet.spec as { template: { spec: unknown } }).template.spec = UNKNOWN_VALUE;
        assert.deepEqual(messages(podSecurity, DAEMONSET, daemonSet), ["DaemonSet platform/api-gateway: not checked yet (unknown during preview): spec.template.spec; pod-security runs on them at `pulumi up`"]);
    });

    it("reports a ConfigMap as not applicable", () => {
        assert.throws(() => validate(podSecurity, "kubernetes:core/v1:ConfigMap", {}), NotApplicableError);
    });
});
