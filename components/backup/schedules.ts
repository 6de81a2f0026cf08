/**
 * Schedule expressions for a frequency, in the two dialects the component writes (AWS Backup's
 * six-field cron and Kubernetes' five-field cron), and the longest gap between two runs.
 */
import { BackupFrequency } from "./args";

/** Longest gap between two runs, in minutes (a month is counted as 31 days). */
export const INTERVAL_MINUTES: Readonly<Record<BackupFrequency, number>> = {
    [BackupFrequency.Hourly]: 60,
    [BackupFrequency.Daily]: 24 * 60,
    [BackupFrequency.Weekly]: 7 * 24 * 60,
    [BackupFrequency.Monthly]: 31 * 24 * 60,
};

/** AWS Backup and EventBridge cron: minutes hours day-of-month month day-of-week year, one of the two days "?". */
export function awsCron(frequency: BackupFrequency, startHourUtc: number): string {
    switch (frequency) {
        case BackupFrequency.Hourly:
            return "cron(0 * ? * * *)";
        case BackupFrequency.Daily:
            return `cron(0 ${startHourUtc} ? * * *)`;
        case BackupFrequency.Weekly:
            return `cron(0 ${startHourUtc} ? * SUN *)`;
        case BackupFrequency.Monthly:
            return `cron(0 ${startHourUtc} 1 * ? *)`;
    }
}

/** Kubernetes (CronJob) and Velero (Schedule) cron: minute hour day-of-month month day-of-week, in UTC. */
export function kubernetesCron(frequency: BackupFrequency, startHourUtc: number): string {
    switch (frequency) {
        case BackupFrequency.Hourly:
            return "0 * * * *";
        case BackupFrequency.Daily:
            return `0 ${startHourUtc} * * *`;
        case BackupFrequency.Weekly:
            return `0 ${startHourUtc} * * 0`;
        case BackupFrequency.Monthly:
            return `0 ${startHourUtc} 1 * *`;
    }
}
