// `prepack`/`postpack` of the policy pack (`npm pack`, which `pulumi policy publish` runs here).
//
// npm installs the @footanalytics/facts workspace once, linked in the repository's node_modules, and
// bundles (bundleDependencies) only what the pack's own node_modules holds, so without this step the
// pack's tarball lacks the facts its policies import. And once installed from the tarball the facts
// sit in node_modules, which the TypeScript loaders skip (ts-node ignores node_modules; Node's type
// stripping refuses it), so they are bundled compiled: JavaScript and declarations, by the
// repository's TypeScript (facts/ has no imports, so nothing else is needed).
//
// `node bundle-facts.js` writes policy/node_modules/@footanalytics/facts (git-ignored);
// `node bundle-facts.js --remove` deletes it again after packing, so the pack run from this checkout
// reads facts/ itself, never a stale copy.
"use strict";
const fs = require("fs");
const path = require("path");

const out = path.join(__dirname, "node_modules", "@footanalytics", "facts");
const source = path.join(__dirname, "..", "facts");

function fail(message) {
    process.stderr.write(`policy pack: ${message}\n`);
    process.exit(1);
}

fs.rmSync(out, { recursive: true, force: true });
if (process.argv[2] === "--remove") {
    // The directories this script created, when nothing else is in them.
    for (const dir of [path.dirname(out), path.dirname(path.dirname(out))]) {
        if (fs.existsSync(dir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
    }
    process.exit(0);
}

const manifestFile = path.join(source, "package.json");
if (!fs.existsSync(manifestFile)) fail(`${source} is missing; pack the policy pack from a checkout of the whole repository`);
let ts;
try {
    ts = require("typescript");
} catch {
    fail("the repository's dependencies are not installed (typescript is missing): run `npm ci` at the repository root first");
}
const files = fs.readdirSync(source).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).map((f) => path.join(source, f));
const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ["lib.es2023.d.ts"],
    types: [],
    strict: true,
    declaration: true,
    esModuleInterop: true,
    skipLibCheck: true,
    rootDir: source,
    outDir: out,
};
const program = ts.createProgram(files, options);
const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
if (diagnostics.length > 0) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => source, getNewLine: () => "\n" };
    fail(`compiling facts/ failed:\n${ts.formatDiagnostics(diagnostics, host)}`);
}
const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
const bundled = { name: manifest.name, version: manifest.version, private: true, description: manifest.description, license: manifest.license, main: "index.js", types: "index.d.ts" };
fs.writeFileSync(path.join(out, "package.json"), `${JSON.stringify(bundled, null, 2)}\n`);
