// The platform's source-based component package: every class exported here is a component
// Pulumi can serve (`pulumi package add ./components`).
export { AmiType, CapacityType, Cluster, ClusterArgs, ServiceAccountRole, ServiceAccountRoleArgs, SupportType, TaintEffect } from "./cluster";
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
    SubscriptionProtocol,
    TracesArgs,
} from "./observability";
