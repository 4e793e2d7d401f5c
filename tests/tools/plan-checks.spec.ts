import * as assert from "assert/strict";
import { buildPlan } from "../../tools/plan";
import { bootstrapOrder, eksSupportWarnings, exampleValueWarnings, formatBootstrapOrder } from "../../tools/plan-checks";
import { NS, runStack, stackValues } from "../helpers";

describe("plan checks", () => {
    describe("bootstrap order", () => {
        it("orders production: cluster, then the six cluster services, then the argo-cd chart, then the GitOps objects, each depending on the step before", async () => {
            const order = bootstrapOrder(buildPlan(await runStack("production")).resources);
            assert.deepEqual(order.problems, []);
            assert.deepEqual(
                order.steps.map((s) => [s.step, [...s.resources].sort()]),
                [
                    ["cluster", ["footanalytics-k8s"]],
                    ["cluster services", ["platform-aws-load-balancer-controller", "platform-cluster-autoscaler", "platform-external-secrets", "platform-metrics-server", "platform-nvidia-device-plugin", "platform-prometheus-operator-crds"]],
                    ["Argo CD chart", ["argocd-chart"]],
                    ["GitOps objects", ["gitops-app-analytics-engine", "gitops-app-api-gateway", "gitops-app-ml-pipeline", "gitops-app-video-ingestion", "gitops-default-project", "gitops-platform-project", "gitops-project"]],
                ],
            );
        });

        it("orders staging with its four cluster services, and names every missing edge", async () => {
            const resources = buildPlan(await runStack("staging")).resources;
            const order = bootstrapOrder(resources);
            assert.deepEqual(order.problems, []);
            assert.deepEqual([...order.steps[1].resources].sort(), ["platform-aws-load-balancer-controller", "platform-cluster-autoscaler", "platform-external-secrets", "platform-metrics-server"]);
            const broken = resources.map((r) => (r.name === "argocd-chart" ? { ...r, options: { ...r.options, dependsOn: r.options.dependsOn.filter((u) => !u.includes("metrics-server")) } } : r));
            assert.deepEqual(bootstrapOrder(broken).problems, ["argocd-chart (Argo CD chart) does not dependOn platform-metrics-server (cluster services)"]);
            assert.match(formatBootstrapOrder(bootstrapOrder(broken)), /^Bootstrap order \(each step dependsOn the previous\):\n {2}1\. cluster: footanalytics-k8s\n/);
        });
    });

    for (const stack of ["staging", "production"] as const) {
        it(`lets no add-on and no Kubernetes provider of ${stack} wait for a workload or GPU node group, and the provider wait for the system group`, async () => {
            const resources = buildPlan(await runStack(stack)).resources;
            const groups = resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
            const roles: Record<string, string> = Object.fromEntries(groups.map((g) => [g.name, (g.inputs.tags as Record<string, string>)["footanalytics.io/node-group-role"]]));
            assert.deepEqual({ ...roles }, stack === "staging" ? { "footanalytics-system": "system", "footanalytics-workloads": "workload" } : { "footanalytics-system": "system", "footanalytics-workloads": "workload", "footanalytics-ml-gpu": "workload" });
            const waiting = resources.filter((r) => r.type === "aws:eks/addon:Addon" || r.type === "pulumi:providers:kubernetes");
            assert.equal(waiting.length, 6);
            for (const r of waiting) {
                for (const g of groups.filter((x) => roles[x.name] !== "system")) assert.equal(r.options.dependsOn.includes(g.urn), false, `${r.name} waits for ${g.name}`);
            }
            const system = groups.find((g) => roles[g.name] === "system")!;
            const waitsForSystem = waiting.filter((r) => r.options.dependsOn.includes(system.urn)).map((r) => r.name).sort();
            assert.deepEqual(waitsForSystem, ["footanalytics-aws-ebs-csi-driver", "footanalytics-coredns", "footanalytics-k8s"]);
            assert.deepEqual(bootstrapOrder(resources).problems, []);
        });
    }

    it("names an add-on or provider that waits for a GPU node group, and a provider that does not wait for the system group", async () => {
        const resources = buildPlan(await runStack("production")).resources;
        const gpu = resources.find((r) => r.name === "footanalytics-ml-gpu")!;
        const system = resources.find((r) => r.name === "footanalytics-system")!;
        const broken = resources.map((r) => {
            if (r.name === "footanalytics-coredns") return { ...r, options: { ...r.options, dependsOn: [...r.options.dependsOn, gpu.urn] } };
            if (r.name === "footanalytics-k8s") return { ...r, options: { ...r.options, dependsOn: r.options.dependsOn.filter((u) => u !== system.urn) } };
            return r;
        });
        assert.deepEqual(bootstrapOrder(broken).problems, [
            "footanalytics-coredns dependsOn footanalytics-ml-gpu, a workload node group: only the system node group may hold up the bootstrap",
            "footanalytics-k8s (cluster) does not dependOn footanalytics-system, the system node group",
        ]);
    });

    it("names every key of the production stack file that holds an example value", () => {
        assert.deepEqual(exampleValueWarnings(stackValues("production")).map((w) => w.split(" holds")[0]), [
            `${NS}:cluster.endpoint.publicAccessCidrs[0]`,
            `${NS}:cluster.deployRoleArn`,
            `${NS}:cluster.previewRoleArns[0]`,
            `${NS}:cluster.adminRoleArns[0]`,
            `${NS}:cluster.developerRoleArns[0]`,
            `${NS}:argocd.ingress.inboundCidrs[0]`,
            `${NS}:argocd.ingress.certificateArn`,
        ]);
        assert.deepEqual(exampleValueWarnings({ [`${NS}:cluster`]: { endpoint: { publicAccessCidrs: ["198.51.100.16/28", "10.1.0.0/16"] } } }), [
            `${NS}:cluster.endpoint.publicAccessCidrs[0] holds an example value (documentation IP range (RFC 5737) 198.51.100.16/28); replace it before the first \`pulumi up\` (docs/operations.md)`,
        ]);
        assert.deepEqual(exampleValueWarnings({ [`${NS}:githubToken`]: { secure: "v1:123456789012" } }), []);
    });

    it("warns when the planned cluster's version is past EKS standard support, and not before", async () => {
        const resources = buildPlan(await runStack("staging")).resources;
        assert.deepEqual(eksSupportWarnings(resources, "2027-03-27"), []);
        assert.deepEqual(eksSupportWarnings(resources, "2027-03-28"), [
            "footanalytics-eks: Kubernetes 1.35 left EKS standard support on 2027-03-27 (extended support, billed per cluster hour, ends 2028-03-27); upgrade cluster.kubernetesVersion (newest in the table: 1.35)",
        ]);
    });
});
