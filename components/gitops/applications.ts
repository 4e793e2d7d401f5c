/**
 * The platform Applications and the optional root application (app of apps).
 * Field reference: https://argo-cd.readthedocs.io/en/stable/operator-manual/application.yaml
 */
import { applicationPath } from "@footanalytics/facts";
import type { ApplicationSettings, GitOpsSettings, Subscription } from "./settings";
import { serviceName } from "./notifications";
import { ARGOCD_NAMESPACE, CustomResourceManifest, IN_CLUSTER, PART_OF, PROJECT_NAME, RESOURCES_FINALIZER, ROOT_PROJECT_NAME } from "./common";

/** Sync behaviour every platform Application shares; no `CreateNamespace=true`: Pulumi creates the namespaces with their Pod Security labels. */
export const SYNC_DEFAULTS = Object.freeze({
    syncOptions: ["PrunePropagationPolicy=foreground", "ServerSideApply=true"],
    retry: { limit: 5, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } },
});


/**
 * Subscription annotations, `notifications.argoproj.io/subscribe.<trigger>.<service>: <recipients>`;
 * several recipients of one trigger and service are joined with `;` as Argo CD expects.
 */
export function subscriptionAnnotations(subscriptions: readonly Subscription[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const s of subscriptions) {
        const key = `notifications.argoproj.io/subscribe.${s.trigger}.${serviceName(s.service)}`;
        out[key] = (out[key] === undefined || out[key] === "") ? s.recipient : [out[key], s.recipient].filter((r) => r !== "").join(";");
    }
    return out;
}

function syncPolicy(prune: boolean, selfHeal: boolean) {
    return {
        automated: { prune, selfHeal },
        syncOptions: [...SYNC_DEFAULTS.syncOptions],
        retry: { limit: SYNC_DEFAULTS.retry.limit, backoff: { ...SYNC_DEFAULTS.retry.backoff } },
    };
}

/** One platform Application. */
export function application(app: ApplicationSettings, gitops: GitOpsSettings, stack: string): CustomResourceManifest {
    const annotations = subscriptionAnnotations(app.notifications);
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: {
            name: app.name,
            namespace: ARGOCD_NAMESPACE,
            labels: { ...PART_OF, "app.kubernetes.io/name": app.name },
            ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
            finalizers: [RESOURCES_FINALIZER],
        },
        spec: {
            project: PROJECT_NAME,
            source: { repoURL: gitops.repoUrl, path: applicationPath(app, stack), targetRevision: app.targetRevision ?? gitops.targetRevision },
            destination: { server: IN_CLUSTER, namespace: app.namespace },
            syncPolicy: syncPolicy(app.automated.prune, app.automated.selfHeal),
            revisionHistoryLimit: gitops.revisionHistoryLimit,
        },
    };
}

/** The root application (app of apps): syncs Application manifests into the argocd namespace. */
export function rootApplication(gitops: GitOpsSettings): CustomResourceManifest {
    const root = gitops.rootApplication;
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: {
            name: root.name,
            namespace: ARGOCD_NAMESPACE,
            labels: { ...PART_OF, "app.kubernetes.io/name": root.name },
            finalizers: [RESOURCES_FINALIZER],
        },
        spec: {
            project: ROOT_PROJECT_NAME,
            source: { repoURL: gitops.repoUrl, path: root.path, targetRevision: gitops.targetRevision },
            destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
            // Never prune: deleting a child Application from Git must be a deliberate `argocd app delete`.
            syncPolicy: syncPolicy(false, true),
            revisionHistoryLimit: gitops.revisionHistoryLimit,
        },
    };
}
