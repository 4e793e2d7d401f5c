import * as assert from "assert/strict";
import { derived, int, Parsed, parseSection, perEnv, problem, section, str } from "../../config/dsl";

/** What one parse's defaults and rules saw. */
interface Seen {
    readonly defaults: string[];
    readonly rules: string[];
}

/**
 * A section whose computed default and whose rule can each start another parse (`nest`), and which
 * records the context every default and rule of its own parse saw.
 */
function probe(seen: Seen, nest: { inDefault?: () => void; inRule?: () => void } = {}) {
    return section(
        {
            name: str({
                description: "Name.",
                default: derived("`app-<stack>`", (ctx) => {
                    nest.inDefault?.();
                    seen.defaults.push(`name: ${ctx.env} ${ctx.stack}`);
                    return `app-${ctx.stack}`;
                }),
            }),
            replicas: int({ description: "Replicas.", min: 1, default: perEnv(1, 3) }),
        },
        {
            description: "A probe.",
            rules(v, key, ctx, given) {
                nest.inRule?.();
                seen.rules.push(`${ctx.env} ${ctx.stack} given=${[...given].join(",")}`);
                if (ctx.env === "production" && v.replicas < 2) problem(ctx, `${key}.replicas`, v.replicas, "must be at least 2 in production");
            },
        },
    );
}

describe("configuration parses (config/dsl.ts)", () => {
    it("keep their own environment, stack, keys and messages when a parse starts inside another's default", () => {
        const outer: Seen = { defaults: [], rules: [] };
        const inner: Seen = { defaults: [], rules: [] };
        let nested: Parsed<unknown> | undefined;
        const innerField = probe(inner);
        const outerField = probe(outer, { inDefault: () => (nested = parseSection(innerField, { replicas: 0 }, { env: "staging", stack: "blue", root: "inner:app" })) });

        const parsed = parseSection(outerField, { replicas: 1 }, { env: "production", stack: "green", root: "outer:app" });

        assert.deepEqual(parsed.value, { name: "app-green", replicas: 1 });
        assert.deepEqual(parsed.problems, [{ key: "outer:app.replicas", message: "outer:app.replicas (1) must be at least 2 in production" }]);
        assert.deepEqual(outer, { defaults: ["name: production green"], rules: ["production green given=replicas"] });
        assert.deepEqual(nested?.problems, [{ key: "inner:app.replicas", message: "inner:app.replicas (0) must be at least 1" }]);
        assert.deepEqual(inner, { defaults: ["name: staging blue"], rules: ["staging blue given=replicas"] });
    });

    it("keep their own context when a parse starts inside another's rule, and after it", () => {
        const outer: Seen = { defaults: [], rules: [] };
        const inner: Seen = { defaults: [], rules: [] };
        let nested: Parsed<unknown> | undefined;
        const innerField = probe(inner);
        const outerField = probe(outer, { inRule: () => (nested = parseSection(innerField, undefined, { env: "production", stack: "blue", root: "inner:app" })) });

        const parsed = parseSection(outerField, { name: "given", replicas: 1 }, { env: "staging", stack: "green", root: "outer:app" });
        assert.deepEqual(parsed, { value: { name: "given", replicas: 1 }, problems: [], issues: [] });
        assert.deepEqual(outer, { defaults: [], rules: ["staging green given=name,replicas"] });
        // The inner parse: production defaults, its own stack, and no keys given.
        assert.deepEqual(nested?.value, { name: "app-blue", replicas: 3 });
        assert.deepEqual(inner, { defaults: ["name: production blue"], rules: ["production blue given="] });

        // A parse after both sees neither.
        const after: Seen = { defaults: [], rules: [] };
        assert.deepEqual(parseSection(probe(after), {}, { env: "staging", stack: "red", root: "x:app" }).value, { name: "app-red", replicas: 1 });
        assert.deepEqual(after, { defaults: ["name: staging red"], rules: ["staging red given="] });
    });

    it("leave nothing behind for a default or a rule evaluated outside a parse", () => {
        const field = probe({ defaults: [], rules: [] });
        parseSection(field, {}, { env: "production", stack: "green", root: "x:app" });
        assert.throws(() => field.safeParse({}), { message: "a configuration default or rule was evaluated outside parseSection()" });
        assert.throws(() => field.safeParse({ name: "n", replicas: 3 }), { message: "a configuration default or rule was evaluated outside parseSection()" });
    });

    it("name a key that holds `$&` as it is written, in the problem's key and sentence", () => {
        const parsed = parseSection(probe({ defaults: [], rules: [] }), { replicas: 1, "a$&b": 1 }, { env: "staging", stack: "s", root: "x:app" });
        assert.deepEqual(parsed.problems, [{ key: "x:app.a$&b", message: "x:app.a$&b is not a known key; expected one of: name, replicas" }]);
    });

    it("run side by side in async code without sharing anything", async () => {
        const seen = (["staging", "production"] as const).map(() => ({ defaults: [], rules: [] }) as Seen);
        const results = await Promise.all(
            (["staging", "production"] as const).map(async (env, i) => {
                await new Promise((resolve) => setImmediate(resolve));
                return parseSection(probe(seen[i]), { replicas: 1 }, { env, stack: env, root: `${env}:app` });
            }),
        );
        assert.deepEqual(results.map((r) => r.problems.map((p) => p.message)), [[], ["production:app.replicas (1) must be at least 2 in production"]]);
        assert.deepEqual(seen, [
            { defaults: ["name: staging staging"], rules: ["staging staging given=replicas"] },
            { defaults: ["name: production production"], rules: ["production production given=replicas"] },
        ]);
    });
});
