/**
 * The recovery point and recovery time objectives a backup configuration gives, computed from
 * its settings rather than declared: what reaches the DR region and how often bounds the data
 * lost; a documented estimate of each restore step bounds the time. docs/DISASTER_RECOVERY.md
 * walks the same steps with their commands.
 */
import { RecoveryScenario } from "./args";
import { INTERVAL_MINUTES } from "./schedules";
import type { BackupSettings } from "./settings";

/**
 * Estimates, in minutes, behind the objectives. Measured restores should replace them: the
 * restore tests and drills report how long each step really took.
 */
export const ESTIMATES = {
    /** RDS archives PostgreSQL's transaction logs every 5 minutes; replication copies each as soon as it is archived. */
    replicatedLogLagMinutes: 15,
    /** The latest restorable time of RDS point-in-time recovery in the instance's own region. */
    inRegionLogLagMinutes: 5,
    /** A DR stack's network, EKS control plane, node groups and add-ons (`pulumi up` in the DR region). */
    drPlatformMinutes: 60,
    /** Creating an instance from a snapshot or point in time, before storage size counts. */
    databaseRestoreBaseMinutes: 30,
    /** Added per started 100 GiB of storage (log replay and the first reads hydrating from S3). */
    databaseRestoreMinutesPer100GiB: 10,
    /** Velero restoring the cluster's objects from the replicated bucket. */
    veleroRestoreMinutes: 20,
    /** Rolling the application out against the restored database, and checking it. */
    applicationMinutes: 30,
    /** Pointing DNS at the DR region and waiting out the records' TTL. */
    trafficSwitchMinutes: 15,
} as const;

export interface RecoveryStep {
    step: string;
    minutes: number;
}

export interface RecoveryObjectives {
    scenario: RecoveryScenario;
    rpoMinutes: number;
    /** What gives the RPO, in words, for messages and docs. */
    rpoSource: string;
    rtoMinutes: number;
    /** The steps the RTO adds up, in order (each says when it runs alongside another). */
    steps: RecoveryStep[];
}

interface ObjectiveInputs {
    plan: Pick<BackupSettings["plan"], "rules" | "startWindowMinutes" | "completionWindowMinutes">;
    databaseReplication: Pick<BackupSettings["databaseReplication"], "enabled">;
    databaseStorageGiB: number;
}

/** The newest recovery point in the DR region is at most this old, per mechanism that puts one there. */
function drRecoveryPoints(inputs: ObjectiveInputs): Array<{ minutes: number; source: string }> {
    const { plan } = inputs;
    const copies = plan.rules
        .filter((rule) => rule.drCopyRetentionDays > 0)
        .map((rule) => ({
            // A job may start anywhere in its start window and run to the end of its completion window before its copy begins.
            minutes: INTERVAL_MINUTES[rule.frequency] + plan.startWindowMinutes + plan.completionWindowMinutes,
            source:
                `rule "${rule.name}" copied to the DR vault (${INTERVAL_MINUTES[rule.frequency]} min between runs ` +
                `+ ${plan.startWindowMinutes} min start window + ${plan.completionWindowMinutes} min completion window)`,
        }));
    const replication = inputs.databaseReplication.enabled
        ? [{ minutes: ESTIMATES.replicatedLogLagMinutes, source: "point-in-time recovery from automated backups replicated to the DR region" }]
        : [];
    return [...replication, ...copies];
}

function databaseRestoreMinutes(storageGiB: number): number {
    return ESTIMATES.databaseRestoreBaseMinutes + Math.ceil(storageGiB / 100) * ESTIMATES.databaseRestoreMinutesPer100GiB;
}

export function recoveryObjectives(inputs: ObjectiveInputs): RecoveryObjectives {
    const databaseRestore = { step: `restore PostgreSQL (${inputs.databaseStorageGiB} GiB)`, minutes: databaseRestoreMinutes(inputs.databaseStorageGiB) };
    const application = { step: "roll out and check the application", minutes: ESTIMATES.applicationMinutes };
    const inDr = drRecoveryPoints(inputs);
    if (inDr.length === 0) {
        return {
            scenario: RecoveryScenario.DatabaseLoss,
            rpoMinutes: ESTIMATES.inRegionLogLagMinutes,
            rpoSource: "point-in-time recovery in the primary region (nothing reaches the DR region)",
            rtoMinutes: databaseRestore.minutes + application.minutes,
            steps: [databaseRestore, application],
        };
    }
    const best = inDr.reduce((a, b) => (b.minutes < a.minutes ? b : a));
    // The DR platform and Velero's restore run while the database restores; the slower path counts.
    const platformPath = ESTIMATES.drPlatformMinutes + ESTIMATES.veleroRestoreMinutes;
    const steps = [
        { step: "stand up the platform in the DR region", minutes: ESTIMATES.drPlatformMinutes },
        { step: "restore the cluster's objects with Velero", minutes: ESTIMATES.veleroRestoreMinutes },
        { ...databaseRestore, step: `${databaseRestore.step}, alongside the two steps above` },
        application,
        { step: "switch traffic to the DR region", minutes: ESTIMATES.trafficSwitchMinutes },
    ];
    return {
        scenario: RecoveryScenario.RegionLoss,
        rpoMinutes: best.minutes,
        rpoSource: best.source,
        rtoMinutes: Math.max(platformPath, databaseRestore.minutes) + application.minutes + ESTIMATES.trafficSwitchMinutes,
        steps,
    };
}

/** Where the settings cannot keep the stack's declared targets, said with what would. */
export function objectiveProblems(
    objectives: RecoveryObjectives,
    targets: { rpoMinutes?: number; rtoMinutes?: number },
    path: string,
): string[] {
    const problems: string[] = [];
    if (targets.rpoMinutes !== undefined && objectives.rpoMinutes > targets.rpoMinutes) {
        problems.push(
            `${path}targets.rpoMinutes: the target is ${targets.rpoMinutes} minutes, but these settings give ${objectives.rpoMinutes} ` +
                `(${objectives.rpoSource}); enable databaseReplication, or copy a more frequent plan rule to the DR region`,
        );
    }
    if (targets.rtoMinutes !== undefined && objectives.rtoMinutes > targets.rtoMinutes) {
        const steps = objectives.steps.map((s) => `${s.step}: ${s.minutes}`).join("; ");
        problems.push(`${path}targets.rtoMinutes: the target is ${targets.rtoMinutes} minutes, but restoring takes an estimated ${objectives.rtoMinutes} (${steps})`);
    }
    return problems;
}
