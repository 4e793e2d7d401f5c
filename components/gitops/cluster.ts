/**
 * The in-cluster Argo CD cluster Secret, declared so that it can carry the facts this program owns:
 * an ApplicationSet's cluster generator in gitops-config reads them as `metadata.labels.<key>` and
 * `metadata.annotations.<key>` (Argo CD v3.4 docs/operator-manual/applicationset/Generators-Cluster.md)
 * instead of copying AWS facts by hand. Fields: docs/operator-manual/declarative-setup.md ("Clusters").
 * The Secret holds no secret value (Argo CD reaches its own cluster through its service account).
 */
import { type Environment, environmentLabels, programSecretAnnotations } from "@footanalytics/facts";
import { ARGOCD_NAMESPACE, IN_CLUSTER, SecretManifest } from "./common";

/** Prefix of every published label and annotation. */
export const CLUSTER_FACT_PREFIX = "footanalytics.io/";

/** What the program publishes about the cluster. */
export interface ClusterFacts {
    readonly environment: Environment;
    readonly clusterName: string;
    readonly region: string;
    /** Empty on an existing cluster whose VPC the program does not know. */
    readonly vpcId: string;
    /** gitops-config directory of the add-ons (`gitops.platformProject.path`). */
    readonly addonsPath: string;
    /** The cluster services installed (chart names), in install order. */
    readonly addons: readonly string[];
    /** IAM role ARN by chart name, for the services that have one. */
    readonly roleArns: Readonly<Record<string, string>>;
}

/**
 * `in-cluster`: labelled as a cluster Secret, one `footanalytics.io/addon-<chart>: "true"` label per
 * installed service (cluster generator selectors), and the facts as annotations.
 */
export function inClusterSecret(facts: ClusterFacts): SecretManifest {
    const p = CLUSTER_FACT_PREFIX;
    const annotations: Record<string, string> = {
        ...programSecretAnnotations(),
        [`${p}cluster-name`]: facts.clusterName,
        [`${p}region`]: facts.region,
        [`${p}addons-path`]: facts.addonsPath,
        [`${p}addons`]: facts.addons.join(","),
    };
    if (facts.vpcId !== "") annotations[`${p}vpc-id`] = facts.vpcId;
    for (const [chart, arn] of Object.entries(facts.roleArns).sort(([a], [b]) => a.localeCompare(b))) annotations[`${p}${chart}-role-arn`] = arn;
    return {
        apiVersion: "v1",
        kind: "Secret",
        type: "Opaque",
        metadata: {
            name: "in-cluster",
            namespace: ARGOCD_NAMESPACE,
            labels: {
                "argocd.argoproj.io/secret-type": "cluster",
                ...environmentLabels(facts.environment),
                ...Object.fromEntries(facts.addons.map((a) => [`${p}addon-${a}`, "true"])),
            },
            annotations,
        },
        stringData: { name: "in-cluster", server: IN_CLUSTER, config: JSON.stringify({ tlsClientConfig: { insecure: false } }) },
    };
}
