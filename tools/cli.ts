/**
 * Shared command-line plumbing for the tools: argument parsing with clear usage errors, the checks
 * every stack-reading tool makes before running anything, and a runner that turns user mistakes into
 * one message on stderr (no stack trace) and an exit code.
 *
 * Exit codes, every tool: 0 clean / yes, 1 findings / no, 2 usage or input error (2 wins over 1).
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs, ParseArgsConfig } from "util";
import { isConfigValidationError } from "../config/problems";

/** Repository root (the directory of `Pulumi.yaml`). */
export const ROOT = path.resolve(__dirname, "..");

/** The exit codes every tool shares. */
export const EXIT = Object.freeze({ clean: 0, findings: 1, usage: 2 });

/** A mistake in how a tool was called or in its input: printed as its message, no stack trace, exit 2. */
export class UsageError extends Error {
    constructor(
        message: string,
        public readonly exitCode: number = EXIT.usage,
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
        throw new UsageError(`${(err as Error).message}\nusage: ${usage}`);
    }
}

/** Pulumi's rule for a stack name (pulumi/pulumi pkg/backend/httpstate/backend.go `validateStackName`). */
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * Refuses a stack name the Pulumi CLI would refuse, and `.`/`..`, which Pulumi's pattern allows but
 * which would name a directory outside `plan/`.
 */
export function validateStackName(stack: string): void {
    if (!STACK_NAME.test(stack) || stack === "." || stack === "..") {
        const why = stack.includes("/") ? "may not contain slashes" : stack.length > 100 ? "must be at most 100 characters" : "may only contain letters, digits, hyphens, underscores and periods";
        const dots = (stack === "." || stack === "..") ? `cannot be "${stack}"` : why;
        throw new UsageError(`--stack "${stack}" is not a valid stack name: stack names ${dots} (Pulumi's rule), such as "staging" or "production"`);
    }
}

/** Stacks that have a `Pulumi.<stack>.yaml` file in the repository. */
export function listStacks(): string[] {
    return fs
        .readdirSync(ROOT)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** A path as a message shows it: relative below the working directory, else as given. */
function shown(file: string): string {
    const relative = path.relative(process.cwd(), file);
    return (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) ? file : relative;
}

/** The first line of a YAML error, without the colon that introduces the source excerpt the message goes on to show. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- js-yaml ships no types; typed here to avoid a second types package
const jsYaml = require("js-yaml") as { load(text: string, options: { schema: unknown }): unknown; CORE_SCHEMA: unknown };

/**
 * A stack file's text as the tools read it: js-yaml with the YAML 1.2 core schema, which reads stack
 * files as `yaml` does (no timestamps, no merge keys; tests/tools/register.spec.ts) at a tenth of the
 * cost. Throws js-yaml's error for text that is not YAML.
 */
export function loadStackYaml(text: string): unknown {
    return jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA }) ?? null;
}

function yamlReason(err: unknown): string {
    return (err instanceof Error ? err.message : String(err)).split("\n")[0].replace(/:\s*$/, "");
}

/**
 * The stack file a tool reads for `stack` (`--config-file` when given, else `Pulumi.<stack>.yaml`),
 * after checking the stack name and that the file exists, is YAML and has a `config:` mapping.
 * Throws `UsageError` (exit 2) naming the file and the fix.
 */
export function checkedStackFile(stack: string | undefined, configFile: string | undefined, usage: string): string {
    if (stack === undefined || stack === "") throw new UsageError(`--stack is required\nusage: ${usage}`);
    validateStackName(stack);
    const file = configFile ?? path.join(ROOT, `Pulumi.${stack}.yaml`);
    if (configFile !== undefined && (!fs.existsSync(configFile) || !fs.statSync(configFile).isFile())) {
        throw new UsageError(`--config-file ${configFile} does not exist or is not a file; pass a stack file in the Pulumi.<stack>.yaml format`);
    }
    if (configFile === undefined && !fs.existsSync(file)) {
        throw new UsageError(`there is no stack file ${shown(file)} for stack "${stack}"; expected one of: ${listStacks().join(", ")}, or pass --config-file <path>`);
    }
    const text = fs.readFileSync(file, "utf8");
    let doc: unknown;
    try {
        doc = loadStackYaml(text);
    } catch (loadError) {
        // Only for a file that does not parse: `yaml` words the reason better (line, column, what to close).
        let reason = yamlReason(loadError);
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on this error path only
            (require("yaml") as typeof import("yaml")).parse(text);
        } catch (err) {
            reason = yamlReason(err);
        }
        throw new UsageError(`${shown(file)} is not valid YAML: ${reason}; fix the file (\`pulumi config\` shows what the CLI reads)`);
    }
    const config = (doc !== null && typeof doc === "object" && !Array.isArray(doc)) ? (doc as { config?: unknown }).config : undefined;
    if (doc !== null && (typeof doc !== "object" || Array.isArray(doc) || (config !== undefined && config !== null && (typeof config !== "object" || Array.isArray(config))))) {
        throw new UsageError(`${shown(file)} is not a Pulumi stack file: expected a mapping with a "config:" mapping of keys to values`);
    }
    return file;
}

/**
 * Run a tool's main function and exit with its code. Configuration errors and usage errors print
 * their message alone, exit 2; anything else is a bug: its stack trace, exit 2 (never 1, which
 * would read as "findings" or "no").
 */
export function runMain(main: () => Promise<number>): void {
    // An error thrown inside an `apply` of the program (a secret value that is not the JSON it should
    // be, say) surfaces as an unhandled rejection, which Node turns into exit 1 ("findings"/"no"):
    // report it as the input error it is, exit 2, without a stack trace.
    process.once("unhandledRejection", (err: unknown) => {
        process.stderr.write(`error: the program failed while it ran offline: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(EXIT.usage);
    });
    // exitCode rather than process.exit(): stdout may be a pipe, and exiting could cut it short.
    main().then(
        (code) => {
            process.exitCode = code;
        },
        (err: unknown) => {
            if (isConfigValidationError(err) || err instanceof UsageError) {
                process.stderr.write(`${err.message}\n`);
                process.exitCode = err instanceof UsageError ? err.exitCode : EXIT.usage;
                return;
            }
            process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
            process.exitCode = EXIT.usage;
        },
    );
}
