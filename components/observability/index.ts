import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { PLATFORM_CRITICAL_PRIORITY_CLASS, PLATFORM_LABELS, PodSecurityLevel, podSecurityLabels } from "../cluster/tenancy";
import { ServiceAccountRole } from "../cluster/serviceAccountRole";
import { accountAdministersKey, accountScope, policyDocument, tagger } from "../shared/aws";
import { privateBucket } from "../shared/bucket";
import { Context, key } from "../shared/context";
import { helmRelease } from "../shared/helm";
import { alertTopic, cloudWatchAlarms } from "./alarms";
import { alertGroups } from "./alerts";
import { ObservabilityArgs } from "./args";
import { DASHBOARD_LABEL, dashboards } from "./dashboards";
import { APPLICATION_METRICS_PORT } from "./metrics";
import { alertPublishPolicy, logStorePolicy } from "./policies";
import { applicationNamespaceMonitoring, inNamespace, rulesAndTargets, secretSync } from "./monitors";
import { validateObservabilityArgs } from "./settings";
import {
    OTLP_PORTS,
    Placement,
    cacheExporterValues,
    databaseExporterValues,
    logShipperValues,
    logStoreValues,
    monitoringStackValues,
    probeExporterValues,
    traceStoreValues,
} from "./values";
import { OBSERVABILITY_CHARTS } from "./versions";

export {
    AlertSubscriptionArgs,
    AlertThresholdsArgs,
    AlertmanagerArgs,
    DatabaseTargetArgs,
    LogsArgs,
    ObservabilityArgs,
    PrometheusArgs,
    RestoreDrillTargetArgs,
    SubscriptionProtocol,
    TracesArgs,
} from "./args";

/** Names of what the charts create, fixed so URLs and selectors can be written down. */
export const NAMES = {
    monitoringStack: "kube-prometheus-stack",
    loki: "loki",
    tempo: "tempo",
    fluentBit: "fluent-bit",
    blackboxExporter: "blackbox-exporter",
    postgresExporter: "postgres-exporter",
    redisExporter: "redis-exporter",
    grafanaAdminSecret: "grafana-admin",
    secretReader: "secret-reader",
    secretStore: "aws-secrets-manager",
    postgresCredentials: "postgres-exporter-credentials",
    redisCredentials: "redis-exporter-credentials",
    alertmanagerServiceAccount: "alertmanager",
    probeJob: "application-probe",
} as const;

const PORTS = { prometheus: 9090, alertmanager: 9093, grafana: 80, loki: 3100, tempo: 3200, blackbox: 9115 } as const;

/**
 * Metrics, logs, traces, dashboards and alerts for the platform, wired to what it runs: the
 * Prometheus operator stack with Grafana, Loki on an encrypted S3 bucket fed by Fluent Bit,
 * Tempo receiving OTLP, exporters for the public URL, PostgreSQL and Redis, the platform's alert
 * rules, and CloudWatch alarms for what Prometheus cannot see; critical alerts and alarms go to
 * one encrypted SNS topic. Kubernetes objects use the provider given in `opts.providers`.
 */
export class Observability extends pulumi.ComponentResource {
    /** In-cluster URL of Prometheus (its HTTP API and UI). */
    public readonly prometheusUrl: pulumi.Output<string>;
    public readonly alertmanagerUrl: pulumi.Output<string>;
    /** In-cluster URL of Grafana; reach it with `kubectl port-forward`, it is not public. */
    public readonly grafanaUrl: pulumi.Output<string>;
    /** In-cluster URL of Loki's API. */
    public readonly lokiUrl: pulumi.Output<string>;
    /** Where applications send traces (OTLP over gRPC). */
    public readonly otlpEndpoint: pulumi.Output<string>;
    /** SNS topic of critical alerts and alarms. */
    public readonly alertTopicArn: pulumi.Output<string>;
    /** S3 bucket holding Loki's logs. */
    public readonly lokiBucketName: pulumi.Output<string>;
    /** Namespace of the monitoring stack. */
    public readonly namespace: pulumi.Output<string>;
    /** Kubernetes Secret holding Grafana's admin user and password. */
    public readonly grafanaAdminSecretName: pulumi.Output<string>;
    /** The `release` label Prometheus selects ServiceMonitors, PodMonitors and rules by. */
    public readonly releaseLabel: pulumi.Output<string>;

    constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Observability", name, {}, opts);
        const settings = validateObservabilityArgs(args, this);
        const scope = accountScope(this);
        const ctx: Context = { parent: this, tags: tagger(args.tags), scope, keep: { parent: this, protect: settings.protectStatefulResources } };
        const region = scope.apply((s) => s.region);
        const ns = settings.namespace;
        const service = (serviceName: string, port: number) => `http://${serviceName}.${ns}.svc.cluster.local:${port}`;

        // --- in AWS: the alert topic, the alarms, the log bucket ---------------------------------
        const alerts = alertTopic(name, settings.alertSubscriptions, ctx);
        cloudWatchAlarms(name, {
            thresholds: settings.alerts,
            database: args.database,
            natGatewayIds: settings.natGatewayIds,
            runbookBaseUrl: settings.runbookBaseUrl,
        }, alerts.topic.arn, ctx);

        const logKey = key(`${name}-logs`, `Encrypts the logs Loki keeps for ${name}`, (s) => policyDocument(accountAdministersKey(s)), ctx);
        const { bucket: logBucket } = privateBucket(`${name}-logs`, {
            dataKind: "logs",
            kmsKeyArn: logKey.arn,
            expirationDays: settings.logs.retentionDays,
            // Loki deletes what its compactor expires; a day's grace undoes a mistaken delete.
            noncurrentVersionDays: 1,
        }, ctx);

        const identity = { oidcProviderArn: args.oidcProviderArn, oidcProviderUrl: args.oidcProviderUrl };
        const serviceAccountRole = (component: string, serviceAccountName: string, policyJson: pulumi.Input<string>) =>
            new ServiceAccountRole(`${name}-${component}`, { ...identity, namespace: ns, serviceAccountName, policyJson, tags: ctx.tags({}) }, { parent: this });
        const lokiRole = serviceAccountRole("loki", NAMES.loki, pulumi
            .all([logBucket.arn, logKey.arn, region])
            .apply(([bucketArn, keyArn, regionName]) => JSON.stringify(logStorePolicy(bucketArn, keyArn, regionName))));
        const alertmanagerRole = serviceAccountRole("alertmanager", NAMES.alertmanagerServiceAccount, pulumi
            .all([alerts.topic.arn, alerts.key.arn, region])
            .apply(([topicArn, keyArn, regionName]) => JSON.stringify(alertPublishPolicy(topicArn, keyArn, regionName))));
        // Reads the database's two connection secrets for the exporters, and nothing else.
        const secretReaderRole = serviceAccountRole("secret-reader", NAMES.secretReader, args.database.credentialsReadPolicyJson);

        // --- in the cluster ----------------------------------------------------------------------
        const k8s: pulumi.CustomResourceOptions = { parent: this };
        const namespace = new kubernetes.core.v1.Namespace(
            `${name}-${ns}`,
            { metadata: { name: ns, labels: { ...PLATFORM_LABELS, ...podSecurityLabels(PodSecurityLevel.Restricted, settings.kubernetesVersion) } } },
            // Every object in the cluster follows the namespace, so what the stack makes this
            // component wait for (the cluster's add-ons and their CRDs) comes first for all of them.
            { ...k8s, dependsOn: opts?.dependsOn },
        );
        const inMonitoring = { ...k8s, dependsOn: [namespace] };
        const placement: Placement = {
            namespace: ns,
            nodeAgentNamespace: settings.nodeAgentNamespace,
            priorityClassName: PLATFORM_CRITICAL_PRIORITY_CLASS,
            storageClassName: "gp3",
            releaseLabel: NAMES.monitoringStack,
        };

        const grafanaPassword = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, { parent: this });
        const grafanaAdmin = new kubernetes.core.v1.Secret(
            `${name}-grafana-admin`,
            {
                metadata: inNamespace(NAMES.grafanaAdminSecret, ns),
                type: "Opaque",
                stringData: { "admin-user": "admin", "admin-password": grafanaPassword.result },
            },
            inMonitoring,
        );
        const dashboardMaps = dashboards().map(
            (dashboard) =>
                new kubernetes.core.v1.ConfigMap(
                    `${name}-dashboard-${dashboard.name}`,
                    {
                        metadata: inNamespace(`dashboard-${dashboard.name}`, ns, DASHBOARD_LABEL),
                        data: { [`${dashboard.name}.json`]: dashboard.json },
                    },
                    inMonitoring,
                ),
        );

        const monitoringStack = helmRelease(`${name}-${NAMES.monitoringStack}`, OBSERVABILITY_CHARTS.kubePrometheusStack, {
            namespace: ns,
            releaseName: NAMES.monitoringStack,
            values: pulumi.all([alerts.topic.arn, region, alertmanagerRole.roleArn, args.clusterName]).apply(([topicArn, regionName, roleArn, clusterName]) =>
                monitoringStackValues({
                    fullname: NAMES.monitoringStack,
                    prometheus: settings.prometheus,
                    alertmanager: settings.alertmanager,
                    alertTopicArn: topicArn,
                    region: regionName,
                    alertmanagerRoleArn: roleArn,
                    alertmanagerServiceAccount: NAMES.alertmanagerServiceAccount,
                    grafanaAdminSecret: NAMES.grafanaAdminSecret,
                    lokiUrl: service(NAMES.loki, PORTS.loki),
                    tempoUrl: service(NAMES.tempo, PORTS.tempo),
                    clusterName,
                }, placement)),
        }, { ...k8s, dependsOn: [namespace, grafanaAdmin, ...dashboardMaps] });
        // Custom resources of the operator exist once its chart has installed the CRDs.
        const afterOperator = { ...k8s, dependsOn: [monitoringStack] };

        helmRelease(`${name}-${NAMES.loki}`, OBSERVABILITY_CHARTS.loki, {
            namespace: ns,
            releaseName: NAMES.loki,
            values: pulumi.all([logBucket.bucket, region, lokiRole.roleArn]).apply(([bucketName, regionName, roleArn]) =>
                logStoreValues({
                    fullname: NAMES.loki,
                    bucketName,
                    region: regionName,
                    retentionDays: settings.logs.retentionDays,
                    roleArn,
                    serviceAccount: NAMES.loki,
                    replicas: 1,
                }, placement)),
        }, afterOperator);
        helmRelease(`${name}-${NAMES.fluentBit}`, OBSERVABILITY_CHARTS.fluentBit, {
            // Reads every container's log files from the host.
            namespace: settings.nodeAgentNamespace,
            releaseName: NAMES.fluentBit,
            values: pulumi.output(args.clusterName).apply((clusterName) =>
                logShipperValues({ lokiHost: `${NAMES.loki}.${ns}.svc.cluster.local`, lokiPort: PORTS.loki, clusterName }, placement)),
        }, afterOperator);
        helmRelease(`${name}-${NAMES.tempo}`, OBSERVABILITY_CHARTS.tempo, {
            namespace: ns,
            releaseName: NAMES.tempo,
            values: traceStoreValues({ fullname: NAMES.tempo, retentionDays: settings.traces.retentionDays, storageGiB: settings.traces.storageGiB }, placement),
        }, afterOperator);
        helmRelease(`${name}-${NAMES.blackboxExporter}`, OBSERVABILITY_CHARTS.blackboxExporter, {
            namespace: ns,
            releaseName: NAMES.blackboxExporter,
            values: probeExporterValues(NAMES.blackboxExporter, placement),
        }, afterOperator);

        const credentials = secretSync({
            name,
            namespace: ns,
            region,
            secretReaderRoleArn: secretReaderRole.roleArn,
            serviceAccountName: NAMES.secretReader,
            storeName: NAMES.secretStore,
            postgresSecretName: NAMES.postgresCredentials,
            redisSecretName: NAMES.redisCredentials,
            database: args.database,
        }, { ...k8s, dependsOn: [namespace] });
        helmRelease(`${name}-${NAMES.postgresExporter}`, OBSERVABILITY_CHARTS.postgresExporter, {
            namespace: ns,
            releaseName: NAMES.postgresExporter,
            values: pulumi.all([args.database.endpoint, args.database.port, args.database.databaseName]).apply(([host, port, databaseName]) =>
                databaseExporterValues({ fullname: NAMES.postgresExporter, host, port, databaseName, credentialsSecret: NAMES.postgresCredentials }, placement)),
        }, { ...afterOperator, dependsOn: [monitoringStack, ...credentials] });
        helmRelease(`${name}-${NAMES.redisExporter}`, OBSERVABILITY_CHARTS.redisExporter, {
            namespace: ns,
            releaseName: NAMES.redisExporter,
            values: pulumi.all([args.database.redisPrimaryEndpoint, args.database.redisPort]).apply(([host, port]) =>
                cacheExporterValues({ fullname: NAMES.redisExporter, host, port, credentialsSecret: NAMES.redisCredentials }, placement)),
        }, { ...afterOperator, dependsOn: [monitoringStack, ...credentials] });

        rulesAndTargets({
            name,
            namespace: ns,
            releaseLabel: NAMES.monitoringStack,
            groups: alertGroups({
                thresholds: settings.alerts,
                applicationNamespaces: settings.applicationNamespaces,
                probeJob: NAMES.probeJob,
                runbookBaseUrl: settings.runbookBaseUrl,
                restoreDrill: args.restoreDrill,
            }),
            applicationUrl: settings.applicationUrl,
            probeJob: NAMES.probeJob,
            blackboxAddress: `${NAMES.blackboxExporter}.${ns}.svc.cluster.local:${PORTS.blackbox}`,
            exporters: [
                { release: NAMES.postgresExporter, chart: OBSERVABILITY_CHARTS.postgresExporter.chart, port: "http" },
                { release: NAMES.redisExporter, chart: OBSERVABILITY_CHARTS.redisExporter.chart, port: "redis-exporter" },
            ],
        }, afterOperator);
        applicationNamespaceMonitoring({
            name,
            monitoringNamespace: ns,
            releaseLabel: NAMES.monitoringStack,
            applicationNamespaces: settings.applicationNamespaces,
            metricsPort: APPLICATION_METRICS_PORT,
            tracePorts: [OTLP_PORTS.grpc, OTLP_PORTS.http],
        }, afterOperator);

        this.prometheusUrl = pulumi.output(service(`${NAMES.monitoringStack}-prometheus`, PORTS.prometheus));
        this.alertmanagerUrl = pulumi.output(service(`${NAMES.monitoringStack}-alertmanager`, PORTS.alertmanager));
        this.grafanaUrl = pulumi.output(service(`${NAMES.monitoringStack}-grafana`, PORTS.grafana));
        this.lokiUrl = pulumi.output(service(NAMES.loki, PORTS.loki));
        this.otlpEndpoint = pulumi.output(service(NAMES.tempo, OTLP_PORTS.grpc));
        this.alertTopicArn = alerts.topic.arn;
        this.lokiBucketName = logBucket.bucket;
        this.namespace = namespace.metadata.name;
        this.grafanaAdminSecretName = grafanaAdmin.metadata.name;
        this.releaseLabel = pulumi.output(NAMES.monitoringStack);
        this.registerOutputs({
            prometheusUrl: this.prometheusUrl,
            alertmanagerUrl: this.alertmanagerUrl,
            grafanaUrl: this.grafanaUrl,
            lokiUrl: this.lokiUrl,
            otlpEndpoint: this.otlpEndpoint,
            alertTopicArn: this.alertTopicArn,
            lokiBucketName: this.lokiBucketName,
            namespace: this.namespace,
            grafanaAdminSecretName: this.grafanaAdminSecretName,
            releaseLabel: this.releaseLabel,
        });
    }
}
