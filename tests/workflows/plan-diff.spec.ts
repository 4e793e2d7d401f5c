import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { ROOT } from "../../tools/actionlint";

/* eslint-disable @typescript-eslint/no-explicit-any -- workflow documents and API fakes are free-form */

function load(file: string): Record<string, any> {
    return YAML.parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", file), "utf8"));
}

const pullRequest = load("pull-request.yml");
const commentWorkflow = load("plan-diff-comment.yml");
const diffJob = pullRequest.jobs["plan-diff"];
const commentJob = commentWorkflow.jobs.comment;
const diffScript: string = diffJob.steps.find((s: any) => s.name === "Diff the offline plan of each stack").run;
const commentStep = commentJob.steps.find((s: any) => String(s.uses).startsWith("actions/github-script@"));
const MARKER = "<!-- footanalytics-gitops:plan-diff -->";

/** A scratch directory of the running test (see the hooks of the top-level describe). */
let tmp: string;

/**
 * Run the plan-diff job's script as the runner does (`bash --noprofile --norc -eo pipefail`), with
 * an `npm` on PATH that prints a report for each stack and exits with the code given for it.
 */
function runDiffScript(codes: Record<string, number>) {
    const bin = path.join(tmp, "bin");
    fs.mkdirSync(bin);
    const cases = Object.entries(codes)
        .map(([stack, code]) => `  *"--stack ${stack} "*) echo "### plan:diff ${stack}: args $*"; echo "warning from ${stack}" >&2; exit ${code} ;;`)
        .join("\n");
    fs.writeFileSync(path.join(bin, "npm"), `#!/usr/bin/env bash\ncase "$* " in\n${cases}\nesac\nexit 9\n`, { mode: 0o755 });
    const summary = path.join(tmp, "summary.md");
    const work = path.join(tmp, "work");
    fs.mkdirSync(work);
    const child = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", diffScript], {
        cwd: work,
        encoding: "utf8",
        env: { PATH: `${bin}:${process.env.PATH}`, GITHUB_STEP_SUMMARY: summary, PR_NUMBER: "42" },
    });
    const read = (f: string) => fs.readFileSync(path.join(work, "plan-diff", f), "utf8");
    return { child, read, files: fs.readdirSync(path.join(work, "plan-diff")).sort(), summary: fs.readFileSync(summary, "utf8") };
}

interface Call {
    readonly method: string;
    readonly args: Record<string, unknown>;
}

/**
 * Run the comment step's script the way actions/github-script does (an async function of
 * `require`, `github`, `context`, `core`), against fakes of the GitHub API.
 */
async function runCommentScript(opts: { files: Record<string, string>; prHead?: string; prState?: string; comments?: { id: number; user: { login: string }; body: string }[]; prMissing?: boolean }) {
    const dir = path.join(tmp, "artifact");
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(opts.files)) fs.writeFileSync(path.join(dir, name), text);
    const calls: Call[] = [];
    const outcome: { failed?: string; notices: string[] } = { notices: [] };
    const github = {
        rest: {
            pulls: {
                get: async (args: Record<string, unknown>) => {
                    calls.push({ method: "pulls.get", args });
                    if (opts.prMissing) throw new Error("Not Found");
                    return { data: { head: { sha: opts.prHead ?? "a".repeat(40) }, state: opts.prState ?? "open" } };
                },
            },
            issues: {
                listComments: async (args: Record<string, unknown>) => {
                    calls.push({ method: "issues.listComments", args });
                    return { data: opts.comments ?? [] };
                },
                createComment: async (args: Record<string, unknown>) => {
                    calls.push({ method: "issues.createComment", args });
                    return { data: {} };
                },
                updateComment: async (args: Record<string, unknown>) => {
                    calls.push({ method: "issues.updateComment", args });
                    return { data: {} };
                },
            },
        },
        paginate: async (fn: (a: Record<string, unknown>) => Promise<{ data: unknown[] }>, args: Record<string, unknown>) => (await fn(args)).data,
    };
    const context = { repo: { owner: "footanalytics", repo: "footanalytics-gitops" }, payload: { workflow_run: { head_sha: "a".repeat(40), html_url: "https://github.com/footanalytics/footanalytics-gitops/actions/runs/7" } } };
    const core = {
        setFailed: (m: string) => {
            outcome.failed = m;
        },
        notice: (m: string) => outcome.notices.push(m),
    };
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;
    const previous = process.env.PLAN_DIFF_DIR;
    process.env.PLAN_DIFF_DIR = dir;
    try {
        await new AsyncFunction("require", "github", "context", "core", commentStep.with.script)(require, github, context, core);
    } finally {
        if (previous === undefined) delete process.env.PLAN_DIFF_DIR;
        else process.env.PLAN_DIFF_DIR = previous;
    }
    return { calls, outcome };
}

const ARTIFACT = { "pr-number": "42\n", "staging.md": "### plan:diff staging\n\nNo changes.", "production.md": "### plan:diff production\n\n```diff\n~ argocd.server.replicas: 3 → 4\n```" };

describe("offline plan diff on pull requests", () => {
    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-workflow-"));
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    describe("the plan-diff job of pull-request.yml (runs the pull request's code)", () => {
        it("has a read-only token, no secrets, no environment and no persisted credentials", () => {
            assert.deepEqual(diffJob.permissions, { contents: "read" });
            assert.equal(diffJob.environment, undefined);
            assert.doesNotMatch(JSON.stringify(diffJob), /secrets\.|id-token|vars\./);
            const checkout = diffJob.steps.find((s: any) => String(s.uses).startsWith("actions/checkout@"));
            assert.deepEqual(checkout.with, { "persist-credentials": false, "fetch-depth": 2 });
        });

        it("passes the pull request number through the environment, never into the script", () => {
            const step = diffJob.steps.find((s: any) => s.run === diffScript);
            assert.deepEqual(step.env, { PR_NUMBER: "${{ github.event.pull_request.number }}" });
            for (const s of diffJob.steps) assert.doesNotMatch(String(s.run ?? ""), /\$\{\{/);
        });

        it("diffs both stacks against the base of the test merge, writes the summary and the artifact, exit 0 for changes", () => {
            const { child, read, files, summary } = runDiffScript({ staging: 0, production: 1 });
            assert.equal(child.status, 0, child.stderr);
            assert.deepEqual(files, ["pr-number", "production.md", "staging.md"]);
            assert.equal(read("pr-number"), "42\n");
            assert.equal(read("staging.md"), "### plan:diff staging: args run --silent plan:diff -- --stack staging --base HEAD^1 --format markdown --render\n");
            assert.equal(summary, `${read("staging.md")}\n${read("production.md")}\n`);
            assert.match(child.stderr, /warning from staging/);
        });

        it("fails the job after writing every stack when plan:diff errs (exit 2), and says so in the artifact", () => {
            const { child, read, files } = runDiffScript({ staging: 2, production: 1 });
            assert.equal(child.status, 1);
            assert.deepEqual(files, ["pr-number", "production.md", "staging.md"]);
            assert.equal(read("staging.md"), '### plan:diff staging failed (exit 2)\n\nSee the log of the "Offline plan diff" job.\n');
            assert.match(child.stdout, /::error::plan:diff of staging failed with exit code 2/);
        });

        it("uploads the plan-diff directory even when a step failed", () => {
            const upload = diffJob.steps.find((s: any) => String(s.uses).startsWith("actions/upload-artifact@"));
            assert.equal(upload.if, "always()");
            assert.deepEqual(upload.with, { name: "plan-diff", path: "plan-diff/", "if-no-files-found": "error", "retention-days": 7 });
        });
    });

    describe("plan-diff-comment.yml (may write comments; never runs the pull request's code)", () => {
        it("runs after the Pull request workflow, for pull_request runs that were not cancelled", () => {
            assert.deepEqual(commentWorkflow.on, { workflow_run: { workflows: [pullRequest.name], types: ["completed"] } });
            assert.equal(commentJob.if, "github.event.workflow_run.event == 'pull_request' && github.event.workflow_run.conclusion != 'cancelled'");
        });

        it("has only actions: read and pull-requests: write, and neither checks out nor runs a shell or npm", () => {
            assert.deepEqual(commentJob.permissions, { actions: "read", "pull-requests": "write" });
            assert.deepEqual(
                commentJob.steps.map((s: any) => String(s.uses).split("@")[0]),
                ["actions/download-artifact", "actions/github-script"],
            );
            for (const s of commentJob.steps) assert.equal(s.run, undefined);
            // No expression is expanded into the script, and the script starts no process.
            assert.doesNotMatch(commentStep.with.script, /\$\{\{|child_process|\bexec\.|\bio\./);
        });

        it("downloads the plan-diff artifact of the triggering run", () => {
            const download = commentJob.steps[0];
            assert.deepEqual(download.with, { name: "plan-diff", path: "${{ runner.temp }}/plan-diff", "run-id": "${{ github.event.workflow_run.id }}", "github-token": "${{ github.token }}" });
            assert.equal(commentStep.env.PLAN_DIFF_DIR, download.with.path);
        });

        it("creates one comment with the marker and both stacks' diffs for the pull request of the planned commit", async () => {
            const { calls, outcome } = await runCommentScript({ files: ARTIFACT });
            assert.equal(outcome.failed, undefined);
            assert.deepEqual(calls.map((c) => c.method), ["pulls.get", "issues.listComments", "issues.createComment"]);
            assert.equal(calls[0].args.pull_number, 42);
            const body = String(calls[2].args.body);
            assert.ok(body.startsWith(`${MARKER}\n## Offline plan diff\n`));
            assert.ok(body.endsWith(`${ARTIFACT["staging.md"]}\n\n${ARTIFACT["production.md"]}`));
            assert.equal(calls[2].args.issue_number, 42);
        });

        it("updates its own earlier comment, not one someone else started with the marker", async () => {
            const comments = [
                { id: 1, user: { login: "mallory" }, body: `${MARKER}\nspoof` },
                { id: 2, user: { login: "github-actions[bot]" }, body: `${MARKER}\nold` },
            ];
            const { calls } = await runCommentScript({ files: ARTIFACT, comments });
            assert.deepEqual(calls.map((c) => c.method), ["pulls.get", "issues.listComments", "issues.updateComment"]);
            assert.equal(calls[2].args.comment_id, 2);
        });

        it("refuses a pull request number that is not a number, without calling the API", async () => {
            const { calls, outcome } = await runCommentScript({ files: { ...ARTIFACT, "pr-number": "1; curl evil" } });
            assert.deepEqual(calls, []);
            assert.equal(outcome.failed, 'the plan-diff artifact\'s pr-number is not a pull request number: "1; curl evil"');
        });

        it("does not comment on a pull request whose head is not the commit the run planned", async () => {
            const { calls, outcome } = await runCommentScript({ files: ARTIFACT, prHead: "b".repeat(40) });
            assert.deepEqual(calls.map((c) => c.method), ["pulls.get"]);
            assert.match(outcome.notices[0], /^pull request #42 is now at b{40}, not at a{40} which this run planned/);
        });

        it("fails on a pull request number the repository does not have", async () => {
            const { calls, outcome } = await runCommentScript({ files: ARTIFACT, prMissing: true });
            assert.deepEqual(calls.map((c) => c.method), ["pulls.get"]);
            assert.equal(outcome.failed, "pull request #42 named by the plan-diff artifact does not exist in footanalytics/footanalytics-gitops: Not Found");
        });

        it("refuses an artifact file that is a symlink (it could point at the runner's files)", async () => {
            fs.mkdirSync(path.join(tmp, "artifact"));
            fs.symlinkSync("/etc/hostname", path.join(tmp, "artifact", "staging.md"));
            await assert.rejects(runCommentScript({ files: { "pr-number": "42", "production.md": "x" } }), { message: "staging.md in the plan-diff artifact is not a regular file" });
        });

        it("keeps the counts and the first changes of a diff too long for a comment, closes its fence and points to the whole diff", async () => {
            const changes = Array.from({ length: 4000 }, (_, i) => `+ kubernetes:core/v1:ConfigMap cm-${String(i).padStart(4, "0")}`);
            const production = ["### plan:diff production: base 1a2b3c4 → working tree", "", "**Summary:** resources 4000 added, 0 removed, 0 replaced, 0 changed", "", "#### Resources (4000 added, 0 removed, 0 replaced, 0 changed)", "```diff", ...changes, "```"].join("\n");
            assert.ok(production.length > 150_000, "larger than the artifact limit the comment used to read whole");
            const { calls } = await runCommentScript({ files: { ...ARTIFACT, "production.md": production } });
            const body = String(calls[2].args.body);
            assert.ok(body.length < 65536, `${body.length} characters`);
            const section = body.slice(body.indexOf("### plan:diff production"));
            const lines = section.split("\n");
            assert.deepEqual(lines.slice(0, 7), ["### plan:diff production: base 1a2b3c4 → working tree", "", "**Summary:** resources 4000 added, 0 removed, 0 replaced, 0 changed", "", "#### Resources (4000 added, 0 removed, 0 replaced, 0 changed)", "```diff", changes[0]]);
            const shown = lines.filter((l) => l.startsWith("+ kubernetes:")).length;
            assert.ok(shown > 500, `${shown} changes shown`);
            assert.deepEqual(lines.slice(5 + 1 + shown), [
                "```",
                "",
                `_The plan diff of production is ${Buffer.byteLength(production).toLocaleString("en-US")} bytes, too long for a comment: above are its first ${5 + 1 + shown} lines. The whole diff is \`production.md\` in the \`plan-diff\` artifact of [this run](https://github.com/footanalytics/footanalytics-gitops/actions/runs/7), also in its job summary._`,
            ]);
        });
    });
});
