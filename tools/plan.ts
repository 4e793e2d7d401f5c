/**
 * `npm run plan -- --stack <name> [--config-file <path>] [--out <dir>]`: the credential-free plan.
 *
 * Runs the real program under the mock runtime and writes, to `plan/<stack>/` by default:
 * - `resources.json`: every registered resource with its inputs and options,
 * - `manifests.yaml`: every Kubernetes object the program creates directly,
 * - `argocd-values.yaml`: the values given to the argo-cd chart.
 * Secrets appear only as `[secret]`. Invalid configuration: exit 1, the message on stderr, nothing written.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { ProgramRun, readStackFile, RecordedResource, ROOT, runProgram, stackFile } from "./harness";
import { parseCli, runMain, UsageError } from "./cli";
import { bootstrapOrder, eksSupportWarnings, exampleValueWarnings, formatBootstrapOrder } from "./plan-checks";

const USAGE = "npm run plan -- --stack <name> [--config-file <path>] [--out <dir>]";

/** One entry of `resources.json`. */
export interface PlannedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly parent?: string;
    readonly inputs: Record<string, unknown>;
    readonly options: RecordedResource["options"];
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
}

const NOT_MANIFESTS = new Set(["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Release", "kubernetes:yaml/v2:ConfigGroup", "kubernetes:yaml/v2:ConfigFile"]);

/** Whether a recorded resource is a Kubernetes object the program creates directly. */
export function isManifest(r: RecordedResource): boolean {
    return r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:") && !NOT_MANIFESTS.has(r.type);
}

/** The Kubernetes object of a recorded resource, with apiVersion and kind first. */
export function toManifest(r: RecordedResource): Record<string, unknown> {
    const { apiVersion, kind, metadata, ...rest } = r.inputs as Record<string, unknown>;
    return { apiVersion, kind, metadata, ...rest };
}

/** Build the plan of a program run. */
export function buildPlan(run: ProgramRun): Plan {
    const chart = run.resources.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.inputs.chart === "argo-cd");
    return {
        stack: run.stack,
        resources: run.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, parent: r.parent, inputs: r.inputs, options: r.options })),
        manifests: run.resources.filter(isManifest).map(toManifest),
        argocdValues: chart?.inputs.values as Record<string, unknown> | undefined,
        outputs: run.outputs,
    };
}

/** Options of one plan. */
export interface PlanOptions {
    readonly stack: string;
    readonly configFile?: string;
    readonly outDir?: string;
}

/** Run the program offline and build its plan (nothing written). */
export async function plan(opts: PlanOptions): Promise<Plan> {
    const configFile = opts.configFile ?? stackFile(opts.stack);
    if (!fs.existsSync(configFile)) {
        throw new UsageError(
            opts.configFile
                ? `--config-file ${opts.configFile} does not exist`
                : `there is no stack file ${path.relative(process.cwd(), configFile) || configFile} for stack "${opts.stack}"; expected one of: ${listStacks().join(", ")}`,
        );
    }
    try {
        readStackFile(configFile);
    } catch (err) {
        throw new UsageError(`${path.relative(process.cwd(), configFile) || configFile} is not a readable Pulumi stack file: ${(err as Error).message.split("\n")[0]}`);
    }
    return buildPlan(await runProgram({ stack: opts.stack, configFile }));
}

/** Stacks that have a `Pulumi.<stack>.yaml` file. */
export function listStacks(): string[] {
    return fs
        .readdirSync(ROOT)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** Write the three plan files into `dir`. */
export function writePlan(p: Plan, dir: string): string[] {
    fs.mkdirSync(dir, { recursive: true });
    const files = {
        "resources.json": `${JSON.stringify(p.resources, null, 2)}\n`,
        "manifests.yaml": p.manifests.map((m) => YAML.stringify(m, { lineWidth: 0 })).join("---\n"),
        "argocd-values.yaml": YAML.stringify(p.argocdValues ?? {}, { lineWidth: 0 }),
    };
    return Object.entries(files).map(([name, text]) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, text);
        return file;
    });
}

/** Counts by type and the parent/child tree, as printed after a plan. */
export function summarize(p: Plan): string {
    const counts = new Map<string, number>();
    for (const r of p.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    const lines = [`Plan for stack "${p.stack}": ${p.resources.length} resources, ${p.manifests.length} Kubernetes objects`, "", "Resources by type:"];
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
    const { values } = parseCli(process.argv.slice(2), { stack: { type: "string" }, "config-file": { type: "string" }, out: { type: "string" } }, USAGE);
    if (!values.stack) throw new UsageError(`--stack is required\nusage: ${USAGE}`, 2);
    const p = await plan({ stack: values.stack, configFile: values["config-file"] });
    const dir = path.resolve(values.out ?? path.join(ROOT, "plan", values.stack));
    const files = writePlan(p, dir);
    process.stdout.write(`${summarize(p)}\n\n${formatBootstrapOrder(bootstrapOrder(p.resources))}\n\nWrote:\n${files.map((f) => `  ${path.relative(process.cwd(), f)}`).join("\n")}\n`);
    // Values that cannot work on a real account (issue 10): example values, a version past EKS standard support.
    const warnings = [...exampleValueWarnings(readStackFile(values["config-file"] ?? stackFile(values.stack))), ...eksSupportWarnings(p.resources)];
    if (warnings.length > 0) process.stdout.write(`\nWarnings:\n${warnings.map((w) => `  warning: ${w}`).join("\n")}\n`);
    return 0;
}

if (require.main === module) runMain(main);
