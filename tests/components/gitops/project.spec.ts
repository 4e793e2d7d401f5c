import * as assert from "assert/strict";
import { inClusterSecret } from "../../../components/gitops/cluster";
import { appProject, defaultAppProject, platformAppProject, rootAppProject } from "../../../components/gitops/project";
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

describe("components/gitops/project: the platform project", () => {
    for (const stack of STACKS) {
        it(`builds a platform AppProject that validates against Argo CD's CRD schema, with exact destinations (${stack})`, () => {
            const p = platformAppProject(sections(stack).gitops);
            validateManifest(p);
            const windows =
                stack === "production" ? [{ kind: "deny", schedule: "0 11 * * 6", duration: "10h", applications: ["*"], manualSync: true, timeZone: "Europe/London" }] : [];
            assert.deepEqual(p, {
                apiVersion: "argoproj.io/v1alpha1",
                kind: "AppProject",
                metadata: { name: "platform", namespace: "argocd", labels: { "app.kubernetes.io/part-of": "footanalytics" }, finalizers: ["resources-finalizer.argocd.argoproj.io"] },
                spec: {
                    description: `Cluster add-ons from addons/${stack}/* of the GitOps repository; administrators only.`,
                    sourceRepos: ["https://github.com/footanalytics/gitops-config"],
                    destinations: [{ server: "https://kubernetes.default.svc", namespace: "monitoring" }],
                    // Never Namespace: Pulumi creates the add-on namespaces with their Pod Security labels.
                    clusterResourceWhitelist: [
                        { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" },
                        { group: "rbac.authorization.k8s.io", kind: "ClusterRole" },
                        { group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding" },
                        { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration" },
                        { group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration" },
                    ],
                    namespaceResourceBlacklist: [{ group: "", kind: "ResourceQuota" }, { group: "", kind: "LimitRange" }],
                    orphanedResources: { warn: true },
                    syncWindows: windows,
                },
            });
        });
    }
});

describe("components/gitops/cluster", () => {
    it("publishes the cluster's facts, roles and add-ons on the in-cluster cluster Secret, with no secret value", () => {
        const s = inClusterSecret({
            environment: "production",
            clusterName: "footanalytics-production",
            region: "eu-west-1",
            vpcId: "vpc-0a1b2c3d4e5f67890",
            addonsPath: "addons/production",
            addons: ["aws-load-balancer-controller", "cluster-autoscaler"],
            roleArns: { "cluster-autoscaler": "arn:aws:iam::123456789012:role/ca", "aws-load-balancer-controller": "arn:aws:iam::123456789012:role/lbc" },
        });
        assert.deepEqual(s, {
            apiVersion: "v1",
            kind: "Secret",
            type: "Opaque",
            metadata: {
                name: "in-cluster",
                namespace: "argocd",
                labels: {
                    "argocd.argoproj.io/secret-type": "cluster",
                    "footanalytics.io/environment": "production",
                    "footanalytics.io/addon-aws-load-balancer-controller": "true",
                    "footanalytics.io/addon-cluster-autoscaler": "true",
                },
                annotations: {
                    "footanalytics.io/secret-source": "pulumi",
                    "footanalytics.io/cluster-name": "footanalytics-production",
                    "footanalytics.io/region": "eu-west-1",
                    "footanalytics.io/addons-path": "addons/production",
                    "footanalytics.io/addons": "aws-load-balancer-controller,cluster-autoscaler",
                    "footanalytics.io/vpc-id": "vpc-0a1b2c3d4e5f67890",
                    "footanalytics.io/aws-load-balancer-controller-role-arn": "arn:aws:iam::123456789012:role/lbc",
                    "footanalytics.io/cluster-autoscaler-role-arn": "arn:aws:iam::123456789012:role/ca",
                },
            },
            stringData: { name: "in-cluster", server: "https://kubernetes.default.svc", config: '{"tlsClientConfig":{"insecure":false}}' },
        });
    });

    it("leaves the VPC id out when the program does not know it (existing cluster)", () => {
        const s = inClusterSecret({ environment: "staging", clusterName: "c", region: "eu-west-1", vpcId: "", addonsPath: "addons/staging", addons: [], roleArns: {} });
        assert.equal(s.metadata.annotations?.["footanalytics.io/vpc-id"], undefined);
    });
});
