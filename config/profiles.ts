/** Each environment tier's defaults, section by section: what a stack starts from before its own file. */
import { BACKUP_PROFILES, BackupConfig } from "./backup";
import { CLUSTER_PROFILES, ClusterConfig } from "./cluster";
import { DATABASE_PROFILES, DatabaseConfig } from "./database";
import { DELIVERY_PROFILES, DeliveryConfig } from "./delivery";
import { ENVIRONMENTS, Environment } from "./environment";
import { NETWORK_PROFILES, NetworkConfig } from "./network";
import { OBSERVABILITY_PROFILES, ObservabilityConfig } from "./observability";
import { deepFreeze } from "./values";

/** Everything that may differ between environments; each value can be overridden per stack. */
export interface Profile {
    /** Pulumi `protect` on resources that hold data (keys, logs, databases, buckets, vaults). */
    protectStatefulResources: boolean;
    network: NetworkConfig;
    /** The cluster; `addonVersions` defaults to the pins of the chosen Kubernetes version. */
    cluster: Omit<ClusterConfig, "addonVersions">;
    database: DatabaseConfig;
    observability: ObservabilityConfig;
    /** The DR region has no default: each stack names its own. */
    backup: Omit<BackupConfig, "drRegion">;
    /** The host name and its certificate have no default: each stack names its own. */
    delivery: Omit<DeliveryConfig, "hostname" | "certificateArn">;
}

/** Data is protected from deletion in prod; elsewhere a stack can be torn down. */
const PROTECT_STATEFUL_RESOURCES: Readonly<Record<Environment, boolean>> = { dev: false, staging: false, prod: true };

export const PROFILES: Readonly<Record<Environment, Profile>> = deepFreeze(
    Object.fromEntries(
        ENVIRONMENTS.map((tier) => [
            tier,
            {
                protectStatefulResources: PROTECT_STATEFUL_RESOURCES[tier],
                network: NETWORK_PROFILES[tier],
                cluster: CLUSTER_PROFILES[tier],
                database: DATABASE_PROFILES[tier],
                observability: OBSERVABILITY_PROFILES[tier],
                backup: BACKUP_PROFILES[tier],
                delivery: DELIVERY_PROFILES[tier],
            },
        ]),
    ) as Record<Environment, Profile>,
);
