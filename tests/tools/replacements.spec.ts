import * as assert from "assert/strict";
import { buildPlan } from "../../tools/plan";
import { BLOCKED, Change, diffPlans, formatDiff, PlannedResource, PlanSide, replacementReason, replacementUnknown, withDependents } from "../../tools/plan-diff";
import { REPLACEMENTS, rulesFor, touches } from "../../tools/replacements";
import { NS, runStack, STACKS } from "../helpers";

/** A concrete input path for a table path: `*` becomes a key (or list item) `x`. */
const concrete = (p: string) => p.split(".").join(".").replace(/\*/g, "x");

const changed = (path: string, kind: Change["kind"] = "changed"): Change[] => [{ path, kind, before: "a", after: "b" }];

describe("replacement table (tools/replacements.ts)", () => {
    for (const [type, entry] of Object.entries(REPLACEMENTS)) {
        describe(type, () => {
            it("cites its source and replaces on its first ForceNew input", function () {
                assert.match(entry.source, /\.go|cluster\.ts|a resource in another region/);
                const rule = entry.forceNew.find((r) => r.only === undefined && r.unlessTrue === undefined);
                if (rule === undefined) {
                    assert.equal(entry.forceNew.length, 0, `${type}: a conditional rule needs its own test`);
                    assert.equal(replacementReason(changed("tags.Name"), type), undefined);
                    return;
                }
                const reason = replacementReason(changed(concrete(rule.path)), type);
                assert.ok(reason !== undefined, `${type}: ${rule.path} must replace`);
                assert.ok(reason.startsWith(`${concrete(rule.path)} forces a new ${rule.child ?? "resource"}`), reason);
                assert.ok(reason.endsWith(`[${entry.source}]`), reason);
            });

            it("updates in place for an input that is not ForceNew", () => {
                const path = entry.inPlace[0] ?? "options.ignoreChanges";
                assert.equal(replacementReason(changed(concrete(path)), type), undefined, `${type}: ${path} updates in place`);
                assert.equal(replacementUnknown(type), undefined);
            });
        });
    }

    it("replaces a Kubernetes object whose name or namespace changes, of any kind", () => {
        for (const type of ["kubernetes:core/v1:ConfigMap", "kubernetes:argoproj.io/v1alpha1:Application", "kubernetes:networking.k8s.io/v1:NetworkPolicy"]) {
            assert.match(replacementReason(changed("metadata.namespace"), type) ?? "", /^metadata\.namespace forces a new resource \[pulumi-kubernetes provider\/pkg\/provider\/diff\.go forceNewProperties\]$/);
            assert.match(replacementReason(changed("metadata.name"), type) ?? "", /^metadata\.name forces a new resource/);
            assert.equal(replacementReason(changed('metadata.labels["app.kubernetes.io/part-of"]'), type), undefined);
        }
    });

    it("replaces workloads on their immutable fields and updates them elsewhere", () => {
        const cases: [string, string, boolean][] = [
            ["kubernetes:apps/v1:Deployment", 'spec.selector.matchLabels["app.kubernetes.io/name"]', true],
            ["kubernetes:apps/v1:Deployment", "spec.replicas", false],
            ["kubernetes:apps/v1:Deployment", "spec.template.spec.containers[name=app].image", false],
            ["kubernetes:apps/v1:DaemonSet", "spec.selector.matchLabels.app", true],
            ["kubernetes:apps/v1:StatefulSet", "spec.volumeClaimTemplates[0].spec.resources.requests.storage", true],
            ["kubernetes:apps/v1:StatefulSet", "spec.serviceName", true],
            ["kubernetes:apps/v1:StatefulSet", "spec.podManagementPolicy", true],
            ["kubernetes:apps/v1:StatefulSet", "spec.replicas", false],
            ["kubernetes:core/v1:Service", "spec.clusterIP", true],
            ["kubernetes:core/v1:Service", "spec.ports[0].port", false],
            ["kubernetes:batch/v1:Job", "spec.template.spec.containers[name=job].image", true],
            ["kubernetes:core/v1:PersistentVolumeClaim", "spec.storageClassName", true],
            ["kubernetes:core/v1:Pod", "spec.containers[name=app].image", true],
            ["kubernetes:storage.k8s.io/v1:StorageClass", "parameters.type", true],
            ["kubernetes:storage.k8s.io/v1:StorageClass", "allowVolumeExpansion", false],
            ["kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "roleRef.name", true],
            ["kubernetes:core/v1:Namespace", "metadata.labels.team", false],
        ];
        for (const [type, path, replaces] of cases) assert.equal(replacementReason(changed(path), type) !== undefined, replaces, `${type} ${path}`);
    });

    it("replaces a ConfigMap or Secret on a data change unless the provider makes them mutable, and always when immutable", () => {
        assert.match(replacementReason(changed("data.x"), "kubernetes:core/v1:ConfigMap") ?? "", /^data\.x forces a new resource/);
        assert.equal(replacementReason(changed("data.x"), "kubernetes:core/v1:ConfigMap", { provider: { enableConfigMapMutable: true } }), undefined);
        assert.match(replacementReason(changed("data.x"), "kubernetes:core/v1:ConfigMap", { inputs: { immutable: true }, provider: { enableConfigMapMutable: true } }) ?? "", /^data\.x forces/);
        assert.match(replacementReason(changed("stringData.token"), "kubernetes:core/v1:Secret") ?? "", /^stringData\.token forces/);
        assert.equal(replacementReason(changed("stringData.token"), "kubernetes:core/v1:Secret", { provider: { enableSecretMutable: true } }), undefined);
        assert.match(replacementReason(changed("type"), "kubernetes:core/v1:Secret", { provider: { enableSecretMutable: true } }) ?? "", /^type forces/);
    });

    it("replaces on a move to another provider, whatever the type", () => {
        assert.equal(replacementReason(changed("options.provider"), "aws:ec2/vpc:Vpc"), "provider changed");
        assert.equal(replacementReason(changed("options.provider"), "x:y:Unknown"), "provider changed");
    });

    it("applies a removal-only rule to removals and a conditional rule only when its child exists", () => {
        const t = "eks:index:Cluster";
        assert.equal(replacementReason(changed("encryptionConfigKeyArn"), t), undefined);
        assert.match(replacementReason(changed("encryptionConfigKeyArn", "removed"), t) ?? "", /^encryptionConfigKeyArn removed forces a new aws:eks\/cluster:Cluster/);
        assert.equal(replacementReason(changed("vpcId"), t, { inputs: { skipDefaultSecurityGroups: true } }), undefined);
        assert.match(replacementReason(changed("vpcId"), t, { inputs: {} }) ?? "", /^vpcId forces a new aws:ec2\/securityGroup:SecurityGroup/);
        assert.match(replacementReason(changed('accessEntries["admin-x"].accessPolicies.view.accessScope.namespaces[0]'), t) ?? "", /forces a new aws:eks\/accessPolicyAssociation:AccessPolicyAssociation/);
        assert.equal(replacementReason(changed("bootstrapSelfManagedAddons"), t), undefined, "pulumi-eks ignores changes to it");
    });

    it("matches paths at, below and above a rule, and nothing beside it", () => {
        assert.equal(touches("spec.selector", "spec.selector.matchLabels.app"), true);
        assert.equal(touches("spec.selector", "spec"), true);
        assert.equal(touches("spec.selector", "spec.selectors"), false);
        assert.equal(touches("spec.containers.*.image", "spec.containers[name=a].image"), true);
        assert.equal(touches("spec.containers.*.image", "spec.containers[name=a].name"), false);
        assert.equal(touches("tags", 'tags["kubernetes.io/role"]'), true);
    });

    it("says the replacement is unknown for a type outside the table, and never replaces components", () => {
        assert.equal(replacementUnknown("aws:s3/bucketV2:BucketV2"), "replacement unknown for aws:s3/bucketV2:BucketV2");
        assert.equal(replacementUnknown("kubernetes:helm.sh/v4:Chart"), undefined);
        assert.equal(replacementUnknown("footanalytics:cluster:EksCluster"), undefined);
        assert.equal(rulesFor("kubernetes:helm.sh/v3:Release"), undefined);
        const side = (label: string, v: string): PlanSide => ({ label, plan: { resources: [{ type: "aws:s3/bucketV2:BucketV2", name: "b", urn: "urn:b", inputs: { bucket: v }, options: {} }], manifests: "", argocdValues: {}, config: {}, secureDigests: {} } });
        assert.match(formatDiff(diffPlans(side("a", "x"), side("b", "y")), "t", "text"), /\n {2}~ aws:s3\/bucketV2:BucketV2 b \(replacement unknown for aws:s3\/bucketV2:BucketV2\)\n/);
    });

    describe("the resource types both stacks register", () => {
        const types = new Map<string, string>();
        before(async () => {
            for (const stack of STACKS) for (const r of buildPlan(await runStack(stack)).resources) types.set(r.type, stack);
        });

        it("are all in the table", () => {
            assert.ok(types.size >= 30, `only ${types.size} types`);
            const unknown = [...types.keys()].filter((t) => replacementUnknown(t) !== undefined);
            assert.deepEqual(unknown, []);
        });
    });
});

describe("what a replaced resource takes with it", () => {
    const providerUrn = "urn:k8s";
    const res = (type: string, name: string, inputs: Record<string, unknown>, options: Record<string, unknown> = {}, mockValues?: string[]): PlannedResource => ({ type, name, urn: `urn:${name}`, inputs, options, ...(mockValues ? { mockValues } : {}) });
    const vpc = res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.20.0.0/16" }, { protect: true });
    const subnet = res("aws:ec2/subnet:Subnet", "subnet", { vpcId: "vpc-id", cidrBlock: "10.20.0.0/20" }, { dependsOn: ["urn:vpc"] }, ["inputs.vpcId"]);
    const igw = res("aws:ec2/internetGateway:InternetGateway", "igw", { vpcId: "vpc-id" }, { dependsOn: ["urn:vpc"] }, ["inputs.vpcId"]);
    const addon = res("aws:eks/addon:Addon", "addon", { clusterName: "c" }, { dependsOn: ["urn:vpc"] });
    const k8s = res("pulumi:providers:kubernetes", "k8s", { kubeconfig: "[secret]", clusterIdentifier: "c" }, { dependsOn: ["urn:cluster"] });
    const cluster = res("eks:index:Cluster", "cluster", { name: "c" }, { protect: true });
    const cm = res("kubernetes:core/v1:ConfigMap", "cm", { metadata: { name: "cm" } }, { provider: `${providerUrn}::k8s-provider-id` });

    it("replaces a dependent whose ForceNew input comes from the replaced resource and updates one whose other input does", () => {
        const out = withDependents([vpc, subnet, igw, addon], [{ type: vpc.type, name: "vpc", urn: "urn:vpc", replaced: "cidrBlock forces a new resource", blocked: true, changes: [] }]);
        assert.deepEqual(out.map((c) => [c.name, c.replaced ?? c.affectedBy]), [
            ["vpc", "cidrBlock forces a new resource"],
            ["subnet", "vpcId comes from replaced aws:ec2/vpc:Vpc vpc"],
            ["igw", "updated: vpcId comes from replaced aws:ec2/vpc:Vpc vpc"],
            ["addon", "depends on replaced aws:ec2/vpc:Vpc vpc"],
        ]);
    });

    it("replaces a Kubernetes provider whose kubeconfig comes from a replaced cluster, and every object it manages", () => {
        const provider = { ...k8s, urn: providerUrn };
        const out = withDependents([cluster, provider, cm], [{ type: cluster.type, name: "cluster", urn: "urn:cluster", replaced: "serviceRole forces a new aws:eks/cluster:Cluster", blocked: true, changes: [] }]);
        assert.deepEqual(out.map((c) => [c.name, c.replaced]), [
            ["cluster", "serviceRole forces a new aws:eks/cluster:Cluster"],
            ["k8s", "kubeconfig comes from replaced eks:index:Cluster cluster"],
            ["cm", "its provider k8s is replaced"],
        ]);
    });

    it("prints a replacement of a protected resource as blocked, in text and markdown, and counts it", () => {
        const side = (label: string, cidr: string): PlanSide => ({ label, plan: { resources: [{ ...vpc, inputs: { cidrBlock: cidr } }, subnet], manifests: "", argocdValues: {}, config: {}, secureDigests: {} } });
        const d = diffPlans(side("base", "10.10.0.0/16"), side("head", "10.20.0.0/16"));
        const text = formatDiff(d, "t", "text").split("\n");
        assert.ok(text.includes("Resources (0 added, 0 removed, 2 replaced, 0 changed, 1 replace blocked by protect):"), text.join("\n"));
        assert.ok(text.includes("  ± aws:ec2/vpc:Vpc vpc (replaced: cidrBlock forces a new resource [terraform-provider-aws v6 internal/service/ec2/vpc_.go])"), text.join("\n"));
        assert.ok(text.includes(`      ! ${BLOCKED}`));
        assert.ok(text.includes("  ± aws:ec2/subnet:Subnet subnet (replaced: vpcId comes from replaced aws:ec2/vpc:Vpc vpc)"));
        const md = formatDiff(d, "t", "markdown").split("\n");
        assert.ok(md.includes("#### Resources (0 added, 0 removed, 2 replaced, 0 changed, 1 replace blocked by protect)"));
        assert.ok(md.includes(`    ! ${BLOCKED}`));
    });

    describe("production, planned in process", () => {
        let base: PlanSide;
        const side = async (label: string, edit?: (c: Record<string, any>) => void): Promise<PlanSide> => ({ // eslint-disable-line @typescript-eslint/no-explicit-any
            label,
            // As plan:diff reads it: resources.json.
            plan: { resources: JSON.parse(JSON.stringify(buildPlan(await runStack("production", edit)).resources)) as PlannedResource[], manifests: "", argocdValues: {}, config: {}, secureDigests: {} },
        });
        before(async () => {
            base = await side("base");
        });

        it("a new cluster name replaces the cluster (blocked by protect), its node groups, add-ons and every Kubernetes object", async () => {
            const d = diffPlans(base, await side("head", (c) => (c[`${NS}:cluster`].name = "footanalytics-prod2")));
            const byName = new Map(d.changed.map((c) => [c.name, c]));
            const eks = byName.get("footanalytics-eks");
            assert.equal(eks?.replaced?.startsWith("name forces a new aws:eks/cluster:Cluster (a child: it inherits protect) (name is ForceNew) [pulumi-eks v4.3.0 nodejs/eks/cluster/cluster.ts"), true, eks?.replaced);
            assert.equal(eks?.blocked, true);
            for (const n of ["footanalytics-system", "footanalytics-workloads", "footanalytics-ml-gpu", "footanalytics-coredns", "platform-lbc"]) assert.match(byName.get(n)?.replaced ?? "", /^clusterName forces a new resource/, n);
            assert.match(byName.get("footanalytics-k8s")?.replaced ?? "", /^clusterIdentifier forces a new resource/);
            const k8sObjects = d.changed.filter((c) => c.type.startsWith("kubernetes:"));
            assert.ok(k8sObjects.length >= 15);
            assert.ok(k8sObjects.every((c) => c.replaced === "its provider footanalytics-k8s is replaced"));
            assert.equal(d.changed.filter((c) => c.blocked).map((c) => c.name).join(), "footanalytics-eks");
        });

        it("a new VPC CIDR replaces the VPC, its subnets, route tables, NAT gateways and node groups, and updates the cluster", async () => {
            const d = diffPlans(base, await side("head", (c) => (c[`${NS}:cluster`].vpc.cidr = "10.20.0.0/16")));
            const byName = new Map(d.changed.map((c) => [c.name, c]));
            assert.equal(byName.get("footanalytics-vpc")?.replaced, "cidrBlock forces a new resource [terraform-provider-aws v6 internal/service/ec2/vpc_.go]");
            assert.equal(byName.get("footanalytics-vpc")?.blocked, false);
            assert.equal(byName.get("footanalytics-public-rt")?.replaced, "vpcId comes from replaced aws:ec2/vpc:Vpc footanalytics-vpc");
            assert.equal(byName.get("footanalytics-nat-1")?.replaced, "subnetId comes from replaced aws:ec2/subnet:Subnet footanalytics-public-1");
            assert.match(byName.get("footanalytics-private-1")?.replaced ?? "", /^cidrBlock forces a new resource/);
            assert.match(byName.get("footanalytics-system")?.replaced ?? "", /^subnetIds\[0\] comes from replaced aws:ec2\/subnet:Subnet footanalytics-private-1$/);
            assert.equal(byName.get("footanalytics-eks")?.replaced, undefined);
            assert.equal(byName.get("footanalytics-eks")?.affectedBy, "updated: vpcId comes from replaced aws:ec2/vpc:Vpc footanalytics-vpc");
        });
    });
});
