import * as assert from "assert/strict";
import { requireProbes } from "../../../policy/policies/require-probes";
import { fixture, messages, NotApplicableError, podSpec, UNKNOWN_VALUE, validate, WORKLOAD_FIXTURES } from "../helpers";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

describe("require-probes", () => {
    for (const { kind, type, file } of WORKLOAD_FIXTURES) {
        it(`accepts a compliant ${kind}`, () => {
            assert.deepEqual(messages(requireProbes, type, fixture(file)), []);
        });
    }

    it("rejects a Deployment container without a liveness probe", () => {
        const deployment = fixture("workloads/deployment.yaml");
        delete podSpec(deployment).containers[0].livenessProbe;
        assert.deepEqual(messages(requireProbes, DEPLOYMENT, deployment), ['Deployment platform/api-gateway container "app" is missing livenessProbe']);
    });

    it("rejects a container with a startup probe but no liveness probe", () => {
        const statefulSet = fixture("workloads/statefulset.yaml");
        const container = podSpec(statefulSet).containers[0];
        container.startupProbe = container.livenessProbe;
        delete container.livenessProbe;
        assert.deepEqual(messages(requireProbes, "kubernetes:apps/v1:StatefulSet", statefulSet), [
            'StatefulSet platform/api-gateway container "app" is missing livenessProbe',
        ]);
    });

    it("rejects a second container without probes and names both missing probes once", () => {
        const daemonSet = fixture("workloads/daemonset.yaml");
        podSpec(daemonSet).containers.push({ name: "log-shipper", image: "fluent/fluent-bit:3.1.4" });
        assert.deepEqual(messages(requireProbes, "kubernetes:apps/v1:DaemonSet", daemonSet), [
            'DaemonSet platform/api-gateway container "log-shipper" is missing readinessProbe, livenessProbe',
        ]);
    });

    it("rejects an empty probe object, which has no handler", () => {
        const pod = fixture("workloads/pod.yaml");
        podSpec(pod).containers[0].readinessProbe = {};
        assert.deepEqual(messages(requireProbes, "kubernetes:core/v1:Pod", pod), ['Pod platform/api-gateway container "app" is missing readinessProbe']);
    });

    it("rejects a native sidecar (init container with restartPolicy Always) without probes", () => {
        const replicaSet = fixture("workloads/replicaset.yaml");
        podSpec(replicaSet).initContainers.push({ name: "proxy", image: "envoyproxy/envoy:v1.31.0", restartPolicy: "Always" });
        assert.deepEqual(messages(requireProbes, "kubernetes:apps/v1:ReplicaSet", replicaSet), [
            'ReplicaSet platform/api-gateway init container "proxy" is missing readinessProbe, livenessProbe',
        ]);
    });

    it("does not require probes on ordinary init containers", () => {
        const deployment = fixture("workloads/deployment.yaml");
        assert.equal(podSpec(deployment).initContainers[0].readinessProbe, undefined);
        assert.deepEqual(messages(requireProbes, DEPLOYMENT, deployment), []);
    });

    it("exempts Jobs and CronJobs", () => {
        const cronJob = fixture("workloads/cronjob.yaml");
        delete podSpec(cronJob).containers[0].readinessProbe;
        delete podSpec(cronJob).containers[0].livenessProbe;
        const job = fixture("workloads/job.yaml");
        delete podSpec(job).containers[0].livenessProbe;
        assert.deepEqual(messages(requireProbes, "kubernetes:batch/v1:CronJob", cronJob), []);
        assert.deepEqual(messages(requireProbes, "kubernetes:batch/v1:Job", job), []);
    });

    it("treats a probe unknown at preview as set, reporting one advisory that names the unknown fields", () => {
        const deployment = fixture("workloads/deployment.yaml");
        podSpec(deployment).containers[0].livenessProbe = UNKNOWN_VALUE;
        assert.deepEqual(validate(requireProbes, DEPLOYMENT, deployment).map((v) => [v.enforcementLevel, v.message]), [["advisory", "Deployment platform/api-gateway: not checked yet (unknown during preview): spec.template.spec.containers[0].livenessProbe; require-probes runs on them at `pulumi up`"]]);
    });

    it("honours a reviewed exemption for a chart container without a probe setting", () => {
        const statefulSet = fixture("workloads/statefulset.yaml");
        statefulSet.metadata = { name: "argocd-application-controller", namespace: "argocd" };
        podSpec(statefulSet).containers[0].name = "application-controller";
        delete podSpec(statefulSet).containers[0].livenessProbe;
        const config = {
            exemptions: [
                {
                    policy: "require-probes",
                    kind: "StatefulSet",
                    namespace: "argocd",
                    name: "argocd-application-controller",
                    container: "application-controller",
                    reason: "argo-cd chart 10.1.1 has no controller liveness probe setting",
                },
            ],
        };
        assert.deepEqual(messages(requireProbes, "kubernetes:apps/v1:StatefulSet", statefulSet, { config }), []);
        assert.deepEqual(messages(requireProbes, "kubernetes:apps/v1:StatefulSet", statefulSet), [
            'StatefulSet argocd/argocd-application-controller container "application-controller" is missing livenessProbe',
        ]);
    });

    it("ignores exemption-like annotations set by the workload owner", () => {
        const deployment = fixture("workloads/deployment.yaml");
        deployment.metadata.annotations = { "policy.footanalytics.io/exempt": "require-probes" };
        delete podSpec(deployment).containers[0].readinessProbe;
        assert.deepEqual(messages(requireProbes, DEPLOYMENT, deployment), ['Deployment platform/api-gateway container "app" is missing readinessProbe']);
    });

    it("reports an AppProject as not applicable", () => {
        assert.throws(() => validate(requireProbes, "kubernetes:argoproj.io/v1alpha1:AppProject", {}), NotApplicableError);
    });
});
