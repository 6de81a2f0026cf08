import assert from "node:assert/strict";
import { FixtureResource, PolicyViolation, fixtureStack, policySession, violationsOf } from "../policyHarness";

const BUCKET = "aws:s3/bucket:Bucket";
const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const ACL = "aws:s3/bucketAcl:BucketAcl";

const NAME = "platform-prod-state";
const ARN = `arn:aws:s3:::${NAME}`;
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/6f1d2c3b-8a4e-4b7f-9c2d-1e0f3a5b7c9d";

type Inputs = Record<string, unknown>;

const DENY_INSECURE_TRANSPORT = {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [ARN, `${ARN}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const READ_BY_ROLE = {
    Sid: "BackupRoleReads",
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::123456789012:role/platform-prod-backup" },
    Action: ["s3:GetObject", "s3:ListBucket"],
    Resource: [ARN, `${ARN}/*`],
};

function bucketPolicy(...statements: unknown[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** The parts of a bucket set up the way the platform wants: change one, or drop it with null. */
interface BucketChanges {
    bucket?: Inputs;
    publicAccessBlock?: Inputs | null;
    encryption?: Inputs | null;
    versioning?: Inputs | null;
    policy?: Inputs | null;
}

/** A bucket holding Pulumi state and its companions, each naming it by its `bucket` input. */
function stateBucket(changes: BucketChanges = {}): FixtureResource[] {
    const parts: [string, string, Inputs, Inputs | null | undefined][] = [
        [PUBLIC_ACCESS_BLOCK, "state-public-access", { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, changes.publicAccessBlock],
        [ENCRYPTION, "state-encryption", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true }] }, changes.encryption],
        [VERSIONING, "state-versioning", { versioningConfiguration: { status: "Enabled" } }, changes.versioning],
        [BUCKET_POLICY, "state-policy", { policy: bucketPolicy(DENY_INSECURE_TRANSPORT, READ_BY_ROLE) }, changes.policy],
    ];
    const bucket: FixtureResource = {
        type: BUCKET,
        name: "state",
        inputs: { bucket: NAME, forceDestroy: false, tags: { Name: "state", "data-kind": "state", environment: "prod" }, ...changes.bucket },
    };
    const companions = parts
        .filter(([, , , change]) => change !== null)
        .map(([type, name, inputs, change]): FixtureResource => ({ type, name, inputs: { bucket: NAME, ...inputs, ...change } }));
    return [bucket, ...companions];
}

/** The part of a fixture stack with this logical name. */
function part(resources: FixtureResource[], name: string): FixtureResource {
    return resources.find((r) => r.name === name)!;
}

function assertOne(violations: PolicyViolation[], culprit: FixtureResource, problem: RegExp): void {
    assert.equal(violations.length, 1, JSON.stringify(violations, null, 2));
    assert.match(violations[0].message, problem);
    assert.match(violations[0].message, /Fix: \S/);
    assert.ok(violations[0].urn.endsWith(`::${culprit.type}::${culprit.name}`), violations[0].urn);
}

/** Asserts the case raises exactly one violation of the policy, on the resource, naming the problem and a fix. */
async function assertOneViolation(policy: string, caseId: string, resources: FixtureResource[], culprit: FixtureResource, problem: RegExp): Promise<void> {
    assertOne(await violationsOf(policy, caseId, resources), culprit, problem);
}

/**
 * The case analyzed with property dependencies, as the engine records them for `bucket: b.id`
 * (fixtureStack fills only resource-level dependencies): index → input → indexes depended on.
 */
async function violationsWithPropertyDependencies(policy: string, caseId: string, resources: FixtureResource[], dependencies: Record<number, Record<string, number[]>>): Promise<PolicyViolation[]> {
    const stack = fixtureStack(caseId, resources);
    const withDependencies = stack.map((r, i) => ({
        ...r,
        propertyDependencies: Object.fromEntries(Object.entries(dependencies[i] ?? {}).map(([input, on]) => [input, on.map((d) => stack[d].urn)])),
    }));
    const all = await (await policySession("prod")).analyze(withDependencies);
    return all.filter((v) => v.policy === policy);
}

const RULES = {
    "s3-public-access-blocked": "critical",
    "s3-encrypted-with-cmk": "high",
    "s3-versioning-for-backups-and-state": "medium",
    "s3-no-public-acl": "critical",
    "s3-deny-insecure-transport": "high",
} as const;

describe("policies: S3", function () {
    it("has every rule in the pack with its severity", async function () {
        const pack = (await policySession("prod")).policies;
        for (const [name, severity] of Object.entries(RULES)) {
            assert.equal(pack.find((p) => p.name === name)?.severity, severity, name);
        }
    });

    for (const policy of Object.keys(RULES)) {
        it(`${policy}: passes the compliant state bucket`, async function () {
            assert.deepEqual(await violationsOf(policy, `s3-compliant-${policy}`, stateBucket()), []);
        });
    }

    describe("pairing a bucket with its companions", function () {
        // An auto-named bucket: no `bucket` input; the block names it by the id the engine resolved.
        const autoNamed = (): FixtureResource[] => {
            const [bucket, block] = stateBucket({ encryption: null, versioning: null, policy: null });
            return [{ ...bucket, inputs: { ...bucket.inputs, bucket: undefined } }, { ...block, inputs: { ...block.inputs, bucket: "state-4f2a9c1" } }];
        };

        it("pairs by the property dependency of the companion's bucket input", async function () {
            assert.deepEqual(await violationsWithPropertyDependencies("s3-public-access-blocked", "s3-pair-dependency", autoNamed(), { 1: { bucket: [0] } }), []);
        });

        // Recorded offline as "[unknown]"; in a CLI preview the wire's unknown, which the SDK throws on when read.
        for (const unknown of ["[unknown]", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"]) {
            it(`pairs by dependency when the bucket input is not known until deployed (${unknown})`, async function () {
                const [bucket, block] = autoNamed();
                const pending = { ...block, inputs: { ...block.inputs, bucket: unknown } };
                assert.deepEqual(await violationsWithPropertyDependencies("s3-public-access-blocked", `s3-pair-unknown-${unknown.length}`, [bucket, pending], { 1: { bucket: [0] } }), []);
            });
        }

        it("does not pair two buckets by a name neither knows yet", async function () {
            const [bucket, block] = autoNamed();
            const pendingBucket = { ...bucket, inputs: { ...bucket.inputs, bucket: "[unknown]" } };
            const pendingBlock = { ...block, inputs: { ...block.inputs, bucket: "[unknown]" } };
            assertOne(await violationsWithPropertyDependencies("s3-public-access-blocked", "s3-pair-both-unknown", [pendingBucket, pendingBlock], {}), pendingBucket, /Bucket state has no public access block/);
        });

        it("does not pair without a dependency or an equal name", async function () {
            const resources = autoNamed();
            assertOne(await violationsWithPropertyDependencies("s3-public-access-blocked", "s3-pair-none", resources, {}), resources[0], /Bucket state has no public access block/);
        });

        it("does not pair a companion naming another bucket", async function () {
            const resources = stateBucket({ publicAccessBlock: { bucket: "some-other-bucket" } });
            await assertOneViolation("s3-public-access-blocked", "s3-pair-other-name", resources, resources[0], /Bucket state has no public access block/);
        });
    });

    describe("s3-public-access-blocked", function () {
        const policy = "s3-public-access-blocked";

        it("flags a bucket without a public access block", async function () {
            const resources = stateBucket({ publicAccessBlock: null });
            await assertOneViolation(policy, "s3-pab-missing", resources, resources[0], /Bucket state has no public access block/);
        });

        for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
            it(`flags a public access block with ${flag} false`, async function () {
                const resources = stateBucket({ publicAccessBlock: { [flag]: false } });
                await assertOneViolation(policy, `s3-pab-${flag}`, resources, part(resources, "state-public-access"), new RegExp(`public access block of bucket state leaves ${flag} off`));
            });
        }

        it("flags a deprecated BucketV2 without a public access block", async function () {
            const legacy: FixtureResource = { type: "aws:s3/bucketV2:BucketV2", name: "legacy", inputs: { bucket: "platform-prod-legacy" } };
            await assertOneViolation(policy, "s3-pab-bucket-v2", [legacy], legacy, /Bucket legacy has no public access block/);
        });
    });

    describe("s3-encrypted-with-cmk", function () {
        const policy = "s3-encrypted-with-cmk";
        const byDefault = (applyServerSideEncryptionByDefault: Inputs): Inputs => ({ rules: [{ applyServerSideEncryptionByDefault }] });

        it("flags a bucket without an encryption configuration", async function () {
            const resources = stateBucket({ encryption: null });
            await assertOneViolation(policy, "s3-sse-missing", resources, resources[0], /Bucket state has no server-side encryption configuration/);
        });

        it("flags SSE-S3 (AES256)", async function () {
            const resources = stateBucket({ encryption: byDefault({ sseAlgorithm: "AES256" }) });
            await assertOneViolation(policy, "s3-sse-aes256", resources, part(resources, "state-encryption"), /sseAlgorithm is AES256, not aws:kms/);
        });

        it("flags SSE-KMS without a key (the aws/s3 managed key)", async function () {
            const resources = stateBucket({ encryption: byDefault({ sseAlgorithm: "aws:kms" }) });
            await assertOneViolation(policy, "s3-sse-no-key", resources, part(resources, "state-encryption"), /kmsMasterKeyId is not set, so S3 uses the AWS managed key aws\/s3/);
        });

        it("flags SSE-KMS under the alias/aws/s3 key", async function () {
            const resources = stateBucket({ encryption: byDefault({ sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" }) });
            await assertOneViolation(policy, "s3-sse-aws-alias", resources, part(resources, "state-encryption"), /kmsMasterKeyId names the AWS managed key alias\/aws\/s3/);
        });

        it("flags a configuration with no default-encryption rule", async function () {
            const resources = stateBucket({ encryption: { rules: [{ bucketKeyEnabled: true }] } });
            await assertOneViolation(policy, "s3-sse-no-default", resources, part(resources, "state-encryption"), /no rule sets default encryption/);
        });

        it("passes dual-layer SSE-KMS (aws:kms:dsse) with a customer-managed key", async function () {
            assert.deepEqual(await violationsOf(policy, "s3-sse-dsse", stateBucket({ encryption: byDefault({ sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: KEY_ARN }) })), []);
        });

        it("passes the deprecated inline configuration with a customer-managed key, and flags it with AES256", async function () {
            const inline = (sseAlgorithm: string, kmsMasterKeyId?: string) =>
                stateBucket({ encryption: null, bucket: { serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm, kmsMasterKeyId } } } } });
            assert.deepEqual(await violationsOf(policy, "s3-sse-inline-ok", inline("aws:kms", KEY_ARN)), []);
            const resources = inline("AES256");
            await assertOneViolation(policy, "s3-sse-inline-aes", resources, resources[0], /inline serverSideEncryptionConfiguration .*sseAlgorithm is AES256/);
        });
    });

    describe("s3-versioning-for-backups-and-state (marker: tag data-kind = backup | state)", function () {
        const policy = "s3-versioning-for-backups-and-state";

        it("flags a state bucket without versioning", async function () {
            const resources = stateBucket({ versioning: null });
            await assertOneViolation(policy, "s3-versioning-missing", resources, resources[0], /Bucket state holds state \(tag data-kind\), but is not versioned/);
        });

        it("flags a backup bucket whose versioning is suspended", async function () {
            const resources = stateBucket({ bucket: { tags: { "data-kind": "backup" } }, versioning: { versioningConfiguration: { status: "Suspended" } } });
            await assertOneViolation(policy, "s3-versioning-suspended", resources, part(resources, "state-versioning"), /holds backup .*versioning status is Suspended/);
        });

        it("leaves buckets without the marker alone", async function () {
            assert.deepEqual(await violationsOf(policy, "s3-versioning-unmarked", stateBucket({ bucket: { tags: { "data-kind": "assets" } }, versioning: null })), []);
        });

        it("passes the deprecated inline versioning when enabled", async function () {
            assert.deepEqual(await violationsOf(policy, "s3-versioning-inline", stateBucket({ versioning: null, bucket: { versioning: { enabled: true } } })), []);
        });
    });

    describe("s3-no-public-acl", function () {
        const policy = "s3-no-public-acl";
        const acl = (inputs: Inputs, type = ACL): FixtureResource => ({ type, name: "state-acl", inputs: { bucket: NAME, ...inputs } });

        it("passes a private ACL", async function () {
            assert.deepEqual(await violationsOf(policy, "s3-acl-private", [...stateBucket(), acl({ acl: "private" })]), []);
        });

        for (const canned of ["public-read", "public-read-write", "authenticated-read"]) {
            it(`flags a BucketAcl of ${canned}`, async function () {
                const grant = acl({ acl: canned });
                await assertOneViolation(policy, `s3-acl-${canned}`, [...stateBucket(), grant], grant, new RegExp(`bucket ACL is public: acl is "${canned}"`));
            });
        }

        it("flags a grant to the AllUsers group", async function () {
            const grant = acl({
                accessControlPolicy: {
                    owner: { id: "0123456789abcdef" },
                    grants: [{ grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" }, permission: "READ" }],
                },
            });
            await assertOneViolation(policy, "s3-acl-all-users", [...stateBucket(), grant], grant, /a grant goes to http:\/\/acs\.amazonaws\.com\/groups\/global\/AllUsers/);
        });

        it("flags the bucket's deprecated inline public-read acl", async function () {
            const resources = stateBucket({ bucket: { acl: "public-read" } });
            await assertOneViolation(policy, "s3-acl-inline", resources, resources[0], /The bucket is public: acl is "public-read"/);
        });

        it("flags a deprecated BucketAclV2", async function () {
            const grant = acl({ acl: "public-read" }, "aws:s3/bucketAclV2:BucketAclV2");
            await assertOneViolation(policy, "s3-acl-v2", [grant], grant, /acl is "public-read"/);
        });
    });

    describe("s3-deny-insecure-transport", function () {
        const policy = "s3-deny-insecure-transport";
        const withDeny = (change: Inputs) => stateBucket({ policy: { policy: bucketPolicy({ ...DENY_INSECURE_TRANSPORT, ...change }, READ_BY_ROLE) } });

        it("flags a bucket without a bucket policy", async function () {
            const resources = stateBucket({ policy: null });
            await assertOneViolation(policy, "s3-tls-no-policy", resources, resources[0], /Bucket state has no bucket policy/);
        });

        it("flags a bucket policy without the deny statement", async function () {
            const resources = stateBucket({ policy: { policy: bucketPolicy(READ_BY_ROLE) } });
            await assertOneViolation(policy, "s3-tls-no-deny", resources, part(resources, "state-policy"), /policy of bucket state does not deny requests without TLS/);
        });

        for (const [what, change] of [
            ["denies only when TLS is used", { Condition: { Bool: { "aws:SecureTransport": "true" } } }],
            ["denies only one principal", { Principal: { AWS: "arn:aws:iam::123456789012:role/app" } }],
            ["denies only some actions", { Action: ["s3:GetObject"] }],
            ["allows instead of denying", { Effect: "Allow" }],
        ] as const) {
            it(`flags a statement that ${what}`, async function () {
                const resources = withDeny(change);
                await assertOneViolation(policy, `s3-tls-${what.replace(/ /g, "-")}`, resources, part(resources, "state-policy"), /does not deny requests without TLS/);
            });
        }

        it("passes a document given as an object with a boolean condition value", async function () {
            const document = { Version: "2012-10-17", Statement: [{ ...DENY_INSECURE_TRANSPORT, Principal: { AWS: "*" }, Condition: { Bool: { "aws:SecureTransport": false } } }] };
            assert.deepEqual(await violationsOf(policy, "s3-tls-object", stateBucket({ policy: { policy: document } })), []);
        });

        for (const unknown of ["[unknown]", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"]) {
            it(`does not judge a policy document not known until deployed (${unknown})`, async function () {
                assert.deepEqual(await violationsOf(policy, `s3-tls-unknown-${unknown.length}`, stateBucket({ policy: { policy: unknown } })), []);
            });
        }

        it("passes the deprecated inline bucket policy with the deny statement", async function () {
            assert.deepEqual(await violationsOf(policy, "s3-tls-inline", stateBucket({ policy: null, bucket: { policy: bucketPolicy(DENY_INSECURE_TRANSPORT) } })), []);
        });
    });
});
