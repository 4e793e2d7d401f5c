import * as assert from "assert/strict";
import { accessPolicyArn, deployPrincipalWarning, planAccessEntries, planPreviewRbac, roleArnParts, sameRole } from "../../plans/access";

const ADMIN = "arn:aws:iam::123456789012:role/footanalytics-platform-admin";
const DEV = "arn:aws:iam::123456789012:role/teams/footanalytics-developer";
const DEPLOY = "arn:aws:iam::123456789012:role/ci/footanalytics-gitops-deploy-staging";
const PREVIEW = "arn:aws:iam::123456789012:role/footanalytics-gitops-preview-staging";

describe("cluster access entries", () => {
    it("names the role and account of a role ARN, ignoring its path", () => {
        assert.deepEqual(roleArnParts(DEV), { account: "123456789012", name: "footanalytics-developer" });
    });

    it("builds access policy ARNs in the partition", () => {
        assert.equal(accessPolicyArn("aws-cn", "AmazonEKSViewPolicy"), "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
    });

    it("gives admins cluster admin on the whole cluster and developers edit in their namespaces", () => {
        const entries = planAccessEntries({ adminRoleArns: [ADMIN], developerRoleArns: [DEV], developerAccess: "edit", developerNamespaces: ["footanalytics", "ml"] }, "aws");
        assert.deepEqual(entries, {
            "admin-footanalytics-platform-admin": {
                principalArn: ADMIN,
                type: "STANDARD",
                accessPolicies: { clusterAdmin: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", accessScope: { type: "cluster" } } },
            },
            "developer-footanalytics-developer": {
                principalArn: DEV,
                type: "STANDARD",
                accessPolicies: {
                    edit: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", accessScope: { type: "namespace", namespaces: ["footanalytics", "ml"] } },
                },
            },
        });
    });

    it("gives developers the view policy, still namespace-scoped, when access is view", () => {
        const entries = planAccessEntries({ adminRoleArns: [], developerRoleArns: [DEV], developerAccess: "view", developerNamespaces: ["footanalytics"] }, "aws");
        assert.deepEqual(entries["developer-footanalytics-developer"].accessPolicies, {
            view: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", accessScope: { type: "namespace", namespaces: ["footanalytics"] } },
        });
    });

    it("adds the account to the key only when two roles share a name", () => {
        const other = "arn:aws:iam::210987654321:role/footanalytics-platform-admin";
        const entries = planAccessEntries({ adminRoleArns: [ADMIN, other], developerRoleArns: [], developerAccess: "view", developerNamespaces: ["a"] }, "aws");
        assert.deepEqual(Object.keys(entries), ["admin-123456789012-footanalytics-platform-admin", "admin-210987654321-footanalytics-platform-admin"]);
    });

    it("gives preview roles the view policy on the whole cluster and the preview group", () => {
        const entries = planAccessEntries({ adminRoleArns: [ADMIN], developerRoleArns: [], developerAccess: "view", developerNamespaces: ["a"], previewRoleArns: [PREVIEW] }, "aws");
        assert.deepEqual(entries["preview-footanalytics-gitops-preview-staging"], {
            principalArn: PREVIEW,
            type: "STANDARD",
            accessPolicies: { view: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", accessScope: { type: "cluster" } } },
            kubernetesGroups: ["footanalytics:preview"],
        });
    });

    it("never plans an entry for the deploy role: EKS gives the cluster's creator its own", () => {
        const entries = planAccessEntries({ adminRoleArns: [ADMIN, DEPLOY], developerRoleArns: [], developerAccess: "view", developerNamespaces: ["a"], previewRoleArns: [PREVIEW], deployRoleArn: DEPLOY }, "aws");
        assert.deepEqual(Object.keys(entries), ["admin-footanalytics-platform-admin", "preview-footanalytics-gitops-preview-staging"]);
    });

    it("lets the preview group get the one Secret the load balancer controller chart looks up, nothing else", () => {
        assert.deepEqual(planPreviewRbac(), {
            role: {
                metadata: { name: "footanalytics-preview-chart-render", namespace: "kube-system" },
                rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: ["aws-load-balancer-tls"], verbs: ["get"] }],
            },
            binding: {
                metadata: { name: "footanalytics-preview-chart-render", namespace: "kube-system" },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "footanalytics-preview-chart-render" },
                subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "footanalytics:preview" }],
            },
        });
    });

    describe("the principal an update runs as", () => {
        const cfg = { deployRoleArn: DEPLOY, adminRoleArns: [ADMIN], developerRoleArns: [DEV], previewRoleArns: [PREVIEW] };
        it("says nothing when it is the deploy role, whose session ARN carries no path", () => {
            assert.equal(sameRole(DEPLOY, "arn:aws:iam::123456789012:role/footanalytics-gitops-deploy-staging"), true);
            assert.equal(deployPrincipalWarning(cfg, "arn:aws:iam::123456789012:role/footanalytics-gitops-deploy-staging"), undefined);
        });
        it("warns that an admin running the creating update collides with its own access entry (pulumi-eks#2373)", () => {
            assert.equal(
                deployPrincipalWarning(cfg, ADMIN),
                `this update runs as ${ADMIN}, not cluster.deployRoleArn (${DEPLOY}): if it creates the cluster, EKS gives ${ADMIN} the creator's admin access entry and ${DEPLOY} none, so CI's next up fails Unauthorized; ${ADMIN} is in cluster.adminRoleArns, so the program's access entry for it would fail with ResourceInUseException (pulumi-eks#2373); run the first up as the deploy role (docs/operations.md §3)`,
            );
        });
        it("warns that a stack without deployRoleArn leaves the creator's entry unmanaged", () => {
            const user = "arn:aws:iam::123456789012:user/alice";
            assert.equal(
                deployPrincipalWarning({ ...cfg, deployRoleArn: undefined }, user),
                `cluster.deployRoleArn is not set: if this update creates the cluster, EKS gives ${user} a cluster-admin access entry the program does not manage, and CI's role gets access only through its own entry; set cluster.deployRoleArn to the role deploy.yml assumes and run the first up as it (docs/operations.md §3)`,
            );
        });
    });

    it("plans no entry when no role is configured", () => {
        assert.deepEqual(planAccessEntries({ adminRoleArns: [], developerRoleArns: [], developerAccess: "edit", developerNamespaces: ["a"] }, "aws"), {});
    });
});
