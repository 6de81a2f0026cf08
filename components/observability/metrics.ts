/**
 * The metric names alerts and dashboards may use, by the exporter that produces them. An
 * expression naming a metric outside this catalogue would watch a series that never exists
 * and so never fire; the tests hold every alert and dashboard to it.
 */

/**
 * The application's side of the contract: what the API service exposes on the container port
 * named {@link APPLICATION_METRICS_PORT} at /metrics (the Prometheus client libraries' defaults).
 */
export const APPLICATION_METRICS = {
    /** Counter; labels method, route and code (the HTTP status, "200", "503"). */
    requests: "http_requests_total",
    /** Histogram in seconds; labels method, route. */
    duration: "http_request_duration_seconds",
} as const;

/** The container port name the application's pods expose metrics on. */
export const APPLICATION_METRICS_PORT = "metrics";

/**
 * Pods with this label are scraped by a monitor of their own (the delivered application's, which
 * keeps its rollout revision); the namespace-wide monitor leaves them out, so no series is scraped twice.
 */
export const OWN_MONITOR_LABEL = "platform/pod-monitor";

/** Metrics that are histograms: they exist as `<name>_bucket`, `_sum` and `_count`. */
export const HISTOGRAMS: ReadonlySet<string> = new Set([APPLICATION_METRICS.duration]);

export const METRICS_BY_SOURCE: Readonly<Record<string, readonly string[]>> = {
    prometheus: ["up"],
    application: Object.values(APPLICATION_METRICS),
    "kube-state-metrics": [
        "kube_pod_container_resource_limits",
        "kube_pod_container_resource_requests",
        "kube_pod_status_phase",
        "kube_pod_container_status_restarts_total",
        "kube_node_status_condition",
        "kube_node_status_allocatable",
        "kube_deployment_status_replicas_available",
        "kube_deployment_spec_replicas",
        "kube_namespace_status_phase",
        "kube_job_status_failed",
        "kube_cronjob_status_last_successful_time",
    ],
    "kubelet and cAdvisor": [
        "container_cpu_usage_seconds_total",
        "container_memory_working_set_bytes",
        "kubelet_volume_stats_available_bytes",
        "kubelet_volume_stats_capacity_bytes",
    ],
    "node-exporter": [
        "node_cpu_seconds_total",
        "node_memory_MemAvailable_bytes",
        "node_memory_MemTotal_bytes",
        "node_filesystem_avail_bytes",
        "node_filesystem_size_bytes",
        "node_network_receive_bytes_total",
        "node_network_transmit_bytes_total",
    ],
    "postgres-exporter": [
        "pg_up",
        "pg_stat_database_numbackends",
        "pg_settings_max_connections",
        "pg_stat_database_xact_commit",
        "pg_stat_database_xact_rollback",
        "pg_stat_database_blks_hit",
        "pg_stat_database_blks_read",
        "pg_stat_database_deadlocks",
        "pg_stat_database_tup_fetched",
        "pg_stat_database_tup_inserted",
        "pg_stat_database_tup_updated",
        "pg_stat_database_tup_deleted",
        "pg_database_size_bytes",
        "pg_locks_count",
    ],
    "redis-exporter": ["redis_up", "redis_memory_used_bytes", "redis_memory_max_bytes", "redis_connected_clients", "redis_evicted_keys_total"],
    "blackbox-exporter": ["probe_success", "probe_ssl_earliest_cert_expiry", "probe_duration_seconds", "probe_http_status_code"],
    velero: ["velero_backup_last_successful_timestamp", "velero_backup_success_total", "velero_backup_failure_total"],
};

/** Every series name the catalogue allows, histogram series included. */
export function knownSeriesNames(): ReadonlySet<string> {
    const names = Object.values(METRICS_BY_SOURCE).flat();
    return new Set(names.flatMap((n) => (HISTOGRAMS.has(n) ? [`${n}_bucket`, `${n}_sum`, `${n}_count`] : [n])));
}
