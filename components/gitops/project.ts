/**
 * The `footanalytics` AppProject: what the platform Applications may deploy, from where, to where.
 * Field reference: https://argo-cd.readthedocs.io/en/stable/operator-manual/project-specification/
 */
import type { GitOpsConfig } from "../../config/schema/gitops";
import { ARGOCD_NAMESPACE, CustomResourceManifest, IN_CLUSTER, PART_OF, PROJECT_NAME, RESOURCES_FINALIZER } from "./common";
import { projectRoleSubject, policyLine } from "./rbac";

/** Namespaced kinds no Application may manage: quotas, limits and network isolation belong to the platform team. */
export const NAMESPACE_RESOURCE_BLACKLIST = [
    { group: "", kind: "ResourceQuota" },
    { group: "", kind: "LimitRange" },
    { group: "networking.k8s.io", kind: "NetworkPolicy" },
] as const;

/** Cluster-scoped kinds always allowed: Namespace, so that `CreateNamespace=true` works. */
export const CLUSTER_RESOURCE_WHITELIST = [{ group: "", kind: "Namespace" }] as const;

/** The AppProject manifest. `rootApplication` adds the argocd namespace as a destination for the app of apps. */
export function appProject(gitops: GitOpsConfig): CustomResourceManifest {
    const namespaces = [...gitops.destinationNamespaces];
    if (gitops.rootApplication.enabled && !namespaces.includes(ARGOCD_NAMESPACE)) namespaces.push(ARGOCD_NAMESPACE);
    const spec: Record<string, unknown> = {
        description: "FootAnalytics platform services, synced from the GitOps repository.",
        sourceRepos: [gitops.repoUrl, ...gitops.chartRepositories],
        destinations: namespaces.map((namespace) => ({ server: IN_CLUSTER, namespace })),
        clusterResourceWhitelist: [...CLUSTER_RESOURCE_WHITELIST, ...gitops.clusterResourceWhitelist.map((g) => ({ group: g.group, kind: g.kind }))],
        namespaceResourceBlacklist: NAMESPACE_RESOURCE_BLACKLIST.map((g) => ({ ...g })),
        orphanedResources: { warn: true },
        roles: gitops.projectRoles.map((r) => ({
            name: r.name,
            ...(r.description !== "" ? { description: r.description } : {}),
            policies: r.policies.map((p) => policyLine(projectRoleSubject(r.name), p)),
            ...(r.groups.length > 0 ? { groups: [...r.groups] } : {}),
        })),
        syncWindows: gitops.syncWindows.map((w) => ({
            kind: w.kind,
            schedule: w.schedule,
            duration: w.duration,
            applications: [...w.applications],
            manualSync: w.manualSync,
            timeZone: w.timeZone,
        })),
    };
    // Argo CD 3.4 (chart 10.x) enforces signed commits through `signatureKeys`; 3.5 replaces it
    // with `sourceIntegrity` (docs/user-guide/gpg-verification.md). Switch when the chart moves to 3.5.
    if (gitops.gpgKeys.length > 0) spec.signatureKeys = gitops.gpgKeys.map((k) => ({ keyID: k.keyId }));
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: { name: PROJECT_NAME, namespace: ARGOCD_NAMESPACE, labels: { ...PART_OF }, finalizers: [RESOURCES_FINALIZER] },
        spec,
    };
}
