/** `platform:cluster`: the EKS control plane, its node groups, add-ons and application namespaces. */
import { z } from "zod";
import { AddonVersionArgs, AmiType, ApplicationNamespaceArgs, CapacityType, NodeGroupArgs, SupportType, TaintEffect } from "../components/cluster/args";
import {
    addonVersionProblems,
    adminRoleArnProblems,
    kubernetesVersionProblems,
    logRetentionProblems,
    namespaceProblems,
    nodeGroupProblems,
    nodeGroupSetProblems,
    publicAccessCidrProblems,
    serviceCidrProblems,
    DEFAULT_SERVICE_IPV4_CIDR,
} from "../components/cluster/validate";
import { SUPPORTED_KUBERNETES_VERSIONS } from "../components/cluster/versions";
import { byEnvironment } from "./environment";

/** A node group as the stack file writes it: keyed by its name. */
export type NodeGroupConfig = Omit<NodeGroupArgs, "name">;
/** An application namespace as the stack file writes it: keyed by its name. */
export type NamespaceConfig = Omit<ApplicationNamespaceArgs, "name">;

export interface ClusterConfig {
    /** Kubernetes minor version; the add-on defaults follow it. */
    kubernetesVersion: string;
    /** Public CIDRs allowed to the API server's public endpoint; empty keeps it private. */
    publicAccessCidrs: string[];
    /** The Kubernetes service range; fixed at creation. */
    serviceIpv4Cidr: string;
    /** IAM roles given cluster admin. */
    adminRoleArns: string[];
    /** Cluster admin for the identity that runs `pulumi up`. */
    deployerAdmin: boolean;
    controlPlaneLogRetentionDays: number;
    deletionProtection: boolean;
    supportType: SupportType;
    nodeGroups: Record<string, NodeGroupConfig>;
    addonVersions: AddonVersionArgs;
    applicationNamespaces: Record<string, NamespaceConfig>;
    nodeAgentNamespace: string;
}

const quantity = (what: string) => z.string().min(1).describe(`${what} (a Kubernetes quantity such as "4", "500m" or "8Gi").`);

const nodeGroupSchema = z.strictObject({
    instanceTypes: z.array(z.string()).describe("EC2 instance types of the group's architecture (`amiType`); several for Spot, so one pool running dry does not stop scaling."),
    capacityType: z.enum(CapacityType).describe("`ON_DEMAND`, or `SPOT` (cheaper, reclaimed at two minutes' notice)."),
    amiType: z.enum(AmiType).describe("The EKS-optimized image; it fixes the CPU architecture the instance types must have."),
    minSize: z.int().describe("Fewest nodes (0-450)."),
    maxSize: z.int().describe("Most nodes (1-450); the cluster autoscaler scales up to it."),
    desiredSize: z.int().describe("Nodes at creation, between min and max; afterwards the cluster autoscaler owns the count."),
    diskSizeGiB: z.int().describe("Encrypted gp3 root volume per node, 20-16384 GiB."),
    labels: z.record(z.string(), z.string()).describe("Kubernetes labels on every node (`platform/node-group` is set for you)."),
    taints: z
        .array(
            z.strictObject({
                key: z.string().describe("The taint's key."),
                value: z.string().describe("The taint's value."),
                effect: z.enum(TaintEffect).describe("What it does to pods that do not tolerate it."),
            }),
        )
        .describe("Taints on every node."),
    maxUnavailablePercent: z.int().describe("Share of nodes replaced at once during an update, 1-100."),
});

const namespaceSchema = z.strictObject({
    quota: z
        .strictObject({
            requestsCpu: quantity("Total CPU requests"),
            requestsMemory: quantity("Total memory requests"),
            limitsCpu: quantity("Total CPU limits"),
            limitsMemory: quantity("Total memory limits"),
            pods: z.int().describe("Most pods in the namespace."),
            persistentVolumeClaims: z.int().describe("Most persistent volume claims."),
            requestsStorage: quantity("Total storage the claims may request"),
        })
        .describe("The namespace's ResourceQuota; load balancer and node port Services are always 0."),
    limits: z
        .strictObject({
            defaultRequestCpu: quantity("CPU request of a container that sets none"),
            defaultRequestMemory: quantity("Memory request of a container that sets none"),
            defaultLimitCpu: quantity("CPU limit of a container that sets none"),
            defaultLimitMemory: quantity("Memory limit of a container that sets none"),
            maxCpu: quantity("Most CPU one container may have"),
            maxMemory: quantity("Most memory one container may have"),
        })
        .describe("The namespace's LimitRange; a default above its ceiling is refused."),
});

// Types and key names only: the values' meaning is checked by the component's own rules
// (components/cluster/validate.ts), run once this parses.
export const clusterSchema = z
    .strictObject({
    kubernetesVersion: z.string().describe(`Kubernetes minor version: ${SUPPORTED_KUBERNETES_VERSIONS.map((v) => `"${v}"`).join(" or ")}, the versions the add-on pins are for.`),
    publicAccessCidrs: z
        .array(z.string())
        .describe("Public IPv4 CIDRs (/16 or narrower) admitted to the API server's public endpoint; empty turns the public endpoint off. 0.0.0.0/0 and private ranges are refused."),
    serviceIpv4Cidr: z
        .string()
        .describe("The Kubernetes Services' address range: a private /12 to /24 apart from the VPC's `cidrBlock`. Fixed at creation: EKS cannot change it, so a change replaces the cluster."),
    adminRoleArns: z.array(z.string()).describe("IAM role ARNs given cluster admin through EKS access entries."),
    deployerAdmin: z
        .boolean()
        .describe("An admin access entry for the identity that runs `pulumi up` (an assumed role resolves to its role). Leave that role out of `adminRoleArns`."),
    controlPlaneLogRetentionDays: z.int().describe("Days CloudWatch Logs keeps the control plane's logs; a retention CloudWatch accepts."),
    deletionProtection: z.boolean().describe("EKS refuses `DeleteCluster` while on."),
    supportType: z.enum(SupportType).describe("`STANDARD` (upgraded at the end of standard support) or `EXTENDED` (stays, at a higher hourly price)."),
    nodeGroups: z.record(z.string(), nodeGroupSchema).describe("Managed node groups by name (lower-case letters, digits and `-`, at most 20); `system` must exist and one group must take pods without a toleration."),
    addonVersions: z
        .strictObject({
            vpcCni: z.string().describe("Amazon VPC CNI add-on build (`v1.2.3-eksbuild.N`)."),
            coredns: z.string().describe("CoreDNS add-on build."),
            kubeProxy: z.string().describe("kube-proxy add-on build; must match `kubernetesVersion`."),
            ebsCsiDriver: z.string().describe("EBS CSI driver add-on build."),
            podIdentityAgent: z.string().describe("EKS Pod Identity agent add-on build."),
        })
        .describe("EKS add-on builds; by default the builds pinned for `kubernetesVersion`."),
    applicationNamespaces: z.record(z.string(), namespaceSchema).describe("The application namespaces by name, each with its quota and limits."),
    nodeAgentNamespace: z.string().describe("The namespace of the node agents (log and trace collectors)."),
    })
    .describe("The EKS control plane, its managed node groups, add-ons and application namespaces.");

/** Keeps application pods off the system nodes; the platform's add-ons tolerate it. */
const SYSTEM_TAINTS = [{ key: "CriticalAddonsOnly", value: "true", effect: TaintEffect.NoSchedule }];

const NODE_GROUP_BASE: NodeGroupConfig = {
    instanceTypes: ["m6i.large"],
    capacityType: CapacityType.OnDemand,
    amiType: AmiType.Al2023X86,
    minSize: 1,
    maxSize: 2,
    desiredSize: 1,
    diskSizeGiB: 50,
    labels: {},
    taints: [],
    maxUnavailablePercent: 33,
};

function sizes(minSize: number, maxSize: number, desiredSize: number) {
    return { minSize, maxSize, desiredSize };
}

/** The `api` namespace's quota grows with `scale`; its per-container defaults do not. */
function apiNamespace(scale: number, maxCpu: string, maxMemory: string): NamespaceConfig {
    return {
        quota: {
            requestsCpu: String(4 * scale),
            requestsMemory: `${8 * scale}Gi`,
            limitsCpu: String(8 * scale),
            limitsMemory: `${16 * scale}Gi`,
            pods: 50 * scale,
            persistentVolumeClaims: 10,
            requestsStorage: "100Gi",
        },
        limits: { defaultRequestCpu: "100m", defaultRequestMemory: "128Mi", defaultLimitCpu: "500m", defaultLimitMemory: "512Mi", maxCpu, maxMemory },
    };
}

export const DEFAULT_KUBERNETES_VERSION = SUPPORTED_KUBERNETES_VERSIONS[0];

/** The cluster's profile; `addonVersions` follows the chosen Kubernetes version, so it is filled in when loading. */
export const CLUSTER_PROFILES = byEnvironment<Omit<ClusterConfig, "addonVersions">>(
    {
        kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
        publicAccessCidrs: [],
        serviceIpv4Cidr: DEFAULT_SERVICE_IPV4_CIDR,
        adminRoleArns: [],
        deployerAdmin: true,
        controlPlaneLogRetentionDays: 90,
        deletionProtection: false,
        supportType: SupportType.Standard,
        nodeGroups: {
            system: { ...NODE_GROUP_BASE, taints: SYSTEM_TAINTS },
            workload: { ...NODE_GROUP_BASE, capacityType: CapacityType.Spot },
        },
        applicationNamespaces: { api: apiNamespace(1, "2", "4Gi") },
        nodeAgentNamespace: "node-agents",
    },
    {
        dev: {
            controlPlaneLogRetentionDays: 30,
            nodeGroups: {
                system: sizes(1, 2, 1),
                workload: { instanceTypes: ["m6i.large", "m6a.large", "m5.large", "m7i.large"], ...sizes(1, 4, 1) },
            },
        },
        staging: {
            nodeGroups: {
                system: sizes(2, 3, 2),
                workload: { instanceTypes: ["m6i.xlarge", "m6a.xlarge", "m5.xlarge", "m7i.xlarge"], ...sizes(2, 6, 2) },
            },
            applicationNamespaces: { api: apiNamespace(2, "2", "4Gi") },
        },
        prod: {
            controlPlaneLogRetentionDays: 365,
            deletionProtection: true,
            nodeGroups: {
                // One system node per zone, so a zone's loss leaves the add-ons running.
                system: sizes(3, 4, 3),
                workload: { instanceTypes: ["m6i.xlarge", "m7i.xlarge"], capacityType: CapacityType.OnDemand, ...sizes(3, 12, 3), diskSizeGiB: 100 },
            },
            applicationNamespaces: { api: apiNamespace(8, "4", "8Gi") },
        },
    },
);

/** What the cluster component would reject, said in the stack file's terms. */
export function clusterProblems(cluster: ClusterConfig, key: string): string[] {
    const groups = Object.entries(cluster.nodeGroups).map(([name, group]) => ({ ...group, name }));
    const namespaces = Object.entries(cluster.applicationNamespaces).map(([name, ns]) => ({ ...ns, name }));
    return [
        ...kubernetesVersionProblems(cluster.kubernetesVersion, `${key}.kubernetesVersion`),
        ...addonVersionProblems(cluster.addonVersions, cluster.kubernetesVersion, `${key}.addonVersions`),
        ...publicAccessCidrProblems(cluster.publicAccessCidrs, `${key}.publicAccessCidrs`),
        ...serviceCidrProblems(cluster.serviceIpv4Cidr, `${key}.serviceIpv4Cidr`),
        ...adminRoleArnProblems(cluster.adminRoleArns, `${key}.adminRoleArns`),
        ...logRetentionProblems(cluster.controlPlaneLogRetentionDays, `${key}.controlPlaneLogRetentionDays`),
        ...groups.flatMap((group) => nodeGroupProblems(group, `${key}.nodeGroups.${group.name}`)),
        ...nodeGroupSetProblems(groups, `${key}.nodeGroups`),
        ...namespaceProblems(namespaces, cluster.nodeAgentNamespace, (_, name) => `${key}.applicationNamespaces.${name}`, `${key}.nodeAgentNamespace`),
    ];
}
