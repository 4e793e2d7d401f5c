import * as assert from "assert/strict";
import { imageUpdaterResource, imageUpdaterValues } from "../../../components/gitops/imageUpdater";
import { sections } from "./fixtures";

describe("components/gitops/imageUpdater", () => {
    it("follows footanalytics/<app> for the four Applications and writes back to main with Git", () => {
        const r = imageUpdaterResource(sections("staging").gitops);
        assert.equal(r.apiVersion, "argocd-image-updater.argoproj.io/v1alpha1");
        assert.equal(r.kind, "ImageUpdater");
        assert.deepEqual(r.spec.writeBackConfig, { method: "git", gitConfig: { branch: "main", writeBackTarget: "kustomization" } });
        assert.deepEqual(r.spec.namespace, "argocd");
        assert.deepEqual(
            (r.spec.applicationRefs as { namePattern: string; images: { imageName: string }[] }[]).map((a) => [a.namePattern, a.images[0].imageName]),
            [
                ["api-gateway", "footanalytics/api-gateway"],
                ["video-ingestion", "footanalytics/video-ingestion"],
                ["ml-pipeline", "footanalytics/ml-pipeline"],
                ["analytics-engine", "footanalytics/analytics-engine"],
            ],
        );
    });

    it("gives the Image Updater container CPU and memory requests and limits", () => {
        assert.deepEqual(imageUpdaterValues(sections("staging").gitops.imageUpdater).resources, {
            requests: { cpu: "50m", memory: "128Mi" },
            limits: { cpu: "500m", memory: "256Mi" },
        });
    });

    it("takes an Application's own image name", () => {
        const g = sections("staging", (v) => (v.gitops.applications[0].image = "ghcr.io/footanalytics/gateway")).gitops;
        const refs = imageUpdaterResource(g).spec.applicationRefs as { images: { imageName: string; manifestTargets: unknown }[] }[];
        assert.deepEqual(refs[0].images[0].imageName, "ghcr.io/footanalytics/gateway");
        assert.deepEqual(refs[0].images[0].manifestTargets, { kustomize: { name: "ghcr.io/footanalytics/gateway" } });
    });
});
