/**
 * `npm run plan -- --stack <name> [--config-file <path>] [--out <dir>]`: the credential-free plan.
 *
 * Runs the real program under the mock runtime and writes, to `plan/<stack>/` by default:
 * - `resources.json`: every registered resource with its inputs and options,
 * - `manifests.yaml`: every Kubernetes object the program creates directly,
 * - `argocd-values.yaml`: the values given to the argo-cd chart.
 * Secrets appear only as `[secret]` (a Secret's key names stay visible). Provider inputs, which the
 * SDK passes as JSON text, are shown as objects. Values the mock runtime made up (ids, ARNs in account
 * 123456789012, endpoints) are listed per resource in `mockValues` and marked `# mock` in the YAML.
 * Usage or input error (bad stack name, missing or broken stack file, invalid configuration, `--out`
 * not a directory): exit 2, the message on stderr, no stack trace, nothing written.
 */
// First: answers --help/-h before the imports below load the SDKs (tools/help-first.ts).
import "./help-first";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { ProgramRun, readStackFile, RecordedResource, resolveConfig, ROOT, RunOptions, runProgram, SECRET_PLACEHOLDER } from "./harness";
import { checkedStackFile, listStacks, makeDirectory, parseCli, renderOption, runMain, shown, UsageError, userPath, writeTextFile } from "./cli";
import { findHelm } from "./helm";
import { kubernetesVersion, renderProgram, RenderReport, unrenderedCharts } from "./render";
import { bootstrapOrder, eksSupportWarnings, exampleValueWarnings, formatBootstrapOrder } from "./plan-checks";
import { TOOLS } from "./usage";

export { listStacks };

const USAGE = TOOLS.plan.usage;
const HELP = TOOLS.plan.help;

/** One entry of `resources.json`. */
export interface PlannedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly parent?: string;
    readonly inputs: Record<string, unknown>;
    readonly options: RecordedResource["options"];
    /** Paths of inputs (`inputs.roleArn`) whose value the mock runtime made up; absent when none. */
    readonly mockValues?: readonly string[];
    /** For an object a chart rendered (`--render`): the chart template it came from. */
    readonly renderedFrom?: string;
}

/** What a plan produced, before anything is written. */
export interface Plan {
    readonly stack: string;
    readonly resources: readonly PlannedResource[];
    /** Kubernetes objects created directly (not through the chart), in registration order. */
    readonly manifests: readonly Record<string, unknown>[];
    /** Values of the argo-cd chart, or undefined when the program installs none. */
    readonly argocdValues?: Record<string, unknown>;
    readonly outputs: Record<string, unknown>;
    /** Strings the mock runtime made up (see `ProgramRun.mockValues`). */
    readonly mockValues: ReadonlySet<string>;
    /** What `--render` rendered; undefined when the charts were not rendered. */
    readonly render?: RenderReport;
    /** The charts whose objects are not in the plan (`argo-cd 10.1.1`): all of them without `--render`. */
    readonly unrendered: readonly string[];
}

const NOT_MANIFESTS = new Set(["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Release", "kubernetes:yaml/v2:ConfigGroup", "kubernetes:yaml/v2:ConfigFile"]);

/** Whether a recorded resource is a Kubernetes object the program creates directly (not one a chart rendered). */
export function isManifest(r: RecordedResource): boolean {
    return r.custom && r.renderedFrom === undefined && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:") && !NOT_MANIFESTS.has(r.type);
}

/** The Kubernetes object of a recorded resource, with apiVersion and kind first. */
export function toManifest(r: RecordedResource): Record<string, unknown> {
    const { apiVersion, kind, metadata, ...rest } = readableInputs(r);
    return { apiVersion, kind, metadata, ...rest };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Inputs as a reader wants them: a provider's inputs, which the SDK sends as JSON text
 * (`defaultTags: "{\"tags\":…}"`, `skipRegionValidation: "true"`), decoded to objects, lists and
 * booleans; a Kubernetes Secret's `data`/`stringData`, redacted as a whole, shown with its key names
 * and each value `[secret]`.
 */
export function readableInputs(r: RecordedResource): Record<string, unknown> {
    if (r.type.startsWith("pulumi:providers:")) {
        return Object.fromEntries(Object.entries(r.inputs).map(([k, v]) => [k, decodeProviderInput(v)]));
    }
    if (/^kubernetes:core\/v1:Secret$/.test(r.type)) {
        const out = { ...r.inputs };
        for (const field of ["data", "stringData"]) {
            const raw = r.rawInputs[field];
            if (out[field] === SECRET_PLACEHOLDER && isObject(raw)) out[field] = Object.fromEntries(Object.keys(raw).map((k) => [k, SECRET_PLACEHOLDER]));
        }
        return out;
    }
    return r.inputs;
}

function decodeProviderInput(value: unknown): unknown {
    if (typeof value !== "string" || !/^\s*([[{]|true$|false$)/.test(value)) return value;
    try {
        return JSON.parse(value) as unknown;
    } catch {
        return value;
    }
}

/** Paths below `prefix` whose string value the mock runtime made up. */
export function mockPaths(value: unknown, mockValues: ReadonlySet<string>, prefix: string): string[] {
    if (typeof value === "string") return mockValues.has(value) ? [prefix] : [];
    if (Array.isArray(value)) return value.flatMap((v, i) => mockPaths(v, mockValues, `${prefix}[${i}]`));
    if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => mockPaths(v, mockValues, /^[A-Za-z_$][\w$]*$/.test(k) ? `${prefix}.${k}` : `${prefix}[${JSON.stringify(k)}]`));
    return [];
}

/** Build the plan of a program run (`render`: what `renderProgram` rendered into it). */
export function buildPlan(run: ProgramRun, render?: RenderReport): Plan {
    const chart = run.resources.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.inputs.chart === "argo-cd");
    return {
        stack: run.stack,
        resources: run.resources.map((r) => {
            const inputs = readableInputs(r);
            const mock = mockPaths(inputs, run.mockValues, "inputs");
            return {
                type: r.type, name: r.name, urn: r.urn, parent: r.parent, inputs, options: r.options,
                ...(mock.length > 0 ? { mockValues: mock } : {}),
                ...(r.renderedFrom !== undefined ? { renderedFrom: r.renderedFrom } : {}),
            };
        }),
        manifests: run.resources.filter(isManifest).map(toManifest),
        argocdValues: chart?.inputs.values as Record<string, unknown> | undefined,
        outputs: run.outputs,
        mockValues: run.mockValues,
        render,
        unrendered: render === undefined ? unrenderedCharts(run) : [],
    };
}

/** Options of one plan. */
export interface PlanOptions {
    readonly stack: string;
    readonly configFile?: string;
    readonly outDir?: string;
    /** Print the program's warnings on stderr (the CLI does; tests read them from the run). */
    readonly printWarnings?: boolean;
    /** Render every chart with real Helm (`--render`); `chartsDir` reads the charts from a directory. */
    readonly render?: { readonly chartsDir?: string };
}

/** Run the program offline and build its plan (nothing written). Throws `UsageError` for a bad stack name or stack file. */
export async function plan(opts: PlanOptions): Promise<Plan> {
    const configFile = checkedStackFile(opts.stack, opts.configFile, USAGE);
    const run = await runProgram({ stack: opts.stack, configFile, printWarnings: opts.printWarnings });
    if (opts.render === undefined) return buildPlan(run);
    const rendered = await renderRun(run, { stack: opts.stack, configFile }, opts.render.chartsDir);
    return buildPlan(rendered.run, rendered.report);
}

/** How many strings in `value` the mock runtime made up (each is marked `# mock` in the YAML). */
export function mockScalars(value: unknown, mockValues: ReadonlySet<string>): number {
    if (typeof value === "string") return mockValues.has(value) ? 1 : 0;
    if (Array.isArray(value)) return value.reduce((n: number, v) => n + mockScalars(v, mockValues), 0);
    if (isObject(value)) return Object.values(value).reduce((n: number, v) => n + mockScalars(v, mockValues), 0);
    return 0;
}

/** Render the charts of a program run with the Helm `findHelm` finds, for the stack's Kubernetes version. */
export async function renderRun(run: ProgramRun, opts: RunOptions, chartsDir: string | undefined): Promise<{ run: ProgramRun; report: RenderReport }> {
    const helm = await findHelm();
    return renderProgram(run, { helm, chartsDir, kubeVersion: kubernetesVersion(run, resolveConfig(opts).config) });
}

/** The lines that say what was rendered, or that the charts' objects were not (never silent). */
export function renderSummary(render: RenderReport | undefined, unrendered: readonly string[]): string[] {
    if (render === undefined) {
        if (unrendered.length === 0) return [];
        return [`Charts not rendered: ${unrendered.join(", ")}: their objects are not in this plan and were not checked (add --render [--charts-dir <dir>])`];
    }
    const total = render.charts.reduce((n, c) => n + c.objects, 0);
    return [
        `Rendered ${total} objects from ${render.charts.length} charts with helm ${render.helm.version} (${render.helm.source}), each chart twice with identical output:`,
        ...render.charts.map((c) => `  ${c.chart} ${c.version}: ${c.objects} objects${c.apiVersions.length > 0 ? ` (API versions from earlier charts: ${c.apiVersions.length})` : ""}`),
    ];
}

/** YAML of `value` with every string the mock runtime made up marked `# mock`. */
export function yamlWithMockMarks(value: unknown, mockValues: ReadonlySet<string>): string {
    const doc = new YAML.Document(value);
    YAML.visit(doc, {
        Scalar(_key, node) {
            if (typeof node.value === "string" && mockValues.has(node.value)) node.comment = " mock: made up by the offline runtime";
        },
    });
    return doc.toString({ lineWidth: 0 });
}

/** The directory a plan is written to: `--out`, else `plan/<stack>/`; refuses an `--out` that is not a directory. */
export function planDirectory(stack: string, out: string | undefined): string {
    if (out === undefined) return path.join(ROOT, "plan", stack);
    const dir = userPath(out);
    if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
        throw new UsageError(`--out ${out} exists and is not a directory; name a directory (it is created when missing)`);
    }
    return dir;
}

/** Write the three plan files into `dir`; a directory or file that cannot be written is a `UsageError` naming it. */
export function writePlan(p: Plan, dir: string): string[] {
    const fix = "pass --out <dir> naming a directory you can write to";
    makeDirectory(dir, "the plan directory", fix);
    const files = {
        "resources.json": `${JSON.stringify(p.resources, null, 2)}\n`,
        "manifests.yaml": p.manifests.map((m) => yamlWithMockMarks(m, p.mockValues)).join("---\n"),
        "argocd-values.yaml": yamlWithMockMarks(p.argocdValues ?? {}, p.mockValues),
    };
    return Object.entries(files).map(([name, text]) => {
        const file = path.join(dir, name);
        writeTextFile(file, text, fix);
        return file;
    });
}

/** Counts by type and the parent/child tree, as printed after a plan. */
export function summarize(p: Plan): string {
    const counts = new Map<string, number>();
    for (const r of p.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    const mocked = p.resources.reduce((n, r) => n + (r.mockValues?.length ?? 0), 0);
    const lines = [`Plan for stack "${p.stack}": ${p.resources.length} resources, ${p.manifests.length} Kubernetes objects`, ...renderSummary(p.render, p.unrendered)];
    if (mocked > 0) {
        const inYaml = mockScalars(p.manifests, p.mockValues) + mockScalars(p.argocdValues ?? {}, p.mockValues);
        const where = inYaml > 0 ? `; the ${inYaml} in manifests.yaml and argocd-values.yaml are marked "# mock"` : " (none is in manifests.yaml or argocd-values.yaml)";
        lines.push(`${mocked} input value(s) are made up by the offline runtime (ids, ARNs in account 123456789012, endpoints): listed in mockValues of resources.json${where}`);
    }
    lines.push("", "Resources by type:");
    const width = Math.max(...[...counts.keys()].map((t) => t.length), 4);
    for (const [type, n] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) lines.push(`  ${type.padEnd(width)}  ${n}`);
    lines.push("", "Resource tree:");
    const children = new Map<string | undefined, PlannedResource[]>();
    const urns = new Set(p.resources.map((r) => r.urn));
    for (const r of p.resources) {
        const parent = (r.parent !== undefined && urns.has(r.parent)) ? r.parent : undefined;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const walk = (parent: string | undefined, indent: string) => {
        for (const r of children.get(parent) ?? []) {
            const flags = [r.options.protect ? "protect" : "", r.options.retainOnDelete ? "retain" : ""].filter(Boolean);
            lines.push(`${indent}${r.name} (${r.type})${flags.length ? ` [${flags.join(", ")}]` : ""}`);
            walk(r.urn, `${indent}  `);
        }
    };
    walk(undefined, "  ");
    return lines.join("\n");
}

async function main(): Promise<number> {
    const { values } = parseCli(
        process.argv.slice(2),
        { stack: { type: "string" }, "config-file": { type: "string" }, out: { type: "string" }, render: { type: "boolean" }, "charts-dir": { type: "string" } },
        USAGE,
        false,
        HELP,
    );
    const stack = values.stack ?? "";
    // Check every argument before the program runs, so nothing is written for a mistake.
    const file = checkedStackFile(stack, values["config-file"], USAGE);
    const dir = planDirectory(stack, values.out);
    const p = await plan({ stack, configFile: values["config-file"], render: renderOption(values.render, values["charts-dir"], USAGE), printWarnings: true });
    const files = writePlan(p, dir);
    process.stdout.write(`${summarize(p)}\n\n${formatBootstrapOrder(bootstrapOrder(p.resources))}\n\nWrote:\n${files.map((f) => `  ${shown(f)}`).join("\n")}\n`);
    // Values that cannot work on a real account (issue 10): example values, a version past EKS standard support.
    const warnings = [...exampleValueWarnings(readStackFile(file)), ...eksSupportWarnings(p.resources)];
    if (warnings.length > 0) process.stdout.write(`\nWarnings:\n${warnings.map((w) => `  warning: ${w}`).join("\n")}\n`);
    return 0;
}

if (require.main === module) runMain(main);
