/**
 * `npm run docs:config`: regenerate, from the zod schema in config/ and the committed stack files,
 * the configuration reference (docs/configuration.md) and the stack files' JSON Schema
 * (schema/stack.schema.json, which editors apply through the first line of each Pulumi.<stack>.yaml).
 * Tests fail when either file is out of date.
 */
// First: answers --help/-h before the imports below load the SDKs (tools/help-first.ts).
import "./help-first";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { AnyField, Derived, infoOf, PerEnvironment } from "../config/dsl";
import * as fmt from "../config/formats";
import { PROJECT, PROVIDER_NAMESPACES, SCHEMA } from "../config/schema";
import { SECRET_KEYS } from "../config/secrets";
import { makeDirectory, parseCli, runMain, writeTextFile } from "./cli";
import { readStackFile, ROOT, stackFile } from "./harness";
import { TOOLS } from "./usage";

const USAGE = TOOLS["config-docs"].usage;
const HELP = TOOLS["config-docs"].help;

export const CONFIGURATION_DOC = path.join(ROOT, "docs", "configuration.md");
export const STACK_SCHEMA = path.join(ROOT, "schema", "stack.schema.json");
/** The comment that makes the YAML language server (VS Code, JetBrains, Neovim) apply the schema; the first line of each stack file. */
export const SCHEMA_COMMENT = "# yaml-language-server: $schema=./schema/stack.schema.json";
const STACKS = ["staging", "production"] as const;

function code(v: unknown): string {
    if (v === undefined) return "";
    const text = typeof v === "string" ? v : JSON.stringify(v);
    const short = text.length > 60 ? `${text.slice(0, 57)}…` : text;
    return `\`${short.replace(/\|/g, "\\|")}\``;
}

function summarize(v: unknown): string {
    if (v === undefined) return "—";
    if (Array.isArray(v) && v.some((x) => x !== null && typeof x === "object")) return `${v.length} item${v.length === 1 ? "" : "s"}`;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) return "(object)";
    return code(v);
}

function defaultFor(field: AnyField, env: "staging" | "production"): string {
    const f = infoOf(field);
    const d = f.default;
    if (d instanceof PerEnvironment) return summarize(d.pick(env));
    if (d instanceof Derived) return d.doc;
    if (d !== undefined) return summarize(d);
    return f.optional ? "(unset)" : "**required**";
}

function at(values: unknown, keyPath: readonly string[]): unknown {
    let v = values;
    for (const k of keyPath) {
        if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
        v = (v as Record<string, unknown>)[k];
    }
    return v;
}

interface Row {
    key: string;
    type: string;
    defaults: [string, string];
    values: [string, string];
    description: string;
}

function rows(f: AnyField, key: string, valuePath: readonly string[] | undefined, stackValues: readonly Record<string, unknown>[], out: Row[]): void {
    const vals = STACKS.map((_, i) => (valuePath ? summarize(at(stackValues[i], valuePath)) : "")) as [string, string];
    const field = infoOf(f);
    const objectSection = field.shape !== undefined;
    out.push({
        key,
        type: field.typeName,
        defaults: objectSection ? ["", ""] : [defaultFor(f, "staging"), defaultFor(f, "production")],
        values: objectSection ? ["", ""] : vals,
        description: field.description,
    });
    if (field.shape) {
        for (const [k, child] of Object.entries(field.shape)) rows(child, `${key}.${k}`, valuePath ? [...valuePath, k] : undefined, stackValues, out);
    } else if (field.item !== undefined && infoOf(field.item).shape) {
        for (const [k, child] of Object.entries(infoOf(field.item).shape ?? {})) rows(child, `${key}[].${k}`, undefined, stackValues, out);
    }
}

/** The Markdown table of every configuration key. */
export function configReference(): string {
    const stackValues = STACKS.map((s) => readStackFile(stackFile(s)));
    const out: Row[] = [];
    out.push({
        key: "aws:region",
        type: "AWS region",
        defaults: ["**required** (managed mode)", "**required** (managed mode)"],
        values: [summarize(stackValues[0]["aws:region"]), summarize(stackValues[1]["aws:region"])],
        description: "Region of the AWS provider and every AWS resource.",
    });
    for (const [k, f] of Object.entries(SCHEMA) as [string, AnyField][]) rows(f, `${PROJECT}:${k}`, [`${PROJECT}:${k}`], stackValues, out);
    for (const [k, description] of Object.entries(SECRET_KEYS)) {
        const set = stackValues.map((v) => (`${PROJECT}:${k}` in v ? "`secure:` value" : "—")) as [string, string];
        out.push({ key: `${PROJECT}:${k}`, type: "secret string", defaults: ["(unset)", "(unset)"], values: set, description });
    }
    const header = "| key | type | default (staging) | default (production) | staging | production | description |\n|---|---|---|---|---|---|---|";
    const body = out.map((r) => `| \`${r.key}\` | ${r.type} | ${r.defaults[0]} | ${r.defaults[1]} | ${r.values[0]} | ${r.values[1]} | ${r.description.replace(/\|/g, "\\|")} |`);
    return [header, ...body].join("\n");
}

/** docs/configuration.md: an introduction and the table. */
export function configurationDoc(): string {
    return `<!-- Generated by \`npm run docs:config\` from config/ and the stack files; do not edit by hand. -->
# Configuration reference

Every key lives in the \`${PROJECT}\` namespace (\`pulumi config set --path 'cluster.vpc.natGateways' single\`).
Invalid configuration stops the program before anything is created, with one message listing every
problem by its full key path. Object keys are strict: an unknown key is an error, not a silent default.
Secret keys are set with \`pulumi config set --secret <key> <value>\` and refused in plain text.

Editors check and complete \`Pulumi.<stack>.yaml\` as you type: the first line of each stack file,
\`${SCHEMA_COMMENT}\`, points the YAML language server at
[schema/stack.schema.json](../schema/stack.schema.json), generated from the same schema as this table.
It checks types, allowed values, formats and unknown keys; rules across keys (and per-environment
minimums) are checked by the program, \`npm run plan\` and \`npm run policy:check\`.

${configReference()}
`;
}

/** Where a default depends on the environment or the stack, JSON Schema gets a sentence instead of a value. */
function defaultSentence(info: ReturnType<typeof infoOf>): string | undefined {
    const d = info.default;
    if (d instanceof PerEnvironment) return `Default: ${JSON.stringify(d.staging)} in staging, ${JSON.stringify(d.production)} in production.`;
    if (d instanceof Derived && info.shape === undefined) return `Default: ${d.doc.replace(/`/g, "")}.`;
    return undefined;
}

/**
 * The JSON Schema (draft 7, what the YAML language server reads best) of a stack file: its \`config:\`
 * map with every \`${PROJECT}:<key>\` from the zod schema, the secret keys as \`{secure: ...}\`, and
 * \`aws:region\`; other keys of the project namespace are refused (a typo must not pass).
 */
export function stackJsonSchema(): Record<string, unknown> {
    const secure = (description: string) =>
        z.strictObject({ secure: z.string().min(1).describe("Ciphertext written by `pulumi config set --secret`.") }).optional().describe(description);
    const config = z.strictObject({
        "aws:region": z.string().regex(fmt.awsRegion.pattern!).optional().describe("Region of the AWS provider and every AWS resource; required in managed mode."),
        ...Object.fromEntries(Object.entries(SCHEMA).map(([k, f]) => [`${PROJECT}:${k}`, f])),
        ...Object.fromEntries(Object.entries(SECRET_KEYS).map(([k, description]) => [`${PROJECT}:${k}`, secure(`Secret. ${description}`)])),
    });
    // A default that depends on the environment or the stack is replaced by its sentence (`override`).
    const json = (
        z.toJSONSchema(config, {
            target: "draft-7",
            io: "input",
            unrepresentable: "any",
            override: (ctx) => {
                const info = (() => {
                    try {
                        return infoOf(ctx.zodSchema as unknown as AnyField);
                    } catch {
                        return undefined;
                    }
                })();
                const sentence = info && defaultSentence(info);
                if (sentence === undefined) return;
                delete ctx.jsonSchema.default;
                ctx.jsonSchema.description = `${info!.description} ${sentence}`;
            },
        })
    ) as Record<string, unknown> & { properties: Record<string, unknown> };
    // Provider keys other than aws:region (aws:profile, aws:assumeRoles, ...) and pulumi: keys belong to
    // Pulumi; config/ refuses every other namespace (PROVIDER_NAMESPACES).
    const { $schema, ...rest } = json;
    return {
        $schema,
        $comment: "Generated by `npm run docs:config` from config/ (zod); do not edit by hand.",
        title: `Pulumi stack file of ${PROJECT}`,
        type: "object",
        properties: {
            secretsprovider: { type: "string", description: "Secrets provider of the stack (`pulumi stack change-secrets-provider`)." },
            encryptedkey: { type: "string" },
            encryptionsalt: { type: "string" },
            config: { ...rest, patternProperties: { [`^(${PROVIDER_NAMESPACES.join("|")}):`]: {} } },
        },
    };
}

/** The file text of schema/stack.schema.json. */
export function stackJsonSchemaText(): string {
    return `${JSON.stringify(stackJsonSchema(), null, 2)}\n`;
}

/** Regenerate both files; a checkout that cannot be written is a `UsageError` naming the file. */
async function main(): Promise<number> {
    parseCli(process.argv.slice(2), {}, USAGE, false, HELP);
    for (const [file, text] of [
        [CONFIGURATION_DOC, configurationDoc()],
        [STACK_SCHEMA, stackJsonSchemaText()],
    ] as const) {
        const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
        const fix = "run npm run docs:config in a checkout you can write to";
        makeDirectory(path.dirname(file), "the directory", fix);
        if (before !== text) writeTextFile(file, text, fix);
        process.stdout.write(`${path.relative(ROOT, file)} ${before === text ? "is up to date" : "regenerated"}\n`);
    }
    return 0;
}

if (require.main === module) runMain(main);
