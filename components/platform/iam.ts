/**
 * IAM of the AWS Load Balancer Controller: the permissions policy and the EKS Pod Identity trust
 * policy of its role. Pure.
 *
 * The permissions are the ones the controller documents for v3.5.0
 * (kubernetes-sigs/aws-load-balancer-controller v3.5.0 docs/install/iam_policy.json, referenced by
 * docs/deploy/installation.md), restated here as a reviewed document with the partition filled in:
 * reads are unrestricted, every create is tagged `elbv2.k8s.aws/cluster`, and every change or delete
 * needs that tag on the resource. Review it again when `platform.loadBalancerController.chartVersion`
 * moves to a new controller minor version.
 */
import type { PolicyDocument } from "../cluster/iam";

/** The tag the controller puts on everything it creates, and the condition keys that test it. */
const CLUSTER_TAG = "elbv2.k8s.aws/cluster";
const REQUEST_TAG = `aws:RequestTag/${CLUSTER_TAG}`;
const RESOURCE_TAG = `aws:ResourceTag/${CLUSTER_TAG}`;

/** Trust policy of a role assumed through EKS Pod Identity (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html). */
export function podIdentityTrustPolicy(): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
    };
}

/** The controller's permissions in `partition` (`aws`, `aws-cn`, `aws-us-gov`). */
export function loadBalancerControllerPolicy(partition: string): PolicyDocument {
    const elb = (resource: string) => `arn:${partition}:elasticloadbalancing:*:*:${resource}`;
    const loadBalancersAndTargetGroups = [elb("targetgroup/*/*"), elb("loadbalancer/net/*/*"), elb("loadbalancer/app/*/*")];
    const securityGroups = `arn:${partition}:ec2:*:*:security-group/*`;
    return {
        Version: "2012-10-17",
        Statement: [
            // The ELB service-linked role, created on first use in an account.
            {
                Sid: "CreateElbServiceLinkedRole",
                Effect: "Allow",
                Action: ["iam:CreateServiceLinkedRole"],
                Resource: "*",
                Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
            },
            // Discovery: subnets, security groups, instances, existing load balancers.
            {
                Sid: "Describe",
                Effect: "Allow",
                Action: [
                    "ec2:DescribeAccountAttributes",
                    "ec2:DescribeAddresses",
                    "ec2:DescribeAvailabilityZones",
                    "ec2:DescribeInternetGateways",
                    "ec2:DescribeVpcs",
                    "ec2:DescribeVpcPeeringConnections",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeInstances",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeTags",
                    "ec2:GetCoipPoolUsage",
                    "ec2:DescribeCoipPools",
                    "ec2:GetSecurityGroupsForVpc",
                    "ec2:DescribeIpamPools",
                    "ec2:DescribeRouteTables",
                    "elasticloadbalancing:DescribeLoadBalancers",
                    "elasticloadbalancing:DescribeLoadBalancerAttributes",
                    "elasticloadbalancing:DescribeListeners",
                    "elasticloadbalancing:DescribeListenerCertificates",
                    "elasticloadbalancing:DescribeSSLPolicies",
                    "elasticloadbalancing:DescribeRules",
                    "elasticloadbalancing:DescribeTargetGroups",
                    "elasticloadbalancing:DescribeTargetGroupAttributes",
                    "elasticloadbalancing:DescribeTargetHealth",
                    "elasticloadbalancing:DescribeTags",
                    "elasticloadbalancing:DescribeTrustStores",
                    "elasticloadbalancing:DescribeListenerAttributes",
                    "elasticloadbalancing:DescribeCapacityReservation",
                ],
                Resource: "*",
            },
            // Certificates (ACM discovery), Cognito, WAF and Shield integrations of the ALB.
            {
                Sid: "ListenerIntegrations",
                Effect: "Allow",
                Action: [
                    "cognito-idp:DescribeUserPoolClient",
                    "acm:ListCertificates",
                    "acm:DescribeCertificate",
                    "iam:ListServerCertificates",
                    "iam:GetServerCertificate",
                    "waf-regional:GetWebACL",
                    "waf-regional:GetWebACLForResource",
                    "waf-regional:AssociateWebACL",
                    "waf-regional:DisassociateWebACL",
                    "wafv2:GetWebACL",
                    "wafv2:GetWebACLForResource",
                    "wafv2:AssociateWebACL",
                    "wafv2:DisassociateWebACL",
                    "shield:GetSubscriptionState",
                    "shield:DescribeProtection",
                    "shield:CreateProtection",
                    "shield:DeleteProtection",
                ],
                Resource: "*",
            },
            // Node security group rules for the load balancer's traffic (nodes' groups are not tagged by the controller).
            { Sid: "NodeSecurityGroupRules", Effect: "Allow", Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], Resource: "*" },
            { Sid: "CreateSecurityGroup", Effect: "Allow", Action: ["ec2:CreateSecurityGroup"], Resource: "*" },
            // Tag a security group only while creating it, with the cluster tag.
            {
                Sid: "TagNewSecurityGroup",
                Effect: "Allow",
                Action: ["ec2:CreateTags"],
                Resource: securityGroups,
                Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, Null: { [REQUEST_TAG]: "false" } },
            },
            // Retag its own security groups, never removing the cluster tag.
            {
                Sid: "RetagOwnSecurityGroups",
                Effect: "Allow",
                Action: ["ec2:CreateTags", "ec2:DeleteTags"],
                Resource: securityGroups,
                Condition: { Null: { [REQUEST_TAG]: "true", [RESOURCE_TAG]: "false" } },
            },
            {
                Sid: "ManageOwnSecurityGroups",
                Effect: "Allow",
                Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
                Resource: "*",
                Condition: { Null: { [RESOURCE_TAG]: "false" } },
            },
            // Create load balancers and target groups only with the cluster tag.
            {
                Sid: "CreateTaggedLoadBalancers",
                Effect: "Allow",
                Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
                Resource: "*",
                Condition: { Null: { [REQUEST_TAG]: "false" } },
            },
            {
                Sid: "ManageListenersAndRules",
                Effect: "Allow",
                Action: ["elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule"],
                Resource: "*",
            },
            {
                Sid: "RetagOwnLoadBalancers",
                Effect: "Allow",
                Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
                Resource: loadBalancersAndTargetGroups,
                Condition: { Null: { [REQUEST_TAG]: "true", [RESOURCE_TAG]: "false" } },
            },
            {
                Sid: "TagListenersAndRules",
                Effect: "Allow",
                Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
                Resource: [elb("listener/net/*/*/*"), elb("listener/app/*/*/*"), elb("listener-rule/net/*/*/*"), elb("listener-rule/app/*/*/*")],
            },
            // Change or delete only load balancers and target groups that carry the cluster tag.
            {
                Sid: "ManageOwnLoadBalancers",
                Effect: "Allow",
                Action: [
                    "elasticloadbalancing:ModifyLoadBalancerAttributes",
                    "elasticloadbalancing:SetIpAddressType",
                    "elasticloadbalancing:SetSecurityGroups",
                    "elasticloadbalancing:SetSubnets",
                    "elasticloadbalancing:DeleteLoadBalancer",
                    "elasticloadbalancing:ModifyTargetGroup",
                    "elasticloadbalancing:ModifyTargetGroupAttributes",
                    "elasticloadbalancing:DeleteTargetGroup",
                    "elasticloadbalancing:ModifyListenerAttributes",
                    "elasticloadbalancing:ModifyCapacityReservation",
                    "elasticloadbalancing:ModifyIpPools",
                ],
                Resource: "*",
                Condition: { Null: { [RESOURCE_TAG]: "false" } },
            },
            // Tag at creation time.
            {
                Sid: "TagOnCreate",
                Effect: "Allow",
                Action: ["elasticloadbalancing:AddTags"],
                Resource: loadBalancersAndTargetGroups,
                Condition: {
                    StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] },
                    Null: { [REQUEST_TAG]: "false" },
                },
            },
            // Pod IPs in and out of target groups (target-type ip).
            { Sid: "RegisterTargets", Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: elb("targetgroup/*/*") },
            {
                Sid: "ModifyListeners",
                Effect: "Allow",
                Action: [
                    "elasticloadbalancing:SetWebAcl",
                    "elasticloadbalancing:ModifyListener",
                    "elasticloadbalancing:AddListenerCertificates",
                    "elasticloadbalancing:RemoveListenerCertificates",
                    "elasticloadbalancing:ModifyRule",
                    "elasticloadbalancing:SetRulePriorities",
                ],
                Resource: "*",
            },
        ],
    };
}

/** Where the policies below apply: the partition, region, account and cluster. */
export interface IdentityScope {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    readonly clusterName: string;
}

/**
 * Permissions of the Cluster Autoscaler (kubernetes/autoscaler cluster-autoscaler-1.35.0
 * cluster-autoscaler/cloudprovider/aws/README.md, "Full Cluster Autoscaler Features Policy", with the
 * restriction that README recommends: the two actions that change capacity only on Auto Scaling groups
 * tagged for this cluster, which EKS does for every managed node group). Reads are unrestricted (the
 * Describe APIs take no resource); `eks:DescribeNodegroup` (labels and taints of a node group at
 * zero nodes) only on this cluster's node groups.
 */
export function clusterAutoscalerPolicy(scope: IdentityScope): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "Discover",
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                ],
                Resource: "*",
            },
            {
                Sid: "DescribeOwnNodeGroups",
                Effect: "Allow",
                Action: ["eks:DescribeNodegroup"],
                Resource: `arn:${scope.partition}:eks:${scope.region}:${scope.accountId}:nodegroup/${scope.clusterName}/*/*`,
            },
            {
                Sid: "ScaleOwnNodeGroups",
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: {
                    StringEquals: {
                        "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
                        [`aws:ResourceTag/k8s.io/cluster-autoscaler/${scope.clusterName}`]: "owned",
                    },
                },
            },
        ],
    };
}

/**
 * Permissions of the External Secrets Operator: read (never write or list) the secrets under
 * `secretPaths` (the read actions of external-secrets v2.9.0 docs/provider/aws-secrets-manager.md),
 * and, when they are encrypted with a customer managed key, decrypt with that key only through
 * Secrets Manager in this region (`kms:ViaService`). A name without `/*` matches that secret
 * (Secrets Manager appends a six-character suffix to every ARN).
 */
export function externalSecretsPolicy(scope: Omit<IdentityScope, "clusterName">, secretPaths: readonly string[], kmsKeyArn: string | undefined): PolicyDocument {
    const arn = (path: string) =>
        `arn:${scope.partition}:secretsmanager:${scope.region}:${scope.accountId}:secret:${path.endsWith("/*") ? path : `${path}-??????`}`;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadApplicationSecrets",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "secretsmanager:ListSecretVersionIds"],
                Resource: secretPaths.map(arn),
            },
            ...(kmsKeyArn === undefined
                ? []
                : [
                      {
                          Sid: "DecryptThroughSecretsManager",
                          Effect: "Allow",
                          Action: ["kms:Decrypt"],
                          Resource: kmsKeyArn,
                          Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${scope.region}.amazonaws.com` } },
                      },
                  ]),
        ],
    };
}
