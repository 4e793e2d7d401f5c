/**
 * The `footanalytics` AppProject: what the platform Applications may deploy, from where, to where.
 * Field reference: https://argo-cd.readthedocs.io/en/stable/operator-manual/project-specification/
 */
import { GitOpsConfig, PLATFORM_PROJECT_NAME } from "../../config/schema/gitops";
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

/**
 * Cluster-scoped kinds the `platform` project's add-ons may create, reviewed: what an operator chart
 * such as kube-prometheus-stack installs (its CRDs, RBAC and admission webhooks) and Namespace for
 * `CreateNamespace=true`. Not APIService (an add-on could take over `metrics.k8s.io` from
 * metrics-server), not StorageClass or PriorityClass (the program's), nothing `*`.
 */
export const PLATFORM_CLUSTER_RESOURCE_WHITELIST = [
    { group: "", kind: "Namespace" },
    { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" },
    { group: "rbac.authorization.k8s.io", kind: "ClusterRole" },
    { group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding" },
    { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration" },
    { group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration" },
] as const;

/**
 * The `platform` AppProject: cluster add-ons that gitops-config installs from `gitops.platformProject.path`
 * (an ApplicationSet reads it from the cluster Secret; Argo CD v3.4 AppProjects restrict repositories,
 * not paths: pkg/apis/application/v1alpha1/types.go `AppProjectSpec`), to the reviewed add-on namespaces
 * of this cluster only, with its own sync windows. No project roles: only `role:platform-admin` may act
 * on its Applications (config/schema/gitops.ts `platformProjectCrossSectionRules`).
 */
export function platformAppProject(gitops: GitOpsConfig): CustomResourceManifest {
    const p = gitops.platformProject;
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: { name: PLATFORM_PROJECT_NAME, namespace: ARGOCD_NAMESPACE, labels: { ...PART_OF }, finalizers: [RESOURCES_FINALIZER] },
        spec: {
            description: `Cluster add-ons from ${p.path}/* of the GitOps repository; administrators only.`,
            sourceRepos: [gitops.repoUrl, ...gitops.chartRepositories],
            destinations: p.destinationNamespaces.map((namespace) => ({ server: IN_CLUSTER, namespace })),
            clusterResourceWhitelist: PLATFORM_CLUSTER_RESOURCE_WHITELIST.map((g) => ({ ...g })),
            namespaceResourceBlacklist: [{ group: "", kind: "ResourceQuota" }, { group: "", kind: "LimitRange" }],
            orphanedResources: { warn: true },
            syncWindows: p.syncWindows.map((w) => ({
                kind: w.kind,
                schedule: w.schedule,
                duration: w.duration,
                applications: [...w.applications],
                manualSync: w.manualSync,
                timeZone: w.timeZone,
            })),
            ...(gitops.gpgKeys.length > 0 ? { signatureKeys: gitops.gpgKeys.map((k) => ({ keyID: k.keyId })) } : {}),
        },
    };
}
