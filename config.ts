/**
 * The stack's configuration: read once, merged over the environment's profile, validated
 * by one schema, frozen. Components never read `pulumi.Config`; index.ts hands each its section.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
    AddonVersionArgs,
    AmiType,
    ApplicationNamespaceArgs,
    CapacityType,
    NodeGroupArgs,
    SupportType,
    TaintEffect,
} from "./components/cluster/args";
import {
    addonVersionProblems,
    adminRoleArnProblems,
    kubernetesVersionProblems,
    logRetentionProblems,
    namespaceProblems,
    nodeGroupProblems,
    nodeGroupSetProblems,
    publicAccessCidrProblems,
} from "./components/cluster/validate";
import { ADDON_VERSIONS } from "./components/cluster/versions";
import { PostgresArgs, RedisArgs } from "./components/database/args";
import { databaseNameProblems, postgresProblems, redisProblems } from "./components/database/validate";
import { LOG_RETENTION_DAYS, NatMode } from "./components/network/args";
import { BackupFrequency, BackupRuleArgs, VaultLockMode, VeleroScheduleArgs, VeleroScope } from "./components/backup/args";
import { BackupSettings, backupSettings, backupSettingsProblems } from "./components/backup/settings";
import { ObservabilityArgs, SubscriptionProtocol } from "./components/observability/args";
import { observabilityProblems } from "./components/observability/validate";
import { DeliveryStrategy } from "./components/delivery/args";
import { DELIVERY_DEFAULTS, DeliverySettings } from "./components/delivery/settings";
import { deliveryProblems } from "./components/delivery/validate";
import { DEFAULT_APPLICATION_IMAGE } from "./components/delivery/versions";
import {
    MAX_AVAILABILITY_ZONES,
    MAX_VPC_PREFIX,
    MIN_AVAILABILITY_ZONES,
    MIN_VPC_PREFIX,
    PRIVATE_RANGES,
    cidrProblem,
    isPrivateRange,
    parseCidr,
} from "./components/network/cidr";

export enum Environment {
    Dev = "dev",
    Staging = "staging",
    Prod = "prod",
}

/**
 * Availability zones each supported region offers a new account. A region missing here is
 * rejected rather than guessed at: add it with its zone count.
 */
export const REGION_ZONE_COUNTS: Readonly<Record<string, number>> = {
    "us-east-1": 6,
    "us-east-2": 3,
    "us-west-1": 2,
    "us-west-2": 4,
    "ca-central-1": 3,
    "ca-west-1": 3,
    "mx-central-1": 3,
    "sa-east-1": 3,
    "eu-central-1": 3,
    "eu-central-2": 3,
    "eu-west-1": 3,
    "eu-west-2": 3,
    "eu-west-3": 3,
    "eu-south-1": 3,
    "eu-south-2": 3,
    "eu-north-1": 3,
    "il-central-1": 3,
    "me-south-1": 3,
    "me-central-1": 3,
    "af-south-1": 3,
    "ap-east-1": 3,
    "ap-south-1": 3,
    "ap-south-2": 3,
    "ap-southeast-1": 3,
    "ap-southeast-2": 3,
    "ap-southeast-3": 3,
    "ap-southeast-4": 3,
    "ap-southeast-5": 3,
    "ap-southeast-7": 3,
    "ap-northeast-1": 3,
    "ap-northeast-2": 4,
    "ap-northeast-3": 3,
};

export interface NetworkConfig {
    /** VPC CIDR: private range, /16 to /20; never changed once deployed. */
    cidrBlock: string;
    availabilityZoneCount: number;
    natMode: NatMode;
    flowLogRetentionDays: number;
    interfaceEndpoints: boolean;
}

/** A node group as the stack file writes it: keyed by its name. */
export type NodeGroupConfig = Omit<NodeGroupArgs, "name">;
/** An application namespace as the stack file writes it: keyed by its name. */
export type NamespaceConfig = Omit<ApplicationNamespaceArgs, "name">;

export interface ClusterConfig {
    /** Kubernetes minor version; the add-on defaults follow it. */
    kubernetesVersion: string;
    /** Public CIDRs allowed to the API server's public endpoint; empty keeps it private. */
    publicAccessCidrs: string[];
    /** IAM roles given cluster admin. */
    adminRoleArns: string[];
    /** Cluster admin for the identity that runs `pulumi up`. */
    deployerAdmin: boolean;
    controlPlaneLogRetentionDays: number;
    deletionProtection: boolean;
    supportType: SupportType;
    nodeGroups: Record<string, NodeGroupConfig>;
    addonVersions: AddonVersionArgs;
    applicationNamespaces: Record<string, NamespaceConfig>;
    nodeAgentNamespace: string;
}

export interface DatabaseConfig {
    /** PostgreSQL on RDS; every setting is required here because the profile supplies it. */
    postgres: Required<PostgresArgs>;
    /** The Redis cache on ElastiCache. */
    redis: Required<RedisArgs>;
    /** Days to keep the database's and cache's logs. */
    logRetentionDays: number;
}

/** The component's settings a stack file sets; the probed URL comes from `platform:delivery`. */
export type ObservabilityConfig = Required<
    Pick<ObservabilityArgs, "namespace" | "runbookBaseUrl" | "prometheus" | "alertmanager" | "logs" | "traces" | "alerts" | "alertSubscriptions">
>;

/** The application and how it is delivered; the profile supplies every setting but `hostname` and `certificateArn`. */
export type DeliveryConfig = DeliverySettings;

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

/** Everything that may differ between environments; each value can be overridden per stack. */
interface Profile {
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

/** Keeps application pods off the system nodes; the platform's add-ons tolerate it. */
const SYSTEM_TAINTS = [{ key: "CriticalAddonsOnly", value: "true", effect: TaintEffect.NoSchedule }];

function systemGroup(minSize: number, maxSize: number, desiredSize: number): NodeGroupConfig {
    return {
        instanceTypes: ["m6i.large"],
        capacityType: CapacityType.OnDemand,
        amiType: AmiType.Al2023X86,
        minSize,
        maxSize,
        desiredSize,
        diskSizeGiB: 50,
        labels: {},
        taints: SYSTEM_TAINTS,
        maxUnavailablePercent: 33,
    };
}

function apiNamespace(scale: number, maxCpu: string, maxMemory: string): NamespaceConfig {
    return {
        quota: {
            requestsCpu: String(4 * scale),
            requestsMemory: `${8 * scale}Gi`,
            limitsCpu: String(8 * scale),
            limitsMemory: `${16 * scale}Gi`,
            pods: 50 * scale,
            persistentVolumeClaims: 10,
            requestsStorage: "100Gi",
        },
        limits: {
            defaultRequestCpu: "100m",
            defaultRequestMemory: "128Mi",
            defaultLimitCpu: "500m",
            defaultLimitMemory: "512Mi",
            maxCpu,
            maxMemory,
        },
    };
}

const DEFAULT_KUBERNETES_VERSION = "1.36";
const DEFAULT_POSTGRES_MAJOR_VERSION = "17";
const DEFAULT_REDIS_VERSION = "7.1";

/** What every environment's database shares; sizes, safety and history differ per profile. */
const POSTGRES_BASE = {
    majorVersion: DEFAULT_POSTGRES_MAJOR_VERSION,
    databaseName: "app",
    masterUsername: "platform_admin",
    backupWindow: "03:00-04:00",
    maintenanceWindow: "sun:05:00-sun:06:00",
    performanceInsightsRetentionDays: 7,
    slowQueryThresholdMs: 1000,
};

const REDIS_BASE = {
    engineVersion: DEFAULT_REDIS_VERSION,
    snapshotWindow: "04:00-05:00",
    maintenanceWindow: "sun:06:00-sun:07:00",
};

/** The alert thresholds of the requirements; profiles differ only where instance sizes do. */
const ALERT_THRESHOLDS = {
    errorRatePercent: 5,
    latencyP95Seconds: 2,
    containerMemoryPercent: 90,
    nodeCpuPercent: 80,
    diskFreePercent: 10,
    postgresConnectionsPercent: 80,
    redisMemoryPercent: 90,
    certificateExpiryDays: 30,
    // Velero's daily schedule, with an hour's grace for a slow run.
    backupMaxAgeHours: 25,
    // A monthly drill, with four days' grace for a run that was skipped or retried.
    restoreDrillMaxAgeDays: 35,
    databaseCpuPercent: 80,
    replicaLagSeconds: 30,
    cacheEvictions: 100,
};

const DAILY = BackupFrequency.Daily;
const NO_VAULT_LOCK = { mode: VaultLockMode.None, minRetentionDays: 1, maxRetentionDays: 365, complianceGraceDays: 3 };
/** RDS backs up 03:00-04:00 and is maintained Sundays 05:00-06:00 (UTC); AWS Backup starts no RDS job within an hour of either. */
const AWS_BACKUP_HOUR = 7;
const VELERO_HOUR = 2;
const RESTORE_TEST = { frequency: BackupFrequency.Monthly, startHourUtc: 9, validationWindowHours: 4 };
const RESTORE_DRILL = { frequency: BackupFrequency.Monthly, startHourUtc: 10, scratchNamespace: "restore-drill", maxBackupAgeHours: 0 };

const OBSERVABILITY_BASE = {
    namespace: "monitoring",
    runbookBaseUrl: "https://github.com/platform-team/platform/blob/main/docs/RUNBOOKS.md",
    alertSubscriptions: [],
};

/**
 * The application every profile delivers: podinfo until the team's own image replaces it. Its
 * metrics come on a port of their own (9797), its status label is `status`, and it writes only
 * under /tmp; it runs as podinfo's uid 100.
 */
const DELIVERY_BASE = {
    name: DELIVERY_DEFAULTS.name,
    namespace: "api",
    image: { ...DEFAULT_APPLICATION_IMAGE },
    port: DELIVERY_DEFAULTS.port,
    metricsPort: DELIVERY_DEFAULTS.metricsPort,
    statusCodeLabel: "status",
    runAsUser: DELIVERY_DEFAULTS.runAsUser,
    health: { ...DELIVERY_DEFAULTS.health },
    env: { PODINFO_PORT_METRICS: String(DELIVERY_DEFAULTS.metricsPort), PODINFO_DATA_PATH: "/tmp", PODINFO_LEVEL: "info" },
    // 5%, 25% and 50% held two minutes each, then 100%.
    canary: { steps: DELIVERY_DEFAULTS.canarySteps.map((step) => ({ ...step })) },
    blueGreen: { ...DELIVERY_DEFAULTS.blueGreen },
    // Worst case to abort: 15 s scrape + 120 s window + 2 measurements of 30 s = 195 s, inside 300.
    analysis: { ...DELIVERY_DEFAULTS.analysis },
};

export const PROFILES: Readonly<Record<Environment, Profile>> = deepFreeze({
    [Environment.Dev]: {
        protectStatefulResources: false,
        network: {
            cidrBlock: "10.10.0.0/16",
            availabilityZoneCount: 2,
            natMode: NatMode.Single,
            flowLogRetentionDays: 30,
            interfaceEndpoints: false,
        },
        cluster: {
            kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
            publicAccessCidrs: [],
            adminRoleArns: [],
            deployerAdmin: true,
            controlPlaneLogRetentionDays: 30,
            deletionProtection: false,
            supportType: SupportType.Standard,
            nodeGroups: {
                system: systemGroup(1, 2, 1),
                workload: {
                    instanceTypes: ["m6i.large", "m6a.large", "m5.large", "m7i.large"],
                    capacityType: CapacityType.Spot,
                    amiType: AmiType.Al2023X86,
                    minSize: 1,
                    maxSize: 4,
                    desiredSize: 1,
                    diskSizeGiB: 50,
                    labels: {},
                    taints: [],
                    maxUnavailablePercent: 33,
                },
            },
            applicationNamespaces: { api: apiNamespace(1, "2", "4Gi") },
            nodeAgentNamespace: "node-agents",
        },
        database: {
            postgres: {
                ...POSTGRES_BASE,
                instanceClass: "db.t4g.medium",
                allocatedStorageGiB: 20,
                maxAllocatedStorageGiB: 100,
                multiAz: false,
                readReplicaCount: 0,
                backupRetentionDays: 7,
                deletionProtection: false,
                finalSnapshot: false,
                performanceInsights: false,
                monitoringIntervalSeconds: 0,
                applyImmediately: true,
            },
            redis: { ...REDIS_BASE, nodeType: "cache.t4g.small", nodeCount: 1, multiAz: false, snapshotRetentionDays: 1, finalSnapshot: false, applyImmediately: true },
            logRetentionDays: 30,
        },
        observability: {
            ...OBSERVABILITY_BASE,
            prometheus: { replicas: 1, retentionDays: 3, storageGiB: 20 },
            alertmanager: { replicas: 1, storageGiB: 2 },
            logs: { retentionDays: 7 },
            traces: { retentionDays: 2, storageGiB: 10 },
            // db.t4g.medium: 4 GiB, max_connections about 410.
            alerts: { ...ALERT_THRESHOLDS, databaseFreeableMemoryMiB: 256, databaseConnections: 330 },
        },
        // A week of daily backups in the region; dev's data is not worth another region's copy.
        backup: {
            targets: {},
            plan: { rules: { daily: { frequency: DAILY, startHourUtc: AWS_BACKUP_HOUR, retentionDays: 7, drCopyRetentionDays: 0 } }, startWindowMinutes: 60, completionWindowMinutes: 180 },
            vaultLock: NO_VAULT_LOCK,
            databaseReplication: { enabled: false, retentionDays: 7 },
            restoreTesting: { ...RESTORE_TEST, enabled: false },
            velero: {
                namespace: "velero",
                schedules: {
                    applications: { scope: VeleroScope.ApplicationNamespaces, frequency: DAILY, startHourUtc: VELERO_HOUR, ttlDays: 7 },
                    cluster: { scope: VeleroScope.Cluster, frequency: DAILY, startHourUtc: VELERO_HOUR, ttlDays: 7 },
                },
                replicateToDr: false,
                noncurrentVersionDays: 1,
                restoreDrill: { ...RESTORE_DRILL, enabled: false },
            },
        },
        // One replica, replaced in place: dev has no traffic worth a canary.
        delivery: {
            ...DELIVERY_BASE,
            strategy: DeliveryStrategy.Rolling,
            replicas: 1,
            resources: { requestsCpu: "50m", requestsMemory: "64Mi", limitsCpu: "500m", limitsMemory: "256Mi" },
            autoscaling: { maxReplicas: 3, cpuUtilizationPercent: 70, memoryUtilizationPercent: 80, scaleDownStabilizationSeconds: 300 },
            controller: { namespace: "argo-rollouts", replicas: 1, verifyTargetGroups: false },
            loadBalancerDeletionProtection: false,
        },
    },
    [Environment.Staging]: {
        protectStatefulResources: false,
        network: {
            cidrBlock: "10.20.0.0/16",
            availabilityZoneCount: 3,
            natMode: NatMode.Single,
            flowLogRetentionDays: 90,
            interfaceEndpoints: false,
        },
        cluster: {
            kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
            publicAccessCidrs: [],
            adminRoleArns: [],
            deployerAdmin: true,
            controlPlaneLogRetentionDays: 90,
            deletionProtection: false,
            supportType: SupportType.Standard,
            nodeGroups: {
                system: systemGroup(2, 3, 2),
                workload: {
                    instanceTypes: ["m6i.xlarge", "m6a.xlarge", "m5.xlarge", "m7i.xlarge"],
                    capacityType: CapacityType.Spot,
                    amiType: AmiType.Al2023X86,
                    minSize: 2,
                    maxSize: 6,
                    desiredSize: 2,
                    diskSizeGiB: 50,
                    labels: {},
                    taints: [],
                    maxUnavailablePercent: 33,
                },
            },
            applicationNamespaces: { api: apiNamespace(2, "2", "4Gi") },
            nodeAgentNamespace: "node-agents",
        },
        database: {
            postgres: {
                ...POSTGRES_BASE,
                instanceClass: "db.r7g.large",
                allocatedStorageGiB: 50,
                maxAllocatedStorageGiB: 200,
                multiAz: false,
                readReplicaCount: 0,
                backupRetentionDays: 14,
                deletionProtection: true,
                finalSnapshot: true,
                performanceInsights: true,
                monitoringIntervalSeconds: 60,
                applyImmediately: true,
            },
            redis: { ...REDIS_BASE, nodeType: "cache.t4g.medium", nodeCount: 1, multiAz: false, snapshotRetentionDays: 7, finalSnapshot: true, applyImmediately: true },
            logRetentionDays: 90,
        },
        observability: {
            ...OBSERVABILITY_BASE,
            prometheus: { replicas: 1, retentionDays: 7, storageGiB: 50 },
            alertmanager: { replicas: 2, storageGiB: 2 },
            logs: { retentionDays: 14 },
            traces: { retentionDays: 7, storageGiB: 20 },
            // db.r7g.large: 16 GiB, max_connections about 1,700.
            alerts: { ...ALERT_THRESHOLDS, databaseFreeableMemoryMiB: 1024, databaseConnections: 1360 },
        },
        // Daily backups with a week's copy in the DR region, and the restores exercised monthly.
        backup: {
            targets: { rpoMinutes: 48 * 60, rtoMinutes: 8 * 60 },
            plan: { rules: { daily: { frequency: DAILY, startHourUtc: AWS_BACKUP_HOUR, retentionDays: 14, drCopyRetentionDays: 7 } }, startWindowMinutes: 60, completionWindowMinutes: 180 },
            vaultLock: NO_VAULT_LOCK,
            databaseReplication: { enabled: false, retentionDays: 7 },
            restoreTesting: { ...RESTORE_TEST, enabled: true },
            velero: {
                namespace: "velero",
                schedules: {
                    applications: { scope: VeleroScope.ApplicationNamespaces, frequency: DAILY, startHourUtc: VELERO_HOUR, ttlDays: 14 },
                    cluster: { scope: VeleroScope.Cluster, frequency: DAILY, startHourUtc: VELERO_HOUR, ttlDays: 14 },
                },
                replicateToDr: false,
                noncurrentVersionDays: 7,
                restoreDrill: { ...RESTORE_DRILL, enabled: true },
            },
        },
        // Canary, as in prod, so a release meets the same analysis before prod.
        delivery: {
            ...DELIVERY_BASE,
            strategy: DeliveryStrategy.Canary,
            replicas: 2,
            resources: { requestsCpu: "100m", requestsMemory: "128Mi", limitsCpu: "1", limitsMemory: "512Mi" },
            autoscaling: { maxReplicas: 6, cpuUtilizationPercent: 70, memoryUtilizationPercent: 80, scaleDownStabilizationSeconds: 300 },
            controller: { namespace: "argo-rollouts", replicas: 1, verifyTargetGroups: true },
            loadBalancerDeletionProtection: false,
        },
    },
    [Environment.Prod]: {
        protectStatefulResources: true,
        network: {
            cidrBlock: "10.30.0.0/16",
            availabilityZoneCount: 3,
            natMode: NatMode.PerAz,
            flowLogRetentionDays: 365,
            interfaceEndpoints: true,
        },
        cluster: {
            kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
            publicAccessCidrs: [],
            adminRoleArns: [],
            deployerAdmin: true,
            controlPlaneLogRetentionDays: 365,
            deletionProtection: true,
            supportType: SupportType.Standard,
            nodeGroups: {
                // One system node per zone, so a zone's loss leaves the add-ons running.
                system: systemGroup(3, 4, 3),
                workload: {
                    instanceTypes: ["m6i.xlarge", "m7i.xlarge"],
                    capacityType: CapacityType.OnDemand,
                    amiType: AmiType.Al2023X86,
                    minSize: 3,
                    maxSize: 12,
                    desiredSize: 3,
                    diskSizeGiB: 100,
                    labels: {},
                    taints: [],
                    maxUnavailablePercent: 33,
                },
            },
            applicationNamespaces: { api: apiNamespace(8, "4", "8Gi") },
            nodeAgentNamespace: "node-agents",
        },
        database: {
            postgres: {
                ...POSTGRES_BASE,
                instanceClass: "db.r7g.xlarge",
                allocatedStorageGiB: 100,
                maxAllocatedStorageGiB: 1000,
                multiAz: true,
                readReplicaCount: 0,
                backupRetentionDays: 30,
                deletionProtection: true,
                finalSnapshot: true,
                performanceInsights: true,
                monitoringIntervalSeconds: 15,
                // Changes wait for the maintenance window, not for whoever runs `pulumi up`.
                applyImmediately: false,
            },
            // A node per zone: a zone's loss promotes a replica in another.
            redis: { ...REDIS_BASE, nodeType: "cache.r7g.large", nodeCount: 3, multiAz: true, snapshotRetentionDays: 14, finalSnapshot: true, applyImmediately: false },
            logRetentionDays: 365,
        },
        observability: {
            ...OBSERVABILITY_BASE,
            // Two servers scrape the same targets: one can be lost or upgraded without a gap.
            prometheus: { replicas: 2, retentionDays: 15, storageGiB: 200 },
            // Three peers keep a gossip quorum through a zone's loss.
            alertmanager: { replicas: 3, storageGiB: 5 },
            logs: { retentionDays: 30 },
            traces: { retentionDays: 14, storageGiB: 100 },
            // db.r7g.xlarge: 32 GiB, max_connections about 3,400.
            alerts: { ...ALERT_THRESHOLDS, databaseFreeableMemoryMiB: 2048, databaseConnections: 2700 },
        },
        // RPO 1 h and RTO 4 h, met by point-in-time recovery replicated to the DR region; hourly and
        // daily recovery points copied there besides. Hourly points are kept two days: AWS Backup's RDS
        // recovery points are DB snapshots, and a region holds 100 manual snapshots unless the quota is raised.
        backup: {
            targets: { rpoMinutes: 60, rtoMinutes: 4 * 60 },
            plan: {
                rules: {
                    hourly: { frequency: BackupFrequency.Hourly, startHourUtc: AWS_BACKUP_HOUR, retentionDays: 2, drCopyRetentionDays: 2 },
                    daily: { frequency: DAILY, startHourUtc: AWS_BACKUP_HOUR, retentionDays: 30, drCopyRetentionDays: 30 },
                },
                startWindowMinutes: 60,
                completionWindowMinutes: 180,
            },
            // Governance: an operator with the right IAM permission can still lift it; compliance could never be undone.
            vaultLock: { ...NO_VAULT_LOCK, mode: VaultLockMode.Governance },
            databaseReplication: { enabled: true, retentionDays: 7 },
            restoreTesting: { ...RESTORE_TEST, enabled: true },
            velero: {
                namespace: "velero",
                schedules: {
                    applications: { scope: VeleroScope.ApplicationNamespaces, frequency: BackupFrequency.Hourly, startHourUtc: VELERO_HOUR, ttlDays: 30 },
                    cluster: { scope: VeleroScope.Cluster, frequency: DAILY, startHourUtc: VELERO_HOUR, ttlDays: 30 },
                },
                replicateToDr: true,
                noncurrentVersionDays: 7,
                restoreDrill: { ...RESTORE_DRILL, enabled: true },
            },
        },
        // A replica per zone at least; two controllers, so a rollout goes on through a node's loss.
        delivery: {
            ...DELIVERY_BASE,
            strategy: DeliveryStrategy.Canary,
            replicas: 3,
            resources: { requestsCpu: "250m", requestsMemory: "256Mi", limitsCpu: "1", limitsMemory: "512Mi" },
            autoscaling: { maxReplicas: 12, cpuUtilizationPercent: 70, memoryUtilizationPercent: 80, scaleDownStabilizationSeconds: 300 },
            controller: { namespace: "argo-rollouts", replicas: 2, verifyTargetGroups: true },
            loadBalancerDeletionProtection: true,
        },
    },
});

/** Tags the platform sets on every resource; a stack's own tags may not redefine them. */
const RESERVED_TAG_KEYS = ["environment", "stack", "project", "managed-by"] as const;

export interface StackConfig {
    project: string;
    stack: string;
    /** The stack file the values came from, for messages. */
    stackFile: string;
    environment: Environment;
    region: string;
    protectStatefulResources: boolean;
    /** The platform's tags plus the stack's own `platform:tags`. */
    tags: Readonly<Record<string, string>>;
    network: Readonly<NetworkConfig>;
    cluster: Readonly<ClusterConfig>;
    database: Readonly<DatabaseConfig>;
    observability: Readonly<ObservabilityConfig>;
    backup: Readonly<BackupConfig>;
    delivery: Readonly<DeliveryConfig>;
}

/** A stack file that does not describe a valid stack. Thrown before any resource is registered. */
export class StackConfigError extends pulumi.RunError {
    public readonly problems: readonly string[];

    constructor(stackFile: string, problems: string[]) {
        const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
        super(`${stackFile}: invalid stack configuration (${count}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "StackConfigError";
        this.problems = problems;
    }
}

const REGION_KEY = "aws:region";
const ENVIRONMENT_KEY = "environment";

// --- the schema: keys are the config keys as written in the stack file -------------------

const networkSchema = z.strictObject({
    cidrBlock: z.string().superRefine((value, ctx) => {
        const problem = cidrProblem(value);
        if (problem) {
            ctx.addIssue({ code: "custom", message: `${problem}; expected e.g. "10.30.0.0/16"` });
            return;
        }
        const cidr = parseCidr(value);
        if (cidr.prefix < MIN_VPC_PREFIX || cidr.prefix > MAX_VPC_PREFIX) {
            ctx.addIssue({ code: "custom", message: `expected a prefix length of /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}` });
        } else if (!isPrivateRange(cidr)) {
            ctx.addIssue({ code: "custom", message: `expected a private range inside ${PRIVATE_RANGES.join(", ")}` });
        }
    }),
    availabilityZoneCount: z.int().min(MIN_AVAILABILITY_ZONES).max(MAX_AVAILABILITY_ZONES),
    natMode: z.enum(NatMode),
    flowLogRetentionDays: z.int().refine((days) => LOG_RETENTION_DAYS.includes(days), {
        message: `expected a retention CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}`,
    }),
    interfaceEndpoints: z.boolean(),
});

const quantity = z.string().min(1);

const nodeGroupSchema = z.strictObject({
    instanceTypes: z.array(z.string()),
    capacityType: z.enum(CapacityType),
    amiType: z.enum(AmiType),
    minSize: z.int(),
    maxSize: z.int(),
    desiredSize: z.int(),
    diskSizeGiB: z.int(),
    labels: z.record(z.string(), z.string()),
    taints: z.array(z.strictObject({ key: z.string(), value: z.string(), effect: z.enum(TaintEffect) })),
    maxUnavailablePercent: z.int(),
});

const namespaceSchema = z.strictObject({
    quota: z.strictObject({
        requestsCpu: quantity,
        requestsMemory: quantity,
        limitsCpu: quantity,
        limitsMemory: quantity,
        pods: z.int(),
        persistentVolumeClaims: z.int(),
        requestsStorage: quantity,
    }),
    limits: z.strictObject({
        defaultRequestCpu: quantity,
        defaultRequestMemory: quantity,
        defaultLimitCpu: quantity,
        defaultLimitMemory: quantity,
        maxCpu: quantity,
        maxMemory: quantity,
    }),
});

// Types and key names only: the values' meaning is checked by the component's own rules
// (components/cluster/validate.ts), run once this parses.
const clusterSchema = z.strictObject({
    kubernetesVersion: z.string(),
    publicAccessCidrs: z.array(z.string()),
    adminRoleArns: z.array(z.string()),
    deployerAdmin: z.boolean(),
    controlPlaneLogRetentionDays: z.int(),
    deletionProtection: z.boolean(),
    supportType: z.enum(SupportType),
    nodeGroups: z.record(z.string(), nodeGroupSchema),
    addonVersions: z.strictObject({
        vpcCni: z.string(),
        coredns: z.string(),
        kubeProxy: z.string(),
        ebsCsiDriver: z.string(),
        podIdentityAgent: z.string(),
    }),
    applicationNamespaces: z.record(z.string(), namespaceSchema),
    nodeAgentNamespace: z.string(),
});

// Types and key names only, as for the cluster: components/database/validate.ts checks the values.
const databaseSchema = z.strictObject({
    postgres: z.strictObject({
        majorVersion: z.string(),
        instanceClass: z.string(),
        allocatedStorageGiB: z.int(),
        maxAllocatedStorageGiB: z.int(),
        multiAz: z.boolean(),
        readReplicaCount: z.int(),
        databaseName: z.string(),
        masterUsername: z.string(),
        backupRetentionDays: z.int(),
        backupWindow: z.string(),
        maintenanceWindow: z.string(),
        deletionProtection: z.boolean(),
        finalSnapshot: z.boolean(),
        performanceInsights: z.boolean(),
        performanceInsightsRetentionDays: z.int(),
        monitoringIntervalSeconds: z.int(),
        slowQueryThresholdMs: z.int(),
        applyImmediately: z.boolean(),
    }),
    redis: z.strictObject({
        engineVersion: z.string(),
        nodeType: z.string(),
        nodeCount: z.int(),
        multiAz: z.boolean(),
        snapshotRetentionDays: z.int(),
        snapshotWindow: z.string(),
        maintenanceWindow: z.string(),
        finalSnapshot: z.boolean(),
        applyImmediately: z.boolean(),
    }),
    logRetentionDays: z.int(),
});

// Types and key names only: components/observability/validate.ts checks the values.
const observabilitySchema = z.strictObject({
    namespace: z.string(),
    runbookBaseUrl: z.string(),
    prometheus: z.strictObject({ replicas: z.int(), retentionDays: z.int(), storageGiB: z.int() }),
    alertmanager: z.strictObject({ replicas: z.int(), storageGiB: z.int() }),
    logs: z.strictObject({ retentionDays: z.int() }),
    traces: z.strictObject({ retentionDays: z.int(), storageGiB: z.int() }),
    alerts: z.strictObject({
        errorRatePercent: z.number(),
        latencyP95Seconds: z.number(),
        containerMemoryPercent: z.number(),
        nodeCpuPercent: z.number(),
        diskFreePercent: z.number(),
        postgresConnectionsPercent: z.number(),
        redisMemoryPercent: z.number(),
        certificateExpiryDays: z.int(),
        backupMaxAgeHours: z.int(),
        restoreDrillMaxAgeDays: z.int(),
        databaseCpuPercent: z.number(),
        databaseFreeableMemoryMiB: z.int(),
        databaseConnections: z.int(),
        replicaLagSeconds: z.int(),
        cacheEvictions: z.int(),
    }),
    alertSubscriptions: z.array(z.strictObject({ protocol: z.enum(SubscriptionProtocol), endpoint: z.string() })),
});

// Types and key names only: components/backup/validate.ts checks the values.
const backupSchema = z.strictObject({
    // No profile can know it: left optional here so a missing region is reported with what it must be.
    drRegion: z.string().optional(),
    targets: z.strictObject({ rpoMinutes: z.int().optional(), rtoMinutes: z.int().optional() }),
    plan: z.strictObject({
        rules: z.record(
            z.string(),
            z.strictObject({ frequency: z.enum(BackupFrequency), startHourUtc: z.int(), retentionDays: z.int(), drCopyRetentionDays: z.int() }),
        ),
        startWindowMinutes: z.int(),
        completionWindowMinutes: z.int(),
    }),
    vaultLock: z.strictObject({ mode: z.enum(VaultLockMode), minRetentionDays: z.int(), maxRetentionDays: z.int(), complianceGraceDays: z.int() }),
    databaseReplication: z.strictObject({ enabled: z.boolean(), retentionDays: z.int() }),
    restoreTesting: z.strictObject({ enabled: z.boolean(), frequency: z.enum(BackupFrequency), startHourUtc: z.int(), validationWindowHours: z.int() }),
    velero: z.strictObject({
        namespace: z.string(),
        schedules: z.record(z.string(), z.strictObject({ scope: z.enum(VeleroScope), frequency: z.enum(BackupFrequency), startHourUtc: z.int(), ttlDays: z.int() })),
        replicateToDr: z.boolean(),
        noncurrentVersionDays: z.int(),
        restoreDrill: z.strictObject({
            enabled: z.boolean(),
            frequency: z.enum(BackupFrequency),
            startHourUtc: z.int(),
            sourceNamespace: z.string().optional(),
            scratchNamespace: z.string(),
            maxBackupAgeHours: z.int(),
        }),
    }),
});

// Types and key names only: components/delivery/validate.ts checks the values.
const deliverySchema = z.strictObject({
    name: z.string(),
    namespace: z.string(),
    // No profile can know these: left optional here so a missing one is reported with what it must be.
    hostname: z.string().optional(),
    certificateArn: z.string().optional(),
    image: z.strictObject({ repository: z.string(), tag: z.string() }),
    port: z.int(),
    metricsPort: z.int(),
    statusCodeLabel: z.string(),
    runAsUser: z.int(),
    replicas: z.int(),
    resources: z.strictObject({ requestsCpu: quantity, requestsMemory: quantity, limitsCpu: quantity, limitsMemory: quantity }),
    health: z.strictObject({ livenessPath: z.string(), readinessPath: z.string(), startupTimeoutSeconds: z.int() }),
    env: z.record(z.string(), z.string()),
    strategy: z.enum(DeliveryStrategy),
    canary: z.strictObject({
        steps: z.array(z.strictObject({ weightPercent: z.int(), pauseSeconds: z.int().default(0), awaitPromotion: z.boolean().default(false) })),
    }),
    blueGreen: z.strictObject({ autoPromotion: z.boolean(), autoPromotionSeconds: z.int(), scaleDownDelaySeconds: z.int() }),
    analysis: z.strictObject({
        intervalSeconds: z.int(),
        measurements: z.int(),
        failureLimit: z.int(),
        windowSeconds: z.int(),
        maxErrorRateIncreasePoints: z.number(),
        maxLatencyIncreasePercent: z.number(),
        maxTimeToAbortSeconds: z.int(),
    }),
    autoscaling: z.strictObject({ maxReplicas: z.int(), cpuUtilizationPercent: z.int(), memoryUtilizationPercent: z.int(), scaleDownStabilizationSeconds: z.int() }),
    controller: z.strictObject({ namespace: z.string(), replicas: z.int(), verifyTargetGroups: z.boolean() }),
    loadBalancerDeletionProtection: z.boolean(),
});

const tagsSchema = z.record(
    z
        .string()
        .min(1)
        .max(128)
        .refine((key) => !key.toLowerCase().startsWith("aws:"), { message: 'tag keys may not start with "aws:"' })
        .refine((key) => !(RESERVED_TAG_KEYS as readonly string[]).includes(key), {
            message: `tag keys ${RESERVED_TAG_KEYS.join(", ")} are set by the platform`,
        }),
    z.string().max(256),
);

function stackSchema(project: string) {
    return z.strictObject({
        [`${project}:${ENVIRONMENT_KEY}`]: z.enum(Environment),
        [`${project}:protectStatefulResources`]: z.boolean(),
        [`${project}:tags`]: tagsSchema,
        [`${project}:network`]: networkSchema,
        [`${project}:cluster`]: clusterSchema,
        [`${project}:database`]: databaseSchema,
        [`${project}:observability`]: observabilitySchema,
        [`${project}:backup`]: backupSchema,
        [`${project}:delivery`]: deliverySchema,
    });
}

/** The project's top-level config keys, without namespace (what Pulumi.yaml may declare). */
export const CONFIG_KEYS: readonly string[] = Object.keys(stackSchema("platform").shape).map((key) => key.split(":")[1]);

// --- loading ---------------------------------------------------------------------------------

/**
 * Turns a stack's raw config (Pulumi's `key -> string` map, objects as JSON) into a validated
 * `StackConfig`, or throws a `StackConfigError` listing every problem.
 */
export function loadStackConfig(raw: Readonly<Record<string, string>>, stack: string, project = "platform"): StackConfig {
    const stackFile = `Pulumi.${stack}.yaml`;
    const ours = Object.fromEntries(
        Object.entries(raw)
            .filter(([key]) => key.startsWith(`${project}:`))
            .map(([key, value]) => [key, decode(value)]),
    );
    const environmentKey = `${project}:${ENVIRONMENT_KEY}`;

    // First what picks the profile and the region: nothing else can be checked without them.
    const early: string[] = [];
    const environment = ours[environmentKey];
    if (environment === undefined) {
        early.push(`${environmentKey}: missing; expected one of ${quoteList(Object.values(Environment))}`);
    } else if (!Object.values(Environment).includes(environment as Environment)) {
        early.push(`${environmentKey}: got ${show(environment)}; expected one of ${quoteList(Object.values(Environment))}`);
    }
    const region = raw[REGION_KEY];
    if (region === undefined) {
        early.push(`${REGION_KEY}: missing; expected an AWS region such as "us-east-1"`);
    } else if (!Object.hasOwn(REGION_ZONE_COUNTS, region)) {
        early.push(
            `${REGION_KEY}: got ${show(region)}; expected a region whose availability zones this platform knows: ` +
                Object.keys(REGION_ZONE_COUNTS).join(", "),
        );
    }
    if (early.length > 0) {
        throw new StackConfigError(stackFile, early);
    }

    const profile = PROFILES[environment as Environment];
    const clusterKey = `${project}:cluster`;
    // Add-on builds follow the Kubernetes version the stack asks for, unless it pins its own.
    const requestedVersion = valueAt(ours, [clusterKey, "kubernetesVersion"]);
    const addonDefaults =
        typeof requestedVersion === "string" && Object.hasOwn(ADDON_VERSIONS, requestedVersion)
            ? ADDON_VERSIONS[requestedVersion]
            : ADDON_VERSIONS[profile.cluster.kubernetesVersion];
    const defaults: Record<string, unknown> = {
        [`${project}:protectStatefulResources`]: profile.protectStatefulResources,
        [`${project}:tags`]: {},
        [`${project}:network`]: profile.network,
        [clusterKey]: { ...profile.cluster, addonVersions: addonDefaults },
        [`${project}:database`]: profile.database,
        [`${project}:observability`]: profile.observability,
        [`${project}:backup`]: profile.backup,
        [`${project}:delivery`]: profile.delivery,
    };
    const merged = deepMerge(defaults, ours) as Record<string, unknown>;
    const schema = stackSchema(project);
    const result = schema.safeParse(merged);
    const problems = result.success ? [] : result.error.issues.flatMap((issue) => describeIssue(issue, merged, schema));

    const zoneValue = valueAt(merged, [`${project}:network`, "availabilityZoneCount"]);
    const zoneCount = Number.isInteger(zoneValue) ? (zoneValue as number) : undefined;
    const zonesInRegion = REGION_ZONE_COUNTS[region];
    if (zoneCount !== undefined && zoneCount > zonesInRegion && zoneCount <= MAX_AVAILABILITY_ZONES) {
        problems.push(
            `${project}:network.availabilityZoneCount: got ${zoneCount}; ` +
                `${region} has ${zonesInRegion} availability zones, so expected at most ${zonesInRegion}`,
        );
    }
    const cluster = clusterSchema.safeParse(merged[clusterKey]);
    if (cluster.success) {
        problems.push(...clusterProblems(cluster.data, clusterKey));
    }
    const databaseKey = `${project}:database`;
    const database = databaseSchema.safeParse(merged[databaseKey]);
    if (database.success) {
        problems.push(...databaseProblems(database.data, databaseKey));
    }
    const observabilityKey = `${project}:observability`;
    const observability = observabilitySchema.safeParse(merged[observabilityKey]);
    if (observability.success && cluster.success) {
        const taken = [...Object.keys(cluster.data.applicationNamespaces), cluster.data.nodeAgentNamespace];
        problems.push(...observabilityProblems(observability.data, taken, `${observabilityKey}.`));
    }
    const backupKey = `${project}:backup`;
    const backup = backupSchema.safeParse(merged[backupKey]);
    if (backup.success && cluster.success && observability.success && database.success) {
        const taken = [...Object.keys(cluster.data.applicationNamespaces), cluster.data.nodeAgentNamespace, observability.data.namespace, "default", "kube-system"];
        problems.push(...backupConfigProblems(backup.data, region, cluster.data, database.data, taken, `${backupKey}.`));
    }
    const deliveryKey = `${project}:delivery`;
    const delivery = deliverySchema.safeParse(merged[deliveryKey]);
    if (delivery.success && cluster.success && observability.success) {
        const taken = [cluster.data.nodeAgentNamespace, observability.data.namespace, "default", "kube-system"];
        if (backup.success) {
            taken.push(backup.data.velero.namespace);
        }
        problems.push(...deliveryConfigProblems(delivery.data, region, Object.keys(cluster.data.applicationNamespaces), taken, `${deliveryKey}.`));
    }
    // Physical names (the RDS instance, the cache) start with "<project>-<stack>".
    problems.push(...databaseNameProblems(`${project}-${stack}`, `the project and stack name "${project}-${stack}"`));
    if (problems.length > 0) {
        throw new StackConfigError(stackFile, problems);
    }

    const userTags = merged[`${project}:tags`] as Record<string, string>;
    return deepFreeze({
        project,
        stack,
        stackFile,
        environment: environment as Environment,
        region,
        protectStatefulResources: merged[`${project}:protectStatefulResources`] as boolean,
        tags: { ...userTags, environment: environment as string, stack, project, "managed-by": "pulumi" },
        network: merged[`${project}:network`] as NetworkConfig,
        cluster: merged[clusterKey] as ClusterConfig,
        database: merged[databaseKey] as DatabaseConfig,
        observability: merged[observabilityKey] as ObservabilityConfig,
        backup: merged[backupKey] as BackupConfig,
        // Parsed, so the steps' defaults (no pause, no manual gate) are filled in.
        delivery: (delivery.success ? delivery.data : merged[deliveryKey]) as DeliveryConfig,
    });
}

/** What the delivery component would reject, and a missing host name or certificate, said in the stack file's terms. */
function deliveryConfigProblems(
    delivery: z.infer<typeof deliverySchema>,
    region: string,
    applicationNamespaces: string[],
    takenNamespaces: string[],
    prefix: string,
): string[] {
    const problems: string[] = [];
    if (delivery.hostname === undefined) {
        problems.push(`${prefix}hostname: missing; expected the host name users reach the application at, such as "api.example.com" (each stack file sets its own)`);
    }
    if (delivery.certificateArn === undefined) {
        problems.push(`${prefix}certificateArn: missing; expected the ARN of the ACM certificate for the host name, in ${region} (each stack file sets its own)`);
    }
    const settings = { ...delivery, hostname: delivery.hostname ?? "", certificateArn: delivery.certificateArn ?? "" };
    const missing = ["hostname", "certificateArn"].filter((key) => delivery[key as "hostname" | "certificateArn"] === undefined);
    // A missing value is reported once, as missing.
    const rest = deliveryProblems(settings, { region, applicationNamespaces, takenNamespaces }, prefix).filter((p) => !missing.some((key) => p.startsWith(`${prefix}${key}:`)));
    return [...problems, ...rest];
}

/** The URL the platform's blackbox probe checks: the application's liveness path, through the ALB. */
export function applicationProbeUrl(delivery: Pick<DeliveryConfig, "hostname" | "health">): string {
    return `https://${delivery.hostname}${delivery.health.livenessPath}`;
}

/** The Backup component's settings from the config's: named rules and schedules become lists that carry their names. */
export function backupComponentSettings(backup: Omit<BackupConfig, "drRegion">) {
    const { plan, velero, ...rest } = backup;
    return {
        ...rest,
        plan: { ...plan, rules: Object.entries(plan.rules).map(([name, rule]) => ({ ...rule, name })) },
        velero: { ...velero, schedules: Object.entries(velero.schedules).map(([name, schedule]) => ({ ...schedule, name })) },
    };
}

/** What the backup component would reject, and a DR region that is no other region, said in the stack file's terms. */
function backupConfigProblems(
    backup: z.infer<typeof backupSchema>,
    region: string,
    cluster: ClusterConfig,
    database: DatabaseConfig,
    takenNamespaces: string[],
    prefix: string,
): string[] {
    const problems: string[] = [];
    if (backup.drRegion === undefined) {
        problems.push(`${prefix}drRegion: missing; expected the disaster-recovery region, such as "us-west-2" (each stack file sets its own)`);
    } else if (!Object.hasOwn(REGION_ZONE_COUNTS, backup.drRegion)) {
        problems.push(`${prefix}drRegion: got ${show(backup.drRegion)}; expected one of ${Object.keys(REGION_ZONE_COUNTS).join(", ")}`);
    } else if (backup.drRegion === region) {
        problems.push(`${prefix}drRegion: got ${show(backup.drRegion)}, the stack's own region (aws:region); expected another region, or a regional outage takes the backups too`);
    }
    const settings = backupSettings({
        ...backupComponentSettings(backup),
        applicationNamespaces: Object.keys(cluster.applicationNamespaces),
        databaseStorageGiB: database.postgres.allocatedStorageGiB,
    });
    return [...problems, ...backupSettingsProblems(settings, takenNamespaces, prefix)];
}

/** What the database component would reject, said in the stack file's terms. */
function databaseProblems(database: DatabaseConfig, key: string): string[] {
    return [
        ...postgresProblems(database.postgres, `${key}.postgres`),
        ...redisProblems(database.redis, `${key}.redis`),
        ...logRetentionProblems(database.logRetentionDays, `${key}.logRetentionDays`),
    ];
}

/** What the cluster component would reject, said in the stack file's terms. */
function clusterProblems(cluster: ClusterConfig, key: string): string[] {
    const groups = Object.entries(cluster.nodeGroups).map(([name, group]) => ({ ...group, name }));
    const namespaces = Object.entries(cluster.applicationNamespaces).map(([name, ns]) => ({ ...ns, name }));
    return [
        ...kubernetesVersionProblems(cluster.kubernetesVersion, `${key}.kubernetesVersion`),
        ...addonVersionProblems(cluster.addonVersions, cluster.kubernetesVersion, `${key}.addonVersions`),
        ...publicAccessCidrProblems(cluster.publicAccessCidrs, `${key}.publicAccessCidrs`),
        ...adminRoleArnProblems(cluster.adminRoleArns, `${key}.adminRoleArns`),
        ...logRetentionProblems(cluster.controlPlaneLogRetentionDays, `${key}.controlPlaneLogRetentionDays`),
        ...groups.flatMap((group) => nodeGroupProblems(group, `${key}.nodeGroups.${group.name}`)),
        ...nodeGroupSetProblems(groups, `${key}.nodeGroups`),
        ...namespaceProblems(namespaces, cluster.nodeAgentNamespace, (_, name) => `${key}.applicationNamespaces.${name}`, `${key}.nodeAgentNamespace`),
    ];
}

/** The running stack's config, as the Pulumi CLI (or the offline engine's mocks) provides it. */
export function readStackConfig(): StackConfig {
    return loadStackConfig(pulumi.runtime.allConfig(), pulumi.getStack(), pulumi.getProject());
}

// --- messages --------------------------------------------------------------------------------

function describeIssue(issue: z.core.$ZodIssue, merged: Record<string, unknown>, schema: z.ZodType): string[] {
    const at = (path: PropertyKey[]) => displayPath(path);
    const given = show(valueAt(merged, issue.path));
    switch (issue.code) {
        case "unrecognized_keys": {
            const known = schemaKeysAt(schema, issue.path);
            return issue.keys.map((key) => {
                const guess = closest(key, known);
                const hint = guess ? `; did you mean ${show(guess)}?` : "";
                return `${at([...issue.path, key])}: unknown key${hint} (allowed: ${known.join(", ")})`;
            });
        }
        case "invalid_key":
            return issue.issues.map((inner) => `${at(issue.path)}: key not allowed; ${inner.message}`);
        case "invalid_type":
            return [`${at(issue.path)}: got ${given}; expected ${article(issue.expected)}`];
        case "invalid_value":
            return [`${at(issue.path)}: got ${given}; expected one of ${quoteList(issue.values.map(String))}`];
        case "too_small":
            return [`${at(issue.path)}: got ${given}; expected at least ${String(issue.minimum)}${unitOf(issue.origin)}`];
        case "too_big":
            return [`${at(issue.path)}: got ${given}; expected at most ${String(issue.maximum)}${unitOf(issue.origin)}`];
        default:
            return [`${at(issue.path)}: got ${given}; ${issue.message}`];
    }
}

/** The keys a schema allows at `path`. */
function schemaKeysAt(schema: z.ZodType, path: PropertyKey[]): string[] {
    let node: z.ZodType | undefined = schema;
    for (const key of path) {
        if (node instanceof z.ZodObject) {
            node = (node.shape as Record<PropertyKey, z.ZodType>)[key];
        } else if (node instanceof z.ZodRecord) {
            // A map keyed by name (node groups, namespaces): every entry has the value's shape.
            node = node.valueType as z.ZodType;
        } else {
            node = undefined;
        }
    }
    return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function displayPath(path: PropertyKey[]): string {
    return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`)).join("");
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
    return path.reduce<unknown>((node, key) => (isPlainObject(node) || Array.isArray(node) ? (node as Record<PropertyKey, unknown>)[key] : undefined), root);
}

function show(value: unknown): string {
    if (value === undefined) {
        return "nothing";
    }
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function quoteList(values: string[]): string {
    return values.map((v) => JSON.stringify(v)).join(", ");
}

function article(expected: string): string {
    const names: Record<string, string> = { int: "an integer", object: "an object (a YAML mapping)", array: "a list" };
    return names[expected] ?? `a ${expected}`;
}

function unitOf(origin: string): string {
    return origin === "string" ? " characters" : origin === "array" ? " items" : "";
}

/** The allowed key nearest to a mistyped one (edit distance at most 2, or same letters ignoring case). */
function closest(key: string, allowed: string[]): string | undefined {
    const scored = allowed.map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }));
    scored.sort((a, b) => a.distance - b.distance);
    return scored.length > 0 && scored[0].distance <= 2 ? scored[0].candidate : undefined;
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}

// --- plumbing --------------------------------------------------------------------------------

/** Pulumi hands objects, numbers and booleans over as JSON text and strings as themselves. */
function decode(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; anything else in `override` (lists included) replaces. */
function deepMerge(base: unknown, override: unknown): unknown {
    if (!isPlainObject(base) || !isPlainObject(override)) {
        return override === undefined ? base : override;
    }
    // Built with fromEntries so a "__proto__" key stays an ordinary (and so unknown) key.
    const keys = [...new Set([...Object.keys(base), ...Object.keys(override)])];
    return Object.fromEntries(keys.map((key) => [key, deepMerge(Object.hasOwn(base, key) ? base[key] : undefined, override[key])]));
}

function deepFreeze<T>(value: T): T {
    if (typeof value === "object" && value !== null) {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
    }
    return value;
}
