/**
 * Who may use the Kubernetes API: EKS access entries (authentication mode `API`) for the admin and
 * developer IAM roles of the config, each mapped to an EKS access policy. Pure.
 */
import { ClusterConfig } from "../../config/schema/cluster";
import { CLUSTER_DEFAULTS } from "./defaults";

/** An access policy association in the shape `eks.Cluster`'s `accessEntries` takes. */
export interface AccessPolicyPlan {
    readonly policyArn: string;
    readonly accessScope: { readonly type: "cluster" } | { readonly type: "namespace"; readonly namespaces: readonly string[] };
}

/** One access entry in the shape of `eks.Cluster`'s `accessEntries` values. */
export interface AccessEntryPlan {
    readonly principalArn: string;
    readonly type: "STANDARD";
    readonly accessPolicies: Readonly<Record<string, AccessPolicyPlan>>;
}

/** The ARN of an EKS access policy (they live in the `aws` account of the partition, with no region). */
export function accessPolicyArn(partition: string, policy: string): string {
    return `arn:${partition}:eks::aws:cluster-access-policy/${policy}`;
}

/** `arn:aws:iam::123456789012:role/path/name` → `{ account: "123456789012", name: "name" }`. */
export function roleArnParts(arn: string): { readonly account: string; readonly name: string } {
    const [, , , , account, resource] = arn.split(":");
    return { account, name: resource.split("/").pop() ?? resource };
}

/**
 * The access entries of a cluster, keyed `admin-<role name>` / `developer-<role name>` (the account
 * id is added only when two roles share a name). Admins get AmazonEKSClusterAdminPolicy on the
 * cluster; developers get the edit or view policy in their namespaces only.
 */
export function planAccessEntries(config: Pick<ClusterConfig, "adminRoleArns" | "developerRoleArns" | "developerAccess" | "developerNamespaces">, partition: string): Record<string, AccessEntryPlan> {
    const policies = CLUSTER_DEFAULTS.accessPolicies;
    const roles = [
        ...config.adminRoleArns.map((arn) => ({ kind: "admin", arn })),
        ...config.developerRoleArns.map((arn) => ({ kind: "developer", arn })),
    ];
    const names = roles.map((r) => `${r.kind}-${roleArnParts(r.arn).name}`);
    const entries: Record<string, AccessEntryPlan> = {};
    roles.forEach((r, i) => {
        const parts = roleArnParts(r.arn);
        const key = names.indexOf(names[i]) === names.lastIndexOf(names[i]) ? names[i] : `${r.kind}-${parts.account}-${parts.name}`;
        const accessPolicies: Record<string, AccessPolicyPlan> =
            r.kind === "admin"
                ? { clusterAdmin: { policyArn: accessPolicyArn(partition, policies.admin), accessScope: { type: "cluster" } } }
                : {
                      [config.developerAccess]: {
                          policyArn: accessPolicyArn(partition, policies[config.developerAccess]),
                          accessScope: { type: "namespace", namespaces: [...config.developerNamespaces] },
                      },
                  };
        entries[key] = { principalArn: r.arn, type: "STANDARD", accessPolicies };
    });
    return entries;
}
