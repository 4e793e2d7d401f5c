import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { isConfigValidationError } from "../../config/errors";
import { ROOT, stackFile } from "../../tools/harness";
import { UsageError } from "../../tools/cli";
import { rbacCan } from "../../tools/rbac-can";

const APP = "footanalytics/api-gateway";

describe("tools/rbac-can", () => {
    // Removed after each case, whether it passed or not.
    const dirs: string[] = [];
    const tempDir = () => {
        dirs.push(fs.mkdtempSync(path.join(os.tmpdir(), "rbac-can-")));
        return dirs[dirs.length - 1];
    };
    afterEach(() => {
        for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    });

    const cases: [string, string, string, string, string, boolean][] = [
        ["production", "footanalytics:developer", "sync", "applications", APP, true],
        ["production", "footanalytics:developer", "delete", "applications", APP, false],
        ["production", "footanalytics:developer", "get", "logs", APP, true],
        ["production", "footanalytics:admin", "delete", "applications", APP, true],
        ["production", "footanalytics:admin", "create", "projects", "rogue", false],
        ["production", "footanalytics:admin", "create", "applications", "default/x", false],
        ["staging", "footanalytics:admin", "create", "applications", "default/x", false],
        ["production", "footanalytics:admin", "create", "applications", "footanalytics/x", true],
        ["production", "footanalytics:admin", "create", "exec", APP, false],
        ["production", "admin", "create", "exec", APP, true],
        ["production", "unknown:group", "get", "applications", APP, false],
        ["staging", "unknown:group", "get", "applications", APP, true],
        ["staging", "unknown:group", "sync", "applications", APP, false],
        ["production", "proj:footanalytics:ci", "sync", "applications", APP, true],
    ];
    for (const [stack, subject, action, resource, object, expected] of cases) {
        it(`answers ${expected ? "yes" : "no"} for ${subject} ${action} ${resource} ${object} in ${stack}`, async () => {
            const answer = await rbacCan(["--stack", stack, subject, action, resource, object]);
            assert.equal(answer.allowed, expected);
        });
    }

    it("refuses an unknown resource, listing Argo CD's resources", async () => {
        await assert.rejects(rbacCan(["--stack", "staging", "x", "get", "application", APP]), (err: unknown) => {
            assert.ok(err instanceof UsageError);
            assert.equal(err.exitCode, 2);
            assert.equal(err.message, 'resource "application" is not an Argo CD RBAC resource; expected one of: applications, applicationsets, clusters, projects, repositories, accounts, certificates, gpgkeys, logs, exec, extensions');
            return true;
        });
    });

    it("refuses an action the resource does not have", async () => {
        await assert.rejects(rbacCan(["--stack", "staging", "x", "sync", "logs", APP]), { message: 'action "sync" is not valid for resource "logs"; allowed: get, *' });
    });

    it("refuses a call without the four request arguments", async () => {
        await assert.rejects(rbacCan(["--stack", "staging", "x", "get"]), (err: unknown) => err instanceof UsageError && /got 2 argument\(s\)/.test(err.message));
    });

    it("evaluates the policy of a changed configuration file before it ships", async () => {
        const dir = tempDir();
        const doc = YAML.parse(fs.readFileSync(stackFile("production"), "utf8")) as { config: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
        doc.config["footanalytics-gitops:rbac"].roles[1].policies.push({ resource: "applications", action: "delete", object: "footanalytics/*" });
        const file = path.join(dir, "Pulumi.production.yaml");
        fs.writeFileSync(file, YAML.stringify(doc));
        const answer = await rbacCan(["--stack", "production", "--config-file", file, "footanalytics:developer", "delete", "applications", APP]);
        assert.equal(answer.allowed, true);
    });

    it("refuses an invalid configuration with the key named", async () => {
        const dir = tempDir();
        const doc = YAML.parse(fs.readFileSync(stackFile("production"), "utf8")) as { config: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
        doc.config["footanalytics-gitops:rbac"].defaultPolicy = "role:admin";
        const file = path.join(dir, "Pulumi.production.yaml");
        fs.writeFileSync(file, YAML.stringify(doc));
        await assert.rejects(rbacCan(["--stack", "production", "--config-file", file, "x", "get", "applications", APP]), (err: unknown) => {
            assert.ok(isConfigValidationError(err));
            assert.match(err.message, /footanalytics-gitops:rbac\.defaultPolicy \("role:admin"\) must be empty in production/);
            return true;
        });
    });

    it("refuses a missing stack file, a missing --config-file and broken YAML as usage errors (exit 2)", async () => {
        const dir = tempDir();
        const broken = path.join(dir, "broken.yaml");
        fs.writeFileSync(broken, "config: [\n");
        const request = ["x", "get", "applications", APP];
        await assert.rejects(rbacCan(["--stack", "qa", ...request]), { exitCode: 2, message: 'there is no stack file Pulumi.qa.yaml for stack "qa"; expected one of: production, staging, or pass --config-file <path>' });
        await assert.rejects(rbacCan(["--stack", "staging", "--config-file", path.join(dir, "none.yaml"), ...request]), {
            exitCode: 2,
            message: `--config-file ${path.join(dir, "none.yaml")} does not exist or is not a file; pass a stack file in the Pulumi.<stack>.yaml format`,
        });
        await assert.rejects(rbacCan(["--stack", "staging", "--config-file", broken, ...request]), { exitCode: 2, message: /broken\.yaml is not valid YAML: .* at line 2, column 1; fix the file/ });
    });

    it("exits 2, not 1 (a \"no\"), for an invalid configuration, and prints no stack trace", () => {
        const dir = tempDir();
        const doc = YAML.parse(fs.readFileSync(stackFile("staging"), "utf8")) as { config: Record<string, unknown> };
        delete doc.config["footanalytics-gitops:environment"];
        const file = path.join(dir, "Pulumi.staging.yaml");
        fs.writeFileSync(file, YAML.stringify(doc));
        // As `npm run rbac:can` runs it (the npm round trip is tested below).
        const result = spawnSync(process.execPath, ["--require", "./tools/register.js", "tools/rbac-can.ts", "--stack", "staging", "--config-file", file, "x", "get", "applications", APP], { cwd: ROOT, encoding: "utf8" });
        assert.equal(result.status, 2);
        assert.equal(
            result.stderr,
            'Invalid configuration for stack "staging" (1 problem):\n  - footanalytics-gitops:environment is missing; expected one of: staging, production (Which profile the stack follows: `production` defaults are highly available and stricter)\n',
        );
        assert.equal(result.stdout, "");
    });

    it("prints yes with exit code 0 and no with exit code 1 from npm run rbac:can", () => {
        const yes = spawnSync("npm", ["run", "-s", "rbac:can", "--", "--stack", "production", "footanalytics:developer", "sync", "applications", APP], { cwd: ROOT, encoding: "utf8" });
        assert.equal(yes.stdout, "yes\n");
        assert.equal(yes.status, 0);
        // The same command line npm runs, without npm's start-up.
        const no = spawnSync(process.execPath, ["--require", "./tools/register.js", "tools/rbac-can.ts", "--stack", "production", "footanalytics:developer", "delete", "applications", APP], { cwd: ROOT, encoding: "utf8" });
        assert.equal(no.stdout, "no\n");
        assert.equal(no.status, 1);
    });
});
