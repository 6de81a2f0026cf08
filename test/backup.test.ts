import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { PROFILES, backupComponentSettings } from "../config";
import { RecoveryScenario } from "../components/backup/args";
import { DRILL_SCRIPT, drillModifiers } from "../components/backup/drill";
import { ESTIMATES, recoveryObjectives } from "../components/backup/objectives";
import { BACKUP_SERVICE_POLICIES } from "../components/backup/vaults";
import { validateKubernetesObjects } from "../tools/kubernetesSchema";
import { RecordedResource } from "../tools/record";
import { FixtureOutcome, ResourceGraph, UNTAGGABLE_TYPES, policyOf, referenced, synthFixture } from "./helpers";
import { Schedule as VeleroSchedule } from "./models/velero";
import { policySession } from "./policyHarness";

const T = {
    vault: "aws:backup/vault:Vault",
    lock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    plan: "aws:backup/plan:Plan",
    selection: "aws:backup/selection:Selection",
    restorePlan: "aws:backup/restoreTestingPlan:RestoreTestingPlan",
    restoreSelection: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
    replication: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    bucket: "aws:s3/bucket:Bucket",
    bucketReplication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    key: "aws:kms/key:Key",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    release: "kubernetes:helm.sh/v3:Release",
    schedule: "kubernetes:velero.io/v1:Schedule",
    cronJob: "kubernetes:batch/v1:CronJob",
    configMap: "kubernetes:core/v1:ConfigMap",
    clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    role8s: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    provider: "pulumi:providers:aws",
};

const DR_REGION = "us-west-2";
const INSTANCE_ARN = "arn:aws:rds:us-east-1:123456789012:db:shop-postgres";

type Profile = (typeof PROFILES)["prod"]["backup"];

interface VeleroValues {
    credentials: unknown;
    serviceAccount: { server: { annotations: Record<string, string> } };
    initContainers: Array<{ image: string }>;
    metrics: { serviceMonitor: { additionalLabels: Record<string, string> } };
}
interface ScheduleSpec {
    schedule: string;
    template: { ttl: string; includedNamespaces: string[]; snapshotVolumes: boolean; includeClusterResources?: boolean };
}
interface Container {
    env: Array<{ name: string; value: string }>;
    securityContext: { readOnlyRootFilesystem: boolean };
}
interface CronJobSpec {
    schedule: string;
    concurrencyPolicy: string;
    jobTemplate: { spec: { template: { spec: { securityContext: { runAsNonRoot: boolean }; containers: Container[] } } } };
}

/** The component's arguments from a profile's backup settings, as index.ts builds them. */
function argsFrom(profile: Profile, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        ...backupComponentSettings(profile),
        selectionTags: { "backup-plan": "shop" },
        database: { instanceArn: INSTANCE_ARN, allocatedStorageGiB: 100, subnetGroupName: "shop-database", securityGroupId: "sg-0123456789abcdef0" },
        cluster: {
            oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
            oidcProviderUrl: "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
            kubernetesVersion: "1.36",
            applicationNamespaces: ["api", "jobs"],
            volumeKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/volumes",
        },
        monitoringReleaseLabel: "kube-prometheus-stack",
        monitoringNamespace: "monitoring",
        protectStatefulResources: true,
        tags: { environment: "test", project: "shop", stack: "test", "managed-by": "pulumi" },
        ...overrides,
    };
}

function synthBackup(args: Record<string, unknown>): Promise<FixtureOutcome> {
    return synthFixture("backup-program", { "fixture:backupArgs": args, "fixture:drRegion": DR_REGION });
}

describe("Backup component", function () {
    let prod: ResourceGraph;
    let dev: ResourceGraph;
    let drProviderUrn: string;

    before(async function () {
        const [prodOutcome, devOutcome] = await Promise.all([synthBackup(argsFrom(PROFILES.prod.backup)), synthBackup(argsFrom(PROFILES.dev.backup))]);
        assert.ok(prodOutcome.graph, prodOutcome.error);
        assert.ok(devOutcome.graph, devOutcome.error);
        prod = prodOutcome.graph;
        dev = devOutcome.graph;
        drProviderUrn = prod.get(T.provider, "dr").urn;
    });

    const inDr = (r: RecordedResource) => r.provider?.startsWith(drProviderUrn) === true;

    it("puts a vault in each region, each with its own key; the DR vault and its key through the DR provider", function () {
        const vaults = prod.ofType(T.vault);
        assert.deepEqual(vaults.map((v) => v.name).sort(), ["shop-backup", "shop-backup-dr"]);
        const [primary, dr] = ["shop-backup", "shop-backup-dr"].map((n) => prod.get(T.vault, n));
        assert.equal(inDr(primary), false);
        assert.equal(inDr(dr), true);
        const keys = vaults.map((v) => referenced(prod, v, "kmsKeyArn"));
        assert.notEqual(keys[0].urn, keys[1].urn);
        assert.deepEqual(keys.map(inDr).sort(), [false, true]);
        assert.match(String(dr.inputs.kmsKeyArn), new RegExp(`^arn:aws:kms:${DR_REGION}:`));
        assert.ok(vaults.every((v) => v.protect && v.inputs.forceDestroy === false));
    });

    it("copies every prod rule to the DR vault with its own retention; dev keeps one daily rule and no copy", function () {
        const [plan] = prod.ofType(T.plan);
        assert.deepEqual(plan.propertyDependencies.rules.includes(prod.get(T.vault, "shop-backup-dr").urn), true);
        const rules = plan.inputs.rules as Array<{ ruleName: string; schedule: string; startWindow: number; completionWindow: number; lifecycle: { deleteAfter: number }; copyActions: Array<{ destinationVaultArn: string; lifecycle: { deleteAfter: number } }> }>;
        const byName = Object.fromEntries(rules.map((r) => [r.ruleName, r]));
        assert.deepEqual(Object.keys(byName).sort(), ["daily", "hourly"]);
        assert.equal(byName.hourly.schedule, "cron(0 * ? * * *)");
        assert.equal(byName.daily.schedule, "cron(0 7 ? * * *)");
        for (const [rule, kept, copied] of [["hourly", 2, 2], ["daily", 30, 30]] as const) {
            assert.equal(byName[rule].lifecycle.deleteAfter, kept, rule);
            assert.equal(byName[rule].copyActions.length, 1, rule);
            assert.match(byName[rule].copyActions[0].destinationVaultArn, new RegExp(`^arn:aws:backup:${DR_REGION}:123456789012:`), rule);
            assert.equal(byName[rule].copyActions[0].lifecycle.deleteAfter, copied, rule);
            assert.equal(byName[rule].startWindow, 60);
            assert.equal(byName[rule].completionWindow, 180);
        }
        const devRules = dev.ofType(T.plan)[0].inputs.rules as Array<{ ruleName: string; lifecycle: { deleteAfter: number }; copyActions?: unknown[] }>;
        assert.deepEqual(devRules.map((r) => [r.ruleName, r.lifecycle.deleteAfter, (r.copyActions ?? []).length]), [["daily", 7, 0]]);
    });

    it("selects by the components' tag with a role holding only AWS Backup's service policies", function () {
        const [selection] = prod.ofType(T.selection);
        assert.deepEqual(selection.inputs.selectionTags, [{ type: "STRINGEQUALS", key: "backup-plan", value: "shop" }]);
        assert.equal(selection.inputs.resources, undefined);
        const role = referenced(prod, selection, "iamRoleArn");
        assert.deepEqual(policyOf(role, "assumeRolePolicy").Statement[0].Principal, { Service: "backup.amazonaws.com" });
        const attached = prod.ofType(T.attachment).filter((a) => a.propertyDependencies.role?.includes(role.urn)).map((a) => a.inputs.policyArn);
        assert.deepEqual(attached.sort(), Object.values(BACKUP_SERVICE_POLICIES).map((p) => `arn:aws:iam::aws:policy/${p}`).sort());
        assert.equal(prod.ofType(T.rolePolicy).filter((p) => p.propertyDependencies.role?.includes(role.urn)).length, 0);
    });

    it("locks both prod vaults in governance mode (no grace period) within the configured retention; dev has no lock", function () {
        const locks = prod.ofType(T.lock);
        assert.equal(locks.length, 2);
        for (const lock of locks) {
            assert.equal(lock.inputs.changeableForDays, undefined, "a grace period would turn the lock to compliance mode");
            assert.equal(lock.inputs.minRetentionDays, 1);
            assert.equal(lock.inputs.maxRetentionDays, 365);
        }
        assert.deepEqual(locks.map(inDr).sort(), [false, true]);
        assert.equal(dev.ofType(T.lock).length, 0);
    });

    it("replicates the database's automated backups to the DR region with a DR key, in prod only", function () {
        const [replication] = prod.ofType(T.replication);
        assert.ok(inDr(replication));
        assert.equal(replication.inputs.sourceDbInstanceArn, INSTANCE_ARN);
        assert.equal(replication.inputs.retentionPeriod, 7);
        const replicaKey = referenced(prod, replication, "kmsKeyId");
        assert.ok(inDr(replicaKey));
        assert.match(String(replication.inputs.kmsKeyId), new RegExp(`^arn:aws:kms:${DR_REGION}:`));
        assert.equal(dev.ofType(T.replication).length, 0);
    });

    it("tests restores of the database monthly into its own subnets and security group (staging and prod profiles), not in dev", function () {
        const [testingPlan] = prod.ofType(T.restorePlan);
        assert.equal(testingPlan.inputs.scheduleExpression, "cron(0 9 1 * ? *)");
        assert.match(String(testingPlan.inputs.name), /^[A-Za-z0-9_]+$/);
        const [selection] = prod.ofType(T.restoreSelection);
        assert.equal(selection.inputs.protectedResourceType, "RDS");
        assert.deepEqual(selection.inputs.protectedResourceArns, [INSTANCE_ARN]);
        assert.deepEqual(selection.inputs.restoreMetadataOverrides, { dbSubnetGroupName: "shop-database", vpcSecurityGroupIds: '["sg-0123456789abcdef0"]' });
        assert.equal(PROFILES.staging.backup.restoreTesting.enabled, true);
        assert.equal(dev.ofType(T.restorePlan).length, 0);
    });

    it("gives Velero's IRSA role its bucket, that bucket's key, and EBS snapshots, and nothing else", function () {
        const role = prod.ofType(T.role).find((r) => String(r.inputs.assumeRolePolicy).includes("system:serviceaccount:velero:velero"));
        assert.ok(role, "no IRSA role for velero/velero");
        const policy = policyOf(prod.ofType(T.rolePolicy).find((p) => p.propertyDependencies.role?.includes(role.urn))!);
        const actions = policy.Statement.flatMap((s) => [s.Action].flat() as string[]);
        assert.ok(actions.every((a) => !a.includes("*")), `wildcard action in ${actions.join(", ")}`);
        const s3 = policy.Statement.filter((s) => ([s.Action].flat() as string[]).some((a) => a.startsWith("s3:")));
        const veleroBucket = prod.get(T.bucket, "shop-velero");
        for (const statement of s3) {
            for (const resource of [statement.Resource].flat() as string[]) {
                assert.ok(resource.startsWith(`arn:aws:s3:::${veleroBucket.name}`), `${resource} is not the Velero bucket`);
            }
        }
        const ec2 = [...new Set(actions.filter((a) => a.startsWith("ec2:")))].sort();
        assert.deepEqual(ec2, ["ec2:CreateSnapshot", "ec2:CreateTags", "ec2:CreateVolume", "ec2:DeleteSnapshot", "ec2:DescribeSnapshots", "ec2:DescribeVolumes"]);
        const star = policy.Statement.filter((s) => s.Resource === "*");
        assert.deepEqual(star.flatMap((s) => [s.Action].flat()), ["ec2:DescribeVolumes", "ec2:DescribeSnapshots"]);
        const deletes = policy.Statement.find((s) => s.Action === "ec2:DeleteSnapshot")!;
        assert.deepEqual(deletes.Condition, { Null: { "aws:ResourceTag/velero.io/backup": "false" } });
    });

    it("replicates the Velero bucket to a DR bucket with the DR key in prod; every bucket is private, encrypted, versioned and TLS-only", async function () {
        const [replication] = prod.ofType(T.bucketReplication);
        const rule = (replication.inputs.rules as Array<{ destination: { bucket: string; encryptionConfiguration: { replicaKmsKeyId: string } } }>)[0];
        const drBucket = prod.get(T.bucket, "shop-velero-dr");
        assert.ok(inDr(drBucket));
        assert.ok(replication.propertyDependencies.rules.includes(drBucket.urn));
        assert.match(rule.destination.bucket, /^arn:aws:s3:::shop-velero-dr-[0-9a-f]{7}$/);
        assert.match(rule.destination.encryptionConfiguration.replicaKmsKeyId, new RegExp(`^arn:aws:kms:${DR_REGION}:`));
        assert.equal(dev.ofType(T.bucketReplication).length, 0);
        assert.equal(dev.ofType(T.bucket).length, 1);
        const violations = await (await policySession("prod")).analyze(prod.resources);
        assert.deepEqual(violations.filter((v) => v.policy.startsWith("s3-")).map((v) => `${v.policy}: ${v.message}`), []);
        assert.deepEqual(violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy}: ${v.message}`), []);
    });

    it("installs Velero pinned, with IRSA and no credentials secret, and schedules with explicit TTLs", function () {
        const [release] = prod.ofType(T.release);
        assert.equal(release.inputs.chart, "velero");
        assert.match(String(release.inputs.version), /^\d+\.\d+\.\d+$/);
        const values = release.inputs.values as VeleroValues;
        assert.deepEqual(values.credentials, { useSecret: false });
        assert.match(values.serviceAccount.server.annotations["eks.amazonaws.com/role-arn"], /^arn:aws:iam::123456789012:role\//);
        assert.match(values.initContainers[0].image, /velero-plugin-for-aws:v\d+\.\d+\.\d+$/);
        assert.equal(values.metrics.serviceMonitor.additionalLabels.release, "kube-prometheus-stack");
        const schedules = Object.fromEntries(prod.ofType(T.schedule).map((s) => [(s.inputs.metadata as { name: string }).name, s.inputs.spec as ScheduleSpec]));
        assert.deepEqual(Object.keys(schedules).sort(), ["applications", "cluster"]);
        assert.equal(schedules.applications.schedule, "0 * * * *");
        assert.equal(schedules.applications.template.ttl, "720h0m0s");
        assert.deepEqual(schedules.applications.template.includedNamespaces, ["api", "jobs"]);
        assert.equal(schedules.applications.template.snapshotVolumes, true);
        assert.equal(schedules.cluster.schedule, "0 2 * * *");
        assert.equal(schedules.cluster.template.includeClusterResources, true);
        assert.ok(prod.ofType(T.schedule).every((s) => s.dependencies.includes(release.urn)), "a Schedule needs the chart's CRD");
    });

    it("runs the restore drill as a restricted CronJob whose script and modifiers are what the repository holds", async function () {
        const [cronJob] = prod.ofType(T.cronJob);
        const spec = cronJob.inputs.spec as CronJobSpec;
        assert.equal(spec.schedule, "0 10 1 * *");
        assert.equal(spec.concurrencyPolicy, "Forbid");
        const pod = spec.jobTemplate.spec.template.spec;
        const env = Object.fromEntries(pod.containers[0].env.map((e) => [e.name, e.value]));
        assert.deepEqual(
            { schedule: env.SCHEDULE_NAME, source: env.SOURCE_NAMESPACE, scratch: env.SCRATCH_NAMESPACE, age: env.MAX_BACKUP_AGE_HOURS },
            { schedule: "applications", source: "api", scratch: "restore-drill", age: "2" },
        );
        assert.equal(pod.securityContext.runAsNonRoot, true);
        assert.equal(pod.containers[0].securityContext.readOnlyRootFilesystem, true);
        const maps = Object.fromEntries(prod.ofType(T.configMap).map((m) => [(m.inputs.metadata as { name: string }).name, m.inputs.data as Record<string, string>]));
        assert.equal(maps["restore-drill-script"]["restore-drill.mjs"], readFileSync(DRILL_SCRIPT, "utf8"));
        assert.equal(maps["restore-drill-modifiers"]["modifiers.yaml"], drillModifiers("api"));
        const [clusterRole] = prod.ofType(T.clusterRole);
        assert.deepEqual(clusterRole.inputs.rules, [{ apiGroups: [""], resources: ["namespaces"], resourceNames: ["restore-drill"], verbs: ["get", "delete"] }]);
        assert.equal(dev.ofType(T.cronJob).length, 0);
        assert.deepEqual(await validateKubernetesObjects(prod.resources, { customResourceModels: [VeleroSchedule] }), []);
    });

    it("tags every taggable AWS resource and exports the objectives it computed", function () {
        const untagged = prod.resources.filter((r) => r.type.startsWith("aws:") && !UNTAGGABLE_TYPES.has(r.type) && r.inputs.tags === undefined);
        assert.deepEqual(untagged.map((r) => `${r.type} ${r.name}`), []);
        assert.deepEqual(
            { rpo: prod.result.outputs.rpoMinutes, rto: prod.result.outputs.rtoMinutes, scenario: prod.result.outputs.recoveryScenario },
            { rpo: ESTIMATES.replicatedLogLagMinutes, rto: 125, scenario: RecoveryScenario.RegionLoss },
        );
        assert.equal(dev.result.outputs.recoveryScenario, RecoveryScenario.DatabaseLoss);
    });

    it("rejects settings that cannot meet the targets, before anything is created", async function () {
        const dailyOnly = {
            ...PROFILES.prod.backup,
            plan: { ...PROFILES.prod.backup.plan, rules: { daily: PROFILES.prod.backup.plan.rules.daily } },
            databaseReplication: { enabled: false, retentionDays: 7 },
        };
        const outcome = await synthBackup(argsFrom(dailyOnly));
        assert.equal(outcome.graph, undefined);
        assert.match(outcome.error ?? "", /targets\.rpoMinutes: the target is 60 minutes, but these settings give 1680 \(rule "daily" copied to the DR vault/);
        assert.deepEqual(outcome.resources.filter((r) => r.custom && r.type !== T.provider && !r.type.startsWith("pulumi:providers:")), []);
    });
});

describe("recovery objectives", function () {
    const base = { plan: { rules: [], startWindowMinutes: 60, completionWindowMinutes: 180 }, databaseReplication: { enabled: false }, databaseStorageGiB: 100 };
    const rule = (name: string, frequency: "hourly" | "daily", drCopyRetentionDays: number) =>
        ({ name, frequency, startHourUtc: 7, retentionDays: 7, drCopyRetentionDays }) as Parameters<typeof recoveryObjectives>[0]["plan"]["rules"][number];

    it("takes the RPO from the most frequent rule that reaches the DR region, or from replicated point-in-time recovery", function () {
        const copied = recoveryObjectives({ ...base, plan: { ...base.plan, rules: [rule("daily", "daily", 7), rule("hourly", "hourly", 0)] } });
        assert.equal(copied.rpoMinutes, 24 * 60 + 60 + 180, "the hourly rule stays in the region and cannot count");
        const both = recoveryObjectives({ ...base, plan: { ...base.plan, rules: [rule("daily", "daily", 7), rule("hourly", "hourly", 2)] } });
        assert.equal(both.rpoMinutes, 60 + 60 + 180);
        const replicated = recoveryObjectives({ ...base, databaseReplication: { enabled: true }, plan: { ...base.plan, rules: [rule("daily", "daily", 7)] } });
        assert.equal(replicated.rpoMinutes, ESTIMATES.replicatedLogLagMinutes);
        assert.equal(replicated.scenario, RecoveryScenario.RegionLoss);
    });

    it("falls back to the database-loss scenario when nothing reaches the DR region", function () {
        const local = recoveryObjectives({ ...base, plan: { ...base.plan, rules: [rule("daily", "daily", 0)] } });
        assert.equal(local.scenario, RecoveryScenario.DatabaseLoss);
        assert.equal(local.rpoMinutes, ESTIMATES.inRegionLogLagMinutes);
    });

    it("grows the RTO with the database's storage once restoring it is the slower path", function () {
        const objectives = (databaseStorageGiB: number) => recoveryObjectives({ ...base, databaseReplication: { enabled: true }, databaseStorageGiB }).rtoMinutes;
        assert.equal(objectives(100), objectives(500), "the DR platform's path is the slower one for small databases");
        assert.ok(objectives(2000) > objectives(500));
        assert.equal(objectives(2000), 30 + 20 * ESTIMATES.databaseRestoreMinutesPer100GiB + ESTIMATES.applicationMinutes + ESTIMATES.trafficSwitchMinutes);
    });
});
