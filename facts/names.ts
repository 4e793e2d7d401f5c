/** Well-known names the program, its config rules, the policy pack and the tools share. */

/** Namespace Argo CD runs in (components/argocd creates it); builders use it, the component passes the real Output. */
export const ARGOCD_NAMESPACE = "argocd";

/** The AppProject every platform Application belongs to. */
export const PROJECT_NAME = "footanalytics";

/** The cluster add-ons' AppProject (components/gitops/project.ts platformAppProject; config/ keeps roles off it). */
export const PLATFORM_PROJECT_NAME = "platform";

/** Argo CD's built-in project: any source, any destination, any kind, until the program locks it (project.ts defaultAppProject). */
export const DEFAULT_PROJECT = "default";

/** The root application's own project (components/gitops/project.ts rootAppProject). */
export const ROOT_PROJECT_NAME = "footanalytics-root";

/** This cluster, as Argo CD names the cluster it runs in. */
export const IN_CLUSTER = "https://kubernetes.default.svc";

/** Argo CD deletes an Application's (or project's) resources before the object itself goes. */
export const RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io";

/** The label every platform object carries. */
export const PART_OF = { "app.kubernetes.io/part-of": "footanalytics" } as const;

/** Label every node carries with the name of its node group (for affinities and debugging). */
export const NODE_GROUP_LABEL = "footanalytics.io/node-group";

/**
 * Tag of each node group resource with its role (`system`, `workload`): the bootstrap waits for the
 * `system` group only, and `npm run plan` checks that from the plan (tools/plan-checks.ts).
 */
export const NODE_GROUP_ROLE_TAG = "footanalytics.io/node-group-role";

/** Where an Application's manifests live in the GitOps repository: its own path, or `overlays/<stack>/<name>`. */
export function applicationPath(app: { readonly name: string; readonly path?: string }, stack: string): string {
    return app.path ?? `overlays/${stack}/${app.name}`;
}
