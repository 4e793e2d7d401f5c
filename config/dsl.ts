/**
 * A small declarative schema for stack configuration: one declaration gives the TypeScript type,
 * the parser with its error messages, the defaults per environment, and the README reference table.
 *
 * Every parser collects problems into the context instead of throwing, so one run reports every
 * mistake at once (the pattern of pulumi-eks `InputPropertiesError`).
 */

/** The two deployment environments. Stack files name theirs in `footanalytics-gitops:environment`. */
export const ENVIRONMENTS = ["staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** One problem with a value at a key path. */
export interface Problem {
    readonly key: string;
    readonly message: string;
}

/** What a parser knows besides the value: the environment, the stack, and where problems go. */
export interface ParseContext {
    readonly env: Environment;
    readonly stack: string;
    readonly problems: Problem[];
    /**
     * Objects that failed to parse, by key, as guarded views of the fields that did parse. Rules of
     * enclosing objects read them, so one bad field does not hide the problems of its neighbours.
     */
    readonly partials?: Map<string, unknown>;
}

/** Thrown when a rule reads a field that failed to parse: the rule's remaining checks are skipped. */
export class UnparsedField extends Error {
    constructor(public readonly key: string) {
        super(`${key} did not parse`);
        this.name = "UnparsedField";
    }
}

/**
 * A read-only view of an object whose `failed` fields did not parse: reading one of them throws
 * `UnparsedField` (its own problem is already reported), every other field reads normally.
 */
export function guardedView<T extends object>(value: T, failed: ReadonlySet<string>, key: string): T {
    return new Proxy(value, {
        get(target, prop, receiver) {
            if (typeof prop === "string" && failed.has(prop)) throw new UnparsedField(`${key}.${prop}`);
            return Reflect.get(target, prop, receiver);
        },
    });
}

/**
 * Run cross-field rules. Checks that read a field which failed to parse stop there (that field's
 * problem is already reported); everything they found before is kept.
 */
export function runRules<T>(
    rules: ((value: T, key: string, ctx: ParseContext, given: ReadonlySet<string>) => void) | undefined,
    value: T,
    key: string,
    ctx: ParseContext,
    given: ReadonlySet<string> = new Set(),
): void {
    if (rules !== undefined) skipUnparsed(() => rules(value, key, ctx, given));
}

/** Run a check; one that reads a field which failed to parse stops there (its problem is already reported). */
export function skipUnparsed(check: () => void): void {
    try {
        check();
    } catch (err) {
        if (!(err instanceof UnparsedField)) throw err;
    }
}

/**
 * Parse the field `name` of an object into `out`. When it fails, `out` gets the guarded partial view
 * of a failed object (so rules still see what parsed), or `name` joins `failed`.
 */
export function parseChild(field: AnyField, value: unknown, key: string, name: string, ctx: ParseContext, out: Record<string, unknown>, failed: Set<string>): void {
    const mark = ctx.problems.length;
    out[name] = parseField(field, value, key, ctx);
    if (ctx.problems.length !== mark) {
        const partial = ctx.partials?.get(key);
        if (partial !== undefined) out[name] = partial;
        else failed.add(name);
    }
}

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
        public readonly compute: (ctx: ParseContext, key: string) => T | undefined,
    ) {}
}

export type Default<T> = T | PerEnvironment<T> | Derived<T>;

/** Shorthand for a per-environment default. */
export function perEnv<T>(staging: T, production: T): PerEnvironment<T> {
    return new PerEnvironment(staging, production);
}

/** Shorthand for a computed default. */
export function derived<T>(doc: string, compute: (ctx: ParseContext, key: string) => T | undefined): Derived<T> {
    return new Derived(doc, compute);
}

/** A declared configuration value. `T` is the type the program receives. */
export interface Field<T> {
    /** Human name of the type, used in messages and the reference table ("integer", "list of string"). */
    readonly typeName: string;
    /** One sentence for the reference table. */
    readonly description: string;
    /** Whether a missing value is allowed (then `undefined` unless a default applies). */
    readonly optional: boolean;
    /** The default applied when the key is absent. */
    readonly default?: Default<T>;
    /** Fields of an object, for documentation walks. */
    readonly shape?: Readonly<Record<string, AnyField>>;
    /** Item field of a list or record, for documentation walks. */
    readonly item?: AnyField;
    /** Parse a present value; return `undefined` after adding at least one problem. */
    parse(value: unknown, key: string, ctx: ParseContext): T | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyField = Field<any>;

/** The type a field produces. */
export type TypeOf<F> = F extends Field<infer T> ? T : never;

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

function typeProblem(ctx: ParseContext, key: string, value: unknown, typeName: string): undefined {
    problem(ctx, key, value, `is ${describeKind(value)}; expected ${article(typeName)}`);
    return undefined;
}

function article(typeName: string): string {
    if (typeName.startsWith("one of ")) return `one of: ${typeName.slice(7)}`;
    return /^[aeiou]/i.test(typeName) ? `an ${typeName}` : `a ${typeName}`;
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

/** Resolve the value of an absent key, or record that it is required. */
export function resolveMissing<T>(field: Field<T>, key: string, ctx: ParseContext): T | undefined {
    const d = field.default;
    if (d instanceof PerEnvironment) return d.pick(ctx.env) as T;
    if (d instanceof Derived) return d.compute(ctx, key) as T | undefined;
    if (d !== undefined) return d;
    if (!field.optional) {
        problemText(ctx, key, `${key} is missing; expected ${article(field.typeName)} (${field.description.replace(/\.$/, "")})`);
    }
    return undefined;
}

/** Parse a value that may be absent. */
export function parseField<T>(field: Field<T>, value: unknown, key: string, ctx: ParseContext): T | undefined {
    if (value === undefined) return resolveMissing(field, key, ctx);
    return field.parse(value, key, ctx);
}

export interface StringOptions<T extends string> extends Common<T> {
    /** Allowed values; messages list them. */
    readonly oneOf?: readonly T[];
    /** A format every value must match. */
    readonly format?: StringFormat;
}

/** A named string format: a test and the sentence that says what it expects. */
export interface StringFormat {
    readonly name: string;
    /** Returns undefined when valid, else what is expected (e.g. `must be a CIDR block such as "10.0.0.0/16"`). */
    check(value: string): string | undefined;
}

export function str<T extends string = string>(opts: StringOptions<T>): Field<T> {
    const typeName = opts.format ? opts.format.name : opts.oneOf ? `one of ${opts.oneOf.join(", ")}` : "string";
    return {
        typeName,
        description: opts.description,
        optional: opts.optional ?? false,
        default: opts.default,
        parse(value, key, ctx) {
            if (typeof value === "number" || typeof value === "boolean") {
                // YAML turned unquoted text into a number or boolean (kubernetesVersion: 1.30 arrives as 1.3).
                const what = typeof value === "number" ? "a number, dropping trailing zeros (1.30 becomes 1.3)" : "a boolean";
                problem(ctx, key, value, `is ${describeKind(value)}; expected ${article(typeName)}: quote the value in the stack file, because YAML reads it unquoted as ${what}`);
                return undefined;
            }
            if (typeof value !== "string") return typeProblem(ctx, key, value, typeName);
            if (opts.oneOf && !opts.oneOf.includes(value as T)) {
                problem(ctx, key, value, `must be one of: ${opts.oneOf.join(", ")}`);
                return undefined;
            }
            if (opts.format) {
                const expected = opts.format.check(value);
                if (expected !== undefined) {
                    problem(ctx, key, value, expected);
                    return undefined;
                }
            }
            return value as T;
        },
    };
}

export interface IntOptions extends Common<number> {
    readonly min?: number;
    readonly max?: number;
}

export function int(opts: IntOptions): Field<number> {
    let range = "";
    if (opts.min !== undefined) range = opts.max !== undefined ? ` (${opts.min}..${opts.max})` : ` (≥ ${opts.min})`;
    return {
        typeName: `integer${range}`,
        description: opts.description,
        optional: opts.optional ?? false,
        default: opts.default,
        parse(value, key, ctx) {
            // Strict: a quoted "3" inside an object is a string, and a typo of type deserves an error.
            // (Every top-level key is an object or a string, so the CLI's stringified scalars never reach here.)
            const n = value;
            if (typeof n !== "number" || !Number.isInteger(n)) return typeProblem(ctx, key, value, "integer");
            if (opts.min !== undefined && n < opts.min) {
                problem(ctx, key, value, `must be at least ${opts.min}`);
                return undefined;
            }
            if (opts.max !== undefined && n > opts.max) {
                problem(ctx, key, value, `must be at most ${opts.max}`);
                return undefined;
            }
            return n;
        },
    };
}

export function bool(opts: Common<boolean>): Field<boolean> {
    return {
        typeName: "boolean",
        description: opts.description,
        optional: opts.optional ?? false,
        default: opts.default,
        parse(value, key, ctx) {
            if (typeof value !== "boolean") return typeProblem(ctx, key, value, "boolean");
            return value;
        },
    };
}

export interface ListOptions<T> extends Common<readonly T[]> {
    readonly minItems?: number;
    readonly maxItems?: number;
    /** Items must be unique by this key; `uniqueLabel` names it in the message ("name"). */
    readonly uniqueBy?: (item: T) => string;
    readonly uniqueLabel?: string;
}

export function list<T>(item: Field<T>, opts: ListOptions<T>): Field<readonly T[]> {
    return {
        typeName: `list of ${item.typeName}`,
        description: opts.description,
        optional: opts.optional ?? false,
        default: opts.default,
        item,
        parse(value, key, ctx) {
            if (!Array.isArray(value)) return typeProblem(ctx, key, value, "list");
            const before = ctx.problems.length;
            if (opts.minItems !== undefined && value.length < opts.minItems) {
                problem(ctx, key, value, `has ${value.length} item${value.length === 1 ? "" : "s"}; expected at least ${opts.minItems}`);
            }
            if (opts.maxItems !== undefined && value.length > opts.maxItems) {
                problem(ctx, key, value, `has ${value.length} items; expected at most ${opts.maxItems}`);
            }
            const out: T[] = [];
            value.forEach((v, i) => {
                const parsed = item.parse(v, `${key}[${i}]`, ctx);
                if (parsed !== undefined) out.push(parsed);
            });
            if (opts.uniqueBy && ctx.problems.length === before) {
                const seen = new Map<string, number>();
                out.forEach((v, i) => {
                    const k = opts.uniqueBy!(v);
                    const first = seen.get(k);
                    if (first !== undefined) {
                        problemText(
                            ctx,
                            `${key}[${i}]`,
                            `${key}[${i}] repeats ${opts.uniqueLabel ?? "the value"} ${JSON.stringify(k)} of ${key}[${first}]; each must be unique`,
                        );
                    } else {
                        seen.set(k, i);
                    }
                });
            }
            return ctx.problems.length === before ? out : undefined;
        },
    };
}

export interface RecordOptions<T> extends Common<Readonly<Record<string, T>>> {
    /** A format every map key must match. */
    readonly keyFormat?: StringFormat;
}

export function record<T>(item: Field<T>, opts: RecordOptions<T>): Field<Readonly<Record<string, T>>> {
    return {
        typeName: `map of ${item.typeName}`,
        description: opts.description,
        optional: opts.optional ?? false,
        default: opts.default,
        item,
        parse(value, key, ctx) {
            if (value === null || typeof value !== "object" || Array.isArray(value)) return typeProblem(ctx, key, value, "map");
            const before = ctx.problems.length;
            const out: Record<string, T> = {};
            for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
                if (opts.keyFormat) {
                    const expected = opts.keyFormat.check(k);
                    if (expected !== undefined) problemText(ctx, `${key}.${k}`, `${key} has the key ${JSON.stringify(k)}, which ${expected}`);
                }
                const parsed = item.parse(v, `${key}.${k}`, ctx);
                if (parsed !== undefined) out[k] = parsed;
            }
            return ctx.problems.length === before ? out : undefined;
        },
    };
}

type Shape = Readonly<Record<string, AnyField>>;

/** The object type of a shape: fields with a default or required are present; optional ones may be undefined. */
export type ObjectOf<S extends Shape> = { readonly [K in keyof S]: TypeOf<S[K]> };

export interface ObjectOptions<S extends Shape> extends Common<ObjectOf<S>> {
    /**
     * Cross-field rules; add problems through `problem`/`problemText`. `given` holds the keys the stack
     * file sets (as opposed to defaults). When a field failed to parse, rules see a guarded view.
     */
    readonly rules?: (value: ObjectOf<S>, key: string, ctx: ParseContext, given: ReadonlySet<string>) => void;
}

/**
 * An object with a fixed set of keys. Unknown keys are refused (a typo must not silently fall back
 * to a default). A missing object whose fields all have defaults is built from those defaults.
 */
export function obj<S extends Shape>(shape: S, opts: ObjectOptions<S>): Field<ObjectOf<S>> {
    const field: Field<ObjectOf<S>> = {
        typeName: "object",
        description: opts.description,
        optional: opts.optional ?? false,
        default: opts.default,
        shape,
        parse(value, key, ctx) {
            if (value === null || typeof value !== "object" || Array.isArray(value)) return typeProblem(ctx, key, value, "object");
            const before = ctx.problems.length;
            const input = value as Record<string, unknown>;
            for (const k of Object.keys(input)) {
                if (!(k in shape)) {
                    problemText(ctx, `${key}.${k}`, `${key}.${k} is not a known key; expected one of: ${Object.keys(shape).join(", ")}`);
                }
            }
            const out: Record<string, unknown> = {};
            const failed = new Set<string>();
            for (const [k, f] of Object.entries(shape)) parseChild(f, input[k], `${key}.${k}`, k, ctx, out, failed);
            if (ctx.problems.length !== before) {
                const view = guardedView(out, failed, key) as ObjectOf<S>;
                runRules(opts.rules, view, key, ctx, new Set(Object.keys(input)));
                ctx.partials?.set(key, view);
                return undefined;
            }
            const result = out as ObjectOf<S>;
            runRules(opts.rules, result, key, ctx, new Set(Object.keys(input)));
            return ctx.problems.length === before ? result : undefined;
        },
    };
    return field;
}

/** An object field that may be left out entirely; when absent, every inner default applies. */
export function section<S extends Shape>(shape: S, opts: ObjectOptions<S>): Field<ObjectOf<S>> {
    const inner = obj(shape, opts);
    return {
        ...inner,
        default: derived("the defaults of its fields", (ctx, key) => inner.parse({}, key, ctx)),
    };
}

/** Deep-freeze a parsed configuration so no component can change it. */
export function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const v of Object.values(value as object)) deepFreeze(v);
    }
    return value;
}
