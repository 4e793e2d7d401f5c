/**
 * `npm run bench [-- --runs <n>] [--quick] [--json]`: how fast the offline tools are, as users run them.
 *
 * Every measurement is a whole process tree, started the way a person or CI starts it (`npm run …`),
 * timed from spawn to exit; the rows compared in a ratio run alternately (a, b, a, b, …) so that a
 * change of load on the (shared) machine hits both; each figure is a median. Rows:
 * - the SDK-load floor: `node -e` requiring the five Pulumi SDKs, nothing else;
 * - `npm run plan -- --stack production`, and the same without npm (`node --require
 *   ./tools/register.js tools/plan.ts`), to show what npm adds, and the floor loaded the way the tools
 *   load it (tools/register.js: Node's compile cache, the SDK's TypeScript deferred), to show what is
 *   left of the tools' own cost;
 * - `npm run plan` of the production stack with 4 and with 400 generated applications;
 * - with `--charts-dir <dir>` (the pinned charts unpacked), `npm run policy:check -- --render` against
 *   `npm run plan` (issue 17's target: at most 3x);
 * - `npm run policy:manifests -- --format json <corpus>` over a corpus the bench generates (by default
 *   100,008 workloads, 12 per file, every tenth with a violation) and over a one-file corpus (its
 *   start-up): throughput after start-up = workloads / (full − start-up), and the peak resident memory
 *   of the tool's process;
 * - `npm test`, the whole suite, once (`--no-suite` leaves it out);
 * - the CI run on a fresh clone, once: `git clone` of the committed HEAD into a new temporary directory,
 *   then `CI=true bash .ci/run` there with the PATH a fresh shell has (this checkout's
 *   `node_modules/.bin` removed, so an old system Node makes `.ci/run` install Node 24 as on a CI
 *   machine); `--no-ci` leaves it out.
 * CPU time is the user + system time of every process of the tree (reported by a preload at exit);
 * peak memory is the `maxRSS` of the tool's own process (threads included).
 * The headline is the issues' targets. `--quick` (or BENCH_QUICK=1) runs each row once on small
 * inputs, without the suite and CI rows: the same report, for the test suite; its figures mean
 * nothing. docs/performance.md records the latest full run.
 */
// First: answers --help/-h before the imports below load the SDKs (tools/help-first.ts).
import "./help-first";
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { parseArgs } from "util";
import * as YAML from "yaml";
import { checkHelp, checkNpmAteFlags, ROOT, runMain, UsageError } from "./cli";
import { generateWorkloadManifests } from "./generate-workloads";
import { TOOLS } from "./usage";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsYaml = require("js-yaml") as { dump(value: unknown, options?: Record<string, unknown>): string };

/** The SDKs whose load time is the floor of every offline tool. */
export const SDKS = Object.freeze(["@pulumi/pulumi", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/eks", "@pulumi/random"]);

/** What the bench measures, and how often. */
export interface BenchOptions {
    /** Measured runs of each plan row. */
    readonly runs: number;
    /** Measured runs of each policy:manifests row (a full-corpus run takes seconds). */
    readonly manifestRuns: number;
    /** The two application counts compared (few, many). */
    readonly applicationCounts: readonly [number, number];
    /** Workloads in the generated policy:manifests corpus. */
    readonly workloads: number;
    /** Workloads per generated file (multi-document YAML). */
    readonly workloadsPerFile: number;
    /** The stack the plan rows use. */
    readonly stack: string;
    /** Unpacked pinned charts (`<dir>/<chart>/`): adds `policy:check --render` against a plain plan; absent, that row is not measured. */
    readonly chartsDir?: string;
    /** Measure `npm test` once. */
    readonly suite: boolean;
    /** Measure `.ci/run` on a fresh clone of the committed HEAD once. */
    readonly ci: boolean;
}

/** The full run: the figures docs/performance.md records (about 4 min on the machine there: 1 min of tools, the suite, the CI run). */
export const FULL: BenchOptions = Object.freeze({
    runs: 5,
    manifestRuns: 3,
    applicationCounts: Object.freeze([4, 400]) as readonly [number, number],
    workloads: 100_008,
    workloadsPerFile: 12,
    stack: "production",
    suite: true,
    ci: true,
});

/** The short mode: one run each on small inputs, the same rows and report, neither the suite (it runs this) nor CI. */
export const QUICK: BenchOptions = Object.freeze({ ...FULL, runs: 1, manifestRuns: 1, applicationCounts: Object.freeze([4, 8]) as readonly [number, number], workloads: 240, suite: false, ci: false });

/** The issues' targets (seconds for the suite and the CI run). */
export const LIMITS = Object.freeze({ planToFloor: 1.5, manyToFewApplications: 2, workloadsPerSecond: 25_000, peakMiB: 300, renderToPlan: 3, suiteSeconds: 45, ciSeconds: 150 });

/** One measurement of a process tree. */
export interface Sample {
    readonly wallMs: number;
    /** User + system time of every process of the tree. */
    readonly cpuMs: number;
    /** Peak resident memory of the measured tool's process, in MiB. */
    readonly peakMiB: number;
}

/** One row of the table. */
export interface Row {
    /** Stable identifier, e.g. `plan.npm`. */
    readonly id: string;
    readonly label: string;
    readonly runs: number;
    /** Medians. */
    readonly wallMs: number;
    readonly cpuMs: number;
    readonly peakMiB: number;
    /** Free text: what ran. */
    readonly note: string;
}

/** A target and whether this run met it. */
export interface TargetResult {
    readonly label: string;
    /** The measured figure by wall-clock time (a ratio, a rate or MiB). */
    readonly wall: number;
    /** The same by CPU time; NaN where CPU time does not apply (memory). */
    readonly cpu: number;
    /** `max` targets are met at or below the limit, `min` targets at or above it. */
    readonly kind: "max" | "min";
    readonly unit: "×" | "/s" | "MiB" | "s";
    readonly limit: number;
    /** Whether the wall figure (and the CPU figure, where it applies) meets the limit. */
    readonly met: boolean;
}

/** Where and how the figures were taken. */
export interface Machine {
    readonly node: string;
    readonly platform: string;
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGiB: number;
    readonly loadAverage: readonly number[];
}

/** Everything a bench run produced. */
export interface BenchReport {
    readonly quick: boolean;
    readonly machine: Machine;
    readonly rows: readonly Row[];
    readonly targets: readonly TargetResult[];
    /** Wall-clock time of the whole bench, corpus generation included. */
    readonly elapsedMs: number;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
    if (values.length === 0) throw new Error("median of no values");
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * A preload (NODE_OPTIONS=--require) for every Node process of a measured tree: at exit it appends
 * its CPU time, peak resident memory (KiB) and command line to the report file. Plain JavaScript,
 * so it costs the measured processes no compilation. A process that may not write the file (the
 * suite runs some tools as an unprivileged user) is not counted, and is not disturbed.
 */
const REPORTER = `"use strict";
process.on("exit", () => {
  const u = process.resourceUsage();
  const line = JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKiB: u.maxRSS, argv: process.argv.slice(1) });
  try {
    require("fs").appendFileSync(process.env.BENCH_PROCESS_REPORT, line + "\\n");
  } catch {}
});
`;

interface ProcessReport {
    readonly cpuMs: number;
    readonly maxRssKiB: number;
    readonly argv: readonly string[];
}

/** Scratch space of one bench run. */
class Scratch {
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "footanalytics-bench-"));
    readonly reporter = path.join(this.dir, "process-reporter.js");
    constructor() {
        // Readable by every user: the suite runs some tools as an unprivileged user, whose Node must load the preload.
        fs.chmodSync(this.dir, 0o755);
        fs.writeFileSync(this.reporter, REPORTER, { mode: 0o644 });
    }
    path(...parts: string[]): string {
        return path.join(this.dir, ...parts);
    }
    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** The npm CLI: the one running the bench when started by `npm run bench`, else `npm` on PATH. */
function npm(args: readonly string[]): [string, string[]] {
    const cli = process.env.npm_execpath;
    if (cli && /\.[cm]?js$/.test(cli)) return [process.execPath, [cli, ...args]];
    return [process.platform === "win32" ? "npm.cmd" : "npm", [...args]];
}

/** A command of a measured row: the process to start, and which of its Node processes is the tool. */
interface Command {
    readonly file: string;
    readonly args: readonly string[];
    /** Picks the tool's own process among the tree's reports (for its peak memory). */
    readonly tool: (argv: readonly string[]) => boolean;
    /** Acceptable exit codes. */
    readonly ok?: readonly number[];
    /** The environment, when not the bench's own. */
    readonly env?: NodeJS.ProcessEnv;
}

/**
 * What the bench says when a measured command fails (a failing test fails the suite row): the row, the
 * command, how it ended and the end of its output; exit 2, no stack trace, nothing measured.
 */
export function commandFailed(label: string, command: Pick<Command, "file" | "args">, ended: string, output: string): UsageError {
    const tail = output.trimEnd().split("\n").slice(-OUTPUT_TAIL_LINES).join("\n");
    return new UsageError(
        `bench: "${label}" failed: ${[command.file, ...command.args].join(" ")} ${ended}; nothing was measured${tail === "" ? "" : `. The end of its output:\n${tail}`}`,
    );
}

/** Lines of a failed command's output the bench shows. */
const OUTPUT_TAIL_LINES = 30;

/** Run one process tree from the repository root and measure it; its output goes to a file, read only when it fails. */
function measure(scratch: Scratch, command: Command, label: string): Sample {
    const report = scratch.path("processes.jsonl");
    fs.rmSync(report, { force: true });
    const outputFile = scratch.path("output.txt");
    const output = fs.openSync(outputFile, "w");
    const nodeOptions = [process.env.NODE_OPTIONS ?? "", `--require ${JSON.stringify(scratch.reporter)}`].join(" ").trim();
    const start = performance.now();
    let child;
    try {
        child = spawnSync(command.file, [...command.args], {
            cwd: ROOT,
            env: { ...(command.env ?? process.env), NODE_OPTIONS: nodeOptions, BENCH_PROCESS_REPORT: report },
            stdio: ["ignore", output, output],
        });
    } finally {
        fs.closeSync(output);
    }
    const wallMs = performance.now() - start;
    if (child.error) throw commandFailed(label, command, `could not start (${child.error.message})`, "");
    if (child.status === null || !(command.ok ?? [0]).includes(child.status)) {
        throw commandFailed(label, command, child.status === null ? `was killed by ${child.signal}` : `exited with ${child.status}`, fs.readFileSync(outputFile, "utf8"));
    }
    const processes = fs
        .readFileSync(report, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as ProcessReport);
    const tool = processes.find((p) => command.tool(p.argv));
    if (tool === undefined) throw new Error(`no process report of the tool among ${processes.map((p) => p.argv.join(" ")).join("; ")}`);
    return { wallMs, cpuMs: processes.reduce((sum, p) => sum + p.cpuMs, 0), peakMiB: tool.maxRssKiB / 1024 };
}

/** Measure several commands alternately, `runs` rounds; one row each. */
function alternate(scratch: Scratch, runs: number, specs: readonly { id: string; label: string; note: string; command: Command }[], progress: (label: string) => void): Row[] {
    progress(specs.map((s) => s.label).join(" | "));
    const samples = specs.map(() => [] as Sample[]);
    for (let i = 0; i < runs; i++) specs.forEach((s, j) => samples[j].push(measure(scratch, s.command, s.label)));
    return specs.map((s, j) => ({
        id: s.id,
        label: s.label,
        runs,
        wallMs: median(samples[j].map((x) => x.wallMs)),
        cpuMs: median(samples[j].map((x) => x.cpuMs)),
        peakMiB: median(samples[j].map((x) => x.peakMiB)),
        note: s.note,
    }));
}

/** Applications named `app-0001`, `app-0002`, … with every other field defaulted. */
export function generateApplications(count: number): { name: string }[] {
    return Array.from({ length: count }, (_, i) => ({ name: `app-${String(i + 1).padStart(4, "0")}` }));
}

/** A copy of a stack file whose `footanalytics-gitops:gitops` applications are `count` generated ones. */
export function stackFileWithApplications(stack: string, count: number): string {
    const doc = YAML.parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, Record<string, unknown>> };
    const key = "footanalytics-gitops:gitops";
    doc.config[key] = { ...doc.config[key], applications: generateApplications(count) };
    return YAML.stringify(doc, { lineWidth: 0 });
}

/**
 * Write a policy:manifests corpus: `workloads` generated workloads (tools/generate-workloads.ts,
 * every tenth with a violation), `perFile` to a multi-document file, in directories of 500 files.
 */
export function writeCorpus(dir: string, workloads: number, perFile: number): { files: number; workloads: number } {
    const manifests = generateWorkloadManifests({ count: workloads });
    let files = 0;
    for (let i = 0; i < manifests.length; i += perFile) {
        const sub = path.join(dir, `part-${String(Math.floor(files / 500)).padStart(3, "0")}`);
        if (files % 500 === 0) fs.mkdirSync(sub, { recursive: true });
        const text = manifests
            .slice(i, i + perFile)
            .map((m) => jsYaml.dump(m.object, { lineWidth: -1 }))
            .join("---\n");
        fs.writeFileSync(path.join(sub, `workloads-${String(files).padStart(5, "0")}.yaml`), text);
        files++;
    }
    return { files, workloads: manifests.length };
}

/**
 * The generated corpus, kept between runs in node_modules/.cache (git-ignored) under a key of the
 * generator's source and the corpus size: the first run writes it (~5-8 s for 100,008 workloads),
 * later runs reuse it.
 */
function cachedCorpus(opts: BenchOptions, progress: (label: string) => void): { dir: string; written: { files: number; workloads: number } } {
    const key = createHash("sha256")
        .update(fs.readFileSync(path.join(ROOT, "tools", "generate-workloads.ts")))
        .update(writeCorpus.toString())
        .update(`${opts.workloads}/${opts.workloadsPerFile}`)
        .digest("hex")
        .slice(0, 16);
    const dir = path.join(ROOT, "node_modules", ".cache", "footanalytics-gitops", `bench-corpus-${key}`);
    const done = path.join(dir, "corpus.json");
    if (fs.existsSync(done)) return { dir: path.join(dir, "corpus"), written: JSON.parse(fs.readFileSync(done, "utf8")) as { files: number; workloads: number } };
    progress(`generating a corpus of ${opts.workloads.toLocaleString("en-GB")} workloads (kept for later runs)`);
    fs.rmSync(dir, { recursive: true, force: true });
    const written = writeCorpus(path.join(dir, "corpus"), opts.workloads, opts.workloadsPerFile);
    // Outside the corpus directory, so policy:manifests never reads it.
    fs.writeFileSync(done, JSON.stringify(written));
    return { dir: path.join(dir, "corpus"), written };
}

const isScript = (script: string) => (argv: readonly string[]) => argv.some((a) => a.endsWith(script));

/** The PATH of a fresh shell: this checkout's directories (its `node_modules/.bin`, which npm put first) removed. */
export function pathWithoutCheckout(pathValue: string, root: string = ROOT): string {
    return pathValue
        .split(path.delimiter)
        .filter((dir) => dir !== "" && path.relative(root, path.resolve(dir)).startsWith(".."))
        .join(path.delimiter);
}

/**
 * CI as the issue times it: a fresh clone of the committed HEAD in a new temporary directory, then
 * `CI=true bash .ci/run` there, the clone removed afterwards whatever the outcome. The peak memory is
 * that of the suite's mocha process.
 */
function freshCloneCi(scratch: Scratch): Command {
    const clone = scratch.path("ci-clone");
    const script = 'git clone -q "$1" "$2" && cd "$2" && CI=true bash .ci/run; status=$?; cd / && rm -rf "$2"; exit $status';
    return {
        file: "bash",
        args: ["-c", script, "fresh-clone-ci", ROOT, clone],
        tool: isScript("mocha"),
        env: { ...process.env, PATH: pathWithoutCheckout(process.env.PATH ?? "") },
    };
}

/** Run every measurement. `progress` hears about each group of rows as it starts. */
export function runBench(opts: BenchOptions, progress: (label: string) => void = () => undefined): Omit<BenchReport, "quick" | "machine"> {
    const started = performance.now();
    const scratch = new Scratch();
    try {
        const rows: Row[] = [];
        const floorScript = `for (const m of ${JSON.stringify(SDKS)}) require(m);`;
        const plan = (configFile?: string): readonly string[] => ["--stack", opts.stack, ...(configFile ? ["--config-file", configFile] : []), "--out", scratch.path("plan")];
        const [npmFile, npmPlanArgs] = npm(["run", "--silent", "plan", "--", ...plan()]);
        rows.push(
            ...alternate(
                scratch,
                opts.runs,
                [
                    { id: "floor", label: "SDK-load floor", note: `node -e 'require' ${SDKS.map((s) => s.replace("@pulumi/", "")).join(", ")}`, command: { file: process.execPath, args: ["-e", floorScript], tool: () => true } },
                    { id: "plan.npm", label: `npm run plan (${opts.stack})`, note: "as users run it", command: { file: npmFile, args: npmPlanArgs, tool: isScript("tools/plan.ts") } },
                    {
                        id: "plan.node",
                        label: `plan without npm (${opts.stack})`,
                        note: "node --require ./tools/register.js tools/plan.ts",
                        command: { file: process.execPath, args: ["--require", "./tools/register.js", "tools/plan.ts", ...plan()], tool: isScript("tools/plan.ts") },
                    },
                    {
                        id: "floor.cached",
                        label: "SDK-load floor as the tools load it",
                        note: "tools/register.js: V8 compile cache, TypeScript deferred",
                        command: { file: process.execPath, args: ["--require", "./tools/register.js", "-e", floorScript], tool: () => true },
                    },
                ],
                progress,
            ),
        );

        const [few, many] = opts.applicationCounts;
        const appFiles = [few, many].map((n) => {
            const file = scratch.path(`Pulumi.${opts.stack}-${n}-apps.yaml`);
            fs.writeFileSync(file, stackFileWithApplications(opts.stack, n));
            return file;
        });
        rows.push(
            ...alternate(
                scratch,
                opts.runs,
                [few, many].map((n, i) => {
                    const [file, args] = npm(["run", "--silent", "plan", "--", ...plan(appFiles[i])]);
                    return { id: `apps.${n}`, label: `npm run plan, ${n} applications`, note: `${opts.stack} with ${n} generated applications`, command: { file, args, tool: isScript("tools/plan.ts") } };
                }),
                progress,
            ),
        );

        if (opts.chartsDir !== undefined) {
            // Every chart rendered twice with real Helm and judged, against the plain plan it extends (issue 17: ≤ 3×).
            const [file, args] = npm(["run", "--silent", "policy:check", "--", "--stack", opts.stack, "--render", "--charts-dir", path.resolve(opts.chartsDir)]);
            rows.push(
                ...alternate(
                    scratch,
                    opts.runs,
                    [
                        { id: "render.plan", label: `npm run plan (${opts.stack}), against render`, note: "as users run it", command: { file: npmFile, args: npmPlanArgs, tool: isScript("tools/plan.ts") } },
                        { id: "render.check", label: `npm run policy:check --render (${opts.stack})`, note: `charts from ${opts.chartsDir}, each rendered twice`, command: { file, args, tool: isScript("tools/policy-check.ts"), ok: [0, 1] } },
                    ],
                    progress,
                ),
            );
        }

        const { dir: corpus, written } = cachedCorpus(opts, progress);
        const single = scratch.path("single");
        writeCorpus(single, 1, 1);
        const manifests = (dir: string): Command => {
            const [file, args] = npm(["run", "--silent", "policy:manifests", "--", "--format", "json", dir]);
            return { file, args, tool: isScript("tools/policy-manifests.ts"), ok: [0, 1] };
        };
        rows.push(
            ...alternate(
                scratch,
                opts.manifestRuns,
                [
                    { id: "manifests.startup", label: "npm run policy:manifests, 1 workload", note: "start-up", command: manifests(single) },
                    {
                        id: "manifests.corpus",
                        label: `npm run policy:manifests, ${written.workloads.toLocaleString("en-GB")} workloads`,
                        note: `${written.files.toLocaleString("en-GB")} files, --format json`,
                        command: manifests(corpus),
                    },
                ],
                progress,
            ),
        );
        if (opts.suite) {
            const [file, args] = npm(["test"]);
            rows.push(...alternate(scratch, 1, [{ id: "suite", label: "npm test", note: "the whole suite (mocha, two workers)", command: { file, args, tool: isScript("mocha") } }], progress));
        }
        if (opts.ci) {
            rows.push(...alternate(scratch, 1, [{ id: "ci", label: "CI on a fresh clone", note: "git clone of HEAD, then CI=true bash .ci/run", command: freshCloneCi(scratch) }], progress));
        }
        return { rows, targets: evaluateTargets(rows, opts, written.workloads), elapsedMs: performance.now() - started };
    } finally {
        scratch.remove();
    }
}

function byId(rows: readonly Row[], id: string): Row {
    const found = rows.find((r) => r.id === id);
    if (!found) throw new Error(`no bench row ${id}`);
    return found;
}

/** The issue's targets, from the rows. Ratios and rates must hold by wall-clock and by CPU time. */
export function evaluateTargets(rows: readonly Row[], opts: BenchOptions, workloads: number): TargetResult[] {
    const ratio = (label: string, a: Row, b: Row, limit: number): TargetResult => {
        const wall = a.wallMs / b.wallMs;
        const cpu = a.cpuMs / b.cpuMs;
        return { label, wall, cpu, kind: "max", unit: "×", limit, met: wall <= limit && cpu <= limit };
    };
    // A wall-clock limit of a row measured once (CPU time does not apply: the limit is how long people wait).
    const seconds = (id: string, label: string, limit: number): TargetResult[] => {
        const found = rows.find((r) => r.id === id);
        return found === undefined ? [] : [{ label, wall: found.wallMs / 1000, cpu: NaN, kind: "max", unit: "s", limit, met: found.wallMs / 1000 <= limit }];
    };
    const [few, many] = opts.applicationCounts;
    const startup = byId(rows, "manifests.startup");
    const corpus = byId(rows, "manifests.corpus");
    const wallRate = workloads / ((corpus.wallMs - startup.wallMs) / 1000);
    const cpuRate = workloads / ((corpus.cpuMs - startup.cpuMs) / 1000);
    const n = (v: number) => v.toLocaleString("en-GB");
    return [
        ratio(`npm run plan ≤ ${LIMITS.planToFloor}× the SDK-load floor`, byId(rows, "plan.npm"), byId(rows, "floor"), LIMITS.planToFloor),
        ratio(`${many} applications ≤ ${LIMITS.manyToFewApplications}× ${few}`, byId(rows, `apps.${many}`), byId(rows, `apps.${few}`), LIMITS.manyToFewApplications),
        {
            label: `policy:manifests ≥ ${n(LIMITS.workloadsPerSecond)} workloads/s after start-up (wall; cpu: per CPU-second)`,
            wall: wallRate,
            cpu: cpuRate,
            kind: "min",
            unit: "/s",
            limit: LIMITS.workloadsPerSecond,
            met: wallRate >= LIMITS.workloadsPerSecond,
        },
        { label: `policy:manifests peak ≤ ${LIMITS.peakMiB} MiB`, wall: corpus.peakMiB, cpu: NaN, kind: "max", unit: "MiB", limit: LIMITS.peakMiB, met: corpus.peakMiB <= LIMITS.peakMiB },
        ...(rows.some((r) => r.id === "render.check")
            ? [ratio(`policy:check --render ≤ ${LIMITS.renderToPlan}× npm run plan`, byId(rows, "render.check"), byId(rows, "render.plan"), LIMITS.renderToPlan)]
            : []),
        ...seconds("suite", `npm test ≤ ${LIMITS.suiteSeconds} s`, LIMITS.suiteSeconds),
        ...seconds("ci", `CI on a fresh clone ≤ ${LIMITS.ciSeconds} s`, LIMITS.ciSeconds),
    ];
}

/** The machine the figures come from. */
export function machine(): Machine {
    const cpus = os.cpus();
    return {
        node: process.version,
        platform: `${os.type()} ${os.release()} ${os.arch()}`,
        cpus: cpus.length,
        cpuModel: cpus[0]?.model.trim() ?? "unknown",
        memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
        loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    };
}

/** A plain-text table: the first column left-aligned, the columns in `numeric` right-aligned. */
function table(header: readonly string[], cells: readonly string[][], numeric: ReadonlySet<number>): string[] {
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    const line = (c: readonly string[]) =>
        c
            .map((v, i) => (numeric.has(i) ? v.padStart(widths[i]) : v.padEnd(widths[i])))
            .join("  ")
            .trimEnd();
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)];
}

/** A target's figure as printed. */
function figure(v: number | null, unit: TargetResult["unit"]): string {
    // null: a NaN that went through --json.
    if (v === null || Number.isNaN(v)) return "-";
    if (unit === "×") return `${v.toFixed(2)}×`;
    if (unit === "/s") return `${Math.round(v).toLocaleString("en-GB")}/s`;
    if (unit === "s") return `${v.toFixed(1)} s`;
    return `${v.toFixed(0)} MiB`;
}

/** The targets (the headline), the table and the machine, as printed. */
export function formatReport(report: BenchReport): string {
    const m = report.machine;
    const targets = report.targets.map((t) => {
        const cpu = (t.cpu === null || Number.isNaN(t.cpu)) ? "" : `, cpu ${figure(t.cpu, t.unit)}`;
        return `  ${t.met ? "met   " : "MISSED"}  ${t.label}: wall ${figure(t.wall, t.unit)}${cpu}`;
    });
    const rows = table(
        ["measurement (whole process tree)", "runs", "wall ms", "cpu ms", "peak MiB", "notes"],
        report.rows.map((r) => [r.label, String(r.runs), r.wallMs.toFixed(0), r.cpuMs.toFixed(0), r.peakMiB.toFixed(0), r.note]),
        new Set([1, 2, 3, 4]),
    );
    const runs = [...new Set(report.rows.map((r) => r.runs))].join("/");
    return [
        `footanalytics-gitops bench${report.quick ? " (quick mode: one run on small inputs, figures not meaningful)" : ""}: medians of ${runs} alternated run(s), ${(report.elapsedMs / 1000).toFixed(0)} s`,
        `machine: node ${m.node}, ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.platform}, load average ${m.loadAverage.join(" ")}`,
        "",
        "targets:",
        ...targets,
        "",
        ...rows,
    ].join("\n");
}

const BENCH_FLAGS = {
    runs: { type: "string" },
    quick: { type: "boolean" },
    json: { type: "boolean" },
    "charts-dir": { type: "string" },
    suite: { type: "boolean" },
    ci: { type: "boolean" },
} as const;

/** Parse the command line; `BENCH_QUICK=1` also selects the short mode. */
export function benchOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): { options: BenchOptions; quick: boolean; json: boolean } {
    const { values } = parseArgs({ args: [...argv], options: BENCH_FLAGS, strict: true, allowNegative: true });
    const quick = (values.quick === true) || (env.BENCH_QUICK === "1");
    const base = quick ? QUICK : FULL;
    const runs = values.runs === undefined ? base.runs : Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs (${values.runs}) must be a whole number of at least 1`);
    const chartsDir = values["charts-dir"];
    return {
        options: {
            ...base,
            runs,
            manifestRuns: values.runs === undefined ? base.manifestRuns : runs,
            ...(chartsDir !== undefined ? { chartsDir } : {}),
            // Never in the quick mode: the suite runs it.
            suite: !quick && (values.suite ?? base.suite),
            ci: !quick && (values.ci ?? base.ci),
        },
        quick,
        json: values.json === true,
    };
}

const USAGE = TOOLS.bench.usage;
const HELP = TOOLS.bench.help;

async function main(): Promise<number> {
    checkHelp(process.argv.slice(2), USAGE, HELP);
    checkNpmAteFlags(process.argv.slice(2), BENCH_FLAGS);
    let parsed;
    try {
        parsed = benchOptions(process.argv.slice(2));
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\nusage: ${USAGE}\n`);
        return 2;
    }
    const { options, quick, json } = parsed;
    const result = runBench(options, (label) => process.stderr.write(`bench: ${label}\n`));
    const report: BenchReport = { quick, machine: machine(), ...result };
    process.stdout.write(`${json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
    return 0;
}

if (require.main === module) runMain(main);
