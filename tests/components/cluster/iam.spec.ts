import * as assert from "assert/strict";
import { clusterKmsPolicy, irsaTrustPolicy, managedPolicyArn, partitionOf, serviceTrustPolicy } from "../../../components/cluster/iam";

describe("cluster IAM documents", () => {
    it("derives the partition from the region", () => {
        assert.deepEqual(["eu-west-1", "cn-north-1", "us-gov-west-1", "us-east-1"].map(partitionOf), ["aws", "aws-cn", "aws-us-gov", "aws"]);
    });

    it("builds AWS managed policy ARNs, paths included", () => {
        assert.equal(managedPolicyArn("aws", "service-role/AmazonEBSCSIDriverPolicy"), "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy");
    });

    it("trusts only the named service account through the OIDC provider, for the STS audience", () => {
        const arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC";
        assert.deepEqual(irsaTrustPolicy(arn, "oidc.eks.eu-west-1.amazonaws.com/id/ABC", "kube-system", "ebs-csi-controller-sa"), {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Federated: arn },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:kube-system:ebs-csi-controller-sa",
                            "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
                        },
                    },
                },
            ],
        });
    });

    it("lets a service assume a role", () => {
        assert.deepEqual(serviceTrustPolicy("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]), {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
        });
    });

    it("grants the cluster role the four KMS actions envelope encryption needs, on the one key", () => {
        assert.deepEqual(clusterKmsPolicy("arn:aws:kms:eu-west-1:123456789012:key/k"), {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: "arn:aws:kms:eu-west-1:123456789012:key/k" }],
        });
    });
});
