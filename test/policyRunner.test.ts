import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PolicyRunError, runPolicyPack } from "../tools/policyRunner";
import { PROJECT_DIR } from "../tools/synth";
import { ENVIRONMENTS, FixtureResource, fixtureStack, levelOf, policyConfig, policySession, violationsOf } from "./policyHarness";

const UNROTATED_KEY: FixtureResource = { type: "aws:kms/key:Key", name: "unrotated", inputs: { description: "no rotation", enableKeyRotation: false } };

describe("the policy runner", function () {
    it("gives every policy the level its environment's config names, else the rule's own", async function () {
        for (const environment of ENVIRONMENTS) {
            const config = policyConfig(environment);
            const session = await policySession(environment);
            for (const policy of session.policies) {
                const entry = config[policy.name];
                const configured = typeof entry === "string" ? entry : entry?.enforcementLevel;
                if (configured !== undefined) {
                    assert.equal(policy.enforcementLevel, configured, `${environment}: ${policy.name}`);
                }
            }
        }
        assert.equal(await levelOf("stateful-resources-protected", "prod"), "mandatory");
        assert.equal(await levelOf("stateful-resources-protected", "dev"), "disabled");
    });

    it("a disabled policy reports nothing", async function () {
        const unprotected: FixtureResource[] = [{ type: "aws:kms/key:Key", inputs: { enableKeyRotation: true } }];
        assert.equal((await violationsOf("stateful-resources-protected", "runner-disabled-prod", unprotected, "prod")).length, 1);
        assert.deepEqual(await violationsOf("stateful-resources-protected", "runner-disabled-dev", unprotected, "dev"), []);
    });

    it("sends thresholds from the config file over the schema's defaults", async function () {
        const daily: FixtureResource[] = [
            { type: "aws:rds/instance:Instance", name: "db", inputs: { tags: { backup: "yes" } } },
            { type: "aws:backup/plan:Plan", name: "plan", inputs: { rules: [{ ruleName: "daily", schedule: "cron(0 5 ? * * *)", completionWindow: 120, copyActions: [{}] }] } },
            { type: "aws:backup/selection:Selection", name: "sel", inputs: { selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "yes" }] }, propertyDependencies: { planId: [1] } },
        ];
        // prod's config sets rpoHours 1; dev leaves the default of 24.
        const prod = await violationsOf("backup-meets-recovery-objectives", "runner-threshold-prod", daily, "prod");
        assert.equal(prod.length, 1);
        assert.match(prod[0].message, /every 1 h/);
        assert.deepEqual(await violationsOf("backup-meets-recovery-objectives", "runner-threshold-dev", daily, "dev"), []);
    });

    it("refuses a config naming a policy the pack lacks, or a setting a policy lacks", async function () {
        const resources = fixtureStack("runner-bad-config", [UNROTATED_KEY]);
        const [unknownPolicy, unknownSetting] = await Promise.allSettled([
            runPolicyPack(resources, { environment: "prod", config: { "kms-key-rotaton-enabled": "mandatory" } }),
            runPolicyPack(resources, { environment: "prod", config: { "backup-meets-recovery-objectives": { rpo: 1 } } }),
        ]);
        assert.equal(unknownPolicy.status, "rejected");
        assert.ok((unknownPolicy as PromiseRejectedResult).reason instanceof PolicyRunError);
        assert.match(String((unknownPolicy as PromiseRejectedResult).reason), /policies the pack does not have: kms-key-rotaton-enabled/);
        assert.equal(unknownSetting.status, "rejected");
        assert.match(String((unknownSetting as PromiseRejectedResult).reason), /backup-meets-recovery-objectives\.rpo is not a setting of that policy \(settings: rpoHours, rtoHours\)/);
    });
});

describe("npm run policy-check", function () {
    const dir = mkdtempSync(join(tmpdir(), "policy-check-"));
    const check = (...args: string[]) =>
        spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_DIR, "tools", "policyCheck.ts"), ...args], { cwd: PROJECT_DIR, encoding: "utf8", timeout: 120_000 });

    it("prints the violations of a hand-made resource list as JSON and exits 0", function () {
        const file = join(dir, "resources.json");
        writeFileSync(file, JSON.stringify([{ urn: "urn:pulumi:x::p::aws:kms/key:Key::unrotated", type: "aws:kms/key:Key", inputs: { enableKeyRotation: false } }]));
        const run = check("--resources", file, "--environment", "dev");
        assert.equal(run.status, 0, run.stderr);
        const violations = JSON.parse(run.stdout) as Array<{ policy: string; enforcementLevel: string; urn: string; message: string }>;
        const rotation = violations.filter((v) => v.policy === "kms-key-rotation-enabled");
        assert.deepEqual(rotation.map((v) => [v.enforcementLevel, v.urn]), [["mandatory", "urn:pulumi:x::p::aws:kms/key:Key::unrotated"]]);
    });

    it("exits 2 on bad usage or an unreadable resource file, before starting the pack", function () {
        assert.equal(check("--environment", "dev").status, 2);
        const bad = join(dir, "bad.json");
        writeFileSync(bad, JSON.stringify([{ type: "aws:kms/key:Key" }]));
        const run = check("--resources", bad, "--environment", "dev");
        assert.equal(run.status, 2);
        assert.match(run.stderr, /resource \[0\] needs at least "urn", "type" and "inputs"/);
    });
});
