/**
 * What every component needs of AWS in common: the account it runs in, IAM policy documents
 * as plain data (so statements are unit-tested without Pulumi), and tag merging.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AccountScope {
    partition: string;
    region: string;
    accountId: string;
}

export interface PolicyStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal?: { AWS?: string | string[]; Service?: string | string[]; Federated?: string };
    Action: string | string[];
    /** Absent in trust policies, where IAM rejects it. */
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/** The account, region and partition the component is deployed to, from the provider's credentials (another region's with `provider`). */
export function accountScope(parent: pulumi.Resource, provider?: pulumi.ProviderResource): pulumi.Output<AccountScope> {
    const identity = aws.getCallerIdentityOutput({}, { parent, provider });
    const partition = aws.getPartitionOutput({}, { parent, provider });
    const region = aws.getRegionOutput({}, { parent, provider });
    return pulumi
        .all([partition.partition, region.region, identity.accountId])
        .apply(([partitionName, regionName, accountId]) => ({ partition: partitionName, region: regionName, accountId }));
}

/** A trust policy letting one AWS service assume the role, on behalf of this account only (no confused deputy). */
export function serviceTrustPolicy(service: string, scope: AccountScope): PolicyDocument {
    return policyDocument({
        Sid: "ServiceOfThisAccount",
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": scope.accountId } },
    });
}

export function logGroupArn(scope: AccountScope, logGroupName: string): string {
    return `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${logGroupName}`;
}

/** ARN of an AWS-managed IAM policy, e.g. `AmazonEKSClusterPolicy` or `service-role/…`. */
export function managedPolicyArn(partition: string, policyPath: string): string {
    return `arn:${partition}:iam::aws:policy/${policyPath}`;
}

/**
 * The key-policy statement that leaves a key administered through IAM by the account,
 * as AWS's default key policy does; without it nobody could ever change the key again.
 */
export function accountAdministersKey(scope: AccountScope): PolicyStatement {
    return {
        Sid: "AccountAdministersKeyThroughIam",
        Effect: "Allow",
        Principal: { AWS: `arn:${scope.partition}:iam::${scope.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
    };
}

/**
 * Key policy of a key that encrypts CloudWatch Logs groups: the account administers it, and
 * CloudWatch Logs may use it only for the log groups named here.
 */
export function logGroupKeyPolicy(scope: AccountScope, logGroupName: string | string[]): PolicyDocument {
    const names = typeof logGroupName === "string" ? [logGroupName] : logGroupName;
    return policyDocument(accountAdministersKey(scope), {
        Sid: names.length === 1 ? "CloudWatchLogsEncryptsOneLogGroup" : "CloudWatchLogsEncryptsTheseLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${scope.region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: {
            // A list here means any of them: IAM ORs the values of one condition key.
            ArnEquals: { "kms:EncryptionContext:aws:logs:arn": names.length === 1 ? logGroupArn(scope, names[0]) : names.map((n) => logGroupArn(scope, n)) },
        },
    });
}

export type Tagger = (own: Record<string, string>) => pulumi.Output<Record<string, string>>;

/** Tags for one resource: the common tags with the resource's own (its `Name`) on top. */
export function tagger(common: pulumi.Input<{ [key: string]: pulumi.Input<string> }> | undefined): Tagger {
    return (own) => pulumi.output(common ?? {}).apply((tags) => ({ ...tags, ...own }));
}
