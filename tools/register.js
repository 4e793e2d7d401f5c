// Load this repository's TypeScript as precompiled JavaScript, for the npm scripts (`node --require
// ./tools/register.js tools/<tool>.ts`), mocha (.mocharc.json) and the tools' child processes.
//
// Each `.ts` file is compiled once by SWC (the same CommonJS as `tsc` for tsconfig.json: ES2022,
// esModuleInterop, define semantics for class fields) into a cache keyed by the SHA-256 of its source,
// its base name and the compiler's version and options; later runs read the JavaScript and never load a
// compiler. ts-node registration cost about 0.3 s of every start (it loads the TypeScript compiler to
// read tsconfig.json) and is gone. Node's own compile cache keeps V8's bytecode of every module
// (the Pulumi SDKs included) in the same cache directory. docs/performance.md has the figures.
//
// Type checking is `npm run typecheck`, which CI runs before the tests. `pulumi up`/`preview` do
// not use this file: Pulumi.yaml's nodejs runtime (typescript: true) registers ts-node itself.
//
// The compiled files carry inline source maps; set NODE_OPTIONS=--enable-source-maps to see
// TypeScript positions in stack traces (off by default: the Pulumi SDK reads a stack trace for
// every promise and resource, and mapping each one costs more than the whole program run).
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");

/** SWC options equivalent to tsconfig.json for emit (ts-node's SWC mapping of the same file). */
const SWC_OPTIONS = Object.freeze({
    swcrc: false,
    configFile: false,
    sourceMaps: "inline",
    module: { type: "commonjs", noInterop: false, strictMode: true, ignoreDynamic: false },
    jsc: {
        parser: { syntax: "typescript", tsx: false, decorators: false, dynamicImport: true },
        target: "es2022",
        keepClassNames: true,
        transform: { legacyDecorator: true, decoratorMetadata: false, useDefineForClassFields: true },
    },
});

/** Where compiled files (and V8's compile cache) live: git-ignored, removed by a fresh `npm ci`. */
function cacheRoot() {
    if (process.env.FOOTANALYTICS_TS_CACHE) return path.resolve(process.env.FOOTANALYTICS_TS_CACHE);
    return path.join(ROOT, "node_modules", ".cache", "footanalytics-gitops");
}

const CACHE = cacheRoot();
const JS_CACHE = path.join(CACHE, "swc");

let salt;
/** The compiler's identity: a new SWC version or new options invalidate every entry. */
function compilerSalt() {
    if (salt === undefined) {
        const version = JSON.parse(fs.readFileSync(require.resolve("@swc/core/package.json"), "utf8")).version;
        salt = `@swc/core@${version}\n${JSON.stringify(SWC_OPTIONS)}\n`;
    }
    return salt;
}

let swc;
/** SWC's compiled output for one file (loads the native compiler on first use only). */
function compile(source, filename) {
    if (swc === undefined) swc = require("@swc/core");
    // The base name only: the output, and so the cache entry, is the same for the same file in any
    // checkout (plan:diff plans the base in a temporary directory). Source maps resolve `sources`
    // relative to the compiled file, which is the .ts file itself.
    const name = path.basename(filename);
    return swc.transformSync(source, { ...SWC_OPTIONS, filename: name, sourceFileName: name }).code;
}

/** The cached JavaScript of a source file, compiling and storing it on a miss. */
function compiled(source, filename) {
    const key = crypto.createHash("sha256").update(compilerSalt()).update(path.basename(filename)).update("\n").update(source).digest("hex");
    const file = path.join(JS_CACHE, key.slice(0, 2), `${key}.js`);
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        // Not cached yet.
    }
    const code = compile(source, filename);
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        // Write aside and rename: processes compiling the same file at once never see half a file.
        const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
        fs.writeFileSync(tmp, code);
        fs.renameSync(tmp, file);
    } catch {
        // A read-only checkout still runs; it compiles again next time.
    }
    return code;
}

/**
 * `@pulumi/pulumi` loads the TypeScript compiler (9 MB) when it starts, through `typescript-shim.js`,
 * for one feature: serializing JavaScript functions (`pulumi.runtime.serializeFunction`, "magic"
 * Lambda callbacks), which this program never uses. Hand the shim a stand-in that loads the real
 * compiler on first use instead: about 0.25 s less CPU in every tool that loads the SDK.
 */
function deferTypeScriptOfPulumiSdk() {
    const load = Module._load;
    // The SDK file that requires the compiler: config/sdk-internals.ts (loads no SDK module itself).
    const shim = require("../config/sdk-internals.ts").SDK_FILES.typescriptShim;
    Module._load = function loadDeferringTypeScript(request, parent, isMain) {
        if (request !== "typescript" || !parent || !shim.test(parent.filename)) return load.apply(this, arguments);
        let ts;
        const real = () => (ts ??= load.call(this, request, parent, isMain));
        return new Proxy({}, { get: (_, key) => real()[key], has: (_, key) => key in real() });
    };
}

/**
 * Before `npm ci` nothing can run: say so instead of Node's "Cannot find module" trace. Exit 2, the
 * tools' code for a usage error.
 */
function requireInstalledDependencies() {
    try {
        require.resolve("@swc/core/package.json", { paths: [ROOT] });
    } catch {
        process.stderr.write(`the dependencies are not installed in ${ROOT}: run \`npm ci\` there first (node_modules/@swc/core is missing)\n`);
        process.exit(2);
    }
}

/** The source map of a compiled file (parsed once; `module.SourceMap` is Node's public reader). */
const sourceMaps = new Map();
function sourceMapOf(filename) {
    if (!sourceMaps.has(filename)) {
        let map;
        try {
            const code = compiled(fs.readFileSync(filename, "utf8"), filename);
            const inline = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
            if (inline) map = new Module.SourceMap(JSON.parse(Buffer.from(inline[1], "base64").toString("utf8")));
        } catch {
            map = undefined; // not a file of this checkout any more, or not compiled by this hook
        }
        sourceMaps.set(filename, map);
    }
    return sourceMaps.get(filename);
}

/**
 * The TypeScript position (1-based line and column) of a 1-based position in the JavaScript this
 * hook compiled from `filename`, or undefined when it has none. Only read for a bug's stack trace
 * (tools/cli.ts), so the cost of mapping is paid once, on the error path.
 */
function originalPosition(filename, line, column) {
    const map = sourceMapOf(filename);
    const entry = map?.findEntry(line - 1, column - 1);
    if (!entry || entry.originalLine === undefined) return undefined;
    return { line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

const REGISTERED = Symbol.for("footanalytics-gitops.register");
if (!process[REGISTERED]) {
    process[REGISTERED] = true;
    requireInstalledDependencies();
    // V8 bytecode of every CommonJS module loaded from here on, the SDKs included (Node >= 22.1).
    if (typeof Module.enableCompileCache === "function" && process.env.NODE_DISABLE_COMPILE_CACHE === undefined) {
        Module.enableCompileCache(path.join(CACHE, "v8"));
    }
    require.extensions[".ts"] = function loadTypeScript(module, filename) {
        module._compile(compiled(fs.readFileSync(filename, "utf8"), filename), filename);
    };
    deferTypeScriptOfPulumiSdk();
}

module.exports = { SWC_OPTIONS, cacheRoot, originalPosition };
