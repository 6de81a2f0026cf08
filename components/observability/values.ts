/**
 * Helm values of the observability charts: pure functions of plain settings, so tests read
 * them without Pulumi. No value here is a secret: the Grafana password and the exporters'
 * credentials arrive through Kubernetes Secrets the charts reference by name.
 */
import { RESTRICTED_CONTAINER, RESTRICTED_POD } from "../cluster/tenancy";
import { Severity } from "./alerts";

/** What runs where, and what every pod shares. */
export interface Placement {
    /** Namespace of the monitoring stack (restricted Pod Security). */
    namespace: string;
    /** Namespace for agents with host access (privileged). */
    nodeAgentNamespace: string;
    priorityClassName: string;
    storageClassName: string;
    /** `release` label the Prometheus operator selects rules and monitors by. */
    releaseLabel: string;
}

type Values = Record<string, unknown>;

function resources(cpu: string, memory: string, memoryLimit = memory): Values {
    return { requests: { cpu, memory }, limits: { memory: memoryLimit } };
}

function volumeClaim(storageClassName: string, storageGiB: number): Values {
    return { spec: { storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${storageGiB}Gi` } } } };
}

/** Spread replicas across zones when possible; never block scheduling on it. */
function spreadAcrossZones(labels: Record<string, string>): Values[] {
    return [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: labels } }];
}

export interface MonitoringStackSettings {
    /** Prefix of every object the chart names (services, statefulsets). */
    fullname: string;
    prometheus: { replicas: number; retentionDays: number; storageGiB: number };
    alertmanager: { replicas: number; storageGiB: number };
    alertTopicArn: string;
    region: string;
    alertmanagerRoleArn: string;
    alertmanagerServiceAccount: string;
    /** Secret with keys `admin-user` and `admin-password`. */
    grafanaAdminSecret: string;
    lokiUrl: string;
    tempoUrl: string;
    clusterName: string;
}

/** Alertmanager's routing: critical alerts to the topic, the rest kept in Alertmanager. */
export function alertmanagerConfig(topicArn: string, region: string): Values {
    return {
        global: { resolve_timeout: "5m" },
        route: {
            receiver: "none",
            group_by: ["alertname", "namespace"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "4h",
            routes: [
                // The chart's always-firing heartbeat: proof the pipeline works, not news.
                { receiver: "none", matchers: ['alertname = "Watchdog"'] },
                { receiver: "alert-topic", matchers: [`severity = "${Severity.Critical}"`] },
            ],
        },
        // A critical alert silences the warning of the same name and namespace.
        inhibit_rules: [
            { source_matchers: [`severity = "${Severity.Critical}"`], target_matchers: [`severity = "${Severity.Warning}"`], equal: ["alertname", "namespace"] },
        ],
        receivers: [
            { name: "none" },
            {
                name: "alert-topic",
                // SigV4 with the pod's web identity (IRSA): no keys anywhere.
                sns_configs: [{ topic_arn: topicArn, sigv4: { region }, send_resolved: true, subject: "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}" }],
            },
        ],
    };
}

/**
 * kube-prometheus-stack. Every pod but the node exporter meets the restricted profile with the
 * chart's own security contexts (operator, webhook jobs, Prometheus, Alertmanager,
 * kube-state-metrics, Grafana without a volume), so they are not repeated here.
 */
export function monitoringStackValues(s: MonitoringStackSettings, p: Placement): Values {
    const retentionGiB = Math.floor(s.prometheus.storageGiB * 0.85);
    return {
        fullnameOverride: s.fullname,
        crds: { enabled: true },
        // EKS runs the control plane: its scheduler, controller manager, etcd and kube-proxy
        // metrics are not reachable, and their rules would only report them down.
        kubeControllerManager: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeEtcd: { enabled: false },
        kubeProxy: { enabled: false },
        defaultRules: {
            create: true,
            rules: { etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeProxy: false },
        },
        prometheusOperator: {
            priorityClassName: p.priorityClassName,
            resources: resources("100m", "256Mi"),
            admissionWebhooks: { patch: { priorityClassName: p.priorityClassName } },
        },
        prometheus: {
            prometheusSpec: {
                replicas: s.prometheus.replicas,
                retention: `${s.prometheus.retentionDays}d`,
                // Below the volume's size, so a burst of series trims history instead of filling the disk.
                retentionSize: `${retentionGiB}GB`,
                storageSpec: { volumeClaimTemplate: volumeClaim(p.storageClassName, s.prometheus.storageGiB) },
                // Select rules, monitors and probes by the release label, in every namespace:
                // ours carry it (see PrometheusRule and monitors in index.ts).
                ruleSelectorNilUsesHelmValues: true,
                serviceMonitorSelectorNilUsesHelmValues: true,
                podMonitorSelectorNilUsesHelmValues: true,
                probeSelectorNilUsesHelmValues: true,
                externalLabels: { cluster: s.clusterName },
                priorityClassName: p.priorityClassName,
                resources: resources("500m", "2Gi", "4Gi"),
                topologySpreadConstraints: spreadAcrossZones({ "app.kubernetes.io/name": "prometheus" }),
            },
        },
        alertmanager: {
            serviceAccount: { create: true, name: s.alertmanagerServiceAccount, annotations: { "eks.amazonaws.com/role-arn": s.alertmanagerRoleArn } },
            config: alertmanagerConfig(s.alertTopicArn, s.region),
            alertmanagerSpec: {
                replicas: s.alertmanager.replicas,
                storage: { volumeClaimTemplate: volumeClaim(p.storageClassName, s.alertmanager.storageGiB) },
                priorityClassName: p.priorityClassName,
                resources: resources("50m", "128Mi", "256Mi"),
                topologySpreadConstraints: spreadAcrossZones({ "app.kubernetes.io/name": "alertmanager" }),
            },
        },
        grafana: {
            fullnameOverride: `${s.fullname}-grafana`,
            admin: { existingSecret: s.grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" },
            // Dashboards and data sources come from ConfigMaps and values: nothing to keep on disk.
            persistence: { enabled: false },
            // Its chown init container runs as root; with no volume it has nothing to do.
            initChownData: { enabled: false },
            testFramework: { enabled: false },
            priorityClassName: p.priorityClassName,
            resources: resources("100m", "256Mi", "512Mi"),
            // Its containers meet the restricted profile as the chart sets them; the pod adds seccomp.
            securityContext: { ...RESTRICTED_POD, runAsUser: 472, runAsGroup: 472, fsGroup: 472 },
            sidecar: {
                dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: p.namespace },
            },
            additionalDataSources: [
                { name: "Loki", type: "loki", uid: "loki", access: "proxy", url: s.lokiUrl },
                { name: "Tempo", type: "tempo", uid: "tempo", access: "proxy", url: s.tempoUrl },
            ],
            "grafana.ini": {
                analytics: { check_for_updates: false, reporting_enabled: false },
                users: { allow_sign_up: false },
                "auth.anonymous": { enabled: false },
            },
        },
        "kube-state-metrics": {
            priorityClassName: p.priorityClassName,
            resources: resources("50m", "128Mi", "256Mi"),
        },
        nodeExporter: { enabled: true },
        // The node exporter reads the host's /proc and /sys: it runs in the node-agent namespace.
        "prometheus-node-exporter": {
            namespaceOverride: p.nodeAgentNamespace,
            priorityClassName: p.priorityClassName,
            resources: resources("50m", "64Mi", "128Mi"),
            tolerations: [{ operator: "Exists" }],
        },
    };
}

export interface LogStoreSettings {
    fullname: string;
    bucketName: string;
    region: string;
    retentionDays: number;
    roleArn: string;
    serviceAccount: string;
    replicas: number;
}

export function logStoreValues(s: LogStoreSettings, p: Placement): Values {
    return {
        deploymentMode: "Monolithic",
        fullnameOverride: s.fullname,
        loki: {
            auth_enabled: false,
            commonConfig: { replication_factor: 1 },
            schemaConfig: {
                configs: [{ from: "2024-04-01", store: "tsdb", object_store: "s3", schema: "v13", index: { prefix: "loki_index_", period: "24h" } }],
            },
            storage: {
                type: "s3",
                // One bucket: Loki keeps chunks, index and ruler data under separate prefixes.
                bucketNames: { chunks: s.bucketName, ruler: s.bucketName },
                s3: { region: s.region },
            },
            compactor: { retention_enabled: true, delete_request_store: "s3" },
            limits_config: { retention_period: `${s.retentionDays * 24}h` },
        },
        serviceAccount: { create: true, name: s.serviceAccount, annotations: { "eks.amazonaws.com/role-arn": s.roleArn } },
        singleBinary: {
            replicas: s.replicas,
            persistence: { enabled: true, storageClass: p.storageClassName, size: "10Gi" },
            priorityClassName: p.priorityClassName,
            resources: resources("250m", "512Mi", "2Gi"),
        },
        // Monolithic: the scalable targets run no pods (the chart refuses both at once).
        read: { replicas: 0 },
        write: { replicas: 0 },
        backend: { replicas: 0 },
        // Fluent Bit and Grafana talk to Loki's own service; no nginx in between.
        gateway: { enabled: false },
        // The memcached caches ask for 9 GiB by default: out of proportion to one Loki.
        chunksCache: { enabled: false },
        resultsCache: { enabled: false },
        // The canary is what `helm test` checks; both go together or the chart fails.
        lokiCanary: { enabled: false },
        test: { enabled: false },
        minio: { enabled: false },
    };
}

export interface LogShipperSettings {
    lokiHost: string;
    lokiPort: number;
    clusterName: string;
}

export function logShipperValues(s: LogShipperSettings, p: Placement): Values {
    return {
        kind: "DaemonSet",
        priorityClassName: p.priorityClassName,
        serviceMonitor: { enabled: true, selector: { release: p.releaseLabel } },
        testFramework: { enabled: false },
        resources: resources("50m", "64Mi", "256Mi"),
        // Every node's containers log, tainted nodes included.
        tolerations: [{ operator: "Exists" }],
        config: {
            inputs: [
                "[INPUT]",
                "    Name tail",
                "    Path /var/log/containers/*.log",
                "    multiline.parser cri",
                "    Tag kube.*",
                "    Mem_Buf_Limit 50MB",
                "    Skip_Long_Lines On",
            ].join("\n"),
            filters: [
                "[FILTER]",
                "    Name kubernetes",
                "    Match kube.*",
                "    Merge_Log On",
                "    Keep_Log Off",
                "    K8S-Logging.Parser On",
                "    K8S-Logging.Exclude On",
            ].join("\n"),
            outputs: [
                "[OUTPUT]",
                "    Name loki",
                "    Match kube.*",
                `    Host ${s.lokiHost}`,
                `    Port ${s.lokiPort}`,
                // Few, bounded labels: Loki indexes labels, and a high-cardinality one (pod) slows it down.
                `    Labels job=fluent-bit, cluster=${s.clusterName}, namespace=$kubernetes['namespace_name'], container=$kubernetes['container_name']`,
                "    Line_format json",
                "    Retry_Limit 10",
            ].join("\n"),
        },
    };
}

export interface TraceStoreSettings {
    fullname: string;
    retentionDays: number;
    storageGiB: number;
}

/** OTLP receiver ports: gRPC and HTTP. */
export const OTLP_PORTS = { grpc: 4317, http: 4318 } as const;

export function traceStoreValues(s: TraceStoreSettings, p: Placement): Values {
    return {
        fullnameOverride: s.fullname,
        tempo: {
            retention: `${s.retentionDays * 24}h`,
            receivers: {
                otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${OTLP_PORTS.grpc}` }, http: { endpoint: `0.0.0.0:${OTLP_PORTS.http}` } } },
                // Helm merges maps: null removes the chart's default Jaeger receivers, OTLP is the one way in.
                jaeger: null,
            },
            storage: { trace: { backend: "local", local: { path: "/var/tempo/traces" }, wal: { path: "/var/tempo/wal" } } },
            resources: resources("250m", "512Mi", "2Gi"),
            // Not read-only: Tempo writes beside its binary at start (the chart says so).
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
        },
        persistence: { enabled: true, storageClassName: p.storageClassName, size: `${s.storageGiB}Gi` },
        // The chart's pod-level context: non-root already, seccomp added.
        securityContext: { ...RESTRICTED_POD, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 },
        priorityClassName: p.priorityClassName,
    };
}

/** The blackbox exporter's module for the application's URL: HTTPS only, 2xx, certificate verified. */
export const PROBE_MODULE = "https_2xx";

export function probeExporterValues(fullname: string, p: Placement): Values {
    return {
        fullnameOverride: fullname,
        config: {
            modules: {
                [PROBE_MODULE]: {
                    prober: "http",
                    timeout: "10s",
                    http: { valid_status_codes: [], method: "GET", fail_if_not_ssl: true, preferred_ip_protocol: "ip4", follow_redirects: true },
                },
            },
        },
        priorityClassName: p.priorityClassName,
        resources: resources("25m", "32Mi", "64Mi"),
        // The chart's container context is restricted already; the pod lacks only seccomp.
        podSecurityContext: { seccompProfile: { type: "RuntimeDefault" } },
    };
}

export interface DatabaseExporterSettings {
    fullname: string;
    host: string;
    port: number;
    databaseName: string;
    /** Secret with keys `username` and `password`. */
    credentialsSecret: string;
}

export function databaseExporterValues(s: DatabaseExporterSettings, p: Placement): Values {
    return {
        fullnameOverride: s.fullname,
        config: {
            datasource: {
                host: s.host,
                port: String(s.port),
                database: s.databaseName,
                // The database refuses plain connections (rds.force_ssl).
                sslmode: "require",
                userSecret: { name: s.credentialsSecret, key: "username" },
                passwordSecret: { name: s.credentialsSecret, key: "password" },
            },
        },
        priorityClassName: p.priorityClassName,
        // The chart's pod and container contexts meet the restricted profile as they are.
        resources: resources("25m", "64Mi", "128Mi"),
    };
}

export interface CacheExporterSettings {
    fullname: string;
    host: string;
    port: number;
    /** Secret with key `authToken`. */
    credentialsSecret: string;
}

export function cacheExporterValues(s: CacheExporterSettings, p: Placement): Values {
    return {
        fullnameOverride: s.fullname,
        // rediss: the cache requires TLS in transit.
        redisAddress: `rediss://${s.host}:${s.port}`,
        auth: { enabled: true, secret: { name: s.credentialsSecret, key: "authToken" } },
        // ElastiCache refuses CONFIG; without this the exporter logs an error every scrape.
        extraArgs: { "config-command": "-" },
        priorityClassName: p.priorityClassName,
        resources: resources("25m", "32Mi", "64Mi"),
        // The chart sets no contexts; the image runs as 59000.
        podSecurityContext: { ...RESTRICTED_POD, runAsUser: 59000, runAsGroup: 59000 },
        securityContext: RESTRICTED_CONTAINER,
    };
}
