/**
 * Databases and caches: RDS instances (`aws.rds.Instance`), Aurora and Multi-AZ DB clusters
 * (`aws.rds.Cluster`, `aws.rds.ClusterInstance`) and ElastiCache replication groups.
 *
 * A read replica (`replicateSourceDb`, `replicationSourceIdentifier`) inherits its source's
 * encryption, backups and master user, so those rules check the source, not the replica.
 */
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { fix } from "./util";
import { customerKeyProblem, isSet } from "./values";

export const rdsEncryptedWithCmk: ResourceValidationPolicy = {
    name: "rds-encrypted-with-cmk",
    description:
        "RDS instances and Aurora/Multi-AZ DB clusters encrypt their storage with a customer-managed KMS key (storageEncrypted and kmsKeyId). Read replicas inherit their source's key and are not checked.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: [
        validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
            if (isSet(db, "replicateSourceDb")) {
                return;
            }
            if (db.storageEncrypted !== true) {
                report(fix("Storage is not encrypted (storageEncrypted is not true).", "set storageEncrypted: true and kmsKeyId to a customer-managed key's ARN; an existing instance is replaced, so restore it from an encrypted snapshot copy."));
            }
            const keyProblem = customerKeyProblem(db, "kmsKeyId");
            if (keyProblem) {
                report(fix(`Storage is not encrypted with a customer-managed key: ${keyProblem}.`, "set kmsKeyId to the ARN of a customer-managed KMS key (aws.kms.Key) whose policy you control."));
            }
        }),
        validateResourceOfType(aws.rds.Cluster, (cluster, _args, report) => {
            if (isSet(cluster, "replicationSourceIdentifier")) {
                return;
            }
            if (cluster.storageEncrypted !== true) {
                report(fix("Cluster storage is not encrypted (storageEncrypted is not true).", "set storageEncrypted: true and kmsKeyId to a customer-managed key's ARN; an existing cluster is replaced, so restore it from an encrypted snapshot copy."));
            }
            const keyProblem = customerKeyProblem(cluster, "kmsKeyId");
            if (keyProblem) {
                report(fix(`Cluster storage is not encrypted with a customer-managed key: ${keyProblem}.`, "set kmsKeyId to the ARN of a customer-managed KMS key (aws.kms.Key) whose policy you control."));
            }
        }),
    ],
};

export const elasticacheEncryptedWithCmk: ResourceValidationPolicy = {
    name: "elasticache-encrypted-with-cmk",
    description:
        "ElastiCache replication groups encrypt data at rest with a customer-managed KMS key and require TLS in transit (atRestEncryptionEnabled, kmsKeyId, transitEncryptionEnabled, transitEncryptionMode not \"preferred\").",
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: validateResourceOfType(aws.elasticache.ReplicationGroup, (group, _args, report) => {
        // Valkey encrypts at rest unless told not to; Redis OSS only when asked.
        const atRest = group.atRestEncryptionEnabled ?? group.engine === "valkey";
        if (!atRest) {
            report(fix("Data at rest is not encrypted (atRestEncryptionEnabled is not true).", "set atRestEncryptionEnabled: true and kmsKeyId to a customer-managed key's ARN (this replaces the replication group)."));
        } else {
            const keyProblem = customerKeyProblem(group, "kmsKeyId");
            if (keyProblem) {
                report(fix(`Data at rest is not encrypted with a customer-managed key: ${keyProblem}.`, "set kmsKeyId to the ARN of a customer-managed KMS key (aws.kms.Key)."));
            }
        }
        if (group.transitEncryptionEnabled !== true) {
            report(fix("Clients connect without TLS (transitEncryptionEnabled is not true).", "set transitEncryptionEnabled: true (and leave transitEncryptionMode unset or \"required\")."));
        } else if (group.transitEncryptionMode === "preferred") {
            report(fix("transitEncryptionMode is \"preferred\", so clients may still connect without TLS.", "once every client uses TLS, set transitEncryptionMode: \"required\"."));
        }
    }),
};

export const rdsNotPubliclyAccessible: ResourceValidationPolicy = {
    name: "rds-not-publicly-accessible",
    description: "RDS instances and Aurora cluster instances get no public IP address; they are reached from inside the VPC only.",
    enforcementLevel: "mandatory",
    severity: "critical",
    validateResource: [
        validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
            if (db.publiclyAccessible === true) {
                report(fix("publiclyAccessible is true: the instance gets a public IP address and DNS name.", "set publiclyAccessible: false (the default) and reach the database from inside the VPC."));
            }
        }),
        validateResourceOfType(aws.rds.ClusterInstance, (db, _args, report) => {
            if (db.publiclyAccessible === true) {
                report(fix("publiclyAccessible is true: the cluster instance gets a public IP address and DNS name.", "set publiclyAccessible: false (the default) and reach the database from inside the VPC."));
            }
        }),
    ],
};

interface MinimumDays {
    minimumDays?: number;
}

/** Retention in days below the minimum, named for the message; undefined when enough. */
function retentionShortfall(days: number | undefined, minimum: number): string | undefined {
    if (days !== undefined && days >= minimum) {
        return undefined;
    }
    const given = days === undefined ? "unset (AWS keeps 1 day)" : `${days} day${days === 1 ? "" : "s"}`;
    return `backupRetentionPeriod is ${given}, below the minimum of ${minimum} days.`;
}

export const rdsBackupRetention: ResourceValidationPolicy = {
    name: "rds-backup-retention",
    description: "RDS instances and clusters keep automated backups for at least `minimumDays` days (default 7). Read replicas are not checked.",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: {
        properties: {
            minimumDays: { type: "integer", minimum: 1, maximum: 35, default: 7, description: "Fewest days of automated backups to keep (RDS allows 1-35)." },
        },
    },
    validateResource: [
        validateResourceOfType(aws.rds.Instance, (db, args, report) => {
            const minimum = args.getConfig<MinimumDays>().minimumDays ?? 7;
            const shortfall = isSet(db, "replicateSourceDb") ? undefined : retentionShortfall(db.backupRetentionPeriod, minimum);
            if (shortfall) {
                report(fix(shortfall, `set backupRetentionPeriod to at least ${minimum} (at most 35).`));
            }
        }),
        validateResourceOfType(aws.rds.Cluster, (cluster, args, report) => {
            const minimum = args.getConfig<MinimumDays>().minimumDays ?? 7;
            const shortfall = isSet(cluster, "replicationSourceIdentifier") ? undefined : retentionShortfall(cluster.backupRetentionPeriod, minimum);
            if (shortfall) {
                report(fix(shortfall, `set backupRetentionPeriod to at least ${minimum} (at most 35).`));
            }
        }),
    ],
};

export const rdsDeletionProtection: ResourceValidationPolicy = {
    name: "rds-deletion-protection",
    description: "RDS instances and clusters refuse deletion at the AWS API (deletionProtection).",
    enforcementLevel: "advisory",
    severity: "medium",
    validateResource: [
        validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
            if (db.deletionProtection !== true) {
                report(fix("deletionProtection is not true: one API call or `pulumi destroy` deletes the instance.", "set deletionProtection: true."));
            }
        }),
        validateResourceOfType(aws.rds.Cluster, (cluster, _args, report) => {
            if (cluster.deletionProtection !== true) {
                report(fix("deletionProtection is not true: one API call or `pulumi destroy` deletes the cluster.", "set deletionProtection: true."));
            }
        }),
    ],
};

/** The final-snapshot problem of an instance or cluster, if any. */
function finalSnapshotProblem(props: { skipFinalSnapshot?: boolean; finalSnapshotIdentifier?: string }, what: string): string | undefined {
    if (props.skipFinalSnapshot === true) {
        return fix(`skipFinalSnapshot is true: deleting the ${what} keeps no snapshot of its data.`, "set skipFinalSnapshot: false and finalSnapshotIdentifier to a snapshot name.");
    }
    if (!isSet(props, "finalSnapshotIdentifier")) {
        return fix(`finalSnapshotIdentifier is not set: deleting the ${what} fails, because AWS needs a name for the final snapshot.`, "set finalSnapshotIdentifier to a snapshot name (and keep skipFinalSnapshot false).");
    }
    return undefined;
}

export const rdsFinalSnapshot: ResourceValidationPolicy = {
    name: "rds-final-snapshot",
    description: "Deleting an RDS instance or cluster leaves a final snapshot (skipFinalSnapshot false and a finalSnapshotIdentifier). Read replicas, which cannot have one, are not checked.",
    enforcementLevel: "advisory",
    severity: "medium",
    validateResource: [
        validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
            const problem = isSet(db, "replicateSourceDb") ? undefined : finalSnapshotProblem(db, "instance");
            if (problem) {
                report(problem);
            }
        }),
        validateResourceOfType(aws.rds.Cluster, (cluster, _args, report) => {
            const problem = isSet(cluster, "replicationSourceIdentifier") ? undefined : finalSnapshotProblem(cluster, "cluster");
            if (problem) {
                report(problem);
            }
        }),
    ],
};

export const rdsMultiAz: ResourceValidationPolicy = {
    name: "rds-multi-az",
    description:
        "RDS instances run with a standby in a second availability zone (multiAz). Aurora clusters are not checked: their availability comes from the number of cluster instances, which no single resource shows.",
    enforcementLevel: "advisory",
    severity: "medium",
    validateResource: validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
        if (db.multiAz !== true) {
            report(fix("multiAz is not true: losing one availability zone takes the database down.", "set multiAz: true."));
        }
    }),
};

/** The Performance Insights key problem, if insights are on. */
function insightsKeyProblem(props: { performanceInsightsEnabled?: boolean; performanceInsightsKmsKeyId?: string }): string | undefined {
    if (props.performanceInsightsEnabled !== true) {
        return undefined;
    }
    const keyProblem = customerKeyProblem(props, "performanceInsightsKmsKeyId");
    return keyProblem
        ? fix(
              `Performance Insights is on, but its data (which includes SQL text) is not encrypted with a customer-managed key: ${keyProblem}.`,
              "set performanceInsightsKmsKeyId to the ARN of a customer-managed KMS key (the database's own key will do).",
          )
        : undefined;
}

export const rdsPerformanceInsightsEncrypted: ResourceValidationPolicy = {
    name: "rds-performance-insights-encrypted",
    description: "Where Performance Insights is enabled, its data is encrypted with a customer-managed KMS key (performanceInsightsKmsKeyId).",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateResource: [
        validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
            const problem = insightsKeyProblem(db);
            if (problem) {
                report(problem);
            }
        }),
        validateResourceOfType(aws.rds.Cluster, (cluster, _args, report) => {
            const problem = insightsKeyProblem(cluster);
            if (problem) {
                report(problem);
            }
        }),
        validateResourceOfType(aws.rds.ClusterInstance, (db, _args, report) => {
            const problem = insightsKeyProblem(db);
            if (problem) {
                report(problem);
            }
        }),
    ],
};

const PASSWORD_RISK = "it lives in the stack's config (and, unless write-only, its state), and nothing rotates it.";
const MANAGED_CREDENTIALS_FIX =
    "remove the password and set manageMasterUserPassword: true (RDS keeps and rotates it in Secrets Manager), or use IAM database authentication (iamDatabaseAuthenticationEnabled: true).";

export const rdsNoPlainMasterPassword: ResourceValidationPolicy = {
    name: "rds-no-plain-master-password",
    description:
        "The program never holds a database master password: no password/masterPassword (nor its write-only variant); the master user's password is managed by RDS in Secrets Manager (manageMasterUserPassword) or the database uses IAM authentication.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: [
        validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
            const given = (["password", "passwordWo"] as const).filter((key) => isSet(db, key));
            if (given.length > 0) {
                report(fix(`The instance's master password is set by the program (${given.join(", ")}): ${PASSWORD_RISK}`, MANAGED_CREDENTIALS_FIX));
            } else if (!isSet(db, "replicateSourceDb") && db.manageMasterUserPassword !== true && db.iamDatabaseAuthenticationEnabled !== true) {
                report(fix("Neither manageMasterUserPassword nor iamDatabaseAuthenticationEnabled is true.", MANAGED_CREDENTIALS_FIX));
            }
        }),
        validateResourceOfType(aws.rds.Cluster, (cluster, _args, report) => {
            const given = (["masterPassword", "masterPasswordWo"] as const).filter((key) => isSet(cluster, key));
            if (given.length > 0) {
                report(fix(`The cluster's master password is set by the program (${given.join(", ")}): ${PASSWORD_RISK}`, MANAGED_CREDENTIALS_FIX));
            } else if (!isSet(cluster, "replicationSourceIdentifier") && cluster.manageMasterUserPassword !== true && cluster.iamDatabaseAuthenticationEnabled !== true) {
                report(fix("Neither manageMasterUserPassword nor iamDatabaseAuthenticationEnabled is true.", MANAGED_CREDENTIALS_FIX));
            }
        }),
    ],
};

export const dataPolicies = [
    rdsEncryptedWithCmk,
    elasticacheEncryptedWithCmk,
    rdsNotPubliclyAccessible,
    rdsBackupRetention,
    rdsDeletionProtection,
    rdsFinalSnapshot,
    rdsMultiAz,
    rdsPerformanceInsightsEncrypted,
    rdsNoPlainMasterPassword,
];
