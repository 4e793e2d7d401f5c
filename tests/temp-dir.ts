/**
 * Loaded by mocha before any spec (.mocharc.json), in each of its processes (the suite runs in
 * parallel, one file at a time per worker): every temporary file goes below one directory of the
 * process's own (TMPDIR, which `os.tmpdir()` and every child process read). After each spec file
 * (mocha runs root `afterAll` hooks once per file in parallel mode, once per run in serial mode) the
 * directory must be empty, or the run fails naming what the spec left behind; the directory is
 * removed when the process exits and on Ctrl-C (SIGINT), so neither a passing, a failing nor an
 * interrupted `npm test` leaves any.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const parent = os.tmpdir();
const RUN_DIR = fs.mkdtempSync(path.join(parent, "footanalytics-tests-"));
// Enterable by every user: some cases run a tool as an unprivileged user (tests/tools/cli.spec.ts).
fs.chmodSync(RUN_DIR, 0o755);
process.env.TMPDIR = RUN_DIR;

/** Caches Node and dependencies keep in the temporary directory (not a test's leftovers). */
const CACHES = /^(node-compile-cache|v8-compile-cache(-\d+)?)$/;

function removeRunDir(): void {
    fs.rmSync(RUN_DIR, { recursive: true, force: true });
}

process.once("exit", removeRunDir);
process.once("SIGINT", () => {
    removeRunDir();
    process.exit(130);
});

// The only warning the suite printed that no test asserts: Node's deprecation of its `punycode` module,
// loaded by a dev dependency's dependency (kubernetes-models → @kubernetes-models/validate →
// ajv-formats-draft2019, formats/idn-hostname.js), which this repository cannot change. Every other
// warning still prints.
const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
process.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
    const options = (typeof rest[0] === "object" && rest[0] !== null) ? (rest[0] as { code?: string }) : undefined;
    const code = options === undefined ? rest[1] : options.code;
    if (code === "DEP0040") return;
    emitWarning(warning, ...rest);
}) as typeof process.emitWarning;

export const mochaHooks = {
    afterAll(): void {
        const left = fs.readdirSync(RUN_DIR).filter((f) => !CACHES.test(f));
        // Emptied, not removed: in parallel mode the worker runs its next spec file in it.
        for (const f of left) fs.rmSync(path.join(RUN_DIR, f), { recursive: true, force: true });
        if (left.length > 0) {
            throw new Error(`the tests left ${left.length} temporary file(s) or director(ies) behind: ${left.join(", ")}; remove each in an after hook of the spec that made it`);
        }
    },
};
