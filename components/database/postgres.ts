/**
 * PostgreSQL on RDS: its security group, parameter group, enhanced-monitoring role, the
 * primary instance and its read replicas.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Context } from "../shared/context";
import { clientOnlySecurityGroup } from "./clients";
import { PostgresArgs } from "./args";
import { postgresFamily, postgresParameters } from "./parameters";
import { monitoringPolicyArn, monitoringTrustPolicy } from "./policies";

const POSTGRES_PORT = 5432;
/** Log types RDS for PostgreSQL can export to CloudWatch Logs; both are kept. */
const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;
/**
 * The RDS certificate authority clients verify; set explicitly so a change of AWS's default
 * for new instances never surprises a client's trust store.
 */
const RDS_CA = "rds-ca-rsa2048-g1";

/** Identifier of the n-th read replica (from 1). */
export function replicaIdentifier(identifier: string, n: number): string {
    return `${identifier}-replica-${n}`;
}

/** The log groups RDS writes an instance's exports to. */
export function postgresLogGroupNames(identifier: string): string[] {
    return POSTGRES_LOG_EXPORTS.map((type) => `/aws/rds/instance/${identifier}/${type}`);
}

export interface PostgresSettings extends Required<PostgresArgs> {
    identifier: string;
    vpcId: pulumi.Input<string>;
    databaseSubnetGroupName: pulumi.Input<string>;
    clientSecurityGroupIds: pulumi.Input<string>[];
    /** Encrypts storage and Performance Insights. */
    storageKeyArn: pulumi.Input<string>;
    /** Encrypts the master user's secret. */
    credentialsKeyArn: pulumi.Input<string>;
    /** Each instance's export log groups by its identifier, created first so they get our retention and key. */
    logGroups: Record<string, pulumi.Resource[]>;
    /** Tags that put the primary into a backup plan (its replicas hold the same data). */
    backupTags: Record<string, string>;
}

export interface Postgres {
    instance: aws.rds.Instance;
    replicas: aws.rds.Instance[];
    securityGroup: aws.ec2.SecurityGroup;
}

export function postgres(name: string, settings: PostgresSettings, ctx: Context): Postgres {
    const { parent, tags, keep } = ctx;
    const securityGroup = clientOnlySecurityGroup(
        `${name}-postgres`,
        { vpcId: settings.vpcId, service: `PostgreSQL ${settings.identifier}`, port: POSTGRES_PORT, clientSecurityGroupIds: settings.clientSecurityGroupIds },
        ctx,
    );

    // Named by Pulumi (with a suffix): a new major version brings a new family, and the new
    // group must exist before the instance moves to it and the old one goes.
    const parameterGroup = new aws.rds.ParameterGroup(
        `${name}-postgres`,
        {
            family: postgresFamily(settings.majorVersion),
            description: `PostgreSQL settings of ${settings.identifier}`,
            parameters: postgresParameters(settings.slowQueryThresholdMs),
            tags: tags({ Name: `${name}-postgres` }),
        },
        { parent },
    );

    const monitoringRoleArn = settings.monitoringIntervalSeconds > 0 ? monitoringRole(name, ctx) : undefined;
    const insights = settings.performanceInsights
        ? {
              performanceInsightsEnabled: true,
              performanceInsightsKmsKeyId: settings.storageKeyArn,
              performanceInsightsRetentionPeriod: settings.performanceInsightsRetentionDays,
          }
        : { performanceInsightsEnabled: false };
    // What the primary and its replicas share.
    const common = {
        instanceClass: settings.instanceClass,
        storageType: "gp3",
        maxAllocatedStorage: settings.maxAllocatedStorageGiB,
        vpcSecurityGroupIds: [securityGroup.id],
        publiclyAccessible: false,
        port: POSTGRES_PORT,
        parameterGroupName: parameterGroup.name,
        caCertIdentifier: RDS_CA,
        iamDatabaseAuthenticationEnabled: true,
        enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
        ...insights,
        monitoringInterval: settings.monitoringIntervalSeconds,
        monitoringRoleArn,
        autoMinorVersionUpgrade: true,
        maintenanceWindow: settings.maintenanceWindow,
        applyImmediately: settings.applyImmediately,
        deletionProtection: settings.deletionProtection,
        copyTagsToSnapshot: true,
    };

    const instance = new aws.rds.Instance(
        `${name}-postgres`,
        {
            ...common,
            identifier: settings.identifier,
            engine: "postgres",
            // A major version only: RDS runs its newest minor and upgrades minors in the maintenance window.
            engineVersion: settings.majorVersion,
            // Only ever a config change of majorVersion; without it that change would fail.
            allowMajorVersionUpgrade: true,
            dbName: settings.databaseName,
            username: settings.masterUsername,
            manageMasterUserPassword: true,
            masterUserSecretKmsKeyId: settings.credentialsKeyArn,
            allocatedStorage: settings.allocatedStorageGiB,
            storageEncrypted: true,
            kmsKeyId: settings.storageKeyArn,
            dbSubnetGroupName: settings.databaseSubnetGroupName,
            networkType: "IPV4",
            multiAz: settings.multiAz,
            backupRetentionPeriod: settings.backupRetentionDays,
            backupWindow: settings.backupWindow,
            // Automated backups outlive the instance for their retention: a deletion is recoverable.
            deleteAutomatedBackups: false,
            skipFinalSnapshot: !settings.finalSnapshot,
            // A fixed name, so a plan shows no change until the day it is used.
            finalSnapshotIdentifier: settings.finalSnapshot ? `${settings.identifier}-final` : undefined,
            tags: tags({ ...settings.backupTags, Name: settings.identifier }),
        },
        { ...keep, dependsOn: settings.logGroups[settings.identifier] },
    );

    const replicas = Array.from({ length: settings.readReplicaCount }, (_, i) => {
        const identifier = replicaIdentifier(settings.identifier, i + 1);
        return new aws.rds.Instance(
            `${name}-postgres-replica-${i + 1}`,
            {
                ...common,
                identifier,
                // Same region: the replica inherits engine, storage, key, subnet group and master user.
                replicateSourceDb: instance.identifier,
                // Its data is the source's, and deleting a replica with a final snapshot is refused by the API.
                skipFinalSnapshot: true,
                tags: tags({ Name: identifier }),
            },
            { ...keep, dependsOn: settings.logGroups[identifier] },
        );
    });

    return { instance, replicas, securityGroup };
}

/** The role enhanced monitoring publishes OS metrics with. */
function monitoringRole(name: string, ctx: Context): pulumi.Output<string> {
    const role = new aws.iam.Role(
        `${name}-postgres-monitoring`,
        {
            description: `Enhanced monitoring of the PostgreSQL instances of ${name}`,
            assumeRolePolicy: ctx.scope.apply((s) => JSON.stringify(monitoringTrustPolicy(s))),
            tags: ctx.tags({ Name: `${name}-postgres-monitoring` }),
        },
        { parent: ctx.parent },
    );
    const attachment = new aws.iam.RolePolicyAttachment(
        `${name}-postgres-monitoring`,
        { role: role.name, policyArn: ctx.scope.apply(monitoringPolicyArn) },
        { parent: ctx.parent },
    );
    // RDS checks the role's permissions when the instance is created or modified.
    return pulumi.all([role.arn, attachment.id]).apply(([arn]) => arn);
}
