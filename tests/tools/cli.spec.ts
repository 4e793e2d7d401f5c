import * as assert from "assert/strict";
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { helpText, ROOT } from "../../tools/cli";
import { TOOLS } from "../../tools/usage";
import { editedValues, NS } from "../helpers";
import { npmEnv, runTool } from "./run-tool";

/** A temporary directory every user can enter (the unprivileged runs need it). */
function tmp(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.chmodSync(dir, 0o755);
    return dir;
}

/** A copy of the checkout's tracked files in `dir`, sharing this checkout's node_modules; root-owned, so read-only for `nobody`. */
function copyOfCheckout(dir: string): string {
    fs.chmodSync(dir, 0o755);
    for (const file of execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean)) {
        if (!fs.existsSync(path.join(ROOT, file))) continue;
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    for (const d of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) if (d.isDirectory()) fs.chmodSync(path.join(d.parentPath, d.name), 0o755);
    return dir;
}

const STACK_TRACE = /^\s+at /m;

/** stderr without the plan's runtime warnings (tests/tools/plan.spec.ts asserts those). */
const errors = (stderr: string) => stderr.split(/(?<=\n)/).filter((l) => !l.startsWith("warning: ")).join("");

describe("the tools with user mistakes: one message, exit 2, never a stack trace", () => {
    const dirs: string[] = [];
    const dir = (prefix: string) => {
        const d = tmp(prefix);
        dirs.push(d);
        return d;
    };
    after(() => {
        for (const d of dirs) {
            // Writable again first, so a user other than root can remove what the cases made read-only.
            fs.chmodSync(d, 0o755);
            for (const e of fs.readdirSync(d, { recursive: true, withFileTypes: true })) if (e.isDirectory() && !e.isSymbolicLink()) fs.chmodSync(path.join(e.parentPath, e.name), 0o755);
            fs.rmSync(d, { recursive: true, force: true });
        }
    });

    it("returns at once for an --out the kernel refuses to create (/proc), naming it", async function () {
        this.timeout(60_000);
        // fs.mkdirSync(…, { recursive: true }) retried ENOENT under /proc forever (11 minutes at full CPU).
        const result = await runTool("plan", ["--stack", "staging", "--out", "/proc/forbidden-out"], { timeoutMs: 50_000 });
        assert.equal(result.signal, null, "plan did not return within 50 s");
        assert.equal(result.status, 2);
        assert.equal(errors(result.stderr), "cannot create the plan directory /proc/forbidden-out: no such file or directory (ENOENT); pass --out <dir> naming a directory you can write to\n");
    });

    it("names an --out below a directory it may not write to", async () => {
        const parent = dir("plan-ro-");
        fs.chmodSync(parent, 0o555);
        const out = path.join(parent, "plan");
        const result = await runTool("plan", ["--stack", "staging", "--out", out], { unprivileged: true });
        assert.equal(result.status, 2);
        assert.equal(errors(result.stderr), `cannot create the plan directory ${out}: permission denied (EACCES); pass --out <dir> naming a directory you can write to\n`);
        assert.doesNotMatch(result.stderr, STACK_TRACE);
    });

    it("names the plan file it may not overwrite in a read-only plan directory", async () => {
        // A read-only checkout with an earlier plan/<stack>/: the directory exists, its files cannot be written.
        const out = dir("plan-ro-files-");
        for (const f of ["resources.json", "manifests.yaml", "argocd-values.yaml"]) fs.writeFileSync(path.join(out, f), "old\n", { mode: 0o444 });
        fs.chmodSync(out, 0o555);
        const result = await runTool("plan", ["--stack", "staging", "--out", out], { unprivileged: true });
        assert.equal(result.status, 2);
        assert.equal(errors(result.stderr), `cannot write ${path.join(out, "resources.json")}: permission denied (EACCES); pass --out <dir> naming a directory you can write to\n`);
        assert.equal(fs.readFileSync(path.join(out, "resources.json"), "utf8"), "old\n");
    });

    it("names the plan file that is a directory", async () => {
        const out = dir("plan-eisdir-");
        fs.mkdirSync(path.join(out, "resources.json"));
        // A stack whose program warns (an unsigned webhook), to see the tool still print it.
        const stackFile = path.join(dir("stack-"), "Pulumi.staging.yaml");
        fs.writeFileSync(stackFile, YAML.stringify({ config: editedValues("staging", (v) => (v[`${NS}:argocd`].githubWebhook = { ...(v[`${NS}:argocd`].githubWebhook ?? {}), generateSecret: false })) }));
        const result = await runTool("plan", ["--stack", "staging", "--config-file", stackFile, "--out", out]);
        assert.equal(result.status, 2);
        assert.equal(errors(result.stderr), `cannot write ${path.join(out, "resources.json")}: it is a directory (EISDIR); pass --out <dir> naming a directory you can write to\n`);
        // The tool still shows its user the program's warnings (tests only collect them).
        assert.match(result.stderr, /^warning: \[runtime\] argocd\.webhook is on without a secret \(githubWebhookSecret unset, argocd\.githubWebhook\.generateSecret false\)/);
    });

    it("docs:config on a read-only checkout: exit 0 when the files are current, else exit 2 naming the file, no stack trace", async () => {
        const checkout = copyOfCheckout(dir("checkout-"));
        const readOnly = () => {
            for (const d of ["docs", "schema"]) {
                for (const f of fs.readdirSync(path.join(checkout, d))) fs.chmodSync(path.join(checkout, d, f), 0o444);
                fs.chmodSync(path.join(checkout, d), 0o555);
            }
        };
        const run = { unprivileged: true, cwd: checkout, script: path.join(checkout, "tools", "config-docs.ts"), register: path.join(checkout, "tools", "register.js") };
        readOnly();
        const current = await runTool("config-docs", [], run);
        assert.equal(current.stderr, "");
        assert.equal(current.stdout, "docs/configuration.md is up to date\nschema/stack.schema.json is up to date\n");
        assert.equal(current.status, 0);
        fs.chmodSync(path.join(checkout, "docs"), 0o755);
        fs.rmSync(path.join(checkout, "docs", "configuration.md"));
        fs.writeFileSync(path.join(checkout, "docs", "configuration.md"), "stale\n");
        readOnly();
        const stale = await runTool("config-docs", [], run);
        assert.equal(stale.stderr, "cannot write docs/configuration.md: permission denied (EACCES); run npm run docs:config in a checkout you can write to\n");
        assert.equal(stale.status, 2);
    });

    it("says to run npm ci when the dependencies are not installed", async () => {
        // A fresh clone before `npm ci`: the register hook cannot load its compiler.
        const clone = dir("fresh-clone-");
        for (const f of ["tools/register.js", "tools/plan.ts", "config/sdk-internals.ts"]) {
            fs.mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
            fs.copyFileSync(path.join(ROOT, f), path.join(clone, f));
        }
        const result = await runTool("plan", ["--stack", "staging"], { cwd: clone, script: path.join(clone, "tools/plan.ts"), register: path.join(clone, "tools/register.js") });
        assert.equal(result.status, 2);
        assert.equal(result.stderr, `the dependencies are not installed in ${clone}: run \`npm ci\` there first (node_modules/@swc/core is missing)\n`);
        // npm test, lint and typecheck check the same first (their pre scripts), instead of "sh: mocha: not found".
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
        for (const script of ["pretest", "prelint", "pretypecheck"]) assert.equal(pkg.scripts[script], "node --require ./tools/register.js --eval 0", script);
        const pre = spawnSync(process.execPath, ["--require", "./tools/register.js", "--eval", "0"], { cwd: clone, encoding: "utf8" });
        assert.equal(pre.status, 2);
        assert.equal(pre.stderr, `the dependencies are not installed in ${clone}: run \`npm ci\` there first (node_modules/@swc/core is missing)\n`);
    });

    it("still prints a bug's stack trace, with the TypeScript positions, exit 2", async () => {
        const bug = path.join(dir("bug-"), "bug.ts");
        fs.writeFileSync(
            bug,
            [
                `import * as path from "path";`,
                `import { runMain } from ${JSON.stringify(path.join(ROOT, "tools", "cli"))};`,
                ``,
                `interface Thing {`,
                `    readonly name: string;`,
                `}`,
                ``,
                `function fail(t: Thing): never {`,
                `    throw new TypeError(\`internal \${t.name}\`);`,
                `}`,
                ``,
                `runMain(async () => fail({ name: path.basename("/a/bug") }));`,
                ``,
            ].join("\n"),
        );
        const result = await runTool("bug", [], { script: bug });
        assert.equal(result.status, 2);
        assert.match(result.stderr, /^TypeError: internal bug\n/);
        assert.match(result.stderr, new RegExp(`at fail \\(${bug.replace(/[.\\/]/g, "\\$&")}:9:11\\)`));
    });
});

/** What `npm run <script>` puts in the environment of a tool started from `dir`. */
const NPM_SCRIPTS: Record<string, string> = {
    plan: "plan",
    "plan-diff": "plan:diff",
    "policy-check": "policy:check",
    "policy-manifests": "policy:manifests",
    "rbac-can": "rbac:can",
    bench: "bench",
    "config-docs": "docs:config",
    preflight: "preflight",
};
const underNpm = (tool: string, dir: string, extra: Record<string, string> = {}) =>
    npmEnv(NPM_SCRIPTS[tool], `node --require ./tools/register.js tools/${tool}.ts`, dir, extra);

const LATEST_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:latest
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}
          readinessProbe: {httpGet: {path: /, port: 80}}
          livenessProbe: {httpGet: {path: /, port: 80}}
`;
const LATEST_ROW = 'mandatory [disallow-latest-tag] Deployment shop/web container "web" uses image "nginx:latest" with the latest tag; pin a version tag or a digest';

describe("the tools as a user starts them", () => {
    const dirs: string[] = [];
    const dir = (prefix: string) => {
        const d = tmp(prefix);
        dirs.push(d);
        return d;
    };
    after(() => {
        for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });

    for (const tool of Object.keys(NPM_SCRIPTS)) {
        it(`${NPM_SCRIPTS[tool]} --help prints its usage and options, exit 0, without loading a Pulumi or AWS SDK`, async () => {
            // A preload that says at exit which SDKs the process loaded (tools/help-first.ts answers before the tool's imports).
            const probe = path.join(dir("help-probe-"), "probe.js");
            fs.writeFileSync(probe, 'process.on("exit", () => process.stderr.write(JSON.stringify(Object.keys(require.cache).filter((f) => /[\\\\/]node_modules[\\\\/](@pulumi|@aws-sdk|zod)[\\\\/]/.test(f)).length)));\n');
            for (const flag of ["--help", "-h"]) {
                const result = await runTool(tool, [flag], { env: { NODE_OPTIONS: `--require ${probe}` } });
                assert.equal(result.stderr, "0", "SDK modules loaded for --help");
                assert.equal(result.status, 0);
                assert.match(result.stdout, new RegExp(`^usage: npm run ${NPM_SCRIPTS[tool]}( -- .*)?\\n\\n\\S`));
                assert.equal(result.stdout, helpText(TOOLS[tool].usage, TOOLS[tool].help));
            }
        });
    }

    it("names the flags npm took as its own and shows the command with --", async () => {
        // `npm run plan --stack staging`: npm keeps --stack (npm_config_stack=true) and passes "staging" on.
        const plan = await runTool("plan", ["staging"], { env: underNpm("plan", ROOT, { npm_config_stack: "true" }) });
        assert.equal(plan.status, 2);
        assert.equal(plan.stderr, "npm took --stack as its own option, so the tool never saw it; put -- before the tool's options: npm run plan -- --stack staging\n");
        // `npm run policy:manifests --format=json rendered.yaml`: npm 11 keeps --format without exporting it and passes "json" on.
        const manifests = await runTool("policy-manifests", ["json", "rendered.yaml"], { env: underNpm("policy-manifests", ROOT) });
        assert.equal(manifests.status, 2);
        assert.equal(manifests.stderr, "npm took --format as its own option, so the tool never saw it; put -- before the tool's options: npm run policy:manifests -- --format json rendered.yaml\n");
        // `npm run plan:diff --stack staging --format markdown`: both.
        const diff = await runTool("plan-diff", ["staging", "markdown"], { env: underNpm("plan-diff", ROOT, { npm_config_stack: "true" }) });
        assert.equal(diff.status, 2);
        assert.equal(diff.stderr, "npm took --stack, --format as its own options, so the tool never saw them; put -- before the tool's options: npm run plan:diff -- --stack staging --format markdown\n");
        // `npm run bench --runs=3`: npm exports it (an option npm does not know).
        const bench = await runTool("bench", [], { env: underNpm("bench", ROOT, { npm_config_runs: "3" }) });
        assert.equal(bench.status, 2);
        assert.equal(bench.stderr, "npm took --runs=3 as its own option, so the tool never saw it; put -- before the tool's options: npm run bench -- --runs 3\n");
    });

    it("resolves plan's relative paths against the directory npm was started from, and names it", async () => {
        const start = dir("start-");
        fs.copyFileSync(path.join(ROOT, "Pulumi.staging.yaml"), path.join(start, "my-stack.yaml"));
        const env = underNpm("plan", start);
        const result = await runTool("plan", ["--stack", "staging", "--config-file", "my-stack.yaml", "--out", "out"], { env });
        assert.equal(result.status, 0, result.stderr);
        assert.ok(fs.existsSync(path.join(start, "out", "resources.json")));
        assert.match(result.stdout, /\nWrote:\n {2}out\/resources\.json\n {2}out\/manifests\.yaml\n {2}out\/argocd-values\.yaml\n/);
        const missing = await runTool("plan", ["--stack", "staging", "--config-file", "nope.yaml"], { env });
        assert.equal(missing.status, 2);
        assert.equal(missing.stderr, `--config-file nope.yaml does not exist or is not a file (relative paths start from ${start}, where the command was started); pass a stack file in the Pulumi.<stack>.yaml format\n`);
        const noCharts = await runTool("plan", ["--stack", "staging", "--render", "--charts-dir", "charts"], { env });
        assert.equal(noCharts.status, 2);
        assert.equal(noCharts.stderr, `--charts-dir charts is not a directory (relative paths start from ${start}, where the command was started); unpack each pinned chart into <dir>/<chart name>/ (docs/policies.md, "Rendering the charts")\n`);
        fs.mkdirSync(path.join(start, "charts"));
        const emptyCharts = await runTool("plan", ["--stack", "staging", "--render", "--charts-dir", "charts"], { env });
        assert.equal(emptyCharts.status, 2);
        assert.ok(emptyCharts.stderr.includes(`--charts-dir ${path.join(start, "charts")} has no `), emptyCharts.stderr);
    });

    it("resolves policy:manifests paths and --policy-config against the directory npm was started from", async () => {
        const start = dir("start-");
        fs.writeFileSync(path.join(start, "app.yaml"), LATEST_DEPLOYMENT);
        fs.writeFileSync(path.join(start, "pack.json"), JSON.stringify({ "disallow-latest-tag": "advisory" }));
        const env = underNpm("policy-manifests", start);
        const result = await runTool("policy-manifests", ["--policy-config", "pack.json", "app.yaml"], { env });
        assert.equal(result.stderr, "");
        assert.equal(result.stdout, `app.yaml (document 1): ${LATEST_ROW.replace("mandatory", "advisory")}\nchecked 1 workload(s) in 1 file(s): 0 mandatory, 1 advisory violation(s)\n`);
        assert.equal(result.status, 0);
        const missing = await runTool("policy-manifests", ["nope.yaml"], { env });
        assert.equal(missing.status, 2);
        assert.equal(missing.stderr, `policy:manifests: nope.yaml: cannot read: no such file or directory (relative paths start from ${start}, where the command was started)\n`);
    });

    it("reads manifests from standard input for -, /dev/stdin and a pipe named by a path", async () => {
        for (const input of ["-", "/dev/stdin"]) {
            const result = await runTool("policy-manifests", [input], { input: LATEST_DEPLOYMENT });
            assert.equal(result.stderr, "", input);
            assert.equal(result.stdout, `<stdin> (document 1): ${LATEST_ROW}\nchecked 1 workload(s) in 1 file(s): 1 mandatory, 0 advisory violation(s)\n`, input);
            assert.equal(result.status, 1, input);
        }
        // A pipe named by a path, as `<(kustomize build overlays/staging)` names /dev/fd/63: read by position it gave ESPIPE.
        const fifo = path.join(tmp("fifo-"), "rendered.yaml");
        execFileSync("mkfifo", [fifo]);
        const writer = spawn("sh", ["-c", 'cat > "$0"', fifo], { stdio: ["pipe", "ignore", "ignore"] });
        writer.stdin.end(LATEST_DEPLOYMENT);
        const piped = await runTool("policy-manifests", [fifo]);
        assert.equal(piped.stderr, "");
        assert.equal(piped.stdout, `${fifo} (document 1): ${LATEST_ROW}\nchecked 1 workload(s) in 1 file(s): 1 mandatory, 0 advisory violation(s)\n`);
        writer.kill(); // in case the tool never opened the pipe
        fs.rmSync(path.dirname(fifo), { recursive: true, force: true });
        const empty = await runTool("policy-manifests", ["-"], { input: "" });
        assert.equal(empty.stderr, "policy:manifests: <stdin>: nothing to check: no Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob or Pod in 1 file(s); check the path, or pass --allow-empty if that is expected\n");
        assert.equal(empty.status, 2);
    });

    it("takes the pack configuration as --policy-config in every tool, and --config in policy:manifests as its alias", async () => {
        const start = dir("pack-");
        fs.writeFileSync(path.join(start, "app.yaml"), LATEST_DEPLOYMENT);
        fs.writeFileSync(path.join(start, "pack.json"), JSON.stringify({ "disallow-latest-tag": "disabled" }));
        for (const flag of ["--policy-config", "--config"]) {
            const result = await runTool("policy-manifests", [flag, path.join(start, "pack.json"), path.join(start, "app.yaml")]);
            assert.equal(result.stdout, "checked 1 workload(s) in 1 file(s): 0 mandatory, 0 advisory violation(s)\n", flag);
            assert.equal(result.status, 0, flag);
        }
        const both = await runTool("policy-manifests", ["--policy-config", "a.json", "--config", "b.json", "app.yaml"]);
        assert.equal(both.status, 2);
        assert.match(both.stderr, /^policy:manifests: --config is another name for --policy-config; pass one of them\nusage: npm run policy:manifests -- \[--format text\|json\] \[--policy-config <file\.json>\]/);
    });
});
