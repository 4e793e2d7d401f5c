import type {
    EnforcementLevel as PolicyEnforcementLevel,
    Policies,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { EnforcementLevel, PackConfig } from "./config";
import { isRecord } from "./values";

/**
 * Runs the pack's CrossGuard policy objects outside the Pulumi engine, with arguments shaped as
 * `@pulumi/policy` 1.21 builds them (sdk/nodejs/policy/server.ts): the offline `policy:check`
 * exercises exactly the code `pulumi preview --policy-pack policy` runs.
 */

/** A resource as the offline harness recorded it. */
export interface RunnerResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly parent?: string;
    /** Plain inputs (secrets unwrapped). */
    readonly props: Readonly<Record<string, unknown>>;
    readonly protect: boolean;
    readonly ignoreChanges: readonly string[];
    readonly dependsOn: readonly string[];
}

/** One reported violation. */
export interface ReportedViolation {
    readonly policy: string;
    readonly enforcementLevel: EnforcementLevel;
    /** The offending resource; absent for a stack-wide violation. */
    readonly urn?: string;
    readonly message: string;
}

class NotApplicable extends Error {}

function throwNotApplicable(reason?: string): never {
    throw new NotApplicable(reason ?? "not applicable");
}

/** Level as the engine computes it: config section, then `all`, then the policy's own, then advisory. */
function configuredLevel(policy: { name: string; enforcementLevel?: PolicyEnforcementLevel }, config: PackConfig): EnforcementLevel {
    const level = config.sections.get(policy.name)?.enforcementLevel ?? config.all ?? policy.enforcementLevel ?? "advisory";
    return level === "remediate" ? "mandatory" : level;
}

function optionsOf(resource: RunnerResource): PolicyResourceOptions {
    return {
        protect: resource.protect,
        ignoreChanges: [...resource.ignoreChanges],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(resource.parent !== undefined ? { parent: resource.parent } : {}),
    };
}

/** Mirrors `isTypeOf` in `@pulumi/policy`: compares the class's `__pulumiType` with the resource type. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
    return (resourceClass as { __pulumiType?: string }).__pulumiType === type;
}

/** The raw section of a policy without `enforcementLevel`, as `args.getConfig()` returns it. */
function configGetter(rawConfig: Readonly<Record<string, unknown>>, policy: string): <T extends object>() => T {
    return <T extends object>(): T => {
        const section = rawConfig[policy];
        if (!isRecord(section)) {
            return {} as T;
        }
        const { enforcementLevel: _ignored, ...rest } = section;
        void _ignored;
        return rest as T;
    };
}

/** Collects what a policy reports, in both forms `reportViolation` accepts. */
function collector(policy: string, level: EnforcementLevel, urn: string | undefined, into: ReportedViolation[]) {
    return (message: unknown, reportedUrn?: string): void => {
        if (isRecord(message)) {
            const own = message.enforcementLevel as EnforcementLevel | undefined;
            into.push({ policy, enforcementLevel: own ?? level, urn: urn ?? reportedUrn, message: String(message.message ?? "") });
            return;
        }
        into.push({ policy, enforcementLevel: level, urn: urn ?? reportedUrn, message: String(message) });
    };
}

function isResourcePolicy(policy: ResourceValidationPolicy | StackValidationPolicy): policy is ResourceValidationPolicy {
    return !("validateStack" in policy);
}

/**
 * Run one validation. Mirrors the engine: `notApplicable` ends it quietly, and any other exception,
 * which fails the run under the CLI, becomes a mandatory violation naming the policy.
 */
async function guarded(policy: string, urn: string | undefined, into: ReportedViolation[], validation: () => void | Promise<void>): Promise<void> {
    try {
        await validation();
    } catch (err) {
        if (err instanceof NotApplicable) return;
        const reason = err instanceof Error ? err.message : String(err);
        into.push({ policy, enforcementLevel: "mandatory", urn, message: `policy ${policy} threw an error: ${reason}` });
    }
}

/** The view of a resource both validation kinds hand to policies. */
function resourceView(resource: RunnerResource) {
    return {
        type: resource.type,
        props: resource.props,
        urn: resource.urn,
        name: resource.name,
        opts: optionsOf(resource),
        isType: (resourceClass: unknown) => isTypeOf(resource.type, resourceClass),
        asType: (resourceClass: unknown) => (isTypeOf(resource.type, resourceClass) ? (resource.props as never) : undefined),
    };
}

async function validateResources(
    policy: ResourceValidationPolicy,
    level: EnforcementLevel,
    resources: readonly RunnerResource[],
    rawConfig: Readonly<Record<string, unknown>>,
    stackTags: ReadonlyMap<string, string>,
    into: ReportedViolation[],
): Promise<void> {
    const validations = policy.validateResource === undefined ? [] : Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    for (const resource of resources) {
        const args: ResourceValidationArgs = {
            ...resourceView(resource),
            stackTags,
            getConfig: configGetter(rawConfig, policy.name),
            notApplicable: throwNotApplicable,
        };
        for (const validate of validations) {
            await guarded(policy.name, resource.urn, into, () => validate(args, collector(policy.name, level, resource.urn, into)));
        }
    }
}

function policyResources(resources: readonly RunnerResource[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const list = resources.map((resource) => {
        const item: PolicyResource = { ...resourceView(resource), dependencies: [], propertyDependencies: {} };
        byUrn.set(resource.urn, item);
        return item;
    });
    resources.forEach((resource, index) => {
        const item = list[index] as { parent?: PolicyResource; dependencies: PolicyResource[] };
        item.parent = resource.parent === undefined ? undefined : byUrn.get(resource.parent);
        item.dependencies = resource.dependsOn.flatMap((urn) => byUrn.get(urn) ?? []);
    });
    return list;
}

async function validateStack(
    policy: StackValidationPolicy,
    level: EnforcementLevel,
    resources: readonly RunnerResource[],
    rawConfig: Readonly<Record<string, unknown>>,
    stackTags: ReadonlyMap<string, string>,
    into: ReportedViolation[],
): Promise<void> {
    const args: StackValidationArgs = {
        resources: policyResources(resources),
        stackTags,
        getConfig: configGetter(rawConfig, policy.name),
        notApplicable: throwNotApplicable,
    };
    await guarded(policy.name, undefined, into, () => policy.validateStack(args, collector(policy.name, level, undefined, into)));
}

/**
 * Runs every policy on every resource, then the stack policies. `rawConfig` is the pack configuration
 * file's JSON (what `getConfig` slices), `config` the same file parsed (for levels).
 */
export async function runPolicies(
    policies: Policies,
    resources: readonly RunnerResource[],
    rawConfig: Readonly<Record<string, unknown>>,
    config: PackConfig,
    stackTags: ReadonlyMap<string, string> = new Map(),
): Promise<ReportedViolation[]> {
    const violations: ReportedViolation[] = [];
    for (const policy of policies) {
        const level = configuredLevel(policy, config);
        if (level === "disabled") {
            continue;
        }
        if (isResourcePolicy(policy)) {
            await validateResources(policy, level, resources, rawConfig, stackTags, violations);
        } else {
            await validateStack(policy, level, resources, rawConfig, stackTags, violations);
        }
    }
    return violations;
}
