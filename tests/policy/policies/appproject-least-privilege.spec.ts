import * as assert from "assert/strict";
import { appprojectLeastPrivilege } from "../../../policy/policies/appproject-least-privilege";
import { fixture, messages, NotApplicableError, UNKNOWN_VALUE, validate } from "../helpers";

const APPPROJECT = "kubernetes:argoproj.io/v1alpha1:AppProject";

describe("appproject-least-privilege", () => {
    it("accepts a compliant AppProject (repository globs and namespace-scoped */* are allowed)", () => {
        assert.deepEqual(messages(appprojectLeastPrivilege, APPPROJECT, fixture("appproject.yaml")), []);
    });

    it('rejects "*" in sourceRepos', () => {
        const project = fixture("appproject.yaml");
        project.spec.sourceRepos.push("*");
        assert.deepEqual(messages(appprojectLeastPrivilege, APPPROJECT, project), [
            'AppProject argocd/platform allows every source repository (spec.sourceRepos contains "*"); list the repositories',
        ]);
    });

    it('rejects a destination with "*" as namespace', () => {
        const project = fixture("appproject.yaml");
        project.spec.destinations[0].namespace = "*";
        assert.deepEqual(messages(appprojectLeastPrivilege, APPPROJECT, project), [
            'AppProject argocd/platform has a destination (server "https://kubernetes.default.svc", namespace "*") with "*" as namespace; name the cluster and namespace',
        ]);
    });

    it('rejects a destination with "*" as server and namespace, once', () => {
        const project = fixture("appproject.yaml");
        project.spec.destinations.push({ server: "*", namespace: "*" });
        assert.deepEqual(messages(appprojectLeastPrivilege, APPPROJECT, project), [
            'AppProject argocd/platform has a destination (server "*", namespace "*") with "*" as server and namespace; name the cluster and namespace',
        ]);
    });

    it('rejects a "*/*" cluster-resource whitelist', () => {
        const project = fixture("appproject.yaml");
        project.spec.clusterResourceWhitelist.push({ group: "*", kind: "*" });
        assert.deepEqual(messages(appprojectLeastPrivilege, APPPROJECT, project), [
            'AppProject argocd/platform whitelists every cluster-scoped resource (spec.clusterResourceWhitelist contains "*/*"); list the kinds',
        ]);
    });

    it("skips lists unknown at preview, reporting one advisory that names the unknown fields", () => {
        const project = fixture("appproject.yaml");
        project.spec.sourceRepos = UNKNOWN_VALUE;
        project.spec.destinations = UNKNOWN_VALUE;
        assert.deepEqual(messages(appprojectLeastPrivilege, APPPROJECT, project), ["AppProject argocd/platform: not checked yet (unknown during preview): spec.sourceRepos, spec.destinations; appproject-least-privilege runs on them at `pulumi up`"]);
    });

    it("reports an Application as not applicable", () => {
        assert.throws(() => validate(appprojectLeastPrivilege, "kubernetes:argoproj.io/v1alpha1:Application", {}), NotApplicableError);
    });
});
