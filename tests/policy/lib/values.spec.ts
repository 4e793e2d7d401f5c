import * as assert from "assert/strict";
import { unknownCheckingProxy } from "@pulumi/policy";
import { at, isUnknown, toPlain, UNKNOWN } from "../../../policy/lib/values";
import { UNKNOWN_VALUE } from "../helpers";

describe("plain values", () => {
    it("copies @pulumi/policy's unknown-checking proxy into plain data with unknowns marked", () => {
        const props = unknownCheckingProxy({ spec: { containers: [{ name: "a", image: UNKNOWN_VALUE }], replicas: 2 }, list: UNKNOWN_VALUE });
        const plain = toPlain(props);
        assert.deepEqual(plain, { spec: { containers: [{ name: "a", image: UNKNOWN }], replicas: 2 }, list: UNKNOWN });
    });

    it("stops at an unknown value when walking a path", () => {
        const plain = { spec: UNKNOWN };
        assert.ok(isUnknown(at(plain, ["spec", "template", "spec"])));
        assert.equal(at({ spec: {} }, ["spec", "template", "spec"]), undefined);
        assert.equal(at({ spec: "text" }, ["spec", "template"]), undefined);
    });
});
