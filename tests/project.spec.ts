import * as assert from "assert/strict";
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

    it("disables the default aws and kubernetes providers", () => {
        assert.deepEqual(project.config["pulumi:disable-default-providers"], { value: ["aws", "kubernetes"] });
        const { config } = resolveConfig({ stack: "staging" });
        assert.equal(config["pulumi:disable-default-providers"], '["aws","kubernetes"]');
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

    it("uses TypeScript 5.9 (Pulumi's peer range excludes 7), Node 22+ and Node 24 in .nvmrc", () => {
        assert.match(pkg.devDependencies.typescript, /^5\.9\./);
        assert.equal(pkg.engines.node, ">=22");
        assert.equal(policyPkg.engines.node, ">=22");
        assert.equal(read(".nvmrc").trim(), "24");
        assert.match(pkg.devDependencies.node, /^24\./);
        assert.ok(read(".ci/run").includes(`NODE_VERSION="${pkg.devDependencies.node}"`), ".ci/run provisions the same Node as package.json");
    });

    it("makes the policy pack an npm workspace pinned to the same Pulumi SDK", () => {
        assert.deepEqual(pkg.workspaces, ["policy"]);
        assert.equal(policyPkg.dependencies["@pulumi/pulumi"], pkg.dependencies["@pulumi/pulumi"]);
        assert.match(policyPkg.dependencies["@pulumi/policy"], /^1\.\d+\.\d+$/);
    });

    it("runs the README's test command in CI", () => {
        assert.equal(pkg.scripts.test, "mocha 'tests/**/*.spec.ts'");
        assert.match(read(".ci/run"), /^npm test$/m);
        assert.match(read("README.md"), /^npm test\s/m);
    });
});
