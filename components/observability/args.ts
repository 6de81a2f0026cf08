import * as pulumi from "@pulumi/pulumi";

/** How an alert subscriber receives messages from the alert topic. */
export enum SubscriptionProtocol {
    /** A mailbox; AWS sends a confirmation mail first. */
    Email = "email",
    /** A webhook (an on-call service's SNS integration URL); AWS sends a confirmation request first. */
    Https = "https",
    /** An SQS queue ARN. */
    Sqs = "sqs",
    /** A Lambda function ARN. */
    Lambda = "lambda",
}

export interface AlertSubscriptionArgs {
    protocol: SubscriptionProtocol;
    /** Address, URL or ARN, as the protocol expects. */
    endpoint: string;
}

export interface PrometheusArgs {
    /** Prometheus servers; each keeps a full copy, so 2 survive one's loss. */
    replicas: number;
    /** Days of metrics to keep. */
    retentionDays: number;
    /** Size of each server's gp3 volume. */
    storageGiB: number;
}

export interface AlertmanagerArgs {
    /** Alertmanager peers; they gossip to send each notification once. */
    replicas: number;
    /** Size of each peer's volume (silences and notification log). */
    storageGiB: number;
}

export interface LogsArgs {
    /** Days Loki keeps logs: the compactor's retention and the bucket's expiry. */
    retentionDays: number;
}

export interface TracesArgs {
    /** Days Tempo keeps traces. */
    retentionDays: number;
    /** Size of Tempo's gp3 volume. */
    storageGiB: number;
}

/** Thresholds of the Prometheus alerts and CloudWatch alarms. */
export interface AlertThresholdsArgs {
    /** Share of the application's responses that are 5xx, in percent. */
    errorRatePercent: number;
    /** 95th percentile of the application's request latency, in seconds. */
    latencyP95Seconds: number;
    /** A container's working set as a share of its memory limit, in percent. */
    containerMemoryPercent: number;
    /** A node's busy CPU, in percent. */
    nodeCpuPercent: number;
    /** Free space of a node filesystem or persistent volume, in percent (below alerts). */
    diskFreePercent: number;
    /** PostgreSQL connections as a share of max_connections, in percent. */
    postgresConnectionsPercent: number;
    /** Redis used memory as a share of maxmemory, in percent (also the ElastiCache alarm). */
    redisMemoryPercent: number;
    /** Days before the application's TLS certificate expires (below alerts). */
    certificateExpiryDays: number;
    /** Age of a Velero schedule's last successful backup, in hours (above alerts). */
    backupMaxAgeHours: number;
    /** Days since the restore drill last passed (above alerts). */
    restoreDrillMaxAgeDays: number;
    /** RDS CPU utilisation, in percent. */
    databaseCpuPercent: number;
    /** RDS freeable memory, in MiB (below alarms). */
    databaseFreeableMemoryMiB: number;
    /** RDS connections (above alarms); set it near 80% of the instance class's max_connections. */
    databaseConnections: number;
    /** Read replica lag, in seconds. */
    replicaLagSeconds: number;
    /** ElastiCache evictions in five minutes (above alarms). */
    cacheEvictions: number;
}

/** The database and cache the exporters and alarms watch (the Database component's outputs). */
export interface DatabaseTargetArgs {
    /** PostgreSQL host name. */
    endpoint: pulumi.Input<string>;
    port: pulumi.Input<number>;
    databaseName: pulumi.Input<string>;
    /** Secrets Manager secret with the master user's `username` and `password`. */
    masterUserSecretArn: pulumi.Input<string>;
    /** RDS identifier of the primary instance. */
    instanceIdentifier: pulumi.Input<string>;
    /** RDS identifiers of the read replicas (one lag alarm each). */
    replicaIdentifiers: pulumi.Input<string>[];
    /** Initial storage of the instance: the free-storage alarm fires below `diskFreePercent` of it. */
    allocatedStorageGiB: number;
    redisPrimaryEndpoint: pulumi.Input<string>;
    redisPort: pulumi.Input<number>;
    /** Secrets Manager secret with the cache's `authToken`. */
    redisAuthSecretArn: pulumi.Input<string>;
    /** ElastiCache cluster ids of the cache's nodes (one memory and one eviction alarm each). */
    redisNodeIds: pulumi.Input<string>[];
    /** IAM policy (JSON) that reads exactly those two secrets: given to the exporters' secret reader. */
    credentialsReadPolicyJson: pulumi.Input<string>;
}

/** Where the restore drill's CronJob runs (known before the Backup component creates it). */
export interface RestoreDrillTargetArgs {
    namespace: string;
    cronJobName: string;
}

export interface ObservabilityArgs {
    /** Name of the EKS cluster: the `cluster` label on every metric and log line. */
    clusterName: pulumi.Input<string>;
    /** ARN of the cluster's IAM OIDC provider, for the service-account roles. */
    oidcProviderArn: pulumi.Input<string>;
    /** Issuer URL of the cluster's service-account tokens. */
    oidcProviderUrl: pulumi.Input<string>;
    /** Kubernetes minor version, for the namespace's Pod Security labels. */
    kubernetesVersion: string;
    /** The namespace the Cluster set aside for node agents with host access (Fluent Bit, the node exporter). */
    nodeAgentNamespace: string;
    /** Application namespaces: their pods' `metrics` ports are scraped and let through to Prometheus. */
    applicationNamespaces: string[];
    /** Namespace of the monitoring stack (created here, restricted). @default "monitoring" */
    namespace?: string;
    /** Public URL of the application that the blackbox exporter probes (https, for the TLS expiry alert). */
    applicationUrl: string;
    /** Base URL of the runbooks; each alert links `<runbookBaseUrl>#<alert name in lower case>`. */
    runbookBaseUrl: string;
    prometheus: PrometheusArgs;
    alertmanager: AlertmanagerArgs;
    logs: LogsArgs;
    traces: TracesArgs;
    alerts: AlertThresholdsArgs;
    /** Who receives critical alerts and alarms. @default [] */
    alertSubscriptions?: AlertSubscriptionArgs[];
    /** The database and cache to watch. */
    database: DatabaseTargetArgs;
    /** The Backup component's restore drill, whose failures and silence are alerted on. @default no drill */
    restoreDrill?: RestoreDrillTargetArgs;
    /** NAT gateways whose port allocation is watched (one alarm each). @default [] */
    natGatewayIds?: pulumi.Input<string>[];
    /** Pulumi `protect` on the log bucket and the keys. @default false */
    protectStatefulResources?: boolean;
    /** @default {} */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}
