/** Names and shapes shared by the GitOps builders. */

/** The well-known names live with the other facts (facts/names.ts). */
export { ARGOCD_NAMESPACE, DEFAULT_PROJECT, IN_CLUSTER, PART_OF, PROJECT_NAME, RESOURCES_FINALIZER, ROOT_PROJECT_NAME } from "@footanalytics/facts";

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
