/** Names and shapes shared by the GitOps builders. */

/** Namespace Argo CD runs in (components/argocd creates it); builders use it, the component passes the real Output. */
export const ARGOCD_NAMESPACE = "argocd";

/** The AppProject every platform Application belongs to. */
export const PROJECT_NAME = "footanalytics";

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

/** Object metadata as the builders produce it. */
export interface Metadata {
    readonly name: string;
    readonly namespace: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly finalizers?: readonly string[];
}

/** A custom resource manifest (AppProject, Application, ImageUpdater). */
export interface CustomResourceManifest<Spec = Record<string, unknown>> {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: Metadata;
    readonly spec: Spec;
}

/** A ConfigMap manifest. */
export interface ConfigMapManifest {
    readonly apiVersion: "v1";
    readonly kind: "ConfigMap";
    readonly metadata: Metadata;
    readonly data: Readonly<Record<string, string>>;
}

/** A Secret manifest; `T` is `string` in tests and `pulumi.Output<string>` for secret values in the program. */
export interface SecretManifest<T = string> {
    readonly apiVersion: "v1";
    readonly kind: "Secret";
    readonly type: "Opaque";
    readonly metadata: Metadata;
    readonly stringData: Readonly<Record<string, T>>;
}
