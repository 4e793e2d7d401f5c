/**
 * `npm run bench [-- --runs <n>] [--quick] [--json]`: how fast the offline tools are.
 *
 * Medians over repeated runs, all in this process tree:
 * - the SDK-load floor: a fresh Node process that only requires the five Pulumi SDKs;
 * - the offline plan of each stack, as `npm run plan` runs it (a fresh `ts-node` process) and warm
 *   (in this process, after one unmeasured run that compiles the program);
 * - how plan time grows with 4, 40 and 400 generated applications (the production stack with its
 *   `footanalytics-gitops:gitops` applications replaced), fresh and warm;
 * - `policy:manifests` over 1,000 generated workloads: the engine in this process, and the CLI;
 * - where a fresh production plan spends its time, phase by phase (TypeScript compilation apart).
 * Each row shows wall-clock and CPU time (user + system of the measured process); on a shared
 * machine CPU time is the steadier of the two. `--quick` (or `BENCH_QUICK=1`) runs every
 * measurement once on small inputs: the same table, for the test suite; its figures mean nothing.
 * docs/performance.md records the latest full run.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { parseArgs } from "util";
import * as YAML from "yaml";
import { ROOT, runMain } from "./cli";

/** The repository root. */

/** The SDKs whose load time is the floor of every offline tool. */
export const SDKS = Object.freeze(["@pulumi/pulumi", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/eks", "@pulumi/random"]);

/** What the bench measures, and how often. */
export interface BenchOptions {
    /** Measured runs per row. */
    readonly runs: number;
    /** Unmeasured runs before the in-process rows (the first run compiles the program). */
    readonly warmUps: number;
    /** Application counts of the growth rows. */
    readonly applicationCounts: readonly number[];
    /** Generated workloads for the `policy:manifests` rows. */
    readonly workloads: number;
    /** The stack the growth rows use. */
    readonly growthStack: string;
    /** Stacks whose plan is measured. */
    readonly stacks: readonly string[];
    /**
     * Fresh-process rows to run: `all`, or `essential` (the floor, the production plan and the
     * policy:manifests CLI; the others are listed as skipped), which keeps the quick mode short.
     */
    readonly fresh: "all" | "essential";
}

/** The full run: the figures docs/performance.md records. */
export const FULL: BenchOptions = Object.freeze({
    runs: 5,
    warmUps: 1,
    applicationCounts: Object.freeze([4, 40, 400]),
    workloads: 1000,
    growthStack: "production",
    stacks: Object.freeze(["staging", "production"]),
    fresh: "all",
});

/** The short mode: one run each on small inputs, same rows and table shape. */
export const QUICK: BenchOptions = Object.freeze({ ...FULL, runs: 1, warmUps: 0, applicationCounts: Object.freeze([4, 8, 16]), workloads: 50, fresh: "essential" });

/** One measurement. */
export interface Sample {
    readonly wallMs: number;
    readonly cpuMs: number;
}

/** One row of the table. */
export interface Row {
    /** Stable identifier, e.g. `plan.production.fresh`. */
    readonly id: string;
    readonly label: string;
    /** Measured runs; 0 when the row was skipped (quick mode), its times then NaN. */
    readonly runs: number;
    /** Median wall-clock time. */
    readonly wallMs: number;
    /** Median CPU time (user + system) of the measured process. */
    readonly cpuMs: number;
    /** Free text: sizes and rates. */
    readonly note: string;
}

/** A target from issue 7 and whether this run met it. */
export interface TargetResult {
    readonly label: string;
    /** Measured ratio or rate, by wall-clock time. */
    readonly wall: number;
    /** The same by CPU time. */
    readonly cpu: number;
    /** `ratio` targets are met at or below the limit, `rate` targets at or above it. */
    readonly kind: "ratio" | "rate";
    readonly limit: number;
    /** Whether both the wall and the CPU figure meet the limit; undefined when a row was skipped. */
    readonly met: boolean | undefined;
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

/**
 * The phases of a fresh production plan, in order. TypeScript compilation (every call of the
 * registered ts-node service's `compile`) is timed on its own and taken out of the phases it happens in.
 */
export const PHASES = Object.freeze([
    { id: "start", label: "Node start-up, ts-node registration (loads TypeScript)" },
    { id: "sdks", label: "load the five Pulumi SDKs" },
    { id: "compile", label: "compile TypeScript (ts-node with SWC)" },
    { id: "tools", label: "load plan, harness, mocks, config (compiled)" },
    { id: "program", label: "run the program under the mocks (compiled)" },
    { id: "write", label: "write the plan files and the summary" },
    { id: "total", label: "total (the process's own clock)" },
] as const);

export type PhaseId = (typeof PHASES)[number]["id"];

/** One phase of a fresh production plan. */
export interface PhaseRow {
    readonly id: PhaseId;
    readonly label: string;
    readonly wallMs: number;
    readonly cpuMs: number;
}

/** Everything a bench run produced. */
export interface BenchReport {
    readonly quick: boolean;
    readonly runs: number;
    readonly machine: Machine;
    readonly rows: readonly Row[];
    readonly phases: readonly PhaseRow[];
    readonly targets: readonly TargetResult[];
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
    if (values.length === 0) throw new Error("median of no values");
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
}

/** Measure an in-process function: wall and CPU time of this process. */
async function inProcess<T>(fn: () => Promise<T> | T): Promise<{ sample: Sample; result: T }> {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = await fn();
    return { sample: { wallMs: performance.now() - start, cpuMs: cpuMsSince(cpu) }, result };
}

/**
 * A preload that reports the child's own CPU time when it exits, so that a fresh process's CPU
 * time is known without platform tools. Written to a temporary file as plain JavaScript, so the
 * child pays no compilation for it.
 */
const CPU_REPORTER = `process.on("exit", () => {
  const u = process.cpuUsage();
  require("fs").writeFileSync(process.env.BENCH_CPU_REPORT, String((u.user + u.system) / 1000));
});
`;

/** Scratch space of one bench run. */
class Scratch {
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "footanalytics-bench-"));
    readonly reporter = path.join(this.dir, "cpu-reporter.js");
    constructor() {
        fs.writeFileSync(this.reporter, CPU_REPORTER);
    }
    path(...parts: string[]): string {
        return path.join(this.dir, ...parts);
    }
    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** Run a fresh Node process (`node <args>` from the root) and measure it; `ok` lists acceptable exit codes. */
function fresh(scratch: Scratch, args: readonly string[], ok: readonly number[] = [0]): Sample & { stdout: string } {
    const report = scratch.path("cpu.txt");
    fs.rmSync(report, { force: true });
    const start = performance.now();
    const child = spawnSync(process.execPath, ["--require", scratch.reporter, ...args], {
        cwd: ROOT,
        env: { ...process.env, BENCH_CPU_REPORT: report },
        stdio: ["ignore", "pipe", "pipe"],
        maxBuffer: 64 * 1024 * 1024,
    });
    const wallMs = performance.now() - start;
    if (child.error) throw child.error;
    if (child.status === null || !ok.includes(child.status)) {
        throw new Error(`node ${args.join(" ")} exited with ${child.status ?? child.signal}:\n${child.stderr.toString()}`);
    }
    return { wallMs, cpuMs: Number(fs.readFileSync(report, "utf8")), stdout: child.stdout.toString() };
}

/** ts-node with SWC, registered as the npm scripts (`ts-node --swc`) and the suite do it. */
const REGISTER = path.join(ROOT, "tools", "register.js");

/** `ts-node --swc <script> <args>`, as the npm scripts run the tools. */
function tsNodeArgs(script: string, args: readonly string[]): string[] {
    return ["--require", REGISTER, path.join(ROOT, script), ...args];
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
 * Run `fn` with this process's stderr held back (the program's warnings about unset secrets would
 * repeat on every run); on failure the held output is written before the error propagates.
 */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
    const write = process.stderr.write;
    const held: string[] = [];
    process.stderr.write = ((chunk: string | Uint8Array) => {
        held.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString());
        return true;
    }) as typeof process.stderr.write;
    try {
        return await fn();
    } catch (err) {
        process.stderr.write = write;
        process.stderr.write(held.join(""));
        throw err;
    } finally {
        process.stderr.write = write;
    }
}

type PlanModule = typeof import("./plan");
type ManifestsModule = typeof import("./policy-manifests");
type WorkloadsModule = typeof import("./generate-workloads");

/** Measure `runs` samples of a step (after `warmUp` unmeasured ones) and make a row. */
async function row(id: string, label: string, runs: number, warmUp: number, step: () => Promise<Sample> | Sample, note: (samples: Sample[]) => string): Promise<Row> {
    for (let i = 0; i < warmUp; i++) await step();
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) samples.push(await step());
    return { id, label, runs, wallMs: median(samples.map((s) => s.wallMs)), cpuMs: median(samples.map((s) => s.cpuMs)), note: note(samples) };
}

/** Run every measurement. `progress` hears about each row as it starts. */
export async function runBench(opts: BenchOptions, progress: (label: string) => void = () => undefined): Promise<Omit<BenchReport, "quick" | "machine">> {
    const scratch = new Scratch();
    try {
        // Loaded here, not at the top, so that nothing but this file is compiled before the floor is taken.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const planTool = require("./plan") as PlanModule;
        const rows: Row[] = [];
        const measure = async (id: string, label: string, warmUp: number, step: () => Promise<Sample> | Sample, note: (samples: Sample[]) => string) => {
            progress(label);
            rows.push(await row(id, label, opts.runs, warmUp, step, note));
        };
        const skip = (id: string, label: string) => rows.push({ id, label, runs: 0, wallMs: NaN, cpuMs: NaN, note: "skipped in quick mode" });

        const floorScript = `for (const m of ${JSON.stringify(SDKS)}) require(m);`;
        await measure("sdk-load", "SDK-load floor (fresh process)", 0, () => fresh(scratch, ["-e", floorScript]), () => SDKS.map((s) => s.replace("@pulumi/", "")).join(", "));

        let counts: Record<string, number> = {};
        const planInProcess = async (stack: string, configFile?: string): Promise<Sample> => {
            const out = scratch.path("plan-warm", stack);
            const { sample, result } = await inProcess(() =>
                quietly(async () => {
                    const p = await planTool.plan({ stack, configFile });
                    planTool.writePlan(p, out);
                    planTool.summarize(p);
                    return p;
                }),
            );
            counts = { ...counts, [configFile ?? stack]: result.resources.length };
            return sample;
        };
        const planFresh = (stack: string, configFile?: string): Sample =>
            fresh(scratch, tsNodeArgs("tools/plan.ts", ["--stack", stack, ...(configFile ? ["--config-file", configFile] : []), "--out", scratch.path("plan-fresh", stack)]));

        for (const stack of opts.stacks) {
            const label = `plan ${stack} (fresh process)`;
            if (opts.fresh === "all" || stack === "production") {
                await measure(`plan.${stack}.fresh`, label, 0, () => planFresh(stack), () => "ts-node --swc tools/plan.ts, as npm run plan");
            } else {
                skip(`plan.${stack}.fresh`, label);
            }
            await measure(`plan.${stack}.warm`, `plan ${stack} (warm, in process)`, opts.warmUps, () => planInProcess(stack), () => `${counts[stack]} resources`);
        }

        for (const n of opts.applicationCounts) {
            const file = scratch.path(`Pulumi.${opts.growthStack}-${n}-apps.yaml`);
            fs.writeFileSync(file, stackFileWithApplications(opts.growthStack, n));
            const label = `plan ${opts.growthStack}, ${n} apps (fresh process)`;
            if (opts.fresh === "all") {
                await measure(`apps.${n}.fresh`, label, 0, () => planFresh(opts.growthStack, file), () => "generated applications");
            } else {
                skip(`apps.${n}.fresh`, label);
            }
            await measure(`apps.${n}.warm`, `plan ${opts.growthStack}, ${n} apps (warm, in process)`, opts.warmUps, () => planInProcess(opts.growthStack, file), () => `${counts[file]} resources`);
        }

        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const workloadsTool = require("./generate-workloads") as WorkloadsModule;
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const manifestsTool = require("./policy-manifests") as ManifestsModule;
        const dir = scratch.path("workloads");
        workloadsTool.writeWorkloadManifests(dir, { count: opts.workloads });
        const rate = (samples: Sample[]) => `${Math.round(opts.workloads / (median(samples.map((s) => s.wallMs)) / 1000)).toLocaleString("en-GB")} workloads/s`;
        let checked = 0;
        await measure(
            "manifests.warm",
            `policy:manifests, ${opts.workloads} workloads (in process)`,
            opts.warmUps,
            async () => {
                const { sample, result } = await inProcess(() => manifestsTool.checkPaths([dir]));
                checked = result.workloads;
                return sample;
            },
            (samples) => `${rate(samples)} (${checked} checked)`,
        );
        await measure("manifests.fresh", `policy:manifests, ${opts.workloads} workloads (fresh process)`, 0, () => fresh(scratch, tsNodeArgs("tools/policy-manifests.ts", ["--format", "json", dir]), [0, 1]), (samples) => `${rate(samples)} incl. start-up`);

        progress("phases of a fresh production plan");
        const phases = measurePhases(scratch, opts);
        return { runs: opts.runs, rows, phases, targets: evaluateTargets(rows, opts) };
    } finally {
        scratch.remove();
    }
}

/**
 * A script for `node -e` (ts-node registered) that plans production and prints its marks: for each
 * of `start`, `sdks`, `tools`, `program`, `write`, the process's wall and CPU clock and the wall and
 * CPU time spent in TypeScript compilation so far, plus how many files were compiled.
 */
function phaseScript(out: string): string {
    return `
const { performance } = require("perf_hooks");
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
// ts-node compiles every .ts file through its registered service's compile(); TypeScript's own
// exports are read-only getters, so the service is what can be timed.
const service = process[Symbol.for("ts-node.register.instance")];
if (!service) throw new Error("ts-node is not registered");
const compile = service.compile;
const compiled = { wall: 0, cpu: 0, files: 0 };
service.compile = function (...args) {
  const w = performance.now(), c = cpu();
  try { return compile.apply(this, args); } finally { compiled.wall += performance.now() - w; compiled.cpu += cpu() - c; compiled.files++; }
};
const marks = {};
const mark = (id) => { marks[id] = [performance.now(), cpu(), compiled.wall, compiled.cpu]; };
mark("start");
for (const m of ${JSON.stringify(SDKS)}) require(m);
mark("sdks");
const tool = require(${JSON.stringify(path.join(ROOT, "tools", "plan.ts"))});
mark("tools");
tool.plan({ stack: "production" }).then((p) => {
  mark("program");
  tool.writePlan(p, ${JSON.stringify(out)});
  tool.summarize(p);
  mark("write");
  process.stdout.write(JSON.stringify({ marks, files: compiled.files }));
  process.exit(0);
}, (err) => { console.error(err); process.exit(1); });
`;
}

type Mark = [wallMs: number, cpuMs: number, compileWallMs: number, compileCpuMs: number];

/** Split one run's marks into phases: each phase is the time since the previous mark, less the compilation in it. */
export function phasesOf(marks: Readonly<Record<"start" | "sdks" | "tools" | "program" | "write", Mark>>): Record<PhaseId, Sample> {
    const order = ["start", "sdks", "tools", "program", "write"] as const;
    const result: Partial<Record<PhaseId, Sample>> = {};
    let previous: Mark = [0, 0, 0, 0];
    for (const id of order) {
        const m = marks[id];
        result[id] = { wallMs: m[0] - previous[0] - (m[2] - previous[2]), cpuMs: m[1] - previous[1] - (m[3] - previous[3]) };
        previous = m;
    }
    result.compile = { wallMs: previous[2], cpuMs: previous[3] };
    result.total = { wallMs: previous[0], cpuMs: previous[1] };
    return result as Record<PhaseId, Sample>;
}

/** Run the phase script `runs` times; the median of each phase, and how many files were compiled. */
function phaseMedians(scratch: Scratch, runs: number): { phases: Record<PhaseId, Sample>; files: number } {
    const samples: Record<PhaseId, Sample>[] = [];
    let files = 0;
    for (let i = 0; i < runs; i++) {
        const child = fresh(scratch, ["--require", REGISTER, "-e", phaseScript(scratch.path("plan-phases"))]);
        const parsed = JSON.parse(child.stdout) as { marks: Record<"start" | "sdks" | "tools" | "program" | "write", Mark>; files: number };
        samples.push(phasesOf(parsed.marks));
        files = parsed.files;
    }
    const phases = Object.fromEntries(PHASES.map(({ id }) => [id, { wallMs: median(samples.map((s) => s[id].wallMs)), cpuMs: median(samples.map((s) => s[id].cpuMs)) }]));
    return { phases: phases as Record<PhaseId, Sample>, files };
}

/** Where a fresh production plan spends its time. */
function measurePhases(scratch: Scratch, opts: BenchOptions): PhaseRow[] {
    const { phases, files } = phaseMedians(scratch, opts.runs);
    return PHASES.map(({ id, label }) => ({
        id,
        label: id === "compile" ? `${label}, ${files} files` : label,
        wallMs: phases[id].wallMs,
        cpuMs: phases[id].cpuMs,
    }));
}

function byId(rows: readonly Row[], id: string): Row {
    const found = rows.find((r) => r.id === id);
    if (!found) throw new Error(`no bench row ${id}`);
    return found;
}

/** The targets, judged on both wall-clock and CPU medians (met only if both are). */
export function evaluateTargets(rows: readonly Row[], opts: BenchOptions): TargetResult[] {
    const ratio = (label: string, a: Row, b: Row, limit: number): TargetResult => {
        const wall = a.wallMs / b.wallMs;
        const cpu = a.cpuMs / b.cpuMs;
        return { label, wall, cpu, kind: "ratio", limit, met: (Number.isNaN(wall) || Number.isNaN(cpu)) ? undefined : (wall <= limit && cpu <= limit) };
    };
    const first = opts.applicationCounts[0];
    const last = opts.applicationCounts[opts.applicationCounts.length - 1];
    const manifests = byId(rows, "manifests.warm");
    const wallRate = opts.workloads / (manifests.wallMs / 1000);
    const cpuRate = opts.workloads / (manifests.cpuMs / 1000);
    return [
        ratio(`production plan (fresh) ≤ 2× SDK-load floor`, byId(rows, "plan.production.fresh"), byId(rows, "sdk-load"), 2),
        ratio(`${last} applications ≤ 3× ${first} (fresh)`, byId(rows, `apps.${last}.fresh`), byId(rows, `apps.${first}.fresh`), 3),
        ratio(`${last} applications ≤ 3× ${first} (warm)`, byId(rows, `apps.${last}.warm`), byId(rows, `apps.${first}.warm`), 3),
        { label: "policy:manifests ≥ 2,000 workloads/s (in process)", wall: wallRate, cpu: cpuRate, kind: "rate", limit: 2000, met: wallRate >= 2000 && cpuRate >= 2000 },
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

const ms = (v: number) => (Number.isNaN(v) ? "-" : v.toFixed(0));

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

/** The table, the phases, the targets and the machine, as printed. */
export function formatReport(report: BenchReport): string {
    const m = report.machine;
    const rows = table(
        ["measurement", "runs", "wall ms", "cpu ms", "notes"],
        report.rows.map((r) => [r.label, String(r.runs), ms(r.wallMs), ms(r.cpuMs), r.note]),
        new Set([1, 2, 3]),
    );
    const phases = table(
        ["phase of a fresh production plan", "wall ms", "cpu ms"],
        report.phases.map((p) => [p.label, ms(p.wallMs), ms(p.cpuMs)]),
        new Set([1, 2]),
    );
    const target = (t: TargetResult) => {
        const value = (v: number) => (Number.isNaN(v) ? "-" : t.kind === "ratio" ? `${v.toFixed(2)}×` : `${Math.round(v).toLocaleString("en-GB")}/s`);
        const verdict = t.met === undefined ? "n/a   " : t.met ? "met   " : "MISSED";
        return `  ${verdict}  ${t.label}: wall ${value(t.wall)}, cpu ${value(t.cpu)}`;
    };
    return [
        `footanalytics-gitops bench${report.quick ? " (quick mode: one run on small inputs, figures not meaningful)" : ""}: medians of ${report.runs} run(s)`,
        `machine: node ${m.node}, ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.platform}, load average ${m.loadAverage.join(" ")}`,
        "",
        ...rows,
        "",
        ...phases,
        "",
        "targets:",
        ...report.targets.map(target),
    ].join("\n");
}

/** Parse the command line; `BENCH_QUICK=1` also selects the short mode. */
export function benchOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): { options: BenchOptions; quick: boolean; json: boolean } {
    const { values } = parseArgs({ args: [...argv], options: { runs: { type: "string" }, quick: { type: "boolean", default: false }, json: { type: "boolean", default: false } }, strict: true });
    const quick = (values.quick === true) || (env.BENCH_QUICK === "1");
    const base = quick ? QUICK : FULL;
    const runs = values.runs === undefined ? base.runs : Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs (${values.runs}) must be a whole number of at least 1`);
    return { options: { ...base, runs }, quick, json: values.json === true };
}

async function main(): Promise<number> {
    let parsed;
    try {
        parsed = benchOptions(process.argv.slice(2));
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\nusage: npm run bench -- [--runs <n>] [--quick] [--json]\n`);
        return 2;
    }
    const { options, quick, json } = parsed;
    const result = await runBench(options, (label) => process.stderr.write(`bench: ${label}\n`));
    const report: BenchReport = { quick, machine: machine(), ...result };
    process.stdout.write(`${json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
    return 0;
}

if (require.main === module) runMain(main);
