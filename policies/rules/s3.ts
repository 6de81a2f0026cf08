/**
 * S3 buckets. In @pulumi/aws 7 a bucket (`aws.s3.Bucket`) is configured by companion
 * resources that name it in their `bucket` input: a public access block, a server-side
 * encryption configuration, versioning, an ACL, a bucket policy. So most rules here are stack
 * rules that pair each bucket with its companions: by the property dependency of the
 * companion's `bucket` input on the bucket (what the engine records for `bucket: b.id`), else
 * by the `bucket` input equal to the bucket's name. The deprecated `BucketV2` family and the
 * bucket's own deprecated inline settings count too, so they are no way around the rules.
 */
import { PolicyResource, ReportViolation, ResourceValidation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { Statement, asList, fix, statementsOf } from "./util";
import { customerKeyProblem, known, read } from "./values";

const TYPES = {
    bucket: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    encryption: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
    acl: ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"],
    policy: ["aws:s3/bucketPolicy:BucketPolicy"],
} as const;

function ofType(resources: readonly PolicyResource[], types: readonly string[]): PolicyResource[] {
    return resources.filter((r) => types.includes(r.type));
}

/** A known string input of a stack resource, if any. */
function knownString(resource: PolicyResource, key: string): string | undefined {
    const found = read(() => (resource.props as Record<string, unknown>)[key]);
    return found.known && typeof found.value === "string" ? found.value : undefined;
}

/** The buckets a companion configures: by the property dependency of its `bucket` input, else by name. */
function bucketsOf(companion: PolicyResource, buckets: readonly PolicyResource[]): PolicyResource[] {
    const viaDependency = (companion.propertyDependencies.bucket ?? []).filter((d) => buckets.includes(d));
    if (viaDependency.length > 0) {
        return viaDependency;
    }
    const name = knownString(companion, "bucket");
    return name === undefined ? [] : buckets.filter((b) => knownString(b, "bucket") === name);
}

/** Each bucket's companions of one kind (buckets with none map to an empty list). */
function companionsByBucket(buckets: readonly PolicyResource[], companions: readonly PolicyResource[]): Map<PolicyResource, PolicyResource[]> {
    const byBucket = new Map<PolicyResource, PolicyResource[]>(buckets.map((b) => [b, []]));
    for (const companion of companions) {
        for (const bucket of bucketsOf(companion, buckets)) {
            byBucket.get(bucket)!.push(companion);
        }
    }
    return byBucket;
}

/** How a message names the bucket a companion configures: the bucket resource's name, else the input. */
function bucketNamed(companion: PolicyResource, buckets: readonly PolicyResource[]): string {
    return bucketsOf(companion, buckets)[0]?.name ?? knownString(companion, "bucket") ?? "(not known until deployed)";
}

const BLOCK_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const s3PublicAccessBlocked: StackValidationPolicy = {
    name: "s3-public-access-blocked",
    description:
        "Every bucket has an aws.s3.BucketPublicAccessBlock, and every public access block sets blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.",
    enforcementLevel: "mandatory",
    severity: "critical",
    validateStack: (args, report) => {
        const buckets = ofType(args.resources, TYPES.bucket);
        const blocks = ofType(args.resources, TYPES.publicAccessBlock);
        for (const block of blocks) {
            const off = BLOCK_FLAGS.filter((flag) => {
                const value = read(() => (block.props as Record<string, unknown>)[flag]);
                return value.known && value.value !== true;
            });
            if (off.length > 0) {
                report(fix(`The public access block of bucket ${bucketNamed(block, buckets)} leaves ${off.join(", ")} off.`, `set ${BLOCK_FLAGS.join(", ")} all to true.`), block.urn);
            }
        }
        for (const [bucket, own] of companionsByBucket(buckets, blocks)) {
            if (own.length === 0) {
                report(
                    fix(
                        `Bucket ${bucket.name} has no public access block: a later ACL or bucket policy can make it public.`,
                        `add an aws.s3.BucketPublicAccessBlock with bucket: <bucket>.id and ${BLOCK_FLAGS.join(", ")} all true.`,
                    ),
                    bucket.urn,
                );
            }
        }
    },
};

interface EncryptionDefault {
    sseAlgorithm?: string;
    kmsMasterKeyId?: string;
}
interface EncryptionRule {
    applyServerSideEncryptionByDefault?: EncryptionDefault;
}

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

/** Why default encryption by these rules is not SSE-KMS with a customer-managed key; undefined when it is. */
function encryptionProblem(rules: readonly EncryptionRule[]): string | undefined {
    const defaults = rules.map((rule) => rule.applyServerSideEncryptionByDefault).filter((d): d is EncryptionDefault => d !== undefined);
    if (defaults.length === 0) {
        return "no rule sets default encryption (applyServerSideEncryptionByDefault)";
    }
    for (const byDefault of defaults) {
        if (!KMS_ALGORITHMS.includes(known(byDefault.sseAlgorithm) ?? "")) {
            return `sseAlgorithm is ${byDefault.sseAlgorithm ?? "unset"}, not aws:kms or aws:kms:dsse`;
        }
        const keyProblem = customerKeyProblem(byDefault, "kmsMasterKeyId");
        if (keyProblem) {
            return `${keyProblem}, so S3 uses the AWS managed key aws/s3`;
        }
    }
    return undefined;
}

const ENCRYPTION_FIX =
    'add an aws.s3.BucketServerSideEncryptionConfiguration with rules: [{applyServerSideEncryptionByDefault: {sseAlgorithm: "aws:kms", kmsMasterKeyId: <key>.arn}, bucketKeyEnabled: true}].';

export const s3EncryptedWithCmk: StackValidationPolicy = {
    name: "s3-encrypted-with-cmk",
    description:
        "Every bucket encrypts new objects by default with SSE-KMS (aws:kms or aws:kms:dsse) under a customer-managed key, set by an aws.s3.BucketServerSideEncryptionConfiguration; every such configuration does so.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateStack: (args, report) => {
        const buckets = ofType(args.resources, TYPES.bucket);
        const configurations = ofType(args.resources, TYPES.encryption);
        for (const configuration of configurations) {
            const problem = read(() => encryptionProblem(asList((configuration.props as { rules?: EncryptionRule[] }).rules)));
            if (problem.known && problem.value) {
                report(fix(`The encryption configuration of bucket ${bucketNamed(configuration, buckets)} does not use a customer-managed KMS key: ${problem.value}.`, ENCRYPTION_FIX), configuration.urn);
            }
        }
        for (const [bucket, own] of companionsByBucket(buckets, configurations)) {
            if (own.length > 0) {
                continue;
            }
            // The deprecated inline setting still encrypts the bucket.
            const inline = read(() => {
                const rule = (bucket.props as { serverSideEncryptionConfiguration?: { rule?: EncryptionRule } }).serverSideEncryptionConfiguration?.rule;
                return rule === undefined ? "none" : encryptionProblem([rule]);
            });
            if (inline.known && inline.value === "none") {
                report(fix(`Bucket ${bucket.name} has no server-side encryption configuration, so S3 encrypts with its own keys (SSE-S3).`, ENCRYPTION_FIX), bucket.urn);
            } else if (inline.known && inline.value) {
                report(fix(`Bucket ${bucket.name}'s inline serverSideEncryptionConfiguration does not use a customer-managed KMS key: ${inline.value}.`, ENCRYPTION_FIX), bucket.urn);
            }
        }
    },
};

interface VersioningConfig {
    /** Marker tag on buckets that must be versioned. @default "data-kind" */
    tagKey?: string;
    /** Values of the marker tag that require versioning. @default ["backup", "state"] */
    tagValues?: string[];
}

export const s3VersioningForBackupsAndState: StackValidationPolicy = {
    name: "s3-versioning-for-backups-and-state",
    description:
        "Buckets tagged `data-kind: backup` or `data-kind: state` (tag key and values configurable: tagKey, tagValues) have versioning Enabled through an aws.s3.BucketVersioning, so an overwrite or delete can be undone.",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: {
        properties: {
            tagKey: { type: "string", default: "data-kind", description: "Tag that marks what a bucket holds." },
            tagValues: { type: "array", items: { type: "string" }, default: ["backup", "state"], description: "Values of that tag that require versioning." },
        },
    },
    validateStack: (args, report) => {
        const { tagKey = "data-kind", tagValues = ["backup", "state"] } = args.getConfig<VersioningConfig>();
        const requiring = new Set(tagValues.map((v) => v.toLowerCase()));
        /** What each marked bucket holds, by its tag. */
        const holds = new Map<PolicyResource, string>();
        for (const bucket of ofType(args.resources, TYPES.bucket)) {
            const tag = read(() => (bucket.props as { tags?: Record<string, unknown> }).tags?.[tagKey]);
            if (tag.known && typeof tag.value === "string" && requiring.has(tag.value.toLowerCase())) {
                holds.set(bucket, tag.value);
            }
        }
        const remedy = 'add an aws.s3.BucketVersioning with bucket: <bucket>.id and versioningConfiguration: {status: "Enabled"}.';
        for (const [bucket, own] of companionsByBucket([...holds.keys()], ofType(args.resources, TYPES.versioning))) {
            const what = `Bucket ${bucket.name} holds ${holds.get(bucket)} (tag ${tagKey})`;
            for (const versioning of own) {
                const status = read(() => (versioning.props as { versioningConfiguration?: { status?: string } }).versioningConfiguration?.status);
                if (status.known && status.value !== "Enabled") {
                    report(fix(`${what}, but its versioning status is ${status.value ?? "unset"}.`, 'set versioningConfiguration.status to "Enabled".'), versioning.urn);
                }
            }
            if (own.length === 0) {
                const inline = read(() => (bucket.props as { versioning?: { enabled?: boolean } }).versioning?.enabled);
                if (inline.known && inline.value !== true) {
                    report(fix(`${what}, but is not versioned: an overwrite or delete loses the data.`, remedy), bucket.urn);
                }
            }
        }
    },
};

/** Canned ACLs that open a bucket beyond its account. */
const PUBLIC_CANNED_ACLS = ["public-read", "public-read-write", "authenticated-read"];
/** Grantee groups meaning everyone, or every AWS account. */
const PUBLIC_GROUPS = ["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];

const ACL_FIX = 'remove the grant and keep the ACL private (acl: "private", or better no ACL with object ownership BucketOwnerEnforced); share through a bucket policy with named principals.';

/** What is public in an ACL: a canned ACL and grantee group URIs. */
function publicAclProblems(acl: unknown, granteeUris: readonly unknown[]): string[] {
    const problems: string[] = [];
    if (typeof acl === "string" && PUBLIC_CANNED_ACLS.includes(acl)) {
        problems.push(`acl is "${acl}"`);
    }
    for (const uri of granteeUris) {
        if (typeof uri === "string" && PUBLIC_GROUPS.includes(uri)) {
            problems.push(`a grant goes to ${uri}`);
        }
    }
    return problems;
}

interface BucketAclProps {
    acl?: string;
    accessControlPolicy?: { grants?: { grantee?: { uri?: string } }[] };
}
interface BucketInlineAclProps {
    acl?: string;
    grants?: { uri?: string }[];
}

/** A validation of the resources of these types (the current class and its deprecated V2 twin). */
function forTypes<T>(types: readonly string[], validate: (props: T, report: ReportViolation) => void): ResourceValidation {
    return (args, report) => (types.includes(args.type) ? validate(args.props as T, report) : args.notApplicable(`Policy only applies to resources of types ${types.join(", ")}`));
}

export const s3NoPublicAcl: ResourceValidationPolicy = {
    name: "s3-no-public-acl",
    description:
        "No bucket ACL (aws.s3.BucketAcl, or the bucket's deprecated acl/grants) is public-read, public-read-write or authenticated-read, or grants to the AllUsers or AuthenticatedUsers groups.",
    enforcementLevel: "mandatory",
    severity: "critical",
    validateResource: [
        forTypes<BucketAclProps>(TYPES.acl, (acl, report) => {
            const uris = (acl.accessControlPolicy?.grants ?? []).map((grant) => grant.grantee?.uri);
            for (const problem of publicAclProblems(acl.acl, uris)) {
                report(fix(`The bucket ACL is public: ${problem}.`, ACL_FIX));
            }
        }),
        forTypes<BucketInlineAclProps>(TYPES.bucket, (bucket, report) => {
            for (const problem of publicAclProblems(bucket.acl, (bucket.grants ?? []).map((grant) => grant.uri))) {
                report(fix(`The bucket is public: ${problem}.`, ACL_FIX));
            }
        }),
    ],
};

/** True when a principal is everyone: "*" or {AWS: "*"}. */
function isEveryone(principal: unknown): boolean {
    if (principal === "*") {
        return true;
    }
    return asList((principal as { AWS?: unknown } | undefined)?.AWS).includes("*");
}

/** A Deny of every S3 action, to everyone, when aws:SecureTransport is false. */
function deniesInsecureTransport(statement: Statement): boolean {
    if (statement.Effect !== "Deny" || !isEveryone(statement.Principal)) {
        return false;
    }
    if (!asList(statement.Action).some((action) => action === "*" || action.toLowerCase() === "s3:*")) {
        return false;
    }
    const bool = (statement.Condition?.Bool ?? {}) as Record<string, unknown>;
    const key = Object.keys(bool).find((k) => k.toLowerCase() === "aws:securetransport");
    const values = key === undefined ? [] : asList(bool[key]);
    return values.length === 1 && String(values[0]).toLowerCase() === "false";
}

/** True, false, or undefined when the document is not known until deployed. */
function documentDeniesInsecureTransport(resource: PolicyResource): boolean | undefined {
    const denies = read(() => statementsOf(known((resource.props as { policy?: unknown }).policy)).some(deniesInsecureTransport));
    return denies.known ? denies.value : undefined;
}

const TLS_FIX =
    'add to the bucket policy {Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [<bucket ARN>, "<bucket ARN>/*"], Condition: {Bool: {"aws:SecureTransport": "false"}}}.';

export const s3DenyInsecureTransport: StackValidationPolicy = {
    name: "s3-deny-insecure-transport",
    description:
        "Every bucket has a bucket policy (aws.s3.BucketPolicy) that denies every S3 action to everyone when aws:SecureTransport is false, so no request reaches it over plain HTTP; every bucket policy has that statement.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateStack: (args, report) => {
        const buckets = ofType(args.resources, TYPES.bucket);
        const policies = ofType(args.resources, TYPES.policy);
        for (const policy of policies) {
            if (documentDeniesInsecureTransport(policy) === false) {
                report(fix(`The policy of bucket ${bucketNamed(policy, buckets)} does not deny requests without TLS (no Deny on aws:SecureTransport = false to every principal).`, TLS_FIX), policy.urn);
            }
        }
        for (const [bucket, own] of companionsByBucket(buckets, policies)) {
            if (own.length > 0) {
                continue;
            }
            // The deprecated inline policy is still the bucket's policy.
            const inline = read(() => (bucket.props as { policy?: unknown }).policy);
            if (inline.known && inline.value === undefined) {
                report(fix(`Bucket ${bucket.name} has no bucket policy, so it accepts requests over plain HTTP.`, `add an aws.s3.BucketPolicy for it; ${TLS_FIX}`), bucket.urn);
            } else if (documentDeniesInsecureTransport(bucket) === false) {
                report(fix(`Bucket ${bucket.name}'s inline policy does not deny requests without TLS.`, TLS_FIX), bucket.urn);
            }
        }
    },
};

export const s3Policies = [s3PublicAccessBlocked, s3EncryptedWithCmk, s3VersioningForBackupsAndState, s3NoPublicAcl, s3DenyInsecureTransport];
