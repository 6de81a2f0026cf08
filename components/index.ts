// The platform's source-based component package: every class exported here is a component
// Pulumi can serve (`pulumi package add ./components`).
export { AmiType, CapacityType, Cluster, ClusterArgs, ServiceAccountRole, ServiceAccountRoleArgs, SupportType, TaintEffect } from "./cluster";
export {
    Backup,
    RESTORE_DRILL_CRON_JOB,
    BackupArgs,
    BackupClusterArgs,
    BackupDatabaseArgs,
    BackupFrequency,
    BackupPlanArgs,
    BackupRuleArgs,
    DatabaseReplicationArgs,
    RecoveryScenario,
    RecoveryTargetsArgs,
    RestoreDrillArgs,
    RestoreTestingArgs,
    VaultLockArgs,
    VaultLockMode,
    VeleroArgs,
    VeleroScheduleArgs,
    VeleroScope,
} from "./backup";
export { Database, DatabaseArgs, PostgresArgs, RedisArgs } from "./database";
export { NatMode, Network, NetworkArgs } from "./network";
export {
    AlertSubscriptionArgs,
    AlertThresholdsArgs,
    AlertmanagerArgs,
    DatabaseTargetArgs,
    LogsArgs,
    Observability,
    ObservabilityArgs,
    PrometheusArgs,
    RestoreDrillTargetArgs,
    SubscriptionProtocol,
    TracesArgs,
} from "./observability";
export {
    AnalysisArgs,
    AutoscalingArgs,
    BlueGreenArgs,
    CanaryArgs,
    CanaryStepArgs,
    ContainerResourcesArgs,
    DeliveryDatabaseArgs,
    DeliveryMonitoringArgs,
    DeliveryNetworkArgs,
    DeliveryStrategy,
    HealthArgs,
    ImageArgs,
    ProgressiveDelivery,
    ProgressiveDeliveryArgs,
    RolloutControllerArgs,
} from "./delivery";
