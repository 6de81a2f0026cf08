import assert from "node:assert/strict";
import { PROFILES, loadStackConfig } from "../config";
import { configProblems as problemsOf, requiredDelivery } from "./helpers";

type Raw = Record<string, string>;

function rawFor(environment: string, backup: Record<string, unknown> | null = { drRegion: "us-west-2" }, region = "us-east-1"): Raw {
    const raw: Raw = {
        "aws:region": region,
        "platform:environment": environment,
        "platform:delivery": JSON.stringify(requiredDelivery(region)),
    };
    if (backup !== null) {
        raw["platform:backup"] = JSON.stringify(backup);
    }
    return raw;
}

describe("backup config", function () {
    for (const env of ["dev", "staging", "prod"] as const) {
        it(`${env}: the profile with a DR region parses, and meets its own targets`, function () {
            const config = loadStackConfig(rawFor(env), env);
            assert.deepEqual(config.backup, { ...PROFILES[env].backup, drRegion: "us-west-2" });
        });
    }

    it("prod declares RPO 1 h and RTO 4 h; dev declares none", function () {
        assert.deepEqual(PROFILES.prod.backup.targets, { rpoMinutes: 60, rtoMinutes: 240 });
        assert.deepEqual(PROFILES.dev.backup.targets, {});
    });

    it("rejects a prod stack whose settings give only a daily recovery point in the DR region, naming what would meet the target", function () {
        const problems = problemsOf(rawFor("prod", {
            drRegion: "us-west-2",
            plan: { rules: { hourly: { drCopyRetentionDays: 0 } } },
            databaseReplication: { enabled: false },
        }));
        assert.deepEqual(problems, [
            'platform:backup.targets.rpoMinutes: the target is 60 minutes, but these settings give 1680 (rule "daily" copied to the DR vault ' +
                "(1440 min between runs + 60 min start window + 180 min completion window)); enable databaseReplication, or copy a more frequent plan rule to the DR region",
        ]);
    });

    it("rejects an RTO target the restore steps cannot meet, listing the steps", function () {
        const [problem] = problemsOf(rawFor("prod", { drRegion: "us-west-2", targets: { rtoMinutes: 90 } }));
        assert.match(problem, /^platform:backup\.targets\.rtoMinutes: the target is 90 minutes, but restoring takes an estimated 125 \(stand up the platform in the DR region: 60; /);
    });

    const cases: Array<{ name: string; backup: Record<string, unknown> | null; region?: string; expected: string }> = [
        { name: "no DR region", backup: null, expected: 'platform:backup.drRegion: missing; expected the disaster-recovery region, such as "us-west-2"' },
        { name: "the stack's own region as DR region", backup: { drRegion: "us-east-1" }, expected: 'platform:backup.drRegion: got "us-east-1", the stack\'s own region (aws:region)' },
        { name: "an unknown DR region", backup: { drRegion: "mars-1" }, expected: 'platform:backup.drRegion: got "mars-1"; expected one of' },
        { name: "a typo in a key", backup: { drRegion: "us-west-2", vaultLok: {} }, expected: "platform:backup.vaultLok: unknown key" },
        {
            name: "a retention the vault lock refuses",
            backup: { drRegion: "us-west-2", vaultLock: { maxRetentionDays: 14 } },
            expected: "platform:backup.plan.rules.daily.retentionDays: got 30; the governance vault lock admits only 1 to 14 days",
        },
        { name: "a start window under AWS Backup's hour", backup: { drRegion: "us-west-2", plan: { startWindowMinutes: 30 } }, expected: "platform:backup.plan.startWindowMinutes: got 30; expected a whole number of minutes from 60 to 60" },
        { name: "an hour of day that is not one", backup: { drRegion: "us-west-2", plan: { rules: { daily: { startHourUtc: 24 } } } }, expected: "platform:backup.plan.rules.daily.startHourUtc: got 24; expected a whole number from 0 to 23" },
        { name: "replicated backups kept too long", backup: { drRegion: "us-west-2", databaseReplication: { retentionDays: 40 } }, expected: "platform:backup.databaseReplication.retentionDays: got 40; expected a whole number from 1 to 35" },
        { name: "a drill of a namespace that is not an application's", backup: { drRegion: "us-west-2", velero: { restoreDrill: { sourceNamespace: "kube-system" } } }, expected: 'platform:backup.velero.restoreDrill.sourceNamespace: got "kube-system"; expected one of the application namespaces ("api")' },
        { name: "a Velero namespace taken by monitoring", backup: { drRegion: "us-west-2", velero: { namespace: "monitoring" } }, expected: 'platform:backup.velero.namespace: got "monitoring"; expected a namespace of its own' },
        { name: "an unknown schedule scope", backup: { drRegion: "us-west-2", velero: { schedules: { cluster: { scope: "everything" } } } }, expected: "platform:backup.velero.schedules.cluster.scope" },
        { name: "a TTL of zero", backup: { drRegion: "us-west-2", velero: { schedules: { applications: { ttlDays: 0 } } } }, expected: "platform:backup.velero.schedules.applications.ttlDays: got 0; expected a whole number from 1 to 3650" },
    ];
    for (const c of cases) {
        it(`rejects ${c.name}`, function () {
            const problems = problemsOf(rawFor("prod", c.backup, c.region));
            assert.ok(problems.some((p) => p.startsWith(c.expected)), problems.join("\n"));
        });
    }
});
