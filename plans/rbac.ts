/**
 * Argo CD's RBAC policy lines from the configured roles, SSO group bindings and AppProject roles:
 * what the `argocd-rbac-cm` ConfigMap (components/gitops/rbac.ts) and the AppProject carry, and what
 * `npm run rbac:can` evaluates offline. See https://argo-cd.readthedocs.io/en/stable/operator-manual/rbac/. Pure.
 */
import { PROJECT_NAME } from "@footanalytics/facts";

/** One Argo CD policy rule (config's `rbac.roles[].policies[]` and `gitops.projectRoles[].policies[]` satisfy it). */
export interface RbacPolicy {
    readonly resource: string;
    readonly action: string;
    readonly object: string;
    readonly effect: string;
}

/** The global roles and SSO group bindings of `argocd-rbac-cm` (config's `rbac` section satisfies it). */
export interface RbacRoles {
    readonly roles: readonly { readonly name: string; readonly policies: readonly RbacPolicy[] }[];
    readonly groupBindings: readonly { readonly group: string; readonly role: string }[];
}

/** One AppProject role: its rules and the SSO groups bound to it (config's `gitops.projectRoles[]` satisfies it). */
export interface ProjectRole {
    readonly name: string;
    readonly policies: readonly RbacPolicy[];
    readonly groups: readonly string[];
}

/** One `p` line. */
export function policyLine(subject: string, p: RbacPolicy): string {
    return `p, ${subject}, ${p.resource}, ${p.action}, ${p.object}, ${p.effect}`;
}

/** `policy.csv`: every role's rules, then the group bindings, in config order. */
export function policyCsv(rbac: RbacRoles): string {
    const lines: string[] = [];
    for (const role of rbac.roles) {
        lines.push(`# ${role.name}`);
        for (const p of role.policies) lines.push(policyLine(role.name, p));
    }
    lines.push("# SSO groups");
    for (const b of rbac.groupBindings) lines.push(`g, ${b.group}, ${b.role}`);
    return `${lines.join("\n")}\n`;
}

/** The subject Argo CD gives an AppProject role: `proj:<project>:<role>`. */
export function projectRoleSubject(role: string): string {
    return `proj:${PROJECT_NAME}:${role}`;
}

/** The policy lines of AppProject roles, as Argo CD adds them at run time (for offline evaluation). */
export function projectPolicyCsv(roles: readonly ProjectRole[]): string {
    const lines = roles.flatMap((r) => [
        ...r.policies.map((p) => policyLine(projectRoleSubject(r.name), p)),
        ...r.groups.map((g) => `g, ${g}, ${projectRoleSubject(r.name)}`),
    ]);
    return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
