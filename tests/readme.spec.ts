import * as assert from "assert/strict";
import * as fs from "fs";
import { configReference, README, renderReadme } from "../tools/config-docs";
import { AnyField } from "../config/dsl";
import { SCHEMA } from "../config/schema";

describe("README.md", () => {
    const readme = fs.readFileSync(README, "utf8");

    it("holds the configuration reference generated from config/ (run `npm run docs:config` after changing the schema)", () => {
        assert.equal(readme, renderReadme(readme));
    });

    it("lists every schema key in the reference", () => {
        const table = configReference();
        const walk = (f: AnyField, key: string): void => {
            assert.ok(table.includes(`| \`${key}\` |`), `README lacks ${key}`);
            if (f.shape) for (const [k, c] of Object.entries(f.shape)) walk(c, `${key}.${k}`);
            else if (f.item?.shape) for (const [k, c] of Object.entries(f.item.shape)) walk(c as AnyField, `${key}[].${k}`);
        };
        for (const [k, f] of Object.entries(SCHEMA)) walk(f as AnyField, `footanalytics-gitops:${k}`);
    });

    it("states the set-up commands a newcomer runs", () => {
        for (const cmd of ["npm ci", "npm test", "npm run plan -- --stack staging"]) assert.ok(readme.includes(cmd), cmd);
    });
});
