import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { AnyField, Derived, infoOf, PerEnvironment } from "../config/dsl";
import { SCHEMA } from "../config/schema";
import { SECRET_KEYS } from "../config/secrets";
import { readStackFile, resolveConfig, ROOT, stackFile } from "../tools/harness";
import { NS, STACKS } from "./helpers";

const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");

describe("project files", () => {
    const project = YAML.parse(read("Pulumi.yaml"));

    it("declares the project, the TypeScript runtime and the entry point the CLI expects", () => {
        assert.equal(project.name, "footanalytics-gitops");
        assert.deepEqual(project.runtime, { name: "nodejs", options: { typescript: true, packagemanager: "npm" } });
        assert.equal(project.main, "index.ts");
        assert.equal(typeof project.description, "string");
    });

    it("disables the default aws, kubernetes and github providers", () => {
        assert.deepEqual(project.config["pulumi:disable-default-providers"], { value: ["aws", "kubernetes", "github"] });
        const { config } = resolveConfig({ stack: "staging" });
        assert.equal(config["pulumi:disable-default-providers"], '["aws","kubernetes","github"]');
    });

    it("types project keys the way the schema does, with the same defaults", () => {
        for (const [k, decl] of Object.entries(project.config as Record<string, { type?: string; default?: unknown }>)) {
            if (k.includes(":")) continue;
            const declared = (SCHEMA as Record<string, AnyField>)[k];
            assert.ok(declared, `Pulumi.yaml declares ${k}, which config/ does not read`);
            const field = infoOf(declared);
            assert.equal(decl.type, "string", `${k}: only string keys are declared`);
            const d = field.default;
            assert.ok(!(d instanceof PerEnvironment) && !(d instanceof Derived));
            assert.equal(decl.default, d, `${k}: Pulumi.yaml default differs from config/`);
        }
    });

    for (const stack of STACKS) {
        it(`keeps Pulumi.${stack}.yaml free of plain-text secrets and foreign namespaces`, () => {
            const values = readStackFile(stackFile(stack));
            for (const [k, v] of Object.entries(values)) {
                assert.match(k, /^(aws|footanalytics-gitops):/, `unexpected key ${k}`);
                const name = k.slice(NS.length + 1);
                if (name in SECRET_KEYS) assert.deepEqual(Object.keys(v as object), ["secure"], `${k} must be a secure value`);
            }
            const text = read(`Pulumi.${stack}.yaml`);
            assert.ok(text.includes("pulumi config set --secret githubWebhookSecret"), `Pulumi.${stack}.yaml should tell operators to set githubWebhookSecret`);
            // Every Secrets Manager secret the stack reads is named in the header, with its JSON shape.
            for (const name of text.match(/secretsManagerSecretName: (\S+)/g) ?? []) {
                assert.ok(text.startsWith("#") && text.split("config:")[0].includes(name.split(": ")[1]), `header should name ${name}`);
            }
        });
    }
});

describe("toolchain", () => {
    const pkg = JSON.parse(read("package.json"));
    const policyPkg = JSON.parse(read("policy/package.json"));

    it("pins every dependency to an exact version", () => {
        for (const p of [pkg, policyPkg]) {
            for (const [name, version] of Object.entries({ ...p.dependencies, ...p.devDependencies })) {
                assert.match(version as string, /^\d+\.\d+\.\d+$/, `${p.name}: ${name} is not pinned (${version})`);
            }
        }
    });

    it("keeps tool-only code under tools/: the program imports no devDependency", () => {
        const dev = new Set(Object.keys(pkg.devDependencies));
        const sources = ["index.ts", ...["config", "plans", "components"].flatMap((d) =>
            fs.readdirSync(path.join(ROOT, d), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => path.join(d, f)))];
        const code = (f: string) => read(f).split("\n").filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l)).join("\n");
        const offending = sources.flatMap((f) => [...code(f).matchAll(/(?:from |require\()"([^".][^"]*)"/g)]
            .map((m) => m[1].startsWith("@") ? m[1].split("/").slice(0, 2).join("/") : m[1].split("/")[0])
            .filter((name) => dev.has(name))
            .map((name) => `${f} imports ${name}`));
        assert.deepEqual(offending, []);
    });

    it("uses TypeScript 5.9 (Pulumi's peer range excludes 7), Node 22+ and Node 24 in .nvmrc", () => {
        assert.match(pkg.devDependencies.typescript, /^5\.9\./);
        assert.equal(pkg.engines.node, ">=22");
        assert.equal(policyPkg.engines.node, ">=22");
        assert.equal(read(".nvmrc").trim(), "24");
        assert.match(pkg.devDependencies.node, /^24\./);
        assert.ok(read(".ci/run").includes(`NODE_VERSION="${pkg.devDependencies.node}"`), ".ci/run provisions the same Node as package.json");
    });

    it("makes the facts package and the policy pack npm workspaces, the pack pinned to the same Pulumi SDK", () => {
        assert.deepEqual(pkg.workspaces, ["facts", "policy"]);
        assert.equal(policyPkg.dependencies["@pulumi/pulumi"], pkg.dependencies["@pulumi/pulumi"]);
        assert.match(policyPkg.dependencies["@pulumi/policy"], /^1\.\d+\.\d+$/);
    });

    it("runs the README's test command in CI", () => {
        assert.match(pkg.scripts.test, /^mocha( '[^']+')+$/);
        assert.match(read(".ci/run"), /^npm test$/m);
        assert.match(read("README.md"), /^npm test\s/m);
    });
});

describe("npm test", () => {
    const pkg = JSON.parse(read("package.json"));
    // The spec files, in the order the test script's patterns give them to mocha's two workers.
    const patterns = [...(pkg.scripts.test as string).matchAll(/'([^']+)'/g)].map((m) => m[1]);
    const ordered = patterns.flatMap((p) => fs.globSync(p, { cwd: ROOT }).sort());

    it("runs every spec file of tests/ exactly once", () => {
        const every = fs.globSync("tests/**/*.spec.ts", { cwd: ROOT }).sort();
        assert.deepEqual([...ordered].sort(), every);
        assert.equal(new Set(ordered).size, ordered.length, "a spec file matched by two patterns runs twice");
    });

    it("starts the slowest specs first, so the two workers finish together (tools/ spawn processes and Helm)", () => {
        assert.deepEqual(patterns.slice(0, 2), ["tests/tools/**/*.spec.ts", "tests/policy/**/*.spec.ts"]);
        for (const slow of ["tests/tools/plan-diff.spec.ts", "tests/tools/cli.spec.ts", "tests/tools/render.spec.ts"]) assert.ok(ordered.indexOf(slow) < ordered.length / 2, slow);
    });
});

/** Builder specs that test pure functions on plain typed fixtures. */
const PURE_SPECS = [
    "tests/plans/access.spec.ts",
    "tests/plans/addons.spec.ts",
    "tests/components/cluster/iam.spec.ts",
    "tests/components/cluster/network.spec.ts",
    "tests/components/cluster/nodegroups.spec.ts",
    "tests/components/gitops/rbac.spec.ts",
    "tests/tools/rbac-eval.spec.ts",
];

describe("test suite", () => {
    it("runs the pure builder specs without loading the Pulumi SDK or reading a stack file", () => {
        // One process runs them all through mocha's API, then lists what was loaded and read.
        const script = [
            "const fs = require('fs');",
            "const read = fs.readFileSync;",
            "const stackFiles = [];",
            "fs.readFileSync = function (file, ...rest) { if (/Pulumi\\.[^\\\\/]*\\.yaml$/.test(String(file))) stackFiles.push(String(file)); return read.call(this, file, ...rest); };",
            "const Mocha = require('mocha');",
            "const mocha = new Mocha({ reporter: class { constructor() {} } });",
            "for (const f of JSON.parse(process.argv[1])) mocha.addFile(f);",
            "mocha.run((failures) => {",
            "    const sdk = Object.keys(require.cache).filter((k) => /[\\\\/]node_modules[\\\\/]@pulumi[\\\\/]/.test(k)).map((k) => k.replace(/.*node_modules[\\\\/]/, ''));",
            "    process.stdout.write(JSON.stringify({ failures, sdk: sdk.slice(0, 3), stackFiles }));",
            "});",
        ].join("\n");
        const child = spawnSync(process.execPath, ["--require", "./tools/register.js", "-e", script, JSON.stringify(PURE_SPECS)], { cwd: ROOT, encoding: "utf8" });
        assert.equal(child.status, 0, child.stderr);
        assert.deepEqual(JSON.parse(child.stdout), { failures: 0, sdk: [], stackFiles: [] });
    });
});
