import * as assert from "assert/strict";
import { argocdChartValues, isArgoCdChart } from "../../../policy/policies/argocd-chart-values";
import { fixture, Json, messages, NotApplicableError, UNKNOWN_VALUE, validate } from "../helpers";

const CHART_V4 = "kubernetes:helm.sh/v4:Chart";
const RELEASE_V3 = "kubernetes:helm.sh/v3:Release";

function chart(values: unknown): Json {
    return {
        chart: "argo-cd",
        version: "10.1.1",
        namespace: "argocd",
        repositoryOpts: { repo: "https://argoproj.github.io/argo-helm" },
        values,
    };
}

function check(values: unknown, stack: "production" | "staging", type = CHART_V4): string[] {
    return messages(argocdChartValues, type, chart(values), { name: "argocd", environment: stack });
}

describe("argocd-chart-values", () => {
    it("accepts compliant production values on a Chart v4", () => {
        assert.deepEqual(check(fixture("argocd-values-production.yaml"), "production"), []);
    });

    it("accepts compliant staging values (Dex init container falls back to dex.resources)", () => {
        assert.deepEqual(check(fixture("argocd-values-staging.yaml"), "staging"), []);
    });

    it("accepts compliant production values on a Helm v3 Release", () => {
        assert.deepEqual(check(fixture("argocd-values-production.yaml"), "production", RELEASE_V3), []);
    });

    it("rejects a component without a memory limit", () => {
        const values = fixture("argocd-values-staging.yaml");
        values.repoServer.copyutil.resources = { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "50m" } };
        assert.deepEqual(check(values, "staging"), ["Chart argocd/argocd (argo-cd): values repoServer.copyutil.resources is missing limits.memory"]);
    });

    it("rejects empty resources on a redis-ha sidecar", () => {
        const values = fixture("argocd-values-production.yaml");
        values["redis-ha"].splitBrainDetection.resources = {};
        assert.deepEqual(check(values, "production"), [
            "Chart argocd/argocd (argo-cd): values redis-ha.splitBrainDetection.resources is missing requests.cpu, requests.memory, limits.cpu, limits.memory",
        ]);
    });

    it("rejects a probe the chart leaves off by default", () => {
        const values = fixture("argocd-values-staging.yaml");
        delete values.notifications.livenessProbe;
        assert.deepEqual(check(values, "staging"), [
            "Chart argocd/argocd (argo-cd): values notifications.livenessProbe.enabled is not set; set it to true, the chart leaves this probe off by default",
        ]);
    });

    it("rejects a probe switched off where the chart default is on", () => {
        const values = fixture("argocd-values-production.yaml");
        values["redis-ha"].sentinel.readinessProbe = { enabled: false };
        assert.deepEqual(check(values, "production"), ["Chart argocd/argocd (argo-cd): values redis-ha.sentinel.readinessProbe.enabled is false; remove it or set it to true"]);
    });

    it("ignores redis-ha.haproxy.readinessProbe, which the subchart does not read (its HAProxy probes are hard-coded)", () => {
        const values = fixture("argocd-values-production.yaml");
        values["redis-ha"].haproxy.readinessProbe = { enabled: false };
        assert.deepEqual(check(values, "production"), []);
    });

    it("rejects a production container security context that does not meet restricted, and not in staging", () => {
        const values = fixture("argocd-values-production.yaml");
        values["redis-ha"].haproxy.containerSecurityContext = { readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["NET_RAW"] } };
        assert.deepEqual(check(values, "production"), [
            'Chart argocd/argocd (argo-cd): values redis-ha.haproxy.containerSecurityContext does not meet Pod Security "restricted", which production enforces; set allowPrivilegeEscalation: false, seccompProfile.type: RuntimeDefault, capabilities.drop: [ALL]',
        ]);
        const staging = fixture("argocd-values-staging.yaml");
        staging.server.containerSecurityContext = {};
        assert.deepEqual(check(staging, "staging"), []);
    });

    it("rejects production values with two Redis nodes or one ApplicationSet controller", () => {
        const values = fixture("argocd-values-production.yaml");
        values["redis-ha"].replicas = 2;
        values.applicationSet.replicas = 1;
        assert.deepEqual(check(values, "production"), [
            "Chart argocd/argocd (argo-cd): values applicationSet.replicas (1) must be at least 2 in production",
            "Chart argocd/argocd (argo-cd): values redis-ha.replicas (2) must be at least 3 in production",
        ]);
    });

    it("checks the commit server only when it is enabled", () => {
        const values = fixture("argocd-values-staging.yaml");
        values.commitServer = { enabled: false };
        assert.deepEqual(check(values, "staging"), []);
        values.commitServer = { enabled: true };
        assert.deepEqual(check(values, "staging"), [
            "Chart argocd/argocd (argo-cd): values commitServer.resources is missing requests.cpu, requests.memory, limits.cpu, limits.memory",
        ]);
    });

    it("rejects production values without redis-ha", () => {
        const values = fixture("argocd-values-production.yaml");
        values["redis-ha"].enabled = false;
        const sc = values.controller.containerSecurityContext;
        values.redis = fixture("argocd-values-staging.yaml").redis;
        values.redis.containerSecurityContext = sc;
        values.redis.exporter.containerSecurityContext = sc;
        assert.deepEqual(check(values, "production"), ["Chart argocd/argocd (argo-cd): values redis-ha.enabled must be true in production (Redis highly available)"]);
    });

    it("rejects a production stack with one API server replica", () => {
        const values = fixture("argocd-values-production.yaml");
        values.server.autoscaling = { enabled: false };
        values.server.replicas = 1;
        assert.deepEqual(check(values, "production"), [
            "Chart argocd/argocd (argo-cd): values server.replicas (1) must be at least 2 in production (or enable server.autoscaling with minReplicas of at least 2)",
        ]);
    });

    it("rejects production autoscaling of the repo server with minReplicas below 2", () => {
        const values = fixture("argocd-values-production.yaml");
        values.repoServer.autoscaling = { enabled: true };
        assert.deepEqual(check(values, "production"), ["Chart argocd/argocd (argo-cd): values repoServer.autoscaling.minReplicas (1) must be at least 2 in production"]);
    });

    it("rejects production values without a PodDisruptionBudget for a component", () => {
        const values = fixture("argocd-values-production.yaml");
        values.applicationSet.pdb = { enabled: false };
        delete values["redis-ha"].haproxy.podDisruptionBudget;
        assert.deepEqual(check(values, "production"), [
            "Chart argocd/argocd (argo-cd): values applicationSet.pdb.enabled must be true in production so that a PodDisruptionBudget protects applicationSet",
            "Chart argocd/argocd (argo-cd): values redis-ha.haproxy.podDisruptionBudget must set minAvailable or maxUnavailable in production",
        ]);
    });

    it("does not apply the HA invariants to staging", () => {
        const values = fixture("argocd-values-staging.yaml");
        assert.equal(values.server.replicas, undefined);
        assert.deepEqual(check(values, "staging"), []);
        assert.ok(check(values, "production").length > 0);
    });

    it("accepts missing CPU limits when the pack config sets requireCpuLimits to false", () => {
        const values = fixture("argocd-values-staging.yaml");
        delete values.server.resources.limits.cpu;
        assert.deepEqual(messages(argocdChartValues, CHART_V4, chart(values), { name: "argocd", environment: "staging", config: { requireCpuLimits: false } }), []);
    });

    it("skips values unknown at preview", () => {
        assert.deepEqual(check(UNKNOWN_VALUE, "production"), []);
        const values = fixture("argocd-values-production.yaml");
        values.server.resources = UNKNOWN_VALUE;
        values["redis-ha"].enabled = UNKNOWN_VALUE;
        assert.deepEqual(check(values, "production"), []);
    });

    it("ignores other charts", () => {
        assert.deepEqual(messages(argocdChartValues, CHART_V4, { chart: "ingress-nginx", values: {} }), []);
        assert.ok(isArgoCdChart("oci://ghcr.io/argoproj/argo-helm/argo-cd"));
        assert.ok(isArgoCdChart("argo/argo-cd"));
        assert.ok(!isArgoCdChart("argo-cd-image-updater"));
    });

    it("reports a Deployment as not applicable", () => {
        assert.throws(() => validate(argocdChartValues, "kubernetes:apps/v1:Deployment", {}), NotApplicableError);
    });
});
