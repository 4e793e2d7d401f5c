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

/** `--help` was asked for: runMain prints `text` on stdout and exits 0. */
export class HelpRequested extends Error {
    constructor(public readonly text: string) {
        super("help requested");
        this.name = "HelpRequested";
    }
}

/** The help of a tool: its usage line, then `help` (what it does, its options), then how npm passes options. */
export function helpText(usage: string, help: string | undefined): string {
    const npm = "Under npm, options go after `--` (npm keeps options before it for itself); relative paths start from the directory the command was started in.";
    return `usage: ${usage}\n\n${help === undefined ? "" : `${help.trim()}\n\n`}${npm}\n`;
}

/** Throws `HelpRequested` when `--help` or `-h` comes before any `--` in `argv`. */
export function checkHelp(argv: readonly string[], usage: string, help?: string): void {
    const end = argv.indexOf("--");
    const options = end < 0 ? argv : argv.slice(0, end);
    if (options.includes("--help") || options.includes("-h")) throw new HelpRequested(helpText(usage, help));
}

/**
 * Whether this process is the tool an `npm run <script>` started (its `npm_lifecycle_script` runs this
 * file). A tool a test or another tool spawns under `npm test` inherits npm's variables too; they do not
 * describe its own start.
 */
export function startedByNpm(env: NodeJS.ProcessEnv = process.env, main: string | undefined = process.argv[1]): boolean {
    const script = env.npm_lifecycle_script;
    if (script === undefined || main === undefined) return false;
    const relative = path.relative(ROOT, main).split(path.sep).join("/");
    return !relative.startsWith("..") && script.split(/\s+/).some((word) => word === relative || word === `./${relative}`);
}

/** The directory the user started the command in: npm's `INIT_CWD` under `npm run` (npm runs scripts in the repository root), else the working directory. */
export function startDirectory(env: NodeJS.ProcessEnv = process.env): string {
    return (startedByNpm(env) && env.INIT_CWD) ? env.INIT_CWD : process.cwd();
}

/** A path the user typed, resolved against `startDirectory()`. */
export function userPath(p: string): string {
    return path.resolve(startDirectory(), p);
}

/** ` (relative paths start from <dir>, where the command was started)` for a relative path, else "". */
export function relativeNote(p: string): string {
    return path.isAbsolute(p) ? "" : ` (relative paths start from ${startDirectory()}, where the command was started)`;
}

/** The values of the tools' `--format` options. */
const FORMAT_WORDS: readonly string[] = ["text", "json", "markdown"];

/**
 * `npm run plan --stack=staging` (no `--`) keeps `--stack` for npm, which exports it as
 * `npm_config_stack`, and hands the tool only what follows a bare value. Refuse the run, naming the
 * options npm took and the command that passes them on.
 */
export function checkNpmAteFlags(argv: readonly string[], options: ParseArgsConfig["options"], env: NodeJS.ProcessEnv = process.env): void {
    if (!startedByNpm(env)) return;
    const given = (name: string) => argv.includes(`--${name}`) || argv.some((a) => a.startsWith(`--${name}=`));
    // What npm kept: `shown` as the message names it, `value` when known (else the next argument is it).
    const taken: { name: string; shown: string; value?: string; boolean: boolean }[] = [];
    for (const [name, option] of Object.entries(options ?? {})) {
        const value = env[`npm_config_${name.replace(/-/g, "_")}`];
        if (value === undefined || name === "help" || given(name)) continue;
        // A flag npm saw without a value is "true" (its value, if any, came on as the next argument).
        const bare = value === "true" || value === "";
        taken.push({ name, shown: bare ? `--${name}` : `--${name}=${value}`, value: bare ? undefined : value, boolean: option.type === "boolean" });
    }
    let words = [...argv];
    // npm 11 keeps `--format` (an option of its own) without exporting it, and passes its value on as
    // an argument: a bare `text`, `json` or `markdown` that names no file is that value.
    if (options?.format !== undefined && !given("format") && !taken.some((t) => t.name === "format")) {
        const at = words.findIndex((a) => FORMAT_WORDS.includes(a) && !fs.existsSync(path.resolve(startDirectory(env), a)));
        if (at >= 0) {
            taken.push({ name: "format", shown: "--format", value: words[at], boolean: false });
            words = [...words.slice(0, at), ...words.slice(at + 1)];
        }
    }
    if (taken.length === 0) return;
    const passed = taken.map((t) => {
        if (t.boolean) return `--${t.name}`;
        const value = t.value ?? words.shift();
        return value === undefined ? `--${t.name}` : `--${t.name} ${value}`;
    });
    const script = env.npm_lifecycle_event ?? "<script>";
    throw new UsageError(
        `npm took ${taken.map((t) => t.shown).join(", ")} as its own option${taken.length > 1 ? "s" : ""}, so the tool never saw ${taken.length > 1 ? "them" : "it"}; ` +
            `put -- before the tool's options: npm run ${script} -- ${[...passed, ...words].join(" ")}`,
    );
}

/**
 * Parse `argv` with node's `util.parseArgs`, turning its errors into a `UsageError` with the usage
 * line. `--help`/`-h` throw `HelpRequested` (usage, then `help`); options npm kept for itself are
 * named with the command that passes them (see `checkNpmAteFlags`).
 */
export function parseCli<T extends ParseArgsConfig["options"]>(argv: readonly string[], options: T, usage: string, allowPositionals = false, help?: string) {
    checkHelp(argv, usage, help);
    checkNpmAteFlags(argv, options);
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

/** A path as a message shows it: relative below the directory the command was started in, else as given. */
export function shown(file: string): string {
    const relative = path.relative(startDirectory(), file);
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
    const file = configFile === undefined ? path.join(ROOT, `Pulumi.${stack}.yaml`) : userPath(configFile);
    if (configFile !== undefined && (!fs.existsSync(file) || !fs.statSync(file).isFile())) {
        throw new UsageError(`--config-file ${configFile} does not exist or is not a file${relativeNote(configFile)}; pass a stack file in the Pulumi.<stack>.yaml format`);
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

/** What a file system error code means to a user (Node's messages lead with the code and end with the syscall). */
const ERRNO_WORDS: Readonly<Record<string, string>> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "the file system is read-only",
    ENOENT: "no such file or directory",
    ENOTDIR: "a part of the path is a file",
    EISDIR: "it is a directory",
    EEXIST: "it exists",
    ENOSPC: "no space left on the device",
    EDQUOT: "the disk quota is exhausted",
    ENAMETOOLONG: "the name is too long",
    ELOOP: "too many symbolic links",
    EMFILE: "too many open files",
    ESPIPE: "it cannot be read from the start (a pipe)",
};

/** An fs error as a reason in a message: `permission denied (EACCES)`; other errors by their first line. */
export function fileErrorReason(err: unknown): string {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (code !== undefined && ERRNO_WORDS[code] !== undefined) return `${ERRNO_WORDS[code]} (${code})`;
    return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}

/** Whether `err` is an error of the file system (it has an errno code such as `EACCES`). */
export function isFileError(err: unknown): err is NodeJS.ErrnoException {
    return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === "string" && typeof (err as NodeJS.ErrnoException).syscall === "string";
}

/**
 * Create `dir` and its missing parents one level at a time. `fs.mkdirSync(dir, { recursive: true })`
 * never returns for a path the kernel refuses with ENOENT although its parent exists (any path under
 * /proc): Node takes ENOENT as "create the parent first" and retries forever. Throws `UsageError`
 * `cannot create <what> <dir>: <reason>; <fix>`.
 */
export function makeDirectory(dir: string, what: string, fix: string): void {
    const fail = (reason: string) => new UsageError(`cannot create ${what} ${dir}: ${reason}; ${fix}`);
    const missing: string[] = [];
    let existing = path.resolve(dir);
    while (!fs.existsSync(existing)) {
        missing.unshift(existing);
        const parent = path.dirname(existing);
        if (parent === existing) break;
        existing = parent;
    }
    if (fs.existsSync(existing) && !fs.statSync(existing).isDirectory()) throw fail(ERRNO_WORDS.ENOTDIR);
    for (const d of missing) {
        try {
            fs.mkdirSync(d);
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code === "EEXIST" && fs.statSync(d).isDirectory()) continue; // made by another process meanwhile
            throw fail(fileErrorReason(err));
        }
    }
}

/** Write `text` to `file`; a failure is a `UsageError` `cannot write <file>: <reason>; <fix>`. */
export function writeTextFile(file: string, text: string, fix: string): void {
    try {
        fs.writeFileSync(file, text);
    } catch (err) {
        if (!isFileError(err)) throw err;
        throw new UsageError(`cannot write ${shown(file)}: ${fileErrorReason(err)}; ${fix}`);
    }
}

/**
 * A stack trace with the TypeScript positions of this repository's files: the register hook
 * (tools/register.js) compiles without mapping positions, so V8 reports the compiled JavaScript's.
 */
export function withSourcePositions(stack: string): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JavaScript, loaded by every tool already
    const { originalPosition } = require("./register.js") as { originalPosition(file: string, line: number, column: number): { line: number; column: number } | undefined };
    return stack.replace(/([^\s(]+\.ts):(\d+):(\d+)/g, (whole, file: string, line: string, column: string) => {
        const original = originalPosition(file, Number(line), Number(column));
        return original === undefined ? whole : `${file}:${original.line}:${original.column}`;
    });
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
            if (err instanceof HelpRequested) {
                process.stdout.write(err.text);
                process.exitCode = EXIT.clean;
                return;
            }
            if (isConfigValidationError(err) || err instanceof UsageError) {
                process.stderr.write(`${err.message}\n`);
                process.exitCode = err instanceof UsageError ? err.exitCode : EXIT.usage;
                return;
            }
            process.stderr.write(`${err instanceof Error ? withSourcePositions(err.stack ?? err.message) : String(err)}\n`);
            process.exitCode = EXIT.usage;
        },
    );
}

/** `--render` and `--charts-dir` as a render option; `--charts-dir` without `--render` is a mistake. */
export function renderOption(render: boolean | undefined, chartsDir: string | undefined, usage: string): { chartsDir?: string } | undefined {
    if (chartsDir !== undefined && render !== true) throw new UsageError(`--charts-dir ${chartsDir} needs --render\nusage: ${usage}`);
    // A path the user typed starts from where they started the command (npm runs scripts in the repository root).
    const resolved = chartsDir === undefined ? undefined : userPath(chartsDir);
    if (chartsDir !== undefined && resolved !== undefined && !(fs.existsSync(resolved) && fs.statSync(resolved).isDirectory())) {
        throw new UsageError(`--charts-dir ${chartsDir} is not a directory${relativeNote(chartsDir)}; unpack each pinned chart into <dir>/<chart name>/ (docs/policies.md, "Rendering the charts")`);
    }
    return render === true ? { chartsDir: resolved } : undefined;
}
