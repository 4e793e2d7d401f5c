/**
 * `npm run policy:check -- --stack <name> [--config-file <path>] [--policy-config <file.json>]`
 *
 * Runs the program offline (tools/harness.ts), then every policy of the pack on every registered
 * resource and the stack policies, exactly as `pulumi preview --policy-pack policy` would. Prints the
 * violations grouped by enforcement level. Exit 0 clean, 1 any mandatory violation, 2 usage or input
 * error (bad stack name, missing or broken stack file, invalid stack or pack configuration), with the
 * message on stderr and no stack trace.
 */
import * as fs from "fs";
import * as path from "path";
import { EnforcementLevel, PackConfigError, PackConfigReadError, parsePackConfig, readPackConfigJson } from "../policy/lib/config";
import { ReportedViolation, RunnerResource, runPolicies } from "../policy/lib/runner";
import { isRecord } from "../policy/lib/values";
import { policies, rules } from "../policy/policies";
import { checkedStackFile, parseCli, runMain, UsageError, userPath } from "./cli";
import { RecordedResource, ROOT, runProgram } from "./harness";

const USAGE = "npm run policy:check -- --stack <name> [--config-file <path>] [--policy-config <file.json>]";
const HELP = `Runs the program offline and every policy of the pack on every registered resource, then the
stack policies; prints the violations grouped by enforcement level.

  --stack <name>               the stack (reads Pulumi.<name>.yaml)
  --config-file <path>         a stack file of the same format to read instead
  --policy-config <file.json>  the pack configuration (default: policy/pack-config.json), as for
                               pulumi preview --policy-pack-config
  -h, --help                   this help

Exit 0 clean, 1 a mandatory violation, 2 usage, configuration or input error.`;

/** Pack configuration used when `--policy-config` is not given and the file exists. */
export const DEFAULT_PACK_CONFIG = path.join(ROOT, "policy", "pack-config.json");

const LEVEL_ORDER: readonly EnforcementLevel[] = ["mandatory", "remediate", "advisory"];

function toRunnerResource(resource: RecordedResource): RunnerResource {
    return {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        parent: resource.parent,
        props: resource.rawInputs,
        protect: resource.options.protect,
        ignoreChanges: resource.options.ignoreChanges,
        dependsOn: resource.options.dependsOn,
    };
}

/**
 * Every violation of the pack on a recorded program run. The policies learn the environment as they
 * do under `pulumi preview --policy-pack`: from the label the program puts on the resources they
 * judge (policy/lib/environment.ts), so no stack tag is set and the stack name plays no part.
 * Throws {@link PackConfigError} for an invalid pack configuration.
 */
export async function checkResources(resources: readonly RecordedResource[], packConfig: unknown = {}): Promise<ReportedViolation[]> {
    const parsed = parsePackConfig(packConfig, rules);
    const raw = isRecord(packConfig) ? packConfig : {};
    return runPolicies(policies, resources.map(toRunnerResource), raw, parsed);
}

/** Human-readable report, grouped by level (mandatory first). */
export function formatReport(stack: string, resources: readonly RecordedResource[], violations: readonly ReportedViolation[]): string {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const lines: string[] = [];
    for (const level of LEVEL_ORDER) {
        const group = violations.filter((v) => v.enforcementLevel === level);
        if (group.length === 0) {
            continue;
        }
        lines.push(`${level} (${group.length}):`);
        for (const violation of group) {
            const resource = violation.urn === undefined ? undefined : byUrn.get(violation.urn);
            const where = resource === undefined ? "stack" : `${resource.type} ${resource.name}`;
            lines.push(`  [${violation.policy}] ${where}`, `    ${violation.message}`);
        }
    }
    const count = (level: EnforcementLevel): number => violations.filter((v) => v.enforcementLevel === level).length;
    const mandatory = count("mandatory") + count("remediate");
    lines.push(
        `policy:check ${stack}: ${resources.length} resources, ${policies.length} policies: ${mandatory} mandatory, ${count("advisory")} advisory violation(s)`,
    );
    return lines.join("\n");
}

function readPackConfig(file: string | undefined): unknown {
    // A path the user typed starts from where they started the command (npm runs scripts in the repository root).
    const chosen = file !== undefined ? userPath(file) : (fs.existsSync(DEFAULT_PACK_CONFIG) ? DEFAULT_PACK_CONFIG : undefined);
    if (chosen === undefined) {
        return {};
    }
    try {
        return readPackConfigJson(chosen);
    } catch (err) {
        if (err instanceof PackConfigReadError) throw new UsageError(err.message);
        throw err;
    }
}

async function main(): Promise<number> {
    const { values } = parseCli(
        process.argv.slice(2),
        { stack: { type: "string" }, "config-file": { type: "string" }, "policy-config": { type: "string" } },
        USAGE,
        false,
        HELP,
    );
    const configFile = checkedStackFile(values.stack, values["config-file"], USAGE);
    const stack = values.stack as string;
    const packConfig = readPackConfig(values["policy-config"]);
    const run = await runProgram({ stack, configFile, printWarnings: true });
    let violations: ReportedViolation[];
    try {
        violations = await checkResources(run.resources, packConfig);
    } catch (err) {
        if (err instanceof PackConfigError) {
            throw new UsageError(err.message);
        }
        throw err;
    }
    process.stdout.write(`${formatReport(stack, run.resources, violations)}\n`);
    return violations.some((v) => v.enforcementLevel === "mandatory" || v.enforcementLevel === "remediate") ? 1 : 0;
}

if (require.main === module) {
    runMain(main);
}
