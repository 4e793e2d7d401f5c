/**
 * The AppProjects: `footanalytics` (what the platform Applications may deploy, from where, to where),
 * the root application's own project, and Argo CD's built-in `default` project, locked.
 * Field reference: https://argo-cd.readthedocs.io/en/stable/operator-manual/project-specification/
 */
import { PLATFORM_PROJECT_NAME } from "@footanalytics/facts";
import type { GitOpsSettings, SyncWindowSettings } from "./settings";
import { ARGOCD_NAMESPACE, CustomResourceManifest, DEFAULT_PROJECT, IN_CLUSTER, PART_OF, PROJECT_NAME, RESOURCES_FINALIZER, ROOT_PROJECT_NAME } from "./common";
import { projectRoleSubject, policyLine } from "./rbac";

/** Namespaced kinds no Application may manage: quotas, limits and network isolation belong to the platform team. */
export const NAMESPACE_RESOURCE_BLACKLIST = [
    { group: "", kind: "ResourceQuota" },
    { group: "", kind: "LimitRange" },
    { group: "networking.k8s.io", kind: "NetworkPolicy" },
] as const;

/** An AppProject sync window as Argo CD reads it, from one configured window. */
function syncWindow(w: SyncWindowSettings): Record<string, unknown> {
    return { kind: w.kind, schedule: w.schedule, duration: w.duration, applications: [...w.applications], manualSync: w.manualSync, timeZone: w.timeZone };
}

/**
 * Argo CD's built-in `default` project, locked: no source, no destination, no kind. Argo CD creates it
 * with `*` everywhere (any repository, any cluster and namespace, any kind) and an Application that
 * names it, or a role that may create Applications in it, reaches cluster-admin. The program patches
 * it (Argo CD recreates it when it is deleted, so it is owned by a server-side apply patch, not created).
 */
export function defaultAppProject(): CustomResourceManifest {
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: { name: DEFAULT_PROJECT, namespace: ARGOCD_NAMESPACE, labels: { ...PART_OF } },
        spec: {
            description: "Locked by footanalytics-gitops: Applications belong to a project of their own.",
            sourceRepos: [],
            destinations: [],
            clusterResourceWhitelist: [],
            // An empty namespaceResourceWhitelist would mean "every namespaced kind"; with no destination nothing is deployable anyway.
            namespaceResourceBlacklist: [{ group: "*", kind: "*" }],
        },
    };
}

/**
 * The root application's project: it syncs Application manifests into the argocd namespace and
 * nothing else (only destination `argocd`, only kind `argoproj.io/Application`, no cluster-scoped
 * kind). The Applications it creates name their own project, which bounds what they deploy.
 */
export function rootAppProject(gitops: GitOpsSettings): CustomResourceManifest {
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: { name: ROOT_PROJECT_NAME, namespace: ARGOCD_NAMESPACE, labels: { ...PART_OF }, finalizers: [RESOURCES_FINALIZER] },
        spec: {
            description: "The app of apps: Application manifests into the argocd namespace, nothing else.",
            sourceRepos: [gitops.repoUrl],
            destinations: [{ server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE }],
            clusterResourceWhitelist: [],
            namespaceResourceWhitelist: [{ group: "argoproj.io", kind: "Application" }],
            orphanedResources: { warn: true },
        },
    };
}

/** The `footanalytics` AppProject manifest; its destinations never include argocd (the root application has its own project). */
export function appProject(gitops: GitOpsSettings): CustomResourceManifest {
    const spec: Record<string, unknown> = {
        description: "FootAnalytics platform services, synced from the GitOps repository.",
        sourceRepos: [gitops.repoUrl, ...gitops.chartRepositories],
        destinations: gitops.destinationNamespaces.map((namespace) => ({ server: IN_CLUSTER, namespace })),
        clusterResourceWhitelist: gitops.clusterResourceWhitelist.map((g) => ({ group: g.group, kind: g.kind })),
        namespaceResourceBlacklist: NAMESPACE_RESOURCE_BLACKLIST.map((g) => ({ ...g })),
        orphanedResources: { warn: true },
        roles: gitops.projectRoles.map((r) => ({
            name: r.name,
            ...(r.description !== "" ? { description: r.description } : {}),
            policies: r.policies.map((p) => policyLine(projectRoleSubject(r.name), p)),
            ...(r.groups.length > 0 ? { groups: [...r.groups] } : {}),
        })),
        syncWindows: gitops.syncWindows.map(syncWindow),
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
 * such as kube-prometheus-stack installs (its CRDs, RBAC and admission webhooks). Not Namespace: Pulumi
 * creates the add-on namespaces with their Pod Security labels (namespaces.ts). Not APIService (an add-on could take over `metrics.k8s.io` from
 * metrics-server), not StorageClass or PriorityClass (the program's), nothing `*`.
 */
export const PLATFORM_CLUSTER_RESOURCE_WHITELIST = [
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
export function platformAppProject(gitops: GitOpsSettings): CustomResourceManifest {
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
            syncWindows: p.syncWindows.map(syncWindow),
            ...(gitops.gpgKeys.length > 0 ? { signatureKeys: gitops.gpgKeys.map((k) => ({ keyID: k.keyId })) } : {}),
        },
    };
}
