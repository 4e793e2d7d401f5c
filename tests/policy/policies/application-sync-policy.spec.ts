import * as assert from "assert/strict";
import { applicationSyncPolicy } from "../../../policy/policies/application-sync-policy";
import { fixture, messages, UNKNOWN_VALUE, validate } from "../helpers";

const APPLICATION = "kubernetes:argoproj.io/v1alpha1:Application";

describe("application-sync-policy", () => {
    it("accepts a compliant Application in production", () => {
        assert.deepEqual(messages(applicationSyncPolicy, APPLICATION, fixture("application.yaml"), { environment: "production" }), []);
    });

    it("rejects the default project", () => {
        const app = fixture("application.yaml");
        app.spec.project = "default";
        assert.deepEqual(messages(applicationSyncPolicy, APPLICATION, app), [
            "Application argocd/api-gateway uses the default project, which allows every source and destination; set spec.project to a dedicated AppProject",
        ]);
    });

    it("rejects manual sync", () => {
        const app = fixture("application.yaml");
        delete app.spec.syncPolicy.automated;
        assert.deepEqual(messages(applicationSyncPolicy, APPLICATION, app), ["Application argocd/api-gateway does not sync automatically (spec.syncPolicy.automated is not set)"]);
    });

    it("rejects automated sync switched off", () => {
        const app = fixture("application.yaml");
        app.spec.syncPolicy.automated.enabled = false;
        assert.deepEqual(messages(applicationSyncPolicy, APPLICATION, app), [
            "Application argocd/api-gateway has automated sync switched off (spec.syncPolicy.automated.enabled is false)",
        ]);
    });

    it("rejects retry without backoff", () => {
        const app = fixture("application.yaml");
        delete app.spec.syncPolicy.retry.backoff;
        assert.deepEqual(messages(applicationSyncPolicy, APPLICATION, app), [
            "Application argocd/api-gateway retries failed syncs without backoff (spec.syncPolicy.retry.backoff is not set)",
        ]);
    });

    it("rejects a sync policy without retry", () => {
        const app = fixture("application.yaml");
        delete app.spec.syncPolicy.retry;
        assert.deepEqual(messages(applicationSyncPolicy, APPLICATION, app), ["Application argocd/api-gateway does not retry failed syncs (spec.syncPolicy.retry is not set)"]);
    });

    it("rejects a production Application tracking HEAD", () => {
        const app = fixture("application.yaml");
        app.spec.source.targetRevision = "HEAD";
        assert.deepEqual(messages(applicationSyncPolicy, APPLICATION, app, { environment: "production" }), [
            'Application argocd/api-gateway tracks HEAD in production (spec.source.targetRevision is "HEAD"); pin a tag or a commit',
        ]);
    });

    it("rejects a production source without targetRevision among multiple sources", () => {
        const app = fixture("application.yaml");
        app.spec.sources = [app.spec.source, { repoURL: "https://github.com/footanalytics/values.git", ref: "values" }];
        delete app.spec.source;
        assert.deepEqual(messages(applicationSyncPolicy, APPLICATION, app, { environment: "production" }), [
            "Application argocd/api-gateway tracks HEAD in production (spec.sources[1].targetRevision is not set, which means HEAD); pin a tag or a commit",
        ]);
    });

    it("lets staging track HEAD", () => {
        const app = fixture("application.yaml");
        app.spec.source.targetRevision = "HEAD";
        assert.deepEqual(messages(applicationSyncPolicy, APPLICATION, app, { environment: "staging" }), []);
    });

    it("reports mandatory (the configured level) in production and advisory in staging", () => {
        const app = fixture("application.yaml");
        app.spec.project = "default";
        assert.deepEqual(validate(applicationSyncPolicy, APPLICATION, app, { environment: "production" }), [
            { message: "Application argocd/api-gateway uses the default project, which allows every source and destination; set spec.project to a dedicated AppProject" },
        ]);
        assert.deepEqual(validate(applicationSyncPolicy, APPLICATION, app, { environment: "staging" }), [
            {
                message: "Application argocd/api-gateway uses the default project, which allows every source and destination; set spec.project to a dedicated AppProject",
                enforcementLevel: "advisory",
            },
        ]);
    });

    it("judges by the environment label the program sets, not the stack name; unlabelled resources use the pack config, then the stack tag, then production", () => {
        const app = fixture("application.yaml");
        app.spec.source.targetRevision = "HEAD";
        // A stack named "production" whose configuration declared staging is judged as staging.
        assert.deepEqual(messages(applicationSyncPolicy, APPLICATION, app, { stack: "production", environment: "staging" }), []);
        assert.equal(messages(applicationSyncPolicy, APPLICATION, app, { stack: "staging", environment: "production" }).length, 1);
        // The label wins over the pack config setting.
        assert.equal(messages(applicationSyncPolicy, APPLICATION, app, { environment: "production", config: { environment: "staging" } }).length, 1);
        assert.equal(messages(applicationSyncPolicy, APPLICATION, app, { stack: "staging", config: { environment: "staging" } }).length, 0);
        assert.equal(messages(applicationSyncPolicy, APPLICATION, app, { stack: "blue", stackTags: new Map([["environment", "staging"]]) }).length, 0);
        // Nothing declared: the strict profile, whatever the stack is called.
        assert.equal(messages(applicationSyncPolicy, APPLICATION, app, { stack: "staging" }).length, 1);
    });

    it("skips a sync policy unknown at preview, reporting one advisory that names the unknown fields", () => {
        const app = fixture("application.yaml");
        app.spec.syncPolicy = UNKNOWN_VALUE;
        app.spec.source.targetRevision = UNKNOWN_VALUE;
        assert.deepEqual(messages(applicationSyncPolicy, APPLICATION, app), ["Application argocd/api-gateway: not checked yet (unknown during preview): spec.source.targetRevision, spec.syncPolicy; application-sync-policy runs on them at `pulumi up`"]);
    });
});
