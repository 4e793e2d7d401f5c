/**
 * The `argocd-rbac-cm` ConfigMap: `policy.csv` from the configured roles and SSO group bindings,
 * `policy.default`, and `scopes`. See https://argo-cd.readthedocs.io/en/stable/operator-manual/rbac/.
 */
import type { RbacConfig, RbacPolicyConfig } from "../../config/schema/rbac";
import type { ProjectRoleConfig } from "../../config/schema/gitops";
import { ARGOCD_NAMESPACE, ConfigMapManifest, PROJECT_NAME } from "./common";

/** One `p` line. */
export function policyLine(subject: string, p: RbacPolicyConfig): string {
    return `p, ${subject}, ${p.resource}, ${p.action}, ${p.object}, ${p.effect}`;
}

/** `policy.csv`: every role's rules, then the group bindings, in config order. */
export function policyCsv(rbac: RbacConfig): string {
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
export function projectPolicyCsv(roles: readonly ProjectRoleConfig[]): string {
    const lines = roles.flatMap((r) => [
        ...r.policies.map((p) => policyLine(projectRoleSubject(r.name), p)),
        ...r.groups.map((g) => `g, ${g}, ${projectRoleSubject(r.name)}`),
    ]);
    return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** The `argocd-rbac-cm` ConfigMap. */
export function rbacConfigMap(rbac: RbacConfig): ConfigMapManifest {
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
            name: "argocd-rbac-cm",
            namespace: ARGOCD_NAMESPACE,
            labels: { "app.kubernetes.io/name": "argocd-rbac-cm", "app.kubernetes.io/part-of": "argocd" },
        },
        data: {
            "policy.csv": policyCsv(rbac),
            "policy.default": rbac.defaultPolicy,
            // Glob matching is Argo CD's default; stated so that the offline evaluator's assumption is visible.
            "policy.matchMode": "glob",
            scopes: "[groups]",
        },
    };
}
