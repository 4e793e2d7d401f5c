import * as assert from "assert/strict";
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { ROOT } from "../../tools/cli";
import { diffPlans, fenceFor, formatDiff, hasChanges, materialise, parseArgs, PlanSide, replacementReason, resolveBase, show, valueChanges } from "../../tools/plan-diff";

const NS = "footanalytics-gitops";

/**
 * A throwaway git repository holding this working tree's files (tracked and new, as they are on
 * disk) on branch `main`, sharing its node_modules: `plan:diff` runs against it as it does here.
 */
function makeRepo(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-spec-"));
    const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
    for (const f of files) {
        if (!fs.existsSync(path.join(ROOT, f))) continue; // deleted in the working tree
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    if (fs.existsSync(path.join(ROOT, "policy", "node_modules"))) fs.symlinkSync(path.join(ROOT, "policy", "node_modules"), path.join(dir, "policy", "node_modules"), "dir");
    git(dir, "init", "-q", "-b", "main");
    // .gitignore's `node_modules/` matches directories only; keep the symlinks out of the commits.
    fs.appendFileSync(path.join(dir, ".git", "info", "exclude"), "node_modules\n");
    commitAll(dir, "base");
    return dir;
}

function git(dir: string, ...args: string[]): string {
    // stderr piped: git's notes ("cloned an empty repository") are not test output; a failure still throws with them.
    return execFileSync("git", ["-c", "user.name=spec", "-c", "user.email=spec@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function commitAll(dir: string, message: string): void {
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", message);
}

/* eslint-disable @typescript-eslint/no-explicit-any -- stack files are free-form YAML */

/** Change the `config:` map of a stack file in `dir`. */
function editStack(dir: string, stack: string, edit: (config: Record<string, any>) => void): void {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    const doc = YAML.parse(fs.readFileSync(file, "utf8")) as { config: Record<string, any> };
    edit(doc.config);
    fs.writeFileSync(file, YAML.stringify(doc));
}

/** The command line of `npm run plan:diff -- <args>` in `dir`, through that tree's own entry point. */
const planDiffArgs = (dir: string, args: readonly string[]) => ["--require", path.join(dir, "tools", "register.js"), path.join(dir, "tools", "plan-diff.ts"), ...args];

/** `npm run plan:diff -- <args>` in `dir`. */
function planDiff(dir: string, ...args: string[]) {
    return spawnSync(process.execPath, planDiffArgs(dir, args), { cwd: dir, encoding: "utf8" });
}

/** The same, without blocking this process (independent runs on an unchanged tree go together). */
function planDiffAsync(dir: string, ...args: string[]): Promise<ReturnType<typeof planDiff>> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, planDiffArgs(dir, args), { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
        child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
        child.on("error", reject);
        child.on("close", (status, signal) => resolve({ pid: child.pid ?? 0, output: [null, stdout, stderr], stdout, stderr, status, signal }));
    });
}

describe("plan:diff", function () {
    // Each planning case plans two trees in fresh processes. The cases share one throwaway
    // repository, reset to its first commit after each case.
    this.timeout(240_000);
    let dir: string;
    let base: string;
    before(() => {
        dir = makeRepo();
        base = git(dir, "rev-parse", "HEAD").trim();
        // As in a fresh clone: main tracks origin/main.
        git(dir, "update-ref", "refs/remotes/origin/main", base);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    afterEach(() => {
        git(dir, "checkout", "-q", "-f", "main");
        git(dir, "reset", "-q", "--hard", base);
        git(dir, "clean", "-q", "-fd");
        for (const branch of git(dir, "branch", "--format=%(refname:short)").split("\n").filter((b) => b !== "" && b !== "main")) git(dir, "branch", "-q", "-D", branch);
    });

    describe("on the unchanged tree (both runs at once; they only read it)", () => {
        let nothing: ReturnType<typeof planDiff>;
        let stacks: ReturnType<typeof planDiff>;
        before(async () => {
            [nothing, stacks] = await Promise.all([planDiffAsync(dir, "--stack", "production"), planDiffAsync(dir, "--stacks", "staging,production")]);
        });

        it("exits 0 and says so when nothing changes (default base on main: the merge base with origin/main)", () => {
            const r = nothing;
            assert.equal(r.stderr, "");
            assert.equal(r.status, 0);
            const sha = git(dir, "rev-parse", "--short=7", "HEAD").trim();
            assert.equal(r.stdout, `plan:diff production: base ${sha} (merge base with origin/main) → working tree\n\nNo changes: working tree plans exactly as base ${sha} (merge base with origin/main).\n`);
        });

        it("compares two stacks with --stacks (what differs in production)", () => {
            const r = stacks;
            assert.equal(r.status, 1, r.stderr);
            const lines = r.stdout.split("\n");
            assert.equal(lines[0], "plan:diff staging → production (working tree)");
            assert.ok(lines.includes('  ~ environment: "staging" → "production"'));
            assert.ok(lines.includes("  + kubernetes:core/v1:Secret argocd-oidc-client"), r.stdout);
            // Resources are matched across stacks: the URN's stack name is not part of the key.
            // Other CIDRs: read as a change of staging into production, the VPC would be replaced.
            assert.ok(lines.includes("  ± aws:ec2/vpc:Vpc footanalytics-vpc (replaced: cidrBlock forces a new resource [terraform-provider-aws v6 internal/service/ec2/vpc_.go])"), r.stdout);
        });
    });

    describe("with a changed stack value, an added and a removed Application (one run)", () => {
        let r: ReturnType<typeof planDiff>;
        let lines: string[];
        before(() => {
            editStack(dir, "production", (c) => {
                c[`${NS}:argocd`].server.replicas = 4;
                const apps = c[`${NS}:gitops`].applications as { name: string }[];
                c[`${NS}:gitops`].applications = [...apps.filter((a) => a.name !== "ml-pipeline"), { name: "match-reports" }];
            });
            r = planDiff(dir, "--stack", "production", "--base", "HEAD");
            lines = r.stdout.split("\n");
        });

        it("exits 1 and names the path and both values of a changed stack value, in the config, the resource and the chart values", () => {
            assert.equal(r.status, 1, r.stderr);
            assert.ok(lines.includes("  ~ argocd.server.replicas: 3 → 4"), r.stdout);
            assert.ok(lines.includes("  ~ server.replicas: 3 → 4"), r.stdout);
            // The replica count changes only the chart's values: the chart is still a changed resource.
            assert.ok(lines.includes("Resources (1 added, 1 removed, 0 replaced, 1 changed):"), r.stdout);
            assert.ok(lines.includes("  ~ kubernetes:helm.sh/v4:Chart argocd-chart"), r.stdout);
            assert.ok(lines.includes("      ~ values: 2 paths changed (argo-cd chart values below)"), r.stdout);
            assert.ok(lines.includes("argo-cd chart values:"));
        });

        it("lists an added and a removed Application and shows both in the manifests diff", () => {
            assert.equal(r.status, 1, r.stderr);
            assert.ok(lines.includes("Resources (1 added, 1 removed, 0 replaced, 1 changed):"), r.stdout);
            assert.ok(lines.includes("  + kubernetes:argoproj.io/v1alpha1:Application gitops-app-match-reports"));
            assert.ok(lines.includes("  - kubernetes:argoproj.io/v1alpha1:Application gitops-app-ml-pipeline"));
            assert.ok(lines.includes('  + gitops.applications[name=match-reports]: {"name":"match-reports"}'));
            assert.ok(lines.includes("Manifests (manifests.yaml):"));
            assert.ok(lines.some((l) => /^\+ {2}name: match-reports$/.test(l)), r.stdout);
            assert.ok(lines.some((l) => /^- {2}name: ml-pipeline$/.test(l)), r.stdout);
        });
    });

    describe("with a chart version committed on a branch and a secret changed since the merge base (one run)", () => {
        let r: ReturnType<typeof planDiff>;
        let lines: string[];
        let mainSha: string;
        before(() => {
            editStack(dir, "production", (c) => {
                c[`${NS}:githubWebhookSecret`] = { secure: "v1:BASE-CIPHERTEXT" };
            });
            commitAll(dir, "webhook secret");
            // A Renovate-style bump; metrics-server: config/ pins the argo-cd chart to the version facts/charts.ts describes.
            git(dir, "checkout", "-q", "-b", "renovate/metrics-server");
            editStack(dir, "production", (c) => {
                c[`${NS}:platform`].metricsServer.chartVersion = "3.13.2";
            });
            commitAll(dir, "metrics-server 3.13.2");
            editStack(dir, "production", (c) => {
                c[`${NS}:githubWebhookSecret`] = { secure: "v1:HEAD-CIPHERTEXT" };
                c[`${NS}:slackToken`] = { secure: "v1:SLACK-CIPHERTEXT" };
            });
            mainSha = git(dir, "rev-parse", "--short=7", "main").trim();
            r = planDiff(dir, "--stack", "production");
            lines = r.stdout.split("\n");
        });

        it("shows a chart version committed on a branch against the merge base with main", () => {
            assert.equal(r.status, 1, r.stderr);
            assert.equal(lines[0], `plan:diff production: base ${mainSha} (merge base with main) → working tree`);
            assert.ok(lines.includes('  ~ platform.metricsServer.chartVersion: "3.13.1" → "3.13.2"'), r.stdout);
            assert.ok(lines.includes("  ~ kubernetes:helm.sh/v4:Chart platform-metrics-server"), r.stdout);
            assert.ok(lines.includes('      ~ version: "3.13.1" → "3.13.2"'), r.stdout);
        });

        it("keeps secrets as [secret] on both sides and only says that a ciphertext changed", () => {
            assert.equal(r.status, 1, r.stderr);
            assert.ok(lines.includes("  ~ githubWebhookSecret: [secret] → [secret] (ciphertext changed)"), r.stdout);
            assert.ok(lines.includes("  + slackToken: [secret]"), r.stdout);
            assert.doesNotMatch(r.stdout, /CIPHERTEXT|redacted-/);
            assert.match(r.stdout, /\[secret\]/);
        });
    });

    it("removes its temporary directories when a plan fails and when interrupted with Ctrl-C (SIGINT)", async () => {
        const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-tmpdir-"));
        const env = { ...process.env, TMPDIR: tmpdir };
        const leftovers = () => fs.readdirSync(tmpdir).filter((f) => f.startsWith("plan-diff-"));
        try {
            editStack(dir, "staging", (c) => (c[`${NS}:environment`] = "qa"));
            const failed = spawnSync(process.execPath, planDiffArgs(dir, ["--stack", "staging", "--base", "HEAD"]), { cwd: dir, encoding: "utf8", env });
            assert.equal(failed.status, 2, failed.stderr);
            assert.deepEqual(leftovers(), []);

            const child = spawn(process.execPath, planDiffArgs(dir, ["--stack", "production", "--base", "HEAD"]), { cwd: dir, env, stdio: "ignore" });
            const closed = new Promise<[number | null, string | null]>((resolve) => child.on("close", (code, signal) => resolve([code, signal])));
            // Interrupt while both plans run: the base's tree and both output directories exist.
            for (let waited = 0; leftovers().length < 3 && waited < 60_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
            assert.equal(leftovers().length, 3, "plan:diff did not start both plans within a minute");
            child.kill("SIGINT");
            assert.deepEqual(await closed, [130, null]);
            assert.deepEqual(leftovers(), []);
        } finally {
            fs.rmSync(tmpdir, { recursive: true, force: true });
        }
    });

    describe("with a new cluster name and a new VPC CIDR in production (one run)", () => {
        let r: ReturnType<typeof planDiff>;
        let lines: string[];
        before(() => {
            editStack(dir, "production", (c) => {
                c[`${NS}:cluster`].name = "footanalytics-prod2";
                c[`${NS}:cluster`].vpc.cidr = "10.20.0.0/16";
            });
            r = planDiff(dir, "--stack", "production", "--base", "HEAD");
            lines = r.stdout.split("\n");
        });

        it("shows the EKS cluster replaced and its replacement blocked by protect", () => {
            assert.equal(r.status, 1, r.stderr);
            const at = lines.findIndex((l) => l.startsWith("  ± eks:index:Cluster footanalytics-eks (replaced: name forces a new aws:eks/cluster:Cluster (a child: it inherits protect) (name is ForceNew) [pulumi-eks v4.3.0 nodejs/eks/cluster/cluster.ts, terraform-provider-aws v6 internal/service/eks/cluster.go])"));
            assert.ok(at > 0, r.stdout);
            assert.equal(lines[at + 1], "      ! replace blocked by protect: pulumi up fails until protect is removed (docs/operations.md)");
            assert.equal(lines[at + 2], '      ~ name: "footanalytics-production" → "footanalytics-prod2"');
            assert.match(r.stdout, /\nResources \(0 added, 0 removed, \d+ replaced, \d+ changed(, \d+ affected)?, 1 replace blocked by protect\):\n/);
            assert.ok(lines.includes("  ± kubernetes:argoproj.io/v1alpha1:AppProject gitops-project (replaced: its provider footanalytics-k8s is replaced)"), r.stdout);
        });

        it("shows the VPC replaced, and the subnets and route tables with it", () => {
            assert.ok(lines.includes("  ± aws:ec2/vpc:Vpc footanalytics-vpc (replaced: cidrBlock forces a new resource [terraform-provider-aws v6 internal/service/ec2/vpc_.go])"), r.stdout);
            assert.ok(lines.includes('      ~ cidrBlock: "10.10.0.0/16" → "10.20.0.0/16"'));
            assert.ok(lines.includes("  ± aws:ec2/routeTable:RouteTable footanalytics-public-rt (replaced: vpcId comes from replaced aws:ec2/vpc:Vpc footanalytics-vpc)"), r.stdout);
            assert.ok(lines.some((l) => l.startsWith("  ± aws:ec2/subnet:Subnet footanalytics-private-1 (replaced: cidrBlock forces a new resource")));
        });
    });

    it("exits 2 with one line naming a ref that does not exist, and plans nothing", () => {
        const r = planDiff(dir, "--stack", "production", "--base", "no-such-branch");
        assert.equal(r.status, 2);
        assert.equal(r.stdout, "");
        assert.equal(r.stderr, "plan:diff: --base no-such-branch is not a commit in this repository\n");
    });

    it("exits 2 for a stack without a stack file and for a malformed --stacks", () => {
        const a = planDiff(dir, "--stack", "qa", "--base", "HEAD");
        assert.equal(a.status, 2);
        assert.equal(a.stderr, "plan:diff: there is no stack file Pulumi.qa.yaml in the working tree\n");
        const b = planDiff(dir, "--stacks", "staging");
        assert.equal(b.status, 2);
        assert.match(b.stderr, /^--stacks \(staging\) must name two stacks, such as staging,production\nusage: /);
    });

});

describe("plan:diff default base", () => {
    let origin: string;
    let clone: string;
    const sha = (ref: string) => git(clone, "rev-parse", ref).trim();
    const commit = (message: string) => {
        fs.writeFileSync(path.join(clone, "file.txt"), `${message}\n`);
        commitAll(clone, message);
    };
    beforeEach(() => {
        origin = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-origin-"));
        git(origin, "init", "-q", "--bare", "-b", "main");
        clone = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-clone-"));
        git(clone, "clone", "-q", origin, ".");
        git(clone, "checkout", "-q", "-b", "main");
        commit("first");
        git(clone, "push", "-q", "-u", "origin", "main");
    });
    afterEach(() => {
        fs.rmSync(origin, { recursive: true, force: true });
        fs.rmSync(clone, { recursive: true, force: true });
    });

    it("on main with a local commit: origin/main, not HEAD itself (which always said No changes)", () => {
        const pushed = sha("HEAD");
        commit("local change");
        assert.deepEqual(resolveBase(undefined, clone), { sha: pushed, label: `base ${pushed.slice(0, 7)} (merge base with origin/main)` });
    });

    it("on a branch: the merge base with its upstream", () => {
        git(clone, "checkout", "-q", "-b", "feature");
        commit("on feature");
        git(clone, "push", "-q", "-u", "origin", "feature");
        const pushed = sha("HEAD");
        commit("more on feature");
        assert.deepEqual(resolveBase(undefined, clone), { sha: pushed, label: `base ${pushed.slice(0, 7)} (merge base with origin/feature, the upstream of feature)` });
    });

    it("on a branch without an upstream: the merge base with main", () => {
        const fork = sha("HEAD");
        git(clone, "checkout", "-q", "-b", "local-only");
        commit("local");
        git(clone, "checkout", "-q", "main");
        commit("main moved");
        git(clone, "checkout", "-q", "local-only");
        assert.deepEqual(resolveBase(undefined, clone), { sha: fork, label: `base ${fork.slice(0, 7)} (merge base with main)` });
    });

    it("on main without origin/main: exit 2 asking for --base", () => {
        git(clone, "branch", "-q", "--unset-upstream");
        git(clone, "update-ref", "-d", "refs/remotes/origin/main");
        assert.throws(() => resolveBase(undefined, clone), { exitCode: 2, message: "plan:diff: on main without origin/main there is no base to compare with (main itself is HEAD); name one with --base <git-ref>" });
    });
});

describe("plan:diff building blocks", () => {
    it("extracts the base with its own workspace packages (facts/) and this tree's other packages", () => {
        const dir = materialise(execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim());
        try {
            // A chart pin or a label changed in facts/ is part of the comparison: the base reads its own.
            assert.equal(fs.realpathSync(require.resolve("@footanalytics/facts", { paths: [path.join(dir, "config")] })), fs.realpathSync(path.join(dir, "facts", "index.ts")));
            assert.equal(fs.realpathSync(path.join(dir, "node_modules", "footanalytics-gitops-policy")), fs.realpathSync(path.join(dir, "policy")));
            assert.equal(fs.realpathSync(path.join(dir, "node_modules", "@pulumi", "pulumi")), fs.realpathSync(path.join(ROOT, "node_modules", "@pulumi", "pulumi")));
            assert.equal(fs.realpathSync(path.join(dir, "node_modules", ".bin")), fs.realpathSync(path.join(ROOT, "node_modules", ".bin")));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("names each changed path, matching lists of named items by name and quoting keys that are not identifiers", () => {
        const before = { a: { b: 1, gone: true }, list: [{ name: "x", v: 1 }, { name: "y" }], tags: { "kubernetes.io/role": "a" }, plain: [1, 2] };
        const after = { a: { b: 2 }, list: [{ name: "y" }, { name: "x", v: 2 }, { name: "z" }], tags: { "kubernetes.io/role": "b" }, plain: [1] };
        assert.deepEqual(valueChanges(before, after), [
            { path: "a.b", kind: "changed", before: 1, after: 2 },
            { path: "a.gone", kind: "removed", before: true },
            { path: "list[name=x].v", kind: "changed", before: 1, after: 2 },
            { path: "list[name=z]", kind: "added", after: { name: "z" } },
            { path: 'tags["kubernetes.io/role"]', kind: "changed", before: "a", after: "b" },
            { path: "plain[1]", kind: "removed", before: 2 },
        ]);
        assert.deepEqual(valueChanges({ x: [1] }, { x: [1] }), []);
    });

    it("quotes every plain value, so none passes for a redaction or injects a diff line", () => {
        const side = (value: string): PlanSide => ({
            label: "x",
            plan: { config: { note: value }, secureDigests: {}, resources: [], argocdValues: {}, manifests: "" },
        });
        const injected = "[secret] → [secret]\n+ aws:iam/role:Role backdoor";
        const report = formatDiff(diffPlans(side("a"), side(injected)), "t", "text");
        assert.ok(report.includes(`  ~ note: "a" → ${JSON.stringify(injected)}`), report);
        assert.doesNotMatch(report, /^\s*\+ aws:iam/m);
        assert.equal(show("[secret]"), "[secret]");
        assert.equal(show("[secret] (ciphertext changed)"), "[secret] (ciphertext changed)");
        assert.equal(show("[secret]x"), '"[secret]x"');
        assert.equal(show("[secret] fake"), '"[secret] fake"');
        assert.equal(show(3), "3");
    });

    it("tells a replacement from the changes the offline plan can see (tests/tools/replacements.spec.ts has the table)", () => {
        assert.equal(replacementReason([{ path: "metadata.name", kind: "changed" }], "kubernetes:core/v1:ConfigMap"), "metadata.name forces a new resource [pulumi-kubernetes provider/pkg/provider/diff.go forceNewProperties]");
        assert.equal(replacementReason([{ path: "options.provider", kind: "changed" }], "aws:ec2/vpc:Vpc"), "provider changed");
        assert.equal(replacementReason([{ path: "data.x", kind: "changed" }], "kubernetes:core/v1:ConfigMap", { provider: { enableConfigMapMutable: true } }), undefined);
        assert.equal(replacementReason([{ path: "tags.Name", kind: "changed" }], "aws:ec2/vpc:Vpc"), undefined);
    });

    it("counts the argo-cd chart as changed when only its values change", () => {
        const chart = (replicas: number): PlanSide => ({
            label: `r${replicas}`,
            plan: {
                resources: [{ type: "kubernetes:helm.sh/v4:Chart", name: "argocd", urn: "urn:argocd", inputs: { chart: "argo-cd", version: "9.1.0", values: { server: { replicas } } }, options: {} }],
                manifests: "",
                argocdValues: { server: { replicas } },
                config: {},
                secureDigests: {},
            },
        });
        const d = diffPlans(chart(3), chart(4));
        assert.deepEqual(d.changed.map((c) => [c.name, c.changes, c.valuesChanged]), [["argocd", [], 1]]);
        assert.equal(
            formatDiff(d, "plan:diff production", "text"),
            [
                "plan:diff production",
                "",
                "Resources (0 added, 0 removed, 0 replaced, 1 changed):",
                "  ~ kubernetes:helm.sh/v4:Chart argocd",
                "      ~ values: 1 path changed (argo-cd chart values below)",
                "",
                "argo-cd chart values:",
                "  ~ server.replicas: 3 → 4",
            ].join("\n"),
        );
    });

    it("fences markdown with more backticks than the content holds", () => {
        assert.equal(fenceFor("plain"), "```");
        assert.equal(fenceFor("a ```` b"), "`````");
    });

    it("formats a report as markdown with every section fenced", () => {
        const side = (label: string, replicas: number): PlanSide => ({
            label,
            plan: {
                resources: [{ type: "kubernetes:core/v1:ConfigMap", name: "cm", urn: "urn:cm", inputs: { metadata: { name: `cm-${replicas}` } }, options: {} }],
                manifests: `replicas: ${replicas}\n`,
                argocdValues: { server: { replicas } },
                config: { argocd: { server: { replicas } } },
                secureDigests: {},
            },
        });
        const d = diffPlans(side("base", 3), side("head", 4));
        assert.equal(hasChanges(d), true);
        assert.equal(
            formatDiff(d, "plan:diff production", "markdown"),
            [
                "### plan:diff production",
                "",
                "**Summary:** 1 stack configuration change(s); resources 0 added, 0 removed, 1 replaced, 0 changed; 1 argo-cd chart value(s) changed; manifests.yaml +1 −1 line(s)",
                "",
                "#### Stack configuration",
                "```diff",
                "~ argocd.server.replicas: 3 → 4",
                "```",
                "",
                "#### Resources (0 added, 0 removed, 1 replaced, 0 changed)",
                "```diff",
                "± kubernetes:core/v1:ConfigMap cm (replaced: metadata.name forces a new resource [pulumi-kubernetes provider/pkg/provider/diff.go forceNewProperties])",
                '    ~ metadata.name: "cm-3" → "cm-4"',
                "```",
                "",
                "#### argo-cd chart values",
                "```diff",
                "~ server.replicas: 3 → 4",
                "```",
                "",
                "#### Manifests (manifests.yaml)",
                "```diff",
                "--- base/manifests.yaml",
                "+++ head/manifests.yaml",
                "@@ -1,1 +1,1 @@",
                "-replicas: 3",
                "+replicas: 4",
                "```",
            ].join("\n"),
        );
    });

    it("refuses --stacks together with --stack or --base, and an unknown format", () => {
        assert.throws(() => parseArgs(["--stacks", "a,b", "--base", "main"]), { message: /^--stacks compares two stacks of the working tree; it takes neither --stack nor --base\n/ });
        assert.throws(() => parseArgs(["--stack", "a", "--format", "html"]), { message: /^--format \(html\) must be one of: text, markdown\n/ });
        assert.deepEqual(parseArgs(["--stack", "production"]), { comparison: { kind: "base", stack: "production", ref: undefined }, format: "text" });
        // --render plans both sides with the charts rendered (their objects diffed as resources); --charts-dir needs it.
        const charts = path.join(ROOT, "tests", "fixtures", "charts");
        assert.deepEqual(parseArgs(["--stack", "production", "--render", "--charts-dir", charts]).comparison, { kind: "base", stack: "production", ref: undefined, render: { chartsDir: charts } });
        assert.throws(() => parseArgs(["--stack", "production", "--render", "--charts-dir", path.join(charts, "none")]), { message: /^--charts-dir .*none is not a directory/ });
        assert.deepEqual(parseArgs(["--stacks", "staging,production", "--render"]).comparison, { kind: "stacks", from: "staging", to: "production", render: {} });
        assert.throws(() => parseArgs(["--stack", "production", "--charts-dir", "charts"]), { message: /^--charts-dir charts needs --render\n/ });
    });
});
