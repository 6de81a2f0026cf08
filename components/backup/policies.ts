/** IAM documents of the backup component, as plain data so each statement is unit-tested. */
import { AccountScope, PolicyDocument, policyDocument } from "../shared/aws";

/** The tag Velero's AWS plugin puts on every EBS snapshot it takes (the backup's name). */
export const VELERO_SNAPSHOT_TAG = "velero.io/backup";

function ec2Arn(scope: AccountScope, resource: string): string {
    return `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:${resource}`;
}

/**
 * Velero's server: its own bucket's objects and the key that encrypts them (through S3 only),
 * EBS snapshots of this region's volumes, deleting only snapshots Velero tagged, and the
 * volume key through EC2 only, so it can snapshot encrypted volumes and restore them.
 */
export function veleroPolicy(bucketArn: string, bucketKeyArn: string, volumeKeyArn: string, scope: AccountScope): PolicyDocument {
    const snapshots = ec2Arn(scope, "snapshot/*");
    const volumes = ec2Arn(scope, "volume/*");
    return policyDocument(
        { Sid: "ListTheBackupBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
        {
            Sid: "ReadAndWriteBackups",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
            Resource: `${bucketArn}/*`,
        },
        {
            Sid: "UseTheBucketKeyThroughS3",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: bucketKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${scope.region}.amazonaws.com` } },
        },
        // Describe calls take no resource-level permissions: IAM only accepts "*" for them.
        { Sid: "DescribeVolumesAndSnapshots", Effect: "Allow", Action: ["ec2:DescribeVolumes", "ec2:DescribeSnapshots"], Resource: "*" },
        { Sid: "SnapshotVolumes", Effect: "Allow", Action: "ec2:CreateSnapshot", Resource: [volumes, snapshots] },
        { Sid: "RestoreVolumesFromSnapshots", Effect: "Allow", Action: "ec2:CreateVolume", Resource: [volumes, snapshots] },
        {
            Sid: "TagWhatItCreates",
            Effect: "Allow",
            Action: "ec2:CreateTags",
            Resource: [volumes, snapshots],
            Condition: { StringEquals: { "ec2:CreateAction": ["CreateSnapshot", "CreateVolume"] } },
        },
        {
            Sid: "DeleteOnlyVeleroSnapshots",
            Effect: "Allow",
            Action: "ec2:DeleteSnapshot",
            Resource: snapshots,
            Condition: { Null: { [`aws:ResourceTag/${VELERO_SNAPSHOT_TAG}`]: "false" } },
        },
        {
            Sid: "UseTheVolumeKeyThroughEc2",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
            Resource: volumeKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `ec2.${scope.region}.amazonaws.com` } },
        },
        {
            Sid: "GrantTheVolumeKeyToEbs",
            Effect: "Allow",
            Action: "kms:CreateGrant",
            Resource: volumeKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `ec2.${scope.region}.amazonaws.com` }, Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
    );
}

export interface ReplicationEnds {
    bucketArn: string;
    keyArn: string;
    region: string;
}

/**
 * S3 replication from the backup bucket to its DR copy: read the source's versions, write
 * replicas (and delete markers) at the destination, decrypt with the source key and encrypt
 * with the destination key, each through S3 in its own region.
 */
export function bucketReplicationPolicy(source: ReplicationEnds, destination: ReplicationEnds): PolicyDocument {
    return policyDocument(
        { Sid: "ReadTheReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: source.bucketArn },
        {
            Sid: "ReadSourceVersions",
            Effect: "Allow",
            Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
            Resource: `${source.bucketArn}/*`,
        },
        { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: `${destination.bucketArn}/*` },
        {
            Sid: "DecryptSourceObjects",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: source.keyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${source.region}.amazonaws.com` } },
        },
        {
            Sid: "EncryptReplicas",
            Effect: "Allow",
            Action: ["kms:Encrypt", "kms:GenerateDataKey"],
            Resource: destination.keyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${destination.region}.amazonaws.com` } },
        },
    );
}
