/**
 * Velero's chart, plugin and the restore drill's runtime: exact versions, raised by a reviewed
 * change to this file. Chart 12.1.0 ships Velero 1.18.1 (the newest chart as of 2026-08); the
 * AWS plugin's 1.14 line is the one its compatibility table pairs with Velero 1.18.
 */
import { HelmChart } from "../shared/helm";
import { NODE_RUNTIME } from "../shared/images";

export const VELERO_CHART = { chart: "velero", version: "12.1.0", repo: "https://vmware-tanzu.github.io/helm-charts" } as const satisfies HelmChart;

export const IMAGES = {
    velero: { repository: "docker.io/velero/velero", tag: "v1.18.1" },
    awsPlugin: "docker.io/velero/velero-plugin-for-aws:v1.14.2",
    /** The restore drill is a dependency-free Node.js script. */
    drillRuntime: NODE_RUNTIME.image,
} as const;
