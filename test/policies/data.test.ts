import assert from "node:assert/strict";
import { FixtureResource, PolicyEnvironment, policySession, violationsOf } from "../policyHarness";

const INSTANCE = "aws:rds/instance:Instance";
const CLUSTER = "aws:rds/cluster:Cluster";
const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/6f1d2c3b-8a4e-4b7f-9c2d-1e0f3a5b7c9d";
const AWS_RDS_KEY = "arn:aws:kms:us-east-1:123456789012:alias/aws/rds";

type Inputs = Record<string, unknown>;

/** How a value known only after deployment reaches the pack: recorded offline, and on the wire in a CLI preview. */
const UNKNOWN = [
    ["offline engine", "[unknown]"],
    ["CLI preview", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"],
] as const;

/** A production Postgres instance as the platform would run it: every rule satisfied. */
function instance(change: Inputs = {}): FixtureResource {
    return {
        type: INSTANCE,
        name: "orders-db",
        inputs: {
            identifier: "platform-prod-orders",
            engine: "postgres",
            engineVersion: "16.4",
            instanceClass: "db.m7g.large",
            allocatedStorage: 100,
            dbSubnetGroupName: "platform-prod-database-d2cbaae",
            vpcSecurityGroupIds: ["sg-0a1b2c3d4e5f60718"],
            username: "orders",
            manageMasterUserPassword: true,
            iamDatabaseAuthenticationEnabled: true,
            storageEncrypted: true,
            kmsKeyId: KEY_ARN,
            publiclyAccessible: false,
            multiAz: true,
            backupRetentionPeriod: 30,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "platform-prod-orders-final",
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: KEY_ARN,
            ...change,
        },
    };
}

/** A read replica of the instance: inherits encryption, backups and master user from its source. */
function replica(change: Inputs = {}): FixtureResource {
    return {
        type: INSTANCE,
        name: "orders-db-replica",
        inputs: {
            replicateSourceDb: "platform-prod-orders",
            instanceClass: "db.m7g.large",
            publiclyAccessible: false,
            multiAz: true,
            deletionProtection: true,
            skipFinalSnapshot: true,
            ...change,
        },
    };
}

function cluster(change: Inputs = {}): FixtureResource {
    return {
        type: CLUSTER,
        name: "ledger",
        inputs: {
            clusterIdentifier: "platform-prod-ledger",
            engine: "aurora-postgresql",
            engineVersion: "16.4",
            dbSubnetGroupName: "platform-prod-database-d2cbaae",
            vpcSecurityGroupIds: ["sg-0a1b2c3d4e5f60718"],
            masterUsername: "ledger",
            manageMasterUserPassword: true,
            storageEncrypted: true,
            kmsKeyId: KEY_ARN,
            backupRetentionPeriod: 30,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "platform-prod-ledger-final",
            ...change,
        },
    };
}

function clusterInstance(change: Inputs = {}): FixtureResource {
    return {
        type: CLUSTER_INSTANCE,
        name: "ledger-1",
        inputs: {
            clusterIdentifier: "platform-prod-ledger",
            engine: "aurora-postgresql",
            instanceClass: "db.r7g.large",
            publiclyAccessible: false,
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: KEY_ARN,
            ...change,
        },
    };
}

function cache(change: Inputs = {}): FixtureResource {
    return {
        type: REPLICATION_GROUP,
        name: "sessions",
        inputs: {
            description: "API sessions",
            engine: "redis",
            engineVersion: "7.1",
            nodeType: "cache.r7g.large",
            numCacheClusters: 2,
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            subnetGroupName: "platform-prod-cache",
            securityGroupIds: ["sg-0a1b2c3d4e5f60718"],
            atRestEncryptionEnabled: true,
            kmsKeyId: KEY_ARN,
            transitEncryptionEnabled: true,
            ...change,
        },
    };
}

/** Asserts the case raises exactly one violation of the policy, on the resource, naming the problem and a fix. */
async function assertOneViolation(
    policy: string,
    caseId: string,
    resources: FixtureResource[],
    culprit: FixtureResource,
    problem: RegExp,
    environment: PolicyEnvironment = "prod",
): Promise<void> {
    const violations = await violationsOf(policy, caseId, resources, environment);
    assert.equal(violations.length, 1, JSON.stringify(violations, null, 2));
    assert.match(violations[0].message, problem);
    assert.match(violations[0].message, /Fix: \S/);
    assert.ok(violations[0].urn.endsWith(`::${culprit.type}::${culprit.name}`), violations[0].urn);
}

const RULES = {
    "rds-encrypted-with-cmk": "high",
    "elasticache-encrypted-with-cmk": "high",
    "rds-not-publicly-accessible": "critical",
    "rds-backup-retention": "medium",
    "rds-deletion-protection": "medium",
    "rds-final-snapshot": "medium",
    "rds-multi-az": "medium",
    "rds-performance-insights-encrypted": "medium",
    "rds-no-plain-master-password": "high",
} as const;

describe("policies: data stores (RDS, Aurora, ElastiCache)", function () {
    it("has every rule in the pack with its severity", async function () {
        const pack = (await policySession("prod")).policies;
        for (const [name, severity] of Object.entries(RULES)) {
            assert.equal(pack.find((p) => p.name === name)?.severity, severity, name);
        }
    });

    for (const policy of Object.keys(RULES)) {
        it(`${policy}: passes the compliant instance, replica, cluster, cluster instance and cache`, async function () {
            const stack = [instance(), replica(), cluster(), clusterInstance(), cache()];
            assert.deepEqual(await violationsOf(policy, `data-compliant-${policy}`, stack), []);
        });
    }

    describe("rds-encrypted-with-cmk", function () {
        const policy = "rds-encrypted-with-cmk";

        it("flags an instance with unencrypted storage", async function () {
            const db = instance({ storageEncrypted: false });
            await assertOneViolation(policy, "data-enc-instance-unencrypted", [db], db, /Storage is not encrypted \(storageEncrypted/);
        });

        it("flags an instance encrypted with the AWS managed key (no kmsKeyId)", async function () {
            const db = instance({ kmsKeyId: undefined });
            await assertOneViolation(policy, "data-enc-instance-no-key", [db], db, /customer-managed key: kmsKeyId is not set/);
        });

        it("flags an instance whose kmsKeyId is the aws/rds alias", async function () {
            const db = instance({ kmsKeyId: AWS_RDS_KEY });
            await assertOneViolation(policy, "data-enc-instance-aws-alias", [db], db, /AWS managed key .*alias\/aws\/rds/);
        });

        it("flags an Aurora cluster with unencrypted storage", async function () {
            const db = cluster({ storageEncrypted: undefined });
            await assertOneViolation(policy, "data-enc-cluster-unencrypted", [db], db, /Cluster storage is not encrypted/);
        });

        it("flags an Aurora cluster without a customer-managed key", async function () {
            const db = cluster({ kmsKeyId: undefined });
            await assertOneViolation(policy, "data-enc-cluster-no-key", [db], db, /kmsKeyId is not set/);
        });

        for (const [where, unknown] of UNKNOWN) {
            it(`passes a key not known until deployed (${where})`, async function () {
                assert.deepEqual(await violationsOf(policy, `data-enc-unknown-key-${unknown.length}`, [instance({ kmsKeyId: unknown })]), []);
            });
        }
    });

    describe("elasticache-encrypted-with-cmk", function () {
        const policy = "elasticache-encrypted-with-cmk";

        for (const [what, change] of [["off", { atRestEncryptionEnabled: false }], ["unset on Redis", { atRestEncryptionEnabled: undefined }]] as const) {
            it(`flags at-rest encryption ${what}`, async function () {
                const group = cache(change);
                await assertOneViolation(policy, `data-cache-at-rest-${what}`, [group], group, /at rest is not encrypted \(atRestEncryptionEnabled/);
            });
        }

        it("passes Valkey with at-rest encryption left at its default (on)", async function () {
            assert.deepEqual(await violationsOf(policy, "data-cache-valkey-default", [cache({ engine: "valkey", engineVersion: "8.0", atRestEncryptionEnabled: undefined })]), []);
        });

        it("flags at-rest encryption with the service-managed key", async function () {
            const group = cache({ kmsKeyId: undefined });
            await assertOneViolation(policy, "data-cache-no-key", [group], group, /customer-managed key: kmsKeyId is not set/);
        });

        it("flags a cache without TLS", async function () {
            const group = cache({ transitEncryptionEnabled: false });
            await assertOneViolation(policy, "data-cache-no-tls", [group], group, /without TLS \(transitEncryptionEnabled/);
        });

        it('flags transitEncryptionMode "preferred"', async function () {
            const group = cache({ transitEncryptionMode: "preferred" });
            await assertOneViolation(policy, "data-cache-tls-preferred", [group], group, /transitEncryptionMode is "preferred"/);
        });
    });

    describe("rds-not-publicly-accessible", function () {
        const policy = "rds-not-publicly-accessible";

        it("flags a publicly accessible instance", async function () {
            const db = instance({ publiclyAccessible: true });
            await assertOneViolation(policy, "data-public-instance", [db], db, /publiclyAccessible is true: the instance/);
        });

        it("flags a publicly accessible Aurora cluster instance", async function () {
            const db = clusterInstance({ publiclyAccessible: true });
            await assertOneViolation(policy, "data-public-cluster-instance", [db], db, /publiclyAccessible is true: the cluster instance/);
        });
    });

    // staging's config keeps the schema's minimum of 7 days; prod's raises it to 30.
    it("rds-backup-retention: prod's config asks for 30 days", async function () {
        const db = instance({ backupRetentionPeriod: 14 });
        await assertOneViolation("rds-backup-retention", "data-backup-prod-14", [db], db, /below the minimum of 30 days/);
    });

    describe("rds-backup-retention (minimum 7 days, in staging)", function () {
        const policy = "rds-backup-retention";

        it("passes exactly the minimum", async function () {
            assert.deepEqual(await violationsOf(policy, "data-backup-7", [instance({ backupRetentionPeriod: 7 }), cluster({ backupRetentionPeriod: 7 })], "staging"), []);
        });

        it("flags an instance one day short, naming the value and the minimum", async function () {
            const db = instance({ backupRetentionPeriod: 6 });
            await assertOneViolation(policy, "data-backup-6", [db], db, /backupRetentionPeriod is 6 days, below the minimum of 7 days\. Fix: set backupRetentionPeriod to at least 7/, "staging");
        });

        it("flags an instance that leaves retention to AWS's 1-day default", async function () {
            const db = instance({ backupRetentionPeriod: undefined });
            await assertOneViolation(policy, "data-backup-unset", [db], db, /backupRetentionPeriod is unset \(AWS keeps 1 day\), below the minimum of 7/, "staging");
        });

        it("flags a cluster below the minimum", async function () {
            const db = cluster({ backupRetentionPeriod: 1 });
            await assertOneViolation(policy, "data-backup-cluster-1", [db], db, /backupRetentionPeriod is 1 day, below the minimum of 7/, "staging");
        });
    });

    describe("rds-deletion-protection", function () {
        const policy = "rds-deletion-protection";

        it("flags an instance without deletion protection", async function () {
            const db = instance({ deletionProtection: false });
            await assertOneViolation(policy, "data-deletion-instance", [db], db, /deletionProtection is not true: .* deletes the instance/);
        });

        it("flags a cluster without deletion protection", async function () {
            const db = cluster({ deletionProtection: undefined });
            await assertOneViolation(policy, "data-deletion-cluster", [db], db, /deletionProtection is not true: .* deletes the cluster/);
        });
    });

    describe("rds-final-snapshot", function () {
        const policy = "rds-final-snapshot";

        it("flags an instance that skips its final snapshot", async function () {
            const db = instance({ skipFinalSnapshot: true });
            await assertOneViolation(policy, "data-snapshot-skip", [db], db, /skipFinalSnapshot is true: deleting the instance keeps no snapshot/);
        });

        it("flags an instance with no final snapshot name", async function () {
            const db = instance({ finalSnapshotIdentifier: undefined });
            await assertOneViolation(policy, "data-snapshot-no-name", [db], db, /finalSnapshotIdentifier is not set/);
        });

        it("flags a cluster that skips its final snapshot", async function () {
            const db = cluster({ skipFinalSnapshot: true });
            await assertOneViolation(policy, "data-snapshot-cluster-skip", [db], db, /skipFinalSnapshot is true: deleting the cluster/);
        });
    });

    describe("rds-multi-az", function () {
        it("flags a single-AZ instance", async function () {
            const db = instance({ multiAz: false });
            await assertOneViolation("rds-multi-az", "data-multi-az-off", [db], db, /multiAz is not true/);
        });
    });

    describe("rds-performance-insights-encrypted", function () {
        const policy = "rds-performance-insights-encrypted";

        it("passes an instance with Performance Insights off and no key", async function () {
            assert.deepEqual(await violationsOf(policy, "data-pi-off", [instance({ performanceInsightsEnabled: false, performanceInsightsKmsKeyId: undefined })]), []);
        });

        it("flags an instance with insights on and no key", async function () {
            const db = instance({ performanceInsightsKmsKeyId: undefined });
            await assertOneViolation(policy, "data-pi-instance-no-key", [db], db, /Performance Insights is on.*performanceInsightsKmsKeyId is not set/);
        });

        it("flags an instance with insights under the aws/rds key", async function () {
            const db = instance({ performanceInsightsKmsKeyId: AWS_RDS_KEY });
            await assertOneViolation(policy, "data-pi-instance-aws-alias", [db], db, /performanceInsightsKmsKeyId names the AWS managed key/);
        });

        it("flags an Aurora cluster instance with insights on and no key", async function () {
            const db = clusterInstance({ performanceInsightsKmsKeyId: undefined });
            await assertOneViolation(policy, "data-pi-cluster-instance-no-key", [db], db, /performanceInsightsKmsKeyId is not set/);
        });

        it("flags a cluster with cluster-level insights on and no key", async function () {
            const db = cluster({ performanceInsightsEnabled: true });
            await assertOneViolation(policy, "data-pi-cluster-no-key", [db], db, /performanceInsightsKmsKeyId is not set/);
        });
    });

    describe("rds-no-plain-master-password", function () {
        const policy = "rds-no-plain-master-password";

        // Offline the engine records a secret as "[secret]"; under the Pulumi CLI the pack sees its value.
        for (const [what, password] of [["a secret (as recorded offline)", "[secret]"], ["a plain value (as under the CLI)", "s3cr3t-Passw0rd"]] as const) {
            it(`flags an instance whose password is ${what}`, async function () {
                const db = instance({ password, manageMasterUserPassword: undefined });
                await assertOneViolation(policy, `data-password-${password.length}`, [db], db, /master password is set by the program \(password\)/);
            });
        }

        it("flags a password not known until deployed (a new random password in a CLI preview)", async function () {
            const db = instance({ password: UNKNOWN[1][1], manageMasterUserPassword: undefined });
            await assertOneViolation(policy, "data-password-unknown", [db], db, /\(password\)/);
        });

        it("flags a write-only password (passwordWo) too", async function () {
            const db = instance({ passwordWo: "[secret]", passwordWoVersion: 1, manageMasterUserPassword: undefined });
            await assertOneViolation(policy, "data-password-wo", [db], db, /\(passwordWo\)/);
        });

        it("flags an instance with neither a managed password nor IAM authentication", async function () {
            const db = instance({ manageMasterUserPassword: false, iamDatabaseAuthenticationEnabled: undefined });
            await assertOneViolation(policy, "data-password-neither", [db], db, /Neither manageMasterUserPassword nor iamDatabaseAuthenticationEnabled/);
        });

        it("passes IAM authentication alone, and a managed password alone", async function () {
            const iamOnly = instance({ manageMasterUserPassword: undefined });
            const managedOnly = { ...instance({ iamDatabaseAuthenticationEnabled: undefined }), name: "orders-db-2" };
            assert.deepEqual(await violationsOf(policy, "data-password-one-of", [iamOnly, managedOnly]), []);
        });

        it("flags a cluster whose masterPassword is set", async function () {
            const db = cluster({ masterPassword: "[secret]", manageMasterUserPassword: undefined });
            await assertOneViolation(policy, "data-password-cluster", [db], db, /cluster's master password is set by the program \(masterPassword\)/);
        });

        it("flags a cluster with neither a managed password nor IAM authentication", async function () {
            const db = cluster({ manageMasterUserPassword: undefined });
            await assertOneViolation(policy, "data-password-cluster-neither", [db], db, /Neither manageMasterUserPassword/);
        });
    });
});
