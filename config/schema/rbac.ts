import { list, obj, problem, problemText, section, str, StringFormat, TypeOf } from "../dsl";
import { DEFAULT_PROJECT, globMatch } from "@footanalytics/facts";

/**
 * Argo CD's RBAC vocabulary: every resource and the actions valid for it, from the
 * "Resource\Action" table of https://github.com/argoproj/argo-cd/blob/master/docs/operator-manual/rbac.md
 * (Argo CD 3.x). `*` is valid for every resource.
 */
export const RBAC_ACTIONS_BY_RESOURCE = {
    applications: ["get", "create", "update", "delete", "sync", "override", "action"],
    applicationsets: ["get", "create", "update", "delete"],
    clusters: ["get", "create", "update", "delete"],
    projects: ["get", "create", "update", "delete"],
    repositories: ["get", "create", "update", "delete"],
    accounts: ["get", "update"],
    certificates: ["get", "create", "delete"],
    gpgkeys: ["get", "create", "delete"],
    logs: ["get"],
    exec: ["create"],
    extensions: ["invoke"],
} as const;

export type RbacResource = keyof typeof RBAC_ACTIONS_BY_RESOURCE;
export const RBAC_RESOURCES = Object.keys(RBAC_ACTIONS_BY_RESOURCE) as RbacResource[];

/** Every action word Argo CD knows, in the order its documentation lists them. */
export const RBAC_ACTIONS = ["get", "create", "update", "delete", "sync", "override", "action/<group>/<kind>/<name>", "invoke", "*"] as const;

/**
 * Resources whose object is `<project>/<application>` (Argo CD's "application-specific policy");
 * every other resource names its object directly.
 */
export const APPLICATION_SCOPED_RESOURCES: readonly RbacResource[] = ["applications", "applicationsets", "logs", "exec"];

/** The roles Argo CD always defines (`assets/builtin-policy.csv`). */
export const BUILTIN_ROLES = ["role:admin", "role:readonly"] as const;

/**
 * Why `action` is not valid for `resource`, or undefined when it is. Fine-grained forms are
 * accepted where Argo CD documents them: `action/<group>/<kind>/<name>`, and
 * `update/<group>/<kind>/<ns>/<name>` / `delete/...` on applications.
 */
export function rbacActionProblem(resource: RbacResource, action: string): string | undefined {
    const allowed: readonly string[] = RBAC_ACTIONS_BY_RESOURCE[resource];
    if (action === "*") return undefined;
    const head = action.includes("/") ? action.slice(0, action.indexOf("/")) : action;
    const known = ["get", "create", "update", "delete", "sync", "override", "action", "invoke"];
    if (!known.includes(head) || (head === "action" && action === "action") || UNSAFE_IN_POLICY.test(action)) {
        return `is not an Argo CD RBAC action; expected one of: ${RBAC_ACTIONS.join(", ")}`;
    }
    const fineGrained = action.includes("/");
    if (fineGrained && !(resource === "applications" && ["action", "update", "delete"].includes(head))) {
        return `is a sub-resource action, which Argo CD accepts only as action/…, update/… or delete/… on applications`;
    }
    if (!allowed.includes(head)) {
        const shown = allowed.map((a) => (a === "action" ? "action/<group>/<kind>/<name>" : a));
        return `is not valid for resource "${resource}"; allowed: ${[...shown, "*"].join(", ")}`;
    }
    return undefined;
}

/**
 * What no string written to `policy.csv` or to an AppProject role may contain: control characters (a
 * newline starts a new policy line), white space, commas (the CSV separator) and quotes (Casbin's CSV
 * reader unquotes them).
 */
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
export const UNSAFE_IN_POLICY = /[\u0000-\u001f\u007f-\u009f\s,"'`]/;

/** Control characters (C0, DEL, C1), refused in free text that reaches an AppProject role. */
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;


/** The project part of an application object pattern `<project>/<application>` (`*` and other patterns without `/` are all of it). */
function projectPattern(object: string): string {
    return object.includes("/") ? object.slice(0, object.indexOf("/")) : object;
}

/** Whether an application object pattern reaches Argo CD's built-in `default` project. */
export function reachesDefaultProject(object: string): boolean {
    return globMatch(projectPattern(object), DEFAULT_PROJECT);
}

/** A role name in Argo CD's `role:<name>` form. */
const roleName: StringFormat = {
    name: "role name",
    check: (v) => (/^role:[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) ? undefined : 'must be a role name such as "role:developer" (the "role:" prefix, then lowercase letters, digits or "-")'),
};

/** A policy token: no control characters, commas, quotes or white space (policy.csv is comma-separated). */
const policyToken: StringFormat = {
    name: "policy token",
    check: (v) => ((v.length > 0 && !UNSAFE_IN_POLICY.test(v)) ? undefined : "must be a non-empty token without control characters, commas, quotes or white space (glob patterns such as \"footanalytics/*\" are fine)"),
};

/** An SSO group or user name as the OIDC `groups` claim carries it (global bindings and AppProject roles). */
export const subjectName: StringFormat = {
    name: "SSO group",
    check: (v) => ((v.length > 0 && !UNSAFE_IN_POLICY.test(v) && !v.startsWith("role:") && !v.startsWith("proj:")) ? undefined : 'must be an SSO group such as "footanalytics:developer" (no control characters, commas, quotes, white space, and no "role:" or "proj:" prefix)'),
};

/** One `p` line of policy.csv. */
export const rbacPolicy = obj(
    {
        resource: str({ description: "Argo CD resource the rule is about.", oneOf: RBAC_RESOURCES }),
        action: str({ description: "Action (get, create, update, delete, sync, override, action/…, invoke, or `*`); checked against the resource." }),
        object: str({ description: "Object pattern: `<project>/<application>` for applications, applicationsets, logs and exec; a name pattern otherwise.", format: policyToken, default: "*" }),
        effect: str({ description: "Whether the rule grants or denies.", oneOf: ["allow", "deny"] as const, default: "allow" }),
    },
    {
        description: "One RBAC rule.",
        rules(p, key, ctx) {
            const why = rbacActionProblem(p.resource, p.action);
            if (why !== undefined) problem(ctx, `${key}.action`, p.action, why);
            if (APPLICATION_SCOPED_RESOURCES.includes(p.resource) && p.object !== "*" && !p.object.includes("/")) {
                problem(ctx, `${key}.object`, p.object, `must be "<project>/<application>" (or "*") for resource "${p.resource}", such as "footanalytics/*"`);
            }
        },
    },
);

/** A global role in argocd-rbac-cm. */
export const rbacRole = obj(
    {
        name: str({ description: "Role name, `role:<name>`.", format: roleName }),
        policies: list(rbacPolicy, { description: "The role's rules.", minItems: 1 }),
    },
    { description: "An Argo CD role." },
);

/** A `g` line: an SSO group gets a role. */
export const groupBinding = obj(
    {
        group: str({ description: "SSO group (from the `groups` scope).", format: subjectName }),
        role: str({ description: "Role the group receives.", format: roleName }),
    },
    { description: "An SSO group bound to a role." },
);

type Role = TypeOf<typeof rbacRole>;
type Binding = TypeOf<typeof groupBinding>;

const p = (resource: RbacResource, action: string, object = "*"): RbacPolicyConfig => ({ resource, action, object, effect: "allow" as const });

/** The role the SSO administrators get instead of the built-in `role:admin`. */
export const PLATFORM_ADMIN_ROLE = "role:platform-admin";

/**
 * The platform administrators' grants, exactly: operate every Application of the `footanalytics`
 * and `platform` projects, never all projects (that reaches Argo CD's built-in `default` project): sync, roll back by
 * syncing an older revision, run resource actions, delete and patch live resources with the
 * Argo CD 3 sub-resource actions `update/*` and `delete/*`; read everything else. Not granted,
 * because Pulumi owns them (or nobody should have them): creating, changing or deleting projects,
 * clusters, repositories, certificates and GPG keys, updating accounts, and `exec` (the terminal,
 * off in argocd-cm; config/ refuses an exec grant while `argocd.execEnabled` is false).
 */
export const PLATFORM_ADMIN_POLICIES: readonly RbacPolicyConfig[] = [
    // The platform Applications' project and the cluster add-ons' (`platform`, facts/names.ts PLATFORM_PROJECT_NAME), one line each: policy.csv cannot hold `{a,b}`.
    ...["footanalytics", "platform"].flatMap((project) => [
        ...["get", "create", "update", "update/*", "delete", "delete/*", "sync", "override", "action/*"].map((a) => p("applications", a, `${project}/*`)),
        p("applicationsets", "get", `${project}/*`),
        p("logs", "get", `${project}/*`),
    ]),
    ...(["projects", "clusters", "repositories", "accounts", "certificates", "gpgkeys"] as const).map((r) => p(r, "get")),
];

/** The seed's roles: platform administrators operate everything and change nothing Pulumi owns; developers see, sync and read logs. */
export const DEFAULT_RBAC_ROLES: readonly Role[] = [
    { name: PLATFORM_ADMIN_ROLE, policies: PLATFORM_ADMIN_POLICIES },
    {
        name: "role:developer",
        // Argo CD 3 no longer lets `applications, get` read logs: `logs, get` is granted explicitly.
        policies: [p("applications", "get", "footanalytics/*"), p("applications", "sync", "footanalytics/*"), p("logs", "get", "footanalytics/*")],
    },
];

export const DEFAULT_GROUP_BINDINGS: readonly Binding[] = [
    { group: "footanalytics:admin", role: PLATFORM_ADMIN_ROLE },
    { group: "footanalytics:developer", role: "role:developer" },
];

/**
 * Argo CD RBAC: the global roles and SSO group bindings of `argocd-rbac-cm`.
 * Owned by components/gitops (rbac.ts); `npm run rbac:can` evaluates the generated policy.
 */
export const rbacSchema = section(
    {
        roles: list(rbacRole, { description: "Global roles written to `policy.csv`.", default: DEFAULT_RBAC_ROLES, uniqueBy: (r) => r.name, uniqueLabel: "name" }),
        groupBindings: list(groupBinding, {
            description: "SSO groups bound to roles (`g, <group>, <role>`).",
            default: DEFAULT_GROUP_BINDINGS,
            uniqueBy: (b) => `${b.group} → ${b.role}`,
            uniqueLabel: "binding",
        }),
        defaultPolicy: str({
            description: "`policy.default`: the role every authenticated user gets; must stay empty (deny) in production, may name a role in staging.",
            default: "",
        }),
    },
    {
        description: "Argo CD RBAC (argocd-rbac-cm).",
        rules(v, key, ctx) {
            // A `p, role:admin, …` line amends the built-in role: it grants nothing the role lacks and restricts nothing.
            v.roles.forEach((r, i) => {
                if ((BUILTIN_ROLES as readonly string[]).includes(r.name)) {
                    problem(ctx, `${key}.roles[${i}].name`, r.name, `is a built-in Argo CD role (assets/builtin-policy.csv): rules added to it grant nothing new and restrict nothing; define a role of your own such as "${PLATFORM_ADMIN_ROLE}"`);
                }
            });
            v.groupBindings.forEach((b, i) => {
                if (b.role === "role:admin") {
                    problem(ctx, `${key}.groupBindings[${i}].role`, b.role, `is the built-in break-glass role of the local admin account (every grant, including accounts, certificates, GPG keys and exec); bind SSO groups to a role of ${key}.roles such as "${PLATFORM_ADMIN_ROLE}"`);
                }
            });
            // The default project is locked, but a grant on it is still a grant: refuse it so that nobody relies on the lock alone.
            v.roles.forEach((r, i) =>
                r.policies.forEach((pol, j) => {
                    if (pol.effect === "allow" && APPLICATION_SCOPED_RESOURCES.includes(pol.resource) && reachesDefaultProject(pol.object)) {
                        problem(ctx, `${key}.roles[${i}].policies[${j}].object`, pol.object, `reaches Argo CD's built-in "${DEFAULT_PROJECT}" project (any source, any destination unless locked); name the projects the role needs, such as "footanalytics/*"`);
                    }
                }),
            );
            const known = new Set<string>([...v.roles.map((r) => r.name), ...BUILTIN_ROLES]);
            const knownText = [...known].join(", ");
            v.groupBindings.forEach((b, i) => {
                if (!known.has(b.role)) problem(ctx, `${key}.groupBindings[${i}].role`, b.role, `is not a defined role; expected one of: ${knownText}`);
            });
            if (ctx.env === "production" && v.defaultPolicy !== "") {
                problem(ctx, `${key}.defaultPolicy`, v.defaultPolicy, 'must be empty in production so that users without a group binding get nothing (deny by default)');
            } else if (v.defaultPolicy !== "" && !known.has(v.defaultPolicy)) {
                problemText(ctx, `${key}.defaultPolicy`, `${key}.defaultPolicy (${JSON.stringify(v.defaultPolicy)}) is not a defined role; expected "" or one of: ${knownText}`);
            }
        },
    },
);

export type RbacConfig = TypeOf<typeof rbacSchema>;
export type RbacRoleConfig = Role;
export type RbacPolicyConfig = TypeOf<typeof rbacPolicy>;
export type GroupBindingConfig = Binding;
