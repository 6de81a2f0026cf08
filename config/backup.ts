/** `platform:backup`: AWS Backup, the DR region's copies, Velero and the restore drills. */
import { z } from "zod";
import { BackupFrequency, BackupRuleArgs, VeleroScheduleArgs, VeleroScope } from "../components/backup/args";
import { BACKUP_DEFAULTS, BackupSettings, backupSettings, backupSettingsProblems } from "../components/backup/settings";
import { VaultLockMode } from "../components/backup/args";
import type { ClusterConfig } from "./cluster";
import type { DatabaseConfig } from "./database";
import { byEnvironment } from "./environment";
import { show } from "./messages";
import { REGION_ZONE_COUNTS } from "./regions";

/** The backup settings a stack file sets; the profile supplies every one but `drRegion`. */
export interface BackupConfig {
    /** The disaster-recovery region: the DR vault, the replicated backups and bucket live there. */
    drRegion: string;
    /** Declared recovery objectives, in minutes; the stack fails when its settings cannot meet them. */
    targets: { rpoMinutes?: number; rtoMinutes?: number };
    plan: { rules: Record<string, Required<Omit<BackupRuleArgs, "name">>>; startWindowMinutes: number; completionWindowMinutes: number };
    vaultLock: BackupSettings["vaultLock"];
    databaseReplication: BackupSettings["databaseReplication"];
    restoreTesting: BackupSettings["restoreTesting"];
    velero: Omit<BackupSettings["velero"], "schedules" | "restoreDrill"> & {
        schedules: Record<string, Required<Omit<VeleroScheduleArgs, "name">>>;
        /** `sourceNamespace` defaults to the first application namespace. */
        restoreDrill: Omit<BackupSettings["velero"]["restoreDrill"], "sourceNamespace"> & { sourceNamespace?: string };
    };
}

const frequency = z.enum(BackupFrequency).describe("`hourly`, `daily`, `weekly` or `monthly`.");
const startHour = z.int().describe("Hour of the day it starts, 0-23 UTC.");

// Types and key names only: components/backup/validate.ts checks the values.
export const backupSchema = z.strictObject({
    // No profile can know it: left optional here so a missing region is reported with what it must be.
    drRegion: z.string().optional().describe("The disaster-recovery region, another region than `aws:region`; every stack file sets its own."),
    targets: z
        .strictObject({
            rpoMinutes: z.int().optional().describe("The recovery point objective: the stack fails when its backups cannot meet it."),
            rtoMinutes: z.int().optional().describe("The recovery time objective: the stack fails when its recovery path cannot meet it."),
        })
        .describe("Declared recovery objectives, in minutes."),
    plan: z
        .strictObject({
            rules: z
                .record(
                    z.string(),
                    z.strictObject({
                        frequency,
                        startHourUtc: startHour,
                        retentionDays: z.int().describe("Days a recovery point is kept in the region."),
                        drCopyRetentionDays: z.int().describe("Days its copy is kept in the DR vault (0: no copy)."),
                    }),
                )
                .describe("AWS Backup rules by name."),
            startWindowMinutes: z.int().describe("Minutes a job may wait to start, 60-720 (60 only with an hourly rule)."),
            completionWindowMinutes: z.int().describe("Minutes a job may run, at least the start window plus 60."),
        })
        .describe("The AWS Backup plan that covers the primary database."),
    vaultLock: z
        .strictObject({
            mode: z.enum(VaultLockMode).describe("`none`, `governance` (an operator with the IAM permission can lift it) or `compliance` (never undone after its grace days)."),
            minRetentionDays: z.int().describe("Shortest retention the vault accepts."),
            maxRetentionDays: z.int().describe("Longest retention the vault accepts; every rule's retention must fit."),
            complianceGraceDays: z.int().describe("Days a compliance lock may still be removed, 3 or more."),
        })
        .describe("AWS Backup Vault Lock on both vaults."),
    databaseReplication: z
        .strictObject({
            enabled: z.boolean().describe("Replicate RDS automated backups to the DR region (point-in-time recovery there)."),
            retentionDays: z.int().describe("Days the replicated backups are kept, 1-35."),
        })
        .describe("Cross-region replication of the database's automated backups."),
    restoreTesting: z
        .strictObject({
            enabled: z.boolean().describe("Restore the database from its newest recovery point on a schedule, into its own subnets."),
            frequency,
            startHourUtc: startHour,
            validationWindowHours: z.int().describe("Hours the restored copy is kept for validation, 0-168."),
        })
        .describe("AWS Backup restore testing of the database."),
    velero: z
        .strictObject({
            namespace: z.string().describe("Velero's own namespace."),
            schedules: z
                .record(
                    z.string(),
                    z.strictObject({
                        scope: z.enum(VeleroScope).describe("`applicationNamespaces` (with volume snapshots) or `cluster` (every namespace, objects only)."),
                        frequency,
                        startHourUtc: startHour,
                        ttlDays: z.int().describe("Days a backup is kept, 1-3650."),
                    }),
                )
                .describe("Velero schedules by name."),
            replicateToDr: z.boolean().describe("S3 replication of the Velero bucket to a bucket in the DR region."),
            noncurrentVersionDays: z.int().describe("Days a deleted or overwritten backup object stays recoverable, 1-365."),
            restoreDrill: z
                .strictObject({
                    enabled: z.boolean().describe("Restore the newest backup into a scratch namespace on a schedule and check it."),
                    frequency,
                    startHourUtc: startHour,
                    sourceNamespace: z.string().optional().describe("The application namespace restored; by default the first."),
                    scratchNamespace: z.string().describe("Where the drill restores to; emptied after each run."),
                    maxBackupAgeHours: z.int().describe("Oldest backup the drill accepts, in hours (0: twice the schedule's interval)."),
                })
                .describe("The Velero restore drill."),
        })
        .describe("Velero: Kubernetes objects and volumes."),
}).describe("AWS Backup of the database with copies in the DR region, and Velero for the cluster.");

const DAILY = BackupFrequency.Daily;
const d = BACKUP_DEFAULTS;

function dailyRule(retentionDays: number, drCopyRetentionDays: number) {
    return { frequency: DAILY, startHourUtc: d.ruleStartHourUtc, retentionDays, drCopyRetentionDays };
}

function veleroSchedules(ttlDays: number, applications = DAILY) {
    return {
        applications: { scope: VeleroScope.ApplicationNamespaces, frequency: applications, startHourUtc: d.veleroStartHourUtc, ttlDays },
        cluster: { scope: VeleroScope.Cluster, frequency: DAILY, startHourUtc: d.veleroStartHourUtc, ttlDays },
    };
}

/**
 * The component's defaults are the base. RDS backs up 03:00-04:00 and is maintained Sundays
 * 05:00-06:00 (UTC); AWS Backup's rules start at 07:00, as no RDS job may start within an hour of either.
 */
export const BACKUP_PROFILES = byEnvironment<Omit<BackupConfig, "drRegion">>(
    {
        targets: {},
        plan: {
            // Each tier names its rules: merged key by key, a base rule would come first in every tier.
            rules: {},
            startWindowMinutes: d.startWindowMinutes,
            completionWindowMinutes: d.completionWindowMinutes,
        },
        vaultLock: { ...d.vaultLock },
        databaseReplication: { enabled: false, retentionDays: d.replicationRetentionDays },
        restoreTesting: { ...d.restoreTesting, enabled: true },
        velero: {
            namespace: d.veleroNamespace,
            schedules: veleroSchedules(14),
            replicateToDr: false,
            noncurrentVersionDays: d.noncurrentVersionDays,
            restoreDrill: { ...d.restoreDrill, enabled: true, maxBackupAgeHours: 0 },
        },
    },
    {
        // A week of daily backups in the region; dev's data is not worth another region's copy.
        dev: {
            plan: { rules: { daily: dailyRule(7, 0) } },
            restoreTesting: { enabled: false },
            velero: { schedules: veleroSchedules(7), noncurrentVersionDays: 1, restoreDrill: { enabled: false } },
        },
        // Daily backups with a week's copy in the DR region, and the restores exercised monthly.
        staging: { targets: { rpoMinutes: 48 * 60, rtoMinutes: 8 * 60 }, plan: { rules: { daily: dailyRule(14, 7) } } },
        // RPO 1 h and RTO 4 h, met by point-in-time recovery replicated to the DR region; hourly and
        // daily recovery points copied there besides. Hourly points are kept two days: AWS Backup's RDS
        // recovery points are DB snapshots, and a region holds 100 manual snapshots unless the quota is raised.
        prod: {
            targets: { rpoMinutes: 60, rtoMinutes: 4 * 60 },
            plan: {
                rules: {
                    hourly: { frequency: BackupFrequency.Hourly, startHourUtc: d.ruleStartHourUtc, retentionDays: 2, drCopyRetentionDays: 2 },
                    daily: dailyRule(30, 30),
                },
            },
            // Governance: an operator with the right IAM permission can still lift it; compliance could never be undone.
            vaultLock: { mode: VaultLockMode.Governance },
            databaseReplication: { enabled: true },
            velero: { schedules: veleroSchedules(30, BackupFrequency.Hourly), replicateToDr: true },
        },
    },
);

/** The Backup component's settings from the config's: named rules and schedules become lists that carry their names. */
export function backupComponentSettings(backup: Omit<BackupConfig, "drRegion">) {
    const { plan, velero, ...rest } = backup;
    return {
        ...rest,
        plan: { ...plan, rules: Object.entries(plan.rules).map(([name, rule]) => ({ ...rule, name })) },
        velero: { ...velero, schedules: Object.entries(velero.schedules).map(([name, schedule]) => ({ ...schedule, name })) },
    };
}

/** The DR region, when the stack file leaves it out: checked whatever else is wrong. */
export function missingBackupProblems(backup: z.infer<typeof backupSchema>, prefix: string): string[] {
    return backup.drRegion === undefined ? [`${prefix}drRegion: missing; expected the disaster-recovery region, such as "us-west-2" (each stack file sets its own)`] : [];
}

/** What the backup component would reject, and a DR region that is no other region, said in the stack file's terms. */
export function backupConfigProblems(
    backup: z.infer<typeof backupSchema>,
    region: string,
    cluster: ClusterConfig,
    database: DatabaseConfig,
    takenNamespaces: string[],
    prefix: string,
): string[] {
    const problems: string[] = [];
    // A missing one is missingBackupProblems' to say.
    if (backup.drRegion !== undefined && !Object.hasOwn(REGION_ZONE_COUNTS, backup.drRegion)) {
        problems.push(`${prefix}drRegion: got ${show(backup.drRegion)}; expected one of ${Object.keys(REGION_ZONE_COUNTS).join(", ")}`);
    } else if (backup.drRegion !== undefined && backup.drRegion === region) {
        problems.push(`${prefix}drRegion: got ${show(backup.drRegion)}, the stack's own region (aws:region); expected another region, or a regional outage takes the backups too`);
    }
    const settings = backupSettings({
        ...backupComponentSettings(backup),
        applicationNamespaces: Object.keys(cluster.applicationNamespaces),
        databaseStorageGiB: database.postgres.allocatedStorageGiB,
    });
    return [...problems, ...backupSettingsProblems(settings, takenNamespaces, prefix)];
}
