/**
 * Argo CD Image Updater v1: its Helm chart's values and the `ImageUpdater` custom resource that
 * follows the platform images and commits new tags to Git.
 * Sources: argoproj/argo-helm charts/argocd-image-updater/values.yaml (1.x) and
 * argoproj-labs/argocd-image-updater docs/basics/update-methods.md, docs/configuration/migration.md.
 */
import type { ApplicationConfig, GitOpsConfig } from "../../config/schema/gitops";
import { ARGOCD_NAMESPACE, CustomResourceManifest, PART_OF } from "./common";

/** Where the chart comes from. */
export const IMAGE_UPDATER_CHART = Object.freeze({ chart: "argocd-image-updater", repo: "https://argoproj.github.io/argo-helm" });

/** The image an Application runs: its own setting or `footanalytics/<name>`. */
export function imageOf(app: ApplicationConfig): string {
    return app.image ?? `footanalytics/${app.name}`;
}

/**
 * Chart values. The chart's Deployment template carries liveness and readiness probes on its
 * health endpoint; no value turns them off. Resources come from config.
 */
export function imageUpdaterValues(u: GitOpsConfig["imageUpdater"]): Record<string, unknown> {
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
    };
}

/**
 * The `ImageUpdater` resource: one application reference per platform Application, semver
 * updates of `footanalytics/<app>`, written back with Git to the configured branch (the
 * repository credentials Argo CD already has are reused).
 */
export function imageUpdaterResource(gitops: GitOpsConfig): CustomResourceManifest {
    return {
        apiVersion: "argocd-image-updater.argoproj.io/v1alpha1",
        kind: "ImageUpdater",
        metadata: { name: "footanalytics", namespace: ARGOCD_NAMESPACE, labels: { ...PART_OF } },
        spec: {
            namespace: ARGOCD_NAMESPACE,
            writeBackConfig: { method: "git", gitConfig: { branch: gitops.imageUpdater.writeBackBranch, writeBackTarget: "kustomization" } },
            applicationRefs: gitops.applications.map((a) => ({
                namePattern: a.name,
                images: [
                    {
                        alias: a.name,
                        imageName: imageOf(a),
                        commonUpdateSettings: { updateStrategy: "semver" },
                        manifestTargets: { kustomize: { name: imageOf(a) } },
                    },
                ],
            })),
        },
    };
}
