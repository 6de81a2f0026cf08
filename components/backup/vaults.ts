/**
 * AWS Backup: a vault in each region with its own key (locked when asked), the plan whose
 * rules copy to the DR vault, the tag selection and its service role, the database's automated
 * backups replicated to the DR region, and the restore tests that prove the recovery points.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountAdministersKey, managedPolicyArn, policyDocument, serviceTrustPolicy } from "../shared/aws";
import { Context, key } from "../shared/context";
import { BackupDatabaseArgs, VaultLockMode } from "./args";
import { awsCron } from "./schedules";
import { BackupSettings } from "./settings";

/** The AWS-managed policies AWS Backup's documentation gives its service role, and nothing else. */
export const BACKUP_SERVICE_POLICIES = {
    backup: "service-role/AWSBackupServiceRolePolicyForBackup",
    restores: "service-role/AWSBackupServiceRolePolicyForRestores",
};

export interface Vaults {
    primary: aws.backup.Vault;
    dr: aws.backup.Vault;
}

/** A vault and its key, in the region of `ctx` (the DR context carries the DR provider). */
function vault(vaultName: string, region: string, lock: BackupSettings["vaultLock"], ctx: Context): aws.backup.Vault {
    const vaultKey = key(vaultName, `Encrypts the recovery points in ${vaultName} (${region})`, (s) => policyDocument(accountAdministersKey(s)), ctx);
    const created = new aws.backup.Vault(vaultName, { kmsKeyArn: vaultKey.arn, forceDestroy: false, tags: ctx.tags({ Name: vaultName }) }, ctx.keep);
    if (lock.mode !== VaultLockMode.None) {
        new aws.backup.VaultLockConfiguration(
            vaultName,
            {
                backupVaultName: created.name,
                minRetentionDays: lock.minRetentionDays,
                maxRetentionDays: lock.maxRetentionDays,
                // Without a grace period the lock stays in governance mode; with one it turns to compliance when the period ends.
                changeableForDays: lock.mode === VaultLockMode.Compliance ? lock.complianceGraceDays : undefined,
            },
            ctx.keep,
        );
    }
    return created;
}

export function vaults(name: string, settings: BackupSettings, ctx: Context, drCtx: Context): Vaults {
    return {
        primary: vault(`${name}-backup`, "primary region", settings.vaultLock, ctx),
        dr: vault(`${name}-backup-dr`, "DR region", settings.vaultLock, drCtx),
    };
}

/** The role AWS Backup assumes to back up, copy and restore: only the service's own managed policies. */
export function backupServiceRole(name: string, ctx: Context): aws.iam.Role {
    const role = new aws.iam.Role(
        `${name}-backup`,
        {
            description: `AWS Backup backs up, copies and restores ${name}'s resources`,
            assumeRolePolicy: ctx.scope.apply((s) => JSON.stringify(serviceTrustPolicy("backup.amazonaws.com", s))),
            tags: ctx.tags({ Name: `${name}-backup` }),
        },
        { parent: ctx.parent },
    );
    for (const [purpose, policy] of Object.entries(BACKUP_SERVICE_POLICIES)) {
        new aws.iam.RolePolicyAttachment(
            `${name}-backup-${purpose}`,
            { role: role.name, policyArn: ctx.scope.apply((s) => managedPolicyArn(s.partition, policy)) },
            { parent: ctx.parent },
        );
    }
    return role;
}

/** The plan (one rule per configured rule, copying to the DR vault when the rule says so) and its tag selection. */
export function backupPlan(name: string, settings: BackupSettings, selectionTags: Record<string, string>, role: aws.iam.Role, vaultsOf: Vaults, ctx: Context): aws.backup.Plan {
    const { plan } = settings;
    const created = new aws.backup.Plan(
        `${name}-backup`,
        {
            rules: plan.rules.map((rule) => ({
                ruleName: rule.name,
                targetVaultName: vaultsOf.primary.name,
                schedule: awsCron(rule.frequency, rule.startHourUtc),
                scheduleExpressionTimezone: "Etc/UTC",
                startWindow: plan.startWindowMinutes,
                completionWindow: plan.completionWindowMinutes,
                lifecycle: { deleteAfter: rule.retentionDays },
                recoveryPointTags: ctx.tags({ Name: `${name}-${rule.name}`, "backup-rule": rule.name }),
                copyActions: rule.drCopyRetentionDays > 0 ? [{ destinationVaultArn: vaultsOf.dr.arn, lifecycle: { deleteAfter: rule.drCopyRetentionDays } }] : [],
            })),
            tags: ctx.tags({ Name: `${name}-backup` }),
        },
        { parent: ctx.parent },
    );
    new aws.backup.Selection(
        `${name}-tagged`,
        {
            name: `${name}-tagged`,
            planId: created.id,
            iamRoleArn: role.arn,
            // Resources opt in with the tag, so a new database is protected the day it is created.
            selectionTags: Object.entries(selectionTags).map(([tagKey, value]) => ({ type: "STRINGEQUALS", key: tagKey, value })),
        },
        { parent: ctx.parent },
    );
    return created;
}

/** RDS copies the instance's snapshots and transaction logs to the DR region as they are made: point-in-time recovery there. */
export function replicateDatabaseBackups(name: string, settings: BackupSettings, instanceArn: pulumi.Input<string>, drCtx: Context): aws.rds.InstanceAutomatedBackupsReplication {
    const replicaKey = key(`${name}-database-backups-dr`, `Encrypts ${name}'s database backups replicated to the DR region`, (s) => policyDocument(accountAdministersKey(s)), drCtx);
    return new aws.rds.InstanceAutomatedBackupsReplication(
        `${name}-database-backups`,
        { sourceDbInstanceArn: instanceArn, kmsKeyId: replicaKey.arn, retentionPeriod: settings.databaseReplication.retentionDays },
        drCtx.keep,
    );
}

/** AWS Backup's names for restore testing allow letters, digits and underscores only. */
function restoreTestingName(name: string, suffix: string): string {
    return `${name}_${suffix}`.replace(/[^A-Za-z0-9_]/g, "_");
}

/**
 * AWS Backup restores the latest recovery point of the database on a schedule, into the
 * database's own subnets and security group, keeps it for the validation window, and deletes it.
 */
export function restoreTests(name: string, settings: BackupSettings, database: BackupDatabaseArgs, role: aws.iam.Role, primaryVault: aws.backup.Vault, ctx: Context): aws.backup.RestoreTestingPlan {
    const { restoreTesting } = settings;
    const testingPlan = new aws.backup.RestoreTestingPlan(
        `${name}-restore-testing`,
        {
            name: restoreTestingName(name, "restore_testing"),
            scheduleExpression: awsCron(restoreTesting.frequency, restoreTesting.startHourUtc),
            scheduleExpressionTimezone: "Etc/UTC",
            startWindowHours: 24,
            recoveryPointSelection: {
                algorithm: "LATEST_WITHIN_WINDOW",
                includeVaults: [primaryVault.arn],
                recoveryPointTypes: ["SNAPSHOT"],
                selectionWindowDays: 7,
            },
            tags: ctx.tags({ Name: `${name}-restore-testing` }),
        },
        { parent: ctx.parent },
    );
    new aws.backup.RestoreTestingSelection(
        `${name}-restore-testing-database`,
        {
            name: restoreTestingName(name, "database"),
            restoreTestingPlanName: testingPlan.name,
            protectedResourceType: "RDS",
            protectedResourceArns: [database.instanceArn],
            iamRoleArn: role.arn,
            validationWindowHours: restoreTesting.validationWindowHours,
            // Left to infer, AWS Backup would restore into the default VPC, which the platform does not use.
            restoreMetadataOverrides: {
                dbSubnetGroupName: database.subnetGroupName,
                vpcSecurityGroupIds: pulumi.output(database.securityGroupId).apply((id) => JSON.stringify([id])),
            },
        },
        { parent: ctx.parent },
    );
    return testingPlan;
}
