/**
 * How the Pulumi program marks the Kubernetes Secrets it creates itself (Argo CD's Redis password,
 * SSO client secret, repository and notification credentials): their values come from the stack's
 * Pulumi secrets or from AWS Secrets Manager at deploy time, are encrypted in the state, and never
 * exist in gitops-config. The pack's `no-plaintext-secrets` accepts a Secret with this annotation
 * under `pulumi preview --policy-pack` and `policy:check`, where every resource comes from the
 * program's reviewed code; `policy:manifests`, which judges gitops-config, never honours it.
 */
export const SECRET_SOURCE_ANNOTATION = "footanalytics.io/secret-source";

/** The annotation's value on the program's own Secrets. */
export const PROGRAM_SECRET_SOURCE = "pulumi";

/** The annotation as the program sets it. */
export function programSecretAnnotations(): Record<string, string> {
    return { [SECRET_SOURCE_ANNOTATION]: PROGRAM_SECRET_SOURCE };
}
