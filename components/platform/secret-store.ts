/**
 * The External Secrets Operator's `ClusterSecretStore` for AWS Secrets Manager. Pure.
 * Fields: external-secrets v2.9.0 apis/externalsecrets/v1/secretstore_types.go (`conditions`,
 * `ClusterSecretStoreCondition.namespaces`) and secretstore_aws_types.go (`service`, `region`).
 */
import { type Environment, environmentLabels } from "@footanalytics/facts";

/** The store: no credentials of its own (the operator's Pod Identity role), served only to `namespaces`. */
export function clusterSecretStoreSpec(name: string, region: string, namespaces: readonly string[], environment: Environment) {
    return {
        apiVersion: "external-secrets.io/v1",
        kind: "ClusterSecretStore",
        metadata: { name, labels: environmentLabels(environment) },
        spec: {
            provider: { aws: { service: "SecretsManager", region } },
            // An ExternalSecret in any other namespace that names this store is refused by the operator.
            conditions: [{ namespaces: [...namespaces] }],
        },
    };
}
