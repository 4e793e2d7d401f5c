import * as assert from "assert/strict";
import { resolveConfig, runProgram, toCliConfig } from "../../tools/harness";
import { NS, only, runStack } from "../helpers";

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
    it("are collected on the run, not printed, so the test output shows only warnings a test asserts", async () => {
        const printed: string[] = [];
        const warn = console.warn;
        console.warn = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
        let run;
        try {
            run = await runProgram({ stack: "staging" });
        } finally {
            console.warn = warn;
        }
        assert.deepEqual(run.warnings, ["argocd.webhook is on but the secret githubWebhookSecret is not set: Argo CD rejects the webhook and falls back to polling"]);
        assert.deepEqual(printed, []);
    });

    it("are printed by the tools for their users, as the SDK prints them without an engine", async () => {
        const printed: string[] = [];
        const warn = console.warn;
        console.warn = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
        try {
            await runProgram({ stack: "staging", printWarnings: true });
        } finally {
            console.warn = warn;
        }
        assert.deepEqual(printed, ["warning: [runtime] argocd.webhook is on but the secret githubWebhookSecret is not set: Argo CD rejects the webhook and falls back to polling"]);
    });
});
