/**
 * The application's cache: a Redis OSS replication group on ElastiCache (cluster mode off),
 * TLS-only behind a generated auth token that the application reads from Secrets Manager.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Context } from "../shared/context";
import { clientOnlySecurityGroup } from "./clients";
import { RedisArgs } from "./args";

export const REDIS_PORT = 6379;

/** The log group ElastiCache delivers the slow log to. */
export function redisSlowLogGroupName(replicationGroupId: string): string {
    return `/aws/elasticache/${replicationGroupId}/slow-log`;
}

export interface RedisSettings extends Required<RedisArgs> {
    replicationGroupId: string;
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    clientSecurityGroupIds: pulumi.Input<string>[];
    /** Encrypts the data at rest and the snapshots. */
    storageKeyArn: pulumi.Input<string>;
    /** Encrypts the secret holding the auth token. */
    credentialsKeyArn: pulumi.Input<string>;
    slowLogGroup: aws.cloudwatch.LogGroup;
}

export interface Redis {
    replicationGroup: aws.elasticache.ReplicationGroup;
    securityGroup: aws.ec2.SecurityGroup;
    /** Secrets Manager secret: `{ host, port, authToken, tls }`. */
    authSecret: aws.secretsmanager.Secret;
}

export function redis(name: string, settings: RedisSettings, ctx: Context): Redis {
    const { parent, tags, keep } = ctx;
    const securityGroup = clientOnlySecurityGroup(
        `${name}-cache`,
        { vpcId: settings.vpcId, service: `Redis ${settings.replicationGroupId}`, port: REDIS_PORT, clientSecurityGroupIds: settings.clientSecurityGroupIds },
        ctx,
    );

    const subnetGroup = new aws.elasticache.SubnetGroup(
        `${name}-cache`,
        { description: `Isolated subnets of cache ${settings.replicationGroupId}`, subnetIds: settings.subnetIds, tags: tags({ Name: `${name}-cache` }) },
        { parent },
    );

    // ElastiCache allows printable characters except a few; letters and digits need no escaping
    // anywhere the token travels, and 64 of them carry over 380 bits.
    const authToken = new random.RandomPassword(`${name}-cache-auth`, { length: 64, special: false }, { parent });

    const replicationGroup = new aws.elasticache.ReplicationGroup(
        `${name}-cache`,
        {
            replicationGroupId: settings.replicationGroupId,
            description: `Application cache of ${name}`,
            engine: "redis",
            engineVersion: settings.engineVersion,
            nodeType: settings.nodeType,
            numCacheClusters: settings.nodeCount,
            port: REDIS_PORT,
            subnetGroupName: subnetGroup.name,
            securityGroupIds: [securityGroup.id],
            atRestEncryptionEnabled: true,
            kmsKeyId: settings.storageKeyArn,
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            authToken: authToken.result,
            automaticFailoverEnabled: settings.multiAz,
            multiAzEnabled: settings.multiAz,
            snapshotRetentionLimit: settings.snapshotRetentionDays,
            snapshotWindow: settings.snapshotWindow,
            maintenanceWindow: settings.maintenanceWindow,
            finalSnapshotIdentifier: settings.finalSnapshot ? `${settings.replicationGroupId}-final` : undefined,
            autoMinorVersionUpgrade: true,
            applyImmediately: settings.applyImmediately,
            logDeliveryConfigurations: [
                { destination: settings.slowLogGroup.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
            ],
            tags: tags({ Name: settings.replicationGroupId }),
        },
        { ...keep, dependsOn: [settings.slowLogGroup] },
    );

    const authSecret = new aws.secretsmanager.Secret(
        `${name}-cache-auth`,
        {
            description: `Connection to cache ${settings.replicationGroupId}: host, port, auth token`,
            kmsKeyId: settings.credentialsKeyArn,
            // A deleted secret can be restored for 30 days.
            recoveryWindowInDays: 30,
            tags: tags({ Name: `${name}-cache-auth` }),
        },
        keep,
    );
    new aws.secretsmanager.SecretVersion(
        `${name}-cache-auth`,
        {
            secretId: authSecret.id,
            secretString: pulumi.secret(
                pulumi
                    .all([replicationGroup.primaryEndpointAddress, authToken.result])
                    .apply(([host, token]) => JSON.stringify({ host, port: REDIS_PORT, authToken: token, tls: true })),
            ),
        },
        { parent },
    );

    return { replicationGroup, securityGroup, authSecret };
}
