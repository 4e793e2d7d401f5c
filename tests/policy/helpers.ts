/**
 * Helpers for the policy specs: a stub of `@pulumi/policy` 1.21's `ResourceValidationArgs`
 * (sdk/nodejs/policy/policy.ts and server.ts), fixture loading, and one-field edits.
 */
import * as fs from "fs";
import * as path from "path";
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { environmentLabels } from "../../policy/lib/environment";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsYaml = require("js-yaml") as { load(text: string): unknown; loadAll(text: string): unknown[] };

/** The engine's wire sentinel for an unknown value (`@pulumi/pulumi` runtime `unknownValue`). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const FIXTURES = path.join(__dirname, "fixtures");

/** A mutable JSON object, for one-field edits of a fixture copy. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Parses a fixture file (one YAML document), dropping `x-` anchor holders. */
export function fixture(name: string): Json {
    const value = jsYaml.load(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as Json;
    for (const key of Object.keys(value)) {
        if (key.startsWith("x-")) delete value[key];
    }
    return value;
}

/** The workload kinds and their Pulumi type tokens, with the fixture file of each. */
export const WORKLOAD_FIXTURES = [
    { kind: "Pod", type: "kubernetes:core/v1:Pod", file: "workloads/pod.yaml" },
    { kind: "Deployment", type: "kubernetes:apps/v1:Deployment", file: "workloads/deployment.yaml" },
    { kind: "StatefulSet", type: "kubernetes:apps/v1:StatefulSet", file: "workloads/statefulset.yaml" },
    { kind: "DaemonSet", type: "kubernetes:apps/v1:DaemonSet", file: "workloads/daemonset.yaml" },
    { kind: "ReplicaSet", type: "kubernetes:apps/v1:ReplicaSet", file: "workloads/replicaset.yaml" },
    { kind: "Job", type: "kubernetes:batch/v1:Job", file: "workloads/job.yaml" },
    { kind: "CronJob", type: "kubernetes:batch/v1:CronJob", file: "workloads/cronjob.yaml" },
] as const;

/** The pod spec inside a workload fixture (CronJob's nested job template included). */
export function podSpec(workload: Json): Json {
    switch (workload.kind) {
        case "Pod":
            return workload.spec;
        case "CronJob":
            return workload.spec.jobTemplate.spec.template.spec;
        default:
            return workload.spec.template.spec;
    }
}

/** Thrown by the stub's `notApplicable`, as `@pulumi/policy` throws its `NotApplicableError`. */
export class NotApplicableError extends Error {}

/** What a policy reported: the string form, or the object form with its own level. */
export interface Reported {
    readonly message: string;
    readonly enforcementLevel?: string;
}

/** Options of one stubbed validation. */
export interface StubOptions {
    readonly name?: string;
    /** Stack name used in the URN (default `production`); the policies do not read it. */
    readonly stack?: string;
    /** Label the resource with this environment, as the program does (policy/lib/environment.ts). */
    readonly environment?: "production" | "staging";
    readonly stackTags?: ReadonlyMap<string, string>;
    /**
     * The policy's pack config section (what `getConfig()` returns). Default `{}`: what @pulumi/policy
     * 1.21 returns for a policy the pack config does not name (server.ts `makeGetConfigFun`). `"none"`:
     * no configuration at all (`getConfig()` returns undefined), the path the pack's own defaults serve.
     */
    readonly config?: Record<string, unknown> | "none";
    /** Wrap props in `@pulumi/policy`'s unknown-checking proxy, as the real server does. */
    readonly proxy?: boolean;
}

/** `props` with the environment label where the program puts it: a chart's common labels, or the object's labels. */
export function withEnvironmentLabel(type: string, props: Record<string, unknown>, environment: "production" | "staging"): Record<string, unknown> {
    const copy = JSON.parse(JSON.stringify(props)) as Json;
    if (type.startsWith("kubernetes:helm.sh/")) {
        // Values unknown at preview carry an unknown label too.
        if (typeof copy.values !== "object" || copy.values === null) return copy;
        copy.values = { ...copy.values, global: { ...copy.values?.global, additionalLabels: { ...copy.values?.global?.additionalLabels, ...environmentLabels(environment) } } };
    } else {
        copy.metadata = { ...copy.metadata, labels: { ...copy.metadata?.labels, ...environmentLabels(environment) } };
    }
    return copy;
}

/** Mirrors the args `@pulumi/policy` 1.21 builds in `makeAnalyzeRpcFun`. */
export function stubArgs(type: string, props: Record<string, unknown>, options: StubOptions = {}): ResourceValidationArgs {
    const name = options.name ?? "test-resource";
    const stack = options.stack ?? "production";
    const labelled = options.environment === undefined ? props : withEnvironmentLabel(type, props, options.environment);
    const wrapped = options.proxy === false ? labelled : (unknownCheckingProxy(labelled) as Record<string, unknown>);
    return {
        type,
        props: wrapped,
        urn: `urn:pulumi:${stack}::footanalytics-gitops::${type}::${name}`,
        name,
        opts: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        stackTags: options.stackTags ?? new Map(),
        isType: (resourceClass) => (resourceClass as unknown as { __pulumiType?: string }).__pulumiType === type,
        asType: (resourceClass) => ((resourceClass as unknown as { __pulumiType?: string }).__pulumiType === type ? (wrapped as never) : undefined),
        getConfig: <T extends object>() => (options.config === "none" ? undefined : (options.config ?? {})) as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicableError(reason ?? "not applicable");
        },
    };
}

/** Runs a policy's validation on one resource and returns what it reported (throws `NotApplicableError`). */
export function validate(policy: ResourceValidationPolicy, type: string, props: Record<string, unknown>, options: StubOptions = {}): Reported[] {
    const reported: Reported[] = [];
    const report = (message: unknown): void => {
        if (typeof message === "object" && message !== null) {
            const m = message as { message: string; enforcementLevel?: string };
            reported.push({ message: m.message, enforcementLevel: m.enforcementLevel });
        } else {
            reported.push({ message: String(message) });
        }
    };
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    for (const validation of validations) {
        const result = validation?.(stubArgs(type, props, options), report);
        if (result instanceof Promise) throw new Error("policies are expected to validate synchronously");
    }
    return reported;
}

/** Just the messages. */
export function messages(policy: ResourceValidationPolicy, type: string, props: Record<string, unknown>, options: StubOptions = {}): string[] {
    return validate(policy, type, props, options).map((r) => r.message);
}
