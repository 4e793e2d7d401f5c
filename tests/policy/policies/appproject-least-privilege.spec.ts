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

    it("rejects patterns that match any repository or any namespace, not only a literal \"*\"", () => {
        const project = fixture("appproject.yaml");
        project.spec.sourceRepos.push("https://*", "**");
        project.spec.destinations.push({ server: "https://kubernetes.default.svc", namespace: "*-*" }, { server: "https://kubernetes.default.svc", namespace: "?*" });
        assert.deepEqual(messages(appprojectLeastPrivilege, APPPROJECT, project), [
            'AppProject argocd/platform allows repositories of any owner (spec.sourceRepos pattern "https://*" matches https://attacker.example/org/repo); list the repositories',
            'AppProject argocd/platform allows repositories of any owner (spec.sourceRepos pattern "**" matches https://attacker.example/org/repo); list the repositories',
            'AppProject argocd/platform has a destination (server "https://kubernetes.default.svc", namespace "*-*") with a pattern that matches any value as namespace; name the cluster and namespace',
            'AppProject argocd/platform has a destination (server "https://kubernetes.default.svc", namespace "?*") with a pattern that matches any value as namespace; name the cluster and namespace',
        ]);
    });

    it("rejects kube-system and argocd destinations in production, except argocd for a project limited to Applications", () => {
        const project = fixture("appproject.yaml");
        project.spec.destinations.push({ server: "https://kubernetes.default.svc", namespace: "kube-*" }, { server: "https://kubernetes.default.svc", namespace: "argocd" });
        assert.deepEqual(messages(appprojectLeastPrivilege, APPPROJECT, project), [
            'AppProject argocd/platform has a destination (server "https://kubernetes.default.svc", namespace "kube-*") that reaches the kube-system namespace in production; only a project limited to argoproj.io/Application may deploy to argocd, and none to the system namespaces',
            'AppProject argocd/platform has a destination (server "https://kubernetes.default.svc", namespace "kube-*") that reaches the kube-public namespace in production; only a project limited to argoproj.io/Application may deploy to argocd, and none to the system namespaces',
            'AppProject argocd/platform has a destination (server "https://kubernetes.default.svc", namespace "kube-*") that reaches the kube-node-lease namespace in production; only a project limited to argoproj.io/Application may deploy to argocd, and none to the system namespaces',
            'AppProject argocd/platform has a destination (server "https://kubernetes.default.svc", namespace "argocd") that reaches the argocd namespace in production; only a project limited to argoproj.io/Application may deploy to argocd, and none to the system namespaces',
        ]);
        const root = fixture("appproject.yaml");
        root.spec.destinations = [{ server: "https://kubernetes.default.svc", namespace: "argocd" }];
        root.spec.clusterResourceWhitelist = [];
        root.spec.namespaceResourceWhitelist = [{ group: "argoproj.io", kind: "Application" }];
        assert.deepEqual(messages(appprojectLeastPrivilege, APPPROJECT, root), []);
        const staging = fixture("appproject.yaml");
        staging.metadata.labels = { "footanalytics.io/environment": "staging" };
        staging.spec.destinations.push({ server: "https://kubernetes.default.svc", namespace: "argocd" });
        assert.deepEqual(messages(appprojectLeastPrivilege, APPPROJECT, staging), []);
    });

    it("rejects privileged cluster-scoped kinds and Namespace in production, and any kind pattern everywhere", () => {
        const project = fixture("appproject.yaml");
        project.spec.clusterResourceWhitelist.push(
            { group: "", kind: "Namespace" },
            { group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding" },
            { group: "admissionregistration.k8s.io", kind: "*WebhookConfiguration" },
            { group: "*", kind: "CustomResourceDefinition" },
            { group: "apps", kind: "*" },
        );
        const at = (entry: string, kind: string) =>
            `AppProject argocd/platform whitelists ${kind} in production (spec.clusterResourceWhitelist entry "${entry}"), a kind that grants privilege over the cluster; remove it, or add a reviewed exemption with container "${entry}" and a reason`;
        assert.deepEqual(messages(appprojectLeastPrivilege, APPPROJECT, project), [
            at("/Namespace", "core/Namespace"),
            at("rbac.authorization.k8s.io/ClusterRoleBinding", "rbac.authorization.k8s.io/ClusterRoleBinding"),
            at("admissionregistration.k8s.io/*WebhookConfiguration", "admissionregistration.k8s.io/MutatingWebhookConfiguration"),
            at("admissionregistration.k8s.io/*WebhookConfiguration", "admissionregistration.k8s.io/ValidatingWebhookConfiguration"),
            'AppProject argocd/platform whitelists a pattern of cluster-scoped kinds (spec.clusterResourceWhitelist entry "*/CustomResourceDefinition"); list the kinds',
            'AppProject argocd/platform whitelists a pattern of cluster-scoped kinds (spec.clusterResourceWhitelist entry "apps/*"); list the kinds',
        ]);
        const staging = fixture("appproject.yaml");
        staging.metadata.labels = { "footanalytics.io/environment": "staging" };
        staging.spec.clusterResourceWhitelist.push({ group: "rbac.authorization.k8s.io", kind: "ClusterRole" });
        assert.deepEqual(messages(appprojectLeastPrivilege, APPPROJECT, staging), []);
    });

    it("judges the patch of Argo CD's default project like a project", () => {
        const locked = { metadata: { name: "default", namespace: "argocd" }, spec: { sourceRepos: [], destinations: [], clusterResourceWhitelist: [] } };
        assert.deepEqual(messages(appprojectLeastPrivilege, "kubernetes:argoproj.io/v1alpha1:AppProjectPatch", locked), []);
        const open = { metadata: { name: "default", namespace: "argocd" }, spec: { sourceRepos: ["*"] } };
        assert.deepEqual(messages(appprojectLeastPrivilege, "kubernetes:argoproj.io/v1alpha1:AppProjectPatch", open), [
            'AppProject argocd/default allows every source repository (spec.sourceRepos contains "*"); list the repositories',
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
