import * as pulumi from "@pulumi/pulumi";
import { ConfigProblem } from "./problems";

export type { ConfigProblem } from "./problems";
export { isConfigValidationError } from "./problems";

/**
 * Every problem found in a stack's configuration, thrown once before anything is registered.
 *
 * Note: extends `pulumi.RunError` so the Pulumi CLI prints the message without a stack trace.
 */
export class ConfigValidationError extends pulumi.RunError {
    /** The problems, in the order the schema declares the keys. */
    public readonly problems: readonly ConfigProblem[];

    constructor(stack: string, problems: readonly ConfigProblem[]) {
        const noun = problems.length === 1 ? "problem" : "problems";
        super(
            `Invalid configuration for stack "${stack}" (${problems.length} ${noun}):\n` +
                problems.map((p) => `  - ${p.message}`).join("\n"),
        );
        this.name = "ConfigValidationError";
        this.problems = problems;
    }
}
