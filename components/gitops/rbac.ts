/**
 * The `argocd-rbac-cm` ConfigMap: `policy.csv` from the configured roles and SSO group bindings,
 * `policy.default`, and `scopes`. See https://argo-cd.readthedocs.io/en/stable/operator-manual/rbac/.
 */
import { policyCsv } from "../../plans/rbac";
import type { RbacSettings } from "./settings";
import { ARGOCD_NAMESPACE, ConfigMapManifest } from "./common";

/** The policy lines are decided in plans/rbac.ts (the offline `rbac:can` reads them there too). */
export { policyCsv, policyLine, projectPolicyCsv, projectRoleSubject } from "../../plans/rbac";

/** The `argocd-rbac-cm` ConfigMap. */
export function rbacConfigMap(rbac: RbacSettings): ConfigMapManifest {
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
