import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { CONFIGURATION_DOC, configurationDoc } from "../tools/config-docs";
import { ROOT } from "../tools/harness";

describe("README.md", () => {
    const file = path.join(ROOT, "README.md");
    const readme = fs.readFileSync(file, "utf8");

    it("links to the configuration reference and stays short (under 25 KB)", () => {
        assert.ok(readme.includes("(docs/configuration.md)"), "README.md should link to docs/configuration.md");
        assert.ok(fs.statSync(file).size < 25 * 1024, `README.md is ${fs.statSync(file).size} bytes`);
    });

    it("states the set-up commands a newcomer runs", () => {
        for (const cmd of ["npm ci", "npm test", "npm run plan -- --stack staging"]) assert.ok(readme.includes(cmd), cmd);
    });
});

describe("docs/configuration.md", () => {
    it("is the configuration reference generated from config/ (run `npm run docs:config` after changing the schema)", () => {
        assert.equal(fs.readFileSync(CONFIGURATION_DOC, "utf8"), configurationDoc());
    });
});
