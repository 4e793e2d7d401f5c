/**
 * What an Argo CD AppProject must not reach, read by config/ (which refuses it in the stack file) and
 * by the appproject-least-privilege policy (which refuses it on the object).
 */

/** Namespaces only the platform deploys to: Argo CD's own (its secrets, the controller's token) and the system namespaces. */
export const PROTECTED_NAMESPACES: readonly string[] = ["argocd", "kube-system", "kube-public", "kube-node-lease"];

/**
 * Cluster-scoped kinds that grant privilege over the whole cluster (RBAC, admission, the API itself)
 * and `Namespace` (Pulumi creates namespaces with their Pod Security labels; an Application that manages
 * Namespaces may relabel or prune any of them). Production refuses them unless a reviewed exemption
 * names the entry (`container: "<group>/<kind>"`) with a reason.
 */
export const PRIVILEGED_CLUSTER_KINDS: readonly { readonly group: string; readonly kind: string }[] = [
    { group: "", kind: "Namespace" },
    { group: "rbac.authorization.k8s.io", kind: "ClusterRole" },
    { group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding" },
    { group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration" },
    { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration" },
    { group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicy" },
    { group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicyBinding" },
    { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" },
];

/** The Pod Security Standards levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export const POD_SECURITY_LEVELS = ["restricted", "baseline", "privileged"] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];
