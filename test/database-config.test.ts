// The `platform:database` section of the stack configuration: profiles, merging over them, and
// the messages a bad stack file gets. Only loadStackConfig runs; no Pulumi program.
import assert from "node:assert/strict";
import { Environment, PROFILES, StackConfigError, loadStackConfig } from "../config";
import { requiredDelivery } from "./helpers";

type Raw = Record<string, string>;

/** The one key every stack file must set. */
const DELIVERY = JSON.stringify(requiredDelivery());
const DR_REGION = JSON.stringify({ drRegion: "us-west-2" });

function rawFor(environment: string, database?: Record<string, unknown>): Raw {
    const raw: Raw = { "aws:region": "us-east-1", "platform:environment": environment, "platform:delivery": DELIVERY, "platform:backup": DR_REGION };
    if (database !== undefined) {
        raw["platform:database"] = JSON.stringify(database);
    }
    return raw;
}

function loadError(raw: Raw, stack: string): StackConfigError {
    try {
        loadStackConfig(raw, stack);
    } catch (error) {
        assert.ok(error instanceof StackConfigError, `expected a StackConfigError, got ${String(error)}`);
        return error;
    }
    throw new Error("expected loadStackConfig to throw");
}

describe("database config: profiles", () => {
    it("prod: Multi-AZ, 30 days of backups, deletion protection, final snapshot, insights, a cache node per zone with failover", () => {
        const { postgres, redis, logRetentionDays } = loadStackConfig(rawFor("prod"), "prod").database;
        assert.deepEqual(
            [postgres.multiAz, postgres.backupRetentionDays, postgres.deletionProtection, postgres.finalSnapshot, postgres.performanceInsights, postgres.applyImmediately],
            [true, 30, true, true, true, false],
        );
        assert.ok(postgres.monitoringIntervalSeconds > 0);
        assert.deepEqual([redis.nodeCount, redis.multiAz, redis.finalSnapshot], [3, true, true]);
        assert.equal(logRetentionDays, 365);
    });

    it("staging keeps the safety of prod at a smaller size; dev keeps neither", () => {
        const staging = loadStackConfig(rawFor("staging"), "staging").database.postgres;
        const dev = loadStackConfig(rawFor("dev"), "dev").database.postgres;
        assert.deepEqual([staging.deletionProtection, staging.finalSnapshot, staging.performanceInsights], [true, true, true]);
        assert.deepEqual([dev.deletionProtection, dev.finalSnapshot, dev.performanceInsights, dev.monitoringIntervalSeconds], [false, false, false, 0]);
    });

    it("every environment runs the same engines and keeps the same database and user names", () => {
        const pick = (env: Environment) => {
            const { postgres, redis } = PROFILES[env].database;
            return [postgres.majorVersion, postgres.databaseName, postgres.masterUsername, redis.engineVersion];
        };
        assert.deepEqual(pick(Environment.Dev), ["17", "app", "platform_admin", "7.1"]);
        assert.deepEqual(pick(Environment.Staging), pick(Environment.Dev));
        assert.deepEqual(pick(Environment.Prod), pick(Environment.Dev));
    });
});

describe("database config: overrides merge over the profile", () => {
    it("one PostgreSQL key keeps every other prod value, and the cache's", () => {
        const config = loadStackConfig(rawFor("prod", { postgres: { readReplicaCount: 1 } }), "prod").database;
        assert.deepEqual(config.postgres, { ...PROFILES.prod.database.postgres, readReplicaCount: 1 });
        assert.deepEqual(config.redis, PROFILES.prod.database.redis);
    });

    it("explicit false and zero survive the merge", () => {
        const config = loadStackConfig(rawFor("prod", { postgres: { multiAz: false, monitoringIntervalSeconds: 0 }, redis: { snapshotRetentionDays: 0 } }), "prod").database;
        assert.deepEqual([config.postgres.multiAz, config.postgres.monitoringIntervalSeconds, config.redis.snapshotRetentionDays], [false, 0, 0]);
    });
});

describe("database config: bad inputs", () => {
    it("names the stack file and the key of each problem, all at once", () => {
        const error = loadError(
            rawFor("prod", {
                postgres: { majorVersion: "12", backupWindow: "05:30-06:30", maxAllocatedStorageGiB: 50 },
                redis: { nodeCount: 1 },
                logRetentionDays: 42,
            }),
            "prod",
        );
        assert.match(error.message, /^Pulumi\.prod\.yaml: invalid stack configuration \(5 problems\)/);
        assert.deepEqual(error.problems.map((p) => p.split(":").slice(0, 2).join(":")), [
            "platform:database.postgres.majorVersion",
            "platform:database.postgres.maxAllocatedStorageGiB",
            "platform:database.postgres.maintenanceWindow",
            "platform:database.redis.nodeCount",
            "platform:database.logRetentionDays",
        ]);
        assert.match(error.problems[2], /got "sun:05:00-sun:06:00", which overlaps platform:database\.postgres\.backupWindow "05:30-06:30"/);
        assert.match(error.problems[3], /expected at least 2 when multiAz is true/);
    });

    it("a typo in a key is an error with a suggestion, not a silent default", () => {
        const error = loadError(rawFor("prod", { postgres: { backupRetentionDay: 7 } }), "prod");
        assert.match(error.problems[0], /^platform:database\.postgres\.backupRetentionDay: unknown key; did you mean "backupRetentionDays"\?/);
    });

    it("a value of the wrong type is named with what was expected", () => {
        const error = loadError(rawFor("dev", { redis: { multiAz: "yes" } }), "dev");
        assert.deepEqual(error.problems, ['platform:database.redis.multiAz: got "yes"; expected a boolean']);
    });

    it("a stack name that cannot be part of the database's physical names is refused", () => {
        const error = loadError(rawFor("dev"), "Dev_EU");
        assert.match(error.problems[0], /^the project and stack name "platform-Dev_EU": got "platform-Dev_EU"; expected lower-case letters, digits and single hyphens/);
    });
});
