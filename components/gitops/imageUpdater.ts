/**
 * Argo CD Image Updater v1: its Helm chart's values and the `ImageUpdater` custom resource that
 * follows the platform images and commits new tags to Git.
 * Sources: argoproj/argo-helm tag argocd-image-updater-1.1.1 charts/argocd-image-updater
 * (values.yaml, templates/deployment.yaml, templates/rbac.yaml) and argoproj-labs/argocd-image-updater
 * tag v1.1.0 (the chart's appVersion) docs/basics/update-methods.md ("Specifying Git credentials").
 */
import { PINNED } from "@footanalytics/facts";
import type { ApplicationSettings, GitOpsSettings } from "./settings";
import type { Credentials } from "../secrets-manager";
import { ARGOCD_NAMESPACE, CustomResourceManifest, PART_OF, SecretManifest } from "./common";

/** Where the chart comes from. */
export const IMAGE_UPDATER_CHART = Object.freeze({ chart: PINNED.imageUpdater.chart, repo: PINNED.imageUpdater.repository });

/**
 * The Secret holding Image Updater's own Git write credential, in the namespace it runs in (the
 * chart's Role lets it read Secrets there: templates/rbac.yaml).
 */
export const IMAGE_UPDATER_GIT_SECRET = "argocd-image-updater-git-creds";

/**
 * The write-back method: Git with the credential Secret (`git:secret:<namespace>/<name>`). Plain
 * `git` would reuse Argo CD's repository credentials, which are read-only.
 */
export function writeBackMethod(namespace: string = ARGOCD_NAMESPACE): string {
    return `git:secret:${namespace}/${IMAGE_UPDATER_GIT_SECRET}`;
}

/** The credential value, read at deploy time (config/secrets.ts decides its source and holds the App ids). */
export type WriteCredentialValue<T> = Credentials<T>;

/**
 * The credential Secret in the format Image Updater reads: `username`/`password` (a token with
 * contents:write) or `githubAppID`/`githubAppInstallationID`/`githubAppPrivateKey`.
 */
export function imageUpdaterGitSecret<T>(value: WriteCredentialValue<T>): SecretManifest<T | string> {
    const stringData: Record<string, T | string> =
        value.kind === "token"
            ? { username: "x-access-token", password: value.token }
            : { githubAppID: String(value.appId), githubAppInstallationID: String(value.installationId), githubAppPrivateKey: value.privateKey };
    return {
        apiVersion: "v1",
        kind: "Secret",
        type: "Opaque",
        metadata: { name: IMAGE_UPDATER_GIT_SECRET, namespace: ARGOCD_NAMESPACE, labels: { "app.kubernetes.io/name": IMAGE_UPDATER_GIT_SECRET, "app.kubernetes.io/part-of": "argocd-image-updater" } },
        stringData,
    };
}

/** The image an Application runs: its own setting or `ghcr.io/footanalytics/<name>` (fully qualified: never Docker Hub by default). */
export function imageOf(app: Pick<ApplicationSettings, "name" | "image">): string {
    return app.image ?? `ghcr.io/footanalytics/${app.name}`;
}

/**
 * Chart values. The chart's Deployment template carries liveness and readiness probes on its
 * health endpoint (templates/deployment.yaml:183-194); no value turns them off. Resources come
 * from config. `crds.keep` annotates the CRD `helm.sh/resource-policy: keep`, which Chart v4 turns into
 * `retainOnDelete` (helm/v4/chart.go `preregister`); the chart's transforms retain every CRD anyway
 * (components/chart-transforms.ts).
 */
export function imageUpdaterValues(u: GitOpsSettings["imageUpdater"]): Record<string, unknown> {
    return {
        // The CRD is a template of the chart (rendered by Chart v4); keep it on uninstall so ImageUpdater objects survive.
        crds: { install: true, keep: true },
        config: {
            "git.user": "argocd-image-updater",
            "git.email": "argocd-image-updater@footanalytics.io",
            "log.level": "info",
        },
        resources: {
            requests: { cpu: u.resources.cpuRequest, memory: u.resources.memoryRequest },
            limits: { cpu: u.resources.cpuLimit, memory: u.resources.memoryLimit },
        },
        // The argocd namespace enforces Pod Security restricted (templates/deployment.yaml:167 reads securityContext).
        securityContext: {
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            seccompProfile: { type: "RuntimeDefault" },
            capabilities: { drop: ["ALL"] },
        },
    };
}

/**
 * The `ImageUpdater` resource: one application reference per platform Application, semver
 * updates of `footanalytics/<app>`, written back with Git to the configured branch with Image
 * Updater's own write credential (`writeBackMethod`).
 */
export function imageUpdaterResource(gitops: Pick<GitOpsSettings, "imageUpdater" | "applications">): CustomResourceManifest {
    return {
        apiVersion: "argocd-image-updater.argoproj.io/v1alpha1",
        kind: "ImageUpdater",
        metadata: { name: "footanalytics", namespace: ARGOCD_NAMESPACE, labels: { ...PART_OF } },
        spec: {
            namespace: ARGOCD_NAMESPACE,
            writeBackConfig: { method: writeBackMethod(), gitConfig: { branch: gitops.imageUpdater.writeBackBranch, writeBackTarget: "kustomization" } },
            applicationRefs: gitops.applications.map((a) => ({
                namePattern: a.name,
                images: [
                    {
                        alias: a.name,
                        // `<image>:<constraint>` (argocd-image-updater api/v1alpha1/imageupdater_types.go ImageConfig.ImageName): the semver strategy deploys only tags inside the constraint.
                        imageName: `${imageOf(a)}:${a.imageTagConstraint ?? gitops.imageUpdater.tagConstraint ?? ""}`,
                        commonUpdateSettings: { updateStrategy: "semver" },
                        manifestTargets: { kustomize: { name: imageOf(a) } },
                    },
                ],
            })),
        },
    };
}
