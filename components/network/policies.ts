/**
 * IAM policy documents of the network's flow logs: pure functions of plain strings, so the
 * exact statements are unit-tested without Pulumi.
 */
import { AccountScope, PolicyDocument, logGroupArn } from "../shared/aws";

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
