import * as fs from "fs";
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { z } from "zod";
import { ENVIRONMENTS, type Environment } from "@footanalytics/facts";
import { ObjectIdentity } from "./kube";
import { describe, isRecord } from "./values";

/**
 * Pack configuration. The file is the one the Pulumi CLI takes (`--policy-pack-config`): one section
 * per policy, keyed by policy name, either an enforcement level string or an object with an optional
 * `enforcementLevel` plus that policy's settings; `all` sets the level of every policy.
 * The offline tools read the same file, so one file serves preview, CI and the GitOps repository.
 */

/** Same values as `@pulumi/policy`'s `EnforcementLevel`. */
export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];

/** Production stacks get the strict profile; every other stack is treated like staging. */
export { ENVIRONMENTS, type Environment } from "@footanalytics/facts";

/** Settings a policy may accept besides `exemptions` (which every policy accepts). */
export type SettingKey = "requireCpuLimits" | "environment";

/** A reviewed exception: the only way to silence a finding (never an annotation the workload owner controls). */
export interface Exemption {
    /** The policy it applies to; defaults to the section it is written in and must match it. */
    readonly policy: string;
    /** Object kind, e.g. `StatefulSet`. */
    readonly kind: string;
    /** Object namespace; objects that set none are in `default`. */
    readonly namespace: string;
    /** Object name: `metadata.name`, or `<generateName>*` for an object named from `metadata.generateName`. */
    readonly name: string;
    /** Optional: limit the exemption to one container. */
    readonly container?: string;
    /** Why upstream leaves no choice; required, listed in docs/policies.md. */
    readonly reason: string;
}

/** One policy's parsed settings, every default applied. */
export interface PolicySettings {
    /** Require CPU limits as well as memory limits (default true). */
    readonly requireCpuLimits: boolean;
    /** Environment of resources that declare none with the `footanalytics.io/environment` label. */
    readonly environment?: Environment;
    readonly exemptions: readonly Exemption[];
}

/** Settings of a policy with no configuration. */
export const DEFAULT_SETTINGS: PolicySettings = Object.freeze({ requireCpuLimits: true, exemptions: Object.freeze([]) });

/** Result of parsing one section: settings with defaults, and every problem found. */
export interface ParsedSettings {
    readonly settings: PolicySettings;
    readonly problems: readonly string[];
}

/** What the pack needs to know about a policy to parse its section. */
export interface ConfigurablePolicy {
    readonly name: string;
    readonly settingKeys: readonly SettingKey[];
}

// ---------------------------------------------------------------------------------------------
// The schema of one policy's section, in zod (https://zod.dev): the parser, its messages, and the
// JSON Schema the Pulumi CLI checks `--policy-pack-config` against (`configSchemaFor`).

type Issue = z.core.$ZodRawIssue;

let loaded: typeof z | undefined;
/**
 * zod, loaded on first use: the manifest checker's worker threads import this module for the
 * settings types and `isExempt`, and are handed parsed configuration; they never load zod.
 */
function zod(): typeof z {
    if (loaded === undefined) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        loaded = (require("zod") as typeof import("zod")).z;
        // One parse per process: zod's JIT costs more than it saves (config/dsl.ts).
        loaded.config({ jitless: true });
    }
    return loaded;
}

/** `require-probes.exemptions[0].reason`: the section's policy name, then the path inside it. */
function keyOf(policy: string, path: readonly PropertyKey[] | undefined): string {
    return policy + (path ?? []).map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
}

/** A message for a wrong value: `expected` ends the sentence after the key and the value received. */
function valueError(policy: string, expected: string | ((iss: Issue) => string)) {
    return (iss: Issue): string | undefined =>
        iss.code === "custom" ? undefined : `${keyOf(policy, iss.path)} (${describe(iss.input)}) ${typeof expected === "string" ? expected : expected(iss)}`;
}

/** Issues zod reports once for all unknown keys of an object, as one message per key (first, as the reader meets them). */
function eachUnknownKey(message: (key: string) => string) {
    return (_value: unknown, payload: z.core.ParsePayload): void => {
        const at = payload.issues.findIndex((i) => i.code === "unrecognized_keys" && (i.path ?? []).length === 0);
        if (at < 0) return;
        const [unknown] = payload.issues.splice(at, 1) as { keys: string[] }[];
        payload.issues.unshift(...unknown.keys.map((k) => ({ code: "custom", input: undefined, path: [k], message: message(k), continue: true }) as Issue));
    };
}

const EXEMPTION_FIELDS = ["policy", "kind", "namespace", "name", "container", "reason"] as const;

/** A string the exemption must have: missing, blank and non-string values are refused. */
function required(policy: string, field: string, description: string) {
    const hint = field === "reason" ? ": say why upstream leaves no choice" : "";
    const error = (iss: Issue) => (iss.input === undefined ? `${keyOf(policy, iss.path)} is required${hint}` : valueError(policy, "must be a string")(iss));
    return zod()
        .string({ error })
        .refine((v) => v.trim() !== "", { error: (iss) => `${keyOf(policy, iss.path)} is required${hint}` })
        .meta({ minLength: 1, description });
}

function exemptionSchema(policy: string) {
    const text = zod().string({ error: valueError(policy, "must be a string") });
    return zod()
        .strictObject(
            {
                policy: text.optional().meta({ const: policy, description: "The policy it applies to; defaults to this section's." }),
                kind: required(policy, "kind", "Object kind, e.g. `StatefulSet`."),
                namespace: required(policy, "namespace", "Object namespace; objects that set none are in `default`."),
                name: required(policy, "name", "Object name: `metadata.name`, or `<generateName>*` for an object named from `metadata.generateName`.").refine((v) => v !== "(unnamed)", {
                    error: (iss) => `${keyOf(policy, iss.path)} ("(unnamed)") matches no object: name it by metadata.name, or by "<generateName>*" for an object named from metadata.generateName`,
                }),
                container: text.optional().meta({ minLength: 1, description: "Limit the exemption to one container." }),
                reason: required(policy, "reason", "Why upstream leaves no choice."),
            },
            { error: valueError(policy, "must be an object with kind, namespace, name and reason") },
        )
        .superRefine(eachUnknownKey((k) => `${policy}.exemptions[…].${k} is not a known field; allowed: ${EXEMPTION_FIELDS.join(", ")}`), { when: () => true })
        .superRefine(
            (e, payload) => {
                if (typeof e.policy === "string" && e.policy !== policy) {
                    payload.addIssue({ code: "custom", input: e.policy, path: ["policy"], message: `${policy}.exemptions[…].policy ("${e.policy}") must be "${policy}", the section it is written in` });
                }
            },
            { when: (payload) => isRecord(payload.value) },
        )
        .transform((e): Exemption => ({ ...e, policy }));
}

const levelSchema = (where: (iss: Issue) => string) =>
    zod().enum(ENFORCEMENT_LEVELS, { error: (iss) => `${where(iss)} (${describe(iss.input)}) must be one of: ${ENFORCEMENT_LEVELS.join(", ")}` });

/** The object form of a policy's section: an optional level plus the settings the policy has. */
function sectionSchema(policy: ConfigurablePolicy) {
    const p = policy.name;
    const known = ["exemptions", ...policy.settingKeys];
    const settings = {
        enforcementLevel: levelSchema((iss) => keyOf(p, iss.path)).optional(),
        ...(policy.settingKeys.includes("requireCpuLimits")
            ? { requireCpuLimits: zod().boolean({ error: valueError(p, "must be true or false") }).default(true).meta({ description: "Require CPU limits as well as memory limits." }) }
            : {}),
        ...(policy.settingKeys.includes("environment")
            ? {
                  environment: zod()
                      .enum(ENVIRONMENTS, { error: valueError(p, `must be one of: ${ENVIRONMENTS.join(", ")}`) })
                      .optional()
                      .meta({ description: "Environment of resources that carry no footanalytics.io/environment label (the program labels its own)." }),
              }
            : {}),
        exemptions: zod()
            .array(exemptionSchema(p), { error: valueError(p, "must be a list of {policy, kind, namespace, name, reason}") })
            .default([])
            .meta({ description: "Reviewed exceptions; reason required." }),
    };
    return zod()
        .strictObject(settings, { error: valueError(p, "settings must be an object") })
        .superRefine(eachUnknownKey((k) => `${p}.${k} is not a setting of this policy; allowed: ${known.join(", ")}`), { when: () => true });
}

const SECTIONS = new Map<string, ReturnType<typeof sectionSchema>>();

function schemaOf(policy: ConfigurablePolicy): ReturnType<typeof sectionSchema> {
    const id = `${policy.name}:${policy.settingKeys.join(",")}`;
    let schema = SECTIONS.get(id);
    if (schema === undefined) {
        schema = sectionSchema(policy);
        SECTIONS.set(id, schema);
    }
    return schema;
}

/** zod's messages, with `[…]` in the exemption rules' messages replaced by the item's index. */
function messagesOf(issues: readonly z.core.$ZodIssue[]): string[] {
    return issues.map((i) => {
        const index = i.path.find((p) => typeof p === "number");
        return index === undefined ? i.message : i.message.replace("[…]", `[${index}]`);
    });
}

function settingsFrom(parsed: { requireCpuLimits?: boolean; environment?: Environment; exemptions: readonly Exemption[] }): PolicySettings {
    const base = { requireCpuLimits: parsed.requireCpuLimits ?? true, exemptions: parsed.exemptions };
    return parsed.environment === undefined ? base : { ...base, environment: parsed.environment };
}

/**
 * Parses one policy's section (what `args.getConfig()` returns: the section without `enforcementLevel`).
 * Never throws: problems are returned so CrossGuard can report them instead of crashing; the settings
 * keep what is valid (an exemption with a problem is not applied).
 */
export function parsePolicySettings(policy: string, allowed: readonly SettingKey[], raw: unknown): ParsedSettings {
    if (raw === undefined || raw === null) {
        return { settings: DEFAULT_SETTINGS, problems: [] };
    }
    if (!isRecord(raw)) {
        return { settings: DEFAULT_SETTINGS, problems: [`${policy} settings (${describe(raw)}) must be an object`] };
    }
    const schema = schemaOf({ name: policy, settingKeys: allowed });
    const result = schema.safeParse(raw);
    if (result.success) {
        return { settings: settingsFrom(result.data as Parameters<typeof settingsFrom>[0]), problems: [] };
    }
    // Keep every setting and exemption that is valid on its own.
    const shape = schema.shape;
    const field = <T>(s: z.ZodType<T> | undefined, v: unknown): T | undefined => {
        const r = s?.safeParse(v);
        return r?.success ? r.data : undefined;
    };
    const items = Array.isArray(raw.exemptions) ? raw.exemptions : [];
    const item = (shape.exemptions as unknown as z.ZodDefault<z.ZodArray<z.ZodType<Exemption>>>).unwrap().element;
    return {
        settings: settingsFrom({
            requireCpuLimits: field((shape as { requireCpuLimits?: z.ZodType<boolean> }).requireCpuLimits, raw.requireCpuLimits),
            environment: field((shape as { environment?: z.ZodType<Environment | undefined> }).environment, raw.environment),
            exemptions: items.flatMap((e: unknown) => field(item, e) ?? []),
        }),
        problems: messagesOf(result.error.issues),
    };
}

/** One policy's configured level (if any) and settings. */
export interface PolicySection {
    readonly enforcementLevel?: EnforcementLevel;
    readonly settings: PolicySettings;
}

/** A parsed pack configuration file. */
export interface PackConfig {
    /** Level from the `all` key, applied to every policy without its own level. */
    readonly all?: EnforcementLevel;
    readonly sections: ReadonlyMap<string, PolicySection>;
}

/** An empty pack configuration: every policy at its declared level with default settings. */
export const EMPTY_PACK_CONFIG: PackConfig = Object.freeze({ sections: new Map<string, PolicySection>() });

/** Every problem of a pack configuration file, thrown once. */
export class PackConfigError extends Error {
    public readonly problems: readonly string[];

    constructor(problems: readonly string[]) {
        const noun = problems.length === 1 ? "problem" : "problems";
        super(`Invalid policy pack configuration (${problems.length} ${noun}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "PackConfigError";
        this.problems = problems;
    }
}

/** A level given as the whole section (`"require-probes": "mandatory"`) or as `all`. */
function parseLevel(where: string, raw: unknown, problems: string[]): EnforcementLevel | undefined {
    if (raw === undefined) {
        return undefined;
    }
    const result = levelSchema(() => where).safeParse(raw);
    if (result.success) {
        return result.data;
    }
    problems.push(...messagesOf(result.error.issues));
    return undefined;
}

function parseSection(policy: ConfigurablePolicy, raw: unknown, problems: string[]): PolicySection {
    if (typeof raw === "string") {
        const level = parseLevel(policy.name, raw, problems);
        return level === undefined ? { settings: DEFAULT_SETTINGS } : { enforcementLevel: level, settings: DEFAULT_SETTINGS };
    }
    const parsed = parsePolicySettings(policy.name, policy.settingKeys, raw);
    problems.push(...parsed.problems);
    const valid = isRecord(raw) && parsed.problems.length === 0;
    const level = valid ? (raw.enforcementLevel as EnforcementLevel | undefined) : undefined;
    return level === undefined ? { settings: parsed.settings } : { enforcementLevel: level, settings: parsed.settings };
}

/** A pack configuration file that cannot be read or is not JSON. */
export class PackConfigReadError extends Error {
    constructor(file: string, reason: string) {
        super(`cannot read policy pack configuration ${file}: ${reason}`);
        this.name = "PackConfigReadError";
    }
}

/** The JSON of a pack configuration file, as the offline tools read it; throws {@link PackConfigReadError}. */
export function readPackConfigJson(file: string): unknown {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    } catch (err) {
        throw new PackConfigReadError(file, err instanceof Error ? err.message : String(err));
    }
}

/** Parses a whole pack configuration file (already JSON-decoded); throws {@link PackConfigError} listing every problem. */
export function parsePackConfig(raw: unknown, policies: readonly ConfigurablePolicy[]): PackConfig {
    if (!isRecord(raw)) {
        throw new PackConfigError([`the file must hold a JSON object keyed by policy name, got ${describe(raw)}`]);
    }
    const problems: string[] = [];
    const byName = new Map(policies.map((p) => [p.name, p]));
    const sections = new Map<string, PolicySection>();
    let all: EnforcementLevel | undefined;
    for (const [key, value] of Object.entries(raw)) {
        if (key === "all") {
            all = parseLevel("all", isRecord(value) ? value.enforcementLevel : value, problems);
            continue;
        }
        const policy = byName.get(key);
        if (policy === undefined) {
            problems.push(`"${key}" is not a policy of this pack; policies: ${[...byName.keys()].join(", ")}`);
            continue;
        }
        sections.set(key, parseSection(policy, value, problems));
    }
    if (problems.length > 0) {
        throw new PackConfigError(problems);
    }
    return all === undefined ? { sections } : { all, sections };
}

/**
 * JSON Schema of a policy's section, generated from the same zod schema, so the Pulumi CLI rejects a
 * malformed config before any check runs. `enforcementLevel` is left to the CLI, which adds it.
 */
export function configSchemaFor(policy: ConfigurablePolicy): PolicyConfigSchema {
    const json = zod().toJSONSchema(schemaOf(policy), { io: "input", unrepresentable: "any" }) as { properties: Record<string, unknown> };
    const properties = Object.fromEntries(Object.entries(json.properties).filter(([k]) => k !== "enforcementLevel"));
    return { properties: properties as PolicyConfigSchema["properties"] };
}

/** The settings of `policy` in a parsed pack configuration (defaults when it has no section). */
export function settingsOf(config: PackConfig, policy: string): PolicySettings {
    return config.sections.get(policy)?.settings ?? DEFAULT_SETTINGS;
}

/** A finding as the exemption matcher sees it. */
export interface ExemptionTarget extends ObjectIdentity {
    readonly container?: string;
}

/** True when an exemption of `policy` covers the finding (objects without a namespace are in `default`). */
export function isExempt(exemptions: readonly Exemption[], policy: string, target: ExemptionTarget): boolean {
    const namespace = target.namespace ?? "default";
    return exemptions.some(
        (e) =>
            e.policy === policy &&
            e.kind === target.kind &&
            e.namespace === namespace &&
            e.name === target.name &&
            (e.container === undefined || e.container === target.container),
    );
}

