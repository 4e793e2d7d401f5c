import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../policy/policies";

describe("policy pack", () => {
    it("has a unique kebab-case name, a sentence description and an enforcement level on every policy", () => {
        const names = policies.map((p) => p.name);
        assert.equal(new Set(names).size, names.length, `duplicate policy names: ${names.join(", ")}`);
        for (const policy of policies) {
            assert.match(policy.name, /^[a-z]+(-[a-z]+)*$/, `${policy.name} is not kebab-case`);
            assert.match(policy.description, /^[A-Z].{20,}\.$/, `${policy.name}: description must be a sentence`);
            assert.ok(["advisory", "mandatory"].includes(policy.enforcementLevel ?? ""), `${policy.name}: enforcement level missing`);
            assert.ok(policy.configSchema?.properties.exemptions, `${policy.name}: exemptions must be configurable`);
        }
    });

    it("keeps the stable policy names, the two chart-values policies replaced by rules on rendered objects (issue 17)", () => {
        assert.deepEqual(policies.map((p) => p.name).sort(), [
            "application-sync-policy",
            "appproject-least-privilege",
            "disallow-latest-tag",
            "eks-version-support",
            "high-availability",
            "no-plaintext-secrets",
            "pod-security",
            "pod-security-admission",
            "require-probes",
            "require-requests-limits",
        ]);
    });

    it("declares a nodejs PulumiPolicy.yaml and a pinned @pulumi/policy", () => {
        const root = path.join(__dirname, "..", "..", "policy");
        assert.match(fs.readFileSync(path.join(root, "PulumiPolicy.yaml"), "utf8"), /^runtime: nodejs$/m);
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        assert.match(pkg.dependencies["@pulumi/policy"], /^\d+\.\d+\.\d+$/);
    });
});
