import assert from "node:assert/strict";
import { RecordedResource } from "../tools/record";
import { FixtureOutcome, ResourceGraph, UNTAGGABLE_TYPES, policyOf, referenced, synthFixture } from "./helpers";

const T = {
    instance: "aws:rds/instance:Instance",
    parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheSubnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    key: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    password: "random:index/randomPassword:RandomPassword",
};

const NODES_SG = "sg-0nodes000000000001";
const BASTION_SG = "sg-0bastion0000000002";
const ISOLATED = ["subnet-0000000000000000a", "subnet-0000000000000000b", "subnet-0000000000000000c"];

/** A production-like database: Multi-AZ, a read replica, Performance Insights, monitoring, protected. */
const PROD = {
    vpcId: "vpc-0123456789abcdef0",
    databaseSubnetGroupName: "platform-test-database",
    isolatedSubnetIds: ISOLATED,
    clientSecurityGroupIds: [NODES_SG, BASTION_SG],
    postgres: {
        majorVersion: "17",
        instanceClass: "db.r7g.xlarge",
        allocatedStorageGiB: 100,
        maxAllocatedStorageGiB: 1000,
        multiAz: true,
        readReplicaCount: 1,
        backupRetentionDays: 30,
        monitoringIntervalSeconds: 15,
        slowQueryThresholdMs: 750,
    },
    redis: { engineVersion: "7.1", nodeType: "cache.r7g.large", nodeCount: 3, multiAz: true, snapshotRetentionDays: 14 },
    logRetentionDays: 365,
    protectStatefulResources: true,
    tags: { environment: "test", stack: "test", project: "fixture", "managed-by": "pulumi" },
};

/** The same database after a routine resize: bigger class and storage, single-AZ, longer backups. */
const RESIZED = {
    ...PROD,
    postgres: { ...PROD.postgres, instanceClass: "db.r7g.2xlarge", allocatedStorageGiB: 200, maxAllocatedStorageGiB: 2000, multiAz: false, backupRetentionDays: 35 },
};

/** A dev-like database: every optional safety and insight turned off. */
const MINIMAL = {
    ...PROD,
    clientSecurityGroupIds: [NODES_SG],
    postgres: {
        majorVersion: "16",
        instanceClass: "db.t4g.medium",
        allocatedStorageGiB: 20,
        maxAllocatedStorageGiB: 100,
        deletionProtection: false,
        finalSnapshot: false,
        performanceInsights: false,
        monitoringIntervalSeconds: 0,
    },
    redis: { engineVersion: "7.0", nodeType: "cache.t4g.small", nodeCount: 1, snapshotRetentionDays: 0, finalSnapshot: false },
    logRetentionDays: 30,
    protectStatefulResources: false,
};

async function database(args: Record<string, unknown>): Promise<FixtureOutcome> {
    return synthFixture("database-program", { "fixture:databaseArgs": args });
}

function graphOf(outcome: FixtureOutcome): ResourceGraph {
    assert.equal(outcome.error, undefined, outcome.error);
    return outcome.graph!;
}

function ingressOf(graph: ResourceGraph, group: RecordedResource): RecordedResource[] {
    return graph.referencing("securityGroupId", group.urn).filter((r) => r.type === T.ingress);
}

function parameters(group: RecordedResource): Record<string, string> {
    return Object.fromEntries((group.inputs.parameters as Array<{ name: string; value: string }>).map((p) => [p.name, p.value]));
}

describe("Database component (alone, plain inputs)", function () {
    let prod: ResourceGraph;
    let resized: ResourceGraph;
    let minimal: ResourceGraph;
    let overlapping: FixtureOutcome;

    before(async function () {
        let prodOutcome: FixtureOutcome;
        let resizedOutcome: FixtureOutcome;
        let minimalOutcome: FixtureOutcome;
        [prodOutcome, resizedOutcome, minimalOutcome, overlapping] = await Promise.all([
            database(PROD),
            database(RESIZED),
            database(MINIMAL),
            database({ ...PROD, logRetentionDays: 42, postgres: { ...PROD.postgres, backupWindow: "05:30-06:30", maintenanceWindow: "sun:06:00-sun:07:00", readReplicaCount: 9 } }),
        ]);
        [prod, resized, minimal] = [graphOf(prodOutcome), graphOf(resizedOutcome), graphOf(minimalOutcome)];
    });

    describe("PostgreSQL", function () {
        it("runs the configured major version of PostgreSQL on encrypted gp3 storage that grows by itself", function () {
            const db = prod.get(T.instance, "orders-postgres");
            assert.deepEqual(
                [db.inputs.identifier, db.inputs.engine, db.inputs.engineVersion, db.inputs.instanceClass, db.inputs.storageType, db.inputs.allocatedStorage, db.inputs.maxAllocatedStorage],
                ["orders-postgres", "postgres", "17", "db.r7g.xlarge", "gp3", 100, 1000],
            );
            assert.equal(db.inputs.storageEncrypted, true);
            const storageKey = referenced(prod, db, "kmsKeyId");
            assert.equal(storageKey.name, "orders-data");
            assert.equal(storageKey.inputs.enableKeyRotation, true);
        });

        it("sits in the given subnet group behind its own security group, never public", function () {
            const db = prod.get(T.instance, "orders-postgres");
            assert.equal(db.inputs.dbSubnetGroupName, "platform-test-database");
            assert.equal(db.inputs.publiclyAccessible, false);
            assert.equal(db.inputs.port, 5432);
            const group = referenced(prod, db, "vpcSecurityGroupIds");
            assert.equal(group.type, T.securityGroup);
            assert.equal(group.inputs.vpcId, PROD.vpcId);
            assert.equal(group.inputs.ingress, undefined);
            assert.equal(group.inputs.egress, undefined);
        });

        it("admits 5432 from each client security group and from nothing else", function () {
            const group = referenced(prod, prod.get(T.instance, "orders-postgres"), "vpcSecurityGroupIds");
            const rules = ingressOf(prod, group);
            assert.deepEqual(
                rules.map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4, r.inputs.cidrIpv6]),
                [
                    ["tcp", 5432, 5432, NODES_SG, undefined, undefined],
                    ["tcp", 5432, 5432, BASTION_SG, undefined, undefined],
                ],
            );
            assert.deepEqual(prod.ofType(T.egress), []);
        });

        it("keeps no password: RDS manages the master user's in Secrets Manager under our key, and IAM authentication is on", function () {
            const db = prod.get(T.instance, "orders-postgres");
            assert.equal(db.inputs.manageMasterUserPassword, true);
            assert.equal(referenced(prod, db, "masterUserSecretKmsKeyId").name, "orders-credentials");
            assert.equal(db.inputs.password, undefined);
            assert.equal(db.inputs.passwordWo, undefined);
            assert.equal(db.inputs.iamDatabaseAuthenticationEnabled, true);
            assert.equal(db.inputs.username, "platform_admin");
            assert.equal(db.inputs.dbName, "app");
        });

        it("forces TLS and logs slow queries, connections and DDL through a parameter group of the engine's family", function () {
            const group = referenced(prod, prod.get(T.instance, "orders-postgres"), "parameterGroupName");
            assert.equal(group.inputs.family, "postgres17");
            assert.deepEqual(parameters(group), {
                "rds.force_ssl": "1",
                ssl_min_protocol_version: "TLSv1.2",
                log_min_duration_statement: "750",
                log_connections: "1",
                log_disconnections: "1",
                log_statement: "ddl",
                log_lock_waits: "1",
                log_temp_files: "10240",
                log_autovacuum_min_duration: "10000",
            });
            assert.equal(referenced(minimal, minimal.get(T.instance, "orders-postgres"), "parameterGroupName").inputs.family, "postgres16");
        });

        it("exports the postgresql and upgrade logs to log groups it creates first, with retention and a key scoped to them", function () {
            const db = prod.get(T.instance, "orders-postgres");
            assert.deepEqual(db.inputs.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
            const groups = db.dependencies.map((urn) => prod.urn(urn)!).filter((r) => r.type === T.logGroup);
            assert.deepEqual(groups.map((g) => g.inputs.name).sort(), ["/aws/rds/instance/orders-postgres/postgresql", "/aws/rds/instance/orders-postgres/upgrade"]);
            for (const group of groups) {
                assert.equal(group.inputs.retentionInDays, 365);
                const key = referenced(prod, group, "kmsKeyId");
                assert.equal(key.name, "orders-database-logs");
                const logsStatement = policyOf(key).Statement.find((s) => s.Sid === "CloudWatchLogsEncryptsTheseLogGroups")!;
                const arns = (logsStatement.Condition as Record<string, Record<string, string[]>>).ArnEquals["kms:EncryptionContext:aws:logs:arn"];
                assert.ok(arns.includes(`arn:aws:logs:us-east-1:123456789012:log-group:${group.inputs.name as string}`));
                // Primary and replica (two each) and the cache's slow log: nothing wider.
                assert.equal(arns.length, 5);
            }
        });

        it("keeps backups with point-in-time recovery in a window clear of maintenance, and copies tags to snapshots", function () {
            const db = prod.get(T.instance, "orders-postgres");
            assert.deepEqual(
                [db.inputs.backupRetentionPeriod, db.inputs.backupWindow, db.inputs.maintenanceWindow, db.inputs.copyTagsToSnapshot, db.inputs.deleteAutomatedBackups],
                [30, "03:00-04:00", "sun:05:00-sun:06:00", true, false],
            );
        });

        it("refuses deletion, leaves a final snapshot with a fixed name, upgrades minors, and is protected when asked", function () {
            const db = prod.get(T.instance, "orders-postgres");
            assert.deepEqual(
                [db.inputs.deletionProtection, db.inputs.skipFinalSnapshot, db.inputs.finalSnapshotIdentifier, db.inputs.autoMinorVersionUpgrade, db.protect],
                [true, false, "orders-postgres-final", true, true],
            );
            const dev = minimal.get(T.instance, "orders-postgres");
            assert.deepEqual([dev.inputs.deletionProtection, dev.inputs.skipFinalSnapshot, dev.inputs.finalSnapshotIdentifier, dev.protect], [false, true, undefined, false]);
        });

        it("turns on Multi-AZ, KMS-encrypted Performance Insights and enhanced monitoring with its own role", function () {
            const db = prod.get(T.instance, "orders-postgres");
            assert.equal(db.inputs.multiAz, true);
            assert.equal(db.inputs.performanceInsightsEnabled, true);
            assert.equal(referenced(prod, db, "performanceInsightsKmsKeyId").name, "orders-data");
            assert.equal(db.inputs.monitoringInterval, 15);
            // The ARN waits for the role's policy attachment too: RDS checks the role when it is handed over.
            const role = db.propertyDependencies.monitoringRoleArn.map((urn) => prod.urn(urn)!).find((r) => r.type === T.role)!;
            const trust = policyOf(role, "assumeRolePolicy").Statement;
            assert.deepEqual(trust.map((s) => [(s.Principal as { Service: string }).Service, s.Action]), [["monitoring.rds.amazonaws.com", "sts:AssumeRole"]]);
            assert.deepEqual(trust[0].Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
            const attachments = prod.referencing("role", role.urn).filter((r) => r.type === T.attachment);
            assert.deepEqual(attachments.map((r) => r.inputs.policyArn), ["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"]);
            assert.ok(db.propertyDependencies.monitoringRoleArn.includes(attachments[0].urn));

            const dev = minimal.get(T.instance, "orders-postgres");
            assert.deepEqual([dev.inputs.performanceInsightsEnabled, dev.inputs.performanceInsightsKmsKeyId, dev.inputs.monitoringInterval, dev.inputs.monitoringRoleArn], [false, undefined, 0, undefined]);
            assert.deepEqual(minimal.ofType(T.role), []);
        });

        it("adds read replicas of the primary that share its security group and parameter group but keep no password", function () {
            const primary = prod.get(T.instance, "orders-postgres");
            const replica = prod.get(T.instance, "orders-postgres-replica-1");
            assert.equal(referenced(prod, replica, "replicateSourceDb").urn, primary.urn);
            assert.equal(replica.inputs.identifier, "orders-postgres-replica-1");
            assert.equal(referenced(prod, replica, "vpcSecurityGroupIds").urn, referenced(prod, primary, "vpcSecurityGroupIds").urn);
            assert.equal(referenced(prod, replica, "parameterGroupName").urn, referenced(prod, primary, "parameterGroupName").urn);
            for (const key of ["manageMasterUserPassword", "password", "username", "kmsKeyId", "backupRetentionPeriod", "finalSnapshotIdentifier"]) {
                assert.equal(replica.inputs[key], undefined, key);
            }
            assert.deepEqual([replica.inputs.skipFinalSnapshot, replica.inputs.publiclyAccessible, replica.inputs.storageType], [true, false, "gp3"]);
            assert.equal(minimal.ofType(T.instance).length, 1);
        });
    });

    describe("Redis", function () {
        it("runs a Redis 7 replication group in its own subnet group over the isolated subnets", function () {
            const cache = prod.get(T.replicationGroup, "orders-cache");
            assert.deepEqual(
                [cache.inputs.replicationGroupId, cache.inputs.engine, cache.inputs.engineVersion, cache.inputs.nodeType, cache.inputs.numCacheClusters, cache.inputs.port],
                ["orders-cache", "redis", "7.1", "cache.r7g.large", 3, 6379],
            );
            assert.deepEqual(referenced(prod, cache, "subnetGroupName").inputs.subnetIds, ISOLATED);
        });

        it("admits 6379 from each client security group and from nothing else", function () {
            const group = referenced(prod, prod.get(T.replicationGroup, "orders-cache"), "securityGroupIds");
            assert.deepEqual(
                ingressOf(prod, group).map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4]),
                [
                    [6379, 6379, NODES_SG, undefined],
                    [6379, 6379, BASTION_SG, undefined],
                ],
            );
        });

        it("encrypts at rest with our key and in transit, behind a generated auth token recorded only as a secret", function () {
            const cache = prod.get(T.replicationGroup, "orders-cache");
            assert.deepEqual([cache.inputs.atRestEncryptionEnabled, cache.inputs.transitEncryptionEnabled, cache.inputs.transitEncryptionMode], [true, true, "required"]);
            assert.equal(referenced(prod, cache, "kmsKeyId").name, "orders-data");
            assert.equal(cache.inputs.authToken, "[secret]");
            assert.equal(referenced(prod, cache, "authToken").type, T.password);
        });

        it("fails over across zones in the Multi-AZ setting, keeps snapshots, and delivers the slow log", function () {
            const cache = prod.get(T.replicationGroup, "orders-cache");
            assert.deepEqual(
                [cache.inputs.automaticFailoverEnabled, cache.inputs.multiAzEnabled, cache.inputs.snapshotRetentionLimit, cache.inputs.finalSnapshotIdentifier, cache.protect],
                [true, true, 14, "orders-cache-final", true],
            );
            const [delivery] = cache.inputs.logDeliveryConfigurations as Array<Record<string, string>>;
            assert.deepEqual([delivery.destination, delivery.destinationType, delivery.logType], ["/aws/elasticache/orders-cache/slow-log", "cloudwatch-logs", "slow-log"]);
            const dev = minimal.get(T.replicationGroup, "orders-cache");
            assert.deepEqual([dev.inputs.automaticFailoverEnabled, dev.inputs.multiAzEnabled, dev.inputs.finalSnapshotIdentifier, dev.protect], [false, false, undefined, false]);
        });

        it("keeps host, port and token in a Secrets Manager secret encrypted with the credentials key", function () {
            const secret = prod.get(T.secret, "orders-cache-auth");
            assert.equal(referenced(prod, secret, "kmsKeyId").name, "orders-credentials");
            assert.equal(secret.protect, true);
            const version = prod.get(T.secretVersion, "orders-cache-auth");
            assert.equal(referenced(prod, version, "secretId").urn, secret.urn);
            assert.equal(version.inputs.secretString, "[secret]");
        });
    });

    describe("for the application", function () {
        it("never records the generated token or any password in the clear, in inputs or outputs", function () {
            for (const graph of [prod, minimal]) {
                const recorded = JSON.stringify({ resources: graph.resources, outputs: graph.outputs });
                // The offline engine's passwords start with this marker (tools/mocks.ts).
                assert.doesNotMatch(recorded, /offline-plan-password-/);
                assert.equal(graph.ofType(T.password).length, 1);
            }
        });

        it("gives a policy that reads exactly the two connection secrets and decrypts only through Secrets Manager", function () {
            const policy = JSON.parse(prod.outputs.credentialsReadPolicyJson as string) as { Statement: Array<Record<string, unknown>> };
            assert.deepEqual(policy.Statement[0].Action, ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);
            assert.deepEqual(policy.Statement[0].Resource, [prod.outputs.masterUserSecretArn, prod.outputs.redisAuthSecretArn]);
            assert.deepEqual(
                [policy.Statement[1].Action, policy.Statement[1].Resource, policy.Statement[1].Condition],
                ["kms:Decrypt", prod.outputs.credentialsKmsKeyArn, { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } }],
            );
            assert.equal(policy.Statement.length, 2);
        });

        it("outputs the endpoints, ports, name, secret ARNs, instance ARN and identifier, key and security group", function () {
            const out = prod.outputs;
            assert.equal(out.instanceIdentifier, "orders-postgres");
            assert.equal(out.instanceArn, "arn:aws:rds:us-east-1:123456789012:db:orders-postgres");
            assert.equal(out.port, 5432);
            assert.equal(out.redisPort, 6379);
            assert.equal(out.databaseName, "app");
            // The primary's endpoint, not a replica's; the master secret, not the cache's.
            assert.equal((out.replicaEndpoints as string[]).length, 1);
            assert.ok(!(out.replicaEndpoints as string[]).includes(out.endpoint as string));
            assert.notEqual(out.masterUserSecretArn, out.redisAuthSecretArn);
            // The mock names the reader endpoint "replica.…": the output is the primary's.
            assert.match(out.redisPrimaryEndpoint as string, /^master\.orders-cache\./);
            const db = prod.get(T.instance, "orders-postgres");
            assert.equal(out.kmsKeyArn, db.inputs.kmsKeyId);
            assert.equal(out.credentialsKmsKeyArn, db.inputs.masterUserSecretKmsKeyId);
            assert.notEqual(out.kmsKeyArn, out.credentialsKmsKeyArn);
            assert.deepEqual([out.securityGroupId], db.inputs.vpcSecurityGroupIds);
            assert.deepEqual([out.redisSecurityGroupId], prod.get(T.replicationGroup, "orders-cache").inputs.securityGroupIds);
        });
    });

    describe("safety", function () {
        it("protects every resource that holds data when asked, and none otherwise", function () {
            const protectedNames = (g: ResourceGraph) => g.resources.filter((r) => r.protect).map((r) => `${r.type.split(":")[1]} ${r.name}`).sort();
            assert.deepEqual(protectedNames(prod), [
                "cloudwatch/logGroup orders-cache-slow-log",
                "cloudwatch/logGroup orders-postgres-postgresql",
                "cloudwatch/logGroup orders-postgres-replica-1-postgresql",
                "cloudwatch/logGroup orders-postgres-replica-1-upgrade",
                "cloudwatch/logGroup orders-postgres-upgrade",
                "elasticache/replicationGroup orders-cache",
                "kms/key orders-credentials",
                "kms/key orders-data",
                "kms/key orders-database-logs",
                "rds/instance orders-postgres",
                "rds/instance orders-postgres-replica-1",
                "secretsmanager/secret orders-cache-auth",
            ]);
            assert.deepEqual(protectedNames(minimal), []);
        });

        it("a resize, a Multi-AZ change or a longer retention changes only those inputs: nothing is replaced", function () {
            const before = new Map(prod.resources.map((r) => [r.urn, r]));
            assert.deepEqual(resized.resources.map((r) => r.urn).sort(), [...before.keys()].sort());
            const changed = resized.resources.flatMap((r) => {
                const old = before.get(r.urn)!;
                const keys = [...new Set([...Object.keys(r.inputs), ...Object.keys(old.inputs)])];
                return keys.filter((k) => JSON.stringify(r.inputs[k]) !== JSON.stringify(old.inputs[k])).map((k) => `${r.name}.${k}`);
            });
            assert.deepEqual(changed.sort(), [
                "orders-postgres-replica-1.instanceClass",
                "orders-postgres-replica-1.maxAllocatedStorage",
                "orders-postgres.allocatedStorage",
                "orders-postgres.backupRetentionPeriod",
                "orders-postgres.instanceClass",
                "orders-postgres.maxAllocatedStorage",
                "orders-postgres.multiAz",
            ]);
        });

        it("rejects bad arguments with every problem named, before creating anything", function () {
            assert.match(overlapping.error ?? "", /invalid Database arguments/);
            assert.match(overlapping.error!, /postgres\.maintenanceWindow: got "sun:06:00-sun:07:00", which overlaps postgres\.backupWindow "05:30-06:30"/);
            assert.match(overlapping.error!, /postgres\.readReplicaCount: got 9; expected a whole number from 0 to 5/);
            assert.match(overlapping.error!, /logRetentionDays: got 42; expected a retention CloudWatch Logs accepts/);
            assert.deepEqual(overlapping.resources.filter((r) => r.custom), []);
        });

        it("tags every taggable resource", function () {
            for (const r of prod.resources.filter((x) => x.custom && x.type.startsWith("aws:") && !UNTAGGABLE_TYPES.has(x.type))) {
                assert.equal((r.inputs.tags as Record<string, string> | undefined)?.["managed-by"], "pulumi", `${r.name} (${r.type})`);
            }
        });
    });
});
