import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import Ajv, { ErrorObject } from "ajv";
import * as YAML from "yaml";
import { SCHEMA_COMMENT, STACK_SCHEMA, stackJsonSchemaText } from "../../tools/config-docs";
import { ROOT, stackFile } from "../../tools/harness";
import { NS, STACKS } from "../helpers";

/** The stack file as an editor sees it: the whole YAML document. */
function stackDocument(stack: string): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return YAML.parse(fs.readFileSync(stackFile(stack), "utf8"));
}

describe("schema/stack.schema.json", () => {
    const text = fs.readFileSync(STACK_SCHEMA, "utf8");
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(text));
    const describeError = (e: ErrorObject): string => {
        const extra = "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : "";
        return `${e.instancePath} ${e.message}${extra}`;
    };
    const errorsOf = (doc: unknown): string[] => (validate(doc) ? [] : (validate.errors ?? []).map(describeError));

    it("is generated from config/ (run `npm run docs:config` after changing the schema)", () => {
        assert.equal(text, stackJsonSchemaText());
    });

    for (const stack of STACKS) {
        it(`is named on the first line of Pulumi.${stack}.yaml and accepts the file`, () => {
            const first = fs.readFileSync(stackFile(stack), "utf8").split("\n")[0];
            assert.equal(first, SCHEMA_COMMENT);
            const target = path.resolve(ROOT, first.split("$schema=")[1]);
            assert.equal(target, STACK_SCHEMA);
            assert.deepEqual(errorsOf(stackDocument(stack)), []);
        });
    }

    it("rejects a wrong-typed value, naming its path", () => {
        const doc = stackDocument("production");
        doc.config[`${NS}:cluster`].nodeGroups[0].minSize = "three";
        assert.deepEqual(errorsOf(doc), [`/config/${NS}:cluster/nodeGroups/0/minSize must be integer`]);
    });

    it("rejects a misspelt key at the top and inside a section", () => {
        const doc = stackDocument("staging");
        doc.config[`${NS}:clustr`] = doc.config[`${NS}:cluster`];
        doc.config[`${NS}:cluster`].vpc.natGateway = "single";
        assert.deepEqual(errorsOf(doc), [
            "/config must NOT have additional properties (footanalytics-gitops:clustr)",
            `/config/${NS}:cluster/vpc must NOT have additional properties (natGateway)`,
        ]);
    });

    it("rejects a secret written in plain text and a value outside the allowed ones", () => {
        const doc = stackDocument("staging");
        doc.config[`${NS}:githubWebhookSecret`] = "hunter2";
        doc.config[`${NS}:environment`] = "prod";
        assert.deepEqual(errorsOf(doc), [`/config/${NS}:environment must be equal to one of the allowed values`, `/config/${NS}:githubWebhookSecret must be object`]);
    });

    it("accepts a secret as Pulumi writes it and other aws: provider keys", () => {
        const doc = stackDocument("staging");
        doc.config[`${NS}:githubWebhookSecret`] = { secure: "v1:AAAA" };
        doc.config["aws:profile"] = "footanalytics-staging";
        assert.deepEqual(errorsOf(doc), []);
    });
});
