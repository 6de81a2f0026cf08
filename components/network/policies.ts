/**
 * IAM and KMS policy documents of the network: pure functions of plain strings, so the
 * exact statements are unit-tested without Pulumi.
 */

export interface AccountScope {
    partition: string;
    region: string;
    accountId: string;
}

export interface PolicyStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal?: { AWS?: string; Service?: string };
    Action: string | string[];
    /** Absent in trust policies, where IAM rejects it. */
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

function logGroupArn(scope: AccountScope, logGroupName: string): string {
    return `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${logGroupName}`;
}

/**
 * Key policy of the flow-log key: the account administers it through IAM, and CloudWatch
 * Logs may use it only for the one log group named here.
 */
export function flowLogKeyPolicy(scope: AccountScope, logGroupName: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministersKeyThroughIam",
                Effect: "Allow",
                Principal: { AWS: `arn:${scope.partition}:iam::${scope.accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "CloudWatchLogsEncryptsFlowLogGroup",
                Effect: "Allow",
                Principal: { Service: `logs.${scope.region}.amazonaws.com` },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                Resource: "*",
                Condition: {
                    ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn(scope, logGroupName) },
                },
            },
        ],
    };
}

/** Trust policy of the flow-log role: only the VPC Flow Logs service, for this account's flow logs. */
export function flowLogTrustPolicy(scope: AccountScope): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "VpcFlowLogsAssumesRole",
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": scope.accountId },
                    ArnLike: { "aws:SourceArn": `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:vpc-flow-log/*` },
                },
            },
        ],
    };
}

/** Permissions of the flow-log role: write streams of its own log group, nothing else. */
export function flowLogWritePolicy(scope: AccountScope, logGroupName: string): PolicyDocument {
    const group = logGroupArn(scope, logGroupName);
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "WriteFlowLogStreams",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [group, `${group}:log-stream:*`],
            },
        ],
    };
}
