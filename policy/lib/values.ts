/**
 * Plain-data helpers shared by every rule: unknown (preview) values, safe path access, type guards.
 *
 * Decision: a value that is unknown at preview time means "cannot tell yet". Rules skip the check
 * that needs it (no violation, no exception); the check runs again at `pulumi up`, when the value
 * is known. Absent values (`undefined`) are different: they are really missing and are flagged.
 */

/** Marks a value the engine cannot know yet (an output of another resource during preview). */
export const UNKNOWN: unique symbol = Symbol("unknown at preview");
/** The type of {@link UNKNOWN}. */
export type Unknown = typeof UNKNOWN;

/** A read-only JSON-like object. */
export type PlainRecord = Readonly<Record<string, unknown>>;

/**
 * Sentinels the Pulumi engine and `@pulumi/policy` use for unknown values
 * (pulumi/pulumi sdk/nodejs/runtime/rpc.ts `unknownValue`, pulumi/pulumi-policy sdk/nodejs/policy/proxy.ts).
 */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** True for {@link UNKNOWN}. */
export function isUnknown(value: unknown): value is Unknown {
    return value === UNKNOWN;
}

/** True for a non-array object. */
export function isRecord(value: unknown): value is PlainRecord {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `@pulumi/policy` wraps resource inputs in a proxy that throws `UnknownValueError` when a rule reads
 * an unknown value. Recognised by shape so this module does not load `@pulumi/policy` at run time
 * (the offline manifest checker stays fast).
 */
function isUnknownValueError(err: unknown): boolean {
    return err instanceof Error && "unknownTypeSentinel" in err && "props" in err;
}

function readProperty(source: object, key: string): unknown {
    try {
        return (source as Record<string, unknown>)[key];
    } catch (err) {
        if (isUnknownValueError(err)) {
            return UNKNOWN;
        }
        throw err;
    }
}

/**
 * Deep-copies resource inputs into plain data, replacing unknown values (proxy errors or raw sentinel
 * strings) by {@link UNKNOWN}. Accepts the `@pulumi/policy` proxy, harness inputs or parsed YAML.
 */
export function toPlain(value: unknown): unknown {
    if (typeof value === "string") {
        return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    if (Array.isArray(value)) {
        const length = value.length;
        const items: unknown[] = [];
        for (let i = 0; i < length; i++) {
            items.push(toPlain(readProperty(value, String(i))));
        }
        return items;
    }
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
        copy[key] = toPlain(readProperty(value, key));
    }
    return copy;
}

/**
 * The value at `path` below `root`: {@link UNKNOWN} as soon as an unknown value is crossed,
 * `undefined` when a step is missing or not an object.
 */
export function at(root: unknown, path: readonly string[]): unknown {
    let current: unknown = root;
    for (const key of path) {
        if (isUnknown(current)) {
            return UNKNOWN;
        }
        if (!isRecord(current)) {
            return undefined;
        }
        current = current[key];
    }
    return current;
}

/** A string value, or `undefined` for anything else (unknown included). */
export function knownString(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

/** A name as Kubernetes reads it: a string, or a number YAML read from an unquoted name (`name: 1234`); else `undefined`. */
export function knownName(value: unknown): string | undefined {
    if (typeof value === "string") return value;
    return (typeof value === "number" && Number.isFinite(value)) ? String(value) : undefined;
}

/**
 * The one meaning of "set" for the fields the workload rules require (probes, resource requests and
 * limits): a non-empty string, a number, or an object with at least one field. Nothing else is set:
 * absent, `null`, `""`, `false`/`true`, a list, `{}`. An unknown value (preview) counts as set, as
 * the rules cannot tell yet.
 */
export function isSet(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (typeof value === "string") return value !== "";
    if (typeof value === "number") return Number.isFinite(value);
    return isRecord(value) && Object.keys(value).length > 0;
}

/** True when a field is really absent or empty: `undefined`, `null` or `""` (unknown is not missing). */
export function isMissing(value: unknown): boolean {
    return value === undefined || value === null || value === "";
}

/** Formats a value for a message: strings quoted, unknown named. */
export function describe(value: unknown): string {
    if (isUnknown(value)) {
        return "(unknown)";
    }
    return JSON.stringify(value) ?? String(value);
}
