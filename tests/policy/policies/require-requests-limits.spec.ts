import * as assert from "assert/strict";
import { requireRequestsLimits } from "../../../policy/policies/require-requests-limits";
import { fixture, messages, NotApplicableError, podSpec, UNKNOWN_VALUE, validate, WORKLOAD_FIXTURES } from "../helpers";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const CRONJOB = "kubernetes:batch/v1:CronJob";

describe("require-requests-limits", () => {
    for (const { kind, type, file } of WORKLOAD_FIXTURES) {
        it(`accepts a compliant ${kind}`, () => {
            assert.deepEqual(messages(requireRequestsLimits, type, fixture(file)), []);
        });
    }

    it("rejects a Deployment container with empty resources", () => {
        const deployment = fixture("workloads/deployment.yaml");
        podSpec(deployment).containers[0].resources = {};
        assert.deepEqual(messages(requireRequestsLimits, DEPLOYMENT, deployment), [
            'Deployment platform/api-gateway container "app" is missing resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory',
        ]);
    });

    it("rejects a Deployment container without a memory limit", () => {
        const deployment = fixture("workloads/deployment.yaml");
        delete podSpec(deployment).containers[0].resources.limits.memory;
        assert.deepEqual(messages(requireRequestsLimits, DEPLOYMENT, deployment), [
            'Deployment platform/api-gateway container "app" is missing resources.limits.memory',
        ]);
    });

    it("rejects a CronJob whose job template container has no memory limit", () => {
        const cronJob = fixture("workloads/cronjob.yaml");
        delete podSpec(cronJob).containers[0].resources.limits.memory;
        assert.deepEqual(messages(requireRequestsLimits, CRONJOB, cronJob), ['CronJob platform/api-gateway container "app" is missing resources.limits.memory']);
    });

    it("rejects a CronJob whose init container has no requests", () => {
        const cronJob = fixture("workloads/cronjob.yaml");
        delete podSpec(cronJob).initContainers[0].resources.requests;
        assert.deepEqual(messages(requireRequestsLimits, CRONJOB, cronJob), [
            'CronJob platform/api-gateway init container "migrate" is missing resources.requests.cpu, resources.requests.memory',
        ]);
    });

    it("rejects a second container without resources and reports only that container", () => {
        const deployment = fixture("workloads/deployment.yaml");
        podSpec(deployment).containers.push({ name: "sidecar", image: "envoyproxy/envoy:v1.31.0" });
        assert.deepEqual(messages(requireRequestsLimits, DEPLOYMENT, deployment), [
            'Deployment platform/api-gateway container "sidecar" is missing resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory',
        ]);
    });

    it("rejects a StatefulSet container without a CPU limit by default", () => {
        const statefulSet = fixture("workloads/statefulset.yaml");
        delete podSpec(statefulSet).containers[0].resources.limits.cpu;
        assert.deepEqual(messages(requireRequestsLimits, "kubernetes:apps/v1:StatefulSet", statefulSet), [
            'StatefulSet platform/api-gateway container "app" is missing resources.limits.cpu',
        ]);
    });

    it("accepts a missing CPU limit when the pack config sets requireCpuLimits to false", () => {
        const statefulSet = fixture("workloads/statefulset.yaml");
        delete podSpec(statefulSet).containers[0].resources.limits.cpu;
        assert.deepEqual(messages(requireRequestsLimits, "kubernetes:apps/v1:StatefulSet", statefulSet, { config: { requireCpuLimits: false } }), []);
    });

    it("names an unnamed container by its position", () => {
        const pod = fixture("workloads/pod.yaml");
        delete podSpec(pod).containers[0].name;
        podSpec(pod).containers[0].resources = {};
        assert.deepEqual(messages(requireRequestsLimits, "kubernetes:core/v1:Pod", pod), [
            'Pod platform/api-gateway container "containers[0]" is missing resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory',
        ]);
    });

    it("falls back to the Pulumi resource name when metadata.name is auto-named", () => {
        const job = fixture("workloads/job.yaml");
        delete job.metadata.name;
        podSpec(job).containers[0].resources = {};
        assert.deepEqual(messages(requireRequestsLimits, "kubernetes:batch/v1:Job", job, { name: "nightly-report" }), [
            'Job platform/nightly-report container "app" is missing resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory',
        ]);
    });

    it("skips values unknown at preview instead of flagging or throwing, reporting one advisory that names the unknown fields", () => {
        const deployment = fixture("workloads/deployment.yaml");
        podSpec(deployment).containers[0].resources = UNKNOWN_VALUE;
        podSpec(deployment).initContainers[0].resources.limits.memory = UNKNOWN_VALUE;
        assert.deepEqual(messages(requireRequestsLimits, DEPLOYMENT, deployment), ["Deployment platform/api-gateway: not checked yet (unknown during preview): spec.template.spec.initContainers[0].resources.limits.memory, spec.template.spec.containers[0].resources; require-requests-limits runs on them at `pulumi up`"]);
    });

    it("skips a pod template whose container list is unknown at preview, reporting one advisory that names the unknown fields", () => {
        const deployment = fixture("workloads/deployment.yaml");
        deployment.spec.template.spec = UNKNOWN_VALUE;
        assert.deepEqual(messages(requireRequestsLimits, DEPLOYMENT, deployment), ["Deployment platform/api-gateway: not checked yet (unknown during preview): spec.template.spec; require-requests-limits runs on them at `pulumi up`"]);
    });

    it("does not throw on a workload without a spec", () => {
        assert.deepEqual(messages(requireRequestsLimits, DEPLOYMENT, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "empty" } }), []);
    });

    it("reports a Service as not applicable", () => {
        assert.throws(() => validate(requireRequestsLimits, "kubernetes:core/v1:Service", { spec: {} }), NotApplicableError);
    });

    it("honours an exemption from the pack config for the named container only", () => {
        const deployment = fixture("workloads/deployment.yaml");
        podSpec(deployment).containers[0].resources = {};
        podSpec(deployment).initContainers[0].resources = {};
        const config = {
            exemptions: [{ kind: "Deployment", namespace: "platform", name: "api-gateway", container: "app", reason: "upstream chart offers no resources setting" }],
        };
        assert.deepEqual(messages(requireRequestsLimits, DEPLOYMENT, deployment, { config }), [
            'Deployment platform/api-gateway init container "migrate" is missing resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory',
        ]);
    });

    it("reports an exemption without a reason as a configuration problem and does not apply it", () => {
        const deployment = fixture("workloads/deployment.yaml");
        podSpec(deployment).containers[0].resources = {};
        const config = { exemptions: [{ kind: "Deployment", namespace: "platform", name: "api-gateway" }] };
        assert.deepEqual(messages(requireRequestsLimits, DEPLOYMENT, deployment, { config }), [
            "invalid policy pack configuration: require-requests-limits.exemptions[0].reason is required: say why upstream leaves no choice",
            'Deployment platform/api-gateway container "app" is missing resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory',
        ]);
    });
});
