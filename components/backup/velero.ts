/**
 * Velero: the cluster's objects and the application's volumes, backed up on schedules to a
 * private bucket (replicated to the DR region when asked), by a server whose IRSA role reaches
 * that bucket and EBS snapshots and nothing else.
 */
import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceAccountRole } from "../cluster/serviceAccountRole";
import { PLATFORM_CRITICAL_PRIORITY_CLASS, PLATFORM_LABELS, PodSecurityLevel, addonNetworkPolicies, podSecurityLabels } from "../cluster/tenancy";
import { AccountScope, accountAdministersKey, policyDocument, serviceTrustPolicy } from "../shared/aws";
import { PrivateBucket, privateBucket } from "../shared/bucket";
import { Context, key } from "../shared/context";
import { helmRelease } from "../shared/helm";
import { BackupClusterArgs, VeleroScope } from "./args";
import { bucketReplicationPolicy, veleroPolicy } from "./policies";
import { kubernetesCron } from "./schedules";
import { BackupSettings, VeleroScheduleSettings } from "./settings";
import { veleroValues } from "./values";
import { VELERO_CHART } from "./versions";

/** Names the chart and the drill rely on. */
export const VELERO_NAMES = { release: "velero", serviceAccount: "velero", storageLocation: "default" } as const;

export interface VeleroInstall {
    bucket: aws.s3.Bucket;
    /** The bucket's copy in the DR region, when replicated. */
    drBucket?: aws.s3.Bucket;
    namespace: kubernetes.core.v1.Namespace;
    release: kubernetes.helm.v3.Release;
}

interface VeleroInputs {
    settings: BackupSettings;
    cluster: BackupClusterArgs;
    scope: pulumi.Output<AccountScope>;
    drScope: pulumi.Output<AccountScope>;
    releaseLabel: pulumi.Input<string>;
    /** Where Prometheus runs: it alone may reach Velero's metrics port. */
    monitoringNamespace: pulumi.Input<string>;
    /** What the in-cluster objects wait for (the cluster's add-ons, the monitoring CRDs). */
    dependsOn: pulumi.CustomResourceOptions["dependsOn"];
}

function backupBucket(bucketName: string, noncurrentVersionDays: number, ctx: Context): { store: PrivateBucket; key: aws.kms.Key } {
    const bucketKey = key(bucketName, `Encrypts the backups in ${bucketName}`, (s) => policyDocument(accountAdministersKey(s)), ctx);
    // Velero deletes backups when their TTL ends, so objects never expire here; a deleted one stays recoverable for a while.
    const store = privateBucket(bucketName, { dataKind: "backup", kmsKeyArn: bucketKey.arn, noncurrentVersionDays }, ctx);
    return { store, key: bucketKey };
}

/** S3 copies every backup object, and Velero's deletions, to the DR bucket, re-encrypted with the DR key. */
function replicate(name: string, source: { store: PrivateBucket; key: aws.kms.Key }, destination: { store: PrivateBucket; key: aws.kms.Key }, inputs: VeleroInputs, ctx: Context): void {
    const role = new aws.iam.Role(
        `${name}-velero-replication`,
        {
            description: `S3 replicates ${name}'s Velero backups to the DR region`,
            assumeRolePolicy: ctx.scope.apply((s) => JSON.stringify(serviceTrustPolicy("s3.amazonaws.com", s))),
            tags: ctx.tags({ Name: `${name}-velero-replication` }),
        },
        { parent: ctx.parent },
    );
    new aws.iam.RolePolicy(
        `${name}-velero-replication`,
        {
            role: role.id,
            policy: pulumi
                .all([source.store.bucket.arn, source.key.arn, destination.store.bucket.arn, destination.key.arn, inputs.scope, inputs.drScope])
                .apply(([sourceBucket, sourceKey, destinationBucket, destinationKey, s, dr]) =>
                    JSON.stringify(
                        bucketReplicationPolicy(
                            { bucketArn: sourceBucket, keyArn: sourceKey, region: s.region },
                            { bucketArn: destinationBucket, keyArn: destinationKey, region: dr.region },
                        ),
                    ),
                ),
        },
        { parent: ctx.parent },
    );
    new aws.s3.BucketReplicationConfig(
        `${name}-velero`,
        {
            bucket: source.store.bucket.id,
            role: role.arn,
            rules: [
                {
                    id: "to-dr-region",
                    status: "Enabled",
                    filter: {},
                    deleteMarkerReplication: { status: "Enabled" },
                    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                    destination: { bucket: destination.store.bucket.arn, storageClass: "STANDARD", encryptionConfiguration: { replicaKmsKeyId: destination.key.arn } },
                },
            ],
        },
        // S3 refuses a replication configuration until both buckets are versioned.
        { parent: ctx.parent, dependsOn: [source.store.versioning, destination.store.versioning] },
    );
}

/** Velero's metrics port (the chart's `http-monitoring`). */
const METRICS_PORT = 8085;

/** Beyond DNS and HTTPS out (S3, EC2, STS, the API server): Prometheus in on the metrics port. */
function networkPolicies(name: string, ns: string, monitoringNamespace: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): void {
    addonNetworkPolicies(name, ns, {
        "allow-prometheus": {
            podSelector: { matchLabels: { "app.kubernetes.io/name": "velero" } },
            policyTypes: ["Ingress"],
            ingress: [
                {
                    from: [{ namespaceSelector: { matchLabels: pulumi.output(monitoringNamespace).apply((m) => ({ "kubernetes.io/metadata.name": m })) } }],
                    ports: [{ protocol: "TCP", port: METRICS_PORT }],
                },
            ],
        },
    }, opts);
}

/** A Schedule with its TTL spelled out: Velero's default TTL (30 days) would apply silently otherwise. */
function scheduleSpec(schedule: VeleroScheduleSettings, applicationNamespaces: string[]): Record<string, unknown> {
    const applications = schedule.scope === VeleroScope.ApplicationNamespaces;
    return {
        schedule: kubernetesCron(schedule.frequency, schedule.startHourUtc),
        useOwnerReferencesInBackup: false,
        template: {
            ttl: `${schedule.ttlDays * 24}h0m0s`,
            storageLocation: VELERO_NAMES.storageLocation,
            includedNamespaces: applications ? applicationNamespaces : ["*"],
            // The whole-cluster backup keeps objects; the application schedules snapshot the volumes
            // (the monitoring stack's volumes hold data that is either in S3 already or disposable).
            includeClusterResources: applications ? undefined : true,
            snapshotVolumes: applications,
            excludedResources: ["events", "events.events.k8s.io"],
        },
    };
}

export function velero(name: string, inputs: VeleroInputs, ctx: Context, drCtx: Context): VeleroInstall {
    const { settings, cluster } = inputs;
    const ns = settings.velero.namespace;
    const primary = backupBucket(`${name}-velero`, settings.velero.noncurrentVersionDays, ctx);
    let dr: { store: PrivateBucket; key: aws.kms.Key } | undefined;
    if (settings.velero.replicateToDr) {
        dr = backupBucket(`${name}-velero-dr`, settings.velero.noncurrentVersionDays, drCtx);
        replicate(name, primary, dr, inputs, ctx);
    }

    const role = new ServiceAccountRole(
        `${name}-velero`,
        {
            oidcProviderArn: cluster.oidcProviderArn,
            oidcProviderUrl: cluster.oidcProviderUrl,
            namespace: ns,
            serviceAccountName: VELERO_NAMES.serviceAccount,
            policyJson: pulumi
                .all([primary.store.bucket.arn, primary.key.arn, cluster.volumeKmsKeyArn, inputs.scope])
                .apply(([bucketArn, bucketKeyArn, volumeKeyArn, s]) => JSON.stringify(veleroPolicy(bucketArn, bucketKeyArn, volumeKeyArn, s))),
            tags: ctx.tags({}),
        },
        { parent: ctx.parent },
    );

    const namespace = new kubernetes.core.v1.Namespace(
        `${name}-${ns}`,
        { metadata: { name: ns, labels: { ...PLATFORM_LABELS, ...podSecurityLabels(PodSecurityLevel.Restricted, cluster.kubernetesVersion) } } },
        { parent: ctx.parent, dependsOn: inputs.dependsOn },
    );
    networkPolicies(name, ns, inputs.monitoringNamespace, { parent: ctx.parent, dependsOn: [namespace] });
    const release = helmRelease(`${name}-velero`, VELERO_CHART, {
        namespace: ns,
        releaseName: VELERO_NAMES.release,
        values: pulumi
            .all([primary.store.bucket.bucket, primary.key.arn, inputs.scope, role.roleArn, cluster.volumeKmsKeyArn, inputs.releaseLabel])
            .apply(([bucketName, bucketKeyArn, s, roleArn, volumeKeyArn, releaseLabel]) =>
                veleroValues({
                    bucketName,
                    bucketKeyArn,
                    region: s.region,
                    roleArn,
                    serviceAccountName: VELERO_NAMES.serviceAccount,
                    volumeKeyArn,
                    priorityClassName: PLATFORM_CRITICAL_PRIORITY_CLASS,
                    releaseLabel,
                }),
            ),
    }, { parent: ctx.parent, dependsOn: [namespace] });

    for (const schedule of settings.velero.schedules) {
        new kubernetes.apiextensions.CustomResource(
            `${name}-velero-${schedule.name}`,
            {
                apiVersion: "velero.io/v1",
                kind: "Schedule",
                metadata: { name: schedule.name, namespace: ns, labels: PLATFORM_LABELS },
                spec: scheduleSpec(schedule, settings.applicationNamespaces),
            },
            // The chart installs the Schedule CRD.
            { parent: ctx.parent, dependsOn: [release] },
        );
    }
    return { bucket: primary.store.bucket, drBucket: dr?.store.bucket, namespace, release };
}
