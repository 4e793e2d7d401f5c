/**
 * The repository credential template: a Secret labelled `argocd.argoproj.io/secret-type: repo-creds`
 * whose credentials Argo CD uses for every repository URL under its `url` prefix.
 * Format: argoproj/argo-cd docs/operator-manual/declarative-setup.md ("Repository Credentials").
 */
import type { GitOpsSettings } from "./settings";
import type { Credentials } from "../secrets-manager";
import { ARGOCD_NAMESPACE, SecretManifest } from "./common";

/** Secret values of the template: a token, or a GitHub App (ids and private key), as config/ decided. */
export type RepoSecretValues<T> = Credentials<T>;

/** Name of the credential template Secret. */
export const REPO_CREDS_NAME = "footanalytics-github-repo-creds";

/**
 * The credential template; `T` is the type of secret values (`pulumi.Output<string>` in the
 * program). Note: @pulumi/kubernetes marks a Secret's whole `stringData` secret, so plans show it
 * as `[secret]`; the plain fields are reviewed here and in tests/components/gitops.
 */
export function repoCredsSecret<T>(creds: GitOpsSettings["repoCredentials"], values: RepoSecretValues<T | string>): SecretManifest<T | string> {
    const common = { type: "git", url: creds.url };
    let stringData: Record<string, T | string>;
    switch (values.kind) {
        case "token":
            stringData = { ...common, username: creds.username, password: values.token };
            break;
        case "githubApp":
            stringData = { ...common, githubAppID: String(values.appId), githubAppInstallationID: String(values.installationId), githubAppPrivateKey: values.privateKey };
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

/** Name of the gitops-config repository Secret. */
export const REPOSITORY_NAME = "footanalytics-gitops-config-repo";

/**
 * The repository Secret of the GitOps repository (`argocd.argoproj.io/secret-type: repository`): no
 * credentials of its own (the template above matches its URL prefix), only the clone `depth`, which
 * Argo CD reads from repository Secrets and not from credential templates (argoproj/argo-cd v3.4.7
 * util/db/repository_secrets.go `secretToRepository`; `RepoCreds` has no depth). `depth` 0 means a
 * full clone and is left out.
 */
export function gitopsRepositorySecret(gitops: Pick<GitOpsSettings, "repoUrl" | "cloneDepth">): SecretManifest {
    return {
        apiVersion: "v1",
        kind: "Secret",
        type: "Opaque",
        metadata: {
            name: REPOSITORY_NAME,
            namespace: ARGOCD_NAMESPACE,
            labels: { "argocd.argoproj.io/secret-type": "repository", "app.kubernetes.io/part-of": "argocd" },
        },
        stringData: { type: "git", name: "gitops-config", url: gitops.repoUrl, ...(gitops.cloneDepth > 0 ? { depth: String(gitops.cloneDepth) } : {}) },
    };
}
