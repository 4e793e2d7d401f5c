import * as assert from "assert/strict";
import { BUILTIN_POLICY, globMatch } from "../../tools/rbac-eval";

describe("tools/rbac-eval", () => {
    it("restates Argo CD v3.4.7's built-in policy (assets/builtin-policy.csv): no rollback, no exec debug", () => {
        assert.equal(BUILTIN_POLICY.split("\n").length, 43);
        assert.doesNotMatch(BUILTIN_POLICY, /rollback|exec, debug/);
        assert.match(BUILTIN_POLICY, /^p, role:admin, exec, create, \*\/\*, allow$/m);
    });

    describe("glob matching as Argo CD does it (gobwas/glob, no separators)", () => {
        const cases: [string, string, boolean][] = [
            ["footanalytics/*", "footanalytics/api-gateway", true],
            ["footanalytics/*", "other/api-gateway", false],
            ["*", "footanalytics/api-gateway", true],
            ["action/*", "action/apps/Deployment/restart", true],
            ["delete/*/Pod/*/*", "delete//Pod/footanalytics/api-7d9", true],
            ["{get,sync}", "sync", true],
            ["{get,sync}", "delete", false],
            ["api-?", "api-1", true],
            ["[!a]pi", "api", false],
            ["a.b", "axb", false],
        ];
        for (const [pattern, text, expected] of cases) {
            it(`${expected ? "matches" : "does not match"} ${JSON.stringify(text)} with ${JSON.stringify(pattern)}`, () => {
                assert.equal(globMatch(pattern, text), expected);
            });
        }
    });
});
