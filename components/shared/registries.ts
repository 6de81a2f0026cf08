/**
 * Where the platform's container images come from. Without a NAT gateway, nodes pull only from
 * ECR in their own region (through the ecr.api, ecr.dkr and s3 endpoints; EKS User Guide,
 * "Deploy private clusters with limited internet access"), so every other registry here is one
 * a private-only network could never reach.
 */
import { HELM_CHARTS } from "../cluster/versions";
import { VELERO_CHART, IMAGES as VELERO_IMAGES } from "../backup/versions";
import { ARGO_ROLLOUTS_CHART } from "../delivery/versions";
import { OBSERVABILITY_CHARTS } from "../observability/versions";
import { HelmChart } from "./helm";
import { NODE_RUNTIME } from "./images";

/**
 * The registries of the images each pinned chart runs by default (the images the platform does
 * not override), read from the chart's values.yaml at exactly that version.
 */
export const CHART_IMAGE_REGISTRIES: ReadonlyArray<{ chart: HelmChart; registries: readonly string[] }> = [
    { chart: HELM_CHARTS.metricsServer, registries: ["registry.k8s.io"] },
    { chart: HELM_CHARTS.awsLoadBalancerController, registries: ["public.ecr.aws"] },
    { chart: HELM_CHARTS.clusterAutoscaler, registries: ["registry.k8s.io"] },
    { chart: HELM_CHARTS.externalSecrets, registries: ["ghcr.io"] },
    // Prometheus, Alertmanager, the operator, node exporter on quay.io; the webhook cert job on
    // ghcr.io; kube-state-metrics and kubectl on registry.k8s.io; Grafana and busybox on docker.io.
    { chart: OBSERVABILITY_CHARTS.kubePrometheusStack, registries: ["quay.io", "ghcr.io", "registry.k8s.io", "docker.io"] },
    { chart: OBSERVABILITY_CHARTS.loki, registries: ["docker.io", "registry.k8s.io"] },
    { chart: OBSERVABILITY_CHARTS.fluentBit, registries: ["cr.fluentbit.io"] },
    { chart: OBSERVABILITY_CHARTS.tempo, registries: ["docker.io"] },
    { chart: OBSERVABILITY_CHARTS.blackboxExporter, registries: ["quay.io"] },
    { chart: OBSERVABILITY_CHARTS.postgresExporter, registries: ["quay.io"] },
    { chart: OBSERVABILITY_CHARTS.redisExporter, registries: ["docker.io"] },
    { chart: ARGO_ROLLOUTS_CHART, registries: ["quay.io"] },
    // Velero's own images are set by the platform (below); the chart's kubectl job is its own.
    { chart: VELERO_CHART, registries: ["registry.k8s.io"] },
];

/** Images the platform sets itself, by what runs them. */
export const PLATFORM_IMAGES: Readonly<Record<string, string>> = {
    "Velero": VELERO_IMAGES.velero.repository,
    "Velero's AWS plugin": VELERO_IMAGES.awsPlugin,
    "the platform's jobs (restore drill, analysis traffic)": NODE_RUNTIME.image,
};

/** The registry host of an image reference, as a container runtime reads it (no host: Docker Hub). */
export function registryOf(image: string): string {
    const first = image.split("/")[0];
    const isHost = image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
    return isHost ? first : "docker.io";
}

/** This account's ECR in the region: the only registry nodes reach through VPC endpoints alone. */
export function isRegionalEcr(registry: string, region: string): boolean {
    return new RegExp(`^[0-9]{12}\\.dkr\\.ecr\\.${region.replace(/-/g, "\\-")}\\.amazonaws\\.com$`).test(registry);
}
