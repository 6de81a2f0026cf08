import assert from "node:assert/strict";
import { Environment, PROFILES, loadStackConfig } from "../config";
import { configProblems as problemsOf } from "./helpers";

type Raw = Record<string, string>;

const URL = "https://api.example.com/healthz";

/** The raw config of a stack file; `null` leaves `platform:observability` out. */
function rawFor(environment: string, observability: Record<string, unknown> | null = { applicationUrl: URL }): Raw {
    const raw: Raw = { "aws:region": "us-east-1", "platform:environment": environment, "platform:backup": JSON.stringify({ drRegion: "us-west-2" }) };
    if (observability !== null) {
        raw["platform:observability"] = JSON.stringify(observability);
    }
    return raw;
}

describe("observability config: profiles", function () {
    for (const env of [Environment.Dev, Environment.Staging, Environment.Prod]) {
        it(`${env}: the profile plus the stack's application URL`, function () {
            const config = loadStackConfig(rawFor(env), env);
            assert.deepEqual(config.observability, { ...PROFILES[env].observability, applicationUrl: URL });
        });
    }

    it("prod keeps two Prometheus servers, three Alertmanagers and the longest history", function () {
        const [dev, prod] = [PROFILES.dev.observability, PROFILES.prod.observability];
        assert.deepEqual([prod.prometheus.replicas, prod.alertmanager.replicas], [2, 3]);
        assert.ok(prod.prometheus.retentionDays > dev.prometheus.retentionDays);
        assert.ok(prod.logs.retentionDays > dev.logs.retentionDays);
        assert.ok(prod.traces.retentionDays > dev.traces.retentionDays);
    });

    it("holds the thresholds the requirements give, in every profile", function () {
        for (const env of [Environment.Dev, Environment.Staging, Environment.Prod]) {
            const a = PROFILES[env].observability.alerts;
            assert.deepEqual(
                [a.errorRatePercent, a.latencyP95Seconds, a.containerMemoryPercent, a.nodeCpuPercent, a.postgresConnectionsPercent, a.redisMemoryPercent, a.diskFreePercent, a.certificateExpiryDays],
                [5, 2, 90, 80, 80, 90, 10, 30],
                env,
            );
        }
    });
});

describe("observability config: overrides merge over the profile", function () {
    it("one threshold and one size change; the rest stay the profile's", function () {
        const config = loadStackConfig(rawFor("prod", { applicationUrl: URL, prometheus: { storageGiB: 500 }, alerts: { errorRatePercent: 2 } }), "prod");
        assert.deepEqual(config.observability.prometheus, { ...PROFILES.prod.observability.prometheus, storageGiB: 500 });
        assert.deepEqual(config.observability.alerts, { ...PROFILES.prod.observability.alerts, errorRatePercent: 2 });
    });

    it("takes subscriptions of every protocol", function () {
        const subscriptions = [
            { protocol: "email", endpoint: "oncall@example.com" },
            { protocol: "https", endpoint: "https://events.example.com/sns" },
            { protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:123456789012:alerts" },
            { protocol: "lambda", endpoint: "arn:aws:lambda:us-east-1:123456789012:function:notify" },
        ];
        const config = loadStackConfig(rawFor("staging", { applicationUrl: URL, alertSubscriptions: subscriptions }), "staging");
        assert.deepEqual(config.observability.alertSubscriptions, subscriptions);
    });
});

describe("observability config: bad inputs", function () {
    const cases: Array<{ name: string; observability: Record<string, unknown> | null; expected: string }> = [
        { name: "no application URL", observability: null, expected: "platform:observability.applicationUrl: missing" },
        { name: "a plain-HTTP application URL", observability: { applicationUrl: "http://api.example.com" }, expected: 'platform:observability.applicationUrl: got "http://api.example.com"; expected the application\'s public https:// URL' },
        { name: "a typo in a key", observability: { applicationUrl: URL, promethues: { replicas: 2 } }, expected: 'platform:observability.promethues: unknown key; did you mean "prometheus"?' },
        { name: "no Prometheus", observability: { applicationUrl: URL, prometheus: { replicas: 0 } }, expected: "platform:observability.prometheus.replicas: got 0; expected a whole number from 1 to 3" },
        { name: "a threshold over 100%", observability: { applicationUrl: URL, alerts: { redisMemoryPercent: 120 } }, expected: "platform:observability.alerts.redisMemoryPercent: got 120; expected a percentage from 1 to 99" },
        { name: "zero log retention", observability: { applicationUrl: URL, logs: { retentionDays: 0 } }, expected: "platform:observability.logs.retentionDays: got 0; expected a whole number from 1 to 3650" },
        {
            name: "an unknown subscription protocol",
            observability: { applicationUrl: URL, alertSubscriptions: [{ protocol: "sms", endpoint: "+15550100" }] },
            expected: 'platform:observability.alertSubscriptions[0].protocol: got "sms"; expected one of "email", "https", "sqs", "lambda"',
        },
        {
            name: "an endpoint that does not fit its protocol",
            observability: { applicationUrl: URL, alertSubscriptions: [{ protocol: "sqs", endpoint: "alerts-queue" }] },
            expected: 'platform:observability.alertSubscriptions[0].endpoint: got "alerts-queue"; expected an SQS queue ARN for protocol "sqs"',
        },
        { name: "the node-agent namespace", observability: { applicationUrl: URL, namespace: "node-agents" }, expected: 'platform:observability.namespace: got "node-agents"; expected a namespace of its own' },
        { name: "a runbook URL with a fragment", observability: { applicationUrl: URL, runbookBaseUrl: "https://wiki.example.com/runbooks#top" }, expected: "platform:observability.runbookBaseUrl: got" },
    ];
    for (const c of cases) {
        it(`rejects ${c.name}, naming the key`, function () {
            const problems = problemsOf(rawFor("prod", c.observability));
            assert.ok(problems.some((p) => p.startsWith(c.expected)), `${c.expected}\nnot among\n${problems.join("\n")}`);
        });
    }
});
