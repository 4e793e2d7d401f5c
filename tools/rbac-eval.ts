/**
 * Offline evaluation of Argo CD RBAC, as the API server does it: Casbin with Argo CD's model
 * (request `sub, res, act, obj`; allow when some rule allows and none denies; every token compared
 * with a glob that treats `/` as an ordinary character), the built-in roles, `policy.default`
 * checked first, then the subject. Shared by `npm run rbac:can` and the tests.
 *
 * Sources: argoproj/argo-cd `assets/model.conf` (model), `util/rbac/rbac.go` (default role first,
 * glob match function `globOrRegexMatch` over github.com/gobwas/glob without separators) and
 * `assets/builtin-policy.csv` (built-in roles, restated below as data).
 */
import { newEnforcer, newModelFromString, StringAdapter } from "casbin";
import { globMatch } from "@footanalytics/facts";

/** Argo CD's Casbin model (the matcher function is registered below). */
export const ARGOCD_RBAC_MODEL = [
    "[request_definition]",
    "r = sub, res, act, obj",
    "[policy_definition]",
    "p = sub, res, act, obj, eft",
    "[role_definition]",
    "g = _, _",
    "[policy_effect]",
    "e = some(where (p.eft == allow)) && !some(where (p.eft == deny))",
    "[matchers]",
    "m = g(r.sub, p.sub) && globOrRegexMatch(r.res, p.res) && globOrRegexMatch(r.act, p.act) && globOrRegexMatch(r.obj, p.obj)",
].join("\n");

/** [resource, action, object] grants of Argo CD's built-in roles: argoproj/argo-cd v3.4.7 assets/builtin-policy.csv, line for line. */
const READONLY: readonly (readonly [string, string, string])[] = [
    ["applications", "get", "*/*"],
    ["applicationsets", "get", "*/*"],
    ["certificates", "get", "*"],
    ["clusters", "get", "*"],
    ["repositories", "get", "*"],
    ["write-repositories", "get", "*"],
    ["projects", "get", "*"],
    ["accounts", "get", "*"],
    ["gpgkeys", "get", "*"],
    ["logs", "get", "*/*"],
];
const ADMIN: readonly (readonly [string, string, string])[] = [
    ...["create", "update", "update/*", "delete", "delete/*", "sync", "override", "action/*"].map((a) => ["applications", a, "*/*"] as const),
    ...["get", "create", "update", "delete"].map((a) => ["applicationsets", a, "*/*"] as const),
    ...["certificates", "clusters", "repositories", "write-repositories", "projects"].flatMap((r) => ["create", "update", "delete"].map((a) => [r, a, "*"] as const)),
    ["accounts", "update", "*"],
    ["gpgkeys", "create", "*"],
    ["gpgkeys", "delete", "*"],
    ["exec", "create", "*/*"],
];

/** The built-in policy Argo CD loads before `policy.csv`. */
export const BUILTIN_POLICY = [
    ...READONLY.map(([r, a, o]) => `p, role:readonly, ${r}, ${a}, ${o}, allow`),
    ...ADMIN.map(([r, a, o]) => `p, role:admin, ${r}, ${a}, ${o}, allow`),
    "g, role:admin, role:readonly",
    "g, admin, role:admin",
].join("\n");

export { globMatch } from "@footanalytics/facts";

/** One question: may `subject` perform `action` on `resource` `object`? */
export interface RbacRequest {
    readonly subject: string;
    readonly action: string;
    readonly resource: string;
    readonly object: string;
}

/** An evaluator over one policy. */
export interface RbacEvaluator {
    /** Whether Argo CD would allow the request. */
    can(request: RbacRequest): Promise<boolean>;
}

/**
 * Build an evaluator for a generated policy (`policy.csv`, plus AppProject role lines if any)
 * and `policy.default`. The built-in roles are included, as Argo CD always loads them.
 */
export async function newRbacEvaluator(policyCsv: string, defaultRole: string): Promise<RbacEvaluator> {
    const model = newModelFromString(ARGOCD_RBAC_MODEL);
    const text = [BUILTIN_POLICY, policyCsv]
        .join("\n")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "" && !l.startsWith("#"))
        .join("\n");
    const enforcer = await newEnforcer(model, new StringAdapter(text));
    enforcer.addFunction("globOrRegexMatch", (value: string, pattern: string) => globMatch(pattern, value));
    return {
        async can({ subject, action, resource, object }) {
            if (defaultRole !== "" && (await enforcer.enforce(defaultRole, resource, action, object))) return true;
            return enforcer.enforce(subject, resource, action, object);
        },
    };
}
