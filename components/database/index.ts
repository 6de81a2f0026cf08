import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logRetentionProblems } from "../cluster/validate";
import { accountAdministersKey, accountScope, logGroupKeyPolicy, policyDocument, tagger } from "../shared/aws";
import { Context, key } from "../shared/context";
import { DatabaseArgs, PostgresArgs, RedisArgs } from "./args";
import { credentialsReadPolicy } from "./policies";
import { postgres, postgresLogGroupNames, replicaIdentifier } from "./postgres";
import { REDIS_PORT, redis, redisSlowLogGroupName } from "./redis";
import { databaseNameProblems, postgresProblems, redisProblems } from "./validate";
import { definedOnly } from "../shared/defaults";
import { POSTGRES_DEFAULTS, REDIS_DEFAULTS } from "./defaults";

export { DatabaseArgs, PostgresArgs, RedisArgs } from "./args";
export { POSTGRES_DEFAULTS, REDIS_DEFAULTS } from "./defaults";

const DEFAULT_LOG_RETENTION_DAYS = 365;

/** The physical names the component derives from its own name. */
function databaseIdentifiers(name: string): { postgres: string; cache: string } {
    return { postgres: `${name}-postgres`, cache: `${name}-cache` };
}

/**
 * The application's data stores: PostgreSQL on RDS and a Redis cache on ElastiCache, in the
 * isolated subnets, reachable only from the client security groups, encrypted with their own
 * keys, TLS-only, with credentials kept by Secrets Manager, backups with point-in-time
 * recovery, logs in CloudWatch, and nothing a routine config change would replace.
 */
export class Database extends pulumi.ComponentResource {
    /** Host name of the primary PostgreSQL instance. */
    public readonly endpoint: pulumi.Output<string>;
    public readonly port: pulumi.Output<number>;
    public readonly databaseName: pulumi.Output<string>;
    /** Host names of the read replicas, in order. */
    public readonly replicaEndpoints: pulumi.Output<string[]>;
    /** RDS identifiers of the read replicas, in order (their count is known before deployment). */
    public readonly replicaIdentifiers: pulumi.Output<string>[];
    /** Secrets Manager secret with the master user's credentials, kept and rotated by RDS. */
    public readonly masterUserSecretArn: pulumi.Output<string>;
    public readonly instanceArn: pulumi.Output<string>;
    public readonly instanceIdentifier: pulumi.Output<string>;
    /** The key encrypting the database's and cache's storage, snapshots and Performance Insights. */
    public readonly kmsKeyArn: pulumi.Output<string>;
    /** The key encrypting the connection secrets. */
    public readonly credentialsKmsKeyArn: pulumi.Output<string>;
    /** Security group of the PostgreSQL instances. */
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly redisPrimaryEndpoint: pulumi.Output<string>;
    public readonly redisReaderEndpoint: pulumi.Output<string>;
    public readonly redisPort: pulumi.Output<number>;
    public readonly redisSecurityGroupId: pulumi.Output<string>;
    /** ElastiCache cluster ids of the cache's nodes (`<group>-001`, …), where its CloudWatch metrics live. */
    public readonly redisNodeIds: pulumi.Output<string>[];
    /** Secrets Manager secret with the cache's host, port and auth token (JSON). */
    public readonly redisAuthSecretArn: pulumi.Output<string>;
    /**
     * IAM policy (JSON) granting read on exactly the two connection secrets and decryption
     * with their key through Secrets Manager: attach it to the application's IRSA role.
     */
    public readonly credentialsReadPolicyJson: pulumi.Output<string>;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Database", name, {}, opts);
        const { postgres: pg, redis: cache, logRetentionDays, protectStatefulResources } = validateDatabaseArgs(name, args, this);
        const scope = accountScope(this);
        const ctx: Context = { parent: this, tags: tagger(args.tags), scope, keep: { parent: this, protect: protectStatefulResources } };
        const ids = databaseIdentifiers(name);

        const storageKey = key(`${name}-data`, `Encrypts the storage, snapshots and Performance Insights of ${ids.postgres} and ${ids.cache}`, (s) => policyDocument(accountAdministersKey(s)), ctx);
        const credentialsKey = key(`${name}-credentials`, `Encrypts the connection secrets of ${ids.postgres} and ${ids.cache}`, (s) => policyDocument(accountAdministersKey(s)), ctx);

        // RDS and ElastiCache would create these groups themselves, unencrypted and kept forever.
        const instanceIdentifiers = [ids.postgres, ...Array.from({ length: pg.readReplicaCount }, (_, i) => replicaIdentifier(ids.postgres, i + 1))];
        const postgresLogs = instanceIdentifiers.flatMap(postgresLogGroupNames);
        const slowLog = redisSlowLogGroupName(ids.cache);
        const logsKey = key(`${name}-database-logs`, `Encrypts the logs of ${ids.postgres} and ${ids.cache}`, (s) => logGroupKeyPolicy(s, [...postgresLogs, slowLog]), ctx);
        // Named "<identifier>-<log type>", which starts with the component's name.
        const logGroup = (logGroupName: string) =>
            new aws.cloudwatch.LogGroup(
                logGroupName.split("/").slice(-2).join("-"),
                { name: logGroupName, retentionInDays: logRetentionDays, kmsKeyId: logsKey.arn, tags: ctx.tags({ Name: logGroupName }) },
                ctx.keep,
            );

        const database = postgres(name, {
            ...pg,
            identifier: ids.postgres,
            vpcId: args.vpcId,
            databaseSubnetGroupName: args.databaseSubnetGroupName,
            clientSecurityGroupIds: args.clientSecurityGroupIds,
            storageKeyArn: storageKey.arn,
            credentialsKeyArn: credentialsKey.arn,
            backupTags: args.backupTags ?? {},
            logGroups: Object.fromEntries(instanceIdentifiers.map((id) => [id, postgresLogGroupNames(id).map(logGroup)])),
        }, ctx);
        const cacheGroup = redis(name, {
            ...cache,
            replicationGroupId: ids.cache,
            vpcId: args.vpcId,
            subnetIds: args.isolatedSubnetIds,
            clientSecurityGroupIds: args.clientSecurityGroupIds,
            storageKeyArn: storageKey.arn,
            credentialsKeyArn: credentialsKey.arn,
            slowLogGroup: logGroup(slowLog),
        }, ctx);

        const { instance } = database;
        this.endpoint = instance.address;
        this.port = instance.port;
        this.databaseName = instance.dbName;
        this.replicaEndpoints = pulumi.all(database.replicas.map((replica) => replica.address));
        this.replicaIdentifiers = database.replicas.map((replica) => replica.identifier);
        this.masterUserSecretArn = instance.masterUserSecrets.apply((secrets) => {
            const arn = secrets?.[0]?.secretArn;
            if (!arn) {
                throw new pulumi.ResourceError(`RDS reported no master user secret for ${ids.postgres}`, this);
            }
            return arn;
        });
        this.instanceArn = instance.arn;
        this.instanceIdentifier = instance.identifier;
        this.kmsKeyArn = storageKey.arn;
        this.credentialsKmsKeyArn = credentialsKey.arn;
        this.securityGroupId = database.securityGroup.id;
        this.redisPrimaryEndpoint = cacheGroup.replicationGroup.primaryEndpointAddress;
        this.redisReaderEndpoint = cacheGroup.replicationGroup.readerEndpointAddress;
        this.redisPort = pulumi.output(REDIS_PORT);
        this.redisSecurityGroupId = cacheGroup.securityGroup.id;
        // ElastiCache names a replication group's member clusters "<group id>-001", "-002", ….
        this.redisNodeIds = Array.from({ length: cache.nodeCount }, (_, i) =>
            cacheGroup.replicationGroup.replicationGroupId.apply((groupId) => `${groupId}-${String(i + 1).padStart(3, "0")}`),
        );
        this.redisAuthSecretArn = cacheGroup.authSecret.arn;
        this.credentialsReadPolicyJson = pulumi
            .all([this.masterUserSecretArn, this.redisAuthSecretArn, credentialsKey.arn, scope])
            .apply(([masterSecret, cacheSecret, keyArn, s]) => JSON.stringify(credentialsReadPolicy([masterSecret, cacheSecret], keyArn, s.region)));
        this.registerOutputs({
            endpoint: this.endpoint,
            port: this.port,
            databaseName: this.databaseName,
            replicaEndpoints: this.replicaEndpoints,
            replicaIdentifiers: this.replicaIdentifiers,
            masterUserSecretArn: this.masterUserSecretArn,
            instanceArn: this.instanceArn,
            instanceIdentifier: this.instanceIdentifier,
            kmsKeyArn: this.kmsKeyArn,
            credentialsKmsKeyArn: this.credentialsKmsKeyArn,
            securityGroupId: this.securityGroupId,
            redisPrimaryEndpoint: this.redisPrimaryEndpoint,
            redisReaderEndpoint: this.redisReaderEndpoint,
            redisPort: this.redisPort,
            redisSecurityGroupId: this.redisSecurityGroupId,
            redisNodeIds: this.redisNodeIds,
            redisAuthSecretArn: this.redisAuthSecretArn,
            credentialsReadPolicyJson: this.credentialsReadPolicyJson,
        });
    }
}

interface DatabaseSettings {
    postgres: Required<PostgresArgs>;
    redis: Required<RedisArgs>;
    logRetentionDays: number;
    protectStatefulResources: boolean;
}

/** Fills defaults and rejects bad arguments before any resource is created. */
function validateDatabaseArgs(name: string, args: DatabaseArgs, resource: pulumi.Resource): DatabaseSettings {
    const settings: DatabaseSettings = {
        postgres: { ...POSTGRES_DEFAULTS, ...definedOnly(args.postgres) },
        redis: { ...REDIS_DEFAULTS, ...definedOnly(args.redis) },
        logRetentionDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
        protectStatefulResources: args.protectStatefulResources ?? false,
    };
    const problems = [
        ...databaseNameProblems(name, "name"),
        ...postgresProblems(settings.postgres, "postgres"),
        ...redisProblems(settings.redis, "redis"),
        ...logRetentionProblems(settings.logRetentionDays, "logRetentionDays"),
    ];
    if (args.clientSecurityGroupIds.length === 0) {
        problems.push("clientSecurityGroupIds: got []; expected at least one security group whose members connect (the cluster's nodes)");
    }
    if (problems.length > 0) {
        throw new pulumi.ResourceError(`invalid Database arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`, resource);
    }
    return settings;
}
