import * as pulumi from "@pulumi/pulumi";

export interface PostgresArgs {
    /** Major version of PostgreSQL; RDS picks the newest minor and upgrades minors in the maintenance window. */
    majorVersion: string;
    /** Instance class, e.g. `db.r7g.large`. */
    instanceClass: string;
    /** Storage at creation; grows by itself up to `maxAllocatedStorageGiB` and never shrinks. */
    allocatedStorageGiB: number;
    /** Ceiling of storage autoscaling. Must be above `allocatedStorageGiB`. */
    maxAllocatedStorageGiB: number;
    /** A synchronous standby in a second zone, with automatic failover. @default false */
    multiAz?: boolean;
    /** Read replicas in the same region, each a copy of the primary's data (0-5). @default 0 */
    readReplicaCount?: number;
    /** Name of the database created on the instance. @default "app" */
    databaseName?: string;
    /** Master user; its password is generated, kept and rotated by RDS in Secrets Manager. @default "platform_admin" */
    masterUsername?: string;
    /** Days of automated backups and point-in-time recovery (1-35). @default 7 */
    backupRetentionDays?: number;
    /** Daily backup window, UTC, `hh:mm-hh:mm`, at least 30 minutes. @default "03:00-04:00" */
    backupWindow?: string;
    /** Weekly maintenance window, UTC, `ddd:hh:mm-ddd:hh:mm`, at least 30 minutes, clear of the backup window. @default "sun:05:00-sun:06:00" */
    maintenanceWindow?: string;
    /** Refuse deletion at the AWS API. @default true */
    deletionProtection?: boolean;
    /** Take a final snapshot (named after the instance, not the time) when the instance is deleted. @default true */
    finalSnapshot?: boolean;
    /** Performance Insights, encrypted with the database's key. @default true */
    performanceInsights?: boolean;
    /** Days of Performance Insights history: 7, a multiple of 31, or 731. @default 7 */
    performanceInsightsRetentionDays?: number;
    /** Enhanced monitoring interval: 0 (off), 1, 5, 10, 15, 30 or 60. @default 60 */
    monitoringIntervalSeconds?: number;
    /** Statements slower than this are logged (`log_min_duration_statement`). @default 1000 */
    slowQueryThresholdMs?: number;
    /** Apply modifications now rather than in the next maintenance window. @default false */
    applyImmediately?: boolean;
}

export interface RedisArgs {
    /** Redis OSS engine version, `major.minor` (7.0 or 7.1). */
    engineVersion: string;
    /** Node type, e.g. `cache.r7g.large`. */
    nodeType: string;
    /** Nodes in the replication group: one primary and the rest replicas (1-6). */
    nodeCount: number;
    /** Automatic failover to a replica in another zone; needs at least two nodes. @default false */
    multiAz?: boolean;
    /** Days of daily snapshots to keep (0 turns them off, at most 35). @default 7 */
    snapshotRetentionDays?: number;
    /** Daily snapshot window, UTC, `hh:mm-hh:mm`, at least 60 minutes. @default "04:00-05:00" */
    snapshotWindow?: string;
    /** Weekly maintenance window, UTC, `ddd:hh:mm-ddd:hh:mm`, at least 60 minutes, clear of the snapshot window. @default "sun:06:00-sun:07:00" */
    maintenanceWindow?: string;
    /** Take a final snapshot when the replication group is deleted. @default true */
    finalSnapshot?: boolean;
    /** Apply modifications now rather than in the next maintenance window. @default false */
    applyImmediately?: boolean;
}

export interface DatabaseArgs {
    vpcId: pulumi.Input<string>;
    /** RDS subnet group over the isolated subnets (the Network's `databaseSubnetGroupName`). */
    databaseSubnetGroupName: pulumi.Input<string>;
    /** Isolated subnets, for the cache's own subnet group. */
    isolatedSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Security groups whose members may connect (the cluster's nodes): 5432 and 6379 from these only. */
    clientSecurityGroupIds: pulumi.Input<string>[];
    postgres: PostgresArgs;
    redis: RedisArgs;
    /** Tags that select the primary PostgreSQL instance into a backup plan (the Backup component's `selectionTags`). @default {} */
    backupTags?: { [key: string]: string };
    /** Days to keep the database's and cache's logs; one of the values CloudWatch Logs accepts. @default 365 */
    logRetentionDays?: number;
    /**
     * Protect the resources that hold data (instances, cache, keys, secrets, log groups)
     * against deletion with Pulumi's `protect`. @default false
     */
    protectStatefulResources?: boolean;
    /** Tags for every taggable resource, merged under each resource's own `Name`. @default {} */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}
