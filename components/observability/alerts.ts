/**
 * The platform's Prometheus alerts: the application, the cluster, the database and cache, the
 * certificate and the backups. Pure functions of the thresholds, so tests parse every
 * expression and check every threshold without Pulumi.
 */
import { AlertThresholdsArgs } from "./args";
import { APPLICATION_METRICS } from "./metrics";

export enum Severity {
    /** Pages: Alertmanager sends it to the alert topic. */
    Critical = "critical",
    /** Shown in Alertmanager and Grafana; nobody is woken. */
    Warning = "warning",
}

export interface AlertRule {
    alert: string;
    expr: string;
    for: string;
    labels: { severity: Severity };
    annotations: { summary: string; description: string; runbook_url: string };
}

export interface RuleGroup {
    name: string;
    rules: AlertRule[];
}

export interface AlertSettings {
    thresholds: AlertThresholdsArgs;
    /** The application namespaces whose request metrics the application alerts read. */
    applicationNamespaces: readonly string[];
    /** The `job` label of the probe of the application's public URL. */
    probeJob: string;
    runbookBaseUrl: string;
    /** The restore drill's CronJob, when there is one. */
    restoreDrill?: { namespace: string; cronJobName: string };
}

type RuleMaker = (alert: string, severity: Severity, forDuration: string, expr: string, summary: string, description: string) => AlertRule;

/** A failed drill's Job stays until its TTL removes it (a week), so the failure alert fires that long. */
function restoreDrillRules(settings: AlertSettings, rule: RuleMaker): AlertRule[] {
    const drill = settings.restoreDrill;
    if (drill === undefined) {
        return [];
    }
    const days = settings.thresholds.restoreDrillMaxAgeDays;
    return [
        rule(
            "RestoreDrillFailed",
            Severity.Critical,
            "1m",
            `kube_job_status_failed{namespace="${drill.namespace}", job_name=~"${drill.cronJobName}-.+"} > 0`,
            "The restore drill {{ $labels.job_name }} failed",
            "Restoring the latest application backup into the scratch namespace failed: the backups may not restore. The Job's log says which check failed.",
        ),
        rule(
            "RestoreDrillOverdue",
            Severity.Critical,
            "1h",
            `time() - kube_cronjob_status_last_successful_time{namespace="${drill.namespace}", cronjob="${drill.cronJobName}"} > ${days} * 86400`,
            "The restore drill last passed {{ $value | humanizeDuration }} ago",
            `No restore drill has passed in ${days} days: nobody has proven recently that the backups restore.`,
        ),
    ];
}

/** File-system types that are not disks (memory, container layers, images). */
const NOT_DISKS = 'fstype!~"tmpfs|overlay|squashfs"';

/** A PromQL regular expression matching exactly these names. */
function exactly(names: readonly string[]): string {
    return names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\\\$&")).join("|");
}

export function alertGroups(settings: AlertSettings): RuleGroup[] {
    const t = settings.thresholds;
    const apps = `namespace=~"${exactly(settings.applicationNamespaces)}"`;
    const probe = `job="${settings.probeJob}"`;
    const rule: RuleMaker = (alert, severity, forDuration, expr, summary, description) => ({
        alert,
        expr,
        for: forDuration,
        labels: { severity },
        annotations: { summary, description, runbook_url: `${settings.runbookBaseUrl}#${alert.toLowerCase()}` },
    });
    const requests = APPLICATION_METRICS.requests;

    return [
        {
            name: "platform-application",
            rules: [
                rule(
                    "ApplicationErrorRateHigh",
                    Severity.Critical,
                    "5m",
                    `sum by (namespace) (rate(${requests}{${apps},code=~"5.."}[5m])) / sum by (namespace) (rate(${requests}{${apps}}[5m])) > ${t.errorRatePercent / 100}`,
                    "More than {{ $value | humanizePercentage }} of requests in {{ $labels.namespace }} fail",
                    `Over ${t.errorRatePercent}% of the application's responses in {{ $labels.namespace }} have been 5xx for 5 minutes.`,
                ),
                rule(
                    "ApplicationLatencyHigh",
                    Severity.Warning,
                    "10m",
                    `histogram_quantile(0.95, sum by (namespace, le) (rate(${APPLICATION_METRICS.duration}_bucket{${apps}}[5m]))) > ${t.latencyP95Seconds}`,
                    "p95 latency in {{ $labels.namespace }} is {{ $value | humanizeDuration }}",
                    `The application's 95th percentile latency in {{ $labels.namespace }} has been above ${t.latencyP95Seconds}s for 10 minutes.`,
                ),
                rule(
                    "ApplicationDown",
                    Severity.Critical,
                    "2m",
                    `probe_success{${probe}} == 0`,
                    "The application's public URL does not answer",
                    "The blackbox probe of {{ $labels.instance }} has failed for 2 minutes: users cannot reach the application.",
                ),
                rule(
                    "TlsCertificateExpiringSoon",
                    Severity.Warning,
                    "10m",
                    `probe_ssl_earliest_cert_expiry{${probe}} - time() < ${t.certificateExpiryDays} * 86400`,
                    "The certificate of {{ $labels.instance }} expires in {{ $value | humanizeDuration }}",
                    `A certificate served at {{ $labels.instance }} expires in less than ${t.certificateExpiryDays} days.`,
                ),
            ],
        },
        {
            name: "platform-cluster",
            rules: [
                rule(
                    "ScrapeTargetDown",
                    Severity.Warning,
                    "2m",
                    "up == 0",
                    "{{ $labels.job }} target {{ $labels.instance }} is down",
                    "Prometheus has failed to scrape {{ $labels.instance }} (job {{ $labels.job }}, namespace {{ $labels.namespace }}) for 2 minutes.",
                ),
                rule(
                    "ContainerMemoryNearLimit",
                    Severity.Warning,
                    "5m",
                    'max by (namespace, pod, container) (container_memory_working_set_bytes{container!="",container!="POD"}) ' +
                        `/ max by (namespace, pod, container) (kube_pod_container_resource_limits{resource="memory"}) > ${t.containerMemoryPercent / 100}`,
                    "{{ $labels.namespace }}/{{ $labels.pod }} {{ $labels.container }} uses {{ $value | humanizePercentage }} of its memory limit",
                    `The container has used over ${t.containerMemoryPercent}% of its memory limit for 5 minutes; at the limit it is OOM-killed.`,
                ),
                rule(
                    "NodeCpuHigh",
                    Severity.Warning,
                    "10m",
                    `1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) > ${t.nodeCpuPercent / 100}`,
                    "Node {{ $labels.instance }} CPU is {{ $value | humanizePercentage }} busy",
                    `The node's CPU has been over ${t.nodeCpuPercent}% busy for 10 minutes.`,
                ),
                rule(
                    "NodeDiskFreeLow",
                    Severity.Critical,
                    "5m",
                    `node_filesystem_avail_bytes{${NOT_DISKS}} / node_filesystem_size_bytes{${NOT_DISKS}} < ${t.diskFreePercent / 100}`,
                    "{{ $labels.mountpoint }} on {{ $labels.instance }} has {{ $value | humanizePercentage }} free",
                    `A node filesystem has had less than ${t.diskFreePercent}% free for 5 minutes; the kubelet evicts pods when it fills.`,
                ),
                rule(
                    "VolumeFreeLow",
                    Severity.Critical,
                    "5m",
                    `kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < ${t.diskFreePercent / 100}`,
                    "Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has {{ $value | humanizePercentage }} free",
                    `A persistent volume has had less than ${t.diskFreePercent}% free for 5 minutes.`,
                ),
            ],
        },
        {
            name: "platform-database",
            rules: [
                rule(
                    "PostgresUnreachable",
                    Severity.Critical,
                    "2m",
                    "pg_up == 0",
                    "The PostgreSQL exporter cannot connect to the database",
                    "pg_up has been 0 for 2 minutes: the database is down, unreachable from the cluster, or refuses the exporter's credentials.",
                ),
                rule(
                    "PostgresConnectionsHigh",
                    Severity.Warning,
                    "5m",
                    `sum by (instance) (pg_stat_database_numbackends) / max by (instance) (pg_settings_max_connections) > ${t.postgresConnectionsPercent / 100}`,
                    "PostgreSQL uses {{ $value | humanizePercentage }} of max_connections",
                    `Connections have been above ${t.postgresConnectionsPercent}% of max_connections for 5 minutes; new connections fail at 100%.`,
                ),
                rule(
                    "RedisUnreachable",
                    Severity.Critical,
                    "2m",
                    "redis_up == 0",
                    "The Redis exporter cannot connect to the cache",
                    "redis_up has been 0 for 2 minutes: the cache is down, unreachable from the cluster, or refuses the exporter's auth token.",
                ),
                rule(
                    "RedisMemoryHigh",
                    Severity.Warning,
                    "5m",
                    // ElastiCache reports maxmemory; a 0 (no limit) would divide into +Inf.
                    `redis_memory_used_bytes / (redis_memory_max_bytes > 0) > ${t.redisMemoryPercent / 100}`,
                    "Redis uses {{ $value | humanizePercentage }} of maxmemory",
                    `Redis has used over ${t.redisMemoryPercent}% of its memory for 5 minutes; at the limit it evicts keys.`,
                ),
            ],
        },
        {
            name: "platform-backup",
            rules: [
                rule(
                    "VeleroBackupTooOld",
                    Severity.Critical,
                    "10m",
                    `time() - velero_backup_last_successful_timestamp{schedule!=""} > ${t.backupMaxAgeHours} * 3600`,
                    "Velero schedule {{ $labels.schedule }} last succeeded {{ $value | humanizeDuration }} ago",
                    `The schedule's last successful backup is older than ${t.backupMaxAgeHours} hours: the cluster's recovery point is slipping.`,
                ),
                ...restoreDrillRules(settings, rule),
            ],
        },
    ];
}
