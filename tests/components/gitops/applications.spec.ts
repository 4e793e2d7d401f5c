import * as assert from "assert/strict";
import { application, rootApplication, subscriptionAnnotations } from "../../../components/gitops/applications";
import { STACKS } from "../../helpers";
import { sections, validateManifest } from "./fixtures";

describe("components/gitops/applications", () => {
    for (const stack of STACKS) {
        it(`builds four Applications that validate against Argo CD's CRD schema (${stack})`, () => {
            const s = sections(stack);
            const apps = s.gitops.applications.map((a) => application(a, s.gitops, stack));
            assert.deepEqual(apps.map((a) => a.metadata.name), ["api-gateway", "video-ingestion", "ml-pipeline", "analytics-engine"]);
            for (const a of apps) validateManifest(a);
        });

        it(`sources every Application from overlays/${stack}/<app> (${stack})`, () => {
            const s = sections(stack);
            assert.deepEqual(
                s.gitops.applications.map((a) => (application(a, s.gitops, stack).spec as { source: { path: string } }).source.path),
                ["api-gateway", "video-ingestion", "ml-pipeline", "analytics-engine"].map((n) => `overlays/${stack}/${n}`),
            );
        });
    }

    it("builds the production api-gateway Application exactly", () => {
        const s = sections("production");
        assert.deepEqual(application(s.gitops.applications[0], s.gitops, "production"), {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Application",
            metadata: {
                name: "api-gateway",
                namespace: "argocd",
                labels: { "app.kubernetes.io/part-of": "footanalytics", "app.kubernetes.io/name": "api-gateway" },
                annotations: { "notifications.argoproj.io/subscribe.on-health-degraded.slack": "footanalytics-oncall" },
                finalizers: ["resources-finalizer.argocd.argoproj.io"],
            },
            spec: {
                project: "footanalytics",
                source: { repoURL: "https://github.com/footanalytics/gitops-config", path: "overlays/production/api-gateway", targetRevision: "release-2026.11" },
                destination: { server: "https://kubernetes.default.svc", namespace: "footanalytics" },
                syncPolicy: {
                    automated: { prune: true, selfHeal: true },
                    syncOptions: ["PrunePropagationPolicy=foreground", "ServerSideApply=true"],
                    retry: { limit: 5, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } },
                },
                revisionHistoryLimit: 20,
            },
        });
    });

    it("tracks HEAD in staging and keeps five revisions", () => {
        const s = sections("staging");
        const spec = application(s.gitops.applications[1], s.gitops, "staging").spec as { source: { targetRevision: string }; revisionHistoryLimit: number };
        assert.equal(spec.source.targetRevision, "HEAD");
        assert.equal(spec.revisionHistoryLimit, 5);
    });

    it("takes an Application's own revision, path and sync switches from config", () => {
        const s = sections("staging", (v) => {
            v.gitops.applications[2] = { name: "ml-pipeline", path: "overlays/staging/ml/pipeline", targetRevision: "v2.3.0", automated: { prune: false } };
        });
        const spec = application(s.gitops.applications[2], s.gitops, "staging").spec as { source: { path: string; targetRevision: string }; syncPolicy: { automated: unknown } };
        assert.equal(spec.source.path, "overlays/staging/ml/pipeline");
        assert.equal(spec.source.targetRevision, "v2.3.0");
        assert.deepEqual(spec.syncPolicy.automated, { prune: false, selfHeal: true });
    });

    it("joins recipients of one trigger and service with a semicolon", () => {
        assert.deepEqual(
            subscriptionAnnotations([
                { trigger: "on-sync-failed", service: "slack", recipient: "a" },
                { trigger: "on-sync-failed", service: "slack", recipient: "b" },
                { trigger: "on-sync-failed", service: "teams", recipient: "platform-alerts" },
            ]),
            { "notifications.argoproj.io/subscribe.on-sync-failed.slack": "a;b", "notifications.argoproj.io/subscribe.on-sync-failed.teams-workflows": "platform-alerts" },
        );
    });

    it("builds the root application (app of apps) into the argocd namespace, in its own project, without pruning", () => {
        const s = sections("production", (v) => (v.gitops.rootApplication = { enabled: true }));
        const root = rootApplication(s.gitops);
        validateManifest(root);
        assert.equal(root.metadata.name, "footanalytics-platform");
        const spec = root.spec as { project: string; source: { path: string }; destination: unknown; syncPolicy: { automated: unknown } };
        assert.equal(spec.project, "footanalytics-root");
        assert.equal(spec.source.path, "overlays/production/apps");
        assert.deepEqual(spec.destination, { server: "https://kubernetes.default.svc", namespace: "argocd" });
        assert.deepEqual(spec.syncPolicy.automated, { prune: false, selfHeal: true });
    });
});
