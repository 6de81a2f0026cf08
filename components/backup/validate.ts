/**
 * Checks of the backup settings, shared by the component (which fails with a ResourceError)
 * and config/ (which names the stack file and key). Each returns "path: got X; expected Y"
 * lines, empty when all is well.
 */
import { DNS_LABEL } from "../cluster/validate";
import { WHOLE, between, got } from "../shared/problems";
import { BackupFrequency, VaultLockMode, VeleroScope } from "./args";
import { INTERVAL_MINUTES } from "./schedules";
import type { BackupSettings, RuleSettings, VeleroScheduleSettings } from "./settings";

/** What AWS Backup accepts as a rule name. */
const RULE_NAME = /^[A-Za-z0-9\-_.]{1,50}$/;
/** AWS Backup keeps a recovery point at most 100 years. */
const MAX_RETENTION_DAYS = 36500;

function oneOf<T extends string>(value: T, allowed: Record<string, T>, path: string): string[] {
    const values = Object.values(allowed);
    return values.includes(value) ? [] : [`${path}: got ${got(value)}; expected one of ${values.map((v) => `"${v}"`).join(", ")}`];
}

function uniqueNames(names: string[], path: string): string[] {
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    return repeated.length === 0 ? [] : [`${path}: ${[...new Set(repeated)].map((n) => `"${n}"`).join(", ")} appears more than once; names must be unique`];
}

function ruleProblems(rule: RuleSettings, lock: BackupSettings["vaultLock"], path: string): string[] {
    const problems = [
        ...(RULE_NAME.test(rule.name) ? [] : [`${path}: got the name ${got(rule.name)}; expected 1-50 letters, digits, "-", "_" or "."`]),
        ...oneOf(rule.frequency, BackupFrequency, `${path}.frequency`),
        ...between(rule.startHourUtc, 0, 23, `${path}.startHourUtc`, WHOLE),
        ...between(rule.retentionDays, 1, MAX_RETENTION_DAYS, `${path}.retentionDays`, WHOLE),
        ...between(rule.drCopyRetentionDays, 0, MAX_RETENTION_DAYS, `${path}.drCopyRetentionDays`, WHOLE),
    ];
    if (lock.mode !== VaultLockMode.None) {
        // The lock applies to both vaults, so it bounds the copies' retention too.
        const locked = (days: number, key: string) =>
            days < lock.minRetentionDays || days > lock.maxRetentionDays
                ? [`${path}.${key}: got ${days}; the ${lock.mode} vault lock admits only ${lock.minRetentionDays} to ${lock.maxRetentionDays} days, so AWS Backup would refuse these recovery points`]
                : [];
        problems.push(...locked(rule.retentionDays, "retentionDays"), ...(rule.drCopyRetentionDays > 0 ? locked(rule.drCopyRetentionDays, "drCopyRetentionDays") : []));
    }
    return problems;
}

function planProblems(plan: BackupSettings["plan"], lock: BackupSettings["vaultLock"], path: string): string[] {
    if (plan.rules.length === 0) {
        return [`${path}.rules: got none; expected at least one backup rule`];
    }
    return [
        ...uniqueNames(plan.rules.map((r) => r.name), `${path}.rules`),
        ...plan.rules.flatMap((rule) => ruleProblems(rule, lock, `${path}.rules.${rule.name}`)),
        // AWS Backup's floor; an hourly rule whose window outlasted the hour would overlap the next run.
        ...between(plan.startWindowMinutes, 60, plan.rules.some((r) => r.frequency === BackupFrequency.Hourly) ? 60 : 720, `${path}.startWindowMinutes`, `${WHOLE} of minutes`),
        // A job that starts at the end of its window still gets an hour to finish.
        ...between(plan.completionWindowMinutes, plan.startWindowMinutes + 60, 10080, `${path}.completionWindowMinutes`, `${WHOLE} of minutes`),
    ];
}

function vaultLockProblems(lock: BackupSettings["vaultLock"], path: string): string[] {
    const problems = [
        ...oneOf(lock.mode, VaultLockMode, `${path}.mode`),
        ...between(lock.minRetentionDays, 1, MAX_RETENTION_DAYS, `${path}.minRetentionDays`, WHOLE),
        ...between(lock.maxRetentionDays, 1, MAX_RETENTION_DAYS, `${path}.maxRetentionDays`, WHOLE),
        // AWS requires three days in which a compliance lock can still be undone.
        ...between(lock.complianceGraceDays, 3, 36500, `${path}.complianceGraceDays`, WHOLE),
    ];
    if (lock.minRetentionDays > lock.maxRetentionDays) {
        problems.push(`${path}.minRetentionDays: got ${lock.minRetentionDays}, above maxRetentionDays (${lock.maxRetentionDays})`);
    }
    return problems;
}

function scheduleProblems(schedule: VeleroScheduleSettings, path: string): string[] {
    return [
        ...(DNS_LABEL.test(schedule.name) ? [] : [`${path}: got the name ${got(schedule.name)}; expected a DNS label (lower-case letters, digits and hyphens, at most 63)`]),
        ...oneOf(schedule.scope, VeleroScope, `${path}.scope`),
        ...oneOf(schedule.frequency, BackupFrequency, `${path}.frequency`),
        ...between(schedule.startHourUtc, 0, 23, `${path}.startHourUtc`, WHOLE),
        ...between(schedule.ttlDays, 1, 3650, `${path}.ttlDays`, WHOLE),
    ];
}

function namespaceProblems(namespace: string, taken: readonly string[], path: string): string[] {
    if (!DNS_LABEL.test(namespace)) {
        return [`${path}: got ${got(namespace)}; expected a namespace name (lower-case letters, digits and hyphens, at most 63)`];
    }
    return taken.includes(namespace) ? [`${path}: got ${got(namespace)}; expected a namespace of its own, not one of ${taken.map((t) => `"${t}"`).join(", ")}`] : [];
}

function veleroProblems(velero: BackupSettings["velero"], applicationNamespaces: readonly string[], taken: readonly string[], path: string): string[] {
    const drill = velero.restoreDrill;
    const problems = [
        ...namespaceProblems(velero.namespace, taken, `${path}.namespace`),
        ...(velero.schedules.length === 0 ? [`${path}.schedules: got none; expected at least one Velero schedule`] : []),
        ...uniqueNames(velero.schedules.map((s) => s.name), `${path}.schedules`),
        ...velero.schedules.flatMap((s) => scheduleProblems(s, `${path}.schedules.${s.name}`)),
        ...between(velero.noncurrentVersionDays, 1, 365, `${path}.noncurrentVersionDays`, WHOLE),
    ];
    if (drill.enabled) {
        problems.push(
            ...oneOf(drill.frequency, BackupFrequency, `${path}.restoreDrill.frequency`),
            ...between(drill.startHourUtc, 0, 23, `${path}.restoreDrill.startHourUtc`, WHOLE),
            ...namespaceProblems(drill.scratchNamespace, [...taken, velero.namespace], `${path}.restoreDrill.scratchNamespace`),
            ...between(drill.maxBackupAgeHours, 0, 24 * 31, `${path}.restoreDrill.maxBackupAgeHours`, `${WHOLE} (0 derives it from the schedule)`),
        );
        if (!applicationNamespaces.includes(drill.sourceNamespace)) {
            problems.push(`${path}.restoreDrill.sourceNamespace: got ${got(drill.sourceNamespace || undefined)}; expected one of the application namespaces (${applicationNamespaces.map((n) => `"${n}"`).join(", ") || "there are none"})`);
        } else if (drillSchedule(velero) === undefined) {
            problems.push(`${path}.restoreDrill: no schedule with scope "${VeleroScope.ApplicationNamespaces}" backs up "${drill.sourceNamespace}"; the drill restores that schedule's latest backup`);
        }
    }
    return problems;
}

/** The schedule the restore drill restores from: the most frequent one covering the application namespaces. */
export function drillSchedule(velero: Pick<BackupSettings["velero"], "schedules">): VeleroScheduleSettings | undefined {
    return velero.schedules
        .filter((s) => s.scope === VeleroScope.ApplicationNamespaces)
        .sort((a, b) => INTERVAL_MINUTES[a.frequency] - INTERVAL_MINUTES[b.frequency])[0];
}

export function backupProblems(settings: BackupSettings, takenNamespaces: readonly string[], prefix: string): string[] {
    const { plan, vaultLock, databaseReplication, restoreTesting, targets } = settings;
    return [
        ...vaultLockProblems(vaultLock, `${prefix}vaultLock`),
        ...planProblems(plan, vaultLock, `${prefix}plan`),
        ...between(databaseReplication.retentionDays, 1, 35, `${prefix}databaseReplication.retentionDays`, WHOLE),
        ...(restoreTesting.enabled
            ? [
                  ...oneOf(restoreTesting.frequency, BackupFrequency, `${prefix}restoreTesting.frequency`),
                  ...between(restoreTesting.startHourUtc, 0, 23, `${prefix}restoreTesting.startHourUtc`, WHOLE),
                  ...between(restoreTesting.validationWindowHours, 0, 168, `${prefix}restoreTesting.validationWindowHours`, WHOLE),
              ]
            : []),
        ...veleroProblems(settings.velero, settings.applicationNamespaces, takenNamespaces, `${prefix}velero`),
        ...(targets.rpoMinutes === undefined ? [] : between(targets.rpoMinutes, 1, 525600, `${prefix}targets.rpoMinutes`, `${WHOLE} of minutes`)),
        ...(targets.rtoMinutes === undefined ? [] : between(targets.rtoMinutes, 1, 525600, `${prefix}targets.rtoMinutes`, `${WHOLE} of minutes`)),
        ...(Number.isInteger(settings.databaseStorageGiB) && settings.databaseStorageGiB > 0
            ? []
            : [`${prefix}database.allocatedStorageGiB: got ${got(settings.databaseStorageGiB)}; expected the instance's storage in GiB`]),
    ];
}
