/**
 * The repository credential template: a Secret labelled `argocd.argoproj.io/secret-type: repo-creds`
 * whose credentials Argo CD uses for every repository URL under its `url` prefix.
 * Format: argoproj/argo-cd docs/operator-manual/declarative-setup.md ("Repository Credentials").
 */
import type { GitOpsConfig } from "../../config/schema/gitops";
import { ARGOCD_NAMESPACE, SecretManifest } from "./common";

/** Secret values of the template: a token, or a GitHub App private key. */
export type RepoSecretValues<T> = { readonly kind: "token"; readonly token: T } | { readonly kind: "githubApp"; readonly privateKey: T };

/** Name of the credential template Secret. */
export const REPO_CREDS_NAME = "footanalytics-github-repo-creds";

/**
 * The credential template; `T` is the type of secret values (`pulumi.Output<string>` in the
 * program). Note: @pulumi/kubernetes marks a Secret's whole `stringData` secret, so plans show it
 * as `[secret]`; the plain fields are reviewed here and in tests/components/gitops.
 */
export function repoCredsSecret<T>(creds: GitOpsConfig["repoCredentials"], values: RepoSecretValues<T | string>): SecretManifest<T | string> {
    const common = { type: "git", url: creds.url };
    let stringData: Record<string, T | string>;
    switch (values.kind) {
        case "token":
            stringData = { ...common, username: creds.username, password: values.token };
            break;
        case "githubApp":
            if (creds.githubAppId === undefined || creds.githubAppInstallationId === undefined) {
                throw new Error("repoCredsSecret: a GitHub App needs githubAppId and githubAppInstallationId (config/ validates this)");
            }
            stringData = { ...common, githubAppID: String(creds.githubAppId), githubAppInstallationID: String(creds.githubAppInstallationId), githubAppPrivateKey: values.privateKey };
            break;
        default: {
            const never: never = values;
            throw new Error(`unknown credential kind ${JSON.stringify(never)}`);
        }
    }
    return {
        apiVersion: "v1",
        kind: "Secret",
        type: "Opaque",
        metadata: {
            name: REPO_CREDS_NAME,
            namespace: ARGOCD_NAMESPACE,
            labels: { "argocd.argoproj.io/secret-type": "repo-creds", "app.kubernetes.io/part-of": "argocd" },
        },
        stringData,
    };
}
