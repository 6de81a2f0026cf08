import assert from "node:assert/strict";
import { FixtureResource, PolicyEnvironment, policySession, violationsOf } from "../policyHarness";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/f1286ab4-fe24-ae95-b4b7-b771721f0e5f";

/** The control-plane log group as the cluster component creates it. */
function logGroup(change: Record<string, unknown> = {}): FixtureResource {
    return {
        type: LOG_GROUP,
        name: "control-plane",
        inputs: { name: "/aws/eks/platform-prod/cluster", retentionInDays: 365, kmsKeyId: KEY_ARN, tags: { Name: "/aws/eks/platform-prod/cluster" }, ...change },
    };
}

async function assertOneViolation(policy: string, caseId: string, group: FixtureResource, problem: RegExp, environment: PolicyEnvironment = "prod"): Promise<void> {
    const violations = await violationsOf(policy, caseId, [group], environment);
    assert.equal(violations.length, 1, JSON.stringify(violations, null, 2));
    assert.match(violations[0].message, problem);
    assert.match(violations[0].message, /Fix: \S/);
    assert.ok(violations[0].urn.endsWith(`::${LOG_GROUP}::${group.name}`), violations[0].urn);
}

describe("policies: CloudWatch Logs", function () {
    it("has every rule in the pack with its severity", async function () {
        const pack = (await policySession("prod")).policies;
        assert.equal(pack.find((p) => p.name === "log-group-retention")?.severity, "low");
        assert.equal(pack.find((p) => p.name === "log-group-encrypted")?.severity, "medium");
    });

    for (const policy of ["log-group-retention", "log-group-encrypted"]) {
        it(`${policy}: passes the control-plane log group`, async function () {
            assert.deepEqual(await violationsOf(policy, `logs-compliant-${policy}`, [logGroup()]), []);
        });
    }

    // dev's config keeps the schema's minimum of 30 days; prod's asks for 365.
    describe("log-group-retention (minimum 30 days, in dev)", function () {
        const policy = "log-group-retention";

        it("passes exactly the minimum", async function () {
            assert.deepEqual(await violationsOf(policy, "logs-retention-30", [logGroup({ retentionInDays: 30 })], "dev"), []);
        });

        it("flags retention below the minimum, naming the value and the minimum", async function () {
            await assertOneViolation(policy, "logs-retention-14", logGroup({ retentionInDays: 14 }), /retentionInDays is 14, below the minimum of 30 days\. Fix: set retentionInDays .* at least 30/, "dev");
        });

        it("flags a log group that never expires its events (retention unset)", async function () {
            await assertOneViolation(policy, "logs-retention-unset", logGroup({ retentionInDays: undefined }), /retentionInDays is unset: events never expire\. Fix: .* at least 30/, "dev");
        });

        it("flags retentionInDays 0 (never expire)", async function () {
            await assertOneViolation(policy, "logs-retention-0", logGroup({ retentionInDays: 0 }), /retentionInDays is 0: events never expire/, "dev");
        });
    });

    it("log-group-retention: prod's config asks for a year", async function () {
        await assertOneViolation("log-group-retention", "logs-retention-prod-90", logGroup({ retentionInDays: 90 }), /below the minimum of 365 days/);
    });

    describe("log-group-encrypted", function () {
        const policy = "log-group-encrypted";

        it("flags a log group without a KMS key", async function () {
            await assertOneViolation(policy, "logs-key-unset", logGroup({ kmsKeyId: undefined }), /not encrypted with a customer-managed key: kmsKeyId is not set/);
        });

        it("flags an AWS managed key alias", async function () {
            await assertOneViolation(policy, "logs-key-aws-alias", logGroup({ kmsKeyId: "arn:aws:kms:us-east-1:123456789012:alias/aws/logs" }), /kmsKeyId names the AWS managed key/);
        });

        // A key created in the same deployment: recorded offline as "[unknown]", sent by the CLI's preview as the wire's unknown.
        for (const unknown of ["[unknown]", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"]) {
            it(`passes a key not known until deployed (${unknown})`, async function () {
                assert.deepEqual(await violationsOf(policy, `logs-key-unknown-${unknown.length}`, [logGroup({ kmsKeyId: unknown })]), []);
            });
        }
    });
});
