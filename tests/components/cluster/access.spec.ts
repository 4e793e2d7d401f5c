import * as assert from "assert/strict";
import { accessPolicyArn, planAccessEntries, roleArnParts } from "../../../components/cluster/access";

const ADMIN = "arn:aws:iam::123456789012:role/footanalytics-platform-admin";
const DEV = "arn:aws:iam::123456789012:role/teams/footanalytics-developer";

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

    it("plans no entry when no role is configured", () => {
        assert.deepEqual(planAccessEntries({ adminRoleArns: [], developerRoleArns: [], developerAccess: "edit", developerNamespaces: ["a"] }, "aws"), {});
    });
});
