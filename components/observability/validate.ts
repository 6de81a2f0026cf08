/**
 * Checks of the observability settings, shared by the component (which fails with a
 * ResourceError) and config/ (which names the stack file and key). Each function takes the
 * path to print and returns "path: got X; expected Y" lines, empty when all is well.
 */
import { DNS_LABEL } from "../cluster/validate";
import { AlertSubscriptionArgs, AlertThresholdsArgs, AlertmanagerArgs, LogsArgs, ObservabilityArgs, PrometheusArgs, SubscriptionProtocol, TracesArgs } from "./args";
import { WHOLE, between, got } from "../shared/problems";

function prometheusProblems(p: PrometheusArgs, path: string): string[] {
    return [
        ...between(p.replicas, 1, 3, `${path}.replicas`, WHOLE),
        ...between(p.retentionDays, 1, 365, `${path}.retentionDays`, WHOLE),
        // Prometheus needs room for its write-ahead log and compaction besides the retained blocks.
        ...between(p.storageGiB, 10, 16384, `${path}.storageGiB`, WHOLE),
    ];
}

function alertmanagerProblems(a: AlertmanagerArgs, path: string): string[] {
    return [...between(a.replicas, 1, 5, `${path}.replicas`, WHOLE), ...between(a.storageGiB, 1, 100, `${path}.storageGiB`, WHOLE)];
}

/** S3 expires objects in whole days, and Loki's compactor keeps whole days. */
function logsProblems(l: LogsArgs, path: string): string[] {
    return between(l.retentionDays, 1, 3650, `${path}.retentionDays`, WHOLE);
}

function tracesProblems(t: TracesArgs, path: string): string[] {
    return [...between(t.retentionDays, 1, 90, `${path}.retentionDays`, WHOLE), ...between(t.storageGiB, 5, 16384, `${path}.storageGiB`, WHOLE)];
}

function alertThresholdProblems(a: AlertThresholdsArgs, path: string): string[] {
    const percent = (key: keyof AlertThresholdsArgs) => between(a[key], 1, 99, `${path}.${key}`, "a percentage");
    return [
        ...percent("errorRatePercent"),
        ...between(a.latencyP95Seconds, 0.01, 60, `${path}.latencyP95Seconds`, "seconds"),
        ...percent("containerMemoryPercent"),
        ...percent("nodeCpuPercent"),
        ...percent("diskFreePercent"),
        ...percent("postgresConnectionsPercent"),
        ...percent("redisMemoryPercent"),
        // Public certificates last at most 398 days; ACM renews 60 days ahead.
        ...between(a.certificateExpiryDays, 1, 90, `${path}.certificateExpiryDays`, WHOLE),
        ...between(a.backupMaxAgeHours, 1, 24 * 31, `${path}.backupMaxAgeHours`, WHOLE),
        ...between(a.restoreDrillMaxAgeDays, 1, 366, `${path}.restoreDrillMaxAgeDays`, WHOLE),
        ...percent("databaseCpuPercent"),
        ...between(a.databaseFreeableMemoryMiB, 1, 1024 * 1024, `${path}.databaseFreeableMemoryMiB`, WHOLE),
        ...between(a.databaseConnections, 1, 262143, `${path}.databaseConnections`, WHOLE),
        ...between(a.replicaLagSeconds, 1, 86400, `${path}.replicaLagSeconds`, WHOLE),
        ...between(a.cacheEvictions, 0, 1e9, `${path}.cacheEvictions`, WHOLE),
    ];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SQS_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/;

const ENDPOINT_FORMS: Record<SubscriptionProtocol, { test: (endpoint: string) => boolean; expected: string }> = {
    [SubscriptionProtocol.Email]: { test: (e) => EMAIL.test(e), expected: "an email address" },
    [SubscriptionProtocol.Https]: { test: (e) => isHttpsUrl(e), expected: "an https:// URL" },
    [SubscriptionProtocol.Sqs]: { test: (e) => SQS_ARN.test(e), expected: "an SQS queue ARN" },
    [SubscriptionProtocol.Lambda]: { test: (e) => LAMBDA_ARN.test(e), expected: "a Lambda function ARN" },
};

function subscriptionProblems(subscriptions: readonly AlertSubscriptionArgs[], path: (i: number) => string): string[] {
    return subscriptions.flatMap((s, i) => {
        const form = ENDPOINT_FORMS[s.protocol];
        if (form === undefined) {
            return [`${path(i)}.protocol: got ${got(s.protocol)}; expected one of ${Object.values(SubscriptionProtocol).map((p) => `"${p}"`).join(", ")}`];
        }
        return form.test(s.endpoint) ? [] : [`${path(i)}.endpoint: got ${got(s.endpoint)}; expected ${form.expected} for protocol "${s.protocol}"`];
    });
}

function isHttpsUrl(value: string): boolean {
    try {
        const url = new URL(value);
        return url.protocol === "https:" && url.hostname.includes(".");
    } catch {
        return false;
    }
}

/** The probe reads the certificate's expiry, so the URL must be https and public (a dotted host name). */
function applicationUrlProblems(url: string, path: string): string[] {
    return typeof url === "string" && isHttpsUrl(url) ? [] : [`${path}: got ${got(url)}; expected the application's public https:// URL, such as "https://api.example.com/healthz"`];
}

function runbookBaseUrlProblems(url: string, path: string): string[] {
    let ok = false;
    try {
        const parsed = new URL(url);
        ok = (parsed.protocol === "https:" || parsed.protocol === "http:") && parsed.hash === "";
    } catch {
        ok = false;
    }
    return ok ? [] : [`${path}: got ${got(url)}; expected an http(s) URL without a #fragment (each alert appends its own)`];
}

function namespaceNameProblems(namespace: string, taken: readonly string[], path: string): string[] {
    if (typeof namespace !== "string" || !DNS_LABEL.test(namespace)) {
        return [`${path}: got ${got(namespace)}; expected a namespace name (lower-case letters, digits and hyphens, at most 63)`];
    }
    return taken.includes(namespace) ? [`${path}: got ${got(namespace)}; expected a namespace of its own, not one of ${taken.map((t) => `"${t}"`).join(", ")}`] : [];
}

/** The settings both config/ and the component check; `prefix` leads every key path. */
export type CheckedSettings = Pick<ObservabilityArgs, "runbookBaseUrl" | "prometheus" | "alertmanager" | "logs" | "traces" | "alerts"> & {
    namespace: string;
    /** Absent where it is derived from checked settings (config/ builds it from `platform:delivery`). */
    applicationUrl?: string;
    alertSubscriptions: AlertSubscriptionArgs[];
};

export function observabilityProblems(s: CheckedSettings, takenNamespaces: readonly string[], prefix: string): string[] {
    return [
        ...namespaceNameProblems(s.namespace, [...takenNamespaces, "default", "kube-system"], `${prefix}namespace`),
        ...(s.applicationUrl === undefined ? [] : applicationUrlProblems(s.applicationUrl, `${prefix}applicationUrl`)),
        ...runbookBaseUrlProblems(s.runbookBaseUrl, `${prefix}runbookBaseUrl`),
        ...prometheusProblems(s.prometheus, `${prefix}prometheus`),
        ...alertmanagerProblems(s.alertmanager, `${prefix}alertmanager`),
        ...logsProblems(s.logs, `${prefix}logs`),
        ...tracesProblems(s.traces, `${prefix}traces`),
        ...alertThresholdProblems(s.alerts, `${prefix}alerts`),
        ...subscriptionProblems(s.alertSubscriptions, (i) => `${prefix}alertSubscriptions[${i}]`),
    ];
}
