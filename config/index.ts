/**
 * The stack's configuration, as index.ts and the tools use it. Each section's schema and
 * profile live in their own module; load.ts reads, merges and validates.
 */
export { BackupConfig, backupComponentSettings } from "./backup";
export { ClusterConfig, NamespaceConfig, NodeGroupConfig } from "./cluster";
export { DatabaseConfig } from "./database";
export { DeliveryConfig, applicationProbeUrl } from "./delivery";
export { ENVIRONMENTS, Environment } from "./environment";
export { CONFIG_KEYS, PROJECT_KEYS, REGION_KEY, StackConfig, loadStackConfig, readStackConfig } from "./load";
export { StackConfigError } from "./messages";
export { NetworkConfig } from "./network";
export { ObservabilityConfig } from "./observability";
export { PROFILES, Profile } from "./profiles";
export { REGION_ZONE_COUNTS } from "./regions";
