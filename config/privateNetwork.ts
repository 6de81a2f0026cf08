/**
 * Whether a network without NAT could run the platform: every AWS API the nodes and add-ons
 * call needs a VPC endpoint, and every image a registry the nodes reach. Without both, nodes
 * never join or pods never start, long after the VPC exists; so `natMode: none` is refused
 * with the reasons, before anything is created.
 */
import { NatMode } from "../components/network/args";
import { servicesReachedPrivately } from "../components/network/endpoints";
import { CHART_IMAGE_REGISTRIES, PLATFORM_IMAGES, isRegionalEcr, registryOf } from "../components/shared/registries";

/**
 * The AWS APIs called from inside the VPC, and by what. EKS User Guide, "Deploy private clusters
 * with limited internet access" names ec2, eks, ecr.api, ecr.dkr, s3, sts, elasticloadbalancing
 * and autoscaling; secretsmanager and sns follow from the add-ons' own IAM policies.
 */
export const ENDPOINTS_NEEDED: Readonly<Record<string, string>> = {
    ec2: "nodes joining (the EKS image names the node through EC2), the VPC CNI, the EBS CSI driver, Velero's snapshots",
    eks: "nodes joining, the cluster autoscaler",
    "ecr.api": "pulling images from ECR",
    "ecr.dkr": "pulling images from ECR",
    s3: "image layers from ECR, Loki's and Velero's buckets",
    sts: "every service-account role (IRSA)",
    elasticloadbalancing: "the load balancer controller, Argo Rollouts' target-group checks",
    autoscaling: "the cluster autoscaler",
    secretsmanager: "External Secrets and the database exporters",
    sns: "Alertmanager's route to the alert topic",
};

export interface PrivateNetworkInputs {
    natMode: NatMode;
    interfaceEndpoints: boolean;
    region: string;
    /** The application's image repository (`platform:delivery.image.repository`). */
    applicationImage: string;
    /** The host the platform's blackbox probe checks through the internet-facing load balancer. */
    hostname: string | undefined;
}

/** Why `natMode: none` could not work for these settings; empty when it could (or NAT is on). */
export function privateNetworkProblems(inputs: PrivateNetworkInputs, key: string): string[] {
    if (inputs.natMode !== NatMode.None) {
        return [];
    }
    const reached = servicesReachedPrivately(inputs.interfaceEndpoints);
    const missing = Object.entries(ENDPOINTS_NEEDED).filter(([service]) => !reached.includes(service));
    const images: Array<[string, string]> = [
        ...CHART_IMAGE_REGISTRIES.flatMap(({ chart, registries }) => registries.map((registry): [string, string] => [registry, `${chart.chart} ${chart.version}`])),
        ...Object.entries(PLATFORM_IMAGES).map(([runner, image]): [string, string] => [registryOf(image), runner]),
        [registryOf(inputs.applicationImage), "the application (platform:delivery.image)"],
    ];
    const registries = [...new Set(images.map(([registry]) => registry).filter((registry) => !isRegionalEcr(registry, inputs.region)))];
    const reasons = [
        ...(missing.length > 0 ? [`call ${listed(missing.map(([service]) => service))} (no endpoint)`] : []),
        ...(registries.length > 0 ? [`pull images from ${listed(registries)}`] : []),
        // The ALB is internet-facing: its addresses are public, and private subnets route nothing there.
        ...(inputs.hostname ? [`probe https://${inputs.hostname} through its internet-facing load balancer`] : []),
    ];
    if (reasons.length === 0) {
        return [];
    }
    return [
        `${key}.natMode: got "none"; expected "single" or "perAz": without NAT, private subnets reach only AWS services with a VPC endpoint ` +
            `and ECR in ${inputs.region}, but the nodes and add-ons ${listed(reasons)}`,
    ];
}

function listed(items: readonly string[]): string {
    return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
