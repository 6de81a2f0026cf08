import assert from "node:assert/strict";
import { Environment, PROFILES, applicationProbeUrl, loadStackConfig } from "../config";
import { configProblems as problemsOf, requiredDelivery } from "./helpers";

type Raw = Record<string, string>;

/** The raw config of a stack file; `null` leaves `platform:observability` out. */
function rawFor(environment: string, observability: Record<string, unknown> | null = null): Raw {
    const raw: Raw = {
        "aws:region": "us-east-1",
        "platform:environment": environment,
        "platform:backup": JSON.stringify({ drRegion: "us-west-2" }),
        "platform:delivery": JSON.stringify(requiredDelivery()),
    };
    if (observability !== null) {
        raw["platform:observability"] = JSON.stringify(observability);
    }
    return raw;
}

describe("observability config: profiles", function () {
    for (const env of [Environment.Dev, Environment.Staging, Environment.Prod]) {
        it(`${env}: the profile alone; the probed URL is the application's, from platform:delivery`, function () {
            const config = loadStackConfig(rawFor(env), env);
            assert.deepEqual(config.observability, PROFILES[env].observability);
            assert.equal(applicationProbeUrl(config.delivery), "https://api.example.com/healthz");
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
        const config = loadStackConfig(rawFor("prod", { prometheus: { storageGiB: 500 }, alerts: { errorRatePercent: 2 } }), "prod");
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
        const config = loadStackConfig(rawFor("staging", { alertSubscriptions: subscriptions }), "staging");
        assert.deepEqual(config.observability.alertSubscriptions, subscriptions);
    });
});

describe("observability config: bad inputs", function () {
    const cases: Array<{ name: string; observability: Record<string, unknown> | null; expected: string }> = [
        { name: "an application URL, which platform:delivery now gives", observability: { applicationUrl: "https://api.example.com/healthz" }, expected: "platform:observability.applicationUrl: unknown key" },
        { name: "a typo in a key", observability: { promethues: { replicas: 2 } }, expected: 'platform:observability.promethues: unknown key; did you mean "prometheus"?' },
        { name: "no Prometheus", observability: { prometheus: { replicas: 0 } }, expected: "platform:observability.prometheus.replicas: got 0; expected a whole number from 1 to 3" },
        { name: "a threshold over 100%", observability: { alerts: { redisMemoryPercent: 120 } }, expected: "platform:observability.alerts.redisMemoryPercent: got 120; expected a percentage from 1 to 99" },
        { name: "zero log retention", observability: { logs: { retentionDays: 0 } }, expected: "platform:observability.logs.retentionDays: got 0; expected a whole number from 1 to 3650" },
        {
            name: "an unknown subscription protocol",
            observability: { alertSubscriptions: [{ protocol: "sms", endpoint: "+15550100" }] },
            expected: 'platform:observability.alertSubscriptions[0].protocol: got "sms"; expected one of "email", "https", "sqs", "lambda"',
        },
        {
            name: "an endpoint that does not fit its protocol",
            observability: { alertSubscriptions: [{ protocol: "sqs", endpoint: "alerts-queue" }] },
            expected: 'platform:observability.alertSubscriptions[0].endpoint: got "alerts-queue"; expected an SQS queue ARN for protocol "sqs"',
        },
        { name: "the node-agent namespace", observability: { namespace: "node-agents" }, expected: 'platform:observability.namespace: got "node-agents"; expected a namespace of its own' },
        { name: "a runbook URL with a fragment", observability: { runbookBaseUrl: "https://wiki.example.com/runbooks#top" }, expected: "platform:observability.runbookBaseUrl: got" },
    ];
    for (const c of cases) {
        it(`rejects ${c.name}, naming the key`, function () {
            const problems = problemsOf(rawFor("prod", c.observability));
            assert.ok(problems.some((p) => p.startsWith(c.expected)), `${c.expected}\nnot among\n${problems.join("\n")}`);
        });
    }
});
