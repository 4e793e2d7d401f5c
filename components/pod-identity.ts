/**
 * The wait between an EKS Pod Identity association and the pods that use it.
 *
 * The Pod Identity webhook gives a pod its credentials (`AWS_CONTAINER_CREDENTIALS_FULL_URI`) when
 * the pod is admitted, and only if it already sees an association for the pod's service account.
 * `CreatePodIdentityAssociation` returns before the association has propagated (the EKS User Guide,
 * "Assign an IAM role to a Kubernetes service account", notes it can take a few seconds), and the new
 * role's policy attachment is eventually consistent too. A pod admitted in that window runs without
 * credentials and, with the nodes' IMDS hop limit of 1, finds none until it is restarted: for the AWS
 * Load Balancer Controller that means no ALB, and the Argo CD Ingress await times out.
 *
 * So every chart whose pods use Pod Identity depends on a `time.Sleep` (pulumiverse/pulumi-time)
 * that starts after the association and its grants exist and is re-created, waiting again, when the
 * association is replaced. The wait costs its duration once, on the run that creates the association.
 */
import * as pulumi from "@pulumi/pulumi";
import * as time from "@pulumiverse/time";

/** How long a new association gets to take effect; seconds in practice, doubled for margin. */
export const POD_IDENTITY_PROPAGATION = "30s";

/**
 * A wait of `POD_IDENTITY_PROPAGATION` after `association` and `grants` (the role's policy
 * attachments) exist, re-run when the association changes. Charts list it in `dependsOn`.
 */
export function podIdentityWait(name: string, association: pulumi.CustomResource & { readonly associationId: pulumi.Output<string> }, grants: readonly pulumi.Resource[], parent: pulumi.Resource): time.Sleep {
    return new time.Sleep(
        `${name}-pod-identity-wait`,
        { createDuration: POD_IDENTITY_PROPAGATION, triggers: { associationId: association.associationId } },
        // No data edge to the grants: the role must hold its permissions when the pods first call AWS.
        { parent, dependsOn: [association, ...grants] },
    );
}
