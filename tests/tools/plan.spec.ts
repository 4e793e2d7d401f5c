import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { SECRET_KEYS } from "../../config/secrets";
import { ROOT, readStackFile, stackFile } from "../../tools/harness";
import { plan, summarize, writePlan } from "../../tools/plan";
import { NS, STACKS } from "../helpers";

const TS_NODE = require.resolve("ts-node/dist/bin.js");

/** Run `npm run plan -- <args>` as a user would (same Node, same entry point). */
function runPlanCli(args: string[]) {
    return spawnSync(process.execPath, [TS_NODE, "--swc", path.join(ROOT, "tools/plan.ts"), ...args], { cwd: ROOT, encoding: "utf8" });
}

function tmp(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "plan-spec-"));
}

/** A copy of a stack file with every secret key set (as `secure:` values, the way the CLI stores them). */
function stackFileWithSecrets(stack: string, dir: string): string {
    const values = readStackFile(stackFile(stack));
    for (const k of Object.keys(SECRET_KEYS)) values[`${NS}:${k}`] = { secure: `v1:ciphertext-of-${k}` };
    // config/ refuses both sources of the SSO client secret; with oidcClientSecret set, drop the Secrets Manager one.
    const sso = (values[`${NS}:argocd`] as { sso?: Record<string, unknown> } | undefined)?.sso;
    if (sso !== undefined) delete sso.clientSecretSecretsManagerName;
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, YAML.stringify({ config: values }));
    return file;
}

describe("npm run plan", () => {
    for (const stack of STACKS) {
        it(`writes resources.json, manifests.yaml and argocd-values.yaml for ${stack}`, async () => {
            const p = await plan({ stack });
            const dir = tmp();
            const files = writePlan(p, dir);
            assert.deepEqual(files.map((f) => path.basename(f)), ["resources.json", "manifests.yaml", "argocd-values.yaml"]);
            const resources = JSON.parse(fs.readFileSync(path.join(dir, "resources.json"), "utf8"));
            assert.equal(resources.length, p.resources.length);
            assert.ok(resources.length > 0);
            for (const r of resources) {
                for (const k of ["protect", "retainOnDelete", "dependsOn", "ignoreChanges", "providers"]) assert.ok(k in r.options, `${r.name} lacks options.${k}`);
                assert.equal(typeof r.type, "string");
                assert.equal(typeof r.name, "string");
            }
            const manifests = YAML.parseAllDocuments(fs.readFileSync(path.join(dir, "manifests.yaml"), "utf8")).map((d) => d.toJSON());
            assert.equal(manifests.length, p.manifests.length);
            for (const m of manifests) {
                assert.equal(typeof m.apiVersion, "string");
                assert.equal(typeof m.kind, "string");
            }
            const values = YAML.parse(fs.readFileSync(path.join(dir, "argocd-values.yaml"), "utf8"));
            assert.deepEqual(values, p.argocdValues ?? {});
        });
    }

    it("summarises counts by type and the resource tree", async () => {
        const p = await plan({ stack: "staging" });
        const text = summarize(p);
        assert.match(text, /^Plan for stack "staging": \d+ resources, \d+ Kubernetes objects/);
        for (const r of p.resources) assert.ok(text.includes(`${r.name} (${r.type})`), `tree lacks ${r.name}`);
    });

    it("writes secrets only as [secret] when every secret key is set", () => {
        const dir = tmp();
        const out = path.join(dir, "out");
        const result = runPlanCli(["--stack", "production", "--config-file", stackFileWithSecrets("production", dir), "--out", out]);
        assert.equal(result.status, 0, result.stderr);
        const written = ["resources.json", "manifests.yaml", "argocd-values.yaml"].map((f) => fs.readFileSync(path.join(out, f), "utf8")).join("\n");
        // The harness turns each secure value into a placeholder "redacted-<key>" that stays secret:
        // any occurrence in a plan file is a secret written in plain text.
        assert.equal(written.match(/redacted-footanalytics-gitops-\w+/g), null);
        assert.ok(written.includes("[secret]"));
        assert.ok(!result.stdout.includes("redacted-"), "the summary must not print secrets");
    });

    it("refuses invalid configuration: exit 1, the message on stderr, no stack trace, nothing written", () => {
        const dir = tmp();
        const values = readStackFile(stackFile("staging"));
        (values[`${NS}:cluster`] as Record<string, unknown>).kubernetesVersion = 1.33;
        const file = path.join(dir, "Pulumi.broken.yaml");
        fs.writeFileSync(file, YAML.stringify({ config: values }));
        const out = path.join(dir, "out");
        const result = runPlanCli(["--stack", "staging", "--config-file", file, "--out", out]);
        assert.equal(result.status, 1);
        assert.equal(
            result.stderr,
            'Invalid configuration for stack "staging" (1 problem):\n  - footanalytics-gitops:cluster.kubernetesVersion (1.33) is a number; expected a Kubernetes version\n',
        );
        assert.equal(result.stdout, "");
        assert.equal(fs.existsSync(out), false);
    });

    it("names an unknown stack and lists the stacks that exist", () => {
        const result = runPlanCli(["--stack", "qa"]);
        assert.equal(result.status, 1);
        assert.equal(result.stderr, 'there is no stack file Pulumi.qa.yaml for stack "qa"; expected one of: production, staging\n');
    });

    it("explains its usage when --stack is missing", () => {
        const result = runPlanCli([]);
        assert.equal(result.status, 2);
        assert.equal(result.stderr, "--stack is required\nusage: npm run plan -- --stack <name> [--config-file <path>] [--out <dir>]\n");
    });
});
