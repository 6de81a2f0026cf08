import assert from "node:assert/strict";
import { FixtureResource, violationsOf } from "../policyHarness";

const KEY = "aws:kms/key:Key";
const ACCOUNT_ROOT = "arn:aws:iam::123456789012:root";

/** A compliant key: rotation on, administered by the account through IAM. */
function key(overrides: Record<string, unknown> = {}, statements: unknown[] = []): FixtureResource {
    return {
        type: KEY,
        inputs: {
            description: "test key",
            enableKeyRotation: true,
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Sid: "Admin", Effect: "Allow", Principal: { AWS: ACCOUNT_ROOT }, Action: "kms:*", Resource: "*" }, ...statements],
            }),
            ...overrides,
        },
    };
}

describe("policies: KMS", function () {
    describe("kms-key-rotation-enabled", function () {
        it("passes a rotating key", async function () {
            assert.deepEqual(await violationsOf("kms-key-rotation-enabled", "kms-rotation-ok", [key()]), []);
        });

        for (const [what, overrides] of [["rotation off", { enableKeyRotation: false }], ["rotation unset", { enableKeyRotation: undefined }]] as const) {
            it(`flags a key with ${what}, with a fix`, async function () {
                const violations = await violationsOf("kms-key-rotation-enabled", `kms-rotation-${what}`, [key(overrides)]);
                assert.equal(violations.length, 1);
                assert.equal(violations[0].enforcementLevel, "mandatory");
                assert.match(violations[0].message, /Fix: set enableKeyRotation: true/);
                assert.match(violations[0].urn, /::aws:kms\/key:Key::/);
            });
        }
    });

    describe("kms-key-policy-no-open-principal", function () {
        const open = { Sid: "Open", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" };

        it("passes account-administered keys and open principals narrowed by conditions", async function () {
            const narrowed = { ...open, Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" } } };
            assert.deepEqual(await violationsOf("kms-key-policy-no-open-principal", "kms-open-ok", [key({}, [narrowed])]), []);
        });

        for (const [what, principal] of [["AWS: \"*\"", { AWS: "*" }], ["\"*\"", "*"], ["a list holding \"*\"", { AWS: ["*"] }]] as const) {
            it(`flags a statement allowing ${what} without conditions`, async function () {
                const violations = await violationsOf("kms-key-policy-no-open-principal", `kms-open-${principal === "*" ? "star" : JSON.stringify(principal).length}`, [
                    key({}, [{ ...open, Principal: principal }]),
                ]);
                assert.equal(violations.length, 1);
                assert.match(violations[0].message, /Open/);
            });
        }
    });
});
