/**
 * `npm run policy:check -- --stack <name> [--config-file <path>] [--policy-config <file.json>]`
 *
 * Runs the program offline (tools/harness.ts), then every policy of the pack on every registered
 * resource and the stack policies, exactly as `pulumi preview --policy-pack policy` would. Prints the
 * violations grouped by enforcement level. Exit 0 clean, 1 any mandatory violation, 2 usage or input
 * error (bad stack name, missing or broken stack file, invalid stack or pack configuration), with the
 * message on stderr and no stack trace.
 */
// First: answers --help/-h before the imports below load the SDKs (tools/help-first.ts).
import "./help-first";
import * as fs from "fs";
import * as path from "path";
import { EnforcementLevel, PackConfigError, PackConfigReadError, parsePackConfig, readPackConfigJson } from "../policy/lib/config";
import { ReportedViolation, RunnerResource, runPolicies } from "../policy/lib/runner";
import { isRecord } from "../policy/lib/values";
import { configurablePolicies, policies } from "../policy/policies";
import { checkedStackFile, parseCli, renderOption, runMain, UsageError, userPath } from "./cli";
import { RecordedResource, ROOT, runProgram } from "./harness";
import { renderRun } from "./plan";
import { CHART_TYPE } from "./render";
import { TOOLS } from "./usage";

const USAGE = TOOLS["policy-check"].usage;
const HELP = TOOLS["policy-check"].help;

/** Pack configuration used when `--policy-config` is not given and the file exists. */
export const DEFAULT_PACK_CONFIG = path.join(ROOT, "policy", "pack-config.json");

const LEVEL_ORDER: readonly EnforcementLevel[] = ["mandatory", "remediate", "advisory"];

/**
 * A recorded resource as the analyzer receives it. A Chart v4 is a remote component: the engine
 * registers it with no inputs (pulumi-kubernetes helm/v4/chart.go `RegisterComponentResource(typ, name,
 * comp, options)`), so the pack sees `{}` for it, and its rendered objects as its children.
 */
function toRunnerResource(resource: RecordedResource): RunnerResource {
    return {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        parent: resource.parent,
        props: resource.type === CHART_TYPE ? {} : resource.rawInputs,
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
    const parsed = parsePackConfig(packConfig, configurablePolicies);
    const raw = isRecord(packConfig) ? packConfig : {};
    return runPolicies(policies, resources.map(toRunnerResource), raw, parsed);
}

/** Human-readable report, grouped by level (mandatory first), ending with what was judged. */
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
    const rendered = resources.filter((r) => r.renderedFrom !== undefined).length;
    const unrendered = rendered > 0 ? [] : resources.filter((r) => r.type === CHART_TYPE).map((r) => `${String(r.inputs.chart)} ${String(r.inputs.version)}`).sort();
    if (unrendered.length > 0) {
        lines.push(`not rendered: ${unrendered.join(", ")}: the objects these charts create were not checked (add --render [--charts-dir <dir>])`);
    }
    lines.push(
        `policy:check ${stack}: ${resources.length} resources (${rendered} rendered by charts), ${policies.length} policies: ${mandatory} mandatory, ${count("advisory")} advisory violation(s)`,
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
        { stack: { type: "string" }, "config-file": { type: "string" }, "policy-config": { type: "string" }, render: { type: "boolean" }, "charts-dir": { type: "string" } },
        USAGE,
        false,
        HELP,
    );
    const configFile = checkedStackFile(values.stack, values["config-file"], USAGE);
    const stack = values.stack as string;
    const render = renderOption(values.render, values["charts-dir"], USAGE);
    const packConfig = readPackConfig(values["policy-config"]);
    const programRun = await runProgram({ stack, configFile, printWarnings: true });
    const run = render === undefined ? programRun : (await renderRun(programRun, { stack, configFile }, render.chartsDir)).run;
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
