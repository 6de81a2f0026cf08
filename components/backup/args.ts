import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** How often a backup runs; the schedule expressions follow from it. */
export enum BackupFrequency {
    Hourly = "hourly",
    Daily = "daily",
    Weekly = "weekly",
    Monthly = "monthly",
}

/**
 * Who may shorten what a vault keeps. Governance: only principals allowed
 * `backup:DeleteBackupVaultLockConfiguration` can lift the lock. Compliance: after the grace
 * period nobody can, not even the account's root user, and the vault cannot be deleted.
 */
export enum VaultLockMode {
    None = "none",
    Governance = "governance",
    Compliance = "compliance",
}

/** What a Velero schedule backs up. */
export enum VeleroScope {
    /** The application namespaces, with their volumes. */
    ApplicationNamespaces = "applicationNamespaces",
    /** Every namespace and the cluster-scoped objects. */
    Cluster = "cluster",
}

/** The loss the exported recovery objectives are computed against. */
export enum RecoveryScenario {
    /** The primary region is gone: recovery runs in the DR region from what was copied there. */
    RegionLoss = "regionLoss",
    /** Nothing reaches another region: the objectives hold only for the loss of the database, in its region. */
    DatabaseLoss = "databaseLoss",
}

export interface BackupRuleArgs {
    /** Rule name in the plan: letters, digits, `-`, `_`, `.`. */
    name: string;
    frequency: BackupFrequency;
    /** Hour (UTC) daily, weekly and monthly rules start at; hourly rules start every hour. @default 7 */
    startHourUtc?: number;
    /** Days a recovery point stays in the primary vault. */
    retentionDays: number;
    /** Days its copy stays in the DR vault; omit (or 0) to keep no copy there. @default no copy */
    drCopyRetentionDays?: number;
}

export interface BackupPlanArgs {
    rules: BackupRuleArgs[];
    /** Minutes after the scheduled time a job may still start (AWS Backup's minimum is 60). @default 60 */
    startWindowMinutes?: number;
    /** Minutes a started job may run before AWS Backup cancels it. @default 180 */
    completionWindowMinutes?: number;
}

export interface VaultLockArgs {
    /** @default VaultLockMode.None */
    mode?: VaultLockMode;
    /** Shortest retention a recovery point in the vault may have. @default 1 */
    minRetentionDays?: number;
    /** Longest retention a recovery point in the vault may have. @default 365 */
    maxRetentionDays?: number;
    /** Compliance mode only: days (3 or more) during which the lock can still be removed. @default 3 */
    complianceGraceDays?: number;
}

export interface DatabaseReplicationArgs {
    /** Replicate the database's automated backups (snapshots and transaction logs) to the DR region, for point-in-time recovery there. */
    enabled: boolean;
    /** Days of point-in-time recovery the DR region keeps (1-35). @default 7 */
    retentionDays?: number;
}

export interface RestoreTestingArgs {
    /** Let AWS Backup restore the database's latest recovery point on a schedule, then delete the restored instance. */
    enabled: boolean;
    /** @default BackupFrequency.Monthly */
    frequency?: BackupFrequency;
    /** Hour (UTC) the restore test starts. @default 9 */
    startHourUtc?: number;
    /** Hours the restored instance is kept for validation before AWS Backup deletes it (0-168). @default 4 */
    validationWindowHours?: number;
}

export interface VeleroScheduleArgs {
    /** The Schedule's name (a DNS label). */
    name: string;
    scope: VeleroScope;
    frequency: BackupFrequency;
    /** Hour (UTC) daily, weekly and monthly schedules run at. @default 2 */
    startHourUtc?: number;
    /** Days Velero keeps each backup (its TTL) before deleting it and its volume snapshots. */
    ttlDays: number;
}

export interface RestoreDrillArgs {
    /** Restore the application namespace's latest backup into a scratch namespace on a schedule, check it, and delete it. */
    enabled: boolean;
    /** @default BackupFrequency.Monthly */
    frequency?: BackupFrequency;
    /** Hour (UTC) the drill starts. @default 10 */
    startHourUtc?: number;
    /** The application namespace to restore. @default the first application namespace */
    sourceNamespace?: string;
    /** Where the drill restores to; it deletes the namespace when done. @default "restore-drill" */
    scratchNamespace?: string;
    /** The drill fails when the newest backup is older than this. @default twice the schedule's interval, at least 2 */
    maxBackupAgeHours?: number;
}

export interface VeleroArgs {
    /** @default "velero" */
    namespace?: string;
    schedules: VeleroScheduleArgs[];
    /** Replicate the backup bucket to a bucket in the DR region. @default false */
    replicateToDr?: boolean;
    /** Days S3 keeps a deleted or replaced backup object before removing it. @default 7 */
    noncurrentVersionDays?: number;
    restoreDrill: RestoreDrillArgs;
}

/** The recovery objectives this stack promises; construction fails when its settings cannot meet them. */
export interface RecoveryTargetsArgs {
    /** Most data, in minutes, a recovery may lose. @default no target */
    rpoMinutes?: number;
    /** Longest a recovery may take, in minutes. @default no target */
    rtoMinutes?: number;
}

/** The database to protect (plain values, so the component can be built alone). */
export interface BackupDatabaseArgs {
    /** ARN of the primary RDS instance (its read replicas hold the same data). */
    instanceArn: pulumi.Input<string>;
    /** Its storage, which the restore-time estimate scales with. */
    allocatedStorageGiB: number;
    /** Subnet group and security group a test restore is placed in (never the default VPC). */
    subnetGroupName: pulumi.Input<string>;
    securityGroupId: pulumi.Input<string>;
}

/** The cluster Velero runs in. */
export interface BackupClusterArgs {
    oidcProviderArn: pulumi.Input<string>;
    oidcProviderUrl: pulumi.Input<string>;
    /** Kubernetes minor version, for the namespaces' pod security labels. */
    kubernetesVersion: string;
    /** Namespaces the application schedules and the restore drill cover. */
    applicationNamespaces: string[];
    /** The key encrypting the cluster's EBS volumes, which Velero snapshots and restores. */
    volumeKmsKeyArn: pulumi.Input<string>;
}

export interface BackupArgs {
    /** AWS provider of the disaster-recovery region: the DR vault, keys, bucket and replicated backups live there. */
    drProvider: aws.Provider;
    /** Tags that select a resource into the backup plan; the components put them on what they want backed up. */
    selectionTags: { [key: string]: string };
    plan: BackupPlanArgs;
    /** @default no lock */
    vaultLock?: VaultLockArgs;
    databaseReplication: DatabaseReplicationArgs;
    restoreTesting: RestoreTestingArgs;
    velero: VeleroArgs;
    /** @default no targets */
    targets?: RecoveryTargetsArgs;
    database: BackupDatabaseArgs;
    cluster: BackupClusterArgs;
    /** The `release` label the monitoring stack's Prometheus selects ServiceMonitors by. */
    monitoringReleaseLabel: pulumi.Input<string>;
    /** Namespace of the monitoring stack, whose Prometheus scrapes Velero. */
    monitoringNamespace: pulumi.Input<string>;
    /** Protect vaults, keys and buckets against deletion with Pulumi's `protect`. @default false */
    protectStatefulResources?: boolean;
    /** Tags for every taggable resource, merged under each resource's own `Name`. @default {} */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}
