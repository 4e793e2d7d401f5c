/**
 * `npm run rbac:can -- --stack <name> [--config-file <path>] <subject> <action> <resource> <object>`
 *
 * Answers `yes` or `no` offline, the way `argocd admin settings rbac can` does on a live server:
 * it builds `argocd-rbac-cm` (and the AppProject role policies) from the stack's configuration
 * with the program's own builders, and evaluates the request with Argo CD's Casbin model
 * (tools/rbac-eval.ts, the evaluator the tests use). `policy.default` applies first.
 *
 * Exit codes: 0 yes, 1 no, 2 usage or input error (bad arguments or stack name, missing or broken
 * stack file, invalid configuration), with the message on stderr and no stack trace.
 */
// First: answers --help/-h before the imports below load the SDKs (tools/help-first.ts).
import "./help-first";
import { parseConfig } from "../config";
import { RBAC_RESOURCES, rbacActionProblem, RbacResource } from "../config/schema/rbac";
import { policyCsv, projectPolicyCsv } from "../plans/rbac";
import { newRbacEvaluator } from "./rbac-eval";
import { checkedStackFile, parseCli, runMain, UsageError } from "./cli";
import { resolveConfig } from "./harness";
import { TOOLS } from "./usage";

const USAGE = TOOLS["rbac-can"].usage;
const HELP = TOOLS["rbac-can"].help;

/** The answer and why, for printing and tests. */
export interface RbacAnswer {
    readonly allowed: boolean;
    /** The policy.default that applied (empty: none). */
    readonly defaultRole: string;
}

/** Evaluate one request against a stack's generated policy. Throws UsageError or ConfigValidationError. */
export async function rbacCan(argv: readonly string[]): Promise<RbacAnswer> {
    const { values, positionals } = parseCli(argv, { stack: { type: "string" }, "config-file": { type: "string" } }, USAGE, true, HELP);
    const configFile = checkedStackFile(values.stack, values["config-file"], USAGE);
    const stack = values.stack as string;
    if (positionals.length !== 4) throw new UsageError(`expected <subject> <action> <resource> <object>, got ${positionals.length} argument(s)\nusage: ${USAGE}`);
    const [subject, action, resource, object] = positionals;
    if (!RBAC_RESOURCES.includes(resource as RbacResource)) {
        throw new UsageError(`resource "${resource}" is not an Argo CD RBAC resource; expected one of: ${RBAC_RESOURCES.join(", ")}`);
    }
    if (action === "*") throw new UsageError('action "*" is a pattern, not a request; ask about one action such as "sync"');
    const why = rbacActionProblem(resource as RbacResource, action);
    if (why !== undefined) throw new UsageError(`action "${action}" ${why}`);

    const { config, secretKeys } = resolveConfig({ stack, configFile });
    const cfg = parseConfig(config, new Set(secretKeys), stack);
    // What argocd-rbac-cm carries (components/gitops/rbac.ts): policy.csv and policy.default.
    const evaluator = await newRbacEvaluator(policyCsv(cfg.rbac) + projectPolicyCsv(cfg.gitops.projectRoles), cfg.rbac.defaultPolicy);
    return { allowed: await evaluator.can({ subject, action, resource, object }), defaultRole: cfg.rbac.defaultPolicy };
}

if (require.main === module) {
    runMain(async () => {
        const answer = await rbacCan(process.argv.slice(2));
        process.stdout.write(`${answer.allowed ? "yes" : "no"}\n`);
        return answer.allowed ? 0 : 1;
    });
}
