/**
 * IAM and resource policies of the observability stack: pure functions of plain strings,
 * unit-tested without Pulumi.
 */
import { AccountScope, PolicyDocument, accountAdministersKey, policyDocument } from "../shared/aws";

/** Loki's service-account role: the objects of its one bucket, through its one key. */
export function logStorePolicy(bucketArn: string, keyArn: string, region: string): PolicyDocument {
    return policyDocument(
        { Sid: "ListLogBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
        { Sid: "ReadWriteLogObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${bucketArn}/*` },
        {
            Sid: "UseLogKeyThroughS3",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: keyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
        },
    );
}

/** Alertmanager's service-account role: publish to the alert topic, encrypting with its key. */
export function alertPublishPolicy(topicArn: string, keyArn: string, region: string): PolicyDocument {
    return policyDocument(
        { Sid: "PublishAlerts", Effect: "Allow", Action: "sns:Publish", Resource: topicArn },
        {
            Sid: "EncryptAlertsThroughSns",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: keyArn,
            Condition: { StringEquals: { "kms:ViaService": `sns.${region}.amazonaws.com` } },
        },
    );
}

/**
 * Key policy of the alert topic's key: the account administers it, and CloudWatch may use it
 * to publish this account's alarms (an encrypted topic drops what CloudWatch cannot encrypt).
 */
export function alertKeyPolicy(scope: AccountScope): PolicyDocument {
    return policyDocument(accountAdministersKey(scope), {
        Sid: "CloudWatchAlarmsEncryptForThisAccount",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": scope.accountId } },
    });
}

/** Topic policy: this account's CloudWatch alarms may publish; nothing reaches it without TLS. */
export function alertTopicPolicy(topicArn: string, scope: AccountScope): PolicyDocument {
    return policyDocument(
        {
            Sid: "CloudWatchAlarmsOfThisAccountPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: {
                StringEquals: { "aws:SourceAccount": scope.accountId },
                ArnLike: { "aws:SourceArn": `arn:${scope.partition}:cloudwatch:${scope.region}:${scope.accountId}:alarm:*` },
            },
        },
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
    );
}
