/**
 * The configuration schema's building blocks, on zod 4 (https://zod.dev). Each builder returns a
 * zod schema, so one declaration gives the TypeScript type, the parser, the JSON Schema of the
 * stack files (`z.toJSONSchema`), and, through `infoOf`, the reference table's type, description
 * and defaults per environment. zod's own: types, enums, ranges, strict objects, static defaults,
 * optionality, `.prefault()` for sections, descriptions and metadata (`.describe()`, `.meta()`,
 * `z.registry()`), per-field error functions (`error`), checks and the JSON Schema.
 *
 * What zod cannot do, and this module adds:
 * - messages in the house style: the full key (`footanalytics-gitops:argocd.server.replicas`), the
 *   value received and what is expected; one problem per key; unknown keys one by one, first,
 *   listing the known ones and the closest (zod reports them as one issue);
 * - defaults per environment and defaults computed from the stack name, and rules that read the
 *   stack: zod gives defaults and checks no parse context, so the scope travels in zod's own parse
 *   context to the two zod classes extended here (see `Scope`);
 * - cross-field rules that still run next to a field that failed to parse: they see the fields that
 *   did parse, and a check that reads a failed field stops there (its problem is already reported);
 *   zod's safeParse drops the whole value on the first failure (`parseSection` keeps it);
 * - an integer check that does not abort the enclosing objects' rules (zod's `.int()` does, and
 *   puts the safe-integer bounds into the JSON Schema); uniqueness of list items by a key.
 */
import type { Environment } from "@footanalytics/facts";
import { z } from "zod";
import { didYouMean } from "./closest";
import type { ConfigProblem } from "./problems";

// A process parses its configuration once: compiling each object schema to a function (zod's JIT)
// costs more than it saves, ~130 ms of a ~1.4 s plan (measured with `npm run bench`). Same results.
z.config({ jitless: true });

/** The two deployment environments (facts/): stack files name theirs in `footanalytics-gitops:environment`. */
export { ENVIRONMENTS, type Environment } from "@footanalytics/facts";

/** One problem with a value at a key path (its full key, and a sentence that starts with the key). */
type Problem = ConfigProblem;

/** What a rule knows besides the value: the environment, the stack, and where problems go. */
export interface ParseContext {
    readonly env: Environment;
    readonly stack: string;
    readonly problems: Problem[];
}

/** What the defaults and rules of one parse read: the stack, and the keys the stack file sets in the top-level object. */
interface Scope {
    readonly env: Environment;
    readonly stack: string;
    readonly given: ReadonlySet<string>;
}

/**
 * How a parse's scope reaches its defaults and rules, with no module state: in zod's own parse
 * context, which `parseSection` starts and zod passes to the parse of every schema. zod gives checks
 * and defaults no parse context (the maintainers' answer is to build schemas per context:
 * colinhacks/zod#487, #5179), so the two schemas that need it are zod's own classes extended through
 * `z.core.$constructor`, zod's extension point for library authors: a default computed from the
 * scope (`ScopedDefault`) and an object whose rules read it (`StrictObject`). Everything else is
 * zod's: the JSON Schema, clones (`.describe()`, `.meta()`) and `instanceof` see the classes they extend.
 */
const SCOPE = Symbol("footanalytics-gitops parse scope");

function scopeIn(ctx: z.core.ParseContextInternal): Scope {
    const scope = (ctx as { [SCOPE]?: Scope })[SCOPE];
    if (scope === undefined) throw new Error("a configuration default or rule was evaluated outside parseSection()");
    return scope;
}

/** The scope the JSON Schema's defaults are shown for (tools/config-docs.ts replaces every default that depends on it by a sentence). */
const DOCUMENTED: Scope = Object.freeze({ env: "staging", stack: "<stack>", given: new Set<string>() });

type Payload = z.core.ParsePayload;

function synchronous(result: Payload | Promise<Payload>): Payload {
    if (result instanceof Promise) throw new Error("configuration parses are synchronous");
    return result;
}

interface ObjectDef extends z.core.$ZodObjectDef {
    readonly rules?: Rules<never>;
}

/**
 * zod's strict object, then what its checks cannot do: report each unknown key on its own, first,
 * with the known ones (zod reports them together, after the fields), and run the object's rules
 * with the scope, also next to fields that failed (`runRules`). Skipped, as zod skips its checks,
 * when the value was explicitly aborted.
 */
const StrictObject = z.core.$constructor<z.ZodObject, ObjectDef>("FootanalyticsObject", (inst, def) => {
    z.ZodObject.init(inst, def);
    const parse = inst._zod.parse;
    inst._zod.parse = (payload, ctx) => {
        const result = synchronous(parse(payload, ctx));
        if (z.core.util.explicitlyAborted(result)) return result;
        const at = result.issues.findIndex((i) => i.code === "unrecognized_keys" && (i.path ?? []).length === 0);
        if (at >= 0) {
            const [{ keys }] = result.issues.splice(at, 1) as unknown as { keys: string[] }[];
            const known = Object.keys(def.shape);
            // At the key's own path, so `HERE` stands for the unknown key itself.
            result.issues.unshift(...keys.map((k) => customIssue(undefined, [k], HERE, `${HERE} is not a known key${didYouMean(k, known)}; expected one of: ${known.join(", ")}`)));
        }
        const rules = def.rules;
        if (rules !== undefined) {
            const scope = scopeIn(ctx);
            runRules(result, (value, problems) => rules(value, HERE, { env: scope.env, stack: scope.stack, problems }, scope.given));
        }
        return result;
    };
});

interface ScopedDefaultDef extends z.core.$ZodDefaultDef {
    readonly compute: (scope: Scope) => unknown;
}

/** zod's default (`.default()`), with the value computed from the parse's scope. */
const ScopedDefault = z.core.$constructor<z.ZodDefault, ScopedDefaultDef>("FootanalyticsDefault", (inst, def) => {
    z.ZodDefault.init(inst, def);
    const inner = def.innerType._zod;
    inst._zod.parse = (payload, ctx) => {
        if (ctx.direction === "backward") return inner.run(payload, ctx);
        // As zod's default: an absent value gets the default, unvalidated; a value is parsed.
        if (payload.value === undefined) return Object.assign(payload, { value: def.compute(scopeIn(ctx)) });
        const result = synchronous(inner.run(payload, ctx));
        return result.value === undefined ? Object.assign(result, { value: def.compute(scopeIn(ctx)) }) : result;
    };
});

/** A default that differs per environment (the production one is the highly available one). */
export class PerEnvironment<T> {
    constructor(
        public readonly staging: T,
        public readonly production: T,
    ) {}
    pick(env: Environment): T {
        return env === "production" ? this.production : this.staging;
    }
}

/** A default computed from the context (for example from the stack name), documented by a sentence. */
export class Derived<T> {
    constructor(
        public readonly doc: string,
        public readonly compute: (ctx: Pick<ParseContext, "env" | "stack">) => T | undefined,
    ) {}
}

export type Default<T> = T | PerEnvironment<T> | Derived<T>;

/** Shorthand for a per-environment default. */
export function perEnv<T>(staging: T, production: T): PerEnvironment<T> {
    return new PerEnvironment(staging, production);
}

/** Shorthand for a computed default. */
export function derived<T>(doc: string, compute: (ctx: Pick<ParseContext, "env" | "stack">) => T | undefined): Derived<T> {
    return new Derived(doc, compute);
}

/** A declared configuration value: a zod schema whose output is `T`. */
export type Field<T> = z.ZodType<T>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyField = Field<any>;

/** The type a field produces. */
export type TypeOf<F> = F extends z.ZodType<infer T> ? T : never;

/** What the reference table and the messages know about a field: what zod's schema says, and `Declared`. */
export interface FieldInfo extends Declared {
    /** One sentence for the reference table (zod's `.describe()`). */
    readonly description: string;
    /** Whether a missing value is allowed (then `undefined` unless a default applies). */
    readonly optional: boolean;
    /** Fields of an object. */
    readonly shape?: Readonly<Record<string, AnyField>>;
    /** Item field of a list or map. */
    readonly item?: AnyField;
}

/** What a field's zod schema does not say: the type's human name, and a default that may depend on the stack. */
interface Declared {
    /** Human name of the type, used in messages and the reference table ("integer (1..20)", "list of string"). */
    readonly typeName: string;
    /** The default applied when the key is absent. */
    readonly default?: Default<unknown>;
}

/** zod's registry of the fields built here (not `.meta()`, whose keys would land in the JSON Schema). */
const DECLARED = z.registry<{ declared: Declared }>();

/** The documentation of a field built by this module. */
export function infoOf(field: AnyField): FieldInfo {
    const declared = DECLARED.get(field)?.declared;
    if (declared === undefined) throw new Error("not a configuration field (build it with str, int, bool, list, record, obj or section)");
    const inner = unwrapDefault(field);
    return {
        ...declared,
        description: field.description ?? "",
        optional: field instanceof z.ZodOptional,
        shape: inner instanceof z.ZodObject ? (inner.shape as Record<string, AnyField>) : undefined,
        item: inner instanceof z.ZodArray ? (inner.element as AnyField) : inner instanceof z.ZodRecord ? (inner.valueType as AnyField) : undefined,
    };
}

/** A declared field: `schema` with its default (static, per environment or computed from the stack) or optionality. */
function declare<T>(schema: z.ZodType, typeName: string, opts: Common<unknown>): Field<T> {
    const d = opts.default;
    let field = opts.optional ? schema.optional() : schema;
    if (d instanceof PerEnvironment || d instanceof Derived) {
        const compute = (scope: Scope) => (d instanceof PerEnvironment ? d.pick(scope.env) : d.compute(scope));
        field = new ScopedDefault({ type: "default", innerType: schema, compute, get defaultValue() { return compute(DOCUMENTED); } });
    } else if (d !== undefined) field = schema.default(d);
    const described = field.describe(opts.description);
    DECLARED.add(described, { declared: { typeName, default: d } });
    return described as unknown as Field<T>;
}

// ---------------------------------------------------------------------------------------------
// Messages

/** Render a received value for a message: short, JSON-like, never a secret (secrets are not parsed here). */
export function show(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) {
        const text = JSON.stringify(value);
        return text.length > 60 ? `a list of ${value.length} items` : text;
    }
    if (typeof value === "object") {
        const text = JSON.stringify(value);
        return text.length > 60 ? `an object with keys ${Object.keys(value as object).join(", ")}` : text;
    }
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

/** Record that `key` holds `value` where `expected` was wanted. */
export function problem(ctx: ParseContext, key: string, value: unknown, expected: string): void {
    ctx.problems.push({ key, message: `${key} (${show(value)}) ${expected}` });
}

/** Record a problem whose sentence is already complete (it must start with the key). */
export function problemText(ctx: ParseContext, key: string, message: string): void {
    ctx.problems.push({ key, message });
}

function describeKind(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "an object";
    return `a ${typeof value}`;
}

function article(typeName: string): string {
    if (typeName.startsWith("one of ")) return `one of: ${typeName.slice(7)}`;
    return /^[aeiou]/i.test(typeName) ? `an ${typeName}` : `a ${typeName}`;
}

/**
 * Messages and rules write `HERE` for the key of the value they are about; `parseSection` puts its
 * full key there (`footanalytics-gitops:cluster.nodeGroups[1]`), so no message needs to know which
 * parse it is in, nor where in the stack file its value sits.
 */
const HERE = "\u0000here\u0000";

type RawIssue = z.core.$ZodRawIssue;

/**
 * The message of a value that is missing or has the wrong type: `missing` says what belongs there
 * (the field's type name and description), `kind` the type name for a wrong-typed value.
 */
function baseError(typeName: string, description: string, kind: string, text = false) {
    return (iss: RawIssue): string | undefined => {
        const key = HERE;
        if (iss.input === undefined) return `${key} is missing; expected ${article(typeName)} (${description.replace(/\.$/, "")})`;
        if (text && (typeof iss.input === "number" || typeof iss.input === "boolean")) {
            // YAML turned unquoted text into a number or boolean (kubernetesVersion: 1.30 arrives as 1.3).
            const what = typeof iss.input === "number" ? "a number, dropping trailing zeros (1.30 becomes 1.3)" : "a boolean";
            return `${key} (${show(iss.input)}) is ${describeKind(iss.input)}; expected ${article(typeName)}: quote the value in the stack file, because YAML reads it unquoted as ${what}`;
        }
        if (iss.code === "invalid_value" && typeof iss.input === "string") return `${key} (${show(iss.input)}) must be one of: ${(iss.values as unknown[]).join(", ")}`;
        if (iss.code === "too_small" && typeof iss.input === "number") return `${key} (${show(iss.input)}) must be at least ${String(iss.minimum)}`;
        if (iss.code === "too_big" && typeof iss.input === "number") return `${key} (${show(iss.input)}) must be at most ${String(iss.maximum)}`;
        if (iss.code === "too_small" && Array.isArray(iss.input)) {
            const n = iss.input.length;
            return `${key} (${show(iss.input)}) has ${n} item${n === 1 ? "" : "s"}; expected at least ${String(iss.minimum)}`;
        }
        return `${key} (${show(iss.input)}) is ${describeKind(iss.input)}; expected ${article(kind)}`;
    };
}

// ---------------------------------------------------------------------------------------------
// Builders

interface Common<T> {
    /** One sentence for the reference table. */
    readonly description: string;
    /** Applied when the key is absent. */
    readonly default?: Default<T>;
    /** Allow the key to be absent with no default. */
    readonly optional?: boolean;
}

/** A named string format: a test and the sentence that says what it expects. */
export interface StringFormat {
    readonly name: string;
    /** Returns undefined when valid, else what is expected (e.g. `must be a CIDR block such as "10.0.0.0/16"`). */
    check(value: string): string | undefined;
    /** The regular expression the format is, when it is one: the JSON Schema gets it as `pattern`. */
    readonly pattern?: RegExp;
    /** Every valid value, when the format is a list: the JSON Schema gets it as `enum`. */
    readonly values?: readonly string[];
}

/** A check beyond the type: `check` returns undefined when valid, else what is expected. */
function refineWith<S extends z.ZodType>(schema: S, check: (v: never) => string | undefined): S {
    return schema.superRefine((v, payload) => {
        const expected = check(v as never);
        if (expected !== undefined) payload.addIssue({ code: "custom", input: v, params: { message: `${HERE} (${show(v)}) ${expected}` } });
    }) as S;
}

/** Add a check to a declared field (the reference table shows `typeName` when given). */
export function refined<T>(field: Field<T>, check: (value: T) => string | undefined, typeName?: string): Field<T> {
    const info = infoOf(field);
    return declare<T>(refineWith(unwrapDefault(field), check as (v: never) => string | undefined), typeName ?? info.typeName, info);
}

/** The schema under a field's default or optionality. */
function unwrapDefault(field: AnyField): z.ZodType {
    if (field instanceof z.ZodDefault || field instanceof z.ZodOptional || field instanceof z.ZodPrefault) return field.unwrap() as z.ZodType;
    return field;
}

export interface StringOptions<T extends string> extends Common<T> {
    /** Allowed values; messages list them. */
    readonly oneOf?: readonly T[];
    /** A format every value must match. */
    readonly format?: StringFormat;
}

export function str<T extends string = string>(opts: StringOptions<T>): Field<T> {
    const typeName = opts.format ? opts.format.name : opts.oneOf ? `one of ${opts.oneOf.join(", ")}` : "string";
    const error = baseError(typeName, opts.description, typeName, true);
    let schema: z.ZodType = opts.oneOf ? z.enum(opts.oneOf as unknown as [T, ...T[]], { error }) : z.string({ error });
    if (opts.format) {
        const format = opts.format;
        schema = refineWith(schema, (v: string) => format.check(v));
        if (format.pattern && format.pattern.flags === "") schema = schema.meta({ pattern: format.pattern.source });
        if (format.values) schema = schema.meta({ enum: [...format.values] });
    }
    return declare<T>(schema, typeName, opts);
}

export interface IntOptions extends Common<number> {
    readonly min?: number;
    readonly max?: number;
}

export function int(opts: IntOptions): Field<number> {
    let range = "";
    if (opts.min !== undefined) range = opts.max !== undefined ? ` (${opts.min}..${opts.max})` : ` (≥ ${opts.min})`;
    const typeName = `integer${range}`;
    // Strict: a quoted "3" inside an object is a string, and a typo of type deserves an error.
    // Not zod's `.int()`: its issue aborts every later check, also the enclosing objects' rules.
    let schema = refineWith(z.number({ error: baseError(typeName, opts.description, "integer") }), (n: number) => (Number.isInteger(n) ? undefined : "is a number; expected an integer"));
    if (opts.min !== undefined) schema = schema.min(opts.min);
    if (opts.max !== undefined) schema = schema.max(opts.max);
    schema = schema.meta({ type: "integer" }); // last: zod keeps metadata per instance, and min/max make new ones
    return declare<number>(schema, typeName, opts);
}

export function bool(opts: Common<boolean>): Field<boolean> {
    return declare<boolean>(z.boolean({ error: baseError("boolean", opts.description, "boolean") }), "boolean", opts);
}

/** Cross-field rules; `key` is the checked value's key, and `given` holds the keys the stack file sets in the top-level section. */
type Rules<T> = (value: T, key: string, ctx: ParseContext, given: ReadonlySet<string>) => void;

/** An issue whose message is complete (`HERE` stands for the key of the value at `path`); `key` is its problem's key. */
function customIssue(input: unknown, path: PropertyKey[], key: string, message: string): z.core.$ZodRawIssue {
    return { code: "custom", input, path, params: { key, message }, continue: true } as z.core.$ZodRawIssue;
}

/**
 * Run an object's rules, also when some of its fields failed: on the value when every field parsed,
 * else on a view of what did parse (`partialView`); their problems become issues at the object.
 */
function runRules(payload: Payload, check: (value: never, problems: Problem[]) => void): void {
    const value = payload.value as unknown;
    if (value === null || typeof value !== "object" || payload.issues.some((i) => (i.path ?? []).length === 0 && !isRuleIssue(i))) return; // the value itself is wrong
    const problems: Problem[] = [];
    skipUnparsed(() => check((payload.issues.length === 0 ? value : partialView(value, payload.issues)) as never, problems));
    payload.issues.push(...problems.map((p) => customIssue(value, [], p.key, p.message)));
}

function isRuleIssue(i: { code?: string; params?: unknown }): boolean {
    return i.code === "custom" && (i.params as { key?: string } | undefined)?.key !== undefined;
}

export interface ListOptions<T> extends Common<readonly T[]> {
    readonly minItems?: number;
    /** Items must be unique by this key; `uniqueLabel` names it in the message ("name"). */
    readonly uniqueBy?: (item: T) => string;
    readonly uniqueLabel?: string;
}

export function list<T>(item: Field<T>, opts: ListOptions<T>): Field<readonly T[]> {
    const typeName = `list of ${infoOf(item).typeName}`;
    let schema = z.array(item, { error: baseError(typeName, opts.description, "list") });
    if (opts.minItems !== undefined) schema = schema.min(opts.minItems);
    const uniqueBy = opts.uniqueBy;
    if (uniqueBy === undefined) return declare<readonly T[]>(schema, typeName, opts);
    const unique = schema.superRefine(
        (items, payload) => {
            const seen = new Map<string, number>();
            items.forEach((v, i) => {
                const k = uniqueBy(v);
                const first = seen.get(k);
                if (first === undefined) seen.set(k, i);
                else payload.issues.push(customIssue(items, [], `${HERE}[${i}]`, `${HERE}[${i}] repeats ${opts.uniqueLabel ?? "the value"} ${JSON.stringify(k)} of ${HERE}[${first}]; each must be unique`));
            });
        },
        { when: (payload) => payload.issues.length === 0 }, // only a list whose items all parsed
    );
    return declare<readonly T[]>(unique, typeName, opts);
}

export interface RecordOptions<T> extends Common<Readonly<Record<string, T>>> {
    /** A format every map key must match. */
    readonly keyFormat?: StringFormat;
}

export function record<T>(item: Field<T>, opts: RecordOptions<T>): Field<Readonly<Record<string, T>>> {
    const typeName = `map of ${infoOf(item).typeName}`;
    const schema = z.record(z.string(), item, { error: baseError(typeName, opts.description, "map") });
    const keyFormat = opts.keyFormat;
    if (keyFormat === undefined) return declare<Readonly<Record<string, T>>>(schema, typeName, opts);
    const keyed = schema.superRefine(
        (map, payload) => {
            if (payload.issues.some((i) => (i.path ?? []).length === 0)) return; // not a map
            for (const k of Object.keys(map)) {
                const expected = keyFormat.check(k);
                if (expected !== undefined) payload.issues.push(customIssue(map, [], `${HERE}.${k}`, `${HERE} has the key ${JSON.stringify(k)}, which ${expected}`));
            }
        },
        { when: () => true }, // also next to values that failed
    );
    const documented = keyFormat.pattern?.flags === "" ? keyed.meta({ propertyNames: { pattern: keyFormat.pattern.source } }) : keyed;
    return declare<Readonly<Record<string, T>>>(documented, typeName, opts);
}

type Shape = Readonly<Record<string, AnyField>>;

/** The object type of a shape: fields with a default or required are present; optional ones may be undefined. */
export type ObjectOf<S extends Shape> = { readonly [K in keyof S]: TypeOf<S[K]> };

export interface ObjectOptions<S extends Shape> extends Common<ObjectOf<S>> {
    /**
     * Cross-field rules; add problems through `problem`/`problemText`. `given` holds the keys the stack
     * file sets in the top-level section being parsed. When a field failed to parse, rules see a view
     * of the fields that did (see `partialView`).
     */
    readonly rules?: Rules<ObjectOf<S>>;
}

/**
 * An object with a fixed set of keys. Unknown keys are refused (a typo must not silently fall back
 * to a default), each named with the keys that are known.
 */
export function obj<S extends Shape>(shape: S, opts: ObjectOptions<S>): Field<ObjectOf<S>> {
    const strict = z.strictObject(shape as Record<string, z.ZodType>, { error: baseError("object", opts.description, "object") });
    return declare<ObjectOf<S>>(new StrictObject({ ...strict._zod.def, rules: opts.rules as Rules<never> | undefined }), "object", opts);
}

/** An object field that may be left out entirely; when absent, every inner default applies (and its rules run). */
export function section<S extends Shape>(shape: S, opts: ObjectOptions<S>): Field<ObjectOf<S>> {
    return declare<ObjectOf<S>>(obj(shape, { ...opts, default: undefined, optional: false }).prefault({} as never), "object", { description: opts.description });
}

// ---------------------------------------------------------------------------------------------
// Rules next to fields that failed

/** Thrown when a rule reads a field that failed to parse: the rule's remaining checks are skipped. */
export class UnparsedField extends Error {
    constructor(public readonly key: string) {
        super(`${key} did not parse`);
        this.name = "UnparsedField";
    }
}

/** Run a check; one that reads a field which failed to parse stops there (its problem is already reported). */
export function skipUnparsed(check: () => void): void {
    try {
        check();
    } catch (err) {
        if (!(err instanceof UnparsedField)) throw err;
    }
}

interface PathIssue {
    readonly path?: readonly PropertyKey[];
    readonly code?: string;
    readonly params?: unknown;
}

/**
 * A read-only view of an object some of whose fields failed to parse (the zod issues say which).
 * Reading a failed field throws `UnparsedField`; an object field whose own fields failed reads as a
 * view of the same kind (so a rule still sees what parsed); lists and maps with any problem, and
 * objects refused only by their own rules, read as failed.
 */
export function partialView<T extends object>(value: T, issues: readonly PathIssue[]): T {
    return new Proxy(value, {
        get(target, prop, receiver) {
            const v = Reflect.get(target, prop, receiver) as unknown;
            if (typeof prop !== "string") return v;
            const under = issues.filter((i) => i.path !== undefined && i.path.length > 0 && i.path[0] === prop);
            if (under.length === 0) return v;
            const deeper = under.filter((i) => i.path!.length > 1).map((i) => ({ ...i, path: i.path!.slice(1) }));
            const atField = under.filter((i) => i.path!.length === 1);
            const plainObject = v !== null && typeof v === "object" && !Array.isArray(v);
            if (!plainObject || deeper.length === 0 || atField.some((i) => !isRuleIssue(i))) throw new UnparsedField(prop);
            return partialView(v as object, deeper);
        },
    });
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** The outcome of parsing one top-level value: its (partial) value, its problems, and the issue paths. */
export interface Parsed<T> {
    /** The parsed value with every default applied; when there are problems, what did parse (see `partialView`). */
    readonly value: T | undefined;
    readonly problems: readonly Problem[];
    /** The issues' paths, for `partialView`. */
    readonly issues: readonly PathIssue[];
}

/**
 * Parse `value` (undefined when the stack file leaves the key out) against `field` as the
 * top-level key `root` of a stack in environment `env`. Never throws for bad input.
 */
export function parseSection<T>(field: Field<T>, value: unknown, where: { env: Environment; stack: string; root: string }): Parsed<T> {
    const isObject = value !== null && typeof value === "object" && !Array.isArray(value);
    const scope: Scope = { env: where.env, stack: where.stack, given: new Set(isObject ? Object.keys(value) : []) };
    // zod's safeParse (core/parse.js `_parse`) without dropping the value on failure: the rules across
    // sections still read what did parse (`partialView`). The scope rides in zod's parse context.
    const ctx = { async: false, [SCOPE]: scope } as z.core.ParseContextInternal<z.core.$ZodIssue>;
    const result = synchronous((field as unknown as { _zod: { run(payload: Payload, ctx: unknown): Payload | Promise<Payload> } })._zod.run({ value, issues: [] }, ctx));
    const problems: Problem[] = [];
    const seen = new Set<string>();
    for (const issue of result.issues) {
        const params = (issue as { params?: { key?: string; message?: string } }).params;
        const here = where.root + (issue.path ?? []).map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
        const key = params?.key?.split(HERE).join(here) ?? here; // split/join: a key may hold `$&`, which replaceAll would expand
        // One problem per value: a wrong value is not also reported out of range.
        if (params?.key === undefined) {
            if (seen.has(key)) continue;
            seen.add(key);
        }
        // A rule's (or a format's) sentence is complete; zod renders the rest through each field's `error` (`baseError`).
        const message = params?.message ?? z.core.util.finalizeIssue(issue, ctx, z.core.config()).message;
        problems.push({ key, message: message.split(HERE).join(here) });
    }
    return { value: result.value as T | undefined, problems, issues: result.issues };
}
