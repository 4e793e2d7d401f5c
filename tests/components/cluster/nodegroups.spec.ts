import * as assert from "assert/strict";
import { amiTypeOf, planNodeGroups } from "../../../components/cluster/nodegroups";
import { NodeGroupConfig } from "../../../config/schema/cluster";

const group = (over: Partial<NodeGroupConfig> = {}): NodeGroupConfig => ({
    name: "system",
    role: "system",
    instanceTypes: ["m7i.xlarge"],
    capacityType: "ON_DEMAND",
    minSize: 3,
    desiredSize: 3,
    maxSize: 6,
    amiType: undefined as unknown as NodeGroupConfig["amiType"],
    diskSizeGiB: 100,
    labels: { "footanalytics.io/node-role": "system" },
    taints: [],
    ...over,
});

const TAGS = { "app.kubernetes.io/part-of": "footanalytics" };

describe("cluster node group plan", () => {
    it("requires IMDSv2 with a hop limit of one in every launch template", () => {
        const [plan] = planNodeGroups("c", "1.33", [group()], TAGS);
        assert.deepEqual(plan.launchTemplate.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" });
    });

    it("gives every node an encrypted gp3 root volume of the configured size", () => {
        const [plan] = planNodeGroups("c", "1.33", [group({ diskSizeGiB: 200 })], TAGS);
        assert.deepEqual(plan.launchTemplate.blockDeviceMappings, [
            { deviceName: "/dev/xvda", ebs: { volumeSize: 200, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
        ]);
    });

    it("tags instances, volumes and network interfaces with the stack's tags", () => {
        const [plan] = planNodeGroups("footanalytics-production", "1.33", [group()], TAGS);
        const expected = { "app.kubernetes.io/part-of": "footanalytics", Name: "footanalytics-production-system", "footanalytics.io/node-group": "system" };
        assert.deepEqual(plan.launchTemplate.tagSpecifications, [
            { resourceType: "instance", tags: expected },
            { resourceType: "volume", tags: expected },
            { resourceType: "network-interface", tags: expected },
        ]);
    });

    it("plans an Amazon Linux 2023 node group with a name prefix, sizes, labels and taints", () => {
        const [plan] = planNodeGroups(
            "c",
            "1.33",
            [group({ name: "ml-gpu", role: "workload", instanceTypes: ["g5.xlarge"], minSize: 0, desiredSize: 1, maxSize: 4, taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }], labels: {} })],
            TAGS,
        );
        assert.deepEqual(plan.nodeGroup, {
            nodeGroupNamePrefix: "ml-gpu-",
            amiType: "AL2023_x86_64_NVIDIA",
            version: "1.33",
            instanceTypes: ["g5.xlarge"],
            capacityType: "ON_DEMAND",
            scalingConfig: { minSize: 0, desiredSize: 1, maxSize: 4 },
            updateConfig: { maxUnavailable: 1 },
            nodeRepairConfig: { enabled: true },
            labels: { "footanalytics.io/node-group": "ml-gpu" },
            taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
            tags: { Name: "c-ml-gpu", "footanalytics.io/node-group-role": "workload" },
        });
    });

    it("leaves the value out of a taint that has none", () => {
        const [plan] = planNodeGroups("c", "1.33", [group({ role: "workload", taints: [{ key: "dedicated", effect: "NO_EXECUTE" } as NodeGroupConfig["taints"][number]] })], TAGS);
        assert.deepEqual(plan.nodeGroup.taints, [{ key: "dedicated", effect: "NO_EXECUTE" }]);
    });

    it("taints and labels the system group so that only Argo CD and the cluster services run there, and leaves workload groups alone", () => {
        const [system, workloads] = planNodeGroups("c", "1.33", [group({ labels: {} }), group({ name: "workloads", role: "workload", labels: {} })], TAGS);
        assert.deepEqual(system.nodeGroup.taints, [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }]);
        assert.deepEqual(system.nodeGroup.labels, { "footanalytics.io/node-role": "system", "footanalytics.io/node-group": "system" });
        assert.deepEqual(workloads.nodeGroup.taints, []);
        assert.deepEqual(workloads.nodeGroup.labels, { "footanalytics.io/node-group": "workloads" });
        const [configured] = planNodeGroups("c", "1.33", [group({ taints: [{ key: "CriticalAddonsOnly", value: "yes", effect: "NO_EXECUTE" }] })], TAGS);
        assert.deepEqual(configured.nodeGroup.taints, [{ key: "CriticalAddonsOnly", value: "yes", effect: "NO_EXECUTE" }]);
    });

    it("uses the configured AMI type over the inferred one", () => {
        assert.equal(amiTypeOf(group({ instanceTypes: ["m7g.large"] })), "AL2023_ARM_64_STANDARD");
        assert.equal(amiTypeOf(group({ instanceTypes: ["g5.xlarge"], amiType: "AL2023_x86_64_STANDARD" })), "AL2023_x86_64_STANDARD");
    });

    it("keys each plan by node group name, in config order", () => {
        const plans = planNodeGroups("c", "1.33", [group(), group({ name: "workloads", role: "workload" })], TAGS);
        assert.deepEqual(plans.map((p) => [p.key, p.role]), [["system", "system"], ["workloads", "workload"]]);
    });
});
