import assert from "node:assert/strict";
import { scheduleIntervalHours } from "../../policies/rules/platform";
import { FixtureResource, violationsOf } from "../policyHarness";

const DATABASE_ARN = "arn:aws:rds:us-east-1:123456789012:db:platform-prod-postgres";
const DR_VAULT = "arn:aws:backup:us-west-2:123456789012:backup-vault:platform-prod-dr";

function database(overrides: Partial<FixtureResource> = {}): FixtureResource {
    return {
        type: "aws:rds/instance:Instance",
        name: "postgres",
        inputs: { engine: "postgres", arn: DATABASE_ARN, tags: { backup: "platform-prod", environment: "prod" } },
        protect: true,
        ...overrides,
    };
}

/** How a value known only after deployment reaches the pack: recorded offline, and on the wire in a CLI preview. */
const UNKNOWN = [
    ["offline engine", "[unknown]"],
    ["CLI preview", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"],
] as const;

/** A read replica of the database, carrying the same tags (so the same selection picks it). */
function readReplica(replicateSourceDb = "platform-prod-postgres"): FixtureResource {
    return database({
        name: "postgres-replica",
        inputs: { replicateSourceDb, arn: "arn:aws:rds:us-east-1:123456789012:db:platform-prod-postgres-replica", tags: { backup: "platform-prod", environment: "prod" } },
    });
}

interface RuleShape {
    schedule?: string;
    completionWindow?: number;
    enableContinuousBackup?: boolean;
    copyActions?: unknown[];
}

/** An hourly rule with a copy to the DR region, completing within 2 hours. */
const HOURLY: RuleShape = { schedule: "cron(0 * ? * * *)", completionWindow: 120, copyActions: [{ destinationVaultArn: DR_VAULT }] };

/** database (0), plan (1), selection (2) picking the database by its backup tag. */
function covered(rules: RuleShape[] = [HOURLY], selection: Record<string, unknown> = {}): FixtureResource[] {
    return [
        database(),
        { type: "aws:backup/plan:Plan", name: "plan", inputs: { name: "platform-prod", rules: rules.map((r, i) => ({ ruleName: `rule-${i}`, targetVaultName: "primary", ...r })) } },
        {
            type: "aws:backup/selection:Selection",
            name: "selection",
            inputs: { planId: "plan-id", iamRoleArn: "arn:aws:iam::123456789012:role/backup", selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "platform-prod" }], ...selection },
            propertyDependencies: { planId: [1] },
        },
    ];
}

describe("policies: platform invariants", function () {
    describe("stateful-resources-protected", function () {
        it("passes protected data and ignores stateless resources", async function () {
            const resources: FixtureResource[] = [database(), { type: "aws:ec2/vpc:Vpc", inputs: { cidrBlock: "10.0.0.0/16" } }];
            assert.deepEqual(await violationsOf("stateful-resources-protected", "platform-protected-ok", resources), []);
        });

        for (const type of ["aws:rds/instance:Instance", "aws:kms/key:Key", "aws:s3/bucket:Bucket", "aws:backup/vault:Vault", "aws:cloudwatch/logGroup:LogGroup"]) {
            it(`flags an unprotected ${type}`, async function () {
                const violations = await violationsOf("stateful-resources-protected", `platform-unprotected-${type.split(":").pop()!}`, [{ type, inputs: {} }]);
                assert.equal(violations.length, 1);
                assert.match(violations[0].message, /holds data and is not protected\. Fix:/);
            });
        }
    });

    describe("databases-backed-up-across-regions", function () {
        it("passes a database selected by tag into a plan that copies to the DR region", async function () {
            assert.deepEqual(await violationsOf("databases-backed-up-across-regions", "platform-backup-ok", covered()), []);
        });

        it("passes a database selected by ARN", async function () {
            const byArn = covered([HOURLY], { selectionTags: undefined, resources: [DATABASE_ARN] });
            assert.deepEqual(await violationsOf("databases-backed-up-across-regions", "platform-backup-arn-ok", byArn), []);
        });

        it("flags a database no selection picks", async function () {
            const untagged = covered();
            untagged[0] = database({ inputs: { engine: "postgres", arn: DATABASE_ARN, tags: { environment: "prod" } } });
            const violations = await violationsOf("databases-backed-up-across-regions", "platform-backup-missing", untagged);
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /postgres is in no AWS Backup plan\. Fix:/);
            assert.match(violations[0].urn, /aws:rds\/instance:Instance::postgres$/);
        });

        it("skips a read replica in no plan, and still flags its source", async function () {
            const source = database({ inputs: { engine: "postgres", arn: DATABASE_ARN, tags: { environment: "prod" } } });
            const violations = await violationsOf("databases-backed-up-across-regions", "platform-backup-replica", [source, readReplica()]);
            assert.deepEqual(violations.map((v) => v.urn.split("::").pop()), ["postgres"]);
            assert.match(violations[0].message, /postgres is in no AWS Backup plan/);
        });

        for (const [where, unknown] of UNKNOWN) {
            it(`skips a replica whose source is not known until deployed (${where})`, async function () {
                assert.deepEqual(await violationsOf("databases-backed-up-across-regions", `platform-backup-replica-unknown-${unknown.length}`, [readReplica(unknown)]), []);
            });
        }

        it("flags a plan whose rules copy nowhere", async function () {
            const violations = await violationsOf("databases-backed-up-across-regions", "platform-backup-no-copy", covered([{ ...HOURLY, copyActions: [] }]));
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /no rule copies it to another region/);
        });
    });

    // dev's config leaves the schema's defaults (RPO 24 h, RTO 24 h); prod's sets 1 h and 4 h.
    describe("backup-meets-recovery-objectives", function () {
        it("passes hourly, daily and continuous schedules within the default objectives", async function () {
            for (const [id, rule] of [["hourly", HOURLY], ["daily", { ...HOURLY, schedule: "cron(0 5 ? * * *)" }], ["pitr", { enableContinuousBackup: true, completionWindow: 60 }]] as const) {
                assert.deepEqual(await violationsOf("backup-meets-recovery-objectives", `platform-rpo-ok-${id}`, covered([rule]), "dev"), [], id);
            }
        });

        it("flags a weekly schedule against a 24 h RPO", async function () {
            const weekly = covered([{ ...HOURLY, schedule: "cron(0 5 ? * SUN *)" }]);
            const violations = await violationsOf("backup-meets-recovery-objectives", "platform-rpo-weekly", weekly, "dev");
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /no backup rule gives a recovery point every 24 h/);
        });

        it("skips a read replica the plan picks, and still flags its source", async function () {
            const weekly = [...covered([{ ...HOURLY, schedule: "cron(0 5 ? * SUN *)" }]), readReplica()];
            const violations = await violationsOf("backup-meets-recovery-objectives", "platform-rpo-replica", weekly, "dev");
            assert.deepEqual(violations.map((v) => v.urn.split("::").pop()), ["postgres"]);
            assert.match(violations[0].message, /Database postgres: no backup rule gives a recovery point every 24 h/);
        });

        it("flags rules that may complete after the RTO", async function () {
            const violations = await violationsOf("backup-meets-recovery-objectives", "platform-rto-slow", covered([{ ...HOURLY, completionWindow: 48 * 60 }]), "dev");
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /longer than the 24 h recovery time objective/);
        });

        it("prod holds the declared objectives: hourly copies completing within 4 h pass, daily ones and 8 h windows do not", async function () {
            assert.deepEqual(await violationsOf("backup-meets-recovery-objectives", "platform-prod-objectives-ok", covered([HOURLY])), []);
            const daily = await violationsOf("backup-meets-recovery-objectives", "platform-prod-daily", covered([{ ...HOURLY, schedule: "cron(0 5 ? * * *)" }]));
            assert.deepEqual(daily.map((v) => /every 1 h/.test(v.message)), [true]);
            const slow = await violationsOf("backup-meets-recovery-objectives", "platform-prod-slow", covered([{ ...HOURLY, completionWindow: 8 * 60 }]));
            assert.deepEqual(slow.map((v) => /4 h recovery time objective/.test(v.message)), [true]);
        });
    });

    describe("scheduleIntervalHours", function () {
        const cases: Array<[string | undefined, number | undefined]> = [
            ["cron(0 * ? * * *)", 1],
            ["cron(0 */6 ? * * *)", 6],
            ["cron(0 5 ? * * *)", 24],
            ["cron(0 0,12 ? * * *)", 12],
            ["cron(0 1,5,23 ? * * *)", 18],
            ["cron(0 5 ? * MON *)", undefined],
            ["rate(1 hour)", undefined],
            [undefined, undefined],
        ];
        for (const [schedule, hours] of cases) {
            it(`${String(schedule)} runs every ${String(hours)} h`, function () {
                assert.equal(scheduleIntervalHours(schedule), hours);
            });
        }
    });
});
