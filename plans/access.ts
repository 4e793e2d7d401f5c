/**
 * Who may use the Kubernetes API: EKS access entries (authentication mode `API`) for the admin and
 * developer IAM roles of the config, each mapped to an EKS access policy. Pure.
 */
import { CLUSTER_DEFAULTS } from "@footanalytics/facts";

/** Who may reach the cluster: the IAM roles and what developers get (config's `cluster` section satisfies it). */
export interface AccessConfig {
    /** Roles that get cluster admin. */
    readonly adminRoleArns: readonly string[];
    /** Roles that get `developerAccess` in `developerNamespaces`. */
    readonly developerRoleArns: readonly string[];
    /** The EKS access policy developers get: edit or view. */
    readonly developerAccess: "edit" | "view";
    /** The namespaces developers' access is scoped to. */
    readonly developerNamespaces: readonly string[];
    /** Roles that run previews: the view policy on the cluster and the preview group. */
    readonly previewRoleArns?: readonly string[];
    /** The role the first `up` runs as (EKS gives it the creator's admin entry, so it gets no entry here). */
    readonly deployRoleArn?: string;
}

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
    /** Kubernetes groups of the principal, bound by the program's own RBAC (the preview roles' group). */
    readonly kubernetesGroups?: readonly string[];
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
 * The access entries of a cluster, keyed `admin-<role name>` / `developer-<role name>` /
 * `preview-<role name>` (the account id is added only when two roles share a name). Admins get
 * AmazonEKSClusterAdminPolicy on the cluster; developers get the edit or view policy in their
 * namespaces only; preview roles get the view policy on the cluster and the preview group
 * (`CLUSTER_DEFAULTS.preview`), whose Role adds the one Secret a chart render reads. The deploy
 * role (`deployRoleArn`) gets none: it creates the cluster and EKS gives it the creator's admin entry.
 */
export function planAccessEntries(
    config: AccessConfig,
    partition: string,
): Record<string, AccessEntryPlan> {
    const policies = CLUSTER_DEFAULTS.accessPolicies;
    const notDeploy = (arn: string) => arn !== config.deployRoleArn;
    const roles = [
        ...config.adminRoleArns.filter(notDeploy).map((arn) => ({ kind: "admin", arn })),
        ...config.developerRoleArns.filter(notDeploy).map((arn) => ({ kind: "developer", arn })),
        ...(config.previewRoleArns ?? []).filter(notDeploy).map((arn) => ({ kind: "preview", arn })),
    ];
    const names = roles.map((r) => `${r.kind}-${roleArnParts(r.arn).name}`);
    const entries: Record<string, AccessEntryPlan> = {};
    roles.forEach((r, i) => {
        const parts = roleArnParts(r.arn);
        const key = names.indexOf(names[i]) === names.lastIndexOf(names[i]) ? names[i] : `${r.kind}-${parts.account}-${parts.name}`;
        if (r.kind === "preview") {
            const accessPolicies = { view: { policyArn: accessPolicyArn(partition, policies.view), accessScope: { type: "cluster" as const } } };
            entries[key] = { principalArn: r.arn, type: "STANDARD", accessPolicies, kubernetesGroups: [CLUSTER_DEFAULTS.preview.group] };
            return;
        }
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

/** The Kubernetes Role and RoleBinding of the preview group: `get` on the one Secret a chart render looks up. */
export function planPreviewRbac(): {
    readonly role: { readonly metadata: { readonly name: string; readonly namespace: string }; readonly rules: readonly { apiGroups: string[]; resources: string[]; resourceNames: string[]; verbs: string[] }[] };
    readonly binding: { readonly metadata: { readonly name: string; readonly namespace: string }; readonly roleRef: { apiGroup: string; kind: "Role"; name: string }; readonly subjects: readonly { apiGroup: string; kind: "Group"; name: string }[] };
} {
    const p = CLUSTER_DEFAULTS.preview;
    const metadata = { name: p.roleName, namespace: p.secretNamespace };
    return {
        role: { metadata, rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [p.secretName], verbs: ["get"] }] },
        binding: { metadata, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: p.roleName }, subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: p.group }] },
    };
}

/**
 * What to tell the operator about the principal an update runs as (`principal`, the IAM role behind
 * its session), or undefined when it is the deploy role. Only the run that creates the cluster is at
 * risk: EKS gives its caller the creator's admin entry (pulumi-eks 4.3.0 sets
 * `bootstrapClusterCreatorAdminPermissions`), which the program cannot know or manage.
 */
export function deployPrincipalWarning(config: Pick<AccessConfig, "deployRoleArn" | "adminRoleArns" | "developerRoleArns"> & Required<Pick<AccessConfig, "previewRoleArns">>, principal: string): string | undefined {
    const deploy = config.deployRoleArn;
    if (deploy !== undefined && sameRole(deploy, principal)) return undefined;
    const list = (["adminRoleArns", "developerRoleArns", "previewRoleArns"] as const).find((k) => config[k].some((a) => sameRole(a, principal)));
    const conflict = list === undefined ? "" : `; ${principal} is in cluster.${list}, so the program's access entry for it would fail with ResourceInUseException (pulumi-eks#2373)`;
    if (deploy === undefined) {
        return `cluster.deployRoleArn is not set: if this update creates the cluster, EKS gives ${principal} a cluster-admin access entry the program does not manage${conflict}, and CI's role gets access only through its own entry; set cluster.deployRoleArn to the role deploy.yml assumes and run the first up as it (docs/operations.md §3)`;
    }
    return `this update runs as ${principal}, not cluster.deployRoleArn (${deploy}): if it creates the cluster, EKS gives ${principal} the creator's admin access entry and ${deploy} none, so CI's next up fails Unauthorized${conflict}; run the first up as the deploy role (docs/operations.md §3)`;
}

/** Whether two IAM role ARNs name the same role; paths may differ (an STS session ARN carries none). */
export function sameRole(a: string, b: string): boolean {
    if (a === b) return true;
    const pa = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(a);
    const pb = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(b);
    return pa !== null && pb !== null && pa[1] === pb[1] && pa[2] === pb[2] && pa[3] === pb[3];
}
