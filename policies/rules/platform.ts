/**
 * The platform's own invariants, which no generic rule set knows: data is protected against
 * deletion, every database is in a backup plan that copies it to another region, and the
 * plans' schedules meet the recovery objectives we declared. Stack rules, because each
 * relation spans resources.
 */
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { asList, fix } from "./util";
import { isSet } from "./values";

/** Types that hold data: losing one loses data, so prod protects them. */
export const STATEFUL_TYPES = [
    "aws:rds/instance:Instance",
    "aws:rds/cluster:Cluster",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:kms/key:Key",
    "aws:backup/vault:Vault",
    "aws:ebs/volume:Volume",
    "aws:efs/fileSystem:FileSystem",
    "aws:dynamodb/table:Table",
    "aws:secretsmanager/secret:Secret",
    "aws:cloudwatch/logGroup:LogGroup",
];

const DATABASE_TYPES = ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"];
const PLAN_TYPE = "aws:backup/plan:Plan";
const SELECTION_TYPE = "aws:backup/selection:Selection";

export const statefulResourcesProtected: ResourceValidationPolicy = {
    name: "stateful-resources-protected",
    description: "Resources that hold data (databases, caches, buckets, keys, vaults, volumes, secrets, log groups) carry Pulumi's protect option.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: (args, report) => {
        // retainOnDelete is not part of what the analyzer protocol sends, so protect is what counts.
        if (STATEFUL_TYPES.includes(args.type) && !args.opts.protect) {
            report(fix(`${args.type} holds data and is not protected.`, "create it with { protect: true } (the platform sets it from protectStatefulResources)."));
        }
    },
};

/** The backup selections that pick `database`: by ARN (a dependency on it) or by one of its tags. */
function selectionsOf(database: PolicyResource, selections: PolicyResource[]): PolicyResource[] {
    const tags = (database.props.tags ?? {}) as Record<string, string>;
    const arn = database.props.arn as string | undefined;
    return selections.filter((selection) => {
        const byReference = Object.values(selection.propertyDependencies ?? {}).some((deps) => deps.some((d) => d.urn === database.urn));
        const byArn = arn !== undefined && asList(selection.props.resources as string[] | undefined).includes(arn);
        const byTag = asList(selection.props.selectionTags as Array<{ type?: string; key?: string; value?: string }> | undefined).some(
            (t) => t.type === "STRINGEQUALS" && t.key !== undefined && tags[t.key] === t.value,
        );
        const byCondition = asList((selection.props.conditions as Array<{ stringEquals?: Array<{ key?: string; value?: string }> }> | undefined) ?? []).some(
            (c) => asList(c.stringEquals).some((e) => e.key?.startsWith("aws:ResourceTag/") === true && tags[e.key.slice("aws:ResourceTag/".length)] === e.value),
        );
        return byReference || byArn || byTag || byCondition;
    });
}

/** The plan a selection belongs to, through its planId dependency. */
function planOf(selection: PolicyResource, plans: PolicyResource[]): PolicyResource | undefined {
    const urns = (selection.propertyDependencies?.planId ?? []).map((d) => d.urn);
    return plans.find((plan) => urns.includes(plan.urn) || plan.props.id === selection.props.planId);
}

interface BackupRule {
    ruleName?: string;
    schedule?: string;
    enableContinuousBackup?: boolean;
    completionWindow?: number;
    copyActions?: unknown[];
}

function rulesOf(plan: PolicyResource): BackupRule[] {
    return asList(plan.props.rules as BackupRule[] | undefined);
}

/**
 * An RDS read replica holds its source's data, so backing up the source covers it. Counted as one
 * when replicateSourceDb is set, even to a value not known until deployed.
 */
function isReadReplica(database: PolicyResource): boolean {
    return database.type === "aws:rds/instance:Instance" && isSet(database.props, "replicateSourceDb");
}

/** The plans covering each database that needs a backup of its own (read replicas do not). */
function coverage(resources: PolicyResource[]): Array<{ database: PolicyResource; plans: PolicyResource[] }> {
    const plans = resources.filter((r) => r.type === PLAN_TYPE);
    const selections = resources.filter((r) => r.type === SELECTION_TYPE);
    return resources
        .filter((r) => DATABASE_TYPES.includes(r.type) && !isReadReplica(r))
        .map((database) => ({
            database,
            plans: selectionsOf(database, selections)
                .map((s) => planOf(s, plans))
                .filter((p): p is PolicyResource => p !== undefined),
        }));
}

export const databasesBackedUpAcrossRegions: StackValidationPolicy = {
    name: "databases-backed-up-across-regions",
    description:
        "Every database is selected by an AWS Backup plan with a rule that copies its recovery points to another vault (the DR region). " +
        "RDS read replicas (replicateSourceDb) are not checked: backing up their source covers their data.",
    enforcementLevel: "mandatory",
    severity: "critical",
    validateStack: (args, report) => {
        for (const { database, plans } of coverage(args.resources)) {
            if (plans.length === 0) {
                report(fix(`Database ${database.name} is in no AWS Backup plan.`, "tag it for the backup selection, or add it to a selection's resources."), database.urn);
            } else if (!plans.some((plan) => rulesOf(plan).some((rule) => asList(rule.copyActions).length > 0))) {
                report(fix(`Database ${database.name} is backed up, but no rule copies it to another region.`, "add a copyAction to a vault in the DR region."), database.urn);
            }
        }
    },
};

/** Hours between runs of an AWS Backup cron schedule, or undefined when it cannot tell. */
export function scheduleIntervalHours(schedule: string | undefined): number | undefined {
    const fields = /^cron\((.+)\)$/.exec(schedule?.trim() ?? "")?.[1].split(/\s+/);
    if (!fields || fields.length !== 6) {
        return undefined;
    }
    const [, hours, dayOfMonth, , dayOfWeek] = fields;
    const everyDay = (dayOfMonth === "*" || dayOfMonth === "?") && (dayOfWeek === "*" || dayOfWeek === "?");
    if (!everyDay) {
        return undefined;
    }
    if (hours === "*") {
        return 1;
    }
    const step = /^(?:\*|\d+)\/(\d+)$/.exec(hours);
    if (step) {
        return Number(step[1]);
    }
    const list = hours.split(",").map(Number);
    if (list.some((h) => !Number.isInteger(h) || h < 0 || h > 23)) {
        return undefined;
    }
    const sorted = [...new Set(list)].sort((a, b) => a - b);
    const gaps = sorted.map((h, i) => (i === 0 ? h + 24 - sorted[sorted.length - 1] : h - sorted[i - 1]));
    return Math.max(...gaps);
}

export const backupMeetsRecoveryObjectives: StackValidationPolicy = {
    name: "backup-meets-recovery-objectives",
    description:
        "The backup plans covering each database meet the declared objectives: a recovery point at least every rpoHours " +
        "(or continuous backup), and backups that complete within rtoHours so a restore can start in time.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            rpoHours: { type: "number", default: 24, minimum: 0.25 },
            rtoHours: { type: "number", default: 24, minimum: 1 },
        },
    },
    validateStack: (args, report) => {
        const { rpoHours, rtoHours } = args.getConfig<{ rpoHours: number; rtoHours: number }>();
        for (const { database, plans } of coverage(args.resources)) {
            const rules = plans.flatMap(rulesOf);
            if (rules.length === 0) {
                continue; // databases-backed-up-across-regions reports it.
            }
            const meetsRpo = rules.some((rule) => rule.enableContinuousBackup === true || (scheduleIntervalHours(rule.schedule) ?? Infinity) <= rpoHours);
            if (!meetsRpo) {
                const schedules = rules.map((r) => r.schedule ?? "(none)").join(", ");
                report(fix(`Database ${database.name}: no backup rule gives a recovery point every ${rpoHours} h (schedules: ${schedules}).`, `schedule a rule at least every ${rpoHours} h, or enable continuous backup.`), database.urn);
            }
            const slow = rules.filter((rule) => (rule.completionWindow ?? 10080) > rtoHours * 60);
            if (slow.length === rules.length) {
                report(fix(`Database ${database.name}: every backup rule may take longer than the ${rtoHours} h recovery time objective to complete.`, `set completionWindow to at most ${rtoHours * 60} minutes.`), database.urn);
            }
        }
    },
};

export const platformPolicies = [statefulResourcesProtected, databasesBackedUpAcrossRegions, backupMeetsRecoveryObjectives];
