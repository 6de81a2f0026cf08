/**
 * The restore drill: a CronJob that restores the application namespace's latest Velero backup
 * into a scratch namespace with its workloads scaled to zero, checks the restore, and deletes
 * it. Its script (drill/restore-drill.mjs) needs nothing but Node.js and the Kubernetes API;
 * the Observability component alerts when a drill fails or stops succeeding.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PLATFORM_LABELS, RESTRICTED_CONTAINER, RESTRICTED_POD } from "../cluster/tenancy";
import { kubernetesCron } from "./schedules";
import { BackupSettings } from "./settings";
import { IMAGES } from "./versions";
import { NODE_RUNTIME } from "../shared/images";

export const DRILL_SCRIPT = join(__dirname, "drill", "restore-drill.mjs");
export const DRILL_NAMES = { cronJob: "restore-drill", modifiers: "restore-drill-modifiers", script: "restore-drill-script" } as const;

/** Longest the drill waits for each of its three steps (a leftover's deletion, the restore, the cleanup). */
const RESTORE_TIMEOUT_SECONDS = 3600;
/** A Job killed mid-cleanup would leave the scratch namespace behind: its deadline outlasts all three waits. */
const JOB_DEADLINE_SECONDS = 3 * RESTORE_TIMEOUT_SECONDS + 900;
/** A failed drill's Job stays a week, long enough for its alert to be seen, then goes. */
const FINISHED_JOB_SECONDS = 7 * 24 * 3600;

/** Workloads the restore leaves at zero replicas, so a drill never runs a second copy of the application. */
const SCALED_TO_ZERO = ["deployments.apps", "statefulsets.apps", "replicasets.apps", "rollouts.argoproj.io"];

/** Velero's resource modifiers (YAML, here written as JSON, which YAML reads). */
export function drillModifiers(sourceNamespace: string): string {
    return JSON.stringify({
        version: "v1",
        resourceModifierRules: [
            ...SCALED_TO_ZERO.map((groupResource) => ({
                conditions: { groupResource, namespaces: [sourceNamespace] },
                // "add" sets the member whether or not the backup had it; the value is JSON, so 0 is a number.
                patches: [{ operation: "add", path: "/spec/replicas", value: "0" }],
            })),
            { conditions: { groupResource: "cronjobs.batch", namespaces: [sourceNamespace] }, patches: [{ operation: "add", path: "/spec/suspend", value: "true" }] },
        ],
    });
}

export interface DrillInputs {
    settings: BackupSettings;
    /** The Velero schedule whose latest backup the drill restores. */
    scheduleName: string;
    maxBackupAgeHours: number;
}

export function restoreDrill(name: string, inputs: DrillInputs, opts: pulumi.CustomResourceOptions): kubernetes.batch.v1.CronJob {
    const { velero } = inputs.settings;
    const drill = velero.restoreDrill;
    const ns = velero.namespace;
    const metadata = (objectName: string) => ({ name: objectName, namespace: ns, labels: { ...PLATFORM_LABELS, "app.kubernetes.io/name": DRILL_NAMES.cronJob } });

    const script = new kubernetes.core.v1.ConfigMap(`${name}-restore-drill-script`, {
        metadata: metadata(DRILL_NAMES.script),
        data: { "restore-drill.mjs": readFileSync(DRILL_SCRIPT, "utf8") },
    }, opts);
    // Velero reads modifiers from a ConfigMap with exactly one key, in its own namespace.
    const modifiers = new kubernetes.core.v1.ConfigMap(`${name}-restore-drill-modifiers`, {
        metadata: metadata(DRILL_NAMES.modifiers),
        data: { "modifiers.yaml": drillModifiers(drill.sourceNamespace) },
    }, opts);

    const serviceAccount = new kubernetes.core.v1.ServiceAccount(`${name}-restore-drill`, { metadata: metadata(DRILL_NAMES.cronJob) }, opts);
    const subject = [{ kind: "ServiceAccount", name: DRILL_NAMES.cronJob, namespace: ns }];
    // Velero's objects: read the backups, make and remove its own restores.
    const role = new kubernetes.rbac.v1.Role(`${name}-restore-drill`, {
        metadata: metadata(DRILL_NAMES.cronJob),
        rules: [
            { apiGroups: ["velero.io"], resources: ["backups"], verbs: ["list"] },
            { apiGroups: ["velero.io"], resources: ["restores"], verbs: ["create", "get", "delete"] },
        ],
    }, opts);
    const roleBinding = new kubernetes.rbac.v1.RoleBinding(`${name}-restore-drill`, {
        metadata: metadata(DRILL_NAMES.cronJob),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: DRILL_NAMES.cronJob },
        subjects: subject,
    }, { ...opts, dependsOn: [role, serviceAccount] });
    // The scratch namespace only, by name: the drill can delete nothing else.
    const clusterRole = new kubernetes.rbac.v1.ClusterRole(`${name}-restore-drill`, {
        metadata: { name: `${ns}-${DRILL_NAMES.cronJob}`, labels: PLATFORM_LABELS },
        rules: [{ apiGroups: [""], resources: ["namespaces"], resourceNames: [drill.scratchNamespace], verbs: ["get", "delete"] }],
    }, opts);
    const clusterRoleBinding = new kubernetes.rbac.v1.ClusterRoleBinding(`${name}-restore-drill`, {
        metadata: { name: `${ns}-${DRILL_NAMES.cronJob}`, labels: PLATFORM_LABELS },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `${ns}-${DRILL_NAMES.cronJob}` },
        subjects: subject,
    }, { ...opts, dependsOn: [clusterRole, serviceAccount] });

    const env: Record<string, string> = {
        VELERO_NAMESPACE: ns,
        SCHEDULE_NAME: inputs.scheduleName,
        SOURCE_NAMESPACE: drill.sourceNamespace,
        SCRATCH_NAMESPACE: drill.scratchNamespace,
        RESOURCE_MODIFIER_CONFIGMAP: DRILL_NAMES.modifiers,
        MAX_BACKUP_AGE_HOURS: String(inputs.maxBackupAgeHours),
        TIMEOUT_SECONDS: String(RESTORE_TIMEOUT_SECONDS),
        // Node's fetch trusts the API server's certificate through this.
        NODE_EXTRA_CA_CERTS: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
    };
    return new kubernetes.batch.v1.CronJob(`${name}-restore-drill`, {
        metadata: metadata(DRILL_NAMES.cronJob),
        spec: {
            schedule: kubernetesCron(drill.frequency, drill.startHourUtc),
            timeZone: "Etc/UTC",
            concurrencyPolicy: "Forbid",
            startingDeadlineSeconds: 3600,
            successfulJobsHistoryLimit: 1,
            failedJobsHistoryLimit: 1,
            jobTemplate: {
                metadata: { labels: { "app.kubernetes.io/name": DRILL_NAMES.cronJob } },
                spec: {
                    // A drill that failed is a finding to look at, not something to retry until it passes.
                    backoffLimit: 0,
                    activeDeadlineSeconds: JOB_DEADLINE_SECONDS,
                    ttlSecondsAfterFinished: FINISHED_JOB_SECONDS,
                    template: {
                        metadata: { labels: { "app.kubernetes.io/name": DRILL_NAMES.cronJob } },
                        spec: {
                            serviceAccountName: DRILL_NAMES.cronJob,
                            restartPolicy: "Never",
                            securityContext: { ...RESTRICTED_POD, runAsUser: NODE_RUNTIME.user, runAsGroup: NODE_RUNTIME.user },
                            containers: [
                                {
                                    name: "restore-drill",
                                    image: IMAGES.drillRuntime,
                                    command: ["node", "/drill/restore-drill.mjs"],
                                    env: Object.entries(env).map(([envName, value]) => ({ name: envName, value })),
                                    securityContext: RESTRICTED_CONTAINER,
                                    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
                                    volumeMounts: [{ name: "script", mountPath: "/drill", readOnly: true }],
                                },
                            ],
                            volumes: [{ name: "script", configMap: { name: DRILL_NAMES.script } }],
                        },
                    },
                },
            },
        },
    }, { ...opts, dependsOn: [script, modifiers, roleBinding, clusterRoleBinding] });
}
