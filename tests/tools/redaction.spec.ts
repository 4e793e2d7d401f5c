/**
 * Secrets inside lists and nested objects: the stack configuration the harness hands the program,
 * the inputs it records for the plan files, and the stack configuration plan:diff prints.
 */
import * as assert from "assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { plain, toCliConfig } from "../../tools/harness";
import { diffPlans, formatDiff, PlanSide, readStackConfig } from "../../tools/plan-diff";
import { NS } from "../helpers";

describe("secrets inside lists and nested objects", () => {
    it("stay a secret placeholder in the configuration the program gets, and keep their key secret", () => {
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

    it("are recorded as [secret] in a resource's inputs (the plan files), in both forms the SDK sends them", () => {
        // @pulumi/pulumi runtime/rpc.ts: the secret signature, and an output value marked secret.
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

    it("never print their ciphertext in plan:diff (aws:assumeRoles), which says only that one changed", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "redaction-spec-"));
        try {
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), YAML.stringify({ name: NS, runtime: "nodejs" }));
            const stack = (name: string, tag: string) =>
                fs.writeFileSync(
                    path.join(dir, `Pulumi.${name}.yaml`),
                    YAML.stringify({
                        config: {
                            "aws:assumeRoles": [{ roleArn: "arn:aws:iam::123456789012:role/deploy", externalId: { secure: `v1:EXTERNAL-ID-${tag}` } }],
                            [`${NS}:notifications`]: { teams: { channels: [{ name: "ops", url: { secure: `v1:TEAMS-URL-${tag}` } }] } },
                        },
                    }),
                );
            stack("base", "BASE");
            stack("head", "HEAD");
            const base = readStackConfig(dir, "base");
            assert.deepEqual(base.config, {
                "aws:assumeRoles": [{ roleArn: "arn:aws:iam::123456789012:role/deploy", externalId: "[secret]" }],
                notifications: { teams: { channels: [{ name: "ops", url: "[secret]" }] } },
            });
            assert.deepEqual(Object.keys(base.secureDigests), ["aws:assumeRoles[0].externalId", "notifications.teams.channels[0].url"]);
            const side = (label: string, c: ReturnType<typeof readStackConfig>): PlanSide => ({ label, plan: { resources: [], manifests: "", argocdValues: {}, config: c.config, secureDigests: c.secureDigests } });
            for (const format of ["text", "markdown"] as const) {
                const report = formatDiff(diffPlans(side("base", base), side("head", readStackConfig(dir, "head"))), "plan:diff", format);
                assert.doesNotMatch(report, /EXTERNAL-ID|TEAMS-URL|v1:/, report);
                assert.ok(report.includes("~ aws:assumeRoles[0].externalId: [secret] → [secret] (ciphertext changed)"), report);
                assert.ok(report.includes("~ notifications.teams.channels[0].url: [secret] → [secret] (ciphertext changed)"), report);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
