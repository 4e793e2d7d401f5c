import * as assert from "assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { plain, resolveConfig, runProgram, toCliConfig } from "../../tools/harness";
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

    it("keeps a secure value inside a list or a nested object a secret placeholder, and the key secret", () => {
        const { config, secretKeys } = toCliConfig({
            "aws:assumeRoles": [{ roleArn: "arn:aws:iam::123456789012:role/deploy", externalId: { secure: "v1:EXTERNAL-ID" } }],
            [`${NS}:argocd`]: { sso: { clientSecret: { secure: "v1:CLIENT-SECRET" } } },
            [`${NS}:cluster`]: { tags: ["a", "b"] },
        });
        assert.deepEqual(config, {
            "aws:assumeRoles": '[{"roleArn":"arn:aws:iam::123456789012:role/deploy","externalId":"redacted-aws-assumeRoles-0-externalId"}]',
            [`${NS}:argocd`]: `{"sso":{"clientSecret":"redacted-${NS}-argocd-sso-clientSecret"}}`,
            [`${NS}:cluster`]: '{"tags":["a","b"]}',
        });
        assert.deepEqual(secretKeys, ["aws:assumeRoles", `${NS}:argocd`]);
    });

    it("records a secret inside a list or a nested object of a resource's inputs as [secret]", () => {
        // The two forms the SDK sends a secret in (runtime/rpc.ts): the secret signature, and an output value marked secret.
        const SIG = pulumi.runtime.specialSigKey;
        const secret = (value: string) => ({ [SIG]: pulumi.runtime.specialSecretSig, value });
        const secretOutput = (value: string) => ({ [SIG]: pulumi.runtime.specialOutputValueSig, value, secret: true, dependencies: [] });
        const wire = {
            assumeRoles: [{ roleArn: "arn:aws:iam::123456789012:role/deploy", externalId: secret("EXTERNAL-ID") }],
            tokens: [secret("TOKEN-0"), [secretOutput("TOKEN-1")]],
            values: { configs: { secret: { extra: { "webhook.github.secret": secretOutput("WEBHOOK") } } } },
        };
        assert.deepEqual(plain(wire, true), {
            assumeRoles: [{ roleArn: "arn:aws:iam::123456789012:role/deploy", externalId: "[secret]" }],
            tokens: ["[secret]", ["[secret]"]],
            values: { configs: { secret: { extra: { "webhook.github.secret": "[secret]" } } } },
        });
        assert.deepEqual(plain(wire, false), {
            assumeRoles: [{ roleArn: "arn:aws:iam::123456789012:role/deploy", externalId: "EXTERNAL-ID" }],
            tokens: ["TOKEN-0", ["TOKEN-1"]],
            values: { configs: { secret: { extra: { "webhook.github.secret": "WEBHOOK" } } } },
        });
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
