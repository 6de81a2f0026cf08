/**
 * The custom resources that wire the platform to Prometheus and to Secrets Manager: the alert
 * rules, the monitors of the exporters, the probe of the public URL, the application
 * namespaces' pod monitors and network openings, and the secrets the exporters read.
 * Specs are built by exported pure functions, so tests read them without Pulumi.
 */
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PLATFORM_LABELS } from "../cluster/tenancy";
import { RuleGroup } from "./alerts";
import { DatabaseTargetArgs } from "./args";
import { OWN_MONITOR_LABEL } from "./metrics";
import { PROBE_MODULE } from "./values";

const MONITORING_API = "monitoring.coreos.com/v1";
const SECRETS_API = "external-secrets.io/v1";
const SCRAPE_INTERVAL = "30s";

export function inNamespace(objectName: string, namespace: pulumi.Input<string>, extraLabels: Record<string, string> = {}) {
    return { name: objectName, namespace, labels: { ...PLATFORM_LABELS, ...extraLabels } };
}

/** The pods Prometheus runs as, as the operator labels them. */
export const PROMETHEUS_POD_LABELS = { "app.kubernetes.io/name": "prometheus" } as const;
/** Tempo's pods, as its chart labels them. */
export const TEMPO_POD_LABELS = { "app.kubernetes.io/name": "tempo" } as const;

/** A chart's Service selector: the chart's name and the release's. */
function chartSelector(chart: string, release: string): Record<string, string> {
    return { "app.kubernetes.io/name": chart, "app.kubernetes.io/instance": release };
}

export interface ExporterTarget {
    /** Release name (also the job name Prometheus gives the target). */
    release: string;
    /** Chart name, part of the Service's selector labels. */
    chart: string;
    /** Name of the Service's metrics port. */
    port: string;
}

export function serviceMonitorSpec(target: ExporterTarget) {
    return {
        selector: { matchLabels: chartSelector(target.chart, target.release) },
        endpoints: [{ port: target.port, path: "/metrics", interval: SCRAPE_INTERVAL }],
    };
}

/** The blackbox exporter probing the application's URL, under one job name the alerts use. */
export function probeSpec(url: string, jobName: string, blackboxAddress: string) {
    return {
        jobName,
        interval: SCRAPE_INTERVAL,
        module: PROBE_MODULE,
        prober: { url: blackboxAddress, path: "/probe" },
        targets: { staticConfig: { static: [url] } },
    };
}

/** Every pod of an application namespace that exposes a port of this name is scraped, unless it has a monitor of its own. */
export function podMonitorSpec(metricsPort: string) {
    return {
        selector: { matchExpressions: [{ key: OWN_MONITOR_LABEL, operator: "DoesNotExist" }] },
        podMetricsEndpoints: [{ port: metricsPort, path: "/metrics", interval: SCRAPE_INTERVAL }],
    };
}

/** Opens the namespace's default-deny to Prometheus, on the metrics port only. */
export function allowScrapeSpec(monitoringNamespace: string, metricsPort: string) {
    return {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [
            {
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": monitoringNamespace } }, podSelector: { matchLabels: PROMETHEUS_POD_LABELS } }],
                ports: [{ protocol: "TCP", port: metricsPort }],
            },
        ],
    };
}

/** Lets the namespace's pods send traces to Tempo's OTLP receivers, and nowhere else in the monitoring namespace. */
export function allowTracesSpec(monitoringNamespace: string, otlpPorts: readonly number[]) {
    return {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
            {
                to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": monitoringNamespace } }, podSelector: { matchLabels: TEMPO_POD_LABELS } }],
                ports: otlpPorts.map((port) => ({ protocol: "TCP", port })),
            },
        ],
    };
}

/** The SecretStore reading Secrets Manager as the given service account (IRSA): no static keys. */
export function secretStoreSpec(region: string, serviceAccountName: string) {
    return { provider: { aws: { service: "SecretsManager", region, auth: { jwt: { serviceAccountRef: { name: serviceAccountName } } } } } };
}

/**
 * Copies JSON properties of a Secrets Manager secret into a Kubernetes Secret. An hourly refresh
 * follows RDS's rotation of the master password.
 */
export function externalSecretSpec(storeName: string, targetName: string, secretArn: string, properties: Record<string, string>) {
    return {
        refreshInterval: "1h",
        secretStoreRef: { kind: "SecretStore", name: storeName },
        target: { name: targetName, creationPolicy: "Owner", deletionPolicy: "Retain" },
        data: Object.entries(properties).map(([secretKey, property]) => ({ secretKey, remoteRef: { key: secretArn, property } })),
    };
}

export interface SecretSyncSettings {
    name: string;
    namespace: string;
    region: pulumi.Input<string>;
    secretReaderRoleArn: pulumi.Input<string>;
    serviceAccountName: string;
    storeName: string;
    postgresSecretName: string;
    redisSecretName: string;
    database: Pick<DatabaseTargetArgs, "masterUserSecretArn" | "redisAuthSecretArn">;
}

/**
 * The database's and cache's credentials, synced from Secrets Manager into two Secrets through a
 * service account whose IRSA role reads them (the exporters', the application's); returns the
 * ExternalSecrets, which whoever mounts the Secrets waits for.
 */
export function secretSync(s: SecretSyncSettings, opts: pulumi.CustomResourceOptions): pulumi.Resource[] {
    const reader = new kubernetes.core.v1.ServiceAccount(
        `${s.name}-${s.serviceAccountName}`,
        {
            metadata: { ...inNamespace(s.serviceAccountName, s.namespace), annotations: { "eks.amazonaws.com/role-arn": s.secretReaderRoleArn } },
            // External Secrets Operator requests its tokens; IRSA mounts its own; no pod needs the Kubernetes API's.
            automountServiceAccountToken: false,
        },
        opts,
    );
    const store = new kubernetes.apiextensions.CustomResource(
        `${s.name}-${s.storeName}`,
        {
            apiVersion: SECRETS_API,
            kind: "SecretStore",
            metadata: inNamespace(s.storeName, s.namespace),
            spec: pulumi.output(s.region).apply((region) => secretStoreSpec(region, s.serviceAccountName)),
        },
        { ...opts, dependsOn: [reader] },
    );
    const sync = (targetName: string, secretArn: pulumi.Input<string>, properties: Record<string, string>) =>
        new kubernetes.apiextensions.CustomResource(
            `${s.name}-${targetName}`,
            {
                apiVersion: SECRETS_API,
                kind: "ExternalSecret",
                metadata: inNamespace(targetName, s.namespace),
                spec: pulumi.output(secretArn).apply((arn) => externalSecretSpec(s.storeName, targetName, arn, properties)),
            },
            { ...opts, dependsOn: [store] },
        );
    return [
        sync(s.postgresSecretName, s.database.masterUserSecretArn, { username: "username", password: "password" }),
        sync(s.redisSecretName, s.database.redisAuthSecretArn, { authToken: "authToken" }),
    ];
}

export interface RulesAndTargetsSettings {
    name: string;
    namespace: string;
    releaseLabel: string;
    groups: RuleGroup[];
    applicationUrl: string;
    probeJob: string;
    blackboxAddress: string;
    exporters: ExporterTarget[];
}

/** The platform's alert rules, the exporters' monitors and the probe of the public URL. */
export function rulesAndTargets(s: RulesAndTargetsSettings, opts: pulumi.CustomResourceOptions): void {
    const selected = { release: s.releaseLabel };
    new kubernetes.apiextensions.CustomResource(
        `${s.name}-platform-alerts`,
        { apiVersion: MONITORING_API, kind: "PrometheusRule", metadata: inNamespace("platform-alerts", s.namespace, selected), spec: { groups: s.groups } },
        opts,
    );
    for (const exporter of s.exporters) {
        new kubernetes.apiextensions.CustomResource(
            `${s.name}-${exporter.release}`,
            { apiVersion: MONITORING_API, kind: "ServiceMonitor", metadata: inNamespace(exporter.release, s.namespace, selected), spec: serviceMonitorSpec(exporter) },
            opts,
        );
    }
    new kubernetes.apiextensions.CustomResource(
        `${s.name}-${s.probeJob}`,
        { apiVersion: MONITORING_API, kind: "Probe", metadata: inNamespace(s.probeJob, s.namespace, selected), spec: probeSpec(s.applicationUrl, s.probeJob, s.blackboxAddress) },
        opts,
    );
}

export interface ApplicationNamespaceSettings {
    name: string;
    monitoringNamespace: string;
    releaseLabel: string;
    applicationNamespaces: readonly string[];
    metricsPort: string;
    tracePorts: readonly number[];
}

/** In each application namespace: a pod monitor, and the two openings in its default-deny. */
export function applicationNamespaceMonitoring(s: ApplicationNamespaceSettings, opts: pulumi.CustomResourceOptions): void {
    for (const namespace of s.applicationNamespaces) {
        new kubernetes.apiextensions.CustomResource(
            `${s.name}-${namespace}-pods`,
            {
                apiVersion: MONITORING_API,
                kind: "PodMonitor",
                metadata: inNamespace("application", namespace, { release: s.releaseLabel }),
                spec: podMonitorSpec(s.metricsPort),
            },
            opts,
        );
        new kubernetes.networking.v1.NetworkPolicy(
            `${s.name}-${namespace}-allow-scrape`,
            { metadata: inNamespace("allow-prometheus-scrape", namespace), spec: allowScrapeSpec(s.monitoringNamespace, s.metricsPort) },
            opts,
        );
        new kubernetes.networking.v1.NetworkPolicy(
            `${s.name}-${namespace}-allow-traces`,
            { metadata: inNamespace("allow-traces-to-tempo", namespace), spec: allowTracesSpec(s.monitoringNamespace, s.tracePorts) },
            opts,
        );
    }
}
