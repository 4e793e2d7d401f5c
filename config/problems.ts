/**
 * The shape of configuration problems, apart from the error class so that code which only needs to
 * recognise a configuration error (the tools' command-line runner) does not load the Pulumi SDK.
 */

/** One thing wrong with the stack configuration. */
export interface ConfigProblem {
    /** Full key path as the CLI names it, for example `footanalytics-gitops:argocd.server.replicas`. */
    readonly key: string;
    /** A sentence naming the value received and what is expected. */
    readonly message: string;
}

/** True for a `ConfigValidationError` (config/errors.ts), also across module copies (the offline harness reloads modules). */
export function isConfigValidationError(err: unknown): err is Error & { readonly problems: readonly ConfigProblem[] } {
    return err instanceof Error && err.name === "ConfigValidationError" && Array.isArray((err as { problems?: unknown }).problems);
}
