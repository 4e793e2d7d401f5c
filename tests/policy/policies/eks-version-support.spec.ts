import * as assert from "assert/strict";
import { EKS_VERSION_SUPPORT, supportStatus, supportWarning } from "@footanalytics/facts";
import { eksVersionSupportRuleAt } from "../../../policy/policies/eks-version-support";

const at = (day: string) => eksVersionSupportRuleAt(() => new Date(`${day}T12:00:00Z`));
const subject = (version: unknown) => ({ type: "eks:index:Cluster", name: "footanalytics-eks", props: { name: "footanalytics-production", version } });
const settings = { requireCpuLimits: true, exemptions: [] };

describe("eks-version-support", () => {
    it("is silent while the version is in standard support, through its last day", () => {
        assert.deepEqual(at("2027-03-27").check(subject("1.35"), { settings, environment: "production" }), []);
    });

    it("warns the day after standard support ends, naming the dates and the fix", () => {
        assert.deepEqual(
            at("2026-12-03").check(subject("1.34"), { settings, environment: "production" }).map((f) => f.message),
            ["EKS cluster footanalytics-production: Kubernetes 1.34 left EKS standard support on 2026-12-02 (extended support, billed per cluster hour, ends 2027-12-02); upgrade cluster.kubernetesVersion (newest in the table: 1.35)"],
        );
    });

    it("says EKS upgrades a version past extended support", () => {
        assert.equal(supportStatus("1.31", "2026-12-02"), "ended");
        assert.match(supportWarning("1.31", "2026-12-02") ?? "", /^Kubernetes 1\.31 left EKS extended support on 2026-11-26: EKS upgrades such clusters automatically/);
    });

    it("is advisory and ignores an unknown version at preview", () => {
        const rule = at("2030-01-01");
        assert.equal(rule.enforcementLevel, "advisory");
        assert.deepEqual(rule.check(subject(undefined), { settings, environment: "staging" }), []);
    });

    it("keeps extended support twelve months after standard support for every row", () => {
        for (const [version, row] of Object.entries(EKS_VERSION_SUPPORT)) {
            const standard = new Date(`${row.standardSupportEnd}T00:00:00Z`);
            standard.setUTCFullYear(standard.getUTCFullYear() + 1);
            assert.equal(standard.toISOString().slice(0, 10), row.extendedSupportEnd, version);
        }
    });
});
