import * as assert from "assert/strict";
import * as fs from "fs";
import { README, renderReadme } from "../tools/config-docs";

describe("README.md", () => {
    const readme = fs.readFileSync(README, "utf8");

    it("holds the configuration reference generated from config/ (run `npm run docs:config` after changing the schema)", () => {
        assert.equal(readme, renderReadme(readme));
    });

    it("states the set-up commands a newcomer runs", () => {
        for (const cmd of ["npm ci", "npm test", "npm run plan -- --stack staging"]) assert.ok(readme.includes(cmd), cmd);
    });
});
