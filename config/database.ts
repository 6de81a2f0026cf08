/** `platform:database`: PostgreSQL on RDS and the Redis cache on ElastiCache. */
import { z } from "zod";
import { PostgresArgs, RedisArgs } from "../components/database/args";
import { POSTGRES_DEFAULTS, REDIS_DEFAULTS } from "../components/database/defaults";
import { SUPPORTED_POSTGRES_MAJOR_VERSIONS, SUPPORTED_REDIS_VERSIONS, postgresProblems, redisProblems } from "../components/database/validate";
import { logRetentionProblems } from "../components/cluster/validate";
import { byEnvironment } from "./environment";

export interface DatabaseConfig {
    /** PostgreSQL on RDS; every setting is required here because the profile supplies it. */
    postgres: Required<PostgresArgs>;
    /** The Redis cache on ElastiCache. */
    redis: Required<RedisArgs>;
    /** Days to keep the database's and cache's logs. */
    logRetentionDays: number;
}

const either = (values: readonly string[]) => values.map((v) => `"${v}"`).join(" or ");

// Types and key names only: components/database/validate.ts checks the values.
export const databaseSchema = z.strictObject({
    postgres: z
        .strictObject({
            majorVersion: z.string().describe(`PostgreSQL major version, ${either(SUPPORTED_POSTGRES_MAJOR_VERSIONS)}; RDS upgrades minors in the maintenance window. Raising it upgrades in place.`),
            instanceClass: z.string().describe("The RDS instance class, `db.<family>.<size>`."),
            allocatedStorageGiB: z.int().describe("gp3 storage, 20-65536 GiB; storage never shrinks, so lowering it fails at AWS."),
            maxAllocatedStorageGiB: z.int().describe("Storage autoscaling's ceiling, above `allocatedStorageGiB`."),
            multiAz: z.boolean().describe("A synchronous standby in another zone."),
            readReplicaCount: z.int().describe("Same-region read replicas, 0-5."),
            databaseName: z.string().describe("The database created at launch: a lower-case letter, then letters, digits and `_`; fixed at creation."),
            masterUsername: z.string().describe("The master user (its password is kept by Secrets Manager); fixed at creation."),
            backupRetentionDays: z.int().describe("Days of automated backups and point-in-time recovery, 1-35."),
            backupWindow: z.string().describe("Daily UTC backup window `hh:mm-hh:mm`, 30 minutes or more."),
            maintenanceWindow: z.string().describe("Weekly UTC window `ddd:hh:mm-ddd:hh:mm`, 30 minutes or more, apart from `backupWindow`."),
            deletionProtection: z.boolean().describe("RDS refuses `DeleteDBInstance` while on."),
            finalSnapshot: z.boolean().describe("Deleting the instance leaves the snapshot `<identifier>-final`."),
            performanceInsights: z.boolean().describe("Performance Insights, encrypted with the database's key."),
            performanceInsightsRetentionDays: z.int().describe("7, a multiple of 31 up to 713, or 731."),
            monitoringIntervalSeconds: z.int().describe("Enhanced monitoring interval: 0 (off), 1, 5, 10, 15, 30 or 60."),
            slowQueryThresholdMs: z.int().describe("`log_min_duration_statement`: at least 1, or -1 for off."),
            applyImmediately: z.boolean().describe("Apply modifications now instead of in the maintenance window."),
        })
        .describe("RDS for PostgreSQL in the isolated subnets."),
    redis: z
        .strictObject({
            engineVersion: z.string().describe(`Redis OSS version, ${either(SUPPORTED_REDIS_VERSIONS)}.`),
            nodeType: z.string().describe("The ElastiCache node type, `cache.<family>.<size>`."),
            nodeCount: z.int().describe("A primary and its replicas, 1-6."),
            multiAz: z.boolean().describe("Automatic failover across zones; needs 2 nodes or more."),
            snapshotRetentionDays: z.int().describe("Days of daily snapshots, 0-35 (0: none)."),
            snapshotWindow: z.string().describe("Daily UTC snapshot window `hh:mm-hh:mm`, 60 minutes or more."),
            maintenanceWindow: z.string().describe("Weekly UTC window `ddd:hh:mm-ddd:hh:mm`, 60 minutes or more, apart from `snapshotWindow`."),
            finalSnapshot: z.boolean().describe("Deleting the cache leaves the snapshot `<id>-final`."),
            applyImmediately: z.boolean().describe("Apply modifications now instead of in the maintenance window."),
        })
        .describe("ElastiCache for Redis OSS, cluster mode off."),
    logRetentionDays: z.int().describe("Days CloudWatch Logs keeps the PostgreSQL and Redis logs; a retention CloudWatch accepts."),
}).describe("PostgreSQL on RDS and the Redis cache on ElastiCache, in the isolated subnets.");

/** The component's own defaults are the base: the tiers differ in size, safety and history. */
export const DATABASE_PROFILES = byEnvironment<DatabaseConfig>(
    {
        postgres: {
            ...POSTGRES_DEFAULTS,
            majorVersion: SUPPORTED_POSTGRES_MAJOR_VERSIONS[0],
            instanceClass: "db.r7g.large",
            allocatedStorageGiB: 50,
            maxAllocatedStorageGiB: 200,
            backupRetentionDays: 14,
            applyImmediately: true,
        },
        redis: { ...REDIS_DEFAULTS, engineVersion: SUPPORTED_REDIS_VERSIONS[0], nodeType: "cache.t4g.medium", nodeCount: 1, applyImmediately: true },
        logRetentionDays: 90,
    },
    {
        dev: {
            postgres: {
                instanceClass: "db.t4g.medium",
                allocatedStorageGiB: 20,
                maxAllocatedStorageGiB: 100,
                backupRetentionDays: 7,
                deletionProtection: false,
                finalSnapshot: false,
                performanceInsights: false,
                monitoringIntervalSeconds: 0,
            },
            redis: { nodeType: "cache.t4g.small", snapshotRetentionDays: 1, finalSnapshot: false },
            logRetentionDays: 30,
        },
        staging: {},
        prod: {
            postgres: {
                instanceClass: "db.r7g.xlarge",
                allocatedStorageGiB: 100,
                maxAllocatedStorageGiB: 1000,
                multiAz: true,
                backupRetentionDays: 30,
                monitoringIntervalSeconds: 15,
                // Changes wait for the maintenance window, not for whoever runs `pulumi up`.
                applyImmediately: false,
            },
            // A node per zone: a zone's loss promotes a replica in another.
            redis: { nodeType: "cache.r7g.large", nodeCount: 3, multiAz: true, snapshotRetentionDays: 14, applyImmediately: false },
            logRetentionDays: 365,
        },
    },
);

/** What the database component would reject, said in the stack file's terms. */
export function databaseProblems(database: DatabaseConfig, key: string): string[] {
    return [
        ...postgresProblems(database.postgres, `${key}.postgres`),
        ...redisProblems(database.redis, `${key}.redis`),
        ...logRetentionProblems(database.logRetentionDays, `${key}.logRetentionDays`),
    ];
}
