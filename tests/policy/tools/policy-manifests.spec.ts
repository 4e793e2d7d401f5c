import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parsePackConfig } from "../../../policy/lib/config";
import { rules } from "../../../policy/policies";
import { generateWorkloadManifests, writeWorkloadManifests } from "../../../tools/generate-workloads";
import { checkPaths, exitCodeOf, formatJson, formatText, parseManifests } from "../../../tools/policy-manifests";

const ROOT = path.join(__dirname, "..", "..", "..");
const MANIFESTS = path.join(ROOT, "tests", "fixtures", "manifests");
const CLEAN = path.join(MANIFESTS, "clean");
const VIOLATIONS = path.join(MANIFESTS, "violations");

const EXPECTED_ROWS = [
    {
        policy: "require-requests-limits",
        kind: "Job",
        namespace: null,
        name: "backfill",
        container: "backfill",
        message: 'Job backfill container "backfill" is missing resources.limits.memory',
        enforcementLevel: "mandatory",
    },
    {
        policy: "require-probes",
        kind: "Deployment",
        namespace: "data",
        name: "ingest",
        container: "ingest",
        message: 'Deployment data/ingest container "ingest" is missing livenessProbe',
        enforcementLevel: "mandatory",
    },
    {
        policy: "disallow-latest-tag",
        kind: "StatefulSet",
        namespace: "data",
        name: "cache",
        container: "redis",
        message: 'StatefulSet data/cache container "redis" uses image "redis:latest" with the latest tag; pin a version tag or a digest',
        enforcementLevel: "mandatory",
    },
];

/** Runs the real CLI (as `npm run policy:manifests` does) and returns its exit code and output. */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const tsNode = path.join(ROOT, "node_modules", ".bin", "ts-node");
    const result = spawnSync(tsNode, ["--swc", path.join(ROOT, "tools", "policy-manifests.ts"), ...args], { cwd: ROOT, encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const created: string[] = [];

function tempDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-manifests-"));
    created.push(dir);
    return dir;
}

describe("policy:manifests", () => {
    after(() => {
        for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("passes a clean directory: multi-document files, nested .yml, other extensions ignored", () => {
        const report = checkPaths([CLEAN]);
        assert.equal(report.files, 2);
        assert.equal(report.workloads, 2);
        assert.deepEqual(report.violations, []);
        assert.equal(exitCodeOf(report), 0);
    });

    it("classifies the workloads of a List and a namespace-less Job in JSON rows", () => {
        const report = checkPaths([VIOLATIONS]);
        assert.equal(report.workloads, 3);
        assert.deepEqual(JSON.parse(formatJson(report)), EXPECTED_ROWS);
        assert.equal(exitCodeOf(report), 1);
    });

    it("prints one text line per violation with its file, then a summary", () => {
        const lines = formatText(checkPaths([path.join(VIOLATIONS, "job.yaml")])).split("\n");
        assert.deepEqual(lines, [
            `${path.join(VIOLATIONS, "job.yaml")}: mandatory [require-requests-limits] Job backfill container "backfill" is missing resources.limits.memory`,
            "checked 1 workload(s) in 1 file(s): 1 mandatory, 0 advisory violation(s)",
        ]);
    });

    it("applies the pack config: exemptions in `default` for namespace-less objects and enforcement levels", () => {
        const config = parsePackConfig(
            {
                "require-requests-limits": { exemptions: [{ kind: "Job", namespace: "default", name: "backfill", reason: "one-off backfill, deleted after the migration" }] },
                "disallow-latest-tag": "advisory",
            },
            rules,
        );
        const report = checkPaths([VIOLATIONS], config);
        assert.deepEqual(
            report.violations.map(({ violation }) => [violation.policy, violation.enforcementLevel]),
            [
                ["require-probes", "mandatory"],
                ["disallow-latest-tag", "advisory"],
            ],
        );
    });

    it("names a broken file and a missing path as unreadable, still checks the rest, and exits 2 over 1", () => {
        const dir = tempDir();
        fs.copyFileSync(path.join(VIOLATIONS, "job.yaml"), path.join(dir, "a-job.yaml"));
        fs.writeFileSync(path.join(dir, "b-broken.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: [\n");
        const missing = path.join(dir, "does-not-exist");
        const report = checkPaths([dir, missing]);
        assert.deepEqual(report.problems, [
            { path: missing, reason: "no such file or directory" },
            { path: path.join(dir, "b-broken.yaml"), reason: "bad indentation of a mapping entry (5:7)" },
        ]);
        assert.equal(report.violations.length, 1);
        assert.equal(exitCodeOf(report), 2);
    });

    it("expands List items and skips empty documents", () => {
        assert.deepEqual(parseManifests("---\n---\napiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap}\n---\n"), [{ apiVersion: "v1", kind: "ConfigMap" }]);
    });

    it("finds exactly the generated violations in a generated directory", () => {
        const dir = tempDir();
        writeWorkloadManifests(dir, { count: 70, violationEvery: 7 });
        const report = checkPaths([dir]);
        const expected = generateWorkloadManifests({ count: 70, violationEvery: 7 }).filter((m) => m.violation !== undefined).length;
        assert.equal(report.workloads, 70);
        assert.equal(report.violations.length, expected);
        assert.equal(expected, 10);
    });

    describe("command line", () => {
        it("prints JSON and exits 1 on mandatory violations", () => {
            const result = cli("--format", "json", VIOLATIONS);
            assert.equal(result.status, 1, result.stderr);
            assert.deepEqual(JSON.parse(result.stdout), EXPECTED_ROWS);
        });

        it("exits 0 on a clean directory with a text summary", () => {
            const result = cli(CLEAN);
            assert.equal(result.status, 0, result.stderr);
            assert.equal(result.stdout, "checked 2 workload(s) in 2 file(s): 0 mandatory, 0 advisory violation(s)\n");
        });

        it("exits 2 naming the broken file on stderr, without a stack trace, and still reports the other files", () => {
            const dir = tempDir();
            fs.copyFileSync(path.join(VIOLATIONS, "list.yaml"), path.join(dir, "list.yaml"));
            fs.writeFileSync(path.join(dir, "broken.yaml"), "kind: [unclosed\n");
            const result = cli("--format", "json", dir);
            assert.equal(result.status, 2);
            assert.match(result.stderr, new RegExp(`^policy:manifests: cannot read ${path.join(dir, "broken.yaml")}: `));
            assert.doesNotMatch(result.stderr, /\n\s+at /);
            assert.equal((JSON.parse(result.stdout) as unknown[]).length, 2);
        });

        it("exits 2 with a usage message for an unknown format or an invalid config, without a stack trace", () => {
            const dir = tempDir();
            const config = path.join(dir, "config.json");
            fs.writeFileSync(config, JSON.stringify({ "require-probes": { exemptions: [{ kind: "Pod", namespace: "a", name: "b" }] } }));
            const badFormat = cli("--format", "xml", CLEAN);
            assert.equal(badFormat.status, 2);
            assert.match(badFormat.stderr, /--format \(xml\) must be one of: text, json/);
            const badConfig = cli("--config", config, CLEAN);
            assert.equal(badConfig.status, 2);
            assert.match(badConfig.stderr, /require-probes\.exemptions\[0\]\.reason is required/);
            assert.doesNotMatch(badConfig.stderr, /\n\s+at /);
        });
    });
});
