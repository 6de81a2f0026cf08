/**
 * The observability stack's Helm charts: official repositories, exact versions. These are the
 * newest releases whose values this component was checked against (the charts' repositories
 * as of 2026-08-22); raising one is a reviewed change to this file, never a floating "latest".
 * Loki and Tempo left grafana/helm-charts for grafana-community in 2026.
 *
 * kube-prometheus-stack installs its CRDs on first install only: when a raise moves the
 * Prometheus operator to a new version, apply the chart's CRDs first (its UPGRADE.md says how).
 */
import { HelmChart } from "../shared/helm";

const PROMETHEUS_COMMUNITY = "https://prometheus-community.github.io/helm-charts";
const GRAFANA_COMMUNITY = "https://grafana-community.github.io/helm-charts";

export const OBSERVABILITY_CHARTS = {
    kubePrometheusStack: { chart: "kube-prometheus-stack", version: "88.5.3", repo: PROMETHEUS_COMMUNITY },
    loki: { chart: "loki", version: "18.11.0", repo: GRAFANA_COMMUNITY },
    fluentBit: { chart: "fluent-bit", version: "0.58.1", repo: "https://fluent.github.io/helm-charts" },
    tempo: { chart: "tempo", version: "2.2.4", repo: GRAFANA_COMMUNITY },
    blackboxExporter: { chart: "prometheus-blackbox-exporter", version: "11.17.2", repo: PROMETHEUS_COMMUNITY },
    postgresExporter: { chart: "prometheus-postgres-exporter", version: "8.2.0", repo: PROMETHEUS_COMMUNITY },
    redisExporter: { chart: "prometheus-redis-exporter", version: "6.29.0", repo: PROMETHEUS_COMMUNITY },
} as const satisfies Record<string, HelmChart>;
