/**
 * Helm values of the Velero chart: a pure function of plain settings, so tests read them
 * without Pulumi. Credentials come from IRSA, never from a Secret.
 */
import { RESTRICTED_CONTAINER, RESTRICTED_POD } from "../cluster/tenancy";
import { IMAGES } from "./versions";

export interface VeleroValueSettings {
    bucketName: string;
    bucketKeyArn: string;
    region: string;
    roleArn: string;
    serviceAccountName: string;
    /** The key restored EBS volumes are encrypted with (the cluster's volume key). */
    volumeKeyArn: string;
    priorityClassName: string;
    releaseLabel: string;
}

/** Velero's image runs as a named user, which `runAsNonRoot` cannot verify: give it a number. */
const VELERO_USER = 65532;

export function veleroValues(s: VeleroValueSettings): Record<string, unknown> {
    const container = { ...RESTRICTED_CONTAINER, runAsUser: VELERO_USER, runAsGroup: VELERO_USER };
    return {
        image: { repository: IMAGES.velero.repository, tag: IMAGES.velero.tag },
        // The plugin's image only copies its binary into the shared plugins volume.
        initContainers: [
            {
                name: "velero-plugin-for-aws",
                image: IMAGES.awsPlugin,
                imagePullPolicy: "IfNotPresent",
                volumeMounts: [{ mountPath: "/target", name: "plugins" }],
                securityContext: container,
                resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
            },
        ],
        // The fsGroup lets the non-root server read the projected IRSA token.
        podSecurityContext: { ...RESTRICTED_POD, runAsUser: VELERO_USER, runAsGroup: VELERO_USER, fsGroup: VELERO_USER },
        containerSecurityContext: container,
        resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
        upgradeJobResources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
        priorityClassName: s.priorityClassName,
        // With a credentials file the plugin drops the IRSA variables and ignores the role.
        credentials: { useSecret: false },
        serviceAccount: { server: { create: true, name: s.serviceAccountName, annotations: { "eks.amazonaws.com/role-arn": s.roleArn } } },
        backupsEnabled: true,
        snapshotsEnabled: true,
        // EBS snapshots only: the file-system backup agent needs host access the platform does not grant.
        deployNodeAgent: false,
        configuration: {
            backupStorageLocation: [{ name: "default", provider: "aws", bucket: s.bucketName, default: true, config: { region: s.region, kmsKeyId: s.bucketKeyArn } }],
            volumeSnapshotLocation: [{ name: "default", provider: "aws", config: { region: s.region, ebsKmsKeyId: s.volumeKeyArn } }],
            defaultVolumesToFsBackup: false,
        },
        // Schedules are the component's own Schedule objects, where their TTLs can be read and checked.
        schedules: {},
        upgradeCRDs: true,
        cleanUpCRDs: false,
        metrics: {
            enabled: true,
            // Rendered whatever the chart detects at template time: the CRD exists before this release.
            serviceMonitor: { enabled: true, autodetect: false, additionalLabels: { release: s.releaseLabel } },
            prometheusRule: { enabled: false },
        },
    };
}
