/**
 * Databases, caches and their secrets: RDS instances (`aws.rds.Instance`) and their parameter
 * groups, Aurora and Multi-AZ DB clusters (`aws.rds.Cluster`, `aws.rds.ClusterInstance`),
 * ElastiCache replication groups and Secrets Manager secrets.
 *
 * A read replica (`replicateSourceDb`, `replicationSourceIdentifier`) inherits its source's
 * encryption, backups and master user, so those rules check the source, not the replica. It
 * has a parameter group of its own, so the TLS rule checks it like any instance.
 */
import * as aws from "@pulumi/aws";
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { fix } from "./util";
import { Read, customerKeyProblem, isSet, known, read } from "./values";

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
        "RDS instances run with a standby in a second availability zone (multiAz). Read replicas are not checked: losing one costs read capacity, not data or writes. " +
        "Aurora clusters are not checked: their availability comes from the number of cluster instances, which no single resource shows.",
    enforcementLevel: "advisory",
    severity: "medium",
    validateResource: validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
        if (db.multiAz !== true && !isSet(db, "replicateSourceDb")) {
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

const INSTANCE_TYPE = "aws:rds/instance:Instance";
const PARAMETER_GROUP_TYPE = "aws:rds/parameterGroup:ParameterGroup";

/** Per engine, the parameter that makes the server refuse connections without TLS, and its values that do. */
const TLS_SWITCHES: Record<string, { title: string; parameter: string; on: readonly string[]; suggested: string }> = {
    postgres: { title: "PostgreSQL", parameter: "rds.force_ssl", on: ["1"], suggested: "1" },
    mysql: { title: "MySQL", parameter: "require_secure_transport", on: ["1", "on"], suggested: "ON" },
    mariadb: { title: "MariaDB", parameter: "require_secure_transport", on: ["1", "on"], suggested: "ON" },
};

/** RDS's default PostgreSQL parameter groups set rds.force_ssl to 1 from this major version on. */
const POSTGRES_DEFAULT_TLS_MAJOR = 15;

/** An input of a stack resource; an empty string or null counts as unset. */
function inputOf(resource: PolicyResource, key: string): Read<unknown> {
    const found = read(() => resource.props[key] as unknown);
    return found.known && (found.value === null || found.value === "") ? { known: true, value: undefined } : found;
}

function knownString(resource: PolicyResource, key: string): string | undefined {
    const found = inputOf(resource, key);
    return found.known && typeof found.value === "string" ? found.value : undefined;
}

/** The instance in the stack a replica copies: through the property dependency of replicateSourceDb, else by identifier, ARN or id. */
function replicationSource(replica: PolicyResource, instances: readonly PolicyResource[]): PolicyResource | undefined {
    const viaDependency = (replica.propertyDependencies.replicateSourceDb ?? []).find((d) => d.type === INSTANCE_TYPE);
    if (viaDependency) {
        return viaDependency;
    }
    const source = knownString(replica, "replicateSourceDb");
    return source === undefined ? undefined : instances.find((db) => db !== replica && ["identifier", "arn", "id"].some((key) => knownString(db, key) === source));
}

/** An input a replica may leave to its source (engine, engineVersion): its own, else its source's. */
function ownOrInherited(db: PolicyResource, source: PolicyResource | undefined, key: string): Read<unknown> {
    const own = inputOf(db, key);
    return !own.known || own.value !== undefined || source === undefined ? own : inputOf(source, key);
}

/**
 * The parameter group an instance uses: "default" when it names none; undefined when it names
 * one the stack does not hold (an existing group) or one not known until deployed.
 */
function parameterGroupOf(db: PolicyResource, groups: readonly PolicyResource[]): PolicyResource | "default" | undefined {
    const viaDependency = (db.propertyDependencies.parameterGroupName ?? []).find((d) => d.type === PARAMETER_GROUP_TYPE);
    if (viaDependency) {
        return viaDependency;
    }
    const named = inputOf(db, "parameterGroupName");
    if (named.known && named.value === undefined) {
        return "default";
    }
    const name = knownString(db, "parameterGroupName");
    return name === undefined ? undefined : groups.find((group) => knownString(group, "name") === name || knownString(group, "id") === name);
}

/** What a parameter group sets the TLS switch to: on, off (with the value, if listed), or not known until deployed. */
function tlsSwitchIn(group: PolicyResource, parameter: string, on: readonly string[]): { state: "on" | "unknown" } | { state: "off"; value?: string } {
    const listed = inputOf(group, "parameters");
    if (!listed.known) {
        return { state: "unknown" };
    }
    const parameters = Array.isArray(listed.value) ? (listed.value as unknown[]) : [];
    let unreadable = false;
    for (let i = 0; i < parameters.length; i++) {
        const name = read(() => known((known(parameters[i]) as { name?: unknown } | undefined)?.name));
        if (!name.known) {
            unreadable = true;
        } else if (typeof name.value === "string" && name.value.trim().toLowerCase() === parameter) {
            const value = read(() => known((parameters[i] as { value?: unknown }).value));
            if (!value.known) {
                return { state: "unknown" };
            }
            const given = String(value.value);
            return on.includes(given.trim().toLowerCase()) ? { state: "on" } : { state: "off", value: given };
        }
    }
    // A parameter whose name is not known yet may be the switch.
    return unreadable ? { state: "unknown" } : { state: "off" };
}

/** The major version in an engine version ("16.4" is 16); undefined when unset, not known yet or unreadable. */
function majorVersion(version: Read<unknown>): number | undefined {
    const major = version.known && typeof version.value === "string" ? /^(\d+)/.exec(version.value.trim())?.[1] : undefined;
    return major === undefined ? undefined : Number(major);
}

/** Why an instance left on RDS's default parameter group may take connections without TLS; undefined when it may not. */
function defaultGroupProblem(db: PolicyResource, engine: string, version: Read<unknown>): string | undefined {
    const { title, parameter, suggested } = TLS_SWITCHES[engine];
    const remedy = `set parameterGroupName to an aws.rds.ParameterGroup whose parameters include {name: "${parameter}", value: "${suggested}"}`;
    if (engine !== "postgres") {
        return fix(`Instance ${db.name} (${title}) sets no parameterGroupName, so it uses RDS's default parameter group, whose ${parameter} is off: clients may connect without TLS.`, `${remedy}.`);
    }
    const major = majorVersion(version);
    // A version computed by the program is given the benefit of the doubt, as every rule here does.
    if (!version.known || (major !== undefined && major >= POSTGRES_DEFAULT_TLS_MAJOR)) {
        return undefined;
    }
    const given = version.value === undefined ? "is not set" : `is ${JSON.stringify(version.value)}`;
    return fix(
        `Instance ${db.name} (PostgreSQL) sets no parameterGroupName and its engineVersion ${given}, so it uses RDS's default parameter group, which requires TLS (${parameter} = 1) only from PostgreSQL ${POSTGRES_DEFAULT_TLS_MAJOR}: clients may connect without TLS.`,
        `${remedy}, or pin engineVersion to ${POSTGRES_DEFAULT_TLS_MAJOR} or later.`,
    );
}

export const rdsEnforcesTls: StackValidationPolicy = {
    name: "rds-enforces-tls",
    description:
        "RDS PostgreSQL, MySQL and MariaDB instances (read replicas included) refuse connections without TLS: their parameter group sets rds.force_ssl to 1 (PostgreSQL) or require_secure_transport to ON (MySQL, MariaDB). " +
        "Without a parameterGroupName only PostgreSQL 15 or later passes, whose default group requires TLS; a group the stack does not hold (an existing one, by name) is not checked.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateStack: (args, report) => {
        const instances = args.resources.filter((r) => r.type === INSTANCE_TYPE);
        const groups = args.resources.filter((r) => r.type === PARAMETER_GROUP_TYPE);
        for (const db of instances) {
            const source = isSet(db.props, "replicateSourceDb") ? replicationSource(db, instances) : undefined;
            const engine = ownOrInherited(db, source, "engine");
            if (!engine.known || typeof engine.value !== "string" || !Object.hasOwn(TLS_SWITCHES, engine.value)) {
                continue;
            }
            const group = parameterGroupOf(db, groups);
            if (group === "default") {
                const problem = defaultGroupProblem(db, engine.value, ownOrInherited(db, source, "engineVersion"));
                if (problem) {
                    report(problem, db.urn);
                }
                continue;
            }
            if (group === undefined) {
                continue;
            }
            const { parameter, on, suggested } = TLS_SWITCHES[engine.value];
            const tls = tlsSwitchIn(group, parameter, on);
            if (tls.state === "off") {
                const setting = tls.value === undefined ? `does not set ${parameter}` : `sets ${parameter} to "${tls.value}"`;
                report(
                    fix(
                        `Instance ${db.name} uses parameter group ${group.name} (parameterGroupName), which ${setting}: clients may connect without TLS.`,
                        `put {name: "${parameter}", value: "${suggested}"} in the parameters of ${group.name}.`,
                    ),
                    db.urn,
                );
            }
        }
    },
};

/** A boolean input known and not true; an input not known until deployed is given the benefit of the doubt. */
function knownNotTrue(get: () => boolean | undefined): boolean {
    const found = read(get);
    return found.known && found.value !== true;
}

/** Why a replication group has no replica to fail over to; undefined when it has one (or it is not known yet). */
function replicaShortfall(group: { numCacheClusters?: number; replicasPerNodeGroup?: number }): string | undefined {
    const count = (key: "numCacheClusters" | "replicasPerNodeGroup", fewest: number): string | undefined => {
        const found = read(() => group[key] as unknown);
        return found.known && typeof found.value === "number" && found.value < fewest ? `${key} is ${found.value}` : undefined;
    };
    if (isSet(group, "numCacheClusters")) {
        return count("numCacheClusters", 2);
    }
    if (isSet(group, "replicasPerNodeGroup")) {
        return count("replicasPerNodeGroup", 1);
    }
    return "neither numCacheClusters nor replicasPerNodeGroup is set, so each node group is a single node";
}

export const elasticacheMultiAz: ResourceValidationPolicy = {
    name: "elasticache-multi-az",
    description:
        "ElastiCache replication groups survive the loss of a node or an availability zone: automaticFailoverEnabled and multiAzEnabled are true, and there is a replica to promote (numCacheClusters at least 2, or replicasPerNodeGroup at least 1).",
    enforcementLevel: "advisory",
    severity: "medium",
    validateResource: validateResourceOfType(aws.elasticache.ReplicationGroup, (group, _args, report) => {
        if (knownNotTrue(() => group.automaticFailoverEnabled)) {
            report(fix("automaticFailoverEnabled is not true: when the primary fails, no replica is promoted and writes stop until it is replaced.", "set automaticFailoverEnabled: true (it needs at least one replica)."));
        }
        if (knownNotTrue(() => group.multiAzEnabled)) {
            report(fix("multiAzEnabled is not true: ElastiCache may place the primary and its replicas in one availability zone, and does not fail over across zones.", "set multiAzEnabled: true (with automaticFailoverEnabled: true and subnets in two or more zones)."));
        }
        const shortfall = replicaShortfall(group);
        if (shortfall) {
            report(fix(`The group has no replica to fail over to: ${shortfall}.`, "set numCacheClusters to at least 2 (or, with cluster mode on, replicasPerNodeGroup to at least 1)."));
        }
    }),
};

export const elasticacheSnapshotRetention: ResourceValidationPolicy = {
    name: "elasticache-snapshot-retention",
    description: "ElastiCache replication groups keep automatic snapshots for at least `minimumDays` days (snapshotRetentionLimit; default 1). Unset, it is 0: no automatic snapshots.",
    enforcementLevel: "advisory",
    severity: "medium",
    configSchema: {
        properties: {
            minimumDays: { type: "integer", minimum: 1, maximum: 35, default: 1, description: "Fewest days of automatic snapshots to keep (ElastiCache allows up to 35)." },
        },
    },
    validateResource: validateResourceOfType(aws.elasticache.ReplicationGroup, (group, args, report) => {
        const minimum = args.getConfig<MinimumDays>().minimumDays ?? 1;
        const limit = read(() => group.snapshotRetentionLimit as unknown);
        if (!limit.known) {
            return;
        }
        const days = typeof limit.value === "number" ? limit.value : 0;
        if (days < minimum) {
            const given = limit.value === undefined || limit.value === null ? "unset (0: no automatic snapshots)" : days === 0 ? "0 (no automatic snapshots)" : `${days} day${days === 1 ? "" : "s"}`;
            report(fix(`snapshotRetentionLimit is ${given}, below the minimum of ${minimum} day${minimum === 1 ? "" : "s"}.`, `set snapshotRetentionLimit to at least ${minimum} (at most 35).`));
        }
    }),
};

const MASTER_SECRET_FIX = "set masterUserSecretKmsKeyId to the ARN of a customer-managed KMS key (aws.kms.Key); without it RDS encrypts the secret with the AWS managed key aws/secretsmanager.";

/** The key problem of the master user secret RDS manages, if it manages one. */
function masterSecretKeyProblem(props: { manageMasterUserPassword?: boolean; masterUserSecretKmsKeyId?: string }, what: string): string | undefined {
    const managed = read(() => props.manageMasterUserPassword);
    if (!managed.known || managed.value !== true) {
        return undefined;
    }
    const keyProblem = customerKeyProblem(props, "masterUserSecretKmsKeyId");
    return keyProblem ? fix(`The master user secret RDS manages for the ${what} is not encrypted with a customer-managed key: ${keyProblem}.`, MASTER_SECRET_FIX) : undefined;
}

export const secretsEncryptedWithCmk: ResourceValidationPolicy = {
    name: "secrets-encrypted-with-cmk",
    description:
        "Secrets Manager secrets are encrypted with a customer-managed KMS key (kmsKeyId), and so are the master user secrets RDS manages for instances and clusters (masterUserSecretKmsKeyId where manageMasterUserPassword is true); not with the AWS managed key aws/secretsmanager.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: [
        validateResourceOfType(aws.secretsmanager.Secret, (secret, _args, report) => {
            const keyProblem = customerKeyProblem(secret, "kmsKeyId");
            if (keyProblem) {
                report(
                    fix(
                        `The secret is not encrypted with a customer-managed key: ${keyProblem}.`,
                        "set kmsKeyId to the ARN of a customer-managed KMS key (aws.kms.Key); the AWS managed key aws/secretsmanager has a policy you cannot change and cannot be shared with another account.",
                    ),
                );
            }
        }),
        validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
            const problem = masterSecretKeyProblem(db, "instance");
            if (problem) {
                report(problem);
            }
        }),
        validateResourceOfType(aws.rds.Cluster, (cluster, _args, report) => {
            const problem = masterSecretKeyProblem(cluster, "cluster");
            if (problem) {
                report(problem);
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
    rdsEnforcesTls,
    elasticacheMultiAz,
    elasticacheSnapshotRetention,
    secretsEncryptedWithCmk,
];
