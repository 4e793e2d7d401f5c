import * as assert from "assert/strict";
import { DEFAULT_SETTINGS } from "../../../policy/lib/config";
import { stackFindingsFor } from "../../../policy/lib/engine";
import { Subject } from "../../../policy/lib/kube";
import { highAvailabilityRule, selects } from "../../../policy/policies/high-availability";

const LABELS = { "app.kubernetes.io/name": "argocd-server" };

function workload(kind: "Deployment" | "StatefulSet", environment: string | undefined, replicas?: number): Subject {
    const labels = environment === undefined ? {} : { "footanalytics.io/environment": environment };
    const spec: Record<string, unknown> = { selector: { matchLabels: LABELS }, template: { metadata: { labels: LABELS }, spec: { containers: [] } } };
    if (replicas !== undefined) spec.replicas = replicas;
    return { type: `kubernetes:apps/v1:${kind}`, name: "argocd:argocd/argocd-server", props: { apiVersion: "apps/v1", kind, metadata: { name: "argocd-server", namespace: "argocd", labels }, spec } };
}

function pdb(name: string, spec: Record<string, unknown>, namespace = "argocd"): Subject {
    return { type: "kubernetes:policy/v1:PodDisruptionBudget", name, props: { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name, namespace }, spec } };
}

function hpa(minReplicas: number | undefined, apiVersion = "autoscaling/v2"): Subject {
    const spec: Record<string, unknown> = { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "argocd-server" }, maxReplicas: 5 };
    if (minReplicas !== undefined) spec.minReplicas = minReplicas;
    return { type: `kubernetes:${apiVersion}:HorizontalPodAutoscaler`, name: "hpa", props: { apiVersion, kind: "HorizontalPodAutoscaler", metadata: { name: "argocd-server", namespace: "argocd" }, spec } };
}

const BUDGET = pdb("argocd-server", { maxUnavailable: 1, selector: { matchLabels: LABELS } });
const messages = (subjects: readonly Subject[]) => stackFindingsFor(highAvailabilityRule, subjects, DEFAULT_SETTINGS).map((f) => f.message);

describe("high-availability", () => {
    it("passes a production Deployment or StatefulSet with 2 replicas and one budget, and judges nothing outside production", () => {
        assert.deepEqual(messages([workload("Deployment", "production", 2), BUDGET]), []);
        assert.deepEqual(messages([workload("StatefulSet", "production", 3), BUDGET]), []);
        assert.deepEqual(messages([workload("Deployment", "staging", 1)]), []);
        assert.deepEqual(messages([workload("Deployment", undefined, 1)]), []);
    });

    it("counts replicas as Kubernetes does: unset is 1; an HPA's minReplicas (unset is 1) wins, in either autoscaling version", () => {
        assert.deepEqual(messages([workload("Deployment", "production"), BUDGET]), [
            "Deployment argocd/argocd-server runs 1 replica; production runs at least 2 so that losing one pod or node keeps it serving",
        ]);
        assert.deepEqual(messages([workload("Deployment", "production"), hpa(2), BUDGET]), []);
        assert.deepEqual(messages([workload("Deployment", "production", 3), hpa(undefined, "autoscaling/v1"), BUDGET]), [
            "Deployment argocd/argocd-server is scaled by HorizontalPodAutoscaler argocd/argocd-server with minReplicas 1; production runs at least 2 so that losing one pod or node keeps it serving",
        ]);
    });

    it("needs exactly one budget in its namespace that lets a pod go: none, two, or one that allows no eviction each fail", () => {
        const w = workload("Deployment", "production", 2);
        assert.deepEqual(messages([w, pdb("elsewhere", { maxUnavailable: 1, selector: { matchLabels: LABELS } }, "other")]), [
            "Deployment argocd/argocd-server has no PodDisruptionBudget selecting its pods; production needs one so that a node drain or upgrade keeps it serving",
        ]);
        assert.deepEqual(messages([w, BUDGET, pdb("all", { maxUnavailable: 1, selector: {} })]), [
            "Deployment argocd/argocd-server is selected by 2 PodDisruptionBudgets (argocd/argocd-server, argocd/all); the eviction API refuses pods with more than one, so every node drain stalls",
        ]);
        assert.deepEqual(messages([w, pdb("strict", { maxUnavailable: 0, selector: { matchLabels: LABELS } })]), [
            "Deployment argocd/argocd-server has PodDisruptionBudget argocd/strict that allows no pod to be evicted (maxUnavailable 0); every node drain and upgrade stalls on it",
        ]);
        assert.deepEqual(messages([w, pdb("strict", { minAvailable: 2, selector: { matchLabels: LABELS } })]), [
            "Deployment argocd/argocd-server has PodDisruptionBudget argocd/strict that allows no pod to be evicted (minAvailable 2); every node drain and upgrade stalls on it",
        ]);
        assert.deepEqual(messages([w, pdb("ok", { minAvailable: 1, selector: { matchLabels: LABELS } })]), []);
    });

    it("reads selectors as policy/v1 does: an empty one selects every pod, an absent one none, expressions by operator", () => {
        assert.equal(selects({}, LABELS), true);
        assert.equal(selects(undefined, LABELS), false);
        assert.equal(selects({ matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["argocd-server"] }] }, LABELS), true);
        assert.equal(selects({ matchExpressions: [{ key: "app.kubernetes.io/name", operator: "NotIn", values: ["argocd-server"] }] }, LABELS), false);
        assert.equal(selects({ matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] }, LABELS), true);
        assert.equal(selects({ matchLabels: { "app.kubernetes.io/name": "other" } }, LABELS), false);
    });

    it("honours a reviewed exemption of one object only", () => {
        const exempt = { ...DEFAULT_SETTINGS, exemptions: [{ policy: "high-availability", kind: "Deployment", namespace: "argocd", name: "argocd-server", reason: "r" }] };
        assert.deepEqual(stackFindingsFor(highAvailabilityRule, [workload("Deployment", "production", 1)], exempt), []);
        const otherKind = { ...exempt, exemptions: [{ ...exempt.exemptions[0], kind: "StatefulSet" }] };
        assert.equal(stackFindingsFor(highAvailabilityRule, [workload("Deployment", "production", 1)], otherKind).length, 2);
    });
});
