/**
 * The Applications' destination namespaces, created by Pulumi (Applications no longer sync with
 * `CreateNamespace=true`, and no AppProject whitelists `Namespace`) with Pod Security Admission labels:
 * `restricted` enforced unless `gitops.namespacePodSecurity` gives a reviewed lower level; audit and
 * warn stay `restricted` so that every exception is visible in the audit log and in `kubectl` warnings.
 * Labels: https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces
 */
import { type Environment, environmentLabels, type PodSecurityLevel } from "@footanalytics/facts";
import { PART_OF } from "./common";
import type { GitOpsSettings } from "./settings";

/** A Namespace manifest. */
export interface NamespaceManifest {
    readonly apiVersion: "v1";
    readonly kind: "Namespace";
    readonly metadata: { readonly name: string; readonly labels: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
}

/** The Pod Security level a destination namespace enforces. */
export function podSecurityLevel(gitops: Pick<GitOpsSettings, "namespacePodSecurity">, namespace: string): PodSecurityLevel {
    return gitops.namespacePodSecurity.find((n) => n.namespace === namespace)?.level ?? "restricted";
}

/** The Pod Security Admission labels of a namespace enforcing `level`. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
    return {
        "pod-security.kubernetes.io/enforce": level,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/audit-version": "latest",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/warn-version": "latest",
    };
}

/** Every destination namespace of the `footanalytics` project, then of the `platform` project when it is on, in config order. */
export function destinationNamespaces(gitops: GitOpsSettings, environment: Environment): NamespaceManifest[] {
    const platform = gitops.platformProject.enabled ? gitops.platformProject.destinationNamespaces.filter((n) => !gitops.destinationNamespaces.includes(n)) : [];
    return [...gitops.destinationNamespaces, ...platform].map((name) => {
        const exception = gitops.namespacePodSecurity.find((n) => n.namespace === name);
        return {
            apiVersion: "v1",
            kind: "Namespace",
            metadata: {
                name,
                labels: { ...PART_OF, "app.kubernetes.io/managed-by": "pulumi", ...environmentLabels(environment), ...podSecurityLabels(podSecurityLevel(gitops, name)) },
                ...(exception === undefined ? {} : { annotations: { "footanalytics.io/pod-security-reason": exception.reason } }),
            },
        };
    });
}
