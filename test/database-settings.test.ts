import assert from "node:assert/strict";
import { POSTGRES_DEFAULTS, REDIS_DEFAULTS } from "../components/database";
import { PostgresArgs, RedisArgs } from "../components/database/args";
import { databaseNameProblems, postgresProblems, redisProblems } from "../components/database/validate";
import { parseDailyWindow, parseWeeklyWindow, windowsOverlap } from "../components/database/windows";

const POSTGRES: Required<PostgresArgs> = { ...POSTGRES_DEFAULTS, majorVersion: "17", instanceClass: "db.r7g.large", allocatedStorageGiB: 100, maxAllocatedStorageGiB: 500 };
const REDIS: Required<RedisArgs> = { ...REDIS_DEFAULTS, engineVersion: "7.1", nodeType: "cache.r7g.large", nodeCount: 2, multiAz: true };

function overlap(daily: string, weekly: string): boolean {
    return windowsOverlap(parseDailyWindow(daily)!, parseWeeklyWindow(weekly)!);
}

describe("database windows", function () {
    it("reads daily and weekly windows, wrapping past midnight and past Sunday", function () {
        assert.deepEqual(parseDailyWindow("03:00-04:30"), { startMinute: 180, lengthMinutes: 90, periodMinutes: 1440 });
        assert.deepEqual(parseDailyWindow("23:30-00:15"), { startMinute: 1410, lengthMinutes: 45, periodMinutes: 1440 });
        assert.deepEqual(parseWeeklyWindow("Sun:23:00-mon:01:00"), { startMinute: 6 * 1440 + 1380, lengthMinutes: 120, periodMinutes: 10080 });
        for (const bad of ["3:00-04:00", "03:00-24:00", "03:00 04:00", "03:60-04:00"]) {
            assert.equal(parseDailyWindow(bad), undefined, bad);
        }
        for (const bad of ["sun:05:00-06:00", "sunday:05:00-sun:06:00", "sun:05:00-xyz:06:00"]) {
            assert.equal(parseWeeklyWindow(bad), undefined, bad);
        }
    });

    it("finds an overlap on any day of the week, touching ends excepted", function () {
        assert.equal(overlap("03:00-04:00", "sun:05:00-sun:06:00"), false);
        assert.equal(overlap("03:00-04:00", "wed:03:30-wed:04:30"), true);
        assert.equal(overlap("03:00-04:00", "tue:04:00-tue:05:00"), false, "a window may start where the other ends");
        // Wrapping on both sides: the daily one across midnight, the weekly one across Sunday night.
        assert.equal(overlap("23:30-00:30", "mon:00:00-mon:01:00"), true);
        assert.equal(overlap("01:00-02:00", "sun:23:00-mon:01:30"), true);
        assert.equal(overlap("02:00-03:00", "sun:23:00-mon:01:30"), false);
    });
});

describe("database settings checks", function () {
    it("accepts the defaults with a size", function () {
        assert.deepEqual(postgresProblems(POSTGRES, "pg"), []);
        assert.deepEqual(redisProblems(REDIS, "cache"), []);
    });

    const postgresCases: Array<[string, Partial<PostgresArgs>, RegExp]> = [
        ["an unsupported major version", { majorVersion: "12" }, /^pg\.majorVersion: got "12"; expected one of "17", "16"$/],
        ["a version with a minor", { majorVersion: "17.2" }, /^pg\.majorVersion: got "17\.2"/],
        ["an instance class without the db. prefix", { instanceClass: "r7g.large" }, /^pg\.instanceClass: got "r7g\.large"; expected an RDS instance class/],
        ["storage below gp3's minimum", { allocatedStorageGiB: 10 }, /^pg\.allocatedStorageGiB: got 10; expected a whole number from 20 to 65536 \(gp3\)$/],
        ["a storage ceiling not above the storage", { maxAllocatedStorageGiB: 100 }, /^pg\.maxAllocatedStorageGiB: got 100; expected a whole number above allocatedStorageGiB \(100\)/],
        ["too many replicas", { readReplicaCount: 6 }, /^pg\.readReplicaCount: got 6; expected a whole number from 0 to 5$/],
        ["a reserved master user", { masterUsername: "rdsadmin" }, /^pg\.masterUsername: got "rdsadmin"; expected a lower-case letter/],
        ["a database name with a hyphen", { databaseName: "my-app" }, /^pg\.databaseName: got "my-app"/],
        ["backups turned off", { backupRetentionDays: 0 }, /^pg\.backupRetentionDays: got 0; expected a whole number from 1 to 35 \(point-in-time recovery needs at least 1\)$/],
        ["a backup window under 30 minutes", { backupWindow: "03:00-03:20" }, /^pg\.backupWindow: got "03:00-03:20"; expected a window of at least 30 minutes$/],
        ["a malformed maintenance window", { maintenanceWindow: "sunday 5am" }, /^pg\.maintenanceWindow: got "sunday 5am"; expected a UTC window "ddd:hh:mm-ddd:hh:mm"/],
        ["overlapping windows", { backupWindow: "05:30-06:30" }, /^pg\.maintenanceWindow: got "sun:05:00-sun:06:00", which overlaps pg\.backupWindow "05:30-06:30"; expected windows that do not overlap$/],
        ["an Insights retention RDS does not offer", { performanceInsightsRetentionDays: 30 }, /^pg\.performanceInsightsRetentionDays: got 30; expected 7, a multiple of 31 up to 713, or 731$/],
        ["a monitoring interval RDS does not offer", { monitoringIntervalSeconds: 20 }, /^pg\.monitoringIntervalSeconds: got 20; expected one of 0, 1, 5, 10, 15, 30, 60/],
        ["logging every statement", { slowQueryThresholdMs: 0 }, /^pg\.slowQueryThresholdMs: got 0; expected a whole number of milliseconds of at least 1, or -1/],
    ];
    for (const [what, change, message] of postgresCases) {
        it(`PostgreSQL: refuses ${what}`, function () {
            const problems = postgresProblems({ ...POSTGRES, ...change }, "pg");
            assert.equal(problems.length, 1, problems.join("\n"));
            assert.match(problems[0], message);
        });
    }

    const redisCases: Array<[string, Partial<RedisArgs>, RegExp]> = [
        ["Redis 6", { engineVersion: "6.2" }, /^cache\.engineVersion: got "6\.2"; expected one of "7\.1", "7\.0"$/],
        ["a node type without the cache. prefix", { nodeType: "r7g.large" }, /^cache\.nodeType: got "r7g\.large"/],
        ["Multi-AZ with one node", { nodeCount: 1 }, /^cache\.nodeCount: got 1; expected at least 2 when multiAz is true/],
        ["more nodes than a shard holds", { nodeCount: 7 }, /^cache\.nodeCount: got 7; expected a whole number from 1 to 6$/],
        ["snapshots kept longer than ElastiCache allows", { snapshotRetentionDays: 36 }, /^cache\.snapshotRetentionDays: got 36; expected a whole number from 0 to 35$/],
        ["a snapshot window under an hour", { snapshotWindow: "04:00-04:30" }, /^cache\.snapshotWindow: got "04:00-04:30"; expected a window of at least 60 minutes$/],
        ["overlapping windows", { maintenanceWindow: "mon:04:30-mon:05:30" }, /^cache\.maintenanceWindow: got "mon:04:30-mon:05:30", which overlaps cache\.snapshotWindow "04:00-05:00"/],
    ];
    for (const [what, change, message] of redisCases) {
        it(`Redis: refuses ${what}`, function () {
            const problems = redisProblems({ ...REDIS, ...change }, "cache");
            assert.equal(problems.length, 1, problems.join("\n"));
            assert.match(problems[0], message);
        });
    }

    it("refuses a component name that cannot name the RDS instance and the cache", function () {
        assert.deepEqual(databaseNameProblems("platform-prod", "name"), []);
        for (const bad of ["Platform-prod", "platform_prod", "platform--prod", "platform-prod-", "9platform", "platform-an-even-longer-stack-name-1"]) {
            assert.equal(databaseNameProblems(bad, "name").length, 1, bad);
        }
        assert.match(databaseNameProblems("platform-an-even-longer-stack-name-1", "name")[0], /at most 34 characters/);
    });
});
