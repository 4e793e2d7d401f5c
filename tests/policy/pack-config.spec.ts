import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { parsePackConfig, settingsOf } from "../../policy/lib/config";
import { configurablePolicies as POLICIES } from "../../policy/policies";
import { CHART_CONTAINERS } from "@footanalytics/facts";
import { ROOT } from "../../tools/harness";

describe("policy/pack-config.json", () => {
    const raw = JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "pack-config.json"), "utf8"));
    const config = parsePackConfig(raw, POLICIES);
    const docs = fs.readFileSync(path.join(ROOT, "docs", "policies.md"), "utf8");

    it("parses without problems and keeps CPU limits required", () => {
        assert.equal(settingsOf(config, "require-requests-limits").requireCpuLimits, true);
    });

    it("exempts only the containers the pinned charts cannot probe, and the two single-replica Argo CD controllers, each with a reason", () => {
        const exemptions = POLICIES.flatMap((p) => settingsOf(config, p.name).exemptions);
        assert.deepEqual(
            exemptions.map((e) => `${e.policy} ${e.kind} ${e.namespace}/${e.name} ${e.container}`),
            [
                "require-probes StatefulSet argocd/argocd-application-controller application-controller",
                "require-probes DaemonSet kube-system/nvidia-device-plugin nvidia-device-plugin-ctr",
                "require-probes DaemonSet kube-system/nvidia-device-plugin-mps-control-daemon mps-control-daemon-ctr",
                "require-probes Deployment kube-system/cluster-autoscaler cluster-autoscaler",
                "appproject-least-privilege AppProject argocd/platform apiextensions.k8s.io/CustomResourceDefinition",
                "appproject-least-privilege AppProject argocd/platform rbac.authorization.k8s.io/ClusterRole",
                "appproject-least-privilege AppProject argocd/platform rbac.authorization.k8s.io/ClusterRoleBinding",
                "appproject-least-privilege AppProject argocd/platform admissionregistration.k8s.io/ValidatingWebhookConfiguration",
                "appproject-least-privilege AppProject argocd/platform admissionregistration.k8s.io/MutatingWebhookConfiguration",
                "pod-security DaemonSet kube-system/nvidia-device-plugin undefined",
                "pod-security DaemonSet kube-system/nvidia-device-plugin-mps-control-daemon undefined",
                "high-availability StatefulSet argocd/argocd-application-controller undefined",
                "high-availability Deployment argocd/argocd-notifications-controller undefined",
            ],
        );
        for (const e of exemptions) assert.ok(e.reason.length > 40, `${e.name}: the reason must explain why upstream leaves no choice`);
        const unprobeable = CHART_CONTAINERS.filter((c) => !c.init && c.workload.kind !== "Job" && (c.readiness === "none" || c.liveness === "none"));
        assert.deepEqual(
            exemptions.filter((e) => e.namespace === "argocd" && e.policy === "require-probes").map((e) => `${e.kind} ${e.name} ${e.container}`),
            unprobeable.map((c) => `${c.workload.kind} ${c.workload.name} ${c.container}`),
            "pack exemptions and facts/charts.ts agree",
        );
        assert.doesNotMatch(docs, /split-brain-fix/, "docs/policies.md still exempts split-brain-fix");
    });

    it("lists every exemption in docs/policies.md", () => {
        for (const p of POLICIES) {
            for (const e of settingsOf(config, p.name).exemptions) {
                assert.ok(docs.includes(`| \`${e.policy}\` | ${e.kind} | ${e.namespace} | ${e.name} | ${e.container ?? "(all)"} |`), `docs/policies.md lacks ${e.policy} ${e.name}/${e.container}`);
            }
        }
    });
});
