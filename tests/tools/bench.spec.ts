import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as path from "path";
import * as YAML from "yaml";
import { benchOptions, BenchReport, evaluateTargets, formatReport, FULL, machine, median, phasesOf, QUICK, Row, runBench, stackFileWithApplications } from "../../tools/bench";
import { ROOT } from "../../tools/harness";

/* The bench's figures are never asserted: only the shape of what it measures and prints. */

function row(id: string, wallMs: number, cpuMs: number): Row {
    return { id, label: id, runs: 1, wallMs, cpuMs, note: "" };
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
        it("runs the full measurements by default", () => {
            assert.deepEqual(benchOptions([], {}), { options: FULL, quick: false, json: false });
            assert.deepEqual(FULL.applicationCounts, [4, 40, 400]);
            assert.equal(FULL.workloads, 1000);
        });

        it("selects the short mode with --quick or BENCH_QUICK=1", () => {
            assert.deepEqual(benchOptions(["--quick"], {}).options, QUICK);
            assert.equal(benchOptions([], { BENCH_QUICK: "1" }).quick, true);
        });

        it("takes --runs and refuses a count below one", () => {
            assert.equal(benchOptions(["--runs", "9"], {}).options.runs, 9);
            assert.throws(() => benchOptions(["--runs", "0"], {}), { message: "--runs (0) must be a whole number of at least 1" });
        });

        it("exits 2 with the usage line when called wrongly", () => {
            const child = spawnSync(process.execPath, ["--require", path.join(ROOT, "tools/register.js"), path.join(ROOT, "tools/bench.ts"), "--runs", "none"], { cwd: ROOT, encoding: "utf8" });
            assert.equal(child.status, 2);
            assert.equal(child.stderr, "--runs (none) must be a whole number of at least 1\nusage: npm run bench -- [--runs <n>] [--quick] [--json]\n");
        });
    });

    describe("generated applications", () => {
        it("replaces the gitops applications of a stack file and keeps every other key", () => {
            const doc = YAML.parse(stackFileWithApplications("production", 3));
            assert.deepEqual(doc.config["footanalytics-gitops:gitops"].applications, [{ name: "app-0001" }, { name: "app-0002" }, { name: "app-0003" }]);
            assert.equal(doc.config["footanalytics-gitops:gitops"].repoUrl, "https://github.com/footanalytics/gitops-config");
            assert.equal(doc.config["footanalytics-gitops:environment"], "production");
        });
    });

    describe("phases", () => {
        it("takes compilation out of the phase it happens in and reports it on its own", () => {
            const phases = phasesOf({
                start: [300, 250, 0, 0],
                sdks: [1000, 900, 0, 0],
                tools: [2000, 2100, 600, 800],
                program: [3500, 4000, 900, 1200],
                write: [3520, 4030, 900, 1200],
            });
            assert.deepEqual(phases, {
                start: { wallMs: 300, cpuMs: 250 },
                sdks: { wallMs: 700, cpuMs: 650 },
                tools: { wallMs: 400, cpuMs: 400 },
                program: { wallMs: 1200, cpuMs: 1500 },
                write: { wallMs: 20, cpuMs: 30 },
                compile: { wallMs: 900, cpuMs: 1200 },
                total: { wallMs: 3520, cpuMs: 4030 },
            });
        });
    });

    describe("targets", () => {
        const rows = [
            row("sdk-load", 1000, 800),
            row("plan.production.fresh", 1900, 1700),
            row("apps.4.fresh", 2000, 2000),
            row("apps.400.fresh", 7000, 5000),
            row("apps.4.warm", 100, 100),
            row("apps.400.warm", 250, 320),
            row("manifests.warm", 400, 250),
        ];

        it("compares by wall-clock and CPU time and is met only when both are", () => {
            assert.deepEqual(evaluateTargets(rows, FULL), [
                { label: "production plan (fresh) ≤ 2× SDK-load floor", wall: 1.9, cpu: 2.125, kind: "ratio", limit: 2, met: false },
                { label: "400 applications ≤ 3× 4 (fresh)", wall: 3.5, cpu: 2.5, kind: "ratio", limit: 3, met: false },
                { label: "400 applications ≤ 3× 4 (warm)", wall: 2.5, cpu: 3.2, kind: "ratio", limit: 3, met: false },
                { label: "policy:manifests ≥ 2,000 workloads/s (in process)", wall: 2500, cpu: 4000, kind: "rate", limit: 2000, met: true },
            ]);
        });

        it("leaves a target undecided when one of its rows was skipped", () => {
            const skipped = rows.map((r) => (r.id === "apps.400.fresh" ? { ...r, runs: 0, wallMs: NaN, cpuMs: NaN } : r));
            assert.equal(evaluateTargets(skipped, FULL)[1].met, undefined);
        });
    });

    describe("the quick run", () => {
        let report: BenchReport;
        const progress: string[] = [];

        before(async function () {
            this.timeout(600_000);
            report = { quick: true, machine: machine(), ...(await runBench(QUICK, (label) => progress.push(label))) };
        });

        it("measures every row in order, skipping the fresh processes the quick mode leaves out", () => {
            assert.deepEqual(
                report.rows.map((r) => [r.id, r.runs]),
                [
                    ["sdk-load", 1],
                    ["plan.staging.fresh", 0],
                    ["plan.staging.warm", 1],
                    ["plan.production.fresh", 1],
                    ["plan.production.warm", 1],
                    ["apps.4.fresh", 0],
                    ["apps.4.warm", 1],
                    ["apps.8.fresh", 0],
                    ["apps.8.warm", 1],
                    ["apps.16.fresh", 0],
                    ["apps.16.warm", 1],
                    ["manifests.warm", 1],
                    ["manifests.fresh", 1],
                ],
            );
            assert.deepEqual(progress, [...report.rows.filter((r) => r.runs > 0).map((r) => r.label), "phases of a fresh production plan"]);
        });

        it("gives measured rows positive times and skipped rows none", () => {
            for (const r of report.rows) {
                if (r.runs === 0) {
                    assert.ok(Number.isNaN(r.wallMs) && Number.isNaN(r.cpuMs), r.id);
                    assert.equal(r.note, "skipped in quick mode");
                } else {
                    assert.ok(r.wallMs > 0 && Number.isFinite(r.wallMs), `${r.id} wall ${r.wallMs}`);
                    assert.ok(r.cpuMs > 0 && Number.isFinite(r.cpuMs), `${r.id} cpu ${r.cpuMs}`);
                }
            }
        });

        it("splits a fresh production plan into its phases, which add up to its total", () => {
            assert.deepEqual(
                report.phases.map((p) => p.id),
                ["start", "sdks", "compile", "tools", "program", "write", "total"],
            );
            assert.match(report.phases[2].label, /^compile TypeScript \(ts-node with SWC\), \d+ files$/);
            assert.ok(Number(/(\d+) files$/.exec(report.phases[2].label)![1]) > 0, "the program's TypeScript files are compiled in the fresh process");
        });

        it("counts one more resource per generated application", () => {
            const resources = (id: string) => Number(/^(\d+) resources$/.exec(report.rows.find((r) => r.id === id)!.note)![1]);
            assert.equal(resources("apps.8.warm") - resources("apps.4.warm"), 4);
            assert.equal(resources("apps.16.warm") - resources("apps.8.warm"), 8);
        });

        it("checks every generated workload", () => {
            assert.match(report.rows.find((r) => r.id === "manifests.warm")!.note, /^[\d,]+ workloads\/s \(50 checked\)$/);
        });

        it("prints the machine, a table with a line per row, and the targets", () => {
            const lines = formatReport(report).split("\n");
            assert.equal(lines[0], "footanalytics-gitops bench (quick mode: one run on small inputs, figures not meaningful): medians of 1 run(s)");
            assert.match(lines[1], new RegExp(`^machine: node ${process.version.replace(/\./g, "\\.")}, \\d+ CPUs \\(.+\\), [\\d.]+ GiB, .+, load average [\\d. ]+$`));
            assert.equal(lines[2], "");
            assert.match(lines[3], /^measurement +runs +wall ms +cpu ms +notes$/);
            assert.match(lines[4], /^-+( +-+){4}$/);
            const table = lines.slice(5, 5 + report.rows.length);
            table.forEach((line, i) => {
                const r = report.rows[i];
                assert.ok(line.startsWith(r.label), line);
                assert.match(line, r.runs === 0 ? / 0 +- +- +skipped in quick mode$/ : / 1 +\d+ +\d+ +\S/);
            });
            const afterRows = 5 + report.rows.length;
            assert.equal(lines[afterRows], "");
            assert.match(lines[afterRows + 1], /^phase of a fresh production plan +wall ms +cpu ms$/);
            const phaseLines = lines.slice(afterRows + 3, afterRows + 3 + report.phases.length);
            phaseLines.forEach((line, i) => assert.match(line, new RegExp(`^${report.phases[i].label.replace(/[()]/g, "\\$&")} +\\d+ +\\d+$`)));
            const afterPhases = afterRows + 3 + report.phases.length;
            assert.deepEqual(lines.slice(afterPhases, afterPhases + 2), ["", "targets:"]);
            const targets = lines.slice(afterPhases + 2);
            assert.deepEqual(
                targets.map((t) => t.replace(/^ {2}(met {3}|MISSED|n\/a {3}) {2}/, "").replace(/: wall .*$/, "")),
                ["production plan (fresh) ≤ 2× SDK-load floor", "16 applications ≤ 3× 4 (fresh)", "16 applications ≤ 3× 4 (warm)", "policy:manifests ≥ 2,000 workloads/s (in process)"],
            );
            assert.match(targets[1], /^ {2}n\/a {5}16 applications ≤ 3× 4 \(fresh\): wall -, cpu -$/);
        });
    });
});
