import * as pulumi from "@pulumi/pulumi";

/** One thing wrong with the stack configuration. */
export interface ConfigProblem {
    /** Full key path as the CLI names it, for example `footanalytics-gitops:argocd.server.replicas`. */
    readonly key: string;
    /** A sentence naming the value received and what is expected. */
    readonly message: string;
}

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

/** True for a `ConfigValidationError`, also across module copies (the offline harness reloads modules). */
export function isConfigValidationError(err: unknown): err is ConfigValidationError {
    return err instanceof Error && err.name === "ConfigValidationError" && Array.isArray((err as ConfigValidationError).problems);
}
