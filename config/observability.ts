/** `platform:observability`: metrics, alerts, logs and traces. */
import { z } from "zod";
import { ObservabilityArgs, SubscriptionProtocol } from "../components/observability/args";
import { OBSERVABILITY_DEFAULTS } from "../components/observability/settings";
import { byEnvironment } from "./environment";

/** The component's settings a stack file sets; the probed URL comes from `platform:delivery`. */
export type ObservabilityConfig = Required<
    Pick<ObservabilityArgs, "namespace" | "runbookBaseUrl" | "prometheus" | "alertmanager" | "logs" | "traces" | "alerts" | "alertSubscriptions">
>;

const percent = (what: string) => z.number().describe(`${what}, in percent.`);

// Types and key names only: components/observability/validate.ts checks the values.
export const observabilitySchema = z.strictObject({
    namespace: z.string().describe("The monitoring namespace: a DNS label no application or node-agent namespace uses."),
    runbookBaseUrl: z.string().describe("An http(s) URL without `#`; each alert links `<url>#<alert in lower case>`."),
    prometheus: z
        .strictObject({
            replicas: z.int().describe("Prometheus servers, 1-3; each scrapes every target."),
            retentionDays: z.int().describe("Days of metrics kept, 1-365."),
            storageGiB: z.int().describe("A gp3 volume per server, 10-16384 GiB; retention by size stops at 85% of it."),
        })
        .describe("The Prometheus servers."),
    alertmanager: z
        .strictObject({ replicas: z.int().describe("Alertmanager peers, 1-5."), storageGiB: z.int().describe("Volume per peer, 1-100 GiB.") })
        .describe("The Alertmanager peers."),
    logs: z.strictObject({ retentionDays: z.int().describe("Loki's retention and its bucket's expiry, 1-3650 days.") }).describe("Logs in Loki."),
    traces: z
        .strictObject({ retentionDays: z.int().describe("Days of traces kept, 1-90."), storageGiB: z.int().describe("Tempo's volume, 5-16384 GiB.") })
        .describe("Traces in Tempo."),
    alerts: z
        .strictObject({
            errorRatePercent: percent("Share of the application's requests answered 5xx that pages"),
            latencyP95Seconds: z.number().describe("The application's p95 latency, in seconds, that pages."),
            containerMemoryPercent: percent("A container's memory use against its limit"),
            nodeCpuPercent: percent("A node's CPU use"),
            diskFreePercent: percent("Free space left on a volume"),
            postgresConnectionsPercent: percent("PostgreSQL connections against `max_connections`"),
            redisMemoryPercent: percent("Redis memory use against its maximum"),
            certificateExpiryDays: z.int().describe("Days before the certificate's expiry that alert."),
            backupMaxAgeHours: z.int().describe("Age of the newest successful Velero backup that alerts, in hours."),
            restoreDrillMaxAgeDays: z.int().describe("Age of the newest successful restore drill that alerts, in days."),
            databaseCpuPercent: percent("The database instance's CPU use"),
            databaseFreeableMemoryMiB: z.int().describe("The database's freeable memory, in MiB, below which it alarms."),
            databaseConnections: z.int().describe("Database connections above which it alerts (about 80% of the `max_connections` RDS derives from the instance's memory)."),
            replicaLagSeconds: z.int().describe("Read replica lag, in seconds, that alerts."),
            cacheEvictions: z.int().describe("Cache evictions per five minutes that alert."),
        })
        .describe("Alert thresholds; the tiers differ only where instance sizes do."),
    alertSubscriptions: z
        .array(
            z.strictObject({
                protocol: z.enum(SubscriptionProtocol).describe("How the alert topic delivers."),
                endpoint: z.string().describe("The address, URL or ARN the protocol expects."),
            }),
        )
        .describe("Who the alert topic reaches; AWS asks an email or https endpoint to confirm first."),
}).describe("Metrics, alerts, logs and traces: Prometheus, Alertmanager, Grafana, Loki and Tempo.");

/** The alert thresholds of the requirements; the tiers differ only where instance sizes do. */
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
    // db.r7g.large: 16 GiB, max_connections about 1,700.
    databaseFreeableMemoryMiB: 1024,
    databaseConnections: 1360,
    replicaLagSeconds: 30,
    cacheEvictions: 100,
};

export const OBSERVABILITY_PROFILES = byEnvironment<ObservabilityConfig>(
    {
        namespace: OBSERVABILITY_DEFAULTS.namespace,
        runbookBaseUrl: "https://github.com/platform-team/platform/blob/main/docs/RUNBOOKS.md",
        prometheus: { replicas: 1, retentionDays: 7, storageGiB: 50 },
        alertmanager: { replicas: 2, storageGiB: 2 },
        logs: { retentionDays: 14 },
        traces: { retentionDays: 7, storageGiB: 20 },
        alerts: ALERT_THRESHOLDS,
        alertSubscriptions: [],
    },
    {
        dev: {
            prometheus: { retentionDays: 3, storageGiB: 20 },
            alertmanager: { replicas: 1 },
            logs: { retentionDays: 7 },
            traces: { retentionDays: 2, storageGiB: 10 },
            // db.t4g.medium: 4 GiB, max_connections about 410.
            alerts: { databaseFreeableMemoryMiB: 256, databaseConnections: 330 },
        },
        staging: {},
        prod: {
            // Two servers scrape the same targets: one can be lost or upgraded without a gap.
            prometheus: { replicas: 2, retentionDays: 15, storageGiB: 200 },
            // Three peers keep a gossip quorum through a zone's loss.
            alertmanager: { replicas: 3, storageGiB: 5 },
            logs: { retentionDays: 30 },
            traces: { retentionDays: 14, storageGiB: 100 },
            // db.r7g.xlarge: 32 GiB, max_connections about 3,400.
            alerts: { databaseFreeableMemoryMiB: 2048, databaseConnections: 2700 },
        },
    },
);
