/**
 * `npm run plan:diff -- --stack <name> [--base <git-ref>] [--format text|markdown]`
 * `npm run plan:diff -- --stacks <a>,<b> [--format text|markdown]`
 *
 * What a change does to a stack, offline and without credentials: plans the working tree and the
 * base (default: the merge base of HEAD with the current branch's upstream, `origin/main` on `main`;
 * see `resolveBase`) with each side's own `npm run plan`, then
 * prints the stack configuration that changed, the resources added, removed, replaced and changed
 * (each changed input by path), the argo-cd chart values by path, and `manifests.yaml` as a unified
 * diff. `--stacks a,b` compares two stacks of the working tree instead ("what differs in b").
 * Secrets stay `[secret]` on both sides. Exit 0 when nothing changes, 1 when something does, 2 on
 * error (a bad ref, a plan that fails), like `git diff --exit-code`.
 *
 * The base is extracted with `git archive` into a temporary directory and planned there with the
 * working tree's node_modules (a change of dependencies is therefore not part of the comparison),
 * except the workspace packages (facts/), which are the base's own.
 */
// First: answers --help/-h before the imports below load the SDKs (tools/help-first.ts).
import "./help-first";
import { ChildProcess, spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createTwoFilesPatch } from "diff";
import * as YAML from "yaml";
import { parseCli, renderOption, ROOT, runMain, UsageError } from "./cli";
import { describeRule, isComponentType, KubernetesProviderSettings, rulesFor, touches } from "./replacements";
import { TOOLS } from "./usage";

const USAGE = TOOLS["plan-diff"].usage;
const HELP = TOOLS["plan-diff"].help;

/** How secrets appear on both sides (the plan's own placeholder). */
export const SECRET = "[secret]";
/** The other redaction marker plan:diff prints bare (a secure config value whose ciphertext changed); every other value is printed as JSON. */
const CIPHERTEXT_CHANGED = `${SECRET} (ciphertext changed)`;

/** What a replacement of a protected resource does to `pulumi up`. */
export const BLOCKED = "replace blocked by protect: pulumi up fails until protect is removed (docs/operations.md)";

/** Helm chart resources (the argo-cd chart's values get a section of their own). */
const CHART_TYPE = "kubernetes:helm.sh/v4:Chart";

/** One entry of a plan's `resources.json` (the fields the diff reads). */
export interface PlannedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly inputs: Record<string, unknown>;
    readonly options: Record<string, unknown>;
    /** Input paths (`inputs.vpcId`) whose values the offline runtime made up: ids, ARNs of other resources. */
    readonly mockValues?: readonly string[];
}

/** One side of a comparison: what its plan wrote, and its stack configuration. */
export interface PlanSide {
    /** Shown in headers: `base 1a2b3c4`, `working tree`, `staging`. */
    readonly label: string;
    /** Undefined when the side has no stack file for the stack (everything is added or removed). */
    readonly plan?: {
        readonly resources: readonly PlannedResource[];
        readonly manifests: string;
        readonly argocdValues: unknown;
        /** The stack's configuration, project keys without their namespace, secrets as `[secret]`. */
        readonly config: Record<string, unknown>;
        /** A SHA-256 of each secure value's ciphertext, compared only to say that it changed, never printed. */
        readonly secureDigests: Readonly<Record<string, string>>;
    };
}

/** A value that differs at a path. `before`/`after` are absent when the path was added/removed. */
export interface Change {
    readonly path: string;
    readonly kind: "added" | "removed" | "changed";
    readonly before?: unknown;
    readonly after?: unknown;
}

/** A resource present on both sides whose inputs or options differ. */
export interface ResourceChange {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** Why the resource would be replaced rather than updated, when the offline plan can tell. */
    readonly replaced?: string;
    /** The replacement is of a `protect`ed resource (or a child that inherits it): `pulumi up` fails. */
    readonly blocked?: boolean;
    /** `replacement unknown for <type>`: the replacement table (tools/replacements.ts) lacks the type. */
    readonly unknown?: string;
    /** Not changed itself: updated because a resource it depends on is replaced. */
    readonly affectedBy?: string;
    readonly changes: readonly Change[];
    /** The argo-cd chart: how many of its values changed (listed under "argo-cd chart values"), when any did. */
    readonly valuesChanged?: number;
}

/** Everything that differs between two sides. */
export interface PlanDiff {
    readonly base: string;
    readonly head: string;
    readonly config: readonly Change[];
    readonly added: readonly PlannedResource[];
    readonly removed: readonly PlannedResource[];
    readonly changed: readonly ResourceChange[];
    readonly chartValues: readonly Change[];
    /** Unified diff of manifests.yaml; empty when equal. */
    readonly manifests: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A path segment: `.key` for identifiers, `["key"]` otherwise. */
function keySegment(key: string): string {
    return /^[A-Za-z_$][\w$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function join(prefix: string, segment: string): string {
    const joined = `${prefix}${segment}`;
    return joined.startsWith(".") ? joined.slice(1) : joined;
}

/** The `name` of each item when every item of both lists is an object with a distinct string name. */
function namesOf(a: readonly unknown[], b: readonly unknown[]): boolean {
    for (const list of [a, b]) {
        const names = list.map((x) => ((isRecord(x) && typeof x.name === "string") ? x.name : undefined));
        if (names.includes(undefined) || new Set(names).size !== names.length) return false;
    }
    return a.length + b.length > 0;
}

/**
 * Every path at which `after` differs from `before`, depth first. Lists whose items all have a
 * distinct `name` (containers, applications, node groups) are matched by name (`applications[name=x]`),
 * other lists by position.
 */
export function valueChanges(before: unknown, after: unknown, prefix = ""): Change[] {
    if (isRecord(before) && isRecord(after)) {
        const out: Change[] = [];
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
        for (const k of keys) {
            const p = join(prefix, keySegment(k));
            if (!(k in after)) out.push({ path: p, kind: "removed", before: before[k] });
            else if (!(k in before)) out.push({ path: p, kind: "added", after: after[k] });
            else out.push(...valueChanges(before[k], after[k], p));
        }
        return out;
    }
    if (Array.isArray(before) && Array.isArray(after)) {
        if (namesOf(before, after)) {
            const byName = (list: unknown[]) => new Map(list.map((x) => [(x as { name: string }).name, x]));
            const a = byName(before);
            const b = byName(after);
            const out: Change[] = [];
            for (const [n, x] of a) {
                const p = `${prefix}[name=${n}]`;
                out.push(...(b.has(n) ? valueChanges(x, b.get(n), p) : [{ path: p, kind: "removed" as const, before: x }]));
            }
            for (const [n, x] of b) if (!a.has(n)) out.push({ path: `${prefix}[name=${n}]`, kind: "added", after: x });
            return out;
        }
        const out: Change[] = [];
        for (let i = 0; i < Math.max(before.length, after.length); i++) {
            const p = `${prefix}[${i}]`;
            if (i >= after.length) out.push({ path: p, kind: "removed", before: before[i] });
            else if (i >= before.length) out.push({ path: p, kind: "added", after: after[i] });
            else out.push(...valueChanges(before[i], after[i], p));
        }
        return out;
    }
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: prefix, kind: "changed", before, after }];
}

/** The argo-cd chart: its `values` are reported as chart values, not as resource inputs. */
function isArgoCdChart(r: PlannedResource): boolean {
    return r.type === CHART_TYPE && r.inputs.chart === "argo-cd";
}

/** What `replacementReason` needs beyond the changes: the new inputs and the provider's settings. */
export interface ReplacementContext {
    readonly inputs?: Record<string, unknown>;
    readonly provider?: KubernetesProviderSettings;
}

/**
 * Why a changed resource is replaced rather than updated: a change at, below or above an input the
 * replacement table (tools/replacements.ts) lists as forcing a new resource, named with its source,
 * or a move to another provider. Undefined when the changes update in place, or when the table does
 * not know the type (`replacementUnknown` says so).
 */
export function replacementReason(changes: readonly Change[], type: string, context: ReplacementContext = {}): string | undefined {
    if (changes.some((c) => c.path === "options.provider")) return "provider changed";
    const entry = rulesFor(type, context.inputs, context.provider);
    if (entry === undefined) return undefined;
    const inputChanges = changes.filter((c) => c.path !== "options" && !c.path.startsWith("options."));
    for (const rule of entry.forceNew) {
        if (rule.unlessTrue !== undefined && context.inputs?.[rule.unlessTrue] === true) continue;
        const hit = inputChanges.find((c) => touches(rule.path, c.path) && (rule.only === undefined || c.kind === rule.only));
        if (hit !== undefined) return describeRule(hit.path, rule, entry);
    }
    return undefined;
}

/** `replacement unknown for <type>` when the replacement table lacks the type, else undefined. */
export function replacementUnknown(type: string): string | undefined {
    return rulesFor(type) === undefined ? `replacement unknown for ${type}` : undefined;
}

/** The printed reason names the rule's child when it keeps the outputs dependents read (an access entry). */
function keepsOutputs(reason: string): boolean {
    return /forces a new (aws:eks\/access|aws:ec2\/securityGroup)/.test(reason);
}

/** Whether a made-up value is the mock id of the resource `name` or an ARN ending in its name (tools/mocks.ts). */
function madeUpFor(value: string, name: string): boolean {
    return value === `${name}-id` || value.endsWith(`/${name}`) || value.includes(`/${name}/`);
}

/** The URN of a provider reference `urn::id`. */
function providerUrn(ref: unknown): string | undefined {
    return typeof ref === "string" ? ref.slice(0, ref.lastIndexOf("::")) : undefined;
}

/** Every string leaf of a value, with its `plan:diff` path and its `resources.json` mockValues path. */
function leaves(v: unknown, diffPath: string, planPath: string, out: { path: string; plan: string; value: string }[] = []): typeof out {
    if (typeof v === "string") out.push({ path: diffPath, plan: planPath, value: v });
    else if (Array.isArray(v)) v.forEach((x, i) => leaves(x, `${diffPath}[${i}]`, `${planPath}[${i}]`, out));
    else if (isRecord(v)) {
        for (const [k, x] of Object.entries(v)) leaves(x, join(diffPath, keySegment(k)), /^[A-Za-z_$][\w$]*$/.test(k) ? `${planPath}.${k}` : `${planPath}[${JSON.stringify(k)}]`, out);
    }
    return out;
}

/**
 * What replaced resources take with them: every resource that depends on a replaced one
 * (`options.dependsOn`, its provider) gets the new resource's outputs. An input fed by a replaced
 * resource (a made-up id or ARN naming it, a reference to it, a secret computed from it) is unknown
 * until the new one exists; on a path that forces a new resource (or that the provider replaces on
 * when unknown, a kubeconfig) the dependent is replaced too, else it is updated. A provider's
 * resources are all replaced with it. Followed until nothing more is replaced.
 */
export function withDependents(resources: readonly PlannedResource[], changed: readonly ResourceChange[]): ResourceChange[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const out = new Map(changed.map((c) => [c.urn, c]));
    const queue = changed.filter((c) => c.replaced !== undefined && !keepsOutputs(c.replaced)).map((c) => c.urn);
    for (let urn = queue.shift(); urn !== undefined; urn = queue.shift()) {
        const gone = byUrn.get(urn);
        if (gone === undefined) continue;
        const what = `${gone.type} ${gone.name}`;
        for (const d of resources) {
            const dependsOn = (d.options.dependsOn as string[] | undefined) ?? [];
            const viaProvider = providerUrn(d.options.provider) === urn;
            if (!viaProvider && !dependsOn.includes(urn)) continue;
            const before = out.get(d.urn);
            if (before?.replaced !== undefined) continue;
            let replaced: string | undefined;
            let updated: string | undefined;
            if (viaProvider) replaced = `its provider ${gone.name} is replaced`;
            else if (isComponentType(d.type)) continue; // a component is never replaced; its children are followed
            else {
                const entry = rulesFor(d.type, d.inputs, kubernetesSettings(resources, d));
                const mocks = new Set(d.mockValues ?? []);
                const fed = leaves(d.inputs, "", "inputs").filter((l) => l.value === urn || (mocks.has(l.plan) && madeUpFor(l.value, gone.name)));
                const forceNew = entry?.forceNew.filter((r) => r.only === undefined && !(r.unlessTrue !== undefined && d.inputs[r.unlessTrue] === true)).map((r) => r.path) ?? [];
                const hit = fed.find((l) => forceNew.some((p) => touches(p, l.path)))?.path ?? entry?.replacedWhenUnknown?.find((u) => u.from === gone.type && u.path in d.inputs)?.path;
                if (hit !== undefined) replaced = `${hit} comes from replaced ${what}`;
                else if (fed.length > 0) updated = `updated: ${fed[0].path} comes from replaced ${what}`;
            }
            const base = before ?? { type: d.type, name: d.name, urn: d.urn, changes: [] };
            if (replaced !== undefined) {
                out.set(d.urn, { ...base, replaced, blocked: d.options.protect === true, affectedBy: undefined, unknown: undefined });
                queue.push(d.urn);
            } else if (before === undefined || (updated !== undefined && before.affectedBy !== undefined && !before.affectedBy.startsWith("updated"))) {
                out.set(d.urn, { ...base, affectedBy: updated ?? `depends on replaced ${what}`, unknown: replacementUnknown(d.type) });
            }
        }
    }
    // Resources in the order they were registered.
    const order = new Map(resources.map((r, i) => [r.urn, i]));
    return [...out.values()].sort((a, b) => (order.get(a.urn) ?? 0) - (order.get(b.urn) ?? 0));
}

/** The ConfigMap/Secret mutability settings of the Kubernetes provider a resource uses. */
function kubernetesSettings(resources: readonly PlannedResource[], r: PlannedResource): KubernetesProviderSettings {
    const urn = providerUrn(r.options.provider);
    const provider = resources.find((p) => p.urn === urn);
    return { enableConfigMapMutable: provider?.inputs.enableConfigMapMutable === true, enableSecretMutable: provider?.inputs.enableSecretMutable === true };
}

/** Compare two sides. */
export function diffPlans(base: PlanSide, head: PlanSide): PlanDiff {
    const before = base.plan;
    const after = head.plan;
    const config = valueChanges(before?.config ?? {}, after?.config ?? {});
    // A secure value is `[secret]` on both sides; say that its ciphertext changed, show neither.
    for (const [k, digest] of Object.entries(after?.secureDigests ?? {})) {
        const old = before?.secureDigests[k];
        if (old !== undefined && old !== digest) config.push({ path: k, kind: "changed", before: SECRET, after: CIPHERTEXT_CHANGED });
    }
    const baseResources = new Map((before?.resources ?? []).map((r) => [r.urn, r]));
    const headResources = new Map((after?.resources ?? []).map((r) => [r.urn, r]));
    const added = [...headResources.values()].filter((r) => !baseResources.has(r.urn));
    const removed = [...baseResources.values()].filter((r) => !headResources.has(r.urn));
    const changed: ResourceChange[] = [];
    for (const r of headResources.values()) {
        const old = baseResources.get(r.urn);
        if (old === undefined) continue;
        const strip = (x: PlannedResource) => (isArgoCdChart(x) ? { ...x.inputs, values: undefined } : x.inputs);
        const changes = [...valueChanges(strip(old), strip(r)), ...valueChanges(old.options, r.options, "options")];
        if (changes.length === 0) continue;
        const replaced = replacementReason(changes, r.type, { inputs: r.inputs, provider: kubernetesSettings(after?.resources ?? [], r) });
        changed.push({ type: r.type, name: r.name, urn: r.urn, replaced, blocked: replaced !== undefined && r.options.protect === true, unknown: replaced === undefined ? replacementUnknown(r.type) : undefined, changes });
    }
    // The argo-cd chart's values have a section of their own; the chart still counts as changed when only they change.
    const chartValues = valueChanges(before?.argocdValues ?? {}, after?.argocdValues ?? {});
    const chart = [...headResources.values()].find((r) => isArgoCdChart(r) && baseResources.has(r.urn));
    if (chart !== undefined && chartValues.length > 0) {
        const at = changed.findIndex((c) => c.urn === chart.urn);
        if (at >= 0) changed[at] = { ...changed[at], valuesChanged: chartValues.length };
        else changed.push({ type: chart.type, name: chart.name, urn: chart.urn, changes: [], valuesChanged: chartValues.length });
    }
    const manifests =
        (before?.manifests ?? "") === (after?.manifests ?? "")
            ? ""
            : createTwoFilesPatch(`${base.label}/manifests.yaml`, `${head.label}/manifests.yaml`, before?.manifests ?? "", after?.manifests ?? "", undefined, undefined, { context: 3 });
    return {
        base: base.label,
        head: head.label,
        config,
        added,
        removed,
        changed: withDependents(after?.resources ?? [], changed),
        chartValues,
        // Drop the `===` preamble: the `---`/`+++` header names both files.
        manifests: manifests.replace(/^(Index: .*\n)?=+\n/, ""),
    };
}

/** Whether anything differs. */
export function hasChanges(d: PlanDiff): boolean {
    return d.config.length + d.added.length + d.removed.length + d.changed.length + d.chartValues.length > 0 || d.manifests !== "";
}

/**
 * A value as printed after a path: JSON (strings quoted, line breaks escaped), except the redaction
 * markers themselves. A plain string that starts with `[secret]` or holds a line break therefore never
 * passes for a redaction or injects a line that looks like part of the diff.
 */
export function show(v: unknown): string {
    return (v === SECRET || v === CIPHERTEXT_CHANGED) ? v : JSON.stringify(v);
}

function changeLine(c: Change): string {
    switch (c.kind) {
        case "added":
            return `+ ${c.path}: ${show(c.after)}`;
        case "removed":
            return `- ${c.path}: ${show(c.before)}`;
        case "changed":
            return `~ ${c.path}: ${show(c.before)} → ${show(c.after)}`;
        default: {
            const never: never = c.kind;
            return never;
        }
    }
}

/** A code fence longer than any run of backticks in `text`, so content can never close it. */
export function fenceFor(text: string): string {
    const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
    return "`".repeat(Math.max(3, longest + 1));
}

/** Output formats. */
export type Format = "text" | "markdown";

/** One line of totals: configuration changes, resource counts, chart values, manifests lines. */
function summaryOf(d: PlanDiff, counts: string): string {
    const parts = [`${d.config.length} stack configuration change(s)`, `resources ${counts}`, `${d.chartValues.length} argo-cd chart value(s) changed`];
    if (d.manifests !== "") {
        const lines = d.manifests.split("\n");
        const added = lines.filter((l) => l.startsWith("+") && !l.startsWith("+++")).length;
        const removed = lines.filter((l) => l.startsWith("-") && !l.startsWith("---")).length;
        parts.push(`manifests.yaml +${added} −${removed} line(s)`);
    }
    return parts.join("; ");
}

/** The report of one comparison, as printed (text) or posted on a pull request (markdown). */
export function formatDiff(d: PlanDiff, title: string, format: Format): string {
    const md = format === "markdown";
    const heading = (s: string) => (md ? `#### ${s}` : `${s}:`);
    const block = (lines: readonly string[], lang: string) => {
        const body = lines.join("\n");
        return md ? [`${fenceFor(body)}${lang}`, body, fenceFor(body)] : lines.map((l) => `  ${l}`);
    };
    const out: string[] = [md ? `### ${title}` : title, ""];
    if (!hasChanges(d)) {
        out.push(`No changes: ${d.head} plans exactly as ${d.base}.`);
        return out.join("\n");
    }
    const blocked = d.changed.filter((c) => c.blocked).length;
    // Listed but not counted as changed: a dependency-only edge to a replaced resource (ordering, no input from it).
    const onlyAffected = d.changed.filter((c) => c.replaced === undefined && c.changes.length === 0 && c.valuesChanged === undefined && !(c.affectedBy ?? "").startsWith("updated")).length;
    const counts = `${d.added.length} added, ${d.removed.length} removed, ${d.changed.filter((c) => c.replaced).length} replaced, ${d.changed.filter((c) => !c.replaced).length - onlyAffected} changed${onlyAffected > 0 ? `, ${onlyAffected} affected` : ""}${blocked > 0 ? `, ${blocked} replace blocked by protect` : ""}`;
    // Markdown goes into a pull request comment, which keeps only the start of a long report: the counts come first.
    if (md) out.push(`**Summary:** ${summaryOf(d, counts)}`, "");
    if (d.config.length > 0) out.push(heading("Stack configuration"), ...block(d.config.map(changeLine), "diff"), "");
    out.push(heading(`Resources (${counts})`));
    const lines: string[] = [];
    for (const r of d.added) lines.push(`+ ${r.type} ${r.name}`);
    for (const r of d.removed) lines.push(`- ${r.type} ${r.name}`);
    for (const c of d.changed) {
        const why = c.replaced !== undefined ? ` (replaced: ${c.replaced})` : [c.affectedBy, c.unknown].filter((x) => x !== undefined).map((x) => ` (${x})`).join("");
        lines.push(`${c.replaced ? "±" : "~"} ${c.type} ${c.name}${why}`);
        if (c.blocked) lines.push(`    ! ${BLOCKED}`);
        for (const ch of c.changes) lines.push(`    ${changeLine(ch)}`);
        if (c.valuesChanged !== undefined) lines.push(`    ~ values: ${c.valuesChanged} ${c.valuesChanged === 1 ? "path" : "paths"} changed (argo-cd chart values below)`);
    }
    out.push(...(lines.length > 0 ? block(lines, "diff") : [md ? "none" : "  none"]), "");
    if (d.chartValues.length > 0) out.push(heading("argo-cd chart values"), ...block(d.chartValues.map(changeLine), "diff"), "");
    if (d.manifests !== "") out.push(heading("Manifests (manifests.yaml)"), ...(md ? block(d.manifests.trimEnd().split("\n"), "diff") : [d.manifests.trimEnd()]), "");
    return out.join("\n").trimEnd();
}

// ---------------------------------------------------------------------------------------------
// Reading a side: its stack configuration and the files its plan writes.

function isSecure(v: unknown): v is { secure: string } {
    return isRecord(v) && Object.keys(v).length === 1 && typeof v.secure === "string";
}

/** Replace `secure:` values by `[secret]`, collecting a digest of each ciphertext by path. */
function redact(v: unknown, p: string, digests: Record<string, string>): unknown {
    if (isSecure(v)) {
        digests[p] = createHash("sha256").update(v.secure).digest("hex");
        return SECRET;
    }
    if (Array.isArray(v)) return v.map((x, i) => redact(x, `${p}[${i}]`, digests));
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redact(x, join(p, keySegment(k)), digests)]));
    return v;
}

/**
 * The configuration of a stack in a tree: the stack file's `config:` map, project keys without
 * their `<project>:` namespace, `secure:` values as `[secret]`.
 */
export function readStackConfig(root: string, stack: string): { config: Record<string, unknown>; secureDigests: Record<string, string> } {
    const project = (YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string }).name;
    const doc = YAML.parse(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> } | null;
    const config: Record<string, unknown> = {};
    const digests: Record<string, string> = {};
    for (const [k, v] of Object.entries(doc?.config ?? {})) {
        const key = k.startsWith(`${project}:`) ? k.slice(project.length + 1) : k;
        config[key] = redact(v, key, digests);
    }
    return { config, secureDigests: digests };
}

/** A failure of one side, reported with exit code 2. */
function sideError(label: string, what: string): UsageError {
    return new UsageError(`plan:diff: ${label}: ${what}`, 2);
}

/**
 * What a run leaves behind until it is done: its temporary directories (the base's tree, each plan's
 * output) and the plans it started. Removed and stopped on success and failure (`finally`), and on
 * SIGINT/SIGTERM by `cleanUpOnSignals`, which a Ctrl-C would otherwise skip.
 */
const inFlight = { dirs: new Set<string>(), children: new Set<ChildProcess>() };

/** A new temporary directory, removed by `removeTempDir` or on a signal. */
function makeTempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    inFlight.dirs.add(dir);
    return dir;
}

function removeTempDir(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
    inFlight.dirs.delete(dir);
}

/** On SIGINT or SIGTERM: stop the plans in flight (their whole process groups), remove the temporary directories, exit 128 + signal. */
export function cleanUpOnSignals(): void {
    for (const [signal, number] of [["SIGINT", 2], ["SIGTERM", 15]] as const) {
        process.once(signal, () => {
            for (const child of inFlight.children) {
                try {
                    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
                } catch {
                    // already gone
                }
            }
            for (const dir of inFlight.dirs) fs.rmSync(dir, { recursive: true, force: true });
            process.exit(128 + number);
        });
    }
}

/** Run a command, collecting its output; never throws for a non-zero exit. */
function run(command: string, args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        // Its own process group, so a signal handler can stop npm and the plan it started together.
        const child = spawn(command, [...args], { cwd, stdio: ["ignore", "pipe", "pipe"], env: process.env, detached: true });
        inFlight.children.add(child);
        child.on("exit", () => inFlight.children.delete(child));
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (b: Buffer) => out.push(b));
        child.stderr.on("data", (b: Buffer) => err.push(b));
        child.on("error", (e) => resolve({ code: 127, stdout: "", stderr: e.message }));
        child.on("close", (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
    });
}

/** The command that runs `npm run plan` of a tree: its own script, through npm (the user's entry point). */
function npmCommand(): { command: string; args: string[] } {
    // Inside `npm run`, npm_execpath is the npm CLI this process was started by.
    const npm = process.env.npm_execpath;
    if (npm && /\.[cm]?js$/.test(npm)) return { command: process.execPath, args: [npm] };
    return { command: process.platform === "win32" ? "npm.cmd" : "npm", args: [] };
}

/** Charts rendered into both plans (`--render`): their objects are diffed as resources. */
export interface RenderRequest {
    /** Read the charts from `<chartsDir>/<chart>/` instead of pulling them (an absolute path). */
    readonly chartsDir?: string;
}

/**
 * Plan `stack` in the tree at `root` with that tree's `npm run plan`, and read what it wrote. With
 * `render`, the charts' objects are in the plan; a base tree older than `--render` is planned without
 * it, and its label says so.
 */
export async function planSide(root: string, stack: string, label: string, render?: RenderRequest): Promise<PlanSide> {
    if (!fs.existsSync(path.join(root, `Pulumi.${stack}.yaml`))) return { label };
    const out = makeTempDir("plan-diff-out-");
    try {
        const npm = npmCommand();
        const plain = [...npm.args, "run", "--silent", "plan", "--", "--stack", stack, "--out", out];
        const renderArgs = render === undefined ? [] : ["--render", ...(render.chartsDir !== undefined ? ["--charts-dir", render.chartsDir] : [])];
        let result = await run(npm.command, [...plain, ...renderArgs], root);
        if (result.code !== 0 && render !== undefined && /Unknown option '--render'/.test(result.stderr)) {
            result = await run(npm.command, plain, root);
            label = `${label} (not rendered: that tree has no --render)`;
        }
        if (result.code !== 0) throw sideError(label, `npm run plan -- --stack ${stack}${renderArgs.length > 0 ? ` ${renderArgs.join(" ")}` : ""} failed (exit ${result.code}):\n${result.stderr.trim()}`);
        const read = (f: string) => fs.readFileSync(path.join(out, f), "utf8");
        return {
            label,
            plan: {
                // URNs name the stack; without it the same resource has one key in every stack (--stacks).
                resources: JSON.parse(read("resources.json").split(`urn:pulumi:${stack}::`).join("urn:pulumi:<stack>::")) as PlannedResource[],
                manifests: read("manifests.yaml"),
                argocdValues: YAML.parse(read("argocd-values.yaml")) ?? {},
                ...readStackConfig(root, stack),
            },
        };
    } finally {
        removeTempDir(out);
    }
}

function git(args: readonly string[], cwd = ROOT): { ok: boolean; stdout: string; stderr: string } {
    const r = spawnSync("git", [...args], { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    return { ok: r.status === 0, stdout: (r.stdout ?? "").trim(), stderr: (r.stderr ?? r.error?.message ?? "").trim() };
}

/**
 * The commit to compare with: `ref`, or the merge base of HEAD with the upstream of the current
 * branch; on `main` (or a detached HEAD) that is `origin/main`, never `main` itself, whose merge base
 * with HEAD is HEAD ("No changes" after every local commit). A branch without an upstream falls back
 * to `main`, then `origin/main`. The label names the base and why it was chosen.
 */
export function resolveBase(ref: string | undefined, cwd: string = ROOT): { sha: string; label: string } {
    if (ref !== undefined) {
        if (ref.startsWith("-")) throw new UsageError(`plan:diff: --base (${ref}) must be a git ref, not an option`, 2);
        const r = git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], cwd);
        if (!r.ok) throw new UsageError(`plan:diff: --base ${ref} is not a commit in this repository`, 2);
        return { sha: r.stdout, label: `base ${ref} (${r.stdout.slice(0, 7)})` };
    }
    const branchRef = git(["symbolic-ref", "--quiet", "--short", "HEAD"], cwd);
    const branch = branchRef.ok ? branchRef.stdout : undefined;
    const upstreamRef = branch === undefined ? undefined : git(["rev-parse", "--abbrev-ref", "--symbolic-full-name", `${branch}@{upstream}`], cwd);
    const upstream = upstreamRef?.ok ? upstreamRef.stdout : undefined;
    const exists = (r: string) => git(["rev-parse", "--verify", "--quiet", `${r}^{commit}`], cwd).ok;
    const candidates: { ref: string; why: string }[] = [];
    if (upstream !== undefined && upstream !== branch) candidates.push({ ref: upstream, why: upstream === "origin/main" ? "" : `, the upstream of ${branch}` });
    if (branch !== "main" && branch !== undefined) candidates.push({ ref: "main", why: "" });
    candidates.push({ ref: "origin/main", why: "" });
    for (const candidate of candidates) {
        if (!exists(candidate.ref)) continue;
        const r = git(["merge-base", "HEAD", candidate.ref], cwd);
        if (!r.ok) throw new UsageError(`plan:diff: HEAD and ${candidate.ref} have no merge base; name one with --base <git-ref>`, 2);
        return { sha: r.stdout, label: `base ${r.stdout.slice(0, 7)} (merge base with ${candidate.ref}${candidate.why})` };
    }
    if (branch === "main") throw new UsageError("plan:diff: on main without origin/main there is no base to compare with (main itself is HEAD); name one with --base <git-ref>", 2);
    throw new UsageError("plan:diff: neither main nor origin/main exists; name the base with --base <git-ref>", 2);
}

/** Extract `sha` into a temporary directory that shares this tree's node_modules. */
export function materialise(sha: string): string {
    const dir = makeTempDir("plan-diff-base-");
    const tar = path.join(dir, ".base.tar");
    const archive = git(["archive", "--format=tar", "-o", tar, sha]);
    if (!archive.ok) {
        removeTempDir(dir);
        throw new UsageError(`plan:diff: git archive ${sha} failed: ${archive.stderr}`, 2);
    }
    const untar = spawnSync("tar", ["-xf", tar, "-C", dir], { encoding: "utf8" });
    fs.rmSync(tar, { force: true });
    if (untar.status !== 0) {
        removeTempDir(dir);
        throw new UsageError(`plan:diff: extracting ${sha} failed: ${untar.stderr || untar.error?.message}`, 2);
    }
    linkModules(dir);
    const policyModules = path.join(ROOT, "policy", "node_modules");
    const target = path.join(dir, "policy", "node_modules");
    if (fs.existsSync(policyModules) && fs.existsSync(path.dirname(target)) && !fs.existsSync(target)) fs.symlinkSync(policyModules, target, "dir");
    return dir;
}

/** The npm workspaces of the tree in `dir` (package name to its directory there), read from its own package.json files. */
function workspacesOf(dir: string): Map<string, string> {
    const out = new Map<string, string>();
    const read = (file: string): Record<string, unknown> | undefined => {
        try {
            return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
        } catch {
            return undefined;
        }
    };
    const workspaces = read(path.join(dir, "package.json"))?.workspaces;
    for (const w of Array.isArray(workspaces) ? workspaces : []) {
        const name = read(path.join(dir, String(w), "package.json"))?.name;
        if (typeof name === "string") out.set(name, path.join(dir, String(w)));
    }
    return out;
}

/**
 * `dir/node_modules`: every package of this tree's node_modules, linked, except the workspace
 * packages (`@footanalytics/facts`), which link to the base's own directories, so the base is planned
 * with its own facts (a chart pin or label change is part of the comparison).
 */
function linkModules(dir: string): void {
    const source = path.join(ROOT, "node_modules");
    const target = path.join(dir, "node_modules");
    if (!fs.existsSync(source) || fs.existsSync(target)) return;
    const workspaces = workspacesOf(dir);
    const scopes = new Set([...workspaces.keys()].filter((n) => n.startsWith("@")).map((n) => n.split("/")[0]));
    fs.mkdirSync(target);
    for (const entry of fs.readdirSync(source)) {
        if (workspaces.has(entry)) continue;
        if (!scopes.has(entry)) {
            fs.symlinkSync(path.join(source, entry), path.join(target, entry));
            continue;
        }
        fs.mkdirSync(path.join(target, entry));
        for (const pkg of fs.readdirSync(path.join(source, entry))) {
            if (!workspaces.has(`${entry}/${pkg}`)) fs.symlinkSync(path.join(source, entry, pkg), path.join(target, entry, pkg));
        }
    }
    for (const [name, wsDir] of workspaces) {
        fs.mkdirSync(path.dirname(path.join(target, name)), { recursive: true });
        fs.symlinkSync(wsDir, path.join(target, name), "dir");
    }
}

/** What one invocation compares. */
type Comparison = ({ readonly kind: "base"; readonly stack: string; readonly ref?: string } | { readonly kind: "stacks"; readonly from: string; readonly to: string }) & { readonly render?: RenderRequest };

/** Parse the command line. */
export function parseArgs(argv: readonly string[]): { comparison: Comparison; format: Format } {
    const { values } = parseCli(
        argv,
        { stack: { type: "string" }, base: { type: "string" }, stacks: { type: "string" }, format: { type: "string", default: "text" }, render: { type: "boolean" }, "charts-dir": { type: "string" } },
        USAGE,
        false,
        HELP,
    );
    const format = values.format;
    // As plan and policy:check read them (tools/cli.ts): the directory is checked before anything runs.
    const option = renderOption(values.render, values["charts-dir"], USAGE);
    const render = option === undefined ? {} : { render: { ...(option.chartsDir !== undefined ? { chartsDir: option.chartsDir } : {}) } };
    if (format !== "text" && format !== "markdown") throw new UsageError(`--format (${format}) must be one of: text, markdown\nusage: ${USAGE}`, 2);
    if (values.stacks !== undefined) {
        if (values.stack !== undefined || values.base !== undefined) throw new UsageError(`--stacks compares two stacks of the working tree; it takes neither --stack nor --base\nusage: ${USAGE}`, 2);
        const names = values.stacks.split(",").map((s) => s.trim());
        if (names.length !== 2 || names.some((s) => s === "")) throw new UsageError(`--stacks (${values.stacks}) must name two stacks, such as staging,production\nusage: ${USAGE}`, 2);
        return { comparison: { kind: "stacks", from: names[0], to: names[1], ...render }, format };
    }
    if (!values.stack) throw new UsageError(`--stack or --stacks is required\nusage: ${USAGE}`, 2);
    return { comparison: { kind: "base", stack: values.stack, ref: values.base, ...render }, format };
}

/** Run one comparison; the report and whether anything differs. */
export async function compare(comparison: Comparison, format: Format): Promise<{ report: string; changed: boolean }> {
    if (comparison.kind === "stacks") {
        for (const s of [comparison.from, comparison.to]) {
            if (!fs.existsSync(path.join(ROOT, `Pulumi.${s}.yaml`))) throw new UsageError(`plan:diff: there is no stack file Pulumi.${s}.yaml`, 2);
        }
        const [a, b] = await Promise.all([planSide(ROOT, comparison.from, comparison.from, comparison.render), planSide(ROOT, comparison.to, comparison.to, comparison.render)]);
        const d = diffPlans(a, b);
        return { report: formatDiff(d, `plan:diff ${comparison.from} → ${comparison.to} (working tree)`, format), changed: hasChanges(d) };
    }
    const { stack } = comparison;
    if (!fs.existsSync(path.join(ROOT, `Pulumi.${stack}.yaml`))) throw new UsageError(`plan:diff: there is no stack file Pulumi.${stack}.yaml in the working tree`, 2);
    const base = resolveBase(comparison.ref);
    const dir = materialise(base.sha);
    try {
        // Both plans at once: each is one Node process, and the machine has cores to spare.
        const [before, after] = await Promise.all([planSide(dir, stack, base.label, comparison.render), planSide(ROOT, stack, "working tree", comparison.render)]);
        const d = diffPlans(before, after);
        const note = before.plan === undefined ? ` (the base has no Pulumi.${stack}.yaml)` : "";
        return { report: formatDiff(d, `plan:diff ${stack}: ${base.label} → working tree${note}`, format), changed: hasChanges(d) };
    } finally {
        removeTempDir(dir);
    }
}

async function main(): Promise<number> {
    const { comparison, format } = parseArgs(process.argv.slice(2));
    cleanUpOnSignals();
    try {
        const { report, changed } = await compare(comparison, format);
        process.stdout.write(`${report}\n`);
        return changed ? 1 : 0;
    } catch (err) {
        if (err instanceof UsageError) throw err;
        // Exit 1 means "changes": anything unexpected is an error (2), with its stack trace.
        process.stderr.write(`plan:diff: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        return 2;
    }
}

if (require.main === module) runMain(main);
