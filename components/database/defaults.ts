/**
 * What the Database component assumes when an argument is left out: the safe choice for data
 * (kept, protected, observed). The stack's profiles start from these too.
 */
export const POSTGRES_DEFAULTS = {
    multiAz: false,
    readReplicaCount: 0,
    databaseName: "app",
    masterUsername: "platform_admin",
    backupRetentionDays: 7,
    backupWindow: "03:00-04:00",
    maintenanceWindow: "sun:05:00-sun:06:00",
    deletionProtection: true,
    finalSnapshot: true,
    performanceInsights: true,
    performanceInsightsRetentionDays: 7,
    monitoringIntervalSeconds: 60,
    slowQueryThresholdMs: 1000,
    applyImmediately: false,
};

export const REDIS_DEFAULTS = {
    multiAz: false,
    snapshotRetentionDays: 7,
    snapshotWindow: "04:00-05:00",
    maintenanceWindow: "sun:06:00-sun:07:00",
    finalSnapshot: true,
    applyImmediately: false,
};
