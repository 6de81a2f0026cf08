import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PackLoader, openPolicySession, resolvePolicyConfig } from "../tools/policyRunner";
import { PROJECT_DIR } from "../tools/synth";
import { ENVIRONMENTS, FixtureResource, levelOf, policyConfig, policySession, violationsOf } from "./policyHarness";

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

    it("the README's rule table lists every policy with its severity and each environment's level", async function () {
        const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("## The policy pack"), readme.indexOf("## Tests"));
        const rows = section
            .split("\n")
            .filter((line) => line.startsWith("| `"))
            .map((line) => line.split(" | ").map((cell) => cell.replace(/^\| |`| \|$/g, "").trim()));
        const sessions = await Promise.all(ENVIRONMENTS.map((environment) => policySession(environment)));
        const expected = sessions[0].policies.map((p) => [
            p.name,
            p.severity,
            ...sessions.map((s) => s.policies.find((q) => q.name === p.name)!.enforcementLevel),
        ]);
        assert.deepEqual(rows.map((r) => [r[0], ...r.slice(2)]), expected);
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

    it("the pack started as `pulumi preview --policy-pack` starts it (ts-node, type-checked) serves what the transpiled start serves", async function () {
        const cli = await openPolicySession({ environment: "prod", loader: PackLoader.PulumiCli });
        try {
            const transpiled = await policySession("prod");
            assert.deepEqual(cli.pack, transpiled.pack);
            assert.deepEqual(cli.policies, transpiled.policies);
            const unrotated = [{ urn: "urn:pulumi:prod::platform::aws:kms/key:Key::loader", type: "aws:kms/key:Key", name: "loader", parent: null, provider: null, inputs: {}, dependencies: [], protect: false }];
            const found = await cli.analyze(unrotated);
            assert.ok(found.some((v) => v.policy === "kms-key-rotation-enabled"), JSON.stringify(found));
            assert.deepEqual(found, await transpiled.analyze(unrotated));
        } finally {
            cli.close();
        }
    });
});

describe("resolving a policy config file, as the CLI does", function () {
    const info = (name: string, level: analyzer.EnforcementLevel, schema?: Record<string, unknown>) => {
        const policy = new analyzer.PolicyInfo().setName(name).setEnforcementlevel(level);
        if (schema) {
            policy.setConfigschema(new analyzer.PolicyConfigSchema().setProperties(Struct.fromJavaScript(schema as Parameters<typeof Struct.fromJavaScript>[0])));
        }
        return policy;
    };
    const policies = [
        info("kms-key-rotation-enabled", analyzer.EnforcementLevel.MANDATORY),
        info("backup-meets-recovery-objectives", analyzer.EnforcementLevel.MANDATORY, { rpoHours: { type: "number", default: 24 }, rtoHours: { type: "number", default: 24 } }),
    ];

    it("takes the file's level, else `all`, else the policy's own; settings over the schema's defaults", function () {
        const resolved = resolvePolicyConfig(policies, { all: "advisory", "backup-meets-recovery-objectives": { enforcementLevel: "mandatory", rpoHours: 1 } });
        assert.deepEqual(resolved.get("kms-key-rotation-enabled"), { enforcementLevel: "advisory", properties: {} });
        assert.deepEqual(resolved.get("backup-meets-recovery-objectives"), { enforcementLevel: "mandatory", properties: { rpoHours: 1, rtoHours: 24 } });
        assert.equal(resolvePolicyConfig(policies, {}).get("kms-key-rotation-enabled")?.enforcementLevel, "mandatory");
    });

    it("refuses a policy the pack lacks, a setting a policy lacks, and an unknown level", function () {
        assert.throws(() => resolvePolicyConfig(policies, { "kms-key-rotaton-enabled": "mandatory" }), /policies the pack does not have: kms-key-rotaton-enabled/);
        assert.throws(
            () => resolvePolicyConfig(policies, { "backup-meets-recovery-objectives": { rpo: 1 } }),
            /backup-meets-recovery-objectives\.rpo is not a setting of that policy \(settings: rpoHours, rtoHours\)/,
        );
        assert.throws(() => resolvePolicyConfig(policies, { "kms-key-rotation-enabled": "strict" as never }), /enforcement level "strict" is not one of/);
    });
});

describe("npm run policy-check", function () {
    const dir = mkdtempSync(join(tmpdir(), "policy-check-"));
    const check = (...args: string[]) =>
        spawnSync(process.execPath, ["--require", join(PROJECT_DIR, "tools", "register-ts.cjs"), join(PROJECT_DIR, "tools", "policyCheck.ts"), ...args], { cwd: PROJECT_DIR, encoding: "utf8", timeout: 120_000 });

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
