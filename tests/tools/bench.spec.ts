import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { benchOptions, BenchReport, commandFailed, evaluateTargets, formatReport, FULL, machine, median, pathWithoutCheckout, QUICK, Row, runBench, stackFileWithApplications, writeCorpus } from "../../tools/bench";
import { ROOT } from "../../tools/cli";

/* The bench's figures are never asserted: only what it measures, how it judges and what it prints. */

function row(id: string, wallMs: number, cpuMs: number, peakMiB = 100): Row {
    return { id, label: id, runs: 1, wallMs, cpuMs, peakMiB, note: "" };
}

describe("bench", () => {
    describe("median", () => {
        it("takes the middle value of an odd count and the mean of the middle two of an even count", () => {
            assert.equal(median([5, 1, 3]), 3);
            assert.equal(median([4, 1, 3, 2]), 2.5);
        });

        it("refuses an empty list", () => {
            assert.throws(() => median([]), /median of no values/);
        });
    });

    describe("options", () => {
        it("runs the full measurements by default: 4 against 400 applications, 100,008 workloads", () => {
            assert.deepEqual(benchOptions([], {}), { options: FULL, quick: false, json: false });
            assert.deepEqual(FULL.applicationCounts, [4, 400]);
            assert.equal(FULL.workloads, 100_008);
        });

        it("selects the short mode with --quick or BENCH_QUICK=1", () => {
            assert.deepEqual(benchOptions(["--quick"], {}).options, QUICK);
            assert.equal(benchOptions([], { BENCH_QUICK: "1" }).quick, true);
        });

        it("takes --runs for every row and refuses a count below one", () => {
            assert.deepEqual([benchOptions(["--runs", "9"], {}).options.runs, benchOptions(["--runs", "9"], {}).options.manifestRuns], [9, 9]);
            assert.throws(() => benchOptions(["--runs", "0"], {}), { message: "--runs (0) must be a whole number of at least 1" });
            assert.equal(benchOptions(["--charts-dir", "charts"], {}).options.chartsDir, "charts");
            assert.equal(benchOptions([], {}).options.chartsDir, undefined);
        });

        it("measures the suite and CI on a fresh clone once by default, leaves them out with --no-suite and --no-ci, and never in the quick mode", () => {
            assert.deepEqual([FULL.suite, FULL.ci, QUICK.suite, QUICK.ci], [true, true, false, false]);
            const { options } = benchOptions(["--no-suite", "--no-ci"], {});
            assert.deepEqual([options.suite, options.ci], [false, false]);
            assert.deepEqual([benchOptions(["--no-ci"], {}).options.suite, benchOptions(["--no-ci"], {}).options.ci], [true, false]);
            assert.deepEqual([benchOptions(["--quick", "--suite", "--ci"], {}).options.suite, benchOptions(["--quick", "--suite", "--ci"], {}).options.ci], [false, false]);
        });

        it("runs CI with the PATH of a fresh shell: this checkout's directories removed, every other kept in order", () => {
            const root = "/work/repo";
            assert.equal(pathWithoutCheckout(["/work/repo/node_modules/.bin", "/usr/local/bin", "/work/repo/bin", "/work/repository/bin", "/usr/bin", ""].join(path.delimiter), root), ["/usr/local/bin", "/work/repository/bin", "/usr/bin"].join(path.delimiter));
        });

        it("says which row failed, how its command ended and the end of its output (a failing suite fails the bench: exit 2, no stack trace)", () => {
            const output = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
            const failed = commandFailed("npm test", { file: "npm", args: ["test"] }, "exited with 3", output);
            assert.equal(failed.exitCode, 2);
            assert.equal(failed.message, `bench: "npm test" failed: npm test exited with 3; nothing was measured. The end of its output:\n${Array.from({ length: 30 }, (_, i) => `line ${i + 11}`).join("\n")}`);
            assert.equal(commandFailed("CI on a fresh clone", { file: "bash", args: ["-c", "x"] }, "was killed by SIGKILL", "").message, 'bench: "CI on a fresh clone" failed: bash -c x was killed by SIGKILL; nothing was measured');
        });

        it("exits 2 with the usage line when called wrongly", () => {
            const child = spawnSync(process.execPath, ["--require", path.join(ROOT, "tools/register.js"), path.join(ROOT, "tools/bench.ts"), "--runs", "none"], { cwd: ROOT, encoding: "utf8" });
            assert.equal(child.status, 2);
            assert.equal(child.stderr, "--runs (none) must be a whole number of at least 1\nusage: npm run bench -- [--runs <n>] [--quick] [--json] [--charts-dir <dir>] [--no-suite] [--no-ci]\n");
        });
    });

    describe("inputs", () => {
        it("replaces the gitops applications of a stack file and keeps every other key", () => {
            const doc = YAML.parse(stackFileWithApplications("production", 3));
            assert.deepEqual(doc.config["footanalytics-gitops:gitops"].applications, [{ name: "app-0001" }, { name: "app-0002" }, { name: "app-0003" }]);
            assert.equal(doc.config["footanalytics-gitops:gitops"].repoUrl, "https://github.com/footanalytics/gitops-config");
            assert.equal(doc.config["footanalytics-gitops:environment"], "production");
        });

        it("writes the corpus as multi-document files of the given size", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-corpus-"));
            try {
                assert.deepEqual(writeCorpus(dir, 25, 12), { files: 3, workloads: 25 });
                const files = fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".yaml")).sort();
                assert.deepEqual(files, ["part-000/workloads-00000.yaml", "part-000/workloads-00001.yaml", "part-000/workloads-00002.yaml"]);
                const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(dir, files[0]), "utf8")).map((d) => d.toJS());
                assert.equal(docs.length, 12);
                assert.deepEqual([docs[0].kind, docs[0].metadata.name, docs[11].metadata.name], ["Deployment", "svc-00000", "svc-00011"]);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("targets", () => {
        const rows = [
            row("floor", 1000, 800),
            row("plan.npm", 1400, 1300),
            row("apps.4", 2000, 2000),
            row("apps.400", 3000, 4200),
            row("manifests.startup", 500, 400),
            row("manifests.corpus", 4500, 6400, 280),
        ];

        it("judges ratios by wall-clock and CPU time, the rate after start-up and the peak memory", () => {
            assert.deepEqual(evaluateTargets(rows, FULL, 100_000), [
                { label: "npm run plan ≤ 1.5× the SDK-load floor", wall: 1.4, cpu: 1.625, kind: "max", unit: "×", limit: 1.5, met: false },
                { label: "400 applications ≤ 2× 4", wall: 1.5, cpu: 2.1, kind: "max", unit: "×", limit: 2, met: false },
                { label: "policy:manifests ≥ 25,000 workloads/s after start-up (wall; cpu: per CPU-second)", wall: 25_000, cpu: 100_000 / 6, kind: "min", unit: "/s", limit: 25_000, met: true },
                { label: "policy:manifests peak ≤ 300 MiB", wall: 280, cpu: NaN, kind: "max", unit: "MiB", limit: 300, met: true },
            ]);
        });

        it("adds the render target only when the render rows were measured (--charts-dir)", () => {
            const rendered = [...rows, row("render.plan", 1000, 900), row("render.check", 2900, 3000)];
            assert.deepEqual(evaluateTargets(rendered, FULL, 100_000).at(-1), { label: "policy:check --render ≤ 3× npm run plan", wall: 2.9, cpu: 3000 / 900, kind: "max", unit: "×", limit: 3, met: false });
            assert.equal(evaluateTargets(rows, FULL, 100_000).length, 4);
        });

        it("judges the suite and CI by wall-clock seconds, each only when measured", () => {
            const timed = [...rows, row("suite", 44_900, 80_000), row("ci", 151_000, 200_000)];
            assert.deepEqual(evaluateTargets(timed, FULL, 100_000).slice(4), [
                { label: "npm test ≤ 45 s", wall: 44.9, cpu: NaN, kind: "max", unit: "s", limit: 45, met: true },
                { label: "CI on a fresh clone ≤ 150 s", wall: 151, cpu: NaN, kind: "max", unit: "s", limit: 150, met: false },
            ]);
            const lines = formatReport({ quick: false, machine: machine(), rows: timed, targets: evaluateTargets(timed, FULL, 100_000), elapsedMs: 1000 }).split("\n");
            assert.deepEqual(lines.slice(8, 10), ["  met     npm test ≤ 45 s: wall 44.9 s", "  MISSED  CI on a fresh clone ≤ 150 s: wall 151.0 s"]);
        });
    });

    describe("the quick run", () => {
        let report: BenchReport;
        const progress: string[] = [];

        before(function () {
            this.timeout(600_000);
            report = { quick: true, machine: machine(), ...runBench(QUICK, (label) => progress.push(label)) };
        });

        it("measures every row once, in alternated groups", () => {
            assert.deepEqual(
                report.rows.map((r) => [r.id, r.runs]),
                [
                    ["floor", 1],
                    ["plan.npm", 1],
                    ["plan.node", 1],
                    ["floor.cached", 1],
                    ["apps.4", 1],
                    ["apps.8", 1],
                    ["manifests.startup", 1],
                    ["manifests.corpus", 1],
                ],
            );
            const groups = progress.filter((p) => !p.startsWith("generating"));
            assert.deepEqual(groups, [
                "SDK-load floor | npm run plan (production) | plan without npm (production) | SDK-load floor as the tools load it",
                "npm run plan, 4 applications | npm run plan, 8 applications",
                "npm run policy:manifests, 1 workload | npm run policy:manifests, 240 workloads",
            ]);
        });

        it("gives every row a positive time, CPU time and peak memory", () => {
            for (const r of report.rows) {
                for (const [what, v] of [["wall", r.wallMs], ["cpu", r.cpuMs], ["peak", r.peakMiB]] as const) assert.ok(v > 0 && Number.isFinite(v), `${r.id} ${what} ${v}`);
            }
        });

        it("prints the targets first, then a line per row", () => {
            const lines = formatReport(report).split("\n");
            assert.match(lines[0], /^footanalytics-gitops bench \(quick mode: one run on small inputs, figures not meaningful\): medians of 1 alternated run\(s\), \d+ s$/);
            assert.match(lines[1], new RegExp(`^machine: node ${process.version.replace(/\./g, "\\.")}, \\d+ CPUs \\(.+\\), [\\d.]+ GiB, .+, load average [\\d. ]+$`));
            assert.deepEqual(lines.slice(2, 4), ["", "targets:"]);
            assert.deepEqual(
                lines.slice(4, 8).map((t) => t.replace(/^ {2}(met {3}|MISSED) {2}/, "").replace(/: wall .*$/, "")),
                ["npm run plan ≤ 1.5× the SDK-load floor", "8 applications ≤ 2× 4", "policy:manifests ≥ 25,000 workloads/s after start-up (wall; cpu: per CPU-second)", "policy:manifests peak ≤ 300 MiB"],
            );
            assert.match(lines[4], /: wall \d+\.\d\d×, cpu \d+\.\d\d×$/);
            assert.match(lines[7], /: wall \d+ MiB$/);
            assert.equal(lines[8], "");
            assert.match(lines[9], /^measurement \(whole process tree\) +runs +wall ms +cpu ms +peak MiB +notes$/);
            const table = lines.slice(11);
            assert.equal(table.length, report.rows.length);
            table.forEach((line, i) => {
                assert.ok(line.startsWith(report.rows[i].label), line);
                assert.match(line, / 1 +\d+ +\d+ +\d+ +\S/);
            });
        });
    });
});
