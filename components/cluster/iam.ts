/**
 * IAM documents and ARNs of the cluster: service trust policies, IRSA trust policies, AWS managed
 * policy ARNs, and the KMS permissions the cluster role needs for envelope encryption. Pure.
 */

/** A minimal IAM policy document. */
export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly Record<string, unknown>[];
}

/** The AWS partition of a region: `aws-cn` in China, `aws-us-gov` in GovCloud, else `aws`. */
export function partitionOf(region: string): string {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    if (region.startsWith("us-iso-")) return "aws-iso";
    if (region.startsWith("us-isob-")) return "aws-iso-b";
    return "aws";
}

/** The ARN of an AWS managed policy (`service-role/...` paths included in `name`). */
export function managedPolicyArn(partition: string, name: string): string {
    return `arn:${partition}:iam::aws:policy/${name}`;
}

/** Trust policy letting an AWS service (`eks.amazonaws.com`, `ec2.amazonaws.com`) assume a role. */
export function serviceTrustPolicy(service: string, actions: readonly string[] = ["sts:AssumeRole"]): PolicyDocument {
    return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: [...actions] }] };
}

/**
 * IRSA trust policy: only the named service account, through the cluster's OIDC provider, with the
 * STS audience (https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html).
 * `issuer` is the provider URL without `https://`.
 */
export function irsaTrustPolicy(oidcProviderArn: string, issuer: string, namespace: string, serviceAccount: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: oidcProviderArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
                        [`${issuer}:aud`]: "sts.amazonaws.com",
                    },
                },
            },
        ],
    };
}

/**
 * What the cluster role needs on the envelope-encryption key
 * (https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html).
 */
export function clusterKmsPolicy(keyArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: keyArn }],
    };
}
