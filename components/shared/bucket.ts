/**
 * A private S3 bucket the way every component wants one: owner-enforced, no public access,
 * SSE-KMS with a customer-managed key, versioned, TLS only, and expiring what it holds.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Context, childOptions } from "./context";

export interface PrivateBucketSettings {
    /** What the bucket holds, as its `data-kind` tag (the policy pack versions "backup" and "state"). */
    dataKind: string;
    /** Key that encrypts every object by default. */
    kmsKeyArn: pulumi.Input<string>;
    /** Days after which current objects expire; omit to keep them. */
    expirationDays?: number;
    /** Days a replaced or deleted version is kept before S3 removes it. */
    noncurrentVersionDays: number;
}

export interface PrivateBucket {
    bucket: aws.s3.Bucket;
    /** Replication needs versioning on first; order against this. */
    versioning: aws.s3.BucketVersioning;
}

export function privateBucket(name: string, settings: PrivateBucketSettings, ctx: Context): PrivateBucket {
    // Autonamed: bucket names are global, so a fixed one could already belong to another account.
    const bucket = new aws.s3.Bucket(name, { forceDestroy: false, tags: ctx.tags({ Name: name, "data-kind": settings.dataKind }) }, ctx.keep);
    const child = childOptions(ctx);
    // ACLs off: the bucket's policy and IAM alone decide access.
    const ownership = new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
    new aws.s3.BucketPublicAccessBlock(
        name,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        child,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        name,
        {
            bucket: bucket.id,
            // The bucket key cuts KMS requests (and their cost) by reusing a data key per bucket.
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: settings.kmsKeyArn }, bucketKeyEnabled: true }],
        },
        child,
    );
    const versioning = new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
    new aws.s3.BucketLifecycleConfiguration(
        name,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire",
                    status: "Enabled",
                    filter: {},
                    expiration: settings.expirationDays === undefined ? { expiredObjectDeleteMarker: true } : { days: settings.expirationDays },
                    noncurrentVersionExpiration: { noncurrentDays: settings.noncurrentVersionDays },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
            ],
        },
        // S3 rejects a lifecycle rule on noncurrent versions until versioning is on.
        { ...child, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
        name,
        {
            bucket: bucket.id,
            policy: bucket.arn.apply((arn) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [arn, `${arn}/*`],
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ],
                }),
            ),
        },
        // A policy put before ownership controls settle can race them; order the two.
        { ...child, dependsOn: [ownership] },
    );
    return { bucket, versioning };
}
