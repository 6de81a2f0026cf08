import * as pulumi from "@pulumi/pulumi";
import { accountScope, tagger } from "../shared/aws";
import { Context } from "../shared/context";
import { BackupArgs } from "./args";
import { DRILL_NAMES, restoreDrill } from "./drill";
import { INTERVAL_MINUTES } from "./schedules";
import { validateBackupArgs } from "./settings";
import { drillSchedule } from "./validate";
import { backupPlan, backupServiceRole, replicateDatabaseBackups, restoreTests, vaults } from "./vaults";
import { velero } from "./velero";

export {
    BackupArgs,
    BackupClusterArgs,
    BackupDatabaseArgs,
    BackupFrequency,
    BackupPlanArgs,
    BackupRuleArgs,
    DatabaseReplicationArgs,
    RecoveryScenario,
    RecoveryTargetsArgs,
    RestoreDrillArgs,
    RestoreTestingArgs,
    VaultLockArgs,
    VaultLockMode,
    VeleroArgs,
    VeleroScheduleArgs,
    VeleroScope,
} from "./args";

/** Name of the restore drill's CronJob, for the alerts on it (which exist before it does). */
export const RESTORE_DRILL_CRON_JOB = DRILL_NAMES.cronJob;

/**
 * Backups that survive the loss of the primary region, and proof that they restore: AWS Backup
 * vaults in both regions with their own keys, a plan whose rules copy to the DR vault, the
 * database's automated backups replicated for point-in-time recovery there, AWS Backup restore
 * tests, and Velero for the cluster's state with a restore drill. The recovery objectives
 * these settings give are computed, checked against the declared targets, and exported.
 * Kubernetes objects use the provider in `opts.providers`; DR resources use `drProvider`.
 */
export class Backup extends pulumi.ComponentResource {
    public readonly vaultArn: pulumi.Output<string>;
    /** The vault in the DR region that the plan's copies land in. */
    public readonly drVaultArn: pulumi.Output<string>;
    public readonly planId: pulumi.Output<string>;
    /** Bucket of Velero's backups (and, when replicated, of its copy in the DR region). */
    public readonly veleroBucketName: pulumi.Output<string>;
    public readonly veleroDrBucketName: pulumi.Output<string | undefined>;
    /** Most data, in minutes, a recovery loses in `recoveryScenario`. */
    public readonly rpoMinutes: pulumi.Output<number>;
    /** Estimated minutes from the decision to recover until the application serves again. */
    public readonly rtoMinutes: pulumi.Output<number>;
    /** What the objectives are computed against: `regionLoss`, or `databaseLoss` when nothing reaches the DR region. */
    public readonly recoveryScenario: pulumi.Output<string>;
    public readonly veleroNamespace: pulumi.Output<string>;

    constructor(name: string, args: BackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Backup", name, {}, opts);
        const { settings, objectives } = validateBackupArgs(args, this);
        const tags = tagger(args.tags);
        const keep = { parent: this, protect: args.protectStatefulResources ?? false };
        const scope = accountScope(this);
        const drScope = accountScope(this, args.drProvider);
        const ctx: Context = { parent: this, tags, scope, keep };
        const drCtx: Context = { parent: this, tags, scope: drScope, keep: { ...keep, provider: args.drProvider }, provider: args.drProvider };

        const vaultsOf = vaults(name, settings, ctx, drCtx);
        const role = backupServiceRole(name, ctx);
        const plan = backupPlan(name, settings, args.selectionTags, role, vaultsOf, ctx);
        if (settings.databaseReplication.enabled) {
            replicateDatabaseBackups(name, settings, args.database.instanceArn, drCtx);
        }
        if (settings.restoreTesting.enabled) {
            restoreTests(name, settings, args.database, role, vaultsOf.primary, ctx);
        }

        const installed = velero(name, {
            settings,
            cluster: args.cluster,
            scope,
            drScope,
            releaseLabel: args.monitoringReleaseLabel,
            monitoringNamespace: args.monitoringNamespace,
            dependsOn: opts?.dependsOn,
        }, ctx, drCtx);
        const schedule = drillSchedule(settings.velero);
        if (settings.velero.restoreDrill.enabled && schedule) {
            const drill = settings.velero.restoreDrill;
            restoreDrill(name, {
                settings,
                scheduleName: schedule.name,
                // Two missed runs are a finding; a daily schedule's backup is at most a day old when all is well.
                maxBackupAgeHours: drill.maxBackupAgeHours > 0 ? drill.maxBackupAgeHours : Math.max(2, (2 * INTERVAL_MINUTES[schedule.frequency]) / 60),
            }, { parent: this, dependsOn: [installed.namespace] });
        }

        this.vaultArn = vaultsOf.primary.arn;
        this.drVaultArn = vaultsOf.dr.arn;
        this.planId = plan.id;
        this.veleroBucketName = installed.bucket.bucket;
        this.veleroDrBucketName = installed.drBucket ? installed.drBucket.bucket : pulumi.output(undefined);
        this.rpoMinutes = pulumi.output(objectives.rpoMinutes);
        this.rtoMinutes = pulumi.output(objectives.rtoMinutes);
        this.recoveryScenario = pulumi.output(objectives.scenario);
        this.veleroNamespace = installed.namespace.metadata.name;
        this.registerOutputs({
            vaultArn: this.vaultArn,
            drVaultArn: this.drVaultArn,
            planId: this.planId,
            veleroBucketName: this.veleroBucketName,
            veleroDrBucketName: this.veleroDrBucketName,
            rpoMinutes: this.rpoMinutes,
            rtoMinutes: this.rtoMinutes,
            recoveryScenario: this.recoveryScenario,
            veleroNamespace: this.veleroNamespace,
        });
    }
}
