/**
 * Tagging: every AWS resource that takes tags carries the ones cost allocation, ownership and
 * clean-up depend on. Tags set on the provider (`defaultTags`) count.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { fix } from "./util";

const DEFAULT_REQUIRED_TAGS = ["environment", "project", "managed-by"];

/**
 * AWS resource types that take no `tags` input (as of @pulumi/aws 7.48.0): attachments,
 * associations, policies, rules and routes that live inside a taggable parent. The rule skips
 * them; a test checks each against the provider's type definitions.
 */
export const UNTAGGABLE_AWS_TYPES: ReadonlySet<string> = new Set([
    // Networking.
    "aws:ec2/route:Route",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:ec2/networkAclRule:NetworkAclRule",
    "aws:ec2/networkAclAssociation:NetworkAclAssociation",
    "aws:ec2/eipAssociation:EipAssociation",
    "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment",
    "aws:ec2/natGatewayEipAssociation:NatGatewayEipAssociation",
    "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation",
    "aws:ec2/vpcEndpointSubnetAssociation:VpcEndpointSubnetAssociation",
    "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy",
    "aws:ec2/vpcDhcpOptionsAssociation:VpcDhcpOptionsAssociation",
    "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
    "aws:ec2/vpcIpv6CidrBlockAssociation:VpcIpv6CidrBlockAssociation",
    "aws:ec2/vpnGatewayAttachment:VpnGatewayAttachment",
    "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
    "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry",
    "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment",
    "aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment",
    "aws:ec2/volumeAttachment:VolumeAttachment",
    "aws:ec2/tag:Tag",
    // Account-wide EC2 and EBS settings.
    "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults",
    "aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess",
    "aws:ec2/serialConsoleAccess:SerialConsoleAccess",
    "aws:ebs/encryptionByDefault:EncryptionByDefault",
    "aws:ebs/defaultKmsKey:DefaultKmsKey",
    "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess",
    // EKS.
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    // IAM.
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    "aws:iam/policyAttachment:PolicyAttachment",
    "aws:iam/group:Group",
    "aws:iam/groupPolicy:GroupPolicy",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/groupMembership:GroupMembership",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/userGroupMembership:UserGroupMembership",
    "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
    "aws:iam/accountAlias:AccountAlias",
    // KMS.
    "aws:kms/alias:Alias",
    "aws:kms/grant:Grant",
    "aws:kms/keyPolicy:KeyPolicy",
    // S3: the bucket is tagged, its configuration resources are not.
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketAcl:BucketAcl",
    "aws:s3/bucketAclV2:BucketAclV2",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketLogging:BucketLogging",
    "aws:s3/bucketLoggingV2:BucketLoggingV2",
    "aws:s3/bucketNotification:BucketNotification",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
    "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
    "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2",
    "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration",
    "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2",
    "aws:s3/bucketIntelligentTieringConfiguration:BucketIntelligentTieringConfiguration",
    "aws:s3/inventory:Inventory",
    // RDS.
    "aws:rds/clusterRoleAssociation:ClusterRoleAssociation",
    "aws:rds/roleAssociation:RoleAssociation",
    "aws:rds/proxyTarget:ProxyTarget",
    "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup",
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    // CloudWatch.
    "aws:cloudwatch/logStream:LogStream",
    "aws:cloudwatch/logMetricFilter:LogMetricFilter",
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
    "aws:cloudwatch/logDataProtectionPolicy:LogDataProtectionPolicy",
    "aws:cloudwatch/dashboard:Dashboard",
    "aws:cloudwatch/eventTarget:EventTarget",
    "aws:cloudwatch/eventPermission:EventPermission",
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
    "aws:cloudwatch/queryDefinition:QueryDefinition",
    // ECR.
    "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    "aws:ecr/repositoryPolicy:RepositoryPolicy",
    "aws:ecr/registryPolicy:RegistryPolicy",
    "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration",
    "aws:ecr/replicationConfiguration:ReplicationConfiguration",
    "aws:ecr/pullThroughCacheRule:PullThroughCacheRule",
    // DNS, certificates, load balancers.
    "aws:route53/record:Record",
    "aws:route53/zoneAssociation:ZoneAssociation",
    "aws:route53/queryLog:QueryLog",
    "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec",
    "aws:route53/keySigningKey:KeySigningKey",
    "aws:acm/certificateValidation:CertificateValidation",
    "aws:lb/listenerCertificate:ListenerCertificate",
    "aws:lb/targetGroupAttachment:TargetGroupAttachment",
    "aws:wafv2/webAclAssociation:WebAclAssociation",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    // Secrets, messaging.
    "aws:secretsmanager/secretPolicy:SecretPolicy",
    "aws:secretsmanager/secretRotation:SecretRotation",
    "aws:secretsmanager/secretVersion:SecretVersion",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:sns/topicSubscription:TopicSubscription",
    "aws:sqs/queuePolicy:QueuePolicy",
    "aws:sqs/redrivePolicy:RedrivePolicy",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
    // Storage, backup, scaling, compute.
    "aws:efs/mountTarget:MountTarget",
    "aws:efs/backupPolicy:BackupPolicy",
    "aws:efs/fileSystemPolicy:FileSystemPolicy",
    "aws:backup/selection:Selection",
    "aws:backup/restoreTestingSelection:RestoreTestingSelection",
    "aws:backup/vaultPolicy:VaultPolicy",
    "aws:backup/vaultNotifications:VaultNotifications",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    "aws:backup/regionSettings:RegionSettings",
    "aws:backup/globalSettings:GlobalSettings",
    "aws:autoscaling/attachment:Attachment",
    "aws:autoscaling/lifecycleHook:LifecycleHook",
    "aws:autoscaling/policy:Policy",
    "aws:autoscaling/schedule:Schedule",
    "aws:autoscaling/tag:Tag",
    "aws:appautoscaling/policy:Policy",
    "aws:appautoscaling/scheduledAction:ScheduledAction",
    "aws:lambda/permission:Permission",
    "aws:lambda/alias:Alias",
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    "aws:lambda/layerVersion:LayerVersion",
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    "aws:ecs/accountSettingDefault:AccountSettingDefault",
    "aws:elasticache/userGroupAssociation:UserGroupAssociation",
]);

interface TagConfig {
    requiredTags: string[];
}

/** Tags as a key-value map, whether given as a map or as ASG-style [{ key, value }] entries. */
function tagMap(value: unknown): Record<string, unknown> {
    if (Array.isArray(value)) {
        return Object.fromEntries(
            (value as Array<{ key?: unknown; value?: unknown }>).filter((t) => typeof t?.key === "string").map((t) => [t.key as string, t.value]),
        );
    }
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

function hasValue(tags: Record<string, unknown>, key: string): boolean {
    const value = tags[key];
    return typeof value === "string" ? value.trim() !== "" : value !== undefined && value !== null;
}

export const awsRequiredTags: ResourceValidationPolicy = {
    name: "aws-required-tags",
    description:
        "Every AWS resource that takes tags carries the requiredTags (non-empty), on the resource or through its provider's defaultTags. " +
        "Resources that take no tags (routes, associations, attachments, policies) are skipped by an explicit list.",
    enforcementLevel: "mandatory",
    severity: "low",
    configSchema: {
        properties: {
            requiredTags: {
                type: "array",
                items: { type: "string", minLength: 1 },
                uniqueItems: true,
                default: DEFAULT_REQUIRED_TAGS,
                description: "Tag keys every taggable AWS resource must carry with a non-empty value.",
            },
        },
    },
    validateResource: (args, report) => {
        // Providers are pulumi:providers:aws, not AWS resources.
        if (!args.type.startsWith("aws:") || UNTAGGABLE_AWS_TYPES.has(args.type)) {
            return;
        }
        const required = args.getConfig<Partial<TagConfig>>().requiredTags ?? DEFAULT_REQUIRED_TAGS;
        const providerTags = tagMap((args.provider?.props.defaultTags as { tags?: unknown } | undefined)?.tags);
        const tags = { ...providerTags, ...tagMap(args.props.tags) };
        const missing = required.filter((key) => !hasValue(tags, key));
        if (missing.length > 0) {
            report(
                fix(
                    `Missing required tag(s): ${missing.join(", ")}.`,
                    `add ${missing.map((k) => `"${k}"`).join(", ")} to the resource's tags (the components merge the stack's tags into every resource), or to the provider's defaultTags.`,
                ),
            );
        }
    },
};

export const tagPolicies = [awsRequiredTags];
