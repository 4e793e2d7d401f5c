import * as assert from "assert/strict";
import { createWorkflowLinter, formatFinding, lintWorkflows, WorkflowLinter, workflowFiles } from "../../tools/actionlint";

describe("actionlint", () => {
    let lint: WorkflowLinter;

    before(async () => {
        lint = await createWorkflowLinter();
    });

    it("finds the four workflows", () => {
        assert.deepEqual(workflowFiles(), [".github/workflows/deploy.yml", ".github/workflows/manifest-policy.yml", ".github/workflows/plan-diff-comment.yml", ".github/workflows/pull-request.yml"]);
    });

    it("reports no finding in any workflow", async () => {
        const findings = await lintWorkflows();
        assert.deepEqual(findings.map(formatFinding), []);
    });

    it("reports a job that needs a job that does not exist", () => {
        const text = ["on: push", "jobs:", "  build:", "    runs-on: ubuntu-latest", "    needs: [tests]", "    steps:", "      - run: echo hi", ""].join("\n");
        const findings = lint(text, "broken.yml");
        assert.equal(findings.length, 1);
        assert.equal(findings[0].kind, "job-needs");
        assert.match(findings[0].message, /job "build" needs job "tests" which does not exist/);
        assert.equal(formatFinding(findings[0]).startsWith("broken.yml:3:"), true);
    });

    it("accepts the vars context the embedded linter predates but still reports a misspelt context", () => {
        const text = ["on: push", "jobs:", "  build:", "    runs-on: ubuntu-latest", "    steps:", "      - run: echo ${{ vars.REGION }}", "      - run: echo ${{ varz.REGION }}", ""].join("\n");
        const findings = lint(text, "vars.yml");
        assert.deepEqual(
            findings.map((f) => [f.kind, f.message.split(".")[0]]),
            [["expression", 'undefined variable "varz"']],
        );
    });
});
