import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { parsePackConfig, settingsOf } from "../../policy/lib/config";
import { rules as POLICIES } from "../../policy/policies";
import { CHART_CONTAINERS } from "../../components/argocd/chart";
import { ROOT } from "../../tools/harness";

describe("policy/pack-config.json", () => {
    const raw = JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "pack-config.json"), "utf8"));
    const config = parsePackConfig(raw, POLICIES);
    const docs = fs.readFileSync(path.join(ROOT, "docs", "policies.md"), "utf8");

    it("parses without problems and keeps CPU limits required", () => {
        assert.equal(settingsOf(config, "require-requests-limits").requireCpuLimits, true);
    });

    it("exempts only the Argo CD container and the NVIDIA device plugin the charts cannot probe (not split-brain-fix: redis-ha renders its probes since 4.35.4), each with a reason", () => {
        const exemptions = POLICIES.flatMap((p) => settingsOf(config, p.name).exemptions);
        assert.deepEqual(
            exemptions.map((e) => `${e.policy} ${e.kind} ${e.namespace}/${e.name} ${e.container}`),
            [
                "require-probes StatefulSet argocd/argocd-application-controller application-controller",
                "require-probes DaemonSet kube-system/nvidia-device-plugin nvidia-device-plugin-ctr",
                "platform-chart-values DaemonSet kube-system/nvidia-device-plugin nvidia-device-plugin-ctr",
                "pod-security DaemonSet kube-system/nvidia-device-plugin undefined",
            ],
        );
        for (const e of exemptions) assert.ok(e.reason.length > 40, `${e.name}: the reason must explain why upstream leaves no choice`);
        const unprobeable = CHART_CONTAINERS.filter((c) => !c.init && c.workload.kind !== "Job" && (c.readiness === "none" || c.liveness === "none"));
        assert.deepEqual(
            exemptions.filter((e) => e.namespace === "argocd").map((e) => `${e.kind} ${e.name} ${e.container}`),
            unprobeable.map((c) => `${c.workload.kind} ${c.workload.name} ${c.container}`),
            "pack exemptions and components/argocd/chart.ts agree",
        );
        assert.doesNotMatch(docs, /split-brain-fix/, "docs/policies.md still exempts split-brain-fix");
    });

    it("lists every exemption in docs/policies.md", () => {
        for (const p of POLICIES) {
            for (const e of settingsOf(config, p.name).exemptions) {
                assert.ok(docs.includes(`| \`${e.policy}\` | ${e.kind} | ${e.namespace} | ${e.name} | ${e.container ?? "(every container)"} |`), `docs/policies.md lacks ${e.policy} ${e.name}/${e.container}`);
            }
        }
    });
});
