import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Resource } from "@pulumi/pulumi";
import * as YAML from "yaml";
import { offlineStackTrace, PROMISE_STACK_PLACEHOLDER, readStackFile, stackFile } from "../../tools/harness";
import { ROOT } from "../../tools/cli";

const REGISTER = path.join(ROOT, "tools", "register.js");

/** Run a TypeScript file through tools/register.js with its cache in `cache`. */
function runTs(file: string, cache: string) {
    return spawnSync(process.execPath, ["--require", REGISTER, file], { encoding: "utf8", env: { ...process.env, FOOTANALYTICS_TS_CACHE: cache } });
}

/** The compiled files in a cache directory. */
function cachedFiles(cache: string): string[] {
    const dir = path.join(cache, "swc");
    return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js")).sort() : [];
}

describe("tools/register.js", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "register-spec-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("runs TypeScript that type stripping alone refuses (parameter properties, enums)", () => {
        const file = path.join(dir, "main.ts");
        fs.writeFileSync(file, 'enum Colour { Red = "red" }\nclass A { constructor(public readonly x: number) {} }\nconsole.log(new A(4).x, Colour.Red);\n');
        const child = runTs(file, path.join(dir, "cache"));
        assert.equal(child.stderr, "");
        assert.equal(child.stdout, "4 red\n");
    });

    it("compiles a file once, reuses it unchanged and compiles again when its source changes", () => {
        const file = path.join(dir, "main.ts");
        const cache = path.join(dir, "cache");
        fs.writeFileSync(file, "const n: number = 1;\nconsole.log(n);\n");
        assert.equal(runTs(file, cache).stdout, "1\n");
        const first = cachedFiles(cache);
        assert.equal(first.length, 1);
        assert.equal(runTs(file, cache).stdout, "1\n");
        assert.deepEqual(cachedFiles(cache), first);
        fs.writeFileSync(file, "const n: number = 2;\nconsole.log(n);\n");
        assert.equal(runTs(file, cache).stdout, "2\n");
        assert.equal(cachedFiles(cache).length, 2);
    });

    it("runs from the cache without loading a compiler", () => {
        const file = path.join(dir, "main.ts");
        const cache = path.join(dir, "cache");
        fs.writeFileSync(file, 'import * as p from "path";\nconsole.log(p.sep, Object.keys(require.cache).some((k) => /[\\\\/](@swc|typescript|ts-node)[\\\\/]/.test(k)));\n');
        runTs(file, cache);
        assert.equal(runTs(file, cache).stdout, "/ false\n");
    });
});

describe("the Pulumi SDK under tools/register.js", () => {
    it("loads TypeScript only when a function is serialized, and serializes it as before", () => {
        const script = [
            'const pulumi = require("@pulumi/pulumi");',
            "const loaded = () => Object.keys(require.cache).some((k) => /[\\\\/]typescript[\\\\/]lib[\\\\/]typescript\\.js$/.test(k));",
            "const before = loaded();",
            "pulumi.runtime.serializeFunction(function answer() { return 41 + 1; }).then((s) => console.log(JSON.stringify([before, loaded(), s.text.includes('41 + 1')])));",
        ].join("\n");
        // (The serializer's own dependencies print deprecation warnings on stderr; only stdout is ours.)
        const child = spawnSync(process.execPath, ["--require", REGISTER, "-e", script], { cwd: ROOT, encoding: "utf8" });
        assert.equal(child.stdout, "[false,true,true]\n", child.stderr);
    });
});

describe("offlineStackTrace", () => {
    /** Run `fn` with offlineStackTrace as Error.prepareStackTrace, as the harness does while the program runs. */
    function withOfflineStacks<T>(fn: () => T): T {
        const saved = Error.prepareStackTrace;
        Error.prepareStackTrace = offlineStackTrace;
        try {
            return fn();
        } finally {
            Error.prepareStackTrace = saved;
        }
    }

    function other(): string | undefined {
        return new Error("boom").stack;
    }

    it("records a placeholder for the SDK's per-promise traces", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { debuggablePromise } = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T> };
        // It marks the promise it is given (and returns a chained one).
        const p = Promise.resolve(1);
        void withOfflineStacks(() => debuggablePromise(p, "spec"));
        assert.equal((p as unknown as { _debugStackTrace: string })._debugStackTrace, PROMISE_STACK_PLACEHOLDER);
    });

    it("gives the SDK's per-resource call sites no frames", () => {
        // A private static of the SDK's Resource: what it reads for every registration.
        const callsites = () => (Resource as unknown as { callsites(): unknown[] }).callsites();
        assert.ok(callsites().length > 3, "outside the harness the SDK sees the whole stack");
        assert.deepEqual(withOfflineStacks(callsites), []);
    });

    it("formats every other stack as V8 does, message and frames", () => {
        const lines = (withOfflineStacks(other) ?? "").split("\n");
        assert.equal(lines[0], "Error: boom");
        assert.match(lines[1], /^ {4}at other \(.*register\.spec\.ts:\d+:\d+\)$/);
    });

    it("keeps the frames of an error raised in a function named like the SDK's", () => {
        function debuggablePromise(): string | undefined {
            return new Error("mine").stack;
        }
        assert.match(withOfflineStacks(debuggablePromise) ?? "", /^Error: mine\n {4}at debuggablePromise \(/);
    });
});

describe("readStackFile (js-yaml, YAML 1.2 core schema)", () => {
    it("reads every committed stack file and YAML's edge cases exactly as the yaml library does", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-file-"));
        try {
            const tricky = [
                "config:",
                "  p:date: 2026-01-01",
                "  p:words: [yes, no, on, off, y, n, Yes]",
                "  p:numbers: [0o17, 0x1F, 1e3, .inf, -.Inf, .nan, 012, +12]",
                '  p:nulls: [~, null, Null, ""]',
                "  p:bools: [true, True, TRUE, false]",
                "  p:secret: { secure: v1:abc }",
                "  p:block: |",
                "    line one",
                "    line two",
                "  p:anchored: &a { x: 1 }",
                "  p:alias: *a",
                "",
            ].join("\n");
            const files = [...["staging", "production"].map(stackFile), path.join(dir, "Pulumi.tricky.yaml")];
            fs.writeFileSync(files[2], tricky);
            for (const file of files) {
                const expected = { ...((YAML.parse(fs.readFileSync(file, "utf8")) as { config: object }).config) };
                assert.deepEqual(readStackFile(file), expected, file);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("hands every caller its own copy", () => {
        const a = readStackFile(stackFile("staging"));
        a["footanalytics-gitops:environment"] = "changed";
        assert.equal(readStackFile(stackFile("staging"))["footanalytics-gitops:environment"], "staging");
    });
});
