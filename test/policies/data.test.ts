import assert from "node:assert/strict";
import { FixtureResource, PolicyEnvironment, policySession, violationsOf } from "../policyHarness";

const INSTANCE = "aws:rds/instance:Instance";
const CLUSTER = "aws:rds/cluster:Cluster";
const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";
const SECRET = "aws:secretsmanager/secret:Secret";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/6f1d2c3b-8a4e-4b7f-9c2d-1e0f3a5b7c9d";
const AWS_RDS_KEY = "arn:aws:kms:us-east-1:123456789012:alias/aws/rds";
const AWS_SECRETS_KEY = "arn:aws:kms:us-east-1:123456789012:alias/aws/secretsmanager";

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
            masterUserSecretKmsKeyId: KEY_ARN,
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
            masterUserSecretKmsKeyId: KEY_ARN,
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
            snapshotRetentionLimit: 30,
            ...change,
        },
    };
}

function secret(change: Inputs = {}): FixtureResource {
    return {
        type: SECRET,
        name: "orders-api-token",
        inputs: { name: "platform-prod/orders/api-token", kmsKeyId: KEY_ARN, recoveryWindowInDays: 30, ...change },
    };
}

/** A parameter group that makes PostgreSQL refuse connections without TLS. */
function parameterGroup(change: Inputs = {}): FixtureResource {
    return {
        type: PARAMETER_GROUP,
        name: "orders-db-params",
        inputs: {
            name: "platform-prod-orders-pg14",
            family: "postgres14",
            parameters: [
                { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
                { name: "log_connections", value: "1", applyMethod: "immediate" },
            ],
            ...change,
        },
    };
}

/** The group, then the instance using it through parameterGroupName: <group>.name, as the engine records it. */
function onGroup(group: FixtureResource, db: FixtureResource): FixtureResource[] {
    return [group, { ...db, inputs: { ...db.inputs, parameterGroupName: group.inputs.name }, propertyDependencies: { parameterGroupName: [0] } }];
}

const POSTGRES_14 = { engineVersion: "14.12" };
const MYSQL = { engine: "mysql", engineVersion: "8.0.39" };
const MARIADB = { engine: "mariadb", engineVersion: "10.11.9" };

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
    "rds-enforces-tls": "high",
    "elasticache-multi-az": "medium",
    "elasticache-snapshot-retention": "medium",
    "secrets-encrypted-with-cmk": "high",
} as const;

describe("policies: data stores (RDS, Aurora, ElastiCache)", function () {
    it("has every rule in the pack with its severity", async function () {
        const pack = (await policySession("prod")).policies;
        for (const [name, severity] of Object.entries(RULES)) {
            assert.equal(pack.find((p) => p.name === name)?.severity, severity, name);
        }
    });

    for (const policy of Object.keys(RULES)) {
        it(`${policy}: passes the compliant instance, replica, cluster, cluster instance, cache and secret`, async function () {
            const stack = [instance(), replica(), cluster(), clusterInstance(), cache(), secret()];
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

        it("passes a single-AZ read replica: its loss costs reads, not data", async function () {
            assert.deepEqual(await violationsOf("rds-multi-az", "data-multi-az-replica", [replica({ multiAz: false })]), []);
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

    describe("rds-enforces-tls", function () {
        const policy = "rds-enforces-tls";

        it("passes PostgreSQL 14 on a group that sets rds.force_ssl to 1", async function () {
            assert.deepEqual(await violationsOf(policy, "data-tls-pg14-group", onGroup(parameterGroup(), instance(POSTGRES_14))), []);
        });

        it("passes MySQL and MariaDB on groups found by name that set require_secure_transport (ON in any case, or 1)", async function () {
            const mysqlGroup = parameterGroup({ name: "platform-prod-mysql", family: "mysql8.0", parameters: [{ name: "require_secure_transport", value: "on" }] });
            const mariadbGroup = { ...parameterGroup({ name: "platform-prod-mariadb", family: "mariadb10.11", parameters: [{ name: "require_secure_transport", value: "1" }] }), name: "mariadb-params" };
            const stack = [
                mysqlGroup,
                mariadbGroup,
                instance({ ...MYSQL, parameterGroupName: "platform-prod-mysql" }),
                { ...instance({ ...MARIADB, parameterGroupName: "platform-prod-mariadb" }), name: "mariadb-db" },
            ];
            assert.deepEqual(await violationsOf(policy, "data-tls-by-name", stack), []);
        });

        it("flags a group that does not set rds.force_ssl, on the instance, naming the group", async function () {
            const [group, db] = onGroup(parameterGroup({ parameters: [{ name: "log_connections", value: "1" }] }), instance(POSTGRES_14));
            await assertOneViolation(policy, "data-tls-group-unset", [group, db], db, /uses parameter group orders-db-params \(parameterGroupName\), which does not set rds\.force_ssl/);
        });

        it("flags a group that sets rds.force_ssl to 0", async function () {
            const [group, db] = onGroup(parameterGroup({ parameters: [{ name: "rds.force_ssl", value: "0" }] }), instance(POSTGRES_14));
            await assertOneViolation(policy, "data-tls-group-off", [group, db], db, /sets rds\.force_ssl to "0": clients may connect without TLS\. Fix: put \{name: "rds\.force_ssl", value: "1"\}/);
        });

        it("flags a MySQL group whose require_secure_transport is OFF", async function () {
            const [group, db] = onGroup(parameterGroup({ family: "mysql8.0", parameters: [{ name: "require_secure_transport", value: "OFF" }] }), instance(MYSQL));
            await assertOneViolation(policy, "data-tls-mysql-off", [group, db], db, /sets require_secure_transport to "OFF"/);
        });

        it("passes PostgreSQL 15 or later on the default group, which requires TLS", async function () {
            const stack = [instance({ engineVersion: "15.8" }), { ...instance({ engineVersion: "17" }), name: "orders-db-17" }];
            assert.deepEqual(await violationsOf(policy, "data-tls-default-pg15", stack), []);
        });

        it("flags PostgreSQL 14 on the default group", async function () {
            const db = instance(POSTGRES_14);
            await assertOneViolation(policy, "data-tls-default-pg14", [db], db, /sets no parameterGroupName and its engineVersion is "14\.12", so it uses RDS's default parameter group/);
        });

        it("flags PostgreSQL on the default group with no engineVersion", async function () {
            const db = instance({ engineVersion: undefined });
            await assertOneViolation(policy, "data-tls-default-no-version", [db], db, /its engineVersion is not set/);
        });

        for (const [where, unknown] of UNKNOWN) {
            it(`passes PostgreSQL on the default group with an engineVersion not known until deployed (${where})`, async function () {
                const db = instance({ engineVersion: unknown });
                assert.deepEqual(await violationsOf(policy, `data-tls-default-unknown-version-${unknown.length}`, [db]), []);
            });
        }

        for (const [title, engine] of [["MySQL", MYSQL], ["MariaDB", MARIADB]] as const) {
            it(`flags ${title} on the default group`, async function () {
                const db = instance(engine);
                const problem = new RegExp(`\\(${title}\\) sets no parameterGroupName, so it uses RDS's default parameter group, whose require_secure_transport is off`);
                await assertOneViolation(policy, `data-tls-default-${engine.engine}`, [db], db, problem);
            });
        }

        it("passes a group the stack does not hold (an existing group, by name)", async function () {
            assert.deepEqual(await violationsOf(policy, "data-tls-existing-group", [instance({ ...MYSQL, parameterGroupName: "shared-mysql-tls" })]), []);
        });

        for (const [where, unknown] of UNKNOWN) {
            it(`passes a parameterGroupName not known until deployed (${where})`, async function () {
                assert.deepEqual(await violationsOf(policy, `data-tls-unknown-group-${unknown.length}`, [parameterGroup(), instance({ ...MYSQL, parameterGroupName: unknown })]), []);
            });

            it(`passes a group whose rds.force_ssl is not known until deployed (${where})`, async function () {
                const stack = onGroup(parameterGroup({ parameters: [{ name: "rds.force_ssl", value: unknown }] }), instance(POSTGRES_14));
                assert.deepEqual(await violationsOf(policy, `data-tls-unknown-value-${unknown.length}`, stack), []);
            });
        }

        it("checks a read replica on its own: a MySQL source on a TLS group does not cover its replica on the default group", async function () {
            const [group, source] = onGroup(parameterGroup({ family: "mysql8.0", parameters: [{ name: "require_secure_transport", value: "ON" }] }), instance(MYSQL));
            const copy = replica();
            await assertOneViolation(policy, "data-tls-replica-default", [group, source, copy], copy, /Instance orders-db-replica \(MySQL\) sets no parameterGroupName/);
        });

        it("passes engines it does not cover (SQL Server, Oracle)", async function () {
            const stack = [instance({ engine: "sqlserver-se", engineVersion: "16.00.4135.4.v1" }), { ...instance({ engine: "oracle-ee", engineVersion: "19" }), name: "orders-oracle" }];
            assert.deepEqual(await violationsOf(policy, "data-tls-other-engines", stack), []);
        });
    });

    describe("elasticache-multi-az", function () {
        const policy = "elasticache-multi-az";

        it("flags a group without automatic failover", async function () {
            const group = cache({ automaticFailoverEnabled: false });
            await assertOneViolation(policy, "data-cache-failover-off", [group], group, /automaticFailoverEnabled is not true: when the primary fails, no replica is promoted/);
        });

        it("flags a group with Multi-AZ left unset", async function () {
            const group = cache({ multiAzEnabled: undefined });
            await assertOneViolation(policy, "data-cache-multi-az-unset", [group], group, /multiAzEnabled is not true/);
        });

        it("flags a single-node group", async function () {
            const group = cache({ numCacheClusters: 1 });
            await assertOneViolation(policy, "data-cache-one-node", [group], group, /no replica to fail over to: numCacheClusters is 1\./);
        });

        it("flags a group that sets neither numCacheClusters nor replicasPerNodeGroup", async function () {
            const group = cache({ numCacheClusters: undefined });
            await assertOneViolation(policy, "data-cache-no-count", [group], group, /neither numCacheClusters nor replicasPerNodeGroup is set/);
        });

        it("counts replicas per node group in cluster mode: flags 0, passes 1", async function () {
            const none = cache({ numCacheClusters: undefined, numNodeGroups: 2, replicasPerNodeGroup: 0 });
            await assertOneViolation(policy, "data-cache-shards-no-replica", [none], none, /replicasPerNodeGroup is 0/);
            assert.deepEqual(await violationsOf(policy, "data-cache-shards-replica", [cache({ numCacheClusters: undefined, numNodeGroups: 2, replicasPerNodeGroup: 1 })]), []);
        });

        for (const [where, unknown] of UNKNOWN) {
            it(`passes settings not known until deployed (${where})`, async function () {
                const group = cache({ automaticFailoverEnabled: unknown, multiAzEnabled: unknown, numCacheClusters: unknown });
                assert.deepEqual(await violationsOf(policy, `data-cache-multi-az-unknown-${unknown.length}`, [group]), []);
            });
        }
    });

    describe("elasticache-snapshot-retention", function () {
        const policy = "elasticache-snapshot-retention";

        it("prod asks for 14 days", async function () {
            const group = cache({ snapshotRetentionLimit: 7 });
            await assertOneViolation(policy, "data-cache-snapshots-prod-7", [group], group, /snapshotRetentionLimit is 7 days, below the minimum of 14 days\. Fix: set snapshotRetentionLimit to at least 14/);
        });

        it("staging asks for 7 days: passes exactly 7, flags a group that keeps none", async function () {
            assert.deepEqual(await violationsOf(policy, "data-cache-snapshots-staging-7", [cache({ snapshotRetentionLimit: 7 })], "staging"), []);
            const group = cache({ snapshotRetentionLimit: undefined });
            await assertOneViolation(policy, "data-cache-snapshots-staging-unset", [group], group, /snapshotRetentionLimit is unset \(0: no automatic snapshots\), below the minimum of 7 days/, "staging");
        });

        it("dev asks for 1 day: passes 1, flags 0", async function () {
            assert.deepEqual(await violationsOf(policy, "data-cache-snapshots-dev-1", [cache({ snapshotRetentionLimit: 1 })], "dev"), []);
            const group = cache({ snapshotRetentionLimit: 0 });
            await assertOneViolation(policy, "data-cache-snapshots-dev-0", [group], group, /snapshotRetentionLimit is 0 \(no automatic snapshots\), below the minimum of 1 day\./, "dev");
        });

        for (const [where, unknown] of UNKNOWN) {
            it(`passes a limit not known until deployed (${where})`, async function () {
                assert.deepEqual(await violationsOf(policy, `data-cache-snapshots-unknown-${unknown.length}`, [cache({ snapshotRetentionLimit: unknown })]), []);
            });
        }
    });

    describe("secrets-encrypted-with-cmk", function () {
        const policy = "secrets-encrypted-with-cmk";

        it("flags a secret without kmsKeyId", async function () {
            const s = secret({ kmsKeyId: undefined });
            await assertOneViolation(policy, "data-secret-no-key", [s], s, /The secret is not encrypted with a customer-managed key: kmsKeyId is not set\. Fix: set kmsKeyId/);
        });

        for (const key of [AWS_SECRETS_KEY, "alias/aws/secretsmanager"]) {
            it(`flags a secret under the AWS managed key (${key})`, async function () {
                const s = secret({ kmsKeyId: key });
                await assertOneViolation(policy, `data-secret-aws-key-${key.length}`, [s], s, /kmsKeyId names the AWS managed key .*alias\/aws\/secretsmanager/);
            });
        }

        it("flags an instance whose managed master user secret has no customer-managed key", async function () {
            const db = instance({ masterUserSecretKmsKeyId: undefined });
            await assertOneViolation(policy, "data-secret-instance-no-key", [db], db, /master user secret RDS manages for the instance is not encrypted with a customer-managed key: masterUserSecretKmsKeyId is not set/);
        });

        it("flags a cluster whose managed master user secret is under aws/secretsmanager", async function () {
            const db = cluster({ masterUserSecretKmsKeyId: AWS_SECRETS_KEY });
            await assertOneViolation(policy, "data-secret-cluster-aws-key", [db], db, /secret RDS manages for the cluster .*masterUserSecretKmsKeyId names the AWS managed key/);
        });

        it("passes an instance whose password RDS does not manage (IAM authentication)", async function () {
            const db = instance({ manageMasterUserPassword: undefined, masterUserSecretKmsKeyId: undefined });
            assert.deepEqual(await violationsOf(policy, "data-secret-unmanaged", [db]), []);
        });

        for (const [where, unknown] of UNKNOWN) {
            it(`passes keys not known until deployed (${where})`, async function () {
                const stack = [secret({ kmsKeyId: unknown }), instance({ masterUserSecretKmsKeyId: unknown })];
                assert.deepEqual(await violationsOf(policy, `data-secret-unknown-key-${unknown.length}`, stack), []);
            });
        }
    });
});
