/**
 * Run a tool the way `npm run <script>` does (the same Node, `--require ./tools/register.js
 * tools/<tool>.ts`), with what a test needs to imitate a user: another working directory, npm's
 * environment, standard input, an unprivileged user, a time limit.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../../tools/cli";

export interface ToolResult {
    readonly status: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
}

export interface ToolRun {
    /** Working directory of the process (npm always runs scripts in the repository root). */
    readonly cwd?: string;
    /** Variables added to the environment. */
    readonly env?: Readonly<Record<string, string>>;
    /** Text on standard input (else standard input is empty). */
    readonly input?: string;
    /** Run as `nobody` when the tests run as root, so file permissions apply. */
    readonly unprivileged?: boolean;
    /** Kill the process (SIGKILL) after this many milliseconds. */
    readonly timeoutMs?: number;
    /** The script to run instead of tools/<tool>.ts (an absolute path). */
    readonly script?: string;
    /** The register hook instead of the repository's (an absolute path). */
    readonly register?: string;
}

/** The uid and gid of `nobody` when running as root (undefined otherwise). */
export const UNPRIVILEGED = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

/** Directories given `o+x` for an unprivileged run, with the mode each had, restored when the process exits. */
const opened = new Map<string, number>();

/**
 * Lets `nobody` reach the checkout and the Node binary: a checkout cloned into `mktemp -d` (mode 0700,
 * as CI's clean clone is) is closed to every other user. Adds only the search bit (`o+x`, no listing) to
 * each directory above them that lacks it, and puts every mode back when the test process exits.
 */
function openPathsForNobody(): void {
    for (const start of [ROOT, path.dirname(fs.realpathSync(process.execPath))]) {
        for (let dir = start; ; dir = path.dirname(dir)) {
            const mode = fs.statSync(dir).mode & 0o7777;
            if ((mode & 0o001) === 0 && !opened.has(dir)) {
                opened.set(dir, mode);
                fs.chmodSync(dir, mode | 0o001);
            }
            if (dir === path.dirname(dir)) break;
        }
    }
    if (!restoring) {
        restoring = true;
        process.on("exit", () => {
            for (const [dir, mode] of opened) fs.chmodSync(dir, mode);
        });
    }
}
let restoring = false;

/**
 * A home and temporary directory owned by `nobody`, as a real user has: the tool's dependencies may
 * write there (SWC unpacks its native compiler into `$HOME/.cache` when a file is not compiled yet),
 * and nothing of root's environment (`/root`, the suite's TMPDIR) is writable by that user.
 */
function homeForNobody(ids: { uid: number; gid: number }): string {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "nobody-home-"));
    fs.chownSync(home, ids.uid, ids.gid);
    return home;
}

/** `tool` is the file name below tools/ without `.ts` (`plan`, `policy-manifests`, …). */
export function runTool(tool: string, args: readonly string[], run: ToolRun = {}): Promise<ToolResult> {
    const script = run.script ?? path.join(ROOT, "tools", `${tool}.ts`);
    const nobody = run.unprivileged ? UNPRIVILEGED : undefined;
    if (nobody !== undefined) openPathsForNobody();
    const home = nobody === undefined ? undefined : homeForNobody(nobody);
    const ownEnvironment = home === undefined ? {} : { HOME: home, TMPDIR: home, XDG_CACHE_HOME: path.join(home, ".cache") };
    return new Promise<ToolResult>((resolve, reject) => {
        const child = spawn(process.execPath, ["--require", run.register ?? path.join(ROOT, "tools", "register.js"), script, ...args], {
            cwd: run.cwd ?? ROOT,
            env: { ...process.env, ...ownEnvironment, ...run.env },
            stdio: ["pipe", "pipe", "pipe"],
            timeout: run.timeoutMs,
            killSignal: "SIGKILL",
            ...(run.unprivileged ? UNPRIVILEGED : {}),
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
        child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
        child.on("error", reject);
        child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
        child.stdin.on("error", () => undefined); // the tool may exit before reading its input
        child.stdin.end(run.input ?? "");
    }).finally(() => {
        if (home !== undefined) fs.rmSync(home, { recursive: true, force: true });
    });
}

/** The environment `npm run <script>` gives a tool started from `dir` (npm itself runs it in the repository root). */
export function npmEnv(script: string, command: string, dir: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    return { INIT_CWD: dir, npm_lifecycle_event: script, npm_lifecycle_script: command, ...extra };
}
