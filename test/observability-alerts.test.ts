import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AlertRule, AlertSettings, Severity, alertGroups } from "../components/observability/alerts";
import { alarmSpecs } from "../components/observability/alarms";
import { AlertThresholdsArgs } from "../components/observability/args";
import { dashboards } from "../components/observability/dashboards";
import { knownSeriesNames } from "../components/observability/metrics";
import { PROFILES } from "../config";
import { PROJECT_DIR } from "../tools/synth";
import { promqlProblems, withGrafanaVariables } from "./promql";

const THRESHOLDS: AlertThresholdsArgs = PROFILES.prod.observability.alerts;
const SETTINGS: AlertSettings = {
    thresholds: THRESHOLDS,
    applicationNamespaces: ["api", "payments"],
    probeJob: "application-probe",
    runbookBaseUrl: "https://runbooks.example.com/platform",
    restoreDrill: { namespace: "velero", cronJobName: "restore-drill" },
};
const KNOWN = knownSeriesNames();

function rules(settings: AlertSettings = SETTINGS): Map<string, AlertRule> {
    return new Map(alertGroups(settings).flatMap((g) => g.rules).map((r) => [r.alert, r]));
}

/**
 * The alerts the requirements ask for: the `for` they name, and the threshold key each reads
 * with a changed value and how that value must appear at the end of the expression.
 */
const REQUIRED: Array<{ alert: string; for: string; key?: keyof AlertThresholdsArgs; value?: number; tail?: string }> = [
    { alert: "ApplicationErrorRateHigh", for: "5m", key: "errorRatePercent", value: 37, tail: "> 0.37" },
    { alert: "ApplicationLatencyHigh", for: "10m", key: "latencyP95Seconds", value: 3.5, tail: "> 3.5" },
    { alert: "ContainerMemoryNearLimit", for: "5m", key: "containerMemoryPercent", value: 85, tail: "> 0.85" },
    { alert: "NodeCpuHigh", for: "10m", key: "nodeCpuPercent", value: 70, tail: "> 0.7" },
    { alert: "ScrapeTargetDown", for: "2m" },
    { alert: "ApplicationDown", for: "2m" },
    { alert: "PostgresConnectionsHigh", for: "5m", key: "postgresConnectionsPercent", value: 75, tail: "> 0.75" },
    { alert: "RedisMemoryHigh", for: "5m", key: "redisMemoryPercent", value: 95, tail: "> 0.95" },
    { alert: "NodeDiskFreeLow", for: "5m", key: "diskFreePercent", value: 15, tail: "< 0.15" },
    { alert: "VolumeFreeLow", for: "5m", key: "diskFreePercent", value: 15, tail: "< 0.15" },
    { alert: "TlsCertificateExpiringSoon", for: "10m", key: "certificateExpiryDays", value: 21, tail: "< 21 * 86400" },
    { alert: "VeleroBackupTooOld", for: "10m", key: "backupMaxAgeHours", value: 49, tail: "> 49 * 3600" },
    { alert: "RestoreDrillFailed", for: "1m" },
    { alert: "RestoreDrillOverdue", for: "1h", key: "restoreDrillMaxAgeDays", value: 40, tail: "> 40 * 86400" },
];

/** Heading anchors of docs/RUNBOOKS.md, as GitHub derives them from `## Heading`. */
function runbookAnchors(): Set<string> {
    const text = readFileSync(join(PROJECT_DIR, "docs", "RUNBOOKS.md"), "utf8");
    return new Set([...text.matchAll(/^## (.+)$/gm)].map((m) => m[1].trim().toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-")));
}

describe("observability alerts", function () {
    it("alerts on the restore drill's Job and its last success only when there is a drill", function () {
        const withDrill = rules();
        assert.match(withDrill.get("RestoreDrillFailed")!.expr, /kube_job_status_failed\{namespace="velero", job_name=~"restore-drill-\.\+"\} > 0$/);
        assert.match(withDrill.get("RestoreDrillOverdue")!.expr, /cronjob="restore-drill"/);
        const without = rules({ ...SETTINGS, restoreDrill: undefined });
        assert.equal(without.has("RestoreDrillFailed") || without.has("RestoreDrillOverdue"), false);
    });

    it("has every alert of the requirements, with its `for` and a severity", function () {
        const all = rules();
        for (const required of REQUIRED) {
            const rule = all.get(required.alert);
            assert.ok(rule, `${required.alert} is missing`);
            assert.equal(rule.for, required.for, required.alert);
            assert.ok(Object.values(Severity).includes(rule.labels.severity), required.alert);
        }
        assert.equal(all.get("ApplicationErrorRateHigh")!.labels.severity, Severity.Critical);
        assert.equal(all.get("ApplicationDown")!.labels.severity, Severity.Critical);
    });

    it("reads each threshold from its setting: a changed setting changes the expression's comparison", function () {
        const defaults = rules();
        for (const { alert, key, value, tail } of REQUIRED.filter((r) => r.key !== undefined)) {
            const changed = rules({ ...SETTINGS, thresholds: { ...THRESHOLDS, [key!]: value } }).get(alert)!;
            assert.ok(changed.expr.endsWith(tail!), `${alert}: ${changed.expr} should end with ${tail}`);
            assert.ok(!defaults.get(alert)!.expr.endsWith(tail!), `${alert}: the default expression already ends with ${tail}`);
            assert.notEqual(changed.annotations.description, defaults.get(alert)!.annotations.description, `${alert}: its description should state the threshold`);
        }
    });

    it("scopes the application alerts to the application namespaces and the probe to its job", function () {
        const all = rules();
        assert.match(all.get("ApplicationErrorRateHigh")!.expr, /namespace=~"api\|payments"/);
        assert.match(all.get("ApplicationLatencyHigh")!.expr, /namespace=~"api\|payments"/);
        assert.match(all.get("ApplicationDown")!.expr, /probe_success\{job="application-probe"\} == 0/);
    });

    it("every expression parses as PromQL and selects only metrics our exporters produce", function () {
        for (const rule of rules().values()) {
            assert.deepEqual(promqlProblems(rule.expr, KNOWN), [], `${rule.alert}: ${rule.expr}`);
        }
    });

    it("the PromQL check fails on a syntax error and on a metric nobody exports", function () {
        assert.equal(promqlProblems("sum(rate(http_requests_total[5m])", KNOWN).length, 1);
        assert.deepEqual(promqlProblems("rate(http_request_total[5m]) > 1", KNOWN), ["unknown metric http_request_total"]);
        assert.deepEqual(promqlProblems("histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[5m]))", KNOWN), []);
    });

    it("every alert and alarm links a runbook section that exists", function () {
        const anchors = runbookAnchors();
        for (const rule of rules().values()) {
            const [base, anchor] = rule.annotations.runbook_url.split("#");
            assert.equal(base, SETTINGS.runbookBaseUrl);
            assert.ok(anchors.has(anchor), `docs/RUNBOOKS.md has no section for ${rule.alert}`);
        }
        const specs = alarmSpecs({
            thresholds: THRESHOLDS,
            database: { instanceIdentifier: "db", replicaIdentifiers: ["db-replica-1"], redisNodeIds: ["cache-001"], allocatedStorageGiB: 100 } as never,
            natGatewayIds: ["nat-1"],
            runbookBaseUrl: SETTINGS.runbookBaseUrl,
        });
        for (const alarm of new Set(specs.map((s) => s.alarm))) {
            assert.ok(anchors.has(alarm.toLowerCase()), `docs/RUNBOOKS.md has no section for alarm ${alarm}`);
        }
    });
});

describe("observability alarms", function () {
    const database = { instanceIdentifier: "db", replicaIdentifiers: ["db-replica-1", "db-replica-2"], redisNodeIds: ["cache-001", "cache-002", "cache-003"], allocatedStorageGiB: 200 };
    const specs = alarmSpecs({ thresholds: THRESHOLDS, database: database as never, natGatewayIds: ["nat-a", "nat-b"], runbookBaseUrl: "https://r" });
    const byAlarm = (alarm: string) => specs.filter((s) => s.alarm === alarm);

    it("watches the primary, each replica, each cache node and each NAT gateway", function () {
        for (const alarm of ["RdsCpuHigh", "RdsFreeStorageLow", "RdsFreeableMemoryLow", "RdsConnectionsHigh"]) {
            assert.deepEqual(byAlarm(alarm).map((s) => s.dimensions), [{ DBInstanceIdentifier: "db" }], alarm);
        }
        assert.deepEqual(byAlarm("RdsReplicaLagHigh").map((s) => s.dimensions.DBInstanceIdentifier), ["db-replica-1", "db-replica-2"]);
        assert.deepEqual(byAlarm("ElastiCacheMemoryHigh").map((s) => s.dimensions.CacheClusterId), ["cache-001", "cache-002", "cache-003"]);
        assert.deepEqual(byAlarm("ElastiCacheEvictions").map((s) => s.dimensions.CacheClusterId), ["cache-001", "cache-002", "cache-003"]);
        assert.deepEqual(byAlarm("NatGatewayPortAllocationErrors").map((s) => s.dimensions.NatGatewayId), ["nat-a", "nat-b"]);
    });

    it("converts thresholds to the metrics' units", function () {
        assert.equal(byAlarm("RdsFreeStorageLow")[0].threshold, 200 * 1024 ** 3 * 0.1);
        assert.equal(byAlarm("RdsFreeableMemoryLow")[0].threshold, THRESHOLDS.databaseFreeableMemoryMiB * 1024 ** 2);
        assert.equal(byAlarm("RdsCpuHigh")[0].threshold, THRESHOLDS.databaseCpuPercent);
        assert.equal(byAlarm("ElastiCacheMemoryHigh")[0].threshold, THRESHOLDS.redisMemoryPercent);
        assert.equal(byAlarm("RdsReplicaLagHigh")[0].threshold, THRESHOLDS.replicaLagSeconds);
    });
});

describe("Grafana dashboards", function () {
    const all = dashboards();

    it("are the cluster overview, the application's RED metrics and PostgreSQL, each with a fixed uid", function () {
        assert.deepEqual(all.map((d) => d.name), ["application-red", "cluster-overview", "postgresql"]);
        const uids = all.map((d) => (JSON.parse(d.json) as { uid: string }).uid);
        assert.equal(new Set(uids).size, 3);
    });

    it("every panel query parses as PromQL, selects known metrics and reads the Prometheus data source", function () {
        for (const dashboard of all) {
            const model = JSON.parse(dashboard.json) as { panels: Array<{ title: string; type: string; targets?: Array<{ expr: string; datasource: { uid: string } }> }> };
            const targets = model.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ ...t, panel: p.title })));
            assert.ok(targets.length >= 10, `${dashboard.name} has only ${targets.length} queries`);
            for (const target of targets) {
                assert.deepEqual(promqlProblems(withGrafanaVariables(target.expr), KNOWN), [], `${dashboard.name} / ${target.panel}: ${target.expr}`);
                assert.equal(target.datasource.uid, "prometheus");
            }
        }
    });
});
