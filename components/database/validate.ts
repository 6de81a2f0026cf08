/**
 * Checks of the database's and cache's settings, shared by the component (which fails with a
 * ResourceError) and config/ (which names the stack file and key). Each function takes the
 * path to print and returns "path: got X; expected Y" lines, empty when all is well.
 */
import { PostgresArgs, RedisArgs } from "./args";
import { parseDailyWindow, parseWeeklyWindow, windowsOverlap } from "./windows";
import { got } from "../shared/problems";

/**
 * PostgreSQL majors whose parameter set (parameters.ts) is known to RDS. 18 waits until its
 * parameter group family is checked: it changed `log_connections` from a switch to a list.
 */
export const SUPPORTED_POSTGRES_MAJOR_VERSIONS: readonly string[] = ["17", "16"];
/** Redis OSS versions ElastiCache offers in the `redis7` parameter family. */
export const SUPPORTED_REDIS_VERSIONS: readonly string[] = ["7.1", "7.0"];

/** gp3 limits for RDS PostgreSQL, in GiB. */
const MIN_STORAGE_GIB = 20;
const MAX_STORAGE_GIB = 65536;
const MAX_READ_REPLICAS = 5;
const MAX_CACHE_NODES = 6;
const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60];
const MAX_RETENTION_DAYS = 35;
/** The shortest windows each service accepts, in minutes. */
const RDS_MIN_WINDOW = 30;
const ELASTICACHE_MIN_WINDOW = 60;

const RDS_INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
const CACHE_NODE_TYPE = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;
/** PostgreSQL identifiers RDS accepts for the database and master user: a letter, then letters, digits, underscores. */
const SQL_IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;
/** Names RDS or PostgreSQL keep for themselves. */
const RESERVED_NAMES = ["postgres", "template0", "template1", "rdsadmin", "rdsrepladmin", "rds_superuser", "public"];

/** What RDS and ElastiCache accept as identifiers: a letter, then letters, digits and single hyphens. */
const AWS_IDENTIFIER = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_RDS_IDENTIFIER = 63;
const MAX_REPLICATION_GROUP_ID = 40;

function intBetween(value: number, min: number, max: number, path: string, why = ""): string[] {
    return Number.isInteger(value) && value >= min && value <= max ? [] : [`${path}: got ${got(value)}; expected a whole number from ${min} to ${max}${why}`];
}

/** Problems of a daily window and a weekly window that must both parse, be long enough and not overlap. */
function windowProblems(
    daily: { value: string; path: string },
    weekly: { value: string; path: string },
    minimumMinutes: number,
): string[] {
    const problems: string[] = [];
    const day = parseDailyWindow(daily.value);
    const week = parseWeeklyWindow(weekly.value);
    if (!day) {
        problems.push(`${daily.path}: got ${got(daily.value)}; expected a UTC window "hh:mm-hh:mm" such as "03:00-04:00"`);
    } else if (day.lengthMinutes < minimumMinutes) {
        problems.push(`${daily.path}: got ${got(daily.value)}; expected a window of at least ${minimumMinutes} minutes`);
    }
    if (!week) {
        problems.push(`${weekly.path}: got ${got(weekly.value)}; expected a UTC window "ddd:hh:mm-ddd:hh:mm" such as "sun:05:00-sun:06:00"`);
    } else if (week.lengthMinutes < minimumMinutes) {
        problems.push(`${weekly.path}: got ${got(weekly.value)}; expected a window of at least ${minimumMinutes} minutes`);
    }
    if (day && week && windowsOverlap(day, week)) {
        problems.push(`${weekly.path}: got ${got(weekly.value)}, which overlaps ${daily.path} ${got(daily.value)}; expected windows that do not overlap`);
    }
    return problems;
}

/**
 * Problems of the component's name as the base of its physical names: `<name>-postgres`,
 * `<name>-postgres-replica-<n>` and `<name>-cache` must be valid RDS and ElastiCache identifiers.
 */
export function databaseNameProblems(name: string, path: string): string[] {
    const longest = Math.min(MAX_RDS_IDENTIFIER - "-postgres-replica-5".length, MAX_REPLICATION_GROUP_ID - "-cache".length);
    return AWS_IDENTIFIER.test(name) && name.length <= longest
        ? []
        : [
              `${path}: got ${got(name)}; expected lower-case letters, digits and single hyphens, starting with a letter, at most ${longest} characters ` +
                  `(it names the RDS instance "<name>-postgres" and the cache "<name>-cache")`,
          ];
}

/** Problems of the PostgreSQL settings, defaults filled; `path` names the section. */
export function postgresProblems(pg: Required<PostgresArgs>, path: string): string[] {
    const problems: string[] = [];
    if (!SUPPORTED_POSTGRES_MAJOR_VERSIONS.includes(pg.majorVersion)) {
        problems.push(`${path}.majorVersion: got ${got(pg.majorVersion)}; expected one of ${SUPPORTED_POSTGRES_MAJOR_VERSIONS.map((v) => got(v)).join(", ")}`);
    }
    if (!RDS_INSTANCE_CLASS.test(pg.instanceClass)) {
        problems.push(`${path}.instanceClass: got ${got(pg.instanceClass)}; expected an RDS instance class such as "db.r7g.large"`);
    }
    problems.push(...intBetween(pg.allocatedStorageGiB, MIN_STORAGE_GIB, MAX_STORAGE_GIB, `${path}.allocatedStorageGiB`, " (gp3)"));
    if (Number.isInteger(pg.allocatedStorageGiB) && !(Number.isInteger(pg.maxAllocatedStorageGiB) && pg.maxAllocatedStorageGiB > pg.allocatedStorageGiB && pg.maxAllocatedStorageGiB <= MAX_STORAGE_GIB)) {
        problems.push(
            `${path}.maxAllocatedStorageGiB: got ${got(pg.maxAllocatedStorageGiB)}; expected a whole number above allocatedStorageGiB (${pg.allocatedStorageGiB}) and at most ${MAX_STORAGE_GIB}, so storage can grow`,
        );
    }
    problems.push(...intBetween(pg.readReplicaCount, 0, MAX_READ_REPLICAS, `${path}.readReplicaCount`));
    for (const [key, value] of [["databaseName", pg.databaseName], ["masterUsername", pg.masterUsername]] as const) {
        if (!SQL_IDENTIFIER.test(value) || RESERVED_NAMES.includes(value) || value.startsWith("rds")) {
            problems.push(
                `${path}.${key}: got ${got(value)}; expected a lower-case letter then up to 62 letters, digits or underscores, not a name RDS reserves (${RESERVED_NAMES.join(", ")}, rds*)`,
            );
        }
    }
    // Zero would turn automated backups, and with them point-in-time recovery, off.
    problems.push(...intBetween(pg.backupRetentionDays, 1, MAX_RETENTION_DAYS, `${path}.backupRetentionDays`, " (point-in-time recovery needs at least 1)"));
    problems.push(...windowProblems({ value: pg.backupWindow, path: `${path}.backupWindow` }, { value: pg.maintenanceWindow, path: `${path}.maintenanceWindow` }, RDS_MIN_WINDOW));
    const days = pg.performanceInsightsRetentionDays;
    if (!(days === 7 || days === 731 || (Number.isInteger(days) && days % 31 === 0 && days >= 31 && days <= 713))) {
        problems.push(`${path}.performanceInsightsRetentionDays: got ${got(days)}; expected 7, a multiple of 31 up to 713, or 731`);
    }
    if (!MONITORING_INTERVALS.includes(pg.monitoringIntervalSeconds)) {
        problems.push(`${path}.monitoringIntervalSeconds: got ${got(pg.monitoringIntervalSeconds)}; expected one of ${MONITORING_INTERVALS.join(", ")} (0 turns enhanced monitoring off)`);
    }
    // -1 is PostgreSQL's "off"; 0 would log every statement, and with it every parameter value.
    if (!(pg.slowQueryThresholdMs === -1 || (Number.isInteger(pg.slowQueryThresholdMs) && pg.slowQueryThresholdMs >= 1))) {
        problems.push(`${path}.slowQueryThresholdMs: got ${got(pg.slowQueryThresholdMs)}; expected a whole number of milliseconds of at least 1, or -1 to turn slow-query logging off`);
    }
    return problems;
}

/** Problems of the Redis settings, defaults filled; `path` names the section. */
export function redisProblems(redis: Required<RedisArgs>, path: string): string[] {
    const problems: string[] = [];
    if (!SUPPORTED_REDIS_VERSIONS.includes(redis.engineVersion)) {
        problems.push(`${path}.engineVersion: got ${got(redis.engineVersion)}; expected one of ${SUPPORTED_REDIS_VERSIONS.map((v) => got(v)).join(", ")}`);
    }
    if (!CACHE_NODE_TYPE.test(redis.nodeType)) {
        problems.push(`${path}.nodeType: got ${got(redis.nodeType)}; expected an ElastiCache node type such as "cache.r7g.large"`);
    }
    problems.push(...intBetween(redis.nodeCount, 1, MAX_CACHE_NODES, `${path}.nodeCount`));
    if (redis.multiAz && Number.isInteger(redis.nodeCount) && redis.nodeCount < 2) {
        problems.push(`${path}.nodeCount: got ${got(redis.nodeCount)}; expected at least 2 when multiAz is true (a replica to fail over to)`);
    }
    problems.push(...intBetween(redis.snapshotRetentionDays, 0, MAX_RETENTION_DAYS, `${path}.snapshotRetentionDays`));
    problems.push(...windowProblems({ value: redis.snapshotWindow, path: `${path}.snapshotWindow` }, { value: redis.maintenanceWindow, path: `${path}.maintenanceWindow` }, ELASTICACHE_MIN_WINDOW));
    return problems;
}
