import * as assert from "assert/strict";
import { spawnSync } from "child_process";
import * as path from "path";
import { ROOT } from "../../tools/cli";
import { resolveConfig, runProgram, toCliConfig } from "../../tools/harness";
import { editedValues, NS, only, runStack } from "../helpers";

describe("offline harness", () => {
    it("namespaces keys, stringifies scalars and JSON-encodes objects as the CLI does", () => {
        const { config, secretKeys } = toCliConfig({
            environment: "staging",
            "aws:region": "eu-west-1",
            [`${NS}:cluster`]: { vpc: { availabilityZones: 3 } },
            [`${NS}:githubToken`]: { secure: "v1:abc" },
            [`${NS}:removed`]: null,
        });
        assert.deepEqual(config, {
            [`${NS}:environment`]: "staging",
            "aws:region": "eu-west-1",
            [`${NS}:cluster`]: '{"vpc":{"availabilityZones":3}}',
            [`${NS}:githubToken`]: `redacted-${NS}-githubToken`,
        });
        assert.deepEqual(secretKeys, [`${NS}:githubToken`]);
    });

    it("stands in for the teamsWorkflowUrls secret with JSON of one placeholder URL per Teams channel, so the program can read it offline", async () => {
        const { config, secretKeys } = toCliConfig({ [`${NS}:notifications`]: { teams: { channels: ["platform-alerts", "ml"] } }, [`${NS}:teamsWorkflowUrls`]: { secure: "v1:abc" } });
        assert.deepEqual(JSON.parse(config[`${NS}:teamsWorkflowUrls`]), {
            "platform-alerts": `https://redacted.invalid/${NS}-teamsWorkflowUrls-platform-alerts`,
            ml: `https://redacted.invalid/${NS}-teamsWorkflowUrls-ml`,
        });
        assert.deepEqual(secretKeys, [`${NS}:teamsWorkflowUrls`]);
        const run = await runStack("production", (v) => {
            delete v[`${NS}:notifications`].secretsManagerSecretName;
            v[`${NS}:teamsWorkflowUrls`] = { secure: "v1:abc" };
            v[`${NS}:slackToken`] = { secure: "v1:def" };
        });
        const secret = only(run, "kubernetes:core/v1:Secret", "gitops-notifications-secret");
        assert.equal(secret.inputs.stringData, "[secret]");
        assert.equal((secret.rawInputs.stringData as Record<string, string>)["teams-workflows-url-platform-alerts"], `https://redacted.invalid/${NS}-teamsWorkflowUrls-platform-alerts`);
    });

    it("exits 2 with a message, never 1 or a stack trace, when the program fails inside an apply", () => {
        const script = `require(${JSON.stringify(path.join(ROOT, "tools/register.js"))}); const { runMain } = require(${JSON.stringify(path.join(ROOT, "tools/cli.ts"))}); const pulumi = require("@pulumi/pulumi");
runMain(async () => { pulumi.output("x").apply(() => { throw new Error("the teamsWorkflowUrls secret is not JSON"); }); await new Promise((r) => setTimeout(r, 200)); return 0; });`;
        const child = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
        assert.equal(child.status, 2, child.stderr);
        assert.equal(child.stderr, "error: the program failed while it ran offline: the teamsWorkflowUrls secret is not JSON\n");
    });

    it("lets overrides replace and remove keys of the stack file", () => {
        const { config } = resolveConfig({ stack: "staging", configOverrides: { costCentre: "sports-data", "aws:region": null } });
        assert.equal(config[`${NS}:costCentre`], "sports-data");
        assert.equal("aws:region" in config, false);
    });

    it("records parents, providers and the providers map of remote components", async () => {
        const run = await runStack("staging");
        const eks = only(run, "eks:index:Cluster");
        const awsProvider = only(run, "pulumi:providers:aws", "footanalytics-aws");
        assert.match(eks.options.providers.aws, new RegExp(`^${awsProvider.urn.replace(/[$]/g, "\\$")}::`));
        const component = only(run, "footanalytics:cluster:EksCluster");
        assert.equal(eks.parent, component.urn);
        assert.equal(eks.remote, true);
        assert.equal(component.custom, false);
    });

    it("runs both stacks one after the other in one process without mixing their resources", async () => {
        const staging = await runProgram({ stack: "staging" });
        const production = await runProgram({ stack: "production" });
        assert.ok(staging.resources.every((r) => r.urn.startsWith("urn:pulumi:staging::footanalytics-gitops::")));
        assert.ok(production.resources.every((r) => r.urn.startsWith("urn:pulumi:production::footanalytics-gitops::")));
        assert.equal(new Set(production.resources.map((r) => r.urn)).size, production.resources.length);
    });
});

describe("the program's runtime warnings", () => {
    // A staging stack that turns off the generated webhook secret: the program warns about unsigned pushes.
    const UNSIGNED_WEBHOOK = editedValues("staging", (v) => {
        v[`${NS}:argocd`].githubWebhook = { ...(v[`${NS}:argocd`].githubWebhook ?? {}), generateSecret: false };
    });

    it("are collected on the run, not printed, so the test output shows only warnings a test asserts", async () => {
        const printed: string[] = [];
        const warn = console.warn;
        console.warn = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
        let run;
        try {
            run = await runProgram({ stack: "staging", configOverrides: UNSIGNED_WEBHOOK });
        } finally {
            console.warn = warn;
        }
        assert.deepEqual(run.warnings, ["argocd.webhook is on without a secret (githubWebhookSecret unset, argocd.githubWebhook.generateSecret false): Argo CD accepts unsigned pushes from anyone who reaches it"]);
        assert.deepEqual(printed, []);
    });

    it("are printed by the tools for their users, as the SDK prints them without an engine", async () => {
        const printed: string[] = [];
        const warn = console.warn;
        console.warn = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
        try {
            await runProgram({ stack: "staging", configOverrides: UNSIGNED_WEBHOOK, printWarnings: true });
        } finally {
            console.warn = warn;
        }
        assert.deepEqual(printed, ["warning: [runtime] argocd.webhook is on without a secret (githubWebhookSecret unset, argocd.githubWebhook.generateSecret false): Argo CD accepts unsigned pushes from anyone who reaches it"]);
    });
});
