import * as pulumi from "@pulumi/pulumi";
import { BackupArgs, BackupFrequency, BackupRuleArgs, VaultLockMode, VeleroScheduleArgs } from "./args";
import { RecoveryObjectives, objectiveProblems, recoveryObjectives } from "./objectives";
import { backupProblems } from "./validate";
import { definedOnly } from "../shared/defaults";

export const BACKUP_DEFAULTS = {
    ruleStartHourUtc: 7,
    startWindowMinutes: 60,
    completionWindowMinutes: 180,
    vaultLock: { mode: VaultLockMode.None, minRetentionDays: 1, maxRetentionDays: 365, complianceGraceDays: 3 },
    replicationRetentionDays: 7,
    restoreTesting: { frequency: BackupFrequency.Monthly, startHourUtc: 9, validationWindowHours: 4 },
    veleroNamespace: "velero",
    veleroStartHourUtc: 2,
    noncurrentVersionDays: 7,
    restoreDrill: { frequency: BackupFrequency.Monthly, startHourUtc: 10, scratchNamespace: "restore-drill" },
} as const;

export type RuleSettings = Required<BackupRuleArgs>;
export type VeleroScheduleSettings = Required<VeleroScheduleArgs>;

/** Every setting with its default filled in: what validation and the resources read. */
export interface BackupSettings {
    plan: { rules: RuleSettings[]; startWindowMinutes: number; completionWindowMinutes: number };
    vaultLock: { mode: VaultLockMode; minRetentionDays: number; maxRetentionDays: number; complianceGraceDays: number };
    databaseReplication: { enabled: boolean; retentionDays: number };
    restoreTesting: { enabled: boolean; frequency: BackupFrequency; startHourUtc: number; validationWindowHours: number };
    velero: {
        namespace: string;
        schedules: VeleroScheduleSettings[];
        replicateToDr: boolean;
        noncurrentVersionDays: number;
        restoreDrill: {
            enabled: boolean;
            frequency: BackupFrequency;
            startHourUtc: number;
            /** Empty when there is no application namespace to restore. */
            sourceNamespace: string;
            scratchNamespace: string;
            /** 0 means: derived from the schedule that covers the source namespace. */
            maxBackupAgeHours: number;
        };
    };
    targets: { rpoMinutes?: number; rtoMinutes?: number };
    applicationNamespaces: string[];
    databaseStorageGiB: number;
}

/** The settings as configured, before validation: what config/ also builds and checks. */
export function backupSettings(args: Omit<BackupArgs, "drProvider" | "selectionTags" | "database" | "cluster" | "monitoringReleaseLabel" | "monitoringNamespace" | "tags"> & {
    applicationNamespaces: string[];
    databaseStorageGiB: number;
}): BackupSettings {
    const drill = args.velero.restoreDrill;
    return {
        plan: {
            rules: args.plan.rules.map((rule) => ({
                ...rule,
                startHourUtc: rule.startHourUtc ?? BACKUP_DEFAULTS.ruleStartHourUtc,
                drCopyRetentionDays: rule.drCopyRetentionDays ?? 0,
            })),
            startWindowMinutes: args.plan.startWindowMinutes ?? BACKUP_DEFAULTS.startWindowMinutes,
            completionWindowMinutes: args.plan.completionWindowMinutes ?? BACKUP_DEFAULTS.completionWindowMinutes,
        },
        vaultLock: { ...BACKUP_DEFAULTS.vaultLock, ...definedOnly(args.vaultLock ?? {}) },
        databaseReplication: {
            enabled: args.databaseReplication.enabled,
            retentionDays: args.databaseReplication.retentionDays ?? BACKUP_DEFAULTS.replicationRetentionDays,
        },
        restoreTesting: { ...BACKUP_DEFAULTS.restoreTesting, ...definedOnly(args.restoreTesting) },
        velero: {
            namespace: args.velero.namespace ?? BACKUP_DEFAULTS.veleroNamespace,
            schedules: args.velero.schedules.map((s) => ({ ...s, startHourUtc: s.startHourUtc ?? BACKUP_DEFAULTS.veleroStartHourUtc })),
            replicateToDr: args.velero.replicateToDr ?? false,
            noncurrentVersionDays: args.velero.noncurrentVersionDays ?? BACKUP_DEFAULTS.noncurrentVersionDays,
            restoreDrill: {
                enabled: drill.enabled,
                frequency: drill.frequency ?? BACKUP_DEFAULTS.restoreDrill.frequency,
                startHourUtc: drill.startHourUtc ?? BACKUP_DEFAULTS.restoreDrill.startHourUtc,
                sourceNamespace: drill.sourceNamespace ?? args.applicationNamespaces[0] ?? "",
                scratchNamespace: drill.scratchNamespace ?? BACKUP_DEFAULTS.restoreDrill.scratchNamespace,
                maxBackupAgeHours: drill.maxBackupAgeHours ?? 0,
            },
        },
        targets: args.targets ?? {},
        applicationNamespaces: args.applicationNamespaces,
        databaseStorageGiB: args.databaseStorageGiB,
    };
}

/** Every problem with the settings, the declared targets included; `prefix` leads each key path. */
export function backupSettingsProblems(settings: BackupSettings, takenNamespaces: readonly string[], prefix: string): string[] {
    const problems = backupProblems(settings, takenNamespaces, prefix);
    // Objectives computed from settings that are themselves wrong would only add noise.
    return problems.length > 0 ? problems : objectiveProblems(recoveryObjectives(settings), settings.targets, prefix);
}

/** Fills defaults and rejects bad arguments (and unmet targets) before any resource is created. */
export function validateBackupArgs(args: BackupArgs, resource: pulumi.Resource): { settings: BackupSettings; objectives: RecoveryObjectives } {
    const settings = backupSettings({
        ...args,
        applicationNamespaces: args.cluster.applicationNamespaces,
        databaseStorageGiB: args.database.allocatedStorageGiB,
    });
    const problems = backupSettingsProblems(settings, [...args.cluster.applicationNamespaces, "default", "kube-system"], "");
    if (Object.keys(args.selectionTags).length === 0) {
        problems.push("selectionTags: got {}; expected the tag (key and value) the components put on what the plan backs up");
    }
    if (problems.length > 0) {
        throw new pulumi.ResourceError(`invalid Backup arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`, resource);
    }
    return { settings, objectives: recoveryObjectives(settings) };
}
