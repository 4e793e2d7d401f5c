/**
 * The offline runtime: runs the real `index.ts` under Pulumi's mock runtime with a stack's
 * configuration, namespaced exactly as the CLI sets it, and records every registered resource with
 * its inputs and options. Shared by the tests, `plan`, `policy:check` and `bench`.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../config/schema";
import { leanPromiseRecords, offlineCallbacks, onRegistered, outputIsSecret, outputValue, recordTransformFunctions, SDK_FILES, SDK_STACK_TAKERS, waitForRPCs } from "../config/sdk-internals";
import { loadStackYaml, ROOT } from "./cli";
import { createMocks } from "./mocks";


export { ROOT };

/** What a secret value is shown as in every recorded or printed form. */
export const SECRET_PLACEHOLDER = "[secret]";

/** Options of a registered resource that reviewers and policies care about. */
export interface RecordedOptions {
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    /** URNs of explicit and implicit dependencies. */
    readonly dependsOn: readonly string[];
    /** Provider reference `urn::id`, when one is set. */
    readonly provider?: string;
    /** Provider references by package, as given to components (`providers: { aws }`). */
    readonly providers: Readonly<Record<string, string>>;
    readonly ignoreChanges: readonly string[];
}

/** One resource the program registered. */
export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** URN of the parent resource, if any. */
    readonly parent?: string;
    /** True for custom resources (a provider manages them), false for components. */
    readonly custom: boolean;
    /** True for remote components (`eks:index:Cluster`, Helm Chart v4). */
    readonly remote: boolean;
    /** Inputs with every secret replaced by `[secret]`, safe to print or write. */
    readonly inputs: Record<string, unknown>;
    /** Inputs with secrets unwrapped and unknown values as undefined: what policies see. */
    readonly rawInputs: Record<string, unknown>;
    readonly options: RecordedOptions;
    /** Tokens of the `transforms` callbacks the resource was registered with (applied to a Chart's rendered children). */
    readonly transforms?: readonly string[];
    /** For a rendered chart object: the template it came from (`argo-cd/templates/…`). */
    readonly renderedFrom?: string;
}

/** The result of running the program once. */
export interface ProgramRun {
    readonly stack: string;
    readonly resources: readonly RecordedResource[];
    /** Stack outputs, secrets replaced by `[secret]`. */
    readonly outputs: Record<string, unknown>;
    /**
     * Strings the mock runtime made up (resource ids, computed outputs, invoke results, not echoed
     * inputs), so the plan can mark them: on a real account AWS assigns other values.
     */
    readonly mockValues: ReadonlySet<string>;
    /** What the program logged with `pulumi.log.warn`, in order (printed only with `printWarnings`). */
    readonly warnings: readonly string[];
}

/** A value in a stack file: plain, or `{ secure: ... }`. */
export type StackValue = unknown;

/** Configuration as the CLI hands it to the program, plus which keys are secret. */
export interface CliConfig {
    readonly config: Record<string, string>;
    readonly secretKeys: readonly string[];
}

function isSecure(v: unknown): v is { secure: string } {
    return v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v;
}

/** Replace `secure:` values by redacted placeholders; report whether any were found. */
function redactSecure(v: unknown, key: string): { value: unknown; secret: boolean } {
    if (isSecure(v)) return { value: `redacted-${key.replace(/[^\w]+/g, "-")}`, secret: true };
    if (Array.isArray(v)) {
        const items = v.map((x, i) => redactSecure(x, `${key}-${i}`));
        return { value: items.map((x) => x.value), secret: items.some((x) => x.secret) };
    }
    if (v !== null && typeof v === "object") {
        const entries = Object.entries(v).map(([k, x]) => [k, redactSecure(x, `${key}-${k}`)] as const);
        return { value: Object.fromEntries(entries.map(([k, x]) => [k, x.value])), secret: entries.some(([, x]) => x.secret) };
    }
    return { value: v, secret: false };
}

/**
 * The offline stand-in for the `teamsWorkflowUrls` secret, which the program reads as JSON: one
 * placeholder URL per configured Teams channel (none when the channels are missing or malformed,
 * which config/ then reports), so a plan never needs the real value.
 */
function teamsPlaceholder(values: Readonly<Record<string, StackValue>>): Record<string, string> {
    const n = values[`${PROJECT}:notifications`] ?? values.notifications;
    const channels = (n !== null && typeof n === "object" && !Array.isArray(n)) ? (n as { teams?: { channels?: unknown } }).teams?.channels : undefined;
    const names = Array.isArray(channels) ? channels.filter((c): c is string => typeof c === "string") : [];
    return Object.fromEntries(names.map((c) => [c, `https://redacted.invalid/${PROJECT}-teamsWorkflowUrls-${c}`]));
}

/**
 * Turn a stack file's `config:` map into what the CLI passes to the program: keys namespaced
 * (`key` becomes `footanalytics-gitops:key`), scalars as strings, objects and lists as JSON, and
 * `secure:` values as placeholders that stay marked secret. A `null` override removes a key.
 */
export function toCliConfig(values: Readonly<Record<string, StackValue>>): CliConfig {
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [k, v] of Object.entries(values)) {
        if (v === undefined || v === null) continue;
        const key = k.includes(":") ? k : `${PROJECT}:${k}`;
        const { value, secret } = (key === `${PROJECT}:teamsWorkflowUrls` && isSecure(v)) ? { value: teamsPlaceholder(values), secret: true } : redactSecure(v, key);
        config[key] = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
        if (secret) secretKeys.push(key);
    }
    return { config, secretKeys };
}

/** Read the `config:` map of a stack file (`Pulumi.<stack>.yaml` format). */
export function readStackFile(file: string): Record<string, StackValue> {
    const text = fs.readFileSync(file, "utf8");
    // `plan` reads a stack file to validate it and again to run it: parse each text once (the
    // first parse in a process costs ~60 ms), and hand every caller its own copy.
    let config = (lastStackFile?.file === file && lastStackFile.text === text) ? lastStackFile.config : undefined;
    if (config === undefined) {
        // loadStackYaml (tools/cli.ts): 10 ms against `yaml`'s 110 ms for a stack of 400 applications.
        const doc = loadStackYaml(text) as { config?: Record<string, StackValue> } | null;
        if (doc !== null && (typeof doc !== "object" || Array.isArray(doc))) {
            throw new Error(`${file} is not a Pulumi stack file: expected a mapping with a "config" key`);
        }
        config = { ...(doc?.config ?? {}) };
        lastStackFile = { file, text, config };
    }
    return structuredClone(config);
}

let lastStackFile: { readonly file: string; readonly text: string; readonly config: Record<string, StackValue> } | undefined;

/** The stack file of a stack name. */
export function stackFile(stack: string): string {
    return path.join(ROOT, `Pulumi.${stack}.yaml`);
}

/** Options of one offline run. */
export interface RunOptions {
    /** Stack name, as `pulumi stack select` would name it. */
    readonly stack: string;
    /** A stack file to read instead of `Pulumi.<stack>.yaml`. */
    readonly configFile?: string;
    /** Keys to set or (with `null`) remove after reading the file; unnamespaced keys get the project's. */
    readonly configOverrides?: Readonly<Record<string, StackValue>>;
    /** Run as a preview (`pulumi preview`) rather than an update. */
    readonly preview?: boolean;
    /**
     * Print the program's warnings on stderr as the SDK does without an engine (`warning: [runtime] …`),
     * as the tools do for their users; else they are only collected in `ProgramRun.warnings`, so the
     * test output shows a warning only where a test asserts it.
     */
    readonly printWarnings?: boolean;
}

const SIG = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;
const RESOURCE_SIG = pulumi.runtime.specialResourceSig;
const OUTPUT_SIG = pulumi.runtime.specialOutputValueSig;
const UNKNOWN = pulumi.runtime.unknownValue;

/**
 * Convert a serialized property value to plain data, either redacting or unwrapping secrets, in lists
 * and nested objects alike. Exported for its spec.
 */
export function plain(v: unknown, redact: boolean): unknown {
    if (v === UNKNOWN) return undefined;
    if (Array.isArray(v)) return v.map((x) => plain(x, redact));
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        const sig = o[SIG];
        if (sig === SECRET_SIG) return redact ? SECRET_PLACEHOLDER : plain(o.value, redact);
        if (sig === RESOURCE_SIG) return { urn: o.urn, ...(o.id !== undefined ? { id: plain(o.id, redact) } : {}) };
        if (sig === OUTPUT_SIG) {
            if (o.secret === true && redact) return SECRET_PLACEHOLDER;
            return "value" in o ? plain(o.value, redact) : undefined;
        }
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(o)) {
            const p = plain(x, redact);
            if (p !== undefined) out[k] = p;
        }
        return out;
    }
    return v;
}

/** What `debuggablePromise` records instead of its caller's stack while the program runs offline. */
export const PROMISE_STACK_PLACEHOLDER = "(stack not recorded offline; set PULUMI_DEBUG_PROMISE_LEAKS=1 to record it)";

/**
 * `Error.prepareStackTrace` while the program runs. Two stack traces the SDK takes are never looked
 * at offline, and formatting them was a fifth of a program run:
 * - `debuggablePromise` (`@pulumi/pulumi/runtime/debuggable.js`) formats one for every promise it
 *   wraps and prints it only when PULUMI_DEBUG_PROMISE_LEAKS is set (the harness then leaves V8's
 *   formatting alone): it gets a fixed placeholder (offline the SDK's function wraps only the first
 *   promise of a run, `leanPromiseRecords` the others);
 * - `Resource.callsites` (`@pulumi/pulumi/resource.js`) formats the whole stack of every resource
 *   for the source position and stack trace of its registration request, which the engine shows
 *   in its diagnostics and the mock monitor and the plan ignore: it gets no frames (the SDK then
 *   sends no position, as for a frame it cannot parse).
 * Every other stack is formatted as V8 does.
 */
export function offlineStackTrace(error: Error, frames: readonly NodeJS.CallSite[]): string {
    const top = frames[0];
    if (top !== undefined) {
        const file = top.getFileName() ?? "";
        const fn = top.getFunctionName();
        if (fn === SDK_STACK_TAKERS.debuggablePromise && SDK_FILES.debuggable.test(file)) return PROMISE_STACK_PLACEHOLDER;
        if (fn === SDK_STACK_TAKERS.callsites && SDK_FILES.resource.test(file)) return "Error";
    }
    const head = Error.prototype.toString.call(error);
    return frames.length === 0 ? head : `${head}\n    at ${frames.join("\n    at ")}`;
}

/**
 * Evaluate the program anew for each run. Only `index.ts` is dropped from the module cache: config/
 * and components/ hold no module-level state (config is read when `loadConfig()` runs), so keeping
 * them compiled makes a run cost the program, not TypeScript compilation.
 */
function clearProgramModules(): void {
    delete require.cache[require.resolve(path.join(ROOT, "index.ts"))];
}

/**
 * Configuration the project file contributes, as the CLI merges it under the stack's values:
 * `value:` entries (for example `pulumi:disable-default-providers`) and `default:` of typed
 * project keys.
 */
export function projectConfig(): Record<string, StackValue> {
    // The stack files' parser (same values as `yaml` for YAML 1.2's core schema, already warm: ~13 ms less).
    const doc = (loadStackYaml(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const out: Record<string, StackValue> = {};
    for (const [k, decl] of Object.entries(doc.config ?? {})) {
        const key = k.includes(":") ? k : `${PROJECT}:${k}`;
        if (decl !== null && typeof decl === "object" && !Array.isArray(decl)) {
            const d = decl as { value?: unknown; default?: unknown };
            if (d.value !== undefined) out[key] = d.value;
            else if (d.default !== undefined) out[key] = d.default;
        } else {
            out[key] = decl;
        }
    }
    return out;
}

/** Resolve the CLI configuration of a run: the project file's config, the stack file, then overrides. */
export function resolveConfig(opts: RunOptions): CliConfig {
    const values: Record<string, StackValue> = projectConfig();
    for (const [k, v] of Object.entries(readStackFile(opts.configFile ?? stackFile(opts.stack)))) {
        values[k.includes(":") ? k : `${PROJECT}:${k}`] = v;
    }
    for (const [k, v] of Object.entries(opts.configOverrides ?? {})) {
        values[k.includes(":") ? k : `${PROJECT}:${k}`] = v;
    }
    return toCliConfig(values);
}

/** Await an exported value, replacing secrets by `[secret]`. */
async function settle(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        const o = value as pulumi.Output<unknown>;
        const [v, secret] = await Promise.all([
            outputValue(o),
            outputIsSecret(o),
        ]);
        return secret ? SECRET_PLACEHOLDER : settle(v);
    }
    if (value instanceof Promise) return settle(await value);
    if (Array.isArray(value)) return Promise.all(value.map(settle));
    if (value !== null && typeof value === "object" && !pulumi.Resource.isInstance(value)) {
        const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await settle(v)] as const));
        return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
    }
    return value;
}

function collectStrings(value: unknown, into: Set<string>): void {
    if (typeof value === "string") into.add(value);
    else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, into));
    else if (value !== null && typeof value === "object") Object.values(value).forEach((v) => collectStrings(v, into));
}

/**
 * Mocks that also note the identifiers they make up: strings in a result (an id, a computed output,
 * an invoke result) that no configuration value and no earlier request carried. Apart from resource
 * ids, short or digit-free strings (`v1`, `aws`, `ACTIVE`) are left out: vocabulary, not identifiers.
 */
function recordingMocks(mocks: pulumi.runtime.Mocks, config: Readonly<Record<string, string>>, into: Set<string>): pulumi.runtime.Mocks {
    const given = new Set<string>();
    for (const text of Object.values(config)) {
        collectStrings(text, given);
        if (/^\s*[[{]/.test(text)) {
            try {
                collectStrings(JSON.parse(text), given);
            } catch {
                // plain text: already collected
            }
        }
    }
    const note = (result: unknown, inputs: unknown) => {
        collectStrings(inputs, given);
        const made = new Set<string>();
        collectStrings(result, made);
        for (const s of made) {
            if (!given.has(s) && s.length >= 8 && /\d/.test(s)) into.add(s);
        }
    };
    return {
        newResource(args) {
            const result = mocks.newResource(args) as { id: string; state: Record<string, unknown> };
            note(result.state, args.inputs);
            // The id is always the mock's invention, whatever it looks like.
            if (!given.has(result.id)) into.add(result.id);
            return result;
        },
        call(args) {
            const result = mocks.call(args);
            note(result, args.inputs);
            return result;
        },
    };
}

/** `cluster.deployRoleArn` of a run's configuration, if it names one: the mocks then run the program as that role. */
function deployRoleOf(config: Readonly<Record<string, string>>): string | undefined {
    try {
        const role = (JSON.parse(config[`${PROJECT}:cluster`] ?? "{}") as { deployRoleArn?: unknown }).deployRoleArn;
        return typeof role === "string" ? role : undefined;
    } catch {
        return undefined;
    }
}

/**
 * Run the real program once for a stack. Throws the program's error unchanged (for invalid
 * configuration, a `ConfigValidationError` thrown before any resource is registered).
 */
export async function runProgram(opts: RunOptions): Promise<ProgramRun> {
    const { config, secretKeys } = resolveConfig(opts);
    const region = config["aws:region"] ?? "eu-west-1";

    pulumi.runtime.setAllConfig(config, [...secretKeys]);
    const mockValues = new Set<string>();
    await pulumi.runtime.setMocks(recordingMocks(createMocks(region, deployRoleOf(config)), config, mockValues), PROJECT, opts.stack, opts.preview ?? false);

    // Record every registration with its options before the mock monitor answers it.
    const resources: RecordedResource[] = [];
    // Charts' transforms are applied to their rendered children offline (tools/render.ts).
    recordTransformFunctions();
    offlineCallbacks();
    onRegistered((req, urn) => {
        const object = req.getObject()?.toJavaScript() ?? {};
        resources.push({
            type: req.getType(),
            name: req.getName(),
            urn,
            parent: req.getParent() || undefined,
            custom: req.getCustom(),
            remote: req.getRemote(),
            inputs: plain(object, true) as Record<string, unknown>,
            rawInputs: plain(object, false) as Record<string, unknown>,
            options: {
                protect: req.getProtect(),
                retainOnDelete: req.getRetainondelete(),
                dependsOn: req.getDependenciesList(),
                provider: req.getProvider() || undefined,
                providers: Object.fromEntries(req.getProvidersMap().toObject()),
                ignoreChanges: req.getIgnorechangesList(),
            },
            ...(req.getTransformsList().length > 0 ? { transforms: req.getTransformsList().map((t) => t.getToken()) } : {}),
        });
    });

    clearProgramModules();
    // The SDK reads `new Error().stack` for every promise and resource it creates (its leak report
    // and source positions). Source-mapping each read was 60% of a program run, and formatting the
    // promises' traces a further ~20% (docs/performance.md): see `offlineStackTrace`. Errors keep
    // their frames and are still source-mapped when their stack is first read afterwards.
    const errorClass = Error as { prepareStackTrace?: unknown };
    const prepareStackTrace = errorClass.prepareStackTrace;
    errorClass.prepareStackTrace = process.env.PULUMI_DEBUG_PROMISE_LEAKS ? undefined : offlineStackTrace;
    // The SDK's per-promise records without the debug properties nobody reads offline (sdk-internals.ts).
    const restorePromiseRecords = process.env.PULUMI_DEBUG_PROMISE_LEAKS ? () => undefined : leanPromiseRecords();
    // Without an engine the SDK's log.warn writes `warning: [runtime] <message>` with console.warn.
    const warnings: string[] = [];
    const consoleWarn = console.warn;
    console.warn = (...args: unknown[]) => {
        const text = args.map(String).join(" ");
        const runtime = /^warning: \[runtime\] ([\s\S]*)$/.exec(text);
        if (runtime !== null) warnings.push(runtime[1]);
        if (runtime === null || opts.printWarnings === true) consoleWarn(...args);
    };
    try {
        let exported: Record<string, unknown>;
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            exported = require(path.join(ROOT, "index.ts")) as Record<string, unknown>;
        } catch (err) {
            await waitForRPCs();
            // Tell callers how many resources were registered before the error (0 for invalid config).
            if (err instanceof Error) Object.assign(err, { registeredResources: resources.length });
            throw err;
        }
        await waitForRPCs();
        const outputs = (await settle({ ...exported })) as Record<string, unknown>;
        await waitForRPCs();
        return { stack: opts.stack, resources, outputs, mockValues, warnings };
    } finally {
        console.warn = consoleWarn;
        errorClass.prepareStackTrace = prepareStackTrace;
        restorePromiseRecords();
    }
}
