/**
 * IAM and KMS policy documents of the cluster: pure functions of plain strings, so each
 * statement is unit-tested without Pulumi. Nothing here grants an action on every resource
 * unless AWS offers no resource-level permission for it (Describe* calls).
 */
import { AccountScope, PolicyDocument, PolicyStatement, accountAdministersKey, policyDocument } from "../shared/aws";

const KEY_USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/** Trust policy letting one AWS service assume a role. */
export function serviceTrustPolicy(service: string): PolicyDocument {
    return policyDocument({
        Sid: "ServiceAssumesRole",
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
    });
}

/** The issuer as IAM condition keys spell it: host and path, no scheme. */
export function issuerHostPath(issuerUrl: string): string {
    return issuerUrl.replace(/^https:\/\//, "");
}

/**
 * Trust policy of an IAM role for a service account (IRSA): only tokens the cluster's OIDC
 * issuer minted for this one service account, audience STS, may assume the role.
 */
export function serviceAccountTrustPolicy(oidcProviderArn: string, issuerUrl: string, namespace: string, serviceAccount: string): PolicyDocument {
    const issuer = issuerHostPath(issuerUrl);
    return policyDocument({
        Sid: "OneServiceAccountAssumesRole",
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
            StringEquals: {
                [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
                [`${issuer}:aud`]: "sts.amazonaws.com",
            },
        },
    });
}

/** What the cluster role needs of the secrets key for envelope encryption, and nothing more. */
export function secretsKeyUsePolicy(keyArn: string): PolicyDocument {
    return policyDocument({
        Sid: "EnvelopeEncryptSecrets",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
        Resource: keyArn,
    });
}

/** ARN of EC2 Auto Scaling's service-linked role, which launches the managed node groups' instances. */
export function autoScalingServiceRoleArn(scope: AccountScope): string {
    return `arn:${scope.partition}:iam::${scope.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

/**
 * Key policy of the key that encrypts node root volumes and persistent volumes. Auto Scaling
 * launches node instances with its service-linked role, whose own policy grants no KMS use,
 * so the key policy must. The role is matched by condition rather than named as principal:
 * a key policy naming a role that does not exist yet (a new account) is rejected.
 */
export function volumeKeyPolicy(scope: AccountScope): PolicyDocument {
    const autoScaling = {
        StringEquals: { "aws:PrincipalAccount": scope.accountId },
        ArnEquals: { "aws:PrincipalArn": autoScalingServiceRoleArn(scope) },
    };
    return policyDocument(
        accountAdministersKey(scope),
        {
            Sid: "AutoScalingUsesKeyForNodeVolumes",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: KEY_USE_ACTIONS,
            Resource: "*",
            Condition: autoScaling,
        },
        {
            Sid: "AutoScalingGrantsKeyToEc2",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: { ...autoScaling, Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
    );
}

/** What the EBS CSI driver needs of the volume key to create and attach encrypted volumes. */
export function volumeKeyUsePolicy(keyArn: string): PolicyDocument {
    return policyDocument(
        {
            Sid: "GrantKeyToEc2ForVolumes",
            Effect: "Allow",
            Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
            Resource: keyArn,
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
        { Sid: "UseKeyForVolumes", Effect: "Allow", Action: KEY_USE_ACTIONS, Resource: keyArn },
    );
}

/**
 * The cluster autoscaler's permissions: read the Auto Scaling groups and instance types,
 * and resize or shrink only the groups tagged as this cluster's (EKS tags its managed node
 * groups' Auto Scaling groups `k8s.io/cluster-autoscaler/<cluster>: owned`).
 */
export function clusterAutoscalerPolicy(scope: AccountScope, clusterName: string): PolicyDocument {
    const statements: PolicyStatement[] = [
        {
            // These Describe calls support no resource-level permissions.
            Sid: "DiscoverNodeGroups",
            Effect: "Allow",
            Action: [
                "autoscaling:DescribeAutoScalingGroups",
                "autoscaling:DescribeAutoScalingInstances",
                "autoscaling:DescribeLaunchConfigurations",
                "autoscaling:DescribeScalingActivities",
                "autoscaling:DescribeTags",
                "ec2:DescribeImages",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeLaunchTemplateVersions",
                "ec2:GetInstanceTypesFromInstanceRequirements",
            ],
            Resource: "*",
        },
        {
            Sid: "ReadOwnNodeGroups",
            Effect: "Allow",
            Action: "eks:DescribeNodegroup",
            Resource: `arn:${scope.partition}:eks:${scope.region}:${scope.accountId}:nodegroup/${clusterName}/*`,
        },
        {
            Sid: "ScaleOwnNodeGroups",
            Effect: "Allow",
            Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
            Resource: `arn:${scope.partition}:autoscaling:${scope.region}:${scope.accountId}:autoScalingGroup:*`,
            Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
        },
    ];
    return policyDocument(...statements);
}

/**
 * The AWS Load Balancer Controller's permissions (as its v3.5 release documents them), with
 * every resource pattern bound to this partition, region and account. What it creates carries
 * the `elbv2.k8s.aws/cluster` tag: it may create only tagged load balancers, target groups and
 * security groups, and reconfigure or delete only tagged ones. Two things are left open, as the
 * controller needs them: ingress rules on any security group of the account (it opens the
 * nodes' group, which it did not create, to its load balancers), and target registration in
 * any target group.
 */
export function loadBalancerControllerPolicy(scope: AccountScope): PolicyDocument {
    const { partition, region, accountId } = scope;
    const elb = (resource: string) => `arn:${partition}:elasticloadbalancing:${region}:${accountId}:${resource}`;
    const securityGroups = `arn:${partition}:ec2:${region}:${accountId}:security-group/*`;
    const balancersAndGroups = [elb("targetgroup/*/*"), elb("loadbalancer/net/*/*"), elb("loadbalancer/app/*/*")];
    const clusterTag = "elbv2.k8s.aws/cluster";
    const requestTagged = { [`aws:RequestTag/${clusterTag}`]: "false" };
    const resourceTagged = { [`aws:ResourceTag/${clusterTag}`]: "false" };
    const retaggingOwn = { [`aws:RequestTag/${clusterTag}`]: "true", [`aws:ResourceTag/${clusterTag}`]: "false" };

    return policyDocument(
        {
            Sid: "CreateElbServiceLinkedRole",
            Effect: "Allow",
            Action: "iam:CreateServiceLinkedRole",
            Resource: "*",
            Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
        },
        {
            // Describe and Get calls support no resource-level permissions.
            Sid: "ReadNetworkAndLoadBalancers",
            Effect: "Allow",
            Action: [
                ...[
                    "DescribeAccountAttributes", "DescribeAddresses", "DescribeAvailabilityZones", "DescribeInternetGateways",
                    "DescribeVpcs", "DescribeVpcPeeringConnections", "DescribeSubnets", "DescribeSecurityGroups",
                    "DescribeInstances", "DescribeNetworkInterfaces", "DescribeTags", "GetCoipPoolUsage", "DescribeCoipPools",
                    "GetSecurityGroupsForVpc", "DescribeIpamPools", "DescribeRouteTables",
                ].map((action) => `ec2:${action}`),
                ...[
                    "DescribeLoadBalancers", "DescribeLoadBalancerAttributes", "DescribeListeners", "DescribeListenerCertificates",
                    "DescribeSSLPolicies", "DescribeRules", "DescribeTargetGroups", "DescribeTargetGroupAttributes",
                    "DescribeTargetHealth", "DescribeTags", "DescribeTrustStores", "DescribeListenerAttributes",
                    "DescribeCapacityReservation",
                ].map((action) => `elasticloadbalancing:${action}`),
            ],
            Resource: "*",
        },
        {
            Sid: "UseCertificatesAndEdgeProtection",
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
        {
            // Opening node security groups to the load balancers' own groups.
            Sid: "ManageIngressOfSecurityGroups",
            Effect: "Allow",
            Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
            Resource: securityGroups,
        },
        {
            Sid: "CreateSecurityGroups",
            Effect: "Allow",
            Action: "ec2:CreateSecurityGroup",
            Resource: [securityGroups, `arn:${partition}:ec2:${region}:${accountId}:vpc/*`],
        },
        {
            Sid: "TagSecurityGroupsOnCreate",
            Effect: "Allow",
            Action: "ec2:CreateTags",
            Resource: securityGroups,
            Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, Null: requestTagged },
        },
        {
            Sid: "RetagOwnSecurityGroups",
            Effect: "Allow",
            Action: ["ec2:CreateTags", "ec2:DeleteTags"],
            Resource: securityGroups,
            Condition: { Null: retaggingOwn },
        },
        {
            Sid: "ManageOwnSecurityGroups",
            Effect: "Allow",
            Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
            Resource: securityGroups,
            Condition: { Null: resourceTagged },
        },
        {
            Sid: "CreateTaggedLoadBalancers",
            Effect: "Allow",
            Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
            Resource: "*",
            Condition: { Null: requestTagged },
        },
        {
            Sid: "ManageListenersAndRules",
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:CreateRule",
                "elasticloadbalancing:DeleteRule",
            ],
            Resource: "*",
        },
        {
            Sid: "RetagOwnLoadBalancers",
            Effect: "Allow",
            Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
            Resource: balancersAndGroups,
            Condition: { Null: retaggingOwn },
        },
        {
            Sid: "TagListenersAndRules",
            Effect: "Allow",
            Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
            Resource: [elb("listener/net/*/*/*"), elb("listener/app/*/*/*"), elb("listener-rule/net/*/*/*"), elb("listener-rule/app/*/*/*")],
        },
        {
            Sid: "ModifyOwnLoadBalancers",
            Effect: "Allow",
            Action: [
                "ModifyLoadBalancerAttributes", "SetIpAddressType", "SetSecurityGroups", "SetSubnets", "DeleteLoadBalancer",
                "ModifyTargetGroup", "ModifyTargetGroupAttributes", "DeleteTargetGroup", "ModifyListenerAttributes",
                "ModifyCapacityReservation", "ModifyIpPools",
            ].map((action) => `elasticloadbalancing:${action}`),
            Resource: "*",
            Condition: { Null: resourceTagged },
        },
        {
            Sid: "TagLoadBalancersOnCreate",
            Effect: "Allow",
            Action: "elasticloadbalancing:AddTags",
            Resource: balancersAndGroups,
            Condition: {
                StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] },
                Null: requestTagged,
            },
        },
        {
            Sid: "RegisterTargets",
            Effect: "Allow",
            Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            Resource: elb("targetgroup/*/*"),
        },
        {
            Sid: "ConfigureListenersAndRules",
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
    );
}
