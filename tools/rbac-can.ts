/**
 * `npm run rbac:can -- --stack <name> [--config-file <path>] <subject> <action> <resource> <object>`
 *
 * Answers `yes` or `no` offline, the way `argocd admin settings rbac can` does on a live server:
 * it builds `argocd-rbac-cm` (and the AppProject role policies) from the stack's configuration
 * with the program's own builders, and evaluates the request with Argo CD's Casbin model
 * (components/gitops/rbac-eval.ts, the evaluator the tests use). `policy.default` applies first.
 *
 * Exit codes: 0 yes, 1 no or invalid configuration, 2 usage error.
 */
import { parseConfig } from "../config";
import { RBAC_RESOURCES, rbacActionProblem, RbacResource } from "../config/schema/rbac";
import { projectPolicyCsv, rbacConfigMap } from "../components/gitops/rbac";
import { newRbacEvaluator } from "../components/gitops/rbac-eval";
import { parseCli, runMain, UsageError } from "./cli";
import { resolveConfig } from "./harness";

const USAGE = "npm run rbac:can -- --stack <name> [--config-file <path>] <subject> <action> <resource> <object>";

/** The answer and why, for printing and tests. */
export interface RbacAnswer {
    readonly allowed: boolean;
    /** The policy.default that applied (empty: none). */
    readonly defaultRole: string;
}

/** Evaluate one request against a stack's generated policy. Throws UsageError or ConfigValidationError. */
export async function rbacCan(argv: readonly string[]): Promise<RbacAnswer> {
    const { values, positionals } = parseCli(argv, { stack: { type: "string" }, "config-file": { type: "string" } }, USAGE, true);
    if (values.stack === undefined) throw new UsageError(`--stack is required\nusage: ${USAGE}`, 2);
    if (positionals.length !== 4) throw new UsageError(`expected <subject> <action> <resource> <object>, got ${positionals.length} argument(s)\nusage: ${USAGE}`, 2);
    const [subject, action, resource, object] = positionals;
    if (!RBAC_RESOURCES.includes(resource as RbacResource)) {
        throw new UsageError(`resource "${resource}" is not an Argo CD RBAC resource; expected one of: ${RBAC_RESOURCES.join(", ")}`, 2);
    }
    if (action === "*") throw new UsageError('action "*" is a pattern, not a request; ask about one action such as "sync"', 2);
    const why = rbacActionProblem(resource as RbacResource, action);
    if (why !== undefined) throw new UsageError(`action "${action}" ${why}`, 2);

    const { config, secretKeys } = resolveConfig({ stack: values.stack, configFile: values["config-file"] });
    const cfg = parseConfig(config, new Set(secretKeys), values.stack);
    const cm = rbacConfigMap(cfg.rbac);
    const evaluator = await newRbacEvaluator(cm.data["policy.csv"] + projectPolicyCsv(cfg.gitops.projectRoles), cm.data["policy.default"]);
    return { allowed: await evaluator.can({ subject, action, resource, object }), defaultRole: cm.data["policy.default"] };
}

if (require.main === module) {
    runMain(async () => {
        const answer = await rbacCan(process.argv.slice(2));
        process.stdout.write(`${answer.allowed ? "yes" : "no"}\n`);
        return answer.allowed ? 0 : 1;
    });
}
