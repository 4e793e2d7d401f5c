import * as assert from "assert/strict";
import { planAddons } from "../../plans/addons";

const VERSIONS = {
    vpcCni: "v1.20.4-eksbuild.2",
    coredns: "v1.12.4-eksbuild.1",
    kubeProxy: "v1.33.5-eksbuild.2",
    podIdentityAgent: "v1.3.9-eksbuild.3",
    ebsCsiDriver: "v1.51.1-eksbuild.1",
};

describe("cluster add-on plan", () => {
    const plans = planAddons(VERSIONS);

    it("pins the five managed add-ons to the configured versions", () => {
        assert.deepEqual(plans.map((a) => [a.addonName, a.addonVersion]), [
            ["vpc-cni", "v1.20.4-eksbuild.2"],
            ["kube-proxy", "v1.33.5-eksbuild.2"],
            ["eks-pod-identity-agent", "v1.3.9-eksbuild.3"],
            ["coredns", "v1.12.4-eksbuild.1"],
            ["aws-ebs-csi-driver", "v1.51.1-eksbuild.1"],
        ]);
    });

    it("turns on network policy enforcement in the VPC CNI", () => {
        const cni = plans.find((a) => a.addonName === "vpc-cni");
        assert.equal(cni?.configurationValues, '{"enableNetworkPolicy":"true"}');
        assert.deepEqual(plans.filter((a) => a.configurationValues !== undefined).map((a) => a.addonName), ["vpc-cni"]);
    });

    it("creates the node DaemonSets before the node groups and the Deployments after them", () => {
        assert.deepEqual(plans.filter((a) => a.phase === "before-nodes").map((a) => a.addonName), ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]);
        assert.deepEqual(plans.filter((a) => a.phase === "after-nodes").map((a) => a.addonName), ["coredns", "aws-ebs-csi-driver"]);
    });

    it("gives the EBS CSI controller its own IRSA role with the AWS managed policy", () => {
        assert.deepEqual(plans.filter((a) => a.irsa !== undefined).map((a) => [a.addonName, a.irsa]), [
            ["aws-ebs-csi-driver", { namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa", policy: "service-role/AmazonEBSCSIDriverPolicy" }],
        ]);
    });

    it("lets the pinned configuration win conflicts and keeps add-on software if the resource is deleted", () => {
        for (const a of plans) {
            assert.deepEqual([a.resolveConflictsOnCreate, a.resolveConflictsOnUpdate, a.preserve], ["OVERWRITE", "OVERWRITE", true], a.addonName);
        }
    });
});
