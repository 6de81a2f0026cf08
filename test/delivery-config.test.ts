import assert from "node:assert/strict";
import { PROFILES, loadStackConfig } from "../config";
import { DeliveryStrategy } from "../components/delivery/args";
import { configProblems as problemsOf, requiredDelivery } from "./helpers";

type Raw = Record<string, string>;

function rawFor(environment: string, delivery: Record<string, unknown> | null = requiredDelivery()): Raw {
    const raw: Raw = { "aws:region": "us-east-1", "platform:environment": environment, "platform:backup": JSON.stringify({ drRegion: "us-west-2" }) };
    if (delivery !== null) {
        raw["platform:delivery"] = JSON.stringify(delivery);
    }
    return raw;
}

describe("delivery config", function () {
    for (const env of ["dev", "staging", "prod"] as const) {
        it(`${env}: the profile with the stack's host name and certificate`, function () {
            const config = loadStackConfig(rawFor(env), env);
            assert.deepEqual(config.delivery, { ...PROFILES[env].delivery, ...requiredDelivery() });
        });
    }

    it("replicas 1, 2, 3; rolling in dev, canary in staging and prod; two controllers in prod", function () {
        assert.deepEqual([PROFILES.dev.delivery.replicas, PROFILES.staging.delivery.replicas, PROFILES.prod.delivery.replicas], [1, 2, 3]);
        assert.deepEqual(
            [PROFILES.dev.delivery.strategy, PROFILES.staging.delivery.strategy, PROFILES.prod.delivery.strategy],
            [DeliveryStrategy.Rolling, DeliveryStrategy.Canary, DeliveryStrategy.Canary],
        );
        assert.equal(PROFILES.prod.delivery.controller.replicas, 2);
        assert.deepEqual(PROFILES.prod.delivery.canary.steps.map((s) => s.weightPercent), [5, 25, 50, 100]);
    });

    it("takes a strategy, steps and a digest from the stack file, filling a step's unset pause and gate", function () {
        const digest = `sha256:${"ab".repeat(32)}`;
        const config = loadStackConfig(
            rawFor("staging", { ...requiredDelivery(), strategy: "blueGreen", image: { repository: "ghcr.io/acme/api", tag: digest }, canary: { steps: [{ weightPercent: 10 }, { weightPercent: 50, awaitPromotion: true }] } }),
            "staging",
        );
        assert.equal(config.delivery.strategy, DeliveryStrategy.BlueGreen);
        assert.equal(config.delivery.image.tag, digest);
        assert.deepEqual(config.delivery.canary.steps, [
            { weightPercent: 10, pauseSeconds: 0, awaitPromotion: false },
            { weightPercent: 50, pauseSeconds: 0, awaitPromotion: true },
        ]);
    });

    const withDelivery = (overrides: Record<string, unknown>) => ({ ...requiredDelivery(), ...overrides });
    const cases: Array<{ name: string; delivery: Record<string, unknown> | null; expected: string }> = [
        { name: "no host name", delivery: { certificateArn: requiredDelivery().certificateArn }, expected: "platform:delivery.hostname: missing; expected the host name users reach the application at" },
        { name: "no certificate", delivery: { hostname: "api.example.com" }, expected: "platform:delivery.certificateArn: missing; expected the ARN of the ACM certificate for the host name, in us-east-1" },
        { name: "neither", delivery: null, expected: "platform:delivery.hostname: missing" },
        { name: "a URL for a host name", delivery: withDelivery({ hostname: "https://api.example.com" }), expected: 'platform:delivery.hostname: got "https://api.example.com"; expected the public host name' },
        {
            name: "a certificate in another region",
            delivery: withDelivery({ certificateArn: requiredDelivery("eu-west-1").certificateArn }),
            expected: "platform:delivery.certificateArn: got a certificate in eu-west-1; an ALB in us-east-1 can only use a certificate from us-east-1",
        },
        { name: "an IAM server certificate", delivery: withDelivery({ certificateArn: "arn:aws:iam::123456789012:server-certificate/api" }), expected: "platform:delivery.certificateArn: got" },
        { name: "a namespace the cluster does not make", delivery: withDelivery({ namespace: "shop" }), expected: 'platform:delivery.namespace: got "shop"; expected one of the application namespaces: "api"' },
        { name: "an unknown strategy", delivery: withDelivery({ strategy: "shadow" }), expected: 'platform:delivery.strategy: got "shadow"; expected one of "canary", "blueGreen", "rolling"' },
        { name: "a typo in a key", delivery: withDelivery({ stratgy: "canary" }), expected: 'platform:delivery.stratgy: unknown key; did you mean "strategy"?' },
        { name: "the latest tag", delivery: withDelivery({ image: { repository: "ghcr.io/acme/api", tag: "latest" } }), expected: 'platform:delivery.image.tag: got "latest", a tag that moves' },
        { name: "a tag inside the repository", delivery: withDelivery({ image: { repository: "ghcr.io/acme/api:1.2.3", tag: "1.2.3" } }), expected: "platform:delivery.image.repository: got" },
        { name: "weights that go down", delivery: withDelivery({ canary: { steps: [{ weightPercent: 50 }, { weightPercent: 20 }] } }), expected: "platform:delivery.canary.steps[1].weightPercent: got 20 after 50; expected weights that only increase" },
        { name: "a step with a pause and a gate", delivery: withDelivery({ canary: { steps: [{ weightPercent: 5, pauseSeconds: 60, awaitPromotion: true }] } }), expected: "platform:delivery.canary.steps[0]: got both pauseSeconds 60 and awaitPromotion" },
        { name: "a variable the platform sets", delivery: withDelivery({ env: { DATABASE_HOST: "localhost" } }), expected: "platform:delivery.env.DATABASE_HOST: set by the platform" },
        { name: "a privileged port", delivery: withDelivery({ port: 80 }), expected: "platform:delivery.port: got 80; expected a whole number from 1024 to 65535" },
        { name: "root", delivery: withDelivery({ runAsUser: 0 }), expected: "platform:delivery.runAsUser: got 0; expected a whole number other than 0 (root) from 1 to 2147483647" },
        { name: "a request above its limit", delivery: withDelivery({ resources: { requestsCpu: "2", requestsMemory: "256Mi", limitsCpu: "1", limitsMemory: "512Mi" } }), expected: 'platform:delivery.resources.requestsCpu: got "2", more than limitsCpu "1"' },
        { name: "fewer autoscaled replicas than idle ones", delivery: withDelivery({ autoscaling: { maxReplicas: 2 } }), expected: "platform:delivery.autoscaling.maxReplicas: got 2; expected a whole number (at least replicas, 3) from 3 to 100" },
        {
            name: "analysis too slow for its target",
            delivery: withDelivery({ analysis: { intervalSeconds: 90 } }),
            expected: "platform:delivery.analysis.maxTimeToAbortSeconds: the target is 300 s, but a bad version could serve for 315 s before the rollout aborts",
        },
        { name: "a scale-down delay shorter than the ALB's draining", delivery: withDelivery({ blueGreen: { scaleDownDelaySeconds: 30 } }), expected: "platform:delivery.blueGreen.scaleDownDelaySeconds: got 30; expected a whole number of seconds from 60 to 86400" },
        { name: "the controller in the monitoring namespace", delivery: withDelivery({ controller: { namespace: "monitoring" } }), expected: 'platform:delivery.controller.namespace: got "monitoring"; expected a namespace of its own' },
    ];
    for (const c of cases) {
        it(`rejects ${c.name}, naming the key`, function () {
            const problems = problemsOf(rawFor("prod", c.delivery));
            assert.ok(problems.some((p) => p.startsWith(c.expected)), problems.join("\n"));
        });
    }

    it("reports a missing host name and certificate once each, as missing", function () {
        assert.deepEqual(problemsOf(rawFor("prod", null)), [
            'platform:delivery.hostname: missing; expected the host name users reach the application at, such as "api.example.com" (each stack file sets its own)',
            "platform:delivery.certificateArn: missing; expected the ARN of the ACM certificate for the host name, in us-east-1 (each stack file sets its own)",
        ]);
    });
});
