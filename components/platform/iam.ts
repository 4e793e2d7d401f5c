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
