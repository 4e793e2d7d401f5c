import * as assert from "assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ProgramRun, RecordedResource } from "../../../tools/harness";
import { RESOURCE_MOCKS } from "../../../tools/mocks";
import { NS, ofType, only, runStack } from "../../helpers";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const COMPONENT = "footanalytics:cluster:EksCluster";
const ALL_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** The children of the cluster component. */
function children(run: ProgramRun): RecordedResource[] {
    const component = only(run, COMPONENT);
    return run.resources.filter((r) => r.parent === component.urn);
}

/** The cluster component's resources that live in AWS or talk to it. */
function awsResources(run: ProgramRun): RecordedResource[] {
    return children(run).filter((r) => r.type.startsWith("aws:") || r.type.startsWith("eks:") || r.type === "pulumi:providers:aws");
}

/** The kubeconfigJson the mocked eks:index:Cluster returns for a cluster name. */
function mockKubeconfigJson(name: string): string {
    const mock = RESOURCE_MOCKS["eks:index:Cluster"]({ type: "eks:index:Cluster", name: "footanalytics-eks", inputs: { name }, provider: "", id: undefined } as unknown as pulumi.runtime.MockResourceArgs, "eu-west-1");
    return mock.kubeconfigJson as string;
}

const input = <T = unknown>(r: RecordedResource, path: string): T => path.split(".").reduce<any>((v, k) => v?.[k], r.inputs) as T; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("EksCluster component (offline runs of both stacks)", () => {
    const runs: Record<"staging" | "production", ProgramRun> = {} as never;

    before(async () => {
        runs.staging = await runStack("staging");
        runs.production = await runStack("production");
    });

    describe("staging and production differ exactly as intended", () => {
        it("has one NAT gateway in staging and one per AZ in production", () => {
            assert.deepEqual(ofType(runs.staging, "aws:ec2/natGateway:NatGateway").map((r) => r.name), ["footanalytics-nat-1"]);
            assert.deepEqual(ofType(runs.production, "aws:ec2/natGateway:NatGateway").map((r) => r.name).sort(), ["footanalytics-nat-1", "footanalytics-nat-2", "footanalytics-nat-3"]);
            assert.equal(ofType(runs.staging, "aws:ec2/eip:Eip").length, 1);
            assert.equal(ofType(runs.production, "aws:ec2/eip:Eip").length, 3);
        });

        it("routes each production zone through its own NAT gateway, and every staging zone through the one", () => {
            const routes = (run: ProgramRun) =>
                ofType(run, "aws:ec2/routeTable:RouteTable")
                    .filter((r) => r.name.startsWith("footanalytics-private-"))
                    .map((r) => [r.name, input<{ natGatewayId: string }[]>(r, "routes")[0].natGatewayId])
                    .sort();
            assert.deepEqual(routes(runs.staging), [
                ["footanalytics-private-1-rt", "footanalytics-nat-1-id"],
                ["footanalytics-private-2-rt", "footanalytics-nat-1-id"],
                ["footanalytics-private-3-rt", "footanalytics-nat-1-id"],
            ]);
            assert.deepEqual(routes(runs.production), [
                ["footanalytics-private-1-rt", "footanalytics-nat-1-id"],
                ["footanalytics-private-2-rt", "footanalytics-nat-2-id"],
                ["footanalytics-private-3-rt", "footanalytics-nat-3-id"],
            ]);
        });

        it("logs the audit log in staging and all five control-plane logs in production, with longer retention", () => {
            assert.deepEqual(input(only(runs.staging, "eks:index:Cluster"), "enabledClusterLogTypes"), ["audit"]);
            assert.deepEqual(input(only(runs.production, "eks:index:Cluster"), "enabledClusterLogTypes"), ALL_LOGS);
            const staging = only(runs.staging, "aws:cloudwatch/logGroup:LogGroup");
            const production = only(runs.production, "aws:cloudwatch/logGroup:LogGroup");
            assert.deepEqual([input(staging, "name"), input(staging, "retentionInDays"), staging.options.retainOnDelete], ["/aws/eks/footanalytics-staging/cluster", 30, false]);
            assert.deepEqual([input(production, "name"), input(production, "retentionInDays"), production.options.retainOnDelete], ["/aws/eks/footanalytics-production/cluster", 365, true]);
        });

        it("keeps the private endpoint on and limits the public one to the configured CIDRs", () => {
            const endpoint = (run: ProgramRun) => {
                const c = only(run, "eks:index:Cluster");
                return [input(c, "endpointPrivateAccess"), input(c, "endpointPublicAccess"), input(c, "publicAccessCidrs")];
            };
            assert.deepEqual(endpoint(runs.staging), [true, true, ["203.0.113.0/24", "198.51.100.16/28"]]);
            assert.deepEqual(endpoint(runs.production), [true, true, ["203.0.113.0/24"]]);
        });

        it("protects the cluster and the KMS key in production only, and retains the key in both", () => {
            const safety = (run: ProgramRun) => {
                const cluster = only(run, "eks:index:Cluster");
                const key = only(run, "aws:kms/key:Key");
                return { cluster: cluster.options.protect, deletionProtection: input(cluster, "deletionProtection"), key: key.options.protect, keyRetained: key.options.retainOnDelete };
            };
            assert.deepEqual(safety(runs.staging), { cluster: false, deletionProtection: false, key: false, keyRetained: true });
            assert.deepEqual(safety(runs.production), { cluster: true, deletionProtection: true, key: true, keyRetained: true });
        });

        it("sizes the node groups per stack, with three system nodes at least in production", () => {
            const sizes = (run: ProgramRun) =>
                Object.fromEntries(ofType(run, "aws:eks/nodeGroup:NodeGroup").map((r) => [r.name, [input(r, "capacityType"), input(r, "scalingConfig")]]));
            assert.deepEqual(sizes(runs.staging), {
                "footanalytics-system": ["ON_DEMAND", { minSize: 2, desiredSize: 2, maxSize: 4 }],
                "footanalytics-workloads": ["SPOT", { minSize: 1, desiredSize: 2, maxSize: 6 }],
            });
            assert.deepEqual(sizes(runs.production), {
                "footanalytics-system": ["ON_DEMAND", { minSize: 3, desiredSize: 3, maxSize: 6 }],
                "footanalytics-workloads": ["ON_DEMAND", { minSize: 3, desiredSize: 4, maxSize: 12 }],
                "footanalytics-ml-gpu": ["ON_DEMAND", { minSize: 0, desiredSize: 1, maxSize: 4 }],
            });
        });

        it("tags the Auto Scaling group of the production GPU group (minimum 0) for scale from zero, and nothing in staging", () => {
            const tags = (run: ProgramRun) => ofType(run, "aws:autoscaling/tag:Tag").map((r) => [r.name, input(r, "autoscalingGroupName"), input(r, "tag")]);
            const asg = "eks-ml-gpu-20261126110000000000000001-0ac9e2f0-1234-5678-9abc-def012345678";
            assert.deepEqual(tags(runs.production), [
                ["footanalytics-ml-gpu-asg-label-footanalytics-io-node-role", asg, { key: "k8s.io/cluster-autoscaler/node-template/label/footanalytics.io/node-role", value: "ml", propagateAtLaunch: false }],
                ["footanalytics-ml-gpu-asg-label-footanalytics-io-node-group", asg, { key: "k8s.io/cluster-autoscaler/node-template/label/footanalytics.io/node-group", value: "ml-gpu", propagateAtLaunch: false }],
                ["footanalytics-ml-gpu-asg-taint-nvidia-com-gpu", asg, { key: "k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu", value: "true:NoSchedule", propagateAtLaunch: false }],
            ]);
            assert.deepEqual(tags(runs.staging), []);
        });

        it("gives developers edit access in staging and view access in production, in their namespaces", () => {
            const developer = (run: ProgramRun) => input(only(run, "eks:index:Cluster"), "accessEntries.developer-footanalytics-developer.accessPolicies");
            assert.deepEqual(developer(runs.staging), {
                edit: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", accessScope: { type: "namespace", namespaces: ["footanalytics"] } },
            });
            assert.deepEqual(developer(runs.production), {
                view: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", accessScope: { type: "namespace", namespaces: ["footanalytics"] } },
            });
        });
    });

    for (const stack of ["staging", "production"] as const) {
        describe(`${stack}: what both stacks share`, () => {
            it("creates one AWS provider in the configured region with the standard tags, and every AWS child uses it", () => {
                const provider = only(runs[stack], "pulumi:providers:aws", "footanalytics-aws");
                assert.deepEqual(children(runs[stack]).filter((r) => r.type === "pulumi:providers:aws").map((r) => r.name), ["footanalytics-aws"]);
                assert.equal(input(provider, "region"), "eu-west-1");
                // Provider configuration reaches the engine as JSON text.
                assert.deepEqual(JSON.parse(input(provider, "defaultTags")), {
                    tags: { "app.kubernetes.io/part-of": "footanalytics", environment: stack, "cost-centre": `platform-${stack}`, "pulumi-stack": stack, "managed-by": "pulumi" },
                });
                const custom = children(runs[stack]).filter((r) => r.type.startsWith("aws:"));
                assert.ok(custom.length > 30);
                for (const r of custom) assert.equal(r.options.provider, `${provider.urn}::footanalytics-aws-provider-id`, `${r.type} ${r.name}`);
            });

            it("builds a three-zone VPC with tagged public and private subnets and no public IPs on launch", () => {
                const subnets = ofType(runs[stack], "aws:ec2/subnet:Subnet");
                const cidr = stack === "staging" ? "10.20" : "10.10";
                assert.deepEqual(
                    subnets.map((s) => [s.name, input(s, "cidrBlock"), input(s, "availabilityZone"), input(s, "mapPublicIpOnLaunch")]).sort(),
                    [
                        ["footanalytics-private-1", `${cidr}.0.0/19`, "eu-west-1a", false],
                        ["footanalytics-private-2", `${cidr}.32.0/19`, "eu-west-1b", false],
                        ["footanalytics-private-3", `${cidr}.64.0/19`, "eu-west-1c", false],
                        ["footanalytics-public-1", `${cidr}.224.0/22`, "eu-west-1a", false],
                        ["footanalytics-public-2", `${cidr}.228.0/22`, "eu-west-1b", false],
                        ["footanalytics-public-3", `${cidr}.232.0/22`, "eu-west-1c", false],
                    ],
                );
                const tagged = (role: string) => subnets.filter((s) => input<Record<string, string>>(s, "tags")[role] === "1").map((s) => s.name).sort();
                assert.deepEqual(tagged("kubernetes.io/role/elb"), ["footanalytics-public-1", "footanalytics-public-2", "footanalytics-public-3"]);
                assert.deepEqual(tagged("kubernetes.io/role/internal-elb"), ["footanalytics-private-1", "footanalytics-private-2", "footanalytics-private-3"]);
                for (const s of subnets) assert.equal(input<Record<string, string>>(s, "tags")[`kubernetes.io/cluster/footanalytics-${stack}`], "shared");
            });

            it("requires IMDSv2 with hop limit 1 and an encrypted gp3 root volume on every node", () => {
                const templates = ofType(runs[stack], "aws:ec2/launchTemplate:LaunchTemplate");
                assert.equal(templates.length, ofType(runs[stack], "aws:eks/nodeGroup:NodeGroup").length);
                for (const t of templates) {
                    assert.deepEqual(input(t, "metadataOptions"), { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" }, t.name);
                    const [root] = input<{ deviceName: string; ebs: Record<string, unknown> }[]>(t, "blockDeviceMappings");
                    assert.equal(root.deviceName, "/dev/xvda");
                    assert.deepEqual([root.ebs.encrypted, root.ebs.volumeType], ["true", "gp3"], t.name);
                }
                for (const g of ofType(runs[stack], "aws:eks/nodeGroup:NodeGroup")) {
                    assert.equal(input(g, "launchTemplate.id"), `${g.name}-launch-template-id`);
                    assert.equal(input(g, "launchTemplate.version"), "1");
                    assert.equal(input(g, "diskSize"), undefined, "the disk size lives in the launch template");
                    assert.match(input<string>(g, "amiType"), /^AL2023_/);
                    assert.deepEqual(g.options.ignoreChanges, ["scalingConfig.desiredSize"]);
                }
            });

            it("creates the cluster with API authentication, access entries, OIDC, envelope encryption and no default node group", () => {
                const cluster = only(runs[stack], "eks:index:Cluster");
                const key = only(runs[stack], "aws:kms/key:Key");
                const account = stack === "staging" ? "123456789012" : "210987654321";
                assert.equal(cluster.remote, true);
                assert.deepEqual(
                    [input(cluster, "name"), input(cluster, "version"), input(cluster, "upgradePolicy"), input(cluster, "authenticationMode"), input(cluster, "createOidcProvider"), input(cluster, "skipDefaultNodeGroup")],
                    [`footanalytics-${stack}`, "1.35", { supportType: stack === "staging" ? "STANDARD" : "EXTENDED" }, "API", true, true],
                );
                assert.equal(input(cluster, "encryptionConfigKeyArn"), "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
                assert.deepEqual(input(cluster, "accessEntries.admin-footanalytics-platform-admin"), {
                    principalArn: `arn:aws:iam::${account}:role/footanalytics-platform-admin`,
                    type: "STANDARD",
                    accessPolicies: { clusterAdmin: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", accessScope: { type: "cluster" } } },
                });
                assert.deepEqual([input(key, "enableKeyRotation"), input(key, "deletionWindowInDays")], [true, 30]);
                assert.equal(input(only(runs[stack], "aws:kms/alias:Alias"), "name"), `alias/eks/footanalytics-${stack}`);
            });

            it("creates no access entry for the deploy role, a view entry in the preview group for the preview role, and the group's Role on the TLS Secret", () => {
                const cluster = only(runs[stack], "eks:index:Cluster");
                const account = stack === "staging" ? "123456789012" : "210987654321";
                const entries = input(cluster, "accessEntries") as Record<string, { principalArn: string }>;
                assert.deepEqual(Object.keys(entries).sort(), ["admin-footanalytics-platform-admin", "developer-footanalytics-developer", `preview-footanalytics-gitops-preview-${stack}`]);
                assert.equal(Object.values(entries).some((e) => e.principalArn.includes("deploy")), false);
                assert.deepEqual(input(cluster, `accessEntries.preview-footanalytics-gitops-preview-${stack}`), {
                    principalArn: `arn:aws:iam::${account}:role/footanalytics-gitops-preview-${stack}`,
                    type: "STANDARD",
                    accessPolicies: { view: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", accessScope: { type: "cluster" } } },
                    kubernetesGroups: ["footanalytics:preview"],
                });
                const role = only(runs[stack], "kubernetes:rbac.authorization.k8s.io/v1:Role", "footanalytics-preview");
                assert.deepEqual(role.inputs.rules, [{ apiGroups: [""], resources: ["secrets"], resourceNames: ["aws-load-balancer-tls"], verbs: ["get"] }]);
                const binding = only(runs[stack], "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "footanalytics-preview");
                assert.deepEqual(binding.inputs.subjects, [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "footanalytics:preview" }]);
                assert.ok(binding.options.provider?.startsWith(`${only(runs[stack], "pulumi:providers:kubernetes").urn}::`));
            });

            it("makes encrypted gp3 the default StorageClass, bound where the pod lands", () => {
                const sc = only(runs[stack], "kubernetes:storage.k8s.io/v1:StorageClass", "footanalytics-default-storage-class");
                assert.deepEqual(sc.inputs, {
                    apiVersion: "storage.k8s.io/v1",
                    kind: "StorageClass",
                    metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
                    provisioner: "ebs.csi.aws.com",
                    parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
                    volumeBindingMode: "WaitForFirstConsumer",
                    reclaimPolicy: "Delete",
                    allowVolumeExpansion: true,
                });
                assert.ok(sc.options.provider?.startsWith(`${only(runs[stack], "pulumi:providers:kubernetes").urn}::`));
            });

            it("learns the principal the update runs as from STS and exports it", () => {
                assert.equal(runs[stack].outputs.deployingPrincipal, `arn:aws:iam::${stack === "staging" ? "123456789012" : "210987654321"}:role/footanalytics-gitops-deploy-${stack}`);
            });

            it("runs the control plane under its own role, granted the key", () => {
                const cluster = only(runs[stack], "eks:index:Cluster");
                const role = only(runs[stack], "aws:iam/role:Role", "footanalytics-cluster-role");
                assert.equal(input(cluster, "serviceRole.urn"), role.urn);
                const kms = JSON.parse(input(only(runs[stack], "aws:iam/rolePolicy:RolePolicy", "footanalytics-cluster-role-kms"), "policy"));
                assert.deepEqual(kms.Statement[0].Resource, "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
                assert.ok(cluster.options.dependsOn.includes(only(runs[stack], "aws:iam/rolePolicy:RolePolicy", "footanalytics-cluster-role-kms").urn));
                assert.ok(cluster.options.dependsOn.includes(only(runs[stack], "aws:cloudwatch/logGroup:LogGroup").urn), "the log group exists before EKS writes to it");
            });

            it("pins the add-ons, enforces network policy, and orders them around the node groups", () => {
                const addons = ofType(runs[stack], "aws:eks/addon:Addon");
                assert.deepEqual(Object.fromEntries(addons.map((a) => [input(a, "addonName"), input(a, "addonVersion")])), {
                    "vpc-cni": "v1.22.4-eksbuild.3",
                    coredns: "v1.14.2-eksbuild.4",
                    "kube-proxy": "v1.35.3-eksbuild.2",
                    "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
                    "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",
                });
                const cni = only(runs[stack], "aws:eks/addon:Addon", "footanalytics-vpc-cni");
                assert.deepEqual(JSON.parse(input(cni, "configurationValues")), { enableNetworkPolicy: "true" });
                const groups = ofType(runs[stack], "aws:eks/nodeGroup:NodeGroup");
                for (const g of groups) assert.ok(g.options.dependsOn.includes(cni.urn), `${g.name} waits for the CNI`);
                const coredns = only(runs[stack], "aws:eks/addon:Addon", "footanalytics-coredns");
                for (const g of groups) assert.equal(coredns.options.dependsOn.includes(g.urn), g.name === "footanalytics-system", `coredns waits for ${g.name} only if it is the system group`);
            });

            it("gives the node role only the worker and ECR pull policies, and the VPC CNI's permissions to aws-node through Pod Identity", () => {
                const nodeGrants = runs[stack].resources
                    .filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.name.startsWith("footanalytics-node-role-"))
                    .map((r) => input<string>(r, "policyArn"));
                assert.deepEqual(nodeGrants, ["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"]);
                const role = only(runs[stack], "aws:iam/role:Role", "footanalytics-vpc-cni-role");
                assert.deepEqual(JSON.parse(input(role, "assumeRolePolicy")), {
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
                });
                const grant = only(runs[stack], "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "footanalytics-vpc-cni-role-policy");
                assert.equal(input(grant, "policyArn"), "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy");
                const cni = only(runs[stack], "aws:eks/addon:Addon", "footanalytics-vpc-cni");
                assert.deepEqual(input(cni, "podIdentityAssociations"), [{ serviceAccount: "aws-node", roleArn: "arn:aws:iam::123456789012:role/footanalytics-vpc-cni-role" }]);
                assert.ok(cni.options.dependsOn.includes(grant.urn));
            });

            it("gives the EBS CSI driver an IRSA role trusted only by its service account", () => {
                const role = only(runs[stack], "aws:iam/role:Role", "footanalytics-aws-ebs-csi-driver-role");
                const trust = JSON.parse(input(role, "assumeRolePolicy"));
                assert.deepEqual(trust.Statement[0].Principal, { Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF" });
                assert.deepEqual(trust.Statement[0].Condition.StringEquals, {
                    "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF:sub": "system:serviceaccount:kube-system:ebs-csi-controller-sa",
                    "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF:aud": "sts.amazonaws.com",
                });
                assert.equal(input(only(runs[stack], "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "footanalytics-aws-ebs-csi-driver-role-policy"), "policyArn"), "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy");
                assert.equal(input(only(runs[stack], "aws:eks/addon:Addon", "footanalytics-aws-ebs-csi-driver"), "serviceAccountRoleArn"), "arn:aws:iam::123456789012:role/footanalytics-aws-ebs-csi-driver-role");
            });

            it("builds the one Kubernetes provider from the cluster's kubeconfigJson, as a secret, with server-side apply", () => {
                const provider = only(runs[stack], "pulumi:providers:kubernetes");
                assert.equal(provider.inputs.kubeconfig, "[secret]");
                assert.equal(provider.rawInputs.kubeconfig, mockKubeconfigJson(`footanalytics-${stack}`));
                assert.deepEqual([provider.inputs.enableServerSideApply, provider.inputs.clusterIdentifier], ["true", `footanalytics-${stack}`]);
                assert.equal(provider.parent, only(runs[stack], COMPONENT).urn);
                for (const g of ofType(runs[stack], "aws:eks/nodeGroup:NodeGroup")) assert.equal(provider.options.dependsOn.includes(g.urn), g.name === "footanalytics-system", `the provider waits for ${g.name} only if it is the system group`);
            });

            it("exports the cluster's outputs, the kubeconfig only as a secret", () => {
                const o = runs[stack].outputs;
                const groups = stack === "staging" ? ["system", "workloads"] : ["system", "workloads", "ml-gpu"];
                assert.deepEqual(
                    { clusterName: o.clusterName, clusterEndpoint: o.clusterEndpoint, kubeconfig: o.kubeconfig, oidcProviderArn: o.oidcProviderArn, oidcProviderUrl: o.oidcProviderUrl, vpcId: o.vpcId, nodeGroupNames: o.nodeGroupNames },
                    {
                        clusterName: `footanalytics-${stack}`,
                        clusterEndpoint: "https://0123456789abcdef0123456789abcdef.gr7.eu-west-1.eks.amazonaws.com",
                        kubeconfig: "[secret]",
                        oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF",
                        oidcProviderUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF",
                        vpcId: "footanalytics-vpc-id",
                        nodeGroupNames: groups.map((g) => `${g}-20261126110000000000000001`),
                    },
                );
            });
        });
    }

    describe("a runner in the VPC", () => {
        it("admits cluster.endpoint.privateAccessSecurityGroupIds to the private endpoint on 443 through the EKS cluster security group", async () => {
            const sg = "sg-0a1b2c3d4e5f67890";
            const run = await runStack("staging", (v: Values) => (v[`${NS}:cluster`].endpoint.privateAccessSecurityGroupIds = [sg]));
            const rule = only(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `footanalytics-api-from-${sg}`);
            assert.deepEqual(rule.inputs, {
                securityGroupId: "sg-0c1a2b3c4d5e6f701",
                referencedSecurityGroupId: sg,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: `Kubernetes API (private endpoint) from ${sg}: cluster.endpoint.privateAccessSecurityGroupIds`,
            });
        });

        it("adds no rule to either committed stack", () => {
            for (const stack of ["staging", "production"] as const) assert.deepEqual(ofType(runs[stack], "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"), []);
        });
    });

    describe("bring your own VPC", () => {
        let run: ProgramRun;
        const VPC = { mode: "existing", vpcId: "vpc-0a1b2c3d4e5f67890", privateSubnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b", "subnet-0000000000000000c"] };
        before(async () => {
            run = await runStack("production", (v: Values) => (v[`${NS}:cluster`].vpc = VPC));
        });

        it("creates no network resources", () => {
            const network = run.resources.filter((r) => r.type.startsWith("aws:ec2/") && r.type !== "aws:ec2/launchTemplate:LaunchTemplate");
            assert.deepEqual(network.map((r) => r.type), []);
        });

        it("places the cluster and its nodes in the configured VPC and private subnets", () => {
            const cluster = only(run, "eks:index:Cluster");
            assert.deepEqual([input(cluster, "vpcId"), input(cluster, "privateSubnetIds"), input(cluster, "publicSubnetIds")], [VPC.vpcId, VPC.privateSubnetIds, undefined]);
            for (const g of ofType(run, "aws:eks/nodeGroup:NodeGroup")) assert.deepEqual(input(g, "subnetIds"), VPC.privateSubnetIds);
            assert.equal(run.outputs.vpcId, VPC.vpcId);
        });
    });

    describe("existing cluster", () => {
        let run: ProgramRun;
        before(async () => {
            run = await runStack("staging", (v: Values) => {
                v[`${NS}:cluster`] = { mode: "existing", name: "legacy-cluster" };
                v[`${NS}:kubeconfig`] = { secure: "AAABAKubeconfigCiphertext" };
            });
        });

        it("creates no AWS resource in the cluster component, only the AWS provider Secrets Manager reads use", () => {
            assert.deepEqual(awsResources(run).map((r) => `${r.type} ${r.name}`), ["pulumi:providers:aws footanalytics-aws"]);
        });

        it("creates not even an AWS provider when no region is configured and nothing reads Secrets Manager", async () => {
            const bare = await runStack("staging", (v: Values) => {
                v[`${NS}:cluster`] = { mode: "existing", name: "legacy-cluster" };
                v[`${NS}:kubeconfig`] = { secure: "AAABAKubeconfigCiphertext" };
                v[`${NS}:gitops`].repoCredentials = { source: "token" };
                v[`${NS}:githubToken`] = { secure: "AAABAToken" };
                v[`${NS}:notifications`] = { slack: { enabled: false }, teams: { enabled: false }, defaultSubscriptions: [] };
                v[`${NS}:gitops`].imageUpdater = { enabled: false };
                delete v["aws:region"];
                for (const app of v[`${NS}:gitops`].applications) delete app.notifications;
            });
            assert.deepEqual(awsResources(bare).map((r) => `${r.type} ${r.name}`), []);
            assert.equal(ofType(bare, "pulumi:providers:aws").length, 0);
        });

        it("builds the Kubernetes provider from the secret kubeconfig", () => {
            const provider = only(run, "pulumi:providers:kubernetes");
            assert.equal(provider.inputs.kubeconfig, "[secret]");
            assert.equal(provider.rawInputs.kubeconfig, "redacted-footanalytics-gitops-kubeconfig");
            assert.deepEqual([provider.inputs.enableServerSideApply, provider.inputs.clusterIdentifier], ["true", "legacy-cluster"]);
        });

        it("exports the name and secret kubeconfig, and no VPC, OIDC provider or node groups", () => {
            const o = run.outputs;
            assert.deepEqual(
                { clusterName: o.clusterName, kubeconfig: o.kubeconfig, clusterEndpoint: o.clusterEndpoint, oidcProviderArn: o.oidcProviderArn, vpcId: o.vpcId, nodeGroupNames: o.nodeGroupNames },
                { clusterName: "legacy-cluster", kubeconfig: "[secret]", clusterEndpoint: "[secret]", oidcProviderArn: undefined, vpcId: undefined, nodeGroupNames: [] },
            );
        });
    });

    describe("an existing KMS key", () => {
        it("encrypts with the configured key and creates none", async () => {
            const arn = "arn:aws:kms:eu-west-1:210987654321:key/abcdefab-1234-5678-9abc-def012345678";
            const run = await runStack("production", (v: Values) => (v[`${NS}:cluster`].kmsKeyArn = arn));
            assert.deepEqual(ofType(run, "aws:kms/key:Key"), []);
            assert.deepEqual(ofType(run, "aws:kms/alias:Alias"), []);
            assert.equal(input(only(run, "eks:index:Cluster"), "encryptionConfigKeyArn"), arn);
            assert.equal(JSON.parse(input(only(run, "aws:iam/rolePolicy:RolePolicy", "footanalytics-cluster-role-kms"), "policy")).Statement[0].Resource, arn);
        });
    });

    describe("a private-only production endpoint", () => {
        it("turns the public endpoint off and passes no CIDRs", async () => {
            const run = await runStack("production", (v: Values) => (v[`${NS}:cluster`].endpoint = { publicAccess: false }));
            const cluster = only(run, "eks:index:Cluster");
            assert.deepEqual([input(cluster, "endpointPrivateAccess"), input(cluster, "endpointPublicAccess"), input(cluster, "publicAccessCidrs")], [true, false, undefined]);
        });
    });
});
