import * as assert from "assert/strict";
import { chartTransforms, CRD_TYPE, labelEnvironment, retainCrds } from "../../components/chart-transforms";
import { runStack, STACKS } from "../helpers";

describe("chart transforms", () => {
    it("marks a chart's CustomResourceDefinitions retainOnDelete and leaves every other kind alone", async () => {
        const crd = await retainCrds({ type: CRD_TYPE, name: "argocd:applications.argoproj.io", props: { a: 1 }, opts: { protect: false }, custom: true });
        assert.deepEqual(crd, { props: { a: 1 }, opts: { protect: false, retainOnDelete: true } });
        const deployment = await retainCrds({ type: "kubernetes:apps/v1:Deployment", name: "argocd:argocd/argocd-server", props: {}, opts: {}, custom: true });
        assert.equal(deployment, undefined);
    });

    it("adds the environment label to a rendered object and keeps its own labels and options", async () => {
        const props = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "argocd-redis-ha-server", labels: { app: "redis-ha", release: "argocd" } }, spec: { replicas: 3 } };
        const result = await labelEnvironment("staging")({ type: "kubernetes:apps/v1:StatefulSet", name: "argocd:argocd/argocd-redis-ha-server", props, opts: { retainOnDelete: true }, custom: true });
        assert.deepEqual(result, {
            props: { ...props, metadata: { name: "argocd-redis-ha-server", labels: { app: "redis-ha", release: "argocd", "footanalytics.io/environment": "staging" } } },
            opts: { retainOnDelete: true },
        });
    });

    it("marks every Secret a chart renders as the program's own (its values come from the chart's values, never from gitops-config)", async () => {
        const props = { apiVersion: "v1", kind: "Secret", metadata: { name: "aws-load-balancer-tls", annotations: { a: "b" } }, data: { "tls.key": "x" } };
        const result = await labelEnvironment("production")({ type: "kubernetes:core/v1:Secret", name: "platform:kube-system/aws-load-balancer-tls", props, opts: {}, custom: true });
        assert.deepEqual(result?.props.metadata, { name: "aws-load-balancer-tls", annotations: { a: "b", "footanalytics.io/secret-source": "pulumi" }, labels: { "footanalytics.io/environment": "production" } });
    });

    it("labels an object without labels, and leaves alone what is not a Kubernetes object with metadata", async () => {
        const result = await labelEnvironment("production")({ type: "kubernetes:core/v1:ConfigMap", name: "x", props: { metadata: { name: "x" } }, opts: {}, custom: true });
        assert.deepEqual(result?.props, { metadata: { name: "x", labels: { "footanalytics.io/environment": "production" } } });
        assert.equal(await labelEnvironment("production")({ type: "aws:iam/role:Role", name: "r", props: { metadata: {} }, opts: {}, custom: true }), undefined);
        assert.equal(await labelEnvironment("production")({ type: "kubernetes:core/v1:ConfigMap", name: "x", props: {}, opts: {}, custom: true }), undefined);
    });

    it("gives every chart both transforms, CRD retention first", () => {
        const transforms = chartTransforms("production");
        assert.equal(transforms.length, 2);
        assert.equal(transforms[0], retainCrds);
    });
});

describe("charts of both stacks", function () {
    this.timeout(120000);
    for (const stack of STACKS) {
        it(`installs every chart of ${stack} with the chart transforms and never retainOnDelete or protect on a Chart (every child would inherit it)`, async () => {
            const charts = (await runStack(stack)).resources.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart");
            assert.ok(charts.length >= 3, `${stack} installs the cluster services and Argo CD`);
            for (const chart of charts) {
                assert.deepEqual([chart.name, chart.options.retainOnDelete, chart.options.protect, chart.transforms?.length], [chart.name, false, false, 2]);
            }
        });
    }
});
