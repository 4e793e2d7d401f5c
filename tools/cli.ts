/**
 * Shared command-line plumbing for the tools: argument parsing with clear usage errors, and a
 * runner that turns user mistakes into one message on stderr (no stack trace) and an exit code.
 */
import * as path from "path";
import { parseArgs, ParseArgsConfig } from "util";
import { isConfigValidationError } from "../config/problems";

/** Repository root (the directory of `Pulumi.yaml`). */
export const ROOT = path.resolve(__dirname, "..");

/** A mistake in how a tool was called or configured: printed as its message, no stack trace. */
export class UsageError extends Error {
    constructor(
        message: string,
        public readonly exitCode = 1,
    ) {
        super(message);
        this.name = "UsageError";
    }
}

/** Parse `argv` with node's `util.parseArgs`, turning its errors into a `UsageError` with the usage line. */
export function parseCli<T extends ParseArgsConfig["options"]>(argv: readonly string[], options: T, usage: string, allowPositionals = false) {
    try {
        return parseArgs({ args: [...argv], options, allowPositionals, strict: true });
    } catch (err) {
        throw new UsageError(`${(err as Error).message}\nusage: ${usage}`, 2);
    }
}

/**
 * Run a tool's main function and exit with its code. Configuration errors and usage errors print
 * their message alone; anything else is a bug and keeps its stack trace.
 */
export function runMain(main: () => Promise<number>): void {
    // exitCode rather than process.exit(): stdout may be a pipe, and exiting could cut it short.
    main().then(
        (code) => {
            process.exitCode = code;
        },
        (err: unknown) => {
            if (isConfigValidationError(err) || err instanceof UsageError) {
                process.stderr.write(`${err.message}\n`);
                process.exitCode = err instanceof UsageError ? err.exitCode : 1;
                return;
            }
            process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
            process.exitCode = 1;
        },
    );
}
