import * as assert from "assert/strict";
import { manifestType, parseKubeType, subjectFromManifest } from "../../../policy/lib/kube";
import { extractWorkload, workloadKindOf } from "../../../policy/lib/workloads";
import { fixture, podSpec, WORKLOAD_FIXTURES } from "../helpers";

describe("workload extraction", () => {
    it("recognises every workload kind by its Pulumi type token and ignores patches and other groups", () => {
        for (const { kind, type } of WORKLOAD_FIXTURES) assert.equal(workloadKindOf(type), kind);
        assert.equal(workloadKindOf("kubernetes:apps/v1:DeploymentPatch"), undefined);
        assert.equal(workloadKindOf("kubernetes:apps/v1:DeploymentList"), undefined);
        assert.equal(workloadKindOf("kubernetes:example.com/v1:Deployment"), undefined);
        assert.equal(workloadKindOf("aws:ec2/instance:Instance"), undefined);
    });

    it("maps manifest apiVersions to Pulumi type tokens, core group included", () => {
        assert.equal(manifestType("v1", "Pod"), "kubernetes:core/v1:Pod");
        assert.equal(manifestType("batch/v1", "CronJob"), "kubernetes:batch/v1:CronJob");
        assert.deepEqual(parseKubeType("kubernetes:core/v1:Pod"), { group: "core", version: "v1", kind: "Pod" });
    });

    it("lists a CronJob's job-template containers and init containers, containers first", () => {
        const subject = subjectFromManifest(fixture("workloads/cronjob.yaml"));
        assert.ok(subject);
        const workload = extractWorkload(subject);
        assert.deepEqual(
            workload?.containers.map((c) => [c.name, c.init, c.sidecar]),
            [
                ["app", false, false],
                ["migrate", true, false],
            ],
        );
        assert.equal(workload?.longRunning, false);
        assert.deepEqual(workload?.id, { kind: "CronJob", namespace: "platform", name: "api-gateway" });
    });

    it("marks native sidecars and keeps the namespace out of objects that set none", () => {
        const deployment = fixture("workloads/deployment.yaml");
        delete deployment.metadata.namespace;
        podSpec(deployment).initContainers[0].restartPolicy = "Always";
        const workload = extractWorkload(subjectFromManifest(deployment)!);
        assert.equal(workload?.containers[1].sidecar, true);
        assert.deepEqual(workload?.id, { kind: "Deployment", name: "api-gateway" });
    });

    it("returns no containers for a workload without a pod template", () => {
        const workload = extractWorkload({ type: "kubernetes:apps/v1:StatefulSet", name: "db", props: { metadata: { name: "db" } } });
        assert.deepEqual(workload?.containers, []);
    });
});
