/**
 * Every version the cluster pins, in one place. Add-on builds are those EKS listed for each
 * Kubernetes version (`aws eks describe-addon-versions --kubernetes-version <v>`); chart
 * versions are the charts' releases in their official repositories. Checked 2026-11-22.
 * Raising one is a reviewed change to this file, never a floating "latest".
 */
import { HelmChart } from "../shared/helm";
import { AddonVersionArgs } from "./args";

/**
 * Kubernetes versions this platform is tested with, newest first. 1.36 is in EKS standard
 * support until 2027-08-02, 1.35 until 2027-03-27.
 */
export const SUPPORTED_KUBERNETES_VERSIONS: readonly string[] = ["1.36", "1.35"];

/** The EKS managed add-on builds for each supported Kubernetes version. */
export const ADDON_VERSIONS: Readonly<Record<string, AddonVersionArgs>> = {
    "1.36": {
        vpcCni: "v1.22.4-eksbuild.3",
        coredns: "v1.14.3-eksbuild.3",
        kubeProxy: "v1.36.0-eksbuild.14",
        ebsCsiDriver: "v1.66.0-eksbuild.1",
        podIdentityAgent: "v1.3.10-eksbuild.3",
    },
    "1.35": {
        vpcCni: "v1.22.4-eksbuild.3",
        coredns: "v1.14.3-eksbuild.3",
        kubeProxy: "v1.35.3-eksbuild.13",
        ebsCsiDriver: "v1.66.0-eksbuild.1",
        podIdentityAgent: "v1.3.10-eksbuild.3",
    },
};

/** The cluster autoscaler's image must match the cluster's minor version exactly. */
const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<string, string>> = {
    "1.36": "v1.36.1",
    "1.35": "v1.35.2",
};

export function clusterAutoscalerImageTag(kubernetesVersion: string): string {
    const tag = CLUSTER_AUTOSCALER_IMAGE_TAGS[kubernetesVersion];
    if (tag === undefined) {
        throw new Error(`no cluster-autoscaler image is pinned for Kubernetes ${kubernetesVersion}; add one to versions.ts`);
    }
    return tag;
}

/** The platform's Helm charts: official repositories, exact versions. */
export const HELM_CHARTS = {
    metricsServer: { chart: "metrics-server", version: "3.13.1", repo: "https://kubernetes-sigs.github.io/metrics-server/" },
    awsLoadBalancerController: { chart: "aws-load-balancer-controller", version: "3.5.0", repo: "https://aws.github.io/eks-charts" },
    clusterAutoscaler: { chart: "cluster-autoscaler", version: "9.59.0", repo: "https://kubernetes.github.io/autoscaler" },
    externalSecrets: { chart: "external-secrets", version: "2.9.0", repo: "https://charts.external-secrets.io" },
} as const satisfies Record<string, HelmChart>;
