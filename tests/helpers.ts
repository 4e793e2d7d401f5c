/**
 * Test helpers shared by every spec: run the program offline for a stack, change its
 * configuration, find registered resources, and await outputs. Keep helpers here, not per spec.
 */
import * as assert from "assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig, StackConfig } from "../config";
import { isConfigValidationError } from "../config/errors";
import { outputIsSecret, outputValue } from "../config/sdk-internals";
import { ProgramRun, readStackFile, RecordedResource, resolveConfig, runProgram, stackFile, StackValue } from "../tools/harness";

import { STACKS, StackName } from "./stacks";

export { STACKS };
export type { StackName };

/** Await an Output (or plain value) without `done` callbacks inside `apply`. */
export function unwrap<T>(value: pulumi.Input<T>): Promise<T> {
    if (pulumi.Output.isInstance(value)) return outputValue(value as pulumi.Output<T>);
    return Promise.resolve(value as T);
}

/** Whether an Output is marked secret. */
export function isSecret(value: pulumi.Output<unknown>): Promise<boolean> {
    return outputIsSecret(value);
}

/** A deep copy of a stack file's `config:` values, keyed as in the file. */
export function stackValues(stack: StackName): Record<string, StackValue> {
    return structuredClone(readStackFile(stackFile(stack)));
}

/**
 * The stack's values with one change applied. `edit` receives the file's values (keys as written,
 * e.g. `footanalytics-gitops:cluster`) and mutates them; the result feeds `configOverrides`.
 */
export function editedValues(stack: StackName, edit: (values: Record<string, any>) => void): Record<string, StackValue> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const values = stackValues(stack);
    edit(values);
    const overrides: Record<string, StackValue> = {};
    const original = readStackFile(stackFile(stack));
    for (const k of new Set([...Object.keys(original), ...Object.keys(values)])) {
        overrides[k] = k in values ? values[k] : null;
    }
    return overrides;
}

/**
 * Parse a committed stack file's configuration, optionally edited, without running the program:
 * the loaded config, or every problem message when it is refused.
 */
export function parseStack(stack: StackName, edit?: (values: Record<string, any>) => void): StackConfig | string[] { // eslint-disable-line @typescript-eslint/no-explicit-any
    const { config, secretKeys } = resolveConfig({ stack, configOverrides: edit ? editedValues(stack, edit) : undefined });
    try {
        return parseConfig(config, new Set(secretKeys), stack);
    } catch (err) {
        if (isConfigValidationError(err)) return err.problems.map((p) => p.message);
        throw err;
    }
}

/** The loaded configuration of a stack, optionally edited; fails the test when it is refused. */
export function loadStack(stack: StackName, edit?: (values: Record<string, any>) => void): StackConfig { // eslint-disable-line @typescript-eslint/no-explicit-any
    const result = parseStack(stack, edit);
    assert.ok(!Array.isArray(result), `expected the configuration to load, got: ${Array.isArray(result) ? result.join("; ") : ""}`);
    return result;
}

/** The problem messages of an edit that must be refused; fails the test when the stack loads. */
export function refusedStack(stack: StackName, edit: (values: Record<string, any>) => void): string[] { // eslint-disable-line @typescript-eslint/no-explicit-any
    const result = parseStack(stack, edit);
    assert.ok(Array.isArray(result), "expected the configuration to be refused");
    return result;
}

/** Run the program for a stack, optionally with edited configuration. */
export function runStack(stack: StackName, edit?: (values: Record<string, any>) => void): Promise<ProgramRun> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return runProgram({ stack, configOverrides: edit ? editedValues(stack, edit) : undefined });
}

/** Run with an edit that must be refused; returns the problem messages and asserts nothing was registered. */
export async function expectInvalid(stack: StackName, edit: (values: Record<string, any>) => void): Promise<string[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const registered: RecordedResource[] = [];
    try {
        const run = await runStack(stack, edit);
        registered.push(...run.resources);
    } catch (err) {
        if (!isConfigValidationError(err)) throw err;
        assert.equal((err as { registeredResources?: number }).registeredResources, 0, "no resource may be registered when the configuration is invalid");
        return err.problems.map((p) => p.message);
    }
    assert.fail(`expected the configuration to be refused, but the program registered ${registered.length} resources`);
}

/** The one resource of a type (and name, if given); fails when there is not exactly one. */
export function only(run: ProgramRun, type: string, name?: string): RecordedResource {
    const found = run.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    assert.equal(found.length, 1, `expected exactly one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
    return found[0];
}

/** All resources of a type. */
export function ofType(run: ProgramRun, type: string): RecordedResource[] {
    return run.resources.filter((r) => r.type === type);
}

/** Shorthand for the project namespace of config keys. */
export const NS = "footanalytics-gitops";
