import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { ROOT, workflowFiles } from "../../tools/actionlint";

/* eslint-disable @typescript-eslint/no-explicit-any -- workflow documents are free-form YAML */

type Workflow = Record<string, any>;
type Step = Record<string, any>;

function load(file: string): Workflow {
    return YAML.parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", file), "utf8"));
}

function jobs(wf: Workflow): [string, Record<string, any>][] {
    return Object.entries(wf.jobs as Record<string, Record<string, any>>);
}

function steps(job: Record<string, any>): Step[] {
    return (job.steps ?? []) as Step[];
}

/** The npm scripts a shell command runs: `npm run [flags] <name>` and `npm test`. */
function npmScripts(command: string): string[] {
    const found: string[] = [];
    for (const m of command.matchAll(/\bnpm\s+(?:run|run-script)\s+(?:--?[\w-]+\s+)*([\w:.-]+)/g)) found.push(m[1]);
    for (const _ of command.matchAll(/\bnpm\s+(?:test|t)\b/g)) found.push("test");
    return found;
}

/** Every stack a workflow names: `--stack <name>` in commands, `stack-name` inputs (matrix values resolved). */
function stacksNamed(wf: Workflow): string[] {
    const found: string[] = [];
    for (const [, job] of jobs(wf)) {
        const matrixStacks: string[] = job.strategy?.matrix?.stack ?? [];
        for (const step of steps(job)) {
            for (const m of String(step.run ?? "").matchAll(/--stack[ =]+([\w.-]+)/g)) found.push(m[1]);
            const stackName = step.with?.["stack-name"];
            if (stackName === undefined) continue;
            if (String(stackName).includes("${{")) {
                assert.equal(stackName, "${{ matrix.stack }}", "a stack-name expression may only name the matrix stack");
                found.push(...matrixStacks);
            } else {
                found.push(String(stackName));
            }
        }
    }
    return found;
}

/** What a workflow refers to that does not exist: npm scripts missing from package.json, stacks without a stack file. */
function unknownReferences(wf: Workflow, scripts: readonly string[], stacks: readonly string[]): string[] {
    const problems: string[] = [];
    for (const [name, job] of jobs(wf)) {
        for (const step of steps(job)) {
            for (const script of npmScripts(String(step.run ?? ""))) {
                if (!scripts.includes(script)) problems.push(`job ${name} runs npm script "${script}", which package.json does not declare`);
            }
        }
    }
    for (const stack of stacksNamed(wf)) {
        if (!stacks.includes(stack)) problems.push(`stack "${stack}" has no Pulumi.${stack}.yaml`);
    }
    return problems;
}

const PACKAGE_SCRIPTS = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts);
const STACK_FILES = fs
    .readdirSync(ROOT)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
const FILES = workflowFiles().map((f) => path.basename(f));

function stepUsing(job: Record<string, any>, action: string): Step {
    const found = steps(job).filter((s) => String(s.uses ?? "").split("@")[0] === action);
    assert.equal(found.length, 1, `expected one step using ${action}, found ${found.length}`);
    return found[0];
}

function runs(job: Record<string, any>): string[] {
    return steps(job)
        .map((s) => s.run)
        .filter((r): r is string => typeof r === "string");
}

describe("workflows", () => {
    it("has stack files for exactly staging and production", () => {
        assert.deepEqual(STACK_FILES, ["production", "staging"]);
    });

    for (const file of FILES) {
        describe(file, () => {
            const wf = load(file);

            it("runs only npm scripts package.json declares and names only stacks that have a stack file", () => {
                assert.deepEqual(unknownReferences(wf, PACKAGE_SCRIPTS, STACK_FILES), []);
            });

            it("grants only contents: read at the top and widens permissions per job", () => {
                assert.deepEqual(wf.permissions, { "contents": "read" });
                for (const [name, job] of jobs(wf)) assert.ok(job.permissions !== undefined, `job ${name} must declare its permissions`);
            });

            it("pins every action to a full commit SHA with its release version in a comment", () => {
                const text = fs.readFileSync(path.join(ROOT, ".github", "workflows", file), "utf8");
                const uses = text.split("\n").filter((l) => /^\s*(-\s+)?uses:/.test(l));
                assert.ok(uses.length > 0);
                for (const line of uses) assert.match(line, /uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, `${line.trim()} must be pinned to a commit SHA with "# vX.Y.Z"`);
            });

            it("never installs with scripts in a job that holds an OIDC token", () => {
                for (const [name, job] of jobs(wf)) {
                    if (job.permissions?.["id-token"] !== "write") continue;
                    for (const command of runs(job).flatMap((r) => r.split("\n"))) {
                        if (/\bnpm\s+(ci|install|i)\b/.test(command)) assert.match(command, /--ignore-scripts\b/, `job ${name}: ${command.trim()}`);
                        assert.doesNotMatch(command, /\bnpm\s+(run|test|t)\b/, `job ${name} runs npm scripts next to the OIDC token: ${command.trim()}`);
                    }
                }
            });

            it("uses no long-lived cloud or Pulumi credentials", () => {
                const text = fs.readFileSync(path.join(ROOT, ".github", "workflows", file), "utf8");
                assert.doesNotMatch(text, /aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|PULUMI_ACCESS_TOKEN|PULUMI_CONFIG_PASSPHRASE/);
            });

            it("gives every pulumi/actions step the policy pack and its committed configuration", () => {
                for (const [, job] of jobs(wf)) {
                    for (const step of steps(job).filter((s) => String(s.uses ?? "").startsWith("pulumi/actions@"))) {
                        assert.equal(step.with.policyPacks, "policy");
                        assert.equal(step.with.policyPackConfigs, "policy/pack-config.json");
                        assert.ok(fs.existsSync(path.join(ROOT, step.with.policyPackConfigs)), "the pack configuration file exists");
                        assert.equal(step.with["pulumi-version"], JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).dependencies["@pulumi/pulumi"]);
                    }
                }
            });

            it("runs deployments on the deploy runner group and previews on the preview runners, never the other way round", () => {
                for (const [name, job] of jobs(wf)) {
                    const pulumi = steps(job).find((s) => String(s.uses ?? "").startsWith("pulumi/actions@"));
                    if (pulumi === undefined) {
                        assert.doesNotMatch(String(job["runs-on"]), /DEPLOY_RUNNER/, `job ${name} does not deploy`);
                        continue;
                    }
                    const runner = file === "deploy.yml" ? "DEPLOY_RUNNER" : "PREVIEW_RUNNER";
                    assert.equal(job["runs-on"], `\${{ vars.${runner} || 'ubuntu-latest' }}`, `job ${name}`);
                }
            });

            it("assumes AWS roles only through OIDC with an id-token permission in that job", () => {
                for (const [name, job] of jobs(wf)) {
                    const aws = steps(job).filter((s) => String(s.uses ?? "").startsWith("aws-actions/configure-aws-credentials@"));
                    if (aws.length === 0) continue;
                    assert.equal(job.permissions["id-token"], "write", `job ${name}`);
                    assert.equal(aws[0].with["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}", `job ${name}`);
                }
            });
        });
    }

    describe("the reference checks", () => {
        it("report an npm script that package.json does not declare and a stack without a stack file", () => {
            const wf = {
                jobs: {
                    build: {
                        strategy: { matrix: { stack: ["staging", "qa"] } },
                        steps: [{ run: "npm ci\nnpm run --silent plann -- --stack dev\nnpm test" }, { uses: "pulumi/actions@v7", with: { "stack-name": "${{ matrix.stack }}" } }],
                    },
                },
            };
            assert.deepEqual(unknownReferences(wf, ["plan"], ["production", "staging"]), [
                'job build runs npm script "plann", which package.json does not declare',
                'job build runs npm script "test", which package.json does not declare',
                'stack "dev" has no Pulumi.dev.yaml',
                'stack "qa" has no Pulumi.qa.yaml',
            ]);
        });
    });

    describe("pull-request.yml", () => {
        const wf = load("pull-request.yml");
        const checks = wf.jobs.checks;
        const preview = wf.jobs.preview;

        it("runs on pull requests", () => {
            assert.deepEqual(Object.keys(wf.on), ["pull_request"]);
        });

        it("installs Node from .nvmrc and runs lint, the typecheck, the tests, the offline plan and the policy check of both stacks in order", () => {
            assert.equal(stepUsing(checks, "actions/setup-node").with["node-version-file"], ".nvmrc");
            const commands = runs(checks).flatMap((r) => r.split("\n").filter((l) => /\bnpm\b/.test(l)).map((l) => l.trim()));
            assert.deepEqual(commands, [
                "npm ci",
                "npm run lint",
                "npm run typecheck",
                "npm test",
                "npm run --silent plan -- --stack staging | tee plan/staging.summary.txt",
                "npm run --silent plan -- --stack production | tee plan/production.summary.txt",
                "npm run policy:check -- --stack staging",
                "npm run policy:check -- --stack production",
            ]);
        });

        it("renders every chart and runs the policy check on the rendered objects of both stacks in a credential-free job", () => {
            const render = wf.jobs.render;
            assert.deepEqual(render.permissions, { contents: "read" });
            assert.equal(render.environment, undefined);
            assert.equal(stepUsing(render, "actions/checkout").with["persist-credentials"], false);
            const commands = runs(render).flatMap((r) => r.split("\n").filter((l) => /\bnpm\b/.test(l)).map((l) => l.trim()));
            assert.deepEqual(commands, ["npm ci", "npm run policy:check -- --stack staging --render", "npm run policy:check -- --stack production --render"]);
        });

        it("uploads the plan directory and writes a summary to the job summary", () => {
            assert.deepEqual(stepUsing(checks, "actions/upload-artifact").with, { name: "offline-plan", path: "plan/", "if-no-files-found": "error", "retention-days": 14 });
            assert.equal(runs(checks).filter((r) => r.includes('>> "$GITHUB_STEP_SUMMARY"')).length, 1);
        });

        it("holds no job that can assume a production role: only staging is previewed with credentials", () => {
            for (const [name, job] of jobs(wf)) {
                assert.doesNotMatch(JSON.stringify(job.environment ?? ""), /production/, `job ${name}`);
                const assumes = steps(job).some((s) => String(s.uses ?? "").startsWith("aws-actions/configure-aws-credentials@"));
                if (assumes) assert.equal(job.environment, "staging-preview", `job ${name}`);
                else assert.notEqual(job.permissions["id-token"], "write", `job ${name} asks for an OIDC token it does not use`);
            }
            assert.doesNotMatch(fs.readFileSync(path.join(ROOT, ".github", "workflows", "pull-request.yml"), "utf8"), /production-preview/);
        });

        it("previews staging after the checks with the policy pack and a pull request comment", () => {
            assert.equal(preview.needs, "checks");
            assert.equal(preview.strategy, undefined);
            const pulumi = stepUsing(preview, "pulumi/actions");
            assert.equal(pulumi.uses, "pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d");
            assert.equal(pulumi.with.command, "preview");
            assert.equal(pulumi.with["stack-name"], "staging");
            assert.equal(pulumi.with.policyPacks, "policy");
            assert.equal(pulumi.with.policyPackConfigs, "policy/pack-config.json");
            assert.equal(pulumi.with["comment-on-pr"], true);
            assert.equal(pulumi.with["cloud-url"], "${{ vars.PULUMI_BACKEND_URL }}");
            assert.equal(pulumi.with["secrets-provider"], "${{ vars.PULUMI_SECRETS_PROVIDER }}");
        });

        it("gives the preview job only what it needs and one concurrency group per pull request", () => {
            assert.deepEqual(preview.permissions, { "contents": "read", "id-token": "write", "pull-requests": "write" });
            assert.deepEqual(checks.permissions, { "contents": "read" });
            assert.equal(preview.concurrency.group, "preview-staging-${{ github.event.pull_request.number }}");
        });

        it("installs the dependencies of the program and the policy pack, without their scripts, before previewing", () => {
            const names = steps(preview).map((s) => s.uses?.split("@")[0] ?? s.run);
            assert.ok(names.indexOf("npm ci --ignore-scripts") >= 0 && names.indexOf("npm ci --ignore-scripts") < names.indexOf("pulumi/actions"));
        });
    });

    describe("deploy.yml", () => {
        const wf = load("deploy.yml");

        it("deploys staging on pushes to main, after an offline gate that holds no credentials", () => {
            const job = wf.jobs.staging;
            assert.equal(job.if, "github.event_name == 'push' && github.ref == 'refs/heads/main'");
            assert.equal(job.needs, "staging-gate");
            assert.equal(wf.jobs["staging-gate"].if, job.if);
            assert.deepEqual(wf.jobs["staging-gate"].permissions, { contents: "read" });
            assert.deepEqual(runs(wf.jobs["staging-gate"]), ["npm ci", "npm run policy:check -- --stack staging"]);
            assert.deepEqual(wf.on.push.branches, ["main"]);
            const pulumi = stepUsing(job, "pulumi/actions");
            assert.deepEqual([pulumi.with.command, pulumi.with["stack-name"], pulumi.with.policyPacks], ["up", "staging", "policy"]);
        });

        it("deploys production only from a commit of main, after an offline gate that holds no credentials", () => {
            const gate = wf.jobs["production-gate"];
            assert.equal(wf.jobs.production.needs, "production-gate");
            assert.equal(gate.if, wf.jobs.production.if);
            assert.deepEqual(gate.permissions, { contents: "read" });
            assert.equal(stepUsing(gate, "actions/checkout").with["fetch-depth"], 0);
            const reachable = runs(gate).find((r) => r.includes("merge-base --is-ancestor"));
            assert.ok(reachable !== undefined && reachable.includes('git merge-base --is-ancestor "$GITHUB_SHA" refs/remotes/origin/main') && reachable.includes("exit 1"));
            assert.ok(runs(gate).indexOf(reachable) < runs(gate).indexOf("npm run policy:check -- --stack production"));
        });

        it("deploys production from a release tag or a manual run, in the production environment", () => {
            const job = wf.jobs.production;
            assert.equal(job.environment, "production");
            assert.deepEqual(wf.on.push.tags, ["v*"]);
            assert.ok("workflow_dispatch" in wf.on);
            assert.match(job.if, /startsWith\(github\.ref, 'refs\/tags\/v'\)/);
            assert.match(job.if, /github\.event_name == 'workflow_dispatch'/);
            const pulumi = stepUsing(job, "pulumi/actions");
            assert.deepEqual([pulumi.with.command, pulumi.with["stack-name"], pulumi.with.policyPacks], ["up", "production", "policy"]);
        });

        it("never cancels a running deployment", () => {
            assert.deepEqual(wf.jobs.staging.concurrency, { group: "deploy-staging", "cancel-in-progress": false });
            assert.deepEqual(wf.jobs.production.concurrency, { group: "deploy-production", "cancel-in-progress": false });
        });
    });

    describe("manifest-policy.yml", () => {
        const wf = load("manifest-policy.yml");
        const job = wf.jobs.manifests;

        it("is a reusable workflow with the overlays and the policy ref as inputs", () => {
            assert.deepEqual(Object.keys(wf.on), ["workflow_call"]);
            assert.deepEqual(Object.keys(wf.on.workflow_call.inputs), ["overlays", "policy-config", "policy-repository", "policy-ref", "kustomize-version"]);
        });

        it("checks out the caller and the policy pack, renders with kustomize and runs policy:manifests on the result", () => {
            const checkouts = steps(job).filter((s) => String(s.uses).startsWith("actions/checkout@"));
            assert.deepEqual(
                checkouts.map((s) => [s.with.repository, s.with.path]),
                [
                    [undefined, "gitops-config"],
                    ["${{ inputs.policy-repository }}", "policy-pack"],
                ],
            );
            assert.ok(runs(job).some((r) => r.includes('kustomize build "$dir"')));
            assert.ok(runs(job).some((r) => r.includes('npm run --silent policy:manifests -- "${args[@]}" "$RENDERED"') && r.includes("args=(--format text)")));
        });

        it("uploads the rendered manifests only after dropping every Secret object", () => {
            const upload = stepUsing(job, "actions/upload-artifact");
            assert.equal(upload.with.path, "${{ runner.temp }}/rendered-without-secrets");
            const filter = steps(job).find((s) => s.env?.PUBLIC === upload.with.path);
            assert.ok(filter !== undefined && String(filter.run).includes('d.kind !== "Secret"'));
            assert.ok(steps(job).indexOf(filter) < steps(job).indexOf(upload));
        });
    });
});
