import * as assert from "assert/strict";
import { clusterTagKey, planNetwork, subnetCidr } from "../../../components/cluster/network";
import { ClusterConfig } from "../../../config/schema/cluster";

const vpc = (natGateways: "single" | "one-per-az", availabilityZones = 3): ClusterConfig["vpc"] => ({
    mode: "create",
    cidr: "10.20.0.0/16",
    availabilityZones,
    natGateways,
    vpcId: undefined as unknown as string,
    privateSubnetIds: [],
    publicSubnetIds: [],
});

describe("cluster network plan", () => {
    describe("subnetCidr", () => {
        it("carves the index-th block of the added prefix bits", () => {
            assert.equal(subnetCidr("10.0.0.0/16", 3, 0), "10.0.0.0/19");
            assert.equal(subnetCidr("10.0.0.0/16", 3, 1), "10.0.32.0/19");
            assert.equal(subnetCidr("10.0.0.0/16", 6, 56), "10.0.224.0/22");
            assert.equal(subnetCidr("172.16.0.0/20", 6, 63), "172.16.15.192/26");
        });

        it("refuses a block smaller than AWS allows or an index out of range", () => {
            assert.throws(() => subnetCidr("10.0.0.0/24", 6, 0), { message: "10.0.0.0/24 is too small for 6 more prefix bits (/30; AWS subnets are at most /28)" });
            assert.throws(() => subnetCidr("10.0.0.0/16", 3, 8), { message: "10.0.0.0/16 has 8 blocks of /19; index 8 is out of range" });
        });
    });

    it("puts one large private and one small public subnet in each of three zones", () => {
        const plan = planNetwork("footanalytics-staging", vpc("single"));
        assert.deepEqual(plan.privateSubnets.map((s) => [s.key, s.zoneIndex, s.cidrBlock]), [
            ["private-1", 0, "10.20.0.0/19"],
            ["private-2", 1, "10.20.32.0/19"],
            ["private-3", 2, "10.20.64.0/19"],
        ]);
        assert.deepEqual(plan.publicSubnets.map((s) => [s.key, s.zoneIndex, s.cidrBlock]), [
            ["public-1", 0, "10.20.224.0/22"],
            ["public-2", 1, "10.20.228.0/22"],
            ["public-3", 2, "10.20.232.0/22"],
        ]);
    });

    it("tags subnets for load balancer and cluster discovery", () => {
        const plan = planNetwork("footanalytics-staging", vpc("single"));
        assert.deepEqual(plan.publicSubnets[0].tags, { Name: "footanalytics-staging-public-1", "kubernetes.io/role/elb": "1", "kubernetes.io/cluster/footanalytics-staging": "shared" });
        assert.deepEqual(plan.privateSubnets[2].tags, { Name: "footanalytics-staging-private-3", "kubernetes.io/role/internal-elb": "1", "kubernetes.io/cluster/footanalytics-staging": "shared" });
        assert.equal(clusterTagKey("x"), "kubernetes.io/cluster/x");
    });

    it("routes every zone through one NAT gateway when it is single", () => {
        const plan = planNetwork("c", vpc("single"));
        assert.deepEqual(plan.natGateways.map((n) => [n.key, n.publicSubnet]), [["nat-1", "public-1"]]);
        assert.deepEqual(plan.privateRoutes.map((r) => [r.privateSubnet, r.natGateway]), [
            ["private-1", "nat-1"],
            ["private-2", "nat-1"],
            ["private-3", "nat-1"],
        ]);
    });

    it("routes each zone through its own NAT gateway when there is one per AZ", () => {
        const plan = planNetwork("c", vpc("one-per-az"));
        assert.deepEqual(plan.natGateways.map((n) => [n.key, n.publicSubnet]), [
            ["nat-1", "public-1"],
            ["nat-2", "public-2"],
            ["nat-3", "public-3"],
        ]);
        assert.deepEqual(plan.privateRoutes.map((r) => [r.privateSubnet, r.natGateway]), [
            ["private-1", "nat-1"],
            ["private-2", "nat-2"],
            ["private-3", "nat-3"],
        ]);
    });

    it("keeps six zones inside the VPC without overlap", () => {
        const plan = planNetwork("c", vpc("one-per-az", 6));
        const blocks = [...plan.privateSubnets, ...plan.publicSubnets].map((s) => s.cidrBlock);
        assert.equal(new Set(blocks).size, 12);
        assert.equal(plan.privateSubnets[5].cidrBlock, "10.20.160.0/19");
        assert.equal(plan.publicSubnets[5].cidrBlock, "10.20.244.0/22");
    });
});
