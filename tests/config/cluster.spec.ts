import * as assert from "assert/strict";
import { inferAmiType } from "@footanalytics/facts";
import { expectInvalid, loadStack, NS, refusedStack, StackName } from "../helpers";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const KEY = `${NS}:cluster`;

/** Edit the `cluster` section of a stack file. */
const cluster = (edit: (c: Values) => void) => (v: Values) => edit(v[KEY]);

/** The problems about the cluster section (other sections' keys are other specs' business). */
function clusterProblems(messages: readonly string[]): string[] {
    return messages.filter((m) => m.startsWith(`${NS}:cluster`) || m.startsWith(`${NS}:kubeconfig`));
}

function refused(stack: StackName, edit: (v: Values) => void): string[] {
    return clusterProblems(refusedStack(stack, edit));
}

const accepted = loadStack;

describe("cluster configuration", () => {
    describe("the issue's invalid combinations, refused before anything is registered", () => {
        it("refuses a production public endpoint open to 0.0.0.0/0", async () => {
            const messages = await expectInvalid("production", cluster((c) => (c.endpoint.publicAccessCidrs = ["203.0.113.0/24", "0.0.0.0/0"])));
            assert.deepEqual(clusterProblems(messages), [
                `${KEY}.endpoint.publicAccessCidrs (["203.0.113.0/24","0.0.0.0/0"]) must not contain 0.0.0.0/0 in production; list the office and CI CIDRs instead`,
            ]);
        });

        it("refuses a production public endpoint covering more than a /8, however it is split (0.0.0.0/1 + 128.0.0.0/1), and accepts a /8", async () => {
            const messages = await expectInvalid("production", cluster((c) => (c.endpoint.publicAccessCidrs = ["0.0.0.0/1", "128.0.0.0/1"])));
            assert.deepEqual(clusterProblems(messages), [
                `${KEY}.endpoint.publicAccessCidrs (["0.0.0.0/1","128.0.0.0/1"]) covers 4,294,967,296 addresses (as much as a /0), more than a /8 (16,777,216) in production; list the office, VPN and CI ranges instead`,
            ]);
            const split = await expectInvalid("production", cluster((c) => (c.endpoint.publicAccessCidrs = ["100.0.0.0/8", "203.0.113.0/24"])));
            assert.deepEqual(clusterProblems(split), [
                `${KEY}.endpoint.publicAccessCidrs (["100.0.0.0/8","203.0.113.0/24"]) covers 16,777,472 addresses, more than a /8 (16,777,216) in production; list the office, VPN and CI ranges instead`,
            ]);
            assert.deepEqual(accepted("production", cluster((c) => (c.endpoint.publicAccessCidrs = ["100.0.0.0/8", "100.1.0.0/16"]))).cluster.endpoint.publicAccessCidrs, ["100.0.0.0/8", "100.1.0.0/16"]);
            assert.deepEqual(accepted("staging", cluster((c) => (c.endpoint.publicAccessCidrs = ["0.0.0.0/1", "128.0.0.0/1"]))).cluster.endpoint.publicAccessCidrs, ["0.0.0.0/1", "128.0.0.0/1"]);
        });

        it("refuses a node group whose minSize exceeds its maxSize", async () => {
            const messages = await expectInvalid("staging", cluster((c) => Object.assign(c.nodeGroups[1], { minSize: 7, desiredSize: 7, maxSize: 6 })));
            assert.deepEqual(clusterProblems(messages), [`${KEY}.nodeGroups[1].minSize (7) must not exceed ${KEY}.nodeGroups[1].maxSize (6)`]);
        });

        it("refuses a production system node group with fewer than three nodes", async () => {
            const messages = await expectInvalid("production", cluster((c) => Object.assign(c.nodeGroups[0], { minSize: 2, desiredSize: 2 })));
            assert.deepEqual(clusterProblems(messages), [
                `${KEY}.nodeGroups[0].minSize (2) must be at least 3 in production: the system node group spans three AZs because Argo CD's HA Redis needs three nodes`,
            ]);
        });

        it("refuses an existing VPC with one private subnet", async () => {
            const messages = await expectInvalid(
                "staging",
                cluster((c) => (c.vpc = { mode: "existing", vpcId: "vpc-0a1b2c3d4e5f67890", privateSubnetIds: ["subnet-0a1b2c3d4e5f67890"] })),
            );
            assert.deepEqual(clusterProblems(messages), [
                `${KEY}.vpc.privateSubnetIds (["subnet-0a1b2c3d4e5f67890"]) has 1 subnet(s); expected at least 2 private subnets in different AZs when ${KEY}.vpc.mode is "existing"`,
            ]);
        });

        it("refuses an existing VPC whose subnets repeat across the private and public lists", async () => {
            const messages = await expectInvalid(
                "production",
                cluster(
                    (c) =>
                        (c.vpc = {
                            mode: "existing",
                            vpcId: "vpc-0a1b2c3d4e5f67890",
                            privateSubnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"],
                            publicSubnetIds: ["subnet-0000000000000000b"],
                        }),
                ),
            );
            assert.deepEqual(clusterProblems(messages), [
                `${KEY}.vpc lists subnet subnet-0000000000000000b more than once; each subnet may appear once across privateSubnetIds and publicSubnetIds`,
            ]);
        });

        it("refuses managed-mode keys in existing-cluster mode instead of ignoring them", async () => {
            const messages = await expectInvalid("staging", (v) => {
                v[KEY] = { mode: "existing", name: "legacy-cluster", nodeGroups: v[KEY].nodeGroups, vpc: { cidr: "10.20.0.0/16" } };
                v[`${NS}:kubeconfig`] = { secure: "v1:kubeconfig" };
            });
            assert.deepEqual(messages, [
                `${KEY}.nodeGroups is set but ${KEY}.mode is "existing", which creates no AWS resources and ignores it; remove it (existing mode reads only: mode, name)`,
                `${KEY}.vpc is set but ${KEY}.mode is "existing", which creates no AWS resources and ignores it; remove it (existing mode reads only: mode, name)`,
            ]);
        });

        it("refuses existing-cluster mode without a kubeconfig secret", async () => {
            const messages = await expectInvalid("staging", (v) => (v[KEY] = { mode: "existing" }));
            assert.deepEqual(clusterProblems(messages), [
                `${NS}:kubeconfig is missing; expected the existing cluster's kubeconfig, set with \`pulumi config set --secret kubeconfig < kubeconfig.yaml\`, because ${KEY}.mode is "existing"`,
            ]);
        });
    });

    describe("endpoint", () => {
        it("refuses a public endpoint without allowed CIDRs", () => {
            assert.deepEqual(refused("staging", cluster((c) => (c.endpoint.publicAccessCidrs = []))), [
                `${KEY}.endpoint.publicAccessCidrs is empty; expected the CIDRs allowed to reach the public endpoint when ${KEY}.endpoint.publicAccess is true`,
            ]);
        });

        it("accepts 0.0.0.0/0 in staging, where only production is held to named CIDRs", () => {
            assert.deepEqual(accepted("staging", cluster((c) => (c.endpoint.publicAccessCidrs = ["0.0.0.0/0"]))).cluster.endpoint.publicAccessCidrs, ["0.0.0.0/0"]);
        });

        it("defaults the public endpoint off in production and on in staging", () => {
            const strip = cluster((c) => delete c.endpoint.publicAccess);
            assert.equal(accepted("production", strip).cluster.endpoint.publicAccess, false);
            assert.equal(accepted("staging", strip).cluster.endpoint.publicAccess, true);
        });
    });

    describe("network", () => {
        it("refuses an existing VPC without a VPC id", () => {
            assert.deepEqual(
                refused("staging", cluster((c) => (c.vpc = { mode: "existing", privateSubnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"] }))),
                [`${KEY}.vpc.vpcId is missing; expected a VPC id when ${KEY}.vpc.mode is "existing"`],
            );
        });

        it("refuses existing-VPC keys while the VPC is created, instead of ignoring them", () => {
            assert.deepEqual(refused("staging", cluster((c) => (c.vpc.vpcId = "vpc-0a1b2c3d4e5f67890"))), [
                `${KEY}.vpc.vpcId is set but ${KEY}.vpc.mode is "create"; set ${KEY}.vpc.mode to "existing" to use an existing VPC, or remove ${KEY}.vpc.vpcId`,
            ]);
        });

        it("refuses a created VPC too small for the subnet layout", () => {
            assert.deepEqual(refused("staging", cluster((c) => (c.vpc.cidr = "10.20.0.0/24"))), [
                `${KEY}.vpc.cidr ("10.20.0.0/24") must be a /16 to /20 block: AWS allows at most /16, and the private subnets get an eighth of it each (pods take their IPs from them)`,
            ]);
        });

        it("refuses two availability zones in production", () => {
            assert.deepEqual(refused("production", cluster((c) => (c.vpc.availabilityZones = 2))), [
                `${KEY}.vpc.availabilityZones (2) must be at least 3 in production so the system nodes spread over three AZs`,
            ]);
        });

        it("defaults to one NAT gateway in staging and one per AZ in production", () => {
            const strip = cluster((c) => delete c.vpc.natGateways);
            assert.equal(accepted("staging", strip).cluster.vpc.natGateways, "single");
            assert.equal(accepted("production", strip).cluster.vpc.natGateways, "one-per-az");
        });
    });

    describe("node groups", () => {
        it("refuses a desired size outside min and max", () => {
            assert.deepEqual(refused("staging", cluster((c) => (c.nodeGroups[1].desiredSize = 9))), [
                `${KEY}.nodeGroups[1].desiredSize (9) must lie between ${KEY}.nodeGroups[1].minSize (1) and ${KEY}.nodeGroups[1].maxSize (6)`,
            ]);
        });

        it("refuses a node group name too long for the unique suffix EKS appends", () => {
            const name = "workloads-with-a-very-long-name-abcde";
            assert.deepEqual(refused("staging", cluster((c) => (c.nodeGroups[1].name = name))), [
                `${KEY}.nodeGroups[1].name ("${name}") is 37 characters; expected at most 36 because EKS adds a 26-character unique suffix to node group names (63 at most)`,
            ]);
        });

        it("refuses a node group mixing Graviton and x86 instance types", () => {
            assert.deepEqual(refused("staging", cluster((c) => (c.nodeGroups[1].instanceTypes = ["m7i.xlarge", "m7g.xlarge"]))), [
                `${KEY}.nodeGroups[1].instanceTypes (["m7i.xlarge","m7g.xlarge"]) mixes instance types that need different AMI types (AL2023_x86_64_STANDARD, AL2023_ARM_64_STANDARD); one node group runs one AMI, so split them into separate node groups`,
            ]);
        });

        it("accepts mixed architectures when the AMI type is given explicitly", () => {
            const cfg = accepted("staging", cluster((c) => Object.assign(c.nodeGroups[1], { instanceTypes: ["m7g.xlarge", "c7g.xlarge"], amiType: "AL2023_ARM_64_STANDARD" })));
            assert.equal(cfg.cluster.nodeGroups[1].amiType, "AL2023_ARM_64_STANDARD");
        });

        it("refuses an AMI type that is not Amazon Linux 2023", () => {
            assert.deepEqual(refused("staging", cluster((c) => (c.nodeGroups[0].amiType = "AL2_x86_64"))), [
                `${KEY}.nodeGroups[0].amiType ("AL2_x86_64") must be one of: AL2023_x86_64_STANDARD, AL2023_ARM_64_STANDARD, AL2023_x86_64_NVIDIA, AL2023_ARM_64_NVIDIA, AL2023_x86_64_NEURON`,
            ]);
        });

        it("refuses two system node groups", () => {
            assert.deepEqual(refused("staging", cluster((c) => (c.nodeGroups[1].role = "system"))), [
                `${KEY}.nodeGroups (["system","workloads"]) has 2 node groups with role "system"; expected exactly one`,
            ]);
        });
    });

    describe("access, logging and add-ons", () => {
        it("refuses a role that is both admin and developer", () => {
            const arn = "arn:aws:iam::123456789012:role/footanalytics-platform-admin";
            assert.deepEqual(refused("staging", cluster((c) => c.developerRoleArns.push(arn))), [
                `${KEY}.developerRoleArns lists ${arn}, also in ${KEY}.adminRoleArns; an IAM role has one access entry, so list each role once`,
            ]);
        });

        it("refuses the deploy role in adminRoleArns: EKS already gives the cluster's creator an admin entry (pulumi-eks#2373)", () => {
            const arn = "arn:aws:iam::210987654321:role/footanalytics-gitops-deploy-production";
            assert.deepEqual(refused("production", cluster((c) => c.adminRoleArns.push(arn))), [
                `${KEY}.adminRoleArns lists ${arn}, which is ${KEY}.deployRoleArn; EKS gives the deploy role the creator's admin access entry, and a second entry fails with ResourceInUseException (pulumi-eks#2373): remove it from ${KEY}.adminRoleArns`,
            ]);
        });

        it("refuses a preview role that is also a developer role", () => {
            const arn = "arn:aws:iam::123456789012:role/footanalytics-developer";
            assert.deepEqual(refused("staging", cluster((c) => c.previewRoleArns.push(arn))), [
                `${KEY}.previewRoleArns lists ${arn}, also in ${KEY}.adminRoleArns or ${KEY}.developerRoleArns; an IAM role has one access entry, so list each role once`,
            ]);
        });

        it("refuses a private-endpoint source that is not a security group id", () => {
            assert.deepEqual(refused("staging", cluster((c) => (c.endpoint.privateAccessSecurityGroupIds = ["10.0.0.0/16"]))), [
                `${KEY}.endpoint.privateAccessSecurityGroupIds[0] ("10.0.0.0/16") must be a security group id such as "sg-0a1b2c3d4e5f67890"`,
            ]);
        });

        it("has no deploy role and no preview roles unless configured", () => {
            const strip = cluster((c) => {
                delete c.deployRoleArn;
                delete c.previewRoleArns;
            });
            assert.deepEqual([accepted("staging", strip).cluster.deployRoleArn, accepted("staging", strip).cluster.previewRoleArns], [undefined, []]);
        });

        it("gives developers edit access in staging and view access in production by default", () => {
            const strip = cluster((c) => delete c.developerAccess);
            assert.equal(accepted("staging", strip).cluster.developerAccess, "edit");
            assert.equal(accepted("production", strip).cluster.developerAccess, "view");
        });

        it("refuses a log retention CloudWatch does not offer", () => {
            assert.deepEqual(refused("production", cluster((c) => (c.logRetentionDays = 100))), [
                `${KEY}.logRetentionDays (100) must be a CloudWatch retention value: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`,
            ]);
        });

        it("refuses a managed cluster without a pinned add-on version", () => {
            assert.deepEqual(refused("staging", cluster((c) => delete c.addons.coredns)), [
                `${KEY}.addons.coredns is missing; expected the version of the \`coredns\` EKS add-on (such as "v1.19.2-eksbuild.1") when ${KEY}.mode is "managed"`,
            ]);
        });

        it("refuses an add-on version that is not an EKS build", () => {
            assert.deepEqual(refused("staging", cluster((c) => (c.addons.vpcCni = "1.20.4"))), [
                `${KEY}.addons.vpcCni ("1.20.4") must be an EKS add-on version such as "v1.19.2-eksbuild.1"`,
            ]);
        });

        it("reports every cluster problem of one configuration at once", () => {
            const problems = refused(
                "production",
                cluster((c) => {
                    c.endpoint.publicAccessCidrs = ["0.0.0.0/0"];
                    c.nodeGroups[1].minSize = 20;
                    c.logRetentionDays = 100;
                }),
            );
            assert.deepEqual(
                problems.map((p) => p.split(" ")[0]),
                [`${KEY}.endpoint.publicAccessCidrs`, `${KEY}.logRetentionDays`, `${KEY}.nodeGroups[1].minSize`],
            );
        });
    });

    describe("inferAmiType", () => {
        const cases: [string, string][] = [
            ["m7i.large", "AL2023_x86_64_STANDARD"],
            ["m5.xlarge", "AL2023_x86_64_STANDARD"],
            ["c7i-flex.large", "AL2023_x86_64_STANDARD"],
            ["m7g.large", "AL2023_ARM_64_STANDARD"],
            ["c7gn.2xlarge", "AL2023_ARM_64_STANDARD"],
            ["r8gd.xlarge", "AL2023_ARM_64_STANDARD"],
            ["g5.xlarge", "AL2023_x86_64_NVIDIA"],
            ["p5.48xlarge", "AL2023_x86_64_NVIDIA"],
            ["g5g.xlarge", "AL2023_ARM_64_NVIDIA"],
            ["inf2.xlarge", "AL2023_x86_64_NEURON"],
            ["trn1.2xlarge", "AL2023_x86_64_NEURON"],
        ];
        for (const [type, ami] of cases) {
            it(`gives ${type} the ${ami} AMI`, () => assert.equal(inferAmiType(type), ami));
        }
    });
});
