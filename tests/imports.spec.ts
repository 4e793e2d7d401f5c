import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import { builtinModules } from "module";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");

/**
 * The rooms of the repository and which way their imports run (README.md, "Repository layout"):
 * facts/ (the `@footanalytics/facts` workspace package) at the bottom reads nothing of the others;
 * config/ reads facts only; plans/ (pure decisions the program and tools/ share) read facts only;
 * components/ read facts and plans, never config/: each component declares its argument types, and
 * index.ts, the composition root, passes config's values into them (tsc checks they fit there); the
 * pack (policy/) reads its own files and its packages; tools/ read facts, config, plans and the pack,
 * never components/. No file reaches another room by a relative path into facts/ (they name the
 * package), and no files import each other in a circle, type-only imports included.
 */

const ROOMS = ["facts", "config", "plans", "components", "policy", "tools", "tests"] as const;
type Room = (typeof ROOMS)[number] | "index.ts";

const FACTS_PACKAGE = "@footanalytics/facts";

/** Every TypeScript file of the repository (node_modules, plan/ and bin/ excluded), relative to ROOT. */
function sourceFiles(): string[] {
    const out: string[] = ["index.ts"];
    const walk = (dir: string) => {
        for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
            const rel = path.posix.join(dir, e.name);
            if (e.isDirectory()) {
                if (e.name !== "node_modules" && e.name !== "bin") walk(rel);
            } else if (e.name.endsWith(".ts")) {
                out.push(rel);
            }
        }
    };
    for (const room of ROOMS) walk(room);
    return out.sort();
}

interface Import {
    readonly from: string;
    readonly specifier: string;
    /** The repository file it reaches (a relative path, or the facts package's index), if any. */
    readonly target?: string;
}

function resolveRelative(from: string, specifier: string): string | undefined {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
    for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
        const abs = path.join(ROOT, candidate);
        if (fs.existsSync(abs) && fs.statSync(abs).isFile()) return candidate;
    }
    return undefined;
}

/** Every import, export-from, `import()` and `require()` of a file, type-only ones included (TypeScript's own scanner). */
function importsOf(file: string): Import[] {
    const info = ts.preProcessFile(fs.readFileSync(path.join(ROOT, file), "utf8"), true, true);
    return info.importedFiles.map(({ fileName: specifier }) => {
        if (specifier.startsWith(".")) return { from: file, specifier, target: resolveRelative(file, specifier) };
        if (specifier === FACTS_PACKAGE) return { from: file, specifier, target: "facts/index.ts" };
        return { from: file, specifier };
    });
}

function roomOf(file: string): Room {
    return file === "index.ts" ? "index.ts" : (file.split("/")[0] as Room);
}

function packageName(specifier: string): string {
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The imports that break a rule, as `from -> specifier` lines (empty when the rule holds). */
function violations(imports: readonly Import[], policyPackages: ReadonlySet<string>): Record<string, string[]> {
    const out: Record<string, string[]> = {
        "facts/ imports only its own files": [],
        "config/ imports nothing from components/, policy/ or tools/": [],
        "plans/ imports only its own files and facts": [],
        "components/ imports nothing from config/": [],
        "components/ imports nothing from policy/ or tools/": [],
        "policy/ imports only its own files and the packages of policy/package.json": [],
        "tools/ import nothing from components/": [],
        "no file reaches facts/ by a relative path from outside it": [],
        "every relative import resolves to a file": [],
    };
    for (const i of imports) {
        const line = `${i.from} -> ${i.specifier}`;
        const room = roomOf(i.from);
        const relative = i.specifier.startsWith(".");
        if (relative && i.target === undefined) out["every relative import resolves to a file"].push(line);
        const to = i.target === undefined ? undefined : roomOf(i.target);
        if (room === "facts" && !(relative && to === "facts")) out["facts/ imports only its own files"].push(line);
        if (room === "config" && (to === "components" || to === "policy" || to === "tools" || i.specifier.startsWith("footanalytics-gitops-policy"))) {
            out["config/ imports nothing from components/, policy/ or tools/"].push(line);
        }
        if (room === "plans" && !(relative ? to === "plans" : i.specifier === FACTS_PACKAGE)) out["plans/ imports only its own files and facts"].push(line);
        if (room === "components" && to === "config") out["components/ imports nothing from config/"].push(line);
        if (room === "components" && (to === "policy" || to === "tools" || i.specifier.startsWith("footanalytics-gitops-policy"))) {
            out["components/ imports nothing from policy/ or tools/"].push(line);
        }
        if (room === "policy") {
            const ownPackage = i.specifier.startsWith("node:") || builtinModules.includes(i.specifier) || policyPackages.has(packageName(i.specifier));
            const ok = relative ? to === "policy" : ownPackage;
            if (!ok) out["policy/ imports only its own files and the packages of policy/package.json"].push(line);
        }
        if (room === "tools" && to === "components") out["tools/ import nothing from components/"].push(line);
        if (relative && to === "facts" && room !== "facts") out["no file reaches facts/ by a relative path from outside it"].push(line);
    }
    return out;
}

/** The circles of the import graph (Tarjan's strongly connected components of more than one file, or a file importing itself). */
function cycles(imports: readonly Import[]): string[][] {
    const graph = new Map<string, Set<string>>();
    for (const i of imports) {
        if (!graph.has(i.from)) graph.set(i.from, new Set());
        if (i.target !== undefined) graph.get(i.from)!.add(i.target);
    }
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const found: string[][] = [];
    let next = 0;
    const visit = (v: string) => {
        index.set(v, next);
        low.set(v, next);
        next++;
        stack.push(v);
        onStack.add(v);
        for (const w of graph.get(v) ?? []) {
            if (!index.has(w)) {
                visit(w);
                low.set(v, Math.min(low.get(v)!, low.get(w)!));
            } else if (onStack.has(w)) {
                low.set(v, Math.min(low.get(v)!, index.get(w)!));
            }
        }
        if (low.get(v) === index.get(v)) {
            const component: string[] = [];
            let w: string;
            do {
                w = stack.pop()!;
                onStack.delete(w);
                component.push(w);
            } while (w !== v);
            if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
        }
    };
    for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
    return found;
}

describe("imports between the rooms", () => {
    const files = sourceFiles();
    const imports = files.flatMap(importsOf);
    const policyManifest = JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "package.json"), "utf8"));
    const policyPackages = new Set(Object.keys(policyManifest.dependencies));
    const found = violations(imports, policyPackages);

    it("reads the imports of every TypeScript file of the repository, type-only ones included", () => {
        assert.ok(files.length > 100, `only ${files.length} files found`);
        for (const room of ["facts/index.ts", "config/index.ts", "components/chart-transforms.ts", "policy/index.ts", "tools/plan.ts"]) {
            assert.ok(files.includes(room), room);
        }
        assert.ok(imports.some((i) => i.from === "config/secrets.ts" && i.specifier === "./schema"), "the type-only import of config/secrets.ts is read");
    });

    for (const [rule, lines] of Object.entries(found)) {
        it(rule, () => assert.deepEqual(lines, []));
    }

    it("the pack bundles the facts package it imports, so `pulumi policy publish` carries it", () => {
        assert.equal(policyManifest.dependencies[FACTS_PACKAGE], "1.0.0");
        assert.deepEqual(policyManifest.bundleDependencies, [FACTS_PACKAGE]);
        const facts = JSON.parse(fs.readFileSync(path.join(ROOT, "facts", "package.json"), "utf8"));
        assert.equal(facts.name, FACTS_PACKAGE);
        assert.equal(facts.version, "1.0.0");
        assert.equal(facts.main, "index.ts");
        const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        assert.deepEqual(root.workspaces, ["facts", "policy"]);
        assert.equal(root.dependencies[FACTS_PACKAGE], "1.0.0");
    });

    it("`npm pack` of the pack carries the facts compiled, and leaves no copy behind", () => {
        // Packed from a copy of policy/ and facts/ (the repository's node_modules linked beside them):
        // packing compiles the facts into the pack's node_modules for a moment, where a spec running at
        // the same time in the other mocha worker would resolve `@footanalytics/facts` half-written.
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), "pack-"));
        try {
            for (const dir of ["policy", "facts"]) {
                fs.cpSync(path.join(ROOT, dir), path.join(copy, dir), { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
            }
            fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"));
            const pack = spawnSync("npm", ["pack", "--dry-run", "--json"], { cwd: path.join(copy, "policy"), encoding: "utf8" });
            assert.equal(pack.status, 0, pack.stderr);
            const [tarball] = JSON.parse(pack.stdout) as { bundled: string[]; files: { path: string }[] }[];
            assert.deepEqual(tarball.bundled, [FACTS_PACKAGE]);
            const bundled = tarball.files.map((f) => f.path).filter((f) => f.startsWith("node_modules/")).sort();
            const facts = fs.readdirSync(path.join(ROOT, "facts")).filter((f) => f.endsWith(".ts")).map((f) => f.replace(/\.ts$/, ""));
            assert.deepEqual(
                bundled,
                [...facts.flatMap((f) => [`${f}.d.ts`, `${f}.js`]), "package.json"].map((f) => `node_modules/@footanalytics/facts/${f}`).sort(),
            );
            assert.equal(fs.existsSync(path.join(copy, "policy", "node_modules", "@footanalytics")), false);
        } finally {
            fs.rmSync(copy, { recursive: true, force: true });
        }
    });

    it("no files import each other in a circle, type-only imports included", () => {
        assert.deepEqual(cycles(imports), []);
    });

    it("finds a rule broken and a circle closed (the checks themselves)", () => {
        const upward: Import = { from: "components/argocd/values.ts", specifier: "../../policy/lib/environment", target: "policy/lib/environment.ts" };
        assert.deepEqual(violations([upward], policyPackages)["components/ imports nothing from policy/ or tools/"], ["components/argocd/values.ts -> ../../policy/lib/environment"]);
        const config: Import = { from: "components/gitops/project.ts", specifier: "../../config/schema/gitops", target: "config/schema/gitops.ts" };
        assert.deepEqual(violations([config], policyPackages)["components/ imports nothing from config/"], ["components/gitops/project.ts -> ../../config/schema/gitops"]);
        const out: Import = { from: "policy/policies/x.ts", specifier: "../../config/schema/argocd", target: "config/schema/argocd.ts" };
        assert.deepEqual(violations([out], policyPackages)["policy/ imports only its own files and the packages of policy/package.json"], ["policy/policies/x.ts -> ../../config/schema/argocd"]);
        const circle: Import[] = [
            { from: "config/a.ts", specifier: "./b", target: "config/b.ts" },
            { from: "config/b.ts", specifier: "./a", target: "config/a.ts" },
        ];
        assert.deepEqual(cycles(circle), [["config/a.ts", "config/b.ts"]]);
    });
});
