/**
 * IAM policy documents of the database: pure functions of plain strings, unit-tested without Pulumi.
 */
import { AccountScope, PolicyDocument, managedPolicyArn, policyDocument } from "../shared/aws";

/**
 * Trust policy of the enhanced-monitoring role: RDS's monitoring service, and only on behalf
 * of this account's instances (so no other account's RDS can be made to use the role).
 */
export function monitoringTrustPolicy(scope: AccountScope): PolicyDocument {
    return policyDocument({
        Sid: "RdsMonitoringAssumesRoleForThisAccount",
        Effect: "Allow",
        Principal: { Service: "monitoring.rds.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": scope.accountId } },
    });
}

/** The AWS-managed policy that lets enhanced monitoring write its metrics to CloudWatch Logs. */
export function monitoringPolicyArn(scope: AccountScope): string {
    return managedPolicyArn(scope.partition, "service-role/AmazonRDSEnhancedMonitoringRole");
}

/**
 * What the application needs to connect: read exactly these secrets, and decrypt them with
 * their key only when Secrets Manager asks on its behalf (the key cannot be used directly).
 */
export function credentialsReadPolicy(secretArns: string[], keyArn: string, region: string): PolicyDocument {
    return policyDocument(
        {
            Sid: "ReadConnectionSecrets",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            Resource: secretArns,
        },
        {
            Sid: "DecryptConnectionSecretsThroughSecretsManager",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: keyArn,
            Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
        },
    );
}
