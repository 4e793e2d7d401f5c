import * as fs from "fs";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { ObjectIdentity } from "./kube";
import { describe, isRecord } from "./values";

/**
 * Pack configuration. The file is the one the Pulumi CLI takes (`--policy-pack-config`): one section
 * per policy, keyed by policy name, either an enforcement level string or an object with an optional
 * `enforcementLevel` plus that policy's settings; `all` sets the level of every policy.
 * The offline tools read the same file, so one file serves preview, CI and the GitOps repository.
 */

/** Same values as `@pulumi/policy`'s `EnforcementLevel`. */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** Production stacks get the strict profile; every other stack is treated like staging. */
export type Environment = "production" | "staging";
const ENVIRONMENTS: readonly Environment[] = ["production", "staging"];

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

const EXEMPTION_FIELDS = ["policy", "kind", "namespace", "name", "container", "reason"] as const;
const REQUIRED_EXEMPTION_FIELDS = ["kind", "namespace", "name", "reason"] as const;

function parseExemption(policy: string, raw: unknown, index: number, problems: string[]): Exemption | undefined {
    const where = `${policy}.exemptions[${index}]`;
    if (!isRecord(raw)) {
        problems.push(`${where} (${describe(raw)}) must be an object with kind, namespace, name and reason`);
        return undefined;
    }
    const before = problems.length;
    for (const key of Object.keys(raw)) {
        if (!(EXEMPTION_FIELDS as readonly string[]).includes(key)) {
            problems.push(`${where}.${key} is not a known field; allowed: ${EXEMPTION_FIELDS.join(", ")}`);
        }
    }
    for (const key of EXEMPTION_FIELDS) {
        const value = raw[key];
        if (value !== undefined && typeof value !== "string") {
            problems.push(`${where}.${key} (${describe(value)}) must be a string`);
        }
    }
    for (const key of REQUIRED_EXEMPTION_FIELDS) {
        if (typeof raw[key] !== "string" || (raw[key] as string).trim() === "") {
            const hint = key === "reason" ? ": say why upstream leaves no choice" : "";
            problems.push(`${where}.${key} is required${hint}`);
        }
    }
    if (raw.name === "(unnamed)") {
        problems.push(`${where}.name ("(unnamed)") matches no object: name it by metadata.name, or by "<generateName>*" for an object named from metadata.generateName`);
    }
    if (typeof raw.policy === "string" && raw.policy !== policy) {
        problems.push(`${where}.policy ("${raw.policy}") must be "${policy}", the section it is written in`);
    }
    if (problems.length > before) {
        return undefined;
    }
    const exemption: Exemption = {
        policy,
        kind: raw.kind as string,
        namespace: raw.namespace as string,
        name: raw.name as string,
        reason: raw.reason as string,
    };
    return typeof raw.container === "string" ? { ...exemption, container: raw.container } : exemption;
}

function parseExemptions(policy: string, raw: unknown, problems: string[]): readonly Exemption[] {
    if (raw === undefined) {
        return [];
    }
    if (!Array.isArray(raw)) {
        problems.push(`${policy}.exemptions (${describe(raw)}) must be a list of {policy, kind, namespace, name, reason}`);
        return [];
    }
    return raw.flatMap((entry: unknown, index: number) => parseExemption(policy, entry, index, problems) ?? []);
}

/**
 * Parses one policy's section (what `args.getConfig()` returns: the section without `enforcementLevel`).
 * Never throws: problems are returned so CrossGuard can report them instead of crashing.
 */
export function parsePolicySettings(policy: string, allowed: readonly SettingKey[], raw: unknown): ParsedSettings {
    const problems: string[] = [];
    if (raw === undefined || raw === null) {
        return { settings: DEFAULT_SETTINGS, problems };
    }
    if (!isRecord(raw)) {
        return { settings: DEFAULT_SETTINGS, problems: [`${policy} settings (${describe(raw)}) must be an object`] };
    }
    const known = ["exemptions", ...allowed];
    for (const key of Object.keys(raw)) {
        if (key !== "enforcementLevel" && !known.includes(key)) {
            problems.push(`${policy}.${key} is not a setting of this policy; allowed: ${known.join(", ")}`);
        }
    }
    let requireCpuLimits = true;
    if (raw.requireCpuLimits !== undefined && allowed.includes("requireCpuLimits")) {
        if (typeof raw.requireCpuLimits === "boolean") {
            requireCpuLimits = raw.requireCpuLimits;
        } else {
            problems.push(`${policy}.requireCpuLimits (${describe(raw.requireCpuLimits)}) must be true or false`);
        }
    }
    let environment: Environment | undefined;
    if (raw.environment !== undefined && allowed.includes("environment")) {
        if (ENVIRONMENTS.includes(raw.environment as Environment)) {
            environment = raw.environment as Environment;
        } else {
            problems.push(`${policy}.environment (${describe(raw.environment)}) must be one of: ${ENVIRONMENTS.join(", ")}`);
        }
    }
    const exemptions = parseExemptions(policy, raw.exemptions, problems);
    const settings: PolicySettings = environment === undefined ? { requireCpuLimits, exemptions } : { requireCpuLimits, environment, exemptions };
    return { settings, problems };
}

/** What the pack needs to know about a policy to parse its section. */
export interface ConfigurablePolicy {
    readonly name: string;
    readonly settingKeys: readonly SettingKey[];
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

function parseLevel(where: string, raw: unknown, problems: string[]): EnforcementLevel | undefined {
    if (raw === undefined) {
        return undefined;
    }
    if (ENFORCEMENT_LEVELS.includes(raw as EnforcementLevel)) {
        return raw as EnforcementLevel;
    }
    problems.push(`${where} (${describe(raw)}) must be one of: ${ENFORCEMENT_LEVELS.join(", ")}`);
    return undefined;
}

function parseSection(policy: ConfigurablePolicy, raw: unknown, problems: string[]): PolicySection {
    if (typeof raw === "string") {
        const level = parseLevel(policy.name, raw, problems);
        return level === undefined ? { settings: DEFAULT_SETTINGS } : { enforcementLevel: level, settings: DEFAULT_SETTINGS };
    }
    const level = isRecord(raw) ? parseLevel(`${policy.name}.enforcementLevel`, raw.enforcementLevel, problems) : undefined;
    const parsed = parsePolicySettings(policy.name, policy.settingKeys, raw);
    problems.push(...parsed.problems);
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

/** JSON schema for a policy's section, so the Pulumi CLI rejects a malformed config before any check runs. */
export function configSchemaFor(policy: ConfigurablePolicy): PolicyConfigSchema {
    const properties: PolicyConfigSchema["properties"] = {
        exemptions: {
            type: "array",
            description: "Reviewed exceptions; reason required.",
            items: {
                type: "object",
                properties: {
                    policy: { type: "string", const: policy.name },
                    kind: { type: "string", minLength: 1 },
                    namespace: { type: "string", minLength: 1 },
                    name: { type: "string", minLength: 1 },
                    container: { type: "string", minLength: 1 },
                    reason: { type: "string", minLength: 1 },
                },
                required: [...REQUIRED_EXEMPTION_FIELDS],
                additionalProperties: false,
            },
        },
    };
    if (policy.settingKeys.includes("requireCpuLimits")) {
        properties.requireCpuLimits = { type: "boolean", default: true, description: "Require CPU limits as well as memory limits." };
    }
    if (policy.settingKeys.includes("environment")) {
        properties.environment = { type: "string", enum: [...ENVIRONMENTS], description: "Environment of resources that carry no footanalytics.io/environment label (the program labels its own)." };
    }
    return { properties };
}
