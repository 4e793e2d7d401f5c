import * as assert from "assert/strict";
import { appProject, defaultAppProject, rootAppProject } from "../../../components/gitops/project";
import { STACKS } from "../../helpers";
import { sections, validateManifest } from "./fixtures";

const KEY = "4AEE18F83AFDEB23";
const PUBLIC_KEY = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBFmUaEEBEADnR\n-----END PGP PUBLIC KEY BLOCK-----\n";

describe("components/gitops/project", () => {
    for (const stack of STACKS) {
        it(`builds an AppProject that validates against Argo CD's CRD schema (${stack})`, () => {
            validateManifest(appProject(sections(stack).gitops));
        });

        it(`never uses "*" for source repositories or destinations (${stack})`, () => {
            const spec = appProject(sections(stack).gitops).spec as { sourceRepos: string[]; destinations: { server: string; namespace: string }[] };
            assert.deepEqual(spec.sourceRepos, ["https://github.com/footanalytics/gitops-config"]);
            assert.deepEqual(spec.destinations, [{ server: "https://kubernetes.default.svc", namespace: "footanalytics" }]);
        });
    }

    it("builds the production project exactly", () => {
        const p = appProject(sections("production").gitops);
        assert.deepEqual(p.metadata, {
            name: "footanalytics",
            namespace: "argocd",
            labels: { "app.kubernetes.io/part-of": "footanalytics" },
            finalizers: ["resources-finalizer.argocd.argoproj.io"],
        });
        assert.deepEqual(p.spec, {
            description: "FootAnalytics platform services, synced from the GitOps repository.",
            sourceRepos: ["https://github.com/footanalytics/gitops-config"],
            destinations: [{ server: "https://kubernetes.default.svc", namespace: "footanalytics" }],
            clusterResourceWhitelist: [],
            namespaceResourceBlacklist: [
                { group: "", kind: "ResourceQuota" },
                { group: "", kind: "LimitRange" },
                { group: "networking.k8s.io", kind: "NetworkPolicy" },
            ],
            orphanedResources: { warn: true },
            roles: [
                {
                    name: "ci",
                    description: "CI pipelines may read and sync the platform Applications, nothing else.",
                    policies: ["p, proj:footanalytics:ci, applications, get, footanalytics/*, allow", "p, proj:footanalytics:ci, applications, sync, footanalytics/*, allow"],
                },
            ],
            syncWindows: [{ kind: "deny", schedule: "0 11 * * 6", duration: "10h", applications: ["*"], manualSync: true, timeZone: "Europe/London" }],
        });
    });

    it("has no sync window in staging", () => {
        assert.deepEqual((appProject(sections("staging").gitops).spec as { syncWindows: unknown[] }).syncWindows, []);
    });

    it("defaults production to the match-day freeze when the stack sets no windows", () => {
        const { gitops } = sections("production", (v) => delete v.gitops.syncWindows);
        assert.deepEqual(gitops.syncWindows, [{ kind: "deny", schedule: "0 11 * * 6", duration: "10h", applications: ["*"], manualSync: true, timeZone: "Europe/London" }]);
    });

    it("whitelists the configured cluster-scoped kinds only, never Namespace, and leaves the reason out of the manifest", () => {
        const p = appProject(sections("production", (v) => (v.gitops.clusterResourceWhitelist = [{ group: "rbac.authorization.k8s.io", kind: "ClusterRole", reason: "the metrics adapter aggregates a ClusterRole" }])).gitops);
        assert.deepEqual((p.spec as { clusterResourceWhitelist: unknown }).clusterResourceWhitelist, [{ group: "rbac.authorization.k8s.io", kind: "ClusterRole" }]);
    });

    it("requires commits signed by the configured GPG keys with signatureKeys (Argo CD 3.4)", () => {
        const p = appProject(sections("production", (v) => (v.gitops.gpgKeys = [{ keyId: KEY, publicKey: PUBLIC_KEY }])).gitops);
        validateManifest(p);
        assert.deepEqual((p.spec as { signatureKeys: unknown }).signatureKeys, [{ keyID: KEY }]);
    });

    it("requires no signatures when no GPG key is configured", () => {
        assert.equal("signatureKeys" in appProject(sections("production").gitops).spec, false);
    });

    it("never lets the footanalytics project deploy to the argocd namespace, root application or not", () => {
        const p = appProject(sections("staging", (v) => (v.gitops.rootApplication = { enabled: true })).gitops);
        assert.deepEqual((p.spec as { destinations: unknown }).destinations, [{ server: "https://kubernetes.default.svc", namespace: "footanalytics" }]);
    });

    it("gives the root application a project of its own: only the argocd namespace, only Applications, no cluster-scoped kind", () => {
        const p = rootAppProject(sections("production", (v) => (v.gitops.rootApplication = { enabled: true })).gitops);
        validateManifest(p);
        assert.deepEqual(p.metadata, { name: "footanalytics-root", namespace: "argocd", labels: { "app.kubernetes.io/part-of": "footanalytics" }, finalizers: ["resources-finalizer.argocd.argoproj.io"] });
        assert.deepEqual(p.spec, {
            description: "The app of apps: Application manifests into the argocd namespace, nothing else.",
            sourceRepos: ["https://github.com/footanalytics/gitops-config"],
            destinations: [{ server: "https://kubernetes.default.svc", namespace: "argocd" }],
            clusterResourceWhitelist: [],
            namespaceResourceWhitelist: [{ group: "argoproj.io", kind: "Application" }],
            orphanedResources: { warn: true },
        });
    });

    it("locks Argo CD's built-in default project: no source, no destination, no kind", () => {
        const p = defaultAppProject();
        validateManifest(p);
        assert.deepEqual(p.metadata, { name: "default", namespace: "argocd", labels: { "app.kubernetes.io/part-of": "footanalytics" } });
        assert.deepEqual(p.spec, {
            description: "Locked by footanalytics-gitops: Applications belong to a project of their own.",
            sourceRepos: [],
            destinations: [],
            clusterResourceWhitelist: [],
            namespaceResourceBlacklist: [{ group: "*", kind: "*" }],
        });
    });
});
