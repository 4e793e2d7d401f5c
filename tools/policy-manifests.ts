/**
 * `npm run policy:manifests -- [--format text|json] [--config <file.json>] [--allow-empty] [--jobs <n>] <file-or-dir>...`
 *
 * Applies the pack's workload rules (require-requests-limits, require-probes, disallow-latest-tag) and no-plaintext-secrets to
 * rendered Kubernetes manifests: multi-document YAML and JSON files, and directories walked recursively
 * (`.yaml`, `.yml`, `.json`; symbolic links followed, each file and directory checked once). `List` and
 * typed `*List` objects are flattened as kubectl does, nested ones too. `--config` takes the same JSON
 * file as `pulumi preview --policy-pack-config`.
 *
 * Exit codes: 0 clean, 1 any mandatory violation, 2 usage or input error (2 wins over 1). Input errors
 * are named on stderr with the file, the document and the fix, and every other input is still checked:
 * an unreadable path or YAML; a template that was not rendered (`{{`, `{%`); a directory holding a
 * `kustomization.yaml`; a workload without a container list or a name; an input with no workload to
 * check (unless `--allow-empty`).
 *
 * Files are checked by worker threads, one per core, in chunks; results are written in file order as
 * they arrive, so the output and exit code equal a single-threaded run (`--jobs 1`) and memory stays
 * bounded by the chunks in flight, not by the number of findings.
 */
// First: answers --help/-h before the imports below load the SDKs (tools/help-first.ts).
import "./help-first";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import { EMPTY_PACK_CONFIG, PackConfig, PackConfigError, PackConfigReadError, parsePackConfig, readPackConfigJson } from "../policy/lib/config";
import { evaluateSubject, Violation } from "../policy/lib/engine";
import { describeObject, identityOf, manifestName, subjectFromManifest, UNNAMED } from "../policy/lib/kube";
import { at, isRecord, knownName, PlainRecord } from "../policy/lib/values";
import { podSpecProblem, workloadKindOf, workloadTypeProblem } from "../policy/lib/workloads";
import { configurablePolicies, workloadRules } from "../policy/policies";
import { parseCli, relativeNote, runMain, startDirectory, UsageError } from "./cli";
import { TOOLS } from "./usage";

/**
 * js-yaml parses rendered manifests about ten times faster than `yaml` (measured on 1,000 generated
 * workloads: ~55 ms against ~600-900 ms). Typed here to avoid a second types package.
 */
interface JsYaml {
    loadAll(text: string, iterator: undefined, options: { schema: unknown }): unknown[];
    readonly CORE_SCHEMA: { extend(types: { implicit?: unknown[]; explicit?: unknown[] }): unknown };
    readonly types: { readonly merge: unknown };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsYaml = require("js-yaml") as JsYaml;
/**
 * YAML 1.2 core types plus merge keys (`<<: *anchor`), which kubectl's YAML reader accepts. js-yaml's
 * default schema would also turn unquoted dates into Date objects and read `!!binary`, `!!set` and
 * the like; the API server sees those as strings, and skipping them is ~10% of the parse.
 */
// Implicit: `<<` is recognised by its key; `extend([merge])` (a list) added it as an explicit `!!merge`
// tag only, so merge keys stayed literal `<<` fields (false findings, a missed inherited `:latest`).
const MANIFEST_SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [jsYaml.types.merge] });

const USAGE = TOOLS["policy-manifests"].usage;
const HELP = TOOLS["policy-manifests"].help;

/** The name standard input goes by in rows and messages (the input \`-\`, or /dev/stdin). */
export const STDIN = "<stdin>";
const STDIN_INPUTS = new Set(["-", "/dev/stdin"]);
/** Standard input's text once read (the CLI reads it before checking when an input names it). */
let stdinText: string | undefined;
/**
 * Texts of inputs that are pipes, not files (`<(kustomize build overlays/staging)` names /dev/fd/63),
 * read once and whole when the inputs are collected: a pipe cannot be read by position (ESPIPE).
 */
const pipeTexts = new Map<string, string>();

/** Hand the text of standard input to the checks (the CLI reads it; workers get it with their data). */
export function useStdin(text: string | undefined): void {
    stdinText = text;
}

/** Whether an input names standard input. */
export function isStdinInput(input: string): boolean {
    return STDIN_INPUTS.has(input);
}

/** A usage or pack-configuration mistake: printed after `policy:manifests:`, exit code 2, no stack trace. */
export class ManifestUsageError extends UsageError {
    constructor(message: string) {
        super(`policy:manifests: ${message}`, 2);
    }
}

/** An input error (exit 2): the file (or directory), the document when one is to blame, and what to do. */
export interface InputProblem {
    readonly file: string;
    /** 1-based index of the YAML document in the file, when the problem is in one document. */
    readonly document?: number;
    readonly message: string;
}

/** One output row: a violation, the file and the 1-based document it was found in. */
export interface ManifestRow extends Violation {
    readonly file: string;
    readonly document: number;
}

/** What checking one file found. */
export interface FileResult {
    readonly file: string;
    readonly workloads: number;
    readonly rows: readonly ManifestRow[];
    readonly problems: readonly InputProblem[];
}

/** A violation and the file it was found in (the in-process API `checkPaths` returns these). */
export interface LocatedViolation {
    readonly file: string;
    readonly document: number;
    readonly violation: Violation;
}

/** Everything one in-process run found. */
export interface ManifestReport {
    readonly files: number;
    readonly workloads: number;
    readonly violations: readonly LocatedViolation[];
    readonly problems: readonly InputProblem[];
}

/** Totals of a run, as the text summary line and the JSON `summary` object give them. */
export interface ManifestSummary {
    readonly files: number;
    readonly workloads: number;
    readonly violations: { readonly mandatory: number; readonly advisory: number };
    readonly problems: number;
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;
/** The file names `kustomize build` reads a directory from (sigs.k8s.io/kustomize api/konfig `RecognizedKustomizationFileNames`). */
const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
const WORKLOAD_KIND_LIST = "Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob or Pod";
const TEMPLATE_MARKER = /\{\{|\{%/;

function reasonOf(err: unknown): string {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "no such file or directory";
    if (code === "EACCES") return "permission denied";
    if (code === "ELOOP") return "too many levels of symbolic links";
    return err instanceof Error ? err.message.split("\n")[0] : String(err);
}

/** The files to check, the input (index into the command line's inputs) each came from, and the inputs that could not be walked. */
export interface CollectedFiles {
    readonly files: readonly string[];
    readonly inputOf: readonly number[];
    readonly problems: readonly InputProblem[];
    /** Per input: whether it had a problem of its own (then "nothing to check" is not reported as well). */
    readonly inputFailed: readonly boolean[];
    /** Per file: the other inputs that reached it too (checked once, it counts for each of them). */
    readonly alsoReachedBy?: ReadonlyMap<number, readonly number[]>;
}

const byName = (a: fs.Dirent, b: fs.Dirent): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The manifest files named by `inputs`: a file is taken whatever its extension; a directory is walked
 * in name order for `.yaml`, `.yml` and `.json`, following symbolic links. Each real directory is
 * entered once (so a link back to an ancestor cannot loop) and each real file is checked once. A
 * directory with a kustomization is not entered: its files are patches and bases, not what kustomize
 * renders from them.
 */
export function collectFiles(inputs: readonly string[]): CollectedFiles {
    const files: string[] = [];
    const inputOf: number[] = [];
    const problems: InputProblem[] = [];
    const inputFailed = inputs.map(() => false);
    const seenDirectories = new Set<string>();
    // Only links and overlapping inputs can reach one file twice; without them no file is resolved.
    let mayRepeat = inputs.length > 1;
    const fail = (input: number, problem: InputProblem) => {
        problems.push(problem);
        inputFailed[input] = true;
    };
    const walk = (dir: string, input: number) => {
        const real = fs.realpathSync(dir);
        if (seenDirectories.has(real)) return;
        seenDirectories.add(real);
        const entries = fs.readdirSync(dir, { withFileTypes: true }).sort(byName);
        const kustomization = entries.find((e) => KUSTOMIZATION_FILES.includes(e.name));
        if (kustomization !== undefined) {
            fail(input, {
                file: dir,
                message: `holds ${kustomization.name}: its files are bases and patches, not manifests; render it first with \`kustomize build ${dir} > rendered.yaml\` (or \`kubectl kustomize\`) and check rendered.yaml`,
            });
            return;
        }
        // Concatenation, not path.join: its normalisation was most of the walk's garbage on 100k files.
        const prefix = dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`;
        for (const entry of entries) {
            const full = `${prefix}${entry.name}`;
            let isDirectory = entry.isDirectory();
            let isFile = entry.isFile();
            if (entry.isSymbolicLink()) {
                mayRepeat = true;
                try {
                    const target = fs.statSync(full);
                    isDirectory = target.isDirectory();
                    isFile = target.isFile();
                } catch (err) {
                    fail(input, { file: full, message: `is a symbolic link that cannot be followed: ${reasonOf(err)}` });
                    continue;
                }
            }
            if (isDirectory) {
                walk(full, input);
            } else if (isFile && MANIFEST_FILE.test(entry.name)) {
                files.push(full);
                inputOf.push(input);
            }
        }
    };
    inputs.forEach((input, index) => {
        if (isStdinInput(input)) {
            mayRepeat = true;
            files.push(STDIN);
            inputOf.push(index);
            return;
        }
        try {
            const stat = fs.statSync(input);
            if (stat.isDirectory()) {
                walk(input, index);
            } else {
                if (!stat.isFile()) pipeTexts.set(input, fs.readFileSync(input, "utf8"));
                files.push(input);
                inputOf.push(index);
            }
        } catch (err) {
            fail(index, { file: input, message: `cannot read: ${reasonOf(err)}${relativeNote(input)}` });
        }
    });
    if (!mayRepeat) {
        return { files, inputOf, problems, inputFailed };
    }
    const uniqueFirst: number[] = []; // per unique file, its index in `files`
    const seenFiles = new Map<string, number>(); // real path to its index among the unique files
    const alsoReachedBy = new Map<number, number[]>();
    const unique = files.flatMap((file, i) => {
        const real = file === STDIN ? STDIN : fs.realpathSync(file);
        const first = seenFiles.get(real);
        if (first !== undefined) {
            // Checked once, where first reached; another input reaching it is not "nothing to check".
            const others = alsoReachedBy.get(first) ?? [];
            if (inputOf[i] !== inputOf[uniqueFirst[first]] && !others.includes(inputOf[i])) others.push(inputOf[i]);
            alsoReachedBy.set(first, others);
            return [];
        }
        seenFiles.set(real, uniqueFirst.length);
        uniqueFirst.push(i);
        return [i];
    });
    return { files: unique.map((i) => files[i]), inputOf: unique.map((i) => inputOf[i]), problems, inputFailed, alsoReachedBy };
}

/** One object of a file with the 1-based document it came from. */
interface LocatedObject {
    readonly document: number;
    readonly object: unknown;
}

/**
 * Appends `value`, with `List` and `*List` objects replaced by their items, recursively, as kubectl's
 * FlattenListVisitor does (k8s.io/cli-runtime pkg/resource/visitor.go). Items of a typed list that
 * carry no `apiVersion`/`kind` (as the API returns them) get the list's group version and its kind
 * without `List`.
 */
function flattenInto(value: unknown, document: number, into: LocatedObject[]): void {
    if (value === null || value === undefined) return;
    if (isRecord(value) && typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items)) {
        const itemKind = value.kind === "List" ? undefined : value.kind.slice(0, -"List".length);
        for (const item of value.items) {
            const untyped = itemKind !== undefined && isRecord(item) && item.kind === undefined && item.apiVersion === undefined && typeof value.apiVersion === "string";
            const typed = untyped ? { apiVersion: value.apiVersion, kind: itemKind, ...item } : item;
            flattenInto(typed, document, into);
        }
        return;
    }
    into.push({ document, object: value });
}

/** The objects of a multi-document YAML (or JSON) text, Lists flattened; throws on a syntax error. */
export function parseManifests(text: string): unknown[] {
    return parseLocated(text, false).map((o) => o.object);
}

function parseLocated(text: string, json: boolean): LocatedObject[] {
    const located: LocatedObject[] = [];
    const documents = json ? [JSON.parse(text) as unknown] : jsYaml.loadAll(text, undefined, { schema: MANIFEST_SCHEMA });
    documents.forEach((value, index) => flattenInto(value, index + 1, located));
    return located;
}

/**
 * Whether a parsed object is still a template: a marker in a key (`{{ .Values.key }}: x`, `{{- if }}`
 * read as a key) or in `kind`/`apiVersion`. A marker in a value is content: an external-dns
 * `--fqdn-template={{.Name}}` argument, a Vault Agent template annotation, a go-template command.
 */
function hasTemplateStructure(object: unknown): boolean {
    if (isRecord(object) && [object.kind, object.apiVersion].some((v) => typeof v === "string" && TEMPLATE_MARKER.test(v))) return true;
    const inKeys = (value: unknown): boolean => {
        if (Array.isArray(value)) return value.some(inKeys);
        if (isRecord(value)) return Object.entries(value).some(([k, v]) => TEMPLATE_MARKER.test(k) || inKeys(v));
        return false;
    };
    return inKeys(object);
}

/** The 1-based document of a 0-based line: the `---` separators above it, less a leading one. */
function documentOfLine(text: string, line: number): number {
    const lines = text.split("\n").slice(0, line);
    const separators = lines.filter((l) => /^---(\s|$)/.test(l)).length;
    const first = text.split("\n").find((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
    const leading = (first !== undefined && /^---(\s|$)/.test(first)) ? 1 : 0;
    return Math.max(1, separators - leading + 1);
}

/** A YAML error's first line with js-yaml's `(line:column)` spelled out, and the document it is in. */
function yamlError(err: unknown, text: string): { reason: string; document?: number } {
    const first = err instanceof Error ? err.message.split("\n")[0] : String(err);
    const mark = (err as { mark?: { line?: number } }).mark;
    const reason = first.replace(/ \((\d+):(\d+)\)$/, " (line $1, column $2)");
    return typeof mark?.line === "number" ? { reason, document: documentOfLine(text, mark.line) } : { reason };
}

/** `Deployment web/app` for any object, its kind quoted when it is not a plain name. */
function objectLabel(object: PlainRecord): string {
    const plain = typeof object.kind === "string" && /^[A-Za-z][\w.-]*$/.test(object.kind);
    const kind = plain ? (object.kind as string) : JSON.stringify(object.kind ?? "object");
    const namespace = knownName(at(object, ["metadata", "namespace"]));
    return describeObject({ kind, name: manifestName(object), ...(namespace ? { namespace } : {}) });
}

/** One read buffer per thread: most manifests fit, which spares readFileSync's fstat and buffer per file. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** A file's text: one open, read and close for files up to 64 KiB; readFileSync for larger ones. */
function readText(file: string): string {
    if (file === STDIN) return stdinText ?? "";
    const piped = pipeTexts.get(file);
    if (piped !== undefined) return piped;
    const fd = fs.openSync(file, "r");
    try {
        const size = fs.readSync(fd, READ_BUFFER, 0, READ_BUFFER.length, 0);
        if (size < READ_BUFFER.length) return READ_BUFFER.toString("utf8", 0, size);
    } finally {
        fs.closeSync(fd);
    }
    return fs.readFileSync(file, "utf8");
}

const RENDER_FIRST = "render it first (`helm template <release> <chart>`, `kustomize build <dir>`) and check the output";

/**
 * Checks one file. Template markers (`{{`, `{%`) are an input error where they would be judged: in a
 * file that does not parse, or inside a workload. A rendered ConfigMap or PrometheusRule may carry
 * templates for another system (Argo CD notifications, alert annotations); those are left alone.
 */
export function checkFile(file: string, config: PackConfig): FileResult {
    const problems: InputProblem[] = [];
    const rows: ManifestRow[] = [];
    let text: string;
    try {
        text = readText(file);
    } catch (err) {
        return { file, workloads: 0, rows, problems: [{ file, message: `cannot read: ${reasonOf(err)}` }] };
    }
    const mayHoldTemplates = TEMPLATE_MARKER.test(text);
    let objects: LocatedObject[];
    try {
        objects = parseLocated(text, /\.json$/i.test(file));
    } catch (err) {
        const json = /\.json$/i.test(file);
        const { reason, document } = json ? { reason: err instanceof Error ? err.message.split("\n")[0] : String(err), document: undefined } : yamlError(err, text);
        const message = mayHoldTemplates
            ? `holds template markers ({{ or {%) and is not valid YAML (${reason}): it is a template, not a manifest; ${RENDER_FIRST}`
            : json
              ? `is not valid JSON: ${reason}`
              : `is not valid YAML: ${reason}`;
        return { file, workloads: 0, rows, problems: [{ file, ...(document === undefined ? {} : { document }), message }] };
    }
    let workloads = 0;
    for (const { document, object } of objects) {
        // Whether a document is a template is decided by its parse, not by a marker in a value.
        if (mayHoldTemplates && isRecord(object) && hasTemplateStructure(object)) {
            problems.push({ file, document, message: `${objectLabel(object)} holds template markers ({{ or {%) in a key, kind or apiVersion: it is a template, not a manifest; ${RENDER_FIRST}` });
            continue;
        }
        const typeProblem = isRecord(object) ? workloadTypeProblem(object.apiVersion, object.kind) : undefined;
        if (typeProblem !== undefined) {
            problems.push({ file, document, message: `${objectLabel(object as PlainRecord)}: ${typeProblem}` });
            continue;
        }
        const subject = subjectFromManifest(object);
        if (subject === undefined) continue;
        const workload = workloadKindOf(subject.type) !== undefined;
        // Besides workloads, the kinds another workload rule judges (Secrets: no-plaintext-secrets); they count as checked objects.
        if (!workload && !workloadRules.some((r) => r.appliesTo(subject.type))) continue;
        const id = identityOf(subject, (object as { kind: string }).kind);
        const shape = workload ? podSpecProblem(subject) : undefined;
        if (shape !== undefined) {
            problems.push({ file, document, message: `${describeObject(id)}: ${shape}` });
            continue;
        }
        if (subject.name === UNNAMED) {
            problems.push({ file, document, message: `${id.kind} has neither metadata.name nor metadata.generateName; name the object` });
            continue;
        }
        workloads++;
        // Plain manifests carry no stack: the environment only matters to non-workload policies.
        for (const violation of evaluateSubject(workloadRules, subject, config, "production")) {
            rows.push({ ...violation, file, document });
        }
    }
    return { file, workloads, rows, problems };
}

/** The "nothing to check" problem of an input that held no workload (and had no other problem). */
function nothingToCheck(input: string, files: number): InputProblem {
    const what = files === 0 ? "no .yaml, .yml or .json file" : `no ${WORKLOAD_KIND_LIST} in ${files} file(s)`;
    return { file: isStdinInput(input) ? STDIN : input, message: `nothing to check: ${what}; check the path, or pass --allow-empty if that is expected` };
}

/** Receives results in file order. */
interface Sink {
    row(row: ManifestRow): void;
    problem(problem: InputProblem): void;
}

/** Options of a run. */
export interface CheckOptions {
    readonly config?: PackConfig;
    /** Threads, this one included; 1 checks in this thread only. Default: one per core, one for small inputs. */
    readonly jobs?: number;
    /** An input without workloads is not an error. */
    readonly allowEmpty?: boolean;
}

/** Files per message to a worker: large enough to amortise messaging, small enough to keep memory flat. */
const CHUNK = 64;
/** Chunks queued per worker, so a worker never waits for the next. */
const IN_FLIGHT = 3;
/** Below this many files, starting workers costs more than it saves. */
const PARALLEL_THRESHOLD = 512;

/** How many threads (this one and workers) a run of `files` files uses. */
export function threadCount(files: number, jobs: number | undefined): number {
    const wanted = jobs ?? os.availableParallelism();
    if (wanted <= 1 || (jobs === undefined && files < PARALLEL_THRESHOLD)) return 1;
    return Math.max(1, Math.min(wanted, Math.ceil(files / CHUNK)));
}

/**
 * A worker runs this module again. Under ts-node (the module is `.ts`) it compiles the TypeScript
 * with SWC directly, as ts-node --swc does, without loading ts-node and the TypeScript compiler;
 * compiled JavaScript is required as is.
 */
const WORKER_BOOTSTRAP = `
const { workerData } = require("worker_threads");
if (workerData.swc !== undefined) {
    const fs = require("fs");
    const swc = require(workerData.swc);
    const options = { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" }, sourceMaps: "inline" };
    require.extensions[".ts"] = (module, filename) => {
        module._compile(swc.transformSync(fs.readFileSync(filename, "utf8"), { ...options, filename }).code, filename);
    };
}
require(workerData.module).workerMain();
`;

/** A worker's result for one file: the workload count alone when there is nothing else to say (most files). */
type CompactResult = FileResult | number;

function compact(result: FileResult): CompactResult {
    return (result.rows.length === 0 && result.problems.length === 0) ? result.workloads : result;
}

const NOTHING: readonly never[] = Object.freeze([]);

/** Worker-thread entry: checks the chunks it is sent and posts the results back. */
export function workerMain(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parentPort, workerData } = require("worker_threads") as typeof import("worker_threads");
    const config = (workerData as { config: PackConfig }).config;
    useStdin((workerData as { stdin?: string }).stdin);
    for (const [file, text] of (workerData as { pipes?: [string, string][] }).pipes ?? []) pipeTexts.set(file, text);
    parentPort?.on("message", (message: { id: number; files: string[] }) => {
        parentPort.postMessage({ id: message.id, results: message.files.map((file) => compact(checkFile(file, config))) });
    });
}

/**
 * Checks `files` on `threads` threads: this one and `threads - 1` workers, in chunks of {@link CHUNK}
 * files. Results are handed to `onResult` in file order as soon as every earlier chunk is done.
 */
async function checkInParallel(files: readonly string[], config: PackConfig, threads: number, onResult: (index: number, result: FileResult) => void): Promise<void> {
    const chunks = Math.ceil(files.length / CHUNK);
    const done = new Map<number, readonly CompactResult[]>();
    let next = 0; // next chunk to hand out
    let emitted = 0; // next chunk to hand to onResult
    const take = (): number | undefined => (next < chunks ? next++ : undefined);
    const chunk = (id: number) => files.slice(id * CHUNK, (id + 1) * CHUNK);
    const store = (id: number, results: readonly CompactResult[]) => {
        done.set(id, results);
        for (let ready = done.get(emitted); ready !== undefined; ready = done.get(emitted)) {
            done.delete(emitted);
            const base = emitted * CHUNK;
            ready.forEach((result, i) => {
                const file = files[base + i];
                onResult(base + i, typeof result === "number" ? { file, workloads: result, rows: NOTHING, problems: NOTHING } : result);
            });
            emitted++;
        }
    };
    const swc = __filename.endsWith(".ts") ? require.resolve("@swc/core") : undefined;
    // Load SWC's native binding in this thread first: with tools/register.js's cache warm this thread
    // never loads it, and a worker that is first to load it crashes the process (SIGSEGV, measured).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (swc !== undefined) require(swc);
    // execArgv: [] so a worker does not inherit `-r tools/register.js` (ts-node and the TypeScript
    // compiler: +60 MB and ~1 s per worker, measured); a small young generation bounds its parse garbage.
    const options = { eval: true, workerData: { module: __filename, swc, config, stdin: stdinText, pipes: [...pipeTexts] }, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 8 } };
    const pool = Array.from({ length: threads - 1 }, () => new Worker(WORKER_BOOTSTRAP, options));
    try {
        await new Promise<void>((resolve, reject) => {
            let failed = false;
            const settle = () => {
                if (emitted === chunks) resolve();
            };
            const send = (worker: Worker) => {
                const id = take();
                if (id !== undefined) worker.postMessage({ id, files: chunk(id) });
            };
            for (const worker of pool) {
                worker.on("error", (err) => {
                    failed = true;
                    reject(err);
                });
                worker.on("message", (message: { id: number; results: CompactResult[] }) => {
                    store(message.id, message.results);
                    send(worker);
                    settle();
                });
                for (let i = 0; i < IN_FLIGHT; i++) send(worker);
            }
            // This thread checks chunks too, one per turn of the event loop so worker results are taken in between.
            const work = () => {
                const id = failed ? undefined : take();
                if (id === undefined) return settle();
                store(id, chunk(id).map((file) => checkFile(file, config)));
                settle();
                setImmediate(work);
            };
            setImmediate(work);
        });
    } finally {
        await Promise.all(pool.map((worker) => worker.terminate()));
    }
}

/** A run in progress: the files to check, where each file's result goes, and the totals at the end. */
interface Run {
    readonly files: readonly string[];
    onResult(index: number, result: FileResult): void;
    finish(): ManifestSummary;
}

/**
 * Starts a run: walks the inputs (their problems go to `sink` first); then each file's rows and
 * problems are handed to `sink` as `onResult` receives them, which callers do in file order; `finish`
 * adds "nothing to check" for inputs without workloads and returns the totals.
 */
function startRun(inputs: readonly string[], allowEmpty: boolean, sink: Sink): Run {
    const collected = collectFiles(inputs);
    const workloadsPerInput = inputs.map(() => 0);
    const filesPerInput = inputs.map(() => 0);
    const failed = [...collected.inputFailed];
    let workloads = 0;
    let mandatory = 0;
    let advisory = 0;
    let problems = 0;
    const problem = (p: InputProblem) => {
        problems++;
        sink.problem(p);
    };
    collected.problems.forEach(problem);
    return {
        files: collected.files,
        onResult(index, result) {
            const input = collected.inputOf[index];
            filesPerInput[input]++;
            workloadsPerInput[input] += result.workloads;
            for (const other of collected.alsoReachedBy?.get(index) ?? []) {
                filesPerInput[other]++;
                workloadsPerInput[other] += result.workloads;
                if (result.problems.length > 0) failed[other] = true;
            }
            workloads += result.workloads;
            for (const row of result.rows) {
                if (row.enforcementLevel === "mandatory") mandatory++;
                else advisory++;
                sink.row(row);
            }
            if (result.problems.length > 0) failed[input] = true;
            result.problems.forEach(problem);
        },
        finish() {
            if (!allowEmpty) {
                inputs.forEach((input, index) => {
                    if (!failed[index] && workloadsPerInput[index] === 0) problem(nothingToCheck(input, filesPerInput[index]));
                });
            }
            return { files: collected.files.length, workloads, violations: { mandatory, advisory }, problems };
        },
    };
}

/** Checks every input, handing rows and problems to `sink` in file order; returns the totals. */
export async function checkInputs(inputs: readonly string[], options: CheckOptions, sink: Sink): Promise<ManifestSummary> {
    const config = options.config ?? EMPTY_PACK_CONFIG;
    const run = startRun(inputs, options.allowEmpty === true, sink);
    const threads = threadCount(run.files.length, options.jobs);
    if (threads === 1) {
        run.files.forEach((file, index) => run.onResult(index, checkFile(file, config)));
    } else {
        await checkInParallel(run.files, config, threads, (index, result) => run.onResult(index, result));
    }
    return run.finish();
}

/** Checks every input in this thread and keeps the result in memory (tests, bench). */
export function checkPaths(inputs: readonly string[], config: PackConfig = EMPTY_PACK_CONFIG, allowEmpty = true): ManifestReport {
    const violations: LocatedViolation[] = [];
    const problems: InputProblem[] = [];
    const run = startRun(inputs, allowEmpty, {
        row: ({ file, document, ...violation }) => violations.push({ file, document, violation }),
        problem: (p) => problems.push(p),
    });
    run.files.forEach((file, index) => run.onResult(index, checkFile(file, config)));
    const summary = run.finish();
    return { files: summary.files, workloads: summary.workloads, violations, problems };
}

/** 2 for any input error, else 1 for any mandatory violation, else 0. */
export function exitCodeOf(summary: ManifestSummary): number {
    if (summary.problems > 0) return 2;
    return summary.violations.mandatory > 0 ? 1 : 0;
}

/** The JSON row of a violation: the documented fields, then `file` and `document`. */
export function jsonRow(row: ManifestRow): string {
    return JSON.stringify({
        policy: row.policy,
        kind: row.kind,
        namespace: row.namespace,
        name: row.name,
        container: row.container,
        message: row.message,
        enforcementLevel: row.enforcementLevel,
        file: row.file,
        document: row.document,
    });
}

/** `file` or `file (document 2)`. */
function where(file: string, document: number | undefined): string {
    return document === undefined ? file : `${file} (document ${document})`;
}

/** The text line of a violation. */
export function textRow(row: ManifestRow): string {
    return `${where(row.file, row.document)}: ${row.enforcementLevel} [${row.policy}] ${row.message}`;
}

/** The stderr line of an input error. */
export function problemLine(problem: InputProblem): string {
    return `policy:manifests: ${where(problem.file, problem.document)}: ${problem.message}`;
}

/** The text summary line. */
export function summaryLine(summary: ManifestSummary): string {
    const errors = summary.problems > 0 ? `, ${summary.problems} input error(s)` : "";
    return `checked ${summary.workloads} workload(s) in ${summary.files} file(s): ${summary.violations.mandatory} mandatory, ${summary.violations.advisory} advisory violation(s)${errors}`;
}

/** Reads and validates a pack configuration file; problems become a usage error (exit 2). */
export function readPackConfig(file: string): PackConfig {
    try {
        return parsePackConfig(readPackConfigJson(file), configurablePolicies);
    } catch (err) {
        if (err instanceof PackConfigReadError) throw new ManifestUsageError(err.message);
        if (err instanceof PackConfigError) throw new ManifestUsageError(`${file}: ${err.message}`);
        throw err;
    }
}

interface CommandLine {
    readonly format: "text" | "json";
    readonly config?: string;
    readonly allowEmpty: boolean;
    readonly jobs?: number;
    readonly inputs: readonly string[];
}

function parseCommandLine(argv: readonly string[]): CommandLine {
    const options = {
        format: { type: "string", default: "text" },
        "policy-config": { type: "string" },
        config: { type: "string" },
        "allow-empty": { type: "boolean", default: false },
        jobs: { type: "string" },
    } as const;
    let parsed;
    try {
        parsed = parseCli(argv, options, USAGE, true, HELP);
    } catch (err) {
        if (err instanceof UsageError && !err.message.startsWith("npm took ")) throw new ManifestUsageError(err.message);
        throw err;
    }
    const { values, positionals } = parsed;
    if (values.format !== "text" && values.format !== "json") {
        throw new ManifestUsageError(`--format (${values.format}) must be one of: text, json\nusage: ${USAGE}`);
    }
    if (values.config !== undefined && values["policy-config"] !== undefined) {
        throw new ManifestUsageError(`--config is another name for --policy-config; pass one of them\nusage: ${USAGE}`);
    }
    let jobs: number | undefined;
    if (values.jobs !== undefined) {
        jobs = Number(values.jobs);
        if (!/^\d+$/.test(values.jobs) || jobs < 1) {
            throw new ManifestUsageError(`--jobs (${values.jobs}) must be a whole number of at least 1\nusage: ${USAGE}`);
        }
    }
    if (positionals.length === 0) {
        throw new ManifestUsageError(`name at least one file or directory (- for standard input)\nusage: ${USAGE}`);
    }
    return { format: values.format, config: values["policy-config"] ?? values.config, allowEmpty: values["allow-empty"] === true, jobs, inputs: positionals };
}

/** All of standard input as text (a pipe cannot be read by position: /dev/stdin gave ESPIPE). */
async function readStdin(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
}

/** Where output goes; the CLI passes process.stdout and process.stderr. */
export interface Output {
    out(text: string): void;
    err(text: string): void;
}

const PROCESS_OUTPUT: Output = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
};

/**
 * Runs the tool with `argv` (without node and script); returns the exit code. Rows are written as they
 * are found. JSON output is one object: `violations` (one row per line), `problems`, then `summary`.
 */
export async function main(argv: readonly string[], output: Output = PROCESS_OUTPUT): Promise<number> {
    const line = parseCommandLine(argv);
    if (line.inputs.some(isStdinInput)) useStdin(await readStdin());
    const config = line.config === undefined ? EMPTY_PACK_CONFIG : readPackConfig(line.config);
    const json = line.format === "json";
    const problems: InputProblem[] = [];
    let rows = 0;
    if (json) output.out('{"violations": [');
    const summary = await checkInputs(line.inputs, { config, jobs: line.jobs, allowEmpty: line.allowEmpty }, {
        row: (row) => {
            output.out(json ? `${rows === 0 ? "\n" : ",\n"}  ${jsonRow(row)}` : `${textRow(row)}\n`);
            rows++;
        },
        problem: (problem) => {
            output.err(`${problemLine(problem)}\n`);
            if (json) problems.push(problem);
        },
    });
    const code = exitCodeOf(summary);
    if (json) {
        const problemRows = problems.map((p) => `  ${JSON.stringify(p)}`).join(",\n");
        output.out(`${rows === 0 ? "" : "\n"}],\n"problems": [${problemRows === "" ? "" : `\n${problemRows}\n`}],\n"summary": ${JSON.stringify({ ...summary, exitCode: code })}}\n`);
    } else {
        output.out(`${summaryLine(summary)}\n`);
    }
    return code;
}

if (require.main === module) {
    // npm runs scripts in the repository root: paths on the command line start from where the user was.
    process.chdir(startDirectory());
    runMain(() => main(process.argv.slice(2)));
}
