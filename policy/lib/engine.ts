import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import {
    configSchemaFor,
    ConfigurablePolicy,
    EnforcementLevel,
    Environment,
    ExemptionTarget,
    isExempt,
    PackConfig,
    parsePolicySettings,
    PolicySettings,
    settingsOf,
} from "./config";
import { resolveEnvironment } from "./environment";
import { describeObject, identityOf, Subject } from "./kube";
import { isRecord, isUnknown, toPlain } from "./values";

/**
 * The evaluation engine: every policy is a pure {@link ResourceRule} over a {@link Subject}; the
 * CrossGuard policy object and the offline tools are thin adapters around the same rule.
 */

/** One offending item (a container, an AppProject entry, a chart value), named by values known at preview time. */
export interface Finding extends ExemptionTarget {
    /** Full sentence naming the object, the container where relevant, and what is wrong. */
    readonly message: string;
}

/** What a rule gets besides the subject. */
export interface RuleContext {
    readonly settings: PolicySettings;
    readonly environment: Environment;
}

/** A policy's logic, free of `@pulumi/policy`. */
export interface ResourceRule extends ConfigurablePolicy {
    /** Stable kebab-case policy name. */
    readonly name: string;
    /** One sentence. */
    readonly description: string;
    /** Declared level (what the pack config can override). */
    readonly enforcementLevel: "advisory" | "mandatory";
    /** Level for an environment when it differs from the declared one (e.g. advisory in staging). */
    readonly levelIn?: (environment: Environment) => "advisory" | "mandatory";
    /** True for the resource types the rule inspects; others are reported not applicable. */
    readonly appliesTo: (type: string) => boolean;
    /** The findings for one subject; must not throw on partial or unknown input. */
    readonly check: (subject: Subject, context: RuleContext) => readonly Finding[];
}

/** Findings without the exempted ones, each returned once. */
function reportable(policy: string, findings: readonly Finding[], settings: PolicySettings): readonly Finding[] {
    const seen = new Set<string>();
    return findings.filter((finding) => {
        if (seen.has(finding.message) || isExempt(settings.exemptions, policy, finding)) {
            return false;
        }
        seen.add(finding.message);
        return true;
    });
}

/** Runs a rule and drops exempted findings; each finding is returned once. */
export function findingsFor(rule: ResourceRule, subject: Subject, context: RuleContext): readonly Finding[] {
    return reportable(rule.name, rule.check(subject, context), context.settings);
}

/**
 * Reports at a level other than the configured one. `@pulumi/policy` 1.21's `reportViolation` also
 * accepts `{ message, enforcementLevel }` (sdk/nodejs/policy/server.ts `makeReportViolationFun`),
 * although its declared type only names the string form.
 */
function reportAt(report: ReportViolation, message: string, level: EnforcementLevel | undefined): void {
    if (level === undefined) {
        report(message);
        return;
    }
    const reportObject = report as unknown as (violation: { message: string; enforcementLevel: EnforcementLevel }) => void;
    reportObject({ message, enforcementLevel: level });
}

/** A policy's pack configuration section, or undefined when the SDK cannot give one. */
function readConfig(args: { getConfig<T extends object>(): T }): unknown {
    try {
        return args.getConfig<Record<string, unknown>>();
    } catch {
        return undefined;
    }
}

/** Wraps a rule as the CrossGuard policy the pack serves. */
export function toResourcePolicy(rule: ResourceRule): ResourceValidationPolicy {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        // A getter: the schema is generated with zod, which the manifest checker's workers never need to load.
        get configSchema() {
            return configSchemaFor(rule);
        },
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation): void => {
            if (!rule.appliesTo(args.type)) {
                args.notApplicable(`${rule.name} does not inspect ${args.type}`);
            }
            const parsed = parsePolicySettings(rule.name, rule.settingKeys, readConfig(args));
            for (const problem of parsed.problems) {
                reportViolation(`invalid policy pack configuration: ${problem}`);
            }
            const plain = toPlain(args.props);
            const subject: Subject = { type: args.type, name: args.name, props: isRecord(plain) ? plain : {} };
            const environment = resolveEnvironment(subject.props, parsed.settings, args.stackTags);
            // Lower the level only when the environment asks for it; otherwise the configured level applies.
            const level = rule.levelIn?.(environment);
            const override = (level !== undefined && level !== rule.enforcementLevel) ? level : undefined;
            for (const finding of findingsFor(rule, subject, { settings: parsed.settings, environment })) {
                reportAt(reportViolation, finding.message, override);
            }
            // Rules skip what they cannot read yet; say so instead of passing silently (the SDK's own
            // "can't run policy during preview" is also advisory).
            const unknown = unknownPaths(subject.props);
            if (unknown.length > 0) reportAt(reportViolation, notCheckedMessage(rule.name, subject, unknown), "advisory");
        },
    };
}

/** A finding with its policy and effective level: the offline tools' output row. */
export interface Violation {
    readonly policy: string;
    readonly kind: string;
    readonly namespace: string | null;
    readonly name: string;
    readonly container: string | null;
    readonly message: string;
    readonly enforcementLevel: EnforcementLevel;
}

/**
 * The level a rule reports at: `disabled` from config wins; then an environment-specific level
 * (as CrossGuard sees it, see `toResourcePolicy`); then the configured level, `all`, the declared one.
 * `remediate` counts as mandatory, as in CrossGuard.
 */
export function effectiveLevel(rule: ResourceRule, config: PackConfig, environment: Environment): EnforcementLevel {
    const configured = config.sections.get(rule.name)?.enforcementLevel ?? config.all ?? rule.enforcementLevel;
    if (configured === "disabled") {
        return "disabled";
    }
    const level = rule.levelIn?.(environment);
    if (level !== undefined && level !== rule.enforcementLevel) {
        return level;
    }
    return configured === "remediate" ? "mandatory" : configured;
}

/** Applies `rules` to one subject offline (plain data, no `@pulumi/policy`). */
export function evaluateSubject(rules: readonly ResourceRule[], subject: Subject, config: PackConfig, environment: Environment): Violation[] {
    const violations: Violation[] = [];
    for (const rule of rules) {
        if (!rule.appliesTo(subject.type)) {
            continue;
        }
        const enforcementLevel = effectiveLevel(rule, config, environment);
        if (enforcementLevel === "disabled") {
            continue;
        }
        const settings = settingsOf(config, rule.name);
        for (const finding of findingsFor(rule, subject, { settings, environment })) {
            violations.push({
                policy: rule.name,
                kind: finding.kind,
                namespace: finding.namespace ?? null,
                name: finding.name,
                container: finding.container ?? null,
                message: finding.message,
                enforcementLevel,
            });
        }
    }
    return violations;
}

/**
 * A policy over every resource of the stack at once (a CrossGuard stack policy): for rules that need
 * two objects, such as a workload and the PodDisruptionBudget that covers it, or a pod and the
 * Namespace whose Pod Security level admits it.
 */
export interface StackRule extends ConfigurablePolicy {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: "advisory" | "mandatory";
    /** The findings over all subjects; must not throw on partial or unknown input. */
    readonly check: (subjects: readonly Subject[], settings: PolicySettings) => readonly Finding[];
}

/** Runs a stack rule and drops exempted findings; each finding is returned once. */
export function stackFindingsFor(rule: StackRule, subjects: readonly Subject[], settings: PolicySettings): readonly Finding[] {
    return reportable(rule.name, rule.check(subjects, settings), settings);
}

/** Wraps a stack rule as the CrossGuard stack policy the pack serves. */
export function toStackPolicy(rule: StackRule): StackValidationPolicy {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        get configSchema() {
            return configSchemaFor(rule);
        },
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation): void => {
            const raw = readConfig(args);
            const parsed = parsePolicySettings(rule.name, rule.settingKeys, raw);
            for (const problem of parsed.problems) reportViolation(`invalid policy pack configuration: ${problem}`);
            const subjects = args.resources.map((r): Subject => {
                const plain = toPlain(r.props);
                return { type: r.type, name: r.name, props: isRecord(plain) ? plain : {} };
            });
            for (const finding of stackFindingsFor(rule, subjects, parsed.settings)) reportViolation(finding.message);
        },
    };
}

/**
 * The fields of a resource the engine cannot know yet (outputs of other resources during a preview),
 * as dotted paths: `spec.template.spec.containers[0].image`.
 */
export function unknownPaths(value: unknown, prefix = ""): string[] {
    if (isUnknown(value)) return [prefix === "" ? "(the whole object)" : prefix];
    if (Array.isArray(value)) return value.flatMap((v, i) => unknownPaths(v, `${prefix}[${i}]`));
    if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => unknownPaths(v, prefix === "" ? k : `${prefix}.${k}`));
    return [];
}

/** The advisory a rule reports for a resource with unknown fields: it was judged on what is known only. */
export function notCheckedMessage(rule: string, subject: Subject, paths: readonly string[]): string {
    const shown = paths.slice(0, 5).join(", ") + (paths.length > 5 ? ` and ${paths.length - 5} more` : "");
    return `${describeObject(identityOf(subject, subject.type.split(":").pop() ?? subject.type))}: not checked yet (unknown during preview): ${shown}; ${rule} runs on them at \`pulumi up\``;
}
