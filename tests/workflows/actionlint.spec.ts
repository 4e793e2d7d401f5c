import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { formatFinding, lintWorkflow, lintWorkflows, ROOT, workflowFiles } from "../../tools/actionlint";

describe("actionlint", () => {
    it("finds the four workflows", () => {
        assert.deepEqual(workflowFiles(), [".github/workflows/deploy.yml", ".github/workflows/manifest-policy.yml", ".github/workflows/plan-diff-comment.yml", ".github/workflows/pull-request.yml"]);
    });

    it("reports no finding in any workflow", async () => {
        const findings = await lintWorkflows();
        assert.deepEqual(findings.map(formatFinding), []);
    });

    it("reports a job that needs a job that does not exist", async () => {
        const text = ["on: push", "jobs:", "  build:", "    runs-on: ubuntu-latest", "    needs: [tests]", "    steps:", "      - run: echo hi", ""].join("\n");
        const findings = await lintWorkflow(text, "broken.yml");
        assert.equal(findings.length, 1);
        assert.equal(findings[0].kind, "job-needs");
        assert.match(findings[0].message, /job "build" needs job "tests" which does not exist/);
        assert.equal(formatFinding(findings[0]).startsWith("broken.yml:3:"), true);
    });

    it("is actionlint v1.7.7, embedded in the package's WebAssembly", () => {
        const wasm = fs.readFileSync(path.join(ROOT, "node_modules", "@tktco", "node-actionlint", "main.wasm")).toString("latin1");
        assert.deepEqual([...new Set(wasm.match(/github\.com\/rhysd\/actionlint@v[\d.]+/g))], ["github.com/rhysd/actionlint@v1.7.7"]);
    });

    it("knows the vars context (actionlint v1.6.23+) and reports a misspelt context", async () => {
        const text = ["on: push", "jobs:", "  build:", "    runs-on: ubuntu-latest", "    steps:", "      - run: echo ${{ vars.REGION }}", "      - run: echo ${{ varz.REGION }}", ""].join("\n");
        const findings = await lintWorkflow(text, "vars.yml");
        assert.deepEqual(
            findings.map((f) => [f.line, f.kind, f.message.split(".")[0]]),
            [[7, "expression", 'undefined variable "varz"']],
        );
    });

    it("reports an action input that does not exist (action metadata of actionlint 1.7)", async () => {
        const text = ["on: push", "jobs:", "  build:", "    runs-on: ubuntu-latest", "    steps:", "      - uses: actions/checkout@v4", "        with:", "          fetch-dept: 0", ""].join("\n");
        const findings = await lintWorkflow(text, "inputs.yml");
        assert.deepEqual(findings.map((f) => [f.line, f.kind]), [[8, "action"]]);
        assert.match(findings[0].message, /input "fetch-dept" is not defined in action "actions\/checkout@v4"/);
    });
});
