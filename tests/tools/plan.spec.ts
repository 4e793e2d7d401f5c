import * as assert from "assert/strict";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { SECRET_KEYS } from "../../config/secrets";
import { ROOT, readStackFile, stackFile } from "../../tools/harness";
import { checkedStackFile } from "../../tools/cli";
import { mockScalars, plan, summarize, writePlan, yamlWithMockMarks } from "../../tools/plan";
import { NS, STACKS } from "../helpers";

interface CliResult {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Run `npm run plan -- <args>` as npm does (same Node, `--require ./tools/register.js tools/plan.ts`). */
function runPlanCli(args: string[]): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["--require", "./tools/register.js", "tools/plan.ts", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
        child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

/** Temporary directories of this file's cases, removed after them (tests/temp-dir.ts fails a suite that leaves one). */
const temporary: string[] = [];

function tmp(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-spec-"));
    temporary.push(dir);
    return dir;
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

/** The in-process plan of a committed stack, made once and shared by the cases that only read it. */
const plans = new Map<string, ReturnType<typeof plan>>();
function planOf(stack: string): ReturnType<typeof plan> {
    if (!plans.has(stack)) plans.set(stack, plan({ stack }));
    return plans.get(stack)!;
}

describe("npm run plan", () => {
    // The command-line cases run the real tool, all at once (the machine has a core to spare while
    // this process waits); each case awaits its own run.
    const cli: Record<string, Promise<CliResult>> = {};
    const dir = tmp();
    const secretsOut = path.join(dir, "secrets-out");
    const brokenOut = path.join(dir, "broken-out");
    const outFile = path.join(dir, "plan.txt");
    before(() => {
        const values = readStackFile(stackFile("staging"));
        (values[`${NS}:cluster`] as Record<string, unknown>).kubernetesVersion = 1.33;
        const broken = path.join(dir, "Pulumi.broken.yaml");
        fs.writeFileSync(broken, YAML.stringify({ config: values }));
        fs.writeFileSync(outFile, "not a directory");
        cli.secrets = runPlanCli(["--stack", "production", "--config-file", stackFileWithSecrets("production", dir), "--out", secretsOut]);
        cli.invalid = runPlanCli(["--stack", "staging", "--config-file", broken, "--out", brokenOut]);
        cli.unknownStack = runPlanCli(["--stack", "qa"]);
        cli.escape = runPlanCli(["--stack", "../escape", "--config-file", stackFile("staging")]);
        cli.outFile = runPlanCli(["--stack", "staging", "--out", outFile]);
        cli.noStack = runPlanCli([]);
        const typo = readStackFile(stackFile("production"));
        typo["footanalytics-gitop:monitoring"] = typo[`${NS}:monitoring`];
        delete typo[`${NS}:monitoring`];
        fs.writeFileSync(path.join(dir, "Pulumi.typo.yaml"), YAML.stringify({ config: typo }));
        cli.namespaceTypo = runPlanCli(["--stack", "production", "--config-file", path.join(dir, "Pulumi.typo.yaml"), "--out", path.join(dir, "typo-out")]);
    });
    after(async () => {
        await Promise.allSettled(Object.values(cli));
        for (const d of temporary) fs.rmSync(d, { recursive: true, force: true });
    });

    for (const stack of STACKS) {
        it(`writes resources.json, manifests.yaml and argocd-values.yaml for ${stack}`, async () => {
            const p = await planOf(stack);
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
        const p = await planOf("staging");
        const text = summarize(p);
        assert.match(text, /^Plan for stack "staging": \d+ resources, \d+ Kubernetes objects/);
        for (const r of p.resources) assert.ok(text.includes(`${r.name} (${r.type})`), `tree lacks ${r.name}`);
    });

    it("writes secrets only as [secret] when every secret key is set", async () => {
        const result = await cli.secrets;
        assert.equal(result.status, 0, result.stderr);
        const written = ["resources.json", "manifests.yaml", "argocd-values.yaml"].map((f) => fs.readFileSync(path.join(secretsOut, f), "utf8")).join("\n");
        // The harness turns each secure value into a placeholder "redacted-<key>" that stays secret:
        // any occurrence in a plan file is a secret written in plain text.
        assert.equal(written.match(/redacted-footanalytics-gitops-\w+/g), null);
        assert.ok(written.includes("[secret]"));
        assert.ok(!result.stdout.includes("redacted-"), "the summary must not print secrets");
    });

    it("refuses invalid configuration: exit 2, the message on stderr, no stack trace, nothing written", async () => {
        const result = await cli.invalid;
        assert.equal(result.status, 2);
        assert.equal(
            result.stderr,
            'Invalid configuration for stack "staging" (1 problem):\n  - footanalytics-gitops:cluster.kubernetesVersion (1.33) is a number; expected a Kubernetes version: quote the value in the stack file, because YAML reads it unquoted as a number, dropping trailing zeros (1.30 becomes 1.3)\n',
        );
        assert.equal(result.stdout, "");
        assert.equal(fs.existsSync(brokenOut), false);
    });

    it("refuses a misspelt namespace in the stack file: exit 2, naming the key it most likely meant, nothing written", async () => {
        const result = await cli.namespaceTypo;
        assert.equal(result.status, 2);
        assert.equal(
            result.stderr,
            'Invalid configuration for stack "production" (1 problem):\n  - footanalytics-gitop:monitoring is in the namespace "footanalytics-gitop", which nothing reads (did you mean footanalytics-gitops:monitoring?); expected footanalytics-gitops:<key> or a provider namespace: aws, eks, github, kubernetes, pulumi, random\n',
        );
        assert.equal(fs.existsSync(path.join(dir, "typo-out")), false);
    });

    it("names an unknown stack and lists the stacks that exist: exit 2", async () => {
        const result = await cli.unknownStack;
        assert.equal(result.status, 2);
        assert.equal(result.stderr, 'there is no stack file Pulumi.qa.yaml for stack "qa"; expected one of: production, staging, or pass --config-file <path>\n');
    });

    it("refuses a stack name Pulumi would refuse, so --stack cannot write outside plan/", async () => {
        const result = await cli.escape;
        assert.equal(result.status, 2);
        assert.equal(result.stderr, '--stack "../escape" is not a valid stack name: stack names may not contain slashes (Pulumi\'s rule), such as "staging" or "production"\n');
        assert.equal(fs.existsSync(path.join(ROOT, "escape")), false);
        assert.throws(() => checkedStackFile("..", stackFile("staging"), "u"), { exitCode: 2, message: '--stack ".." is not a valid stack name: stack names cannot be ".." (Pulumi\'s rule), such as "staging" or "production"' });
        assert.throws(() => checkedStackFile("my stack", undefined, "u"), { exitCode: 2, message: /^--stack "my stack" is not a valid stack name: stack names may only contain letters, digits, hyphens, underscores and periods/ });
        assert.throws(() => checkedStackFile("x".repeat(101), undefined, "u"), { exitCode: 2, message: /stack names must be at most 100 characters/ });
    });

    it("refuses an --out that is an existing file, before running anything: exit 2", async () => {
        const file = outFile;
        const result = await cli.outFile;
        assert.equal(result.status, 2);
        assert.equal(result.stderr, `--out ${file} exists and is not a directory; name a directory (it is created when missing)\n`);
        assert.equal(fs.readFileSync(file, "utf8"), "not a directory");
        assert.throws(() => writePlan({ stack: "s", resources: [], manifests: [], outputs: {}, mockValues: new Set(), unrendered: [] }, path.join(file, "sub")), {
            exitCode: 2,
            message: `cannot create the plan directory ${path.join(file, "sub")}: a part of the path is a file; pass --out <dir> naming a directory you can write to`,
        });
    });

    it("names a missing --config-file and a stack file that is not YAML, without a dangling colon", () => {
        const dir = tmp();
        assert.throws(() => checkedStackFile("staging", path.join(dir, "nope.yaml"), "u"), {
            exitCode: 2,
            message: `--config-file ${path.join(dir, "nope.yaml")} does not exist or is not a file; pass a stack file in the Pulumi.<stack>.yaml format`,
        });
        const broken = path.join(dir, "Pulumi.broken.yaml");
        fs.writeFileSync(broken, "config:\n  a: b: c\n");
        assert.throws(() => checkedStackFile("staging", broken, "u"), {
            exitCode: 2,
            message: /^.*Pulumi\.broken\.yaml is not valid YAML: Nested mappings are not allowed in compact mappings at line 2, column 6; fix the file \(`pulumi config` shows what the CLI reads\)$/,
        });
        const list = path.join(dir, "Pulumi.list.yaml");
        fs.writeFileSync(list, "- a\n- b\n");
        assert.throws(() => checkedStackFile("staging", list, "u"), { exitCode: 2, message: /Pulumi\.list\.yaml is not a Pulumi stack file: expected a mapping with a "config:" mapping of keys to values$/ });
    });

    it("explains its usage when --stack is missing", async () => {
        const result = await cli.noStack;
        assert.equal(result.status, 2);
        assert.equal(result.stderr, "--stack is required\nusage: npm run plan -- --stack <name> [--config-file <path>] [--out <dir>] [--render [--charts-dir <dir>]]\n");
    });

    describe("readability", () => {
        it("shows provider inputs as objects and booleans, not JSON text", async () => {
            const p = await planOf("staging");
            const aws = p.resources.find((r) => r.type === "pulumi:providers:aws");
            assert.ok(aws);
            assert.deepEqual((aws.inputs.defaultTags as { tags: Record<string, string> }).tags.environment, "staging");
            assert.equal(aws.inputs.skipRegionValidation, true);
            assert.equal(aws.inputs.region, "eu-west-1");
        });

        it("shows a Secret's key names with [secret] values", async () => {
            const p = await planOf("staging");
            const secrets = p.manifests.filter((m) => m.kind === "Secret");
            const redis = secrets.find((m) => (m.metadata as { name: string }).name === "argocd-redis");
            assert.deepEqual(redis?.stringData, { auth: "[secret]" });
            for (const m of secrets) for (const v of Object.values(m.stringData as Record<string, string>)) assert.equal(v, "[secret]");
        });

        it("lists the values the mock runtime made up, and not the configured ones", async () => {
            const p = await planOf("production");
            const eks = p.resources.find((r) => r.type === "eks:index:Cluster");
            const mocked = eks?.mockValues ?? [];
            assert.ok(mocked.includes("inputs.encryptionConfigKeyArn"), String(mocked));
            // The admin role ARN is configured in the stack file (account 123456789012 there too): not a mock value.
            assert.ok(!mocked.some((m) => m.startsWith("inputs.accessEntries")), String(mocked));
            const vpc = p.resources.find((r) => r.type === "aws:ec2/subnet:Subnet");
            assert.ok(vpc?.mockValues?.includes("inputs.vpcId"));
            assert.match(summarize(p), /\n\d+ input value\(s\) are made up by the offline runtime \(ids, ARNs in account 123456789012, endpoints\): listed in mockValues of resources\.json(; the \d+ in manifests\.yaml and argocd-values\.yaml are marked "# mock"| \(none is in manifests\.yaml or argocd-values\.yaml\))\n/);
        });

        for (const stack of STACKS) {
            it(`keeps the README's "# mock" promise for ${stack}: every made-up value in the YAML is marked, and the summary says how many there are`, async () => {
                const p = await planOf(stack);
                const out = path.join(tmp(), "out");
                writePlan(p, out);
                const yaml = ["manifests.yaml", "argocd-values.yaml"].map((f) => fs.readFileSync(path.join(out, f), "utf8")).join("\n");
                const marked = (yaml.match(/ # mock: made up by the offline runtime$/gm) ?? []).length;
                const made = mockScalars(p.manifests, p.mockValues) + mockScalars(p.argocdValues ?? {}, p.mockValues);
                assert.equal(marked, made, "each made-up value in the YAML carries the mark");
                const where = made > 0 ? `; the ${made} in manifests.yaml and argocd-values.yaml are marked "# mock"` : " (none is in manifests.yaml or argocd-values.yaml)";
                assert.ok(summarize(p).includes(`listed in mockValues of resources.json${where}\n`), summarize(p));
                const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
                assert.ok(readme.includes("made-up values that reach `manifests.yaml` or `argocd-values.yaml` are marked `# mock` there, and the summary counts them"));
            });
        }

        it("marks mock values in YAML with a comment", () => {
            assert.equal(
                yamlWithMockMarks({ a: "vpc-id", b: "configured", c: ["vpc-id"] }, new Set(["vpc-id"])),
                "a: vpc-id # mock: made up by the offline runtime\nb: configured\nc:\n  - vpc-id # mock: made up by the offline runtime\n",
            );
        });
    });
});
