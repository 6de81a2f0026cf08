import * as pulumi from "@pulumi/pulumi";

/** How a node group buys its instances. */
export enum CapacityType {
    OnDemand = "ON_DEMAND",
    /** Spot instances: up to 90% cheaper, reclaimed at two minutes' notice (EKS drains them). */
    Spot = "SPOT",
}

/** The EKS-optimized machine image of a node group; it also fixes the CPU architecture. */
export enum AmiType {
    Al2023X86 = "AL2023_x86_64_STANDARD",
    Al2023Arm = "AL2023_ARM_64_STANDARD",
}

export enum TaintEffect {
    NoSchedule = "NO_SCHEDULE",
    PreferNoSchedule = "PREFER_NO_SCHEDULE",
    NoExecute = "NO_EXECUTE",
}

/** What EKS does when a Kubernetes version leaves standard support. */
export enum SupportType {
    /** Upgrade the control plane automatically at the end of standard support. */
    Standard = "STANDARD",
    /** Stay on the version under extended support, at a higher hourly price. */
    Extended = "EXTENDED",
}

export interface NodeTaintArgs {
    key: string;
    value: string;
    effect: TaintEffect;
}

export interface NodeGroupArgs {
    /** Short name, unique in the cluster: part of the node group's name and its `platform/node-group` label. */
    name: string;
    /** Instance types; several for Spot, so one pool running dry does not stop scaling. */
    instanceTypes: string[];
    /** @default CapacityType.OnDemand */
    capacityType?: CapacityType;
    /** @default AmiType.Al2023X86 */
    amiType?: AmiType;
    minSize: number;
    maxSize: number;
    /** Nodes at creation; afterwards the cluster autoscaler owns the number. */
    desiredSize: number;
    /** Root volume size. @default 50 */
    diskSizeGiB?: number;
    /** Kubernetes labels on every node, besides `platform/node-group`. @default {} */
    labels?: { [key: string]: string };
    /** Taints on every node (the system group keeps application pods off). @default [] */
    taints?: NodeTaintArgs[];
    /** Share of nodes replaced at once during an update. @default 33 */
    maxUnavailablePercent?: number;
}

/** Versions of the EKS managed add-ons, as `aws eks describe-addon-versions` lists them. */
export interface AddonVersionArgs {
    vpcCni: string;
    coredns: string;
    /** Must match the cluster's Kubernetes minor version. */
    kubeProxy: string;
    ebsCsiDriver: string;
    podIdentityAgent: string;
}

/** Hard limits of one namespace (Kubernetes quantities: "4", "500m", "8Gi"). */
export interface ResourceQuotaArgs {
    requestsCpu: string;
    requestsMemory: string;
    limitsCpu: string;
    limitsMemory: string;
    pods: number;
    persistentVolumeClaims: number;
    requestsStorage: string;
}

/** Per-container defaults and ceilings, so a pod without resources still fits the quota. */
export interface ContainerLimitArgs {
    defaultRequestCpu: string;
    defaultRequestMemory: string;
    defaultLimitCpu: string;
    defaultLimitMemory: string;
    maxCpu: string;
    maxMemory: string;
}

export interface ApplicationNamespaceArgs {
    /** Namespace name: a DNS label, not one of Kubernetes' own. */
    name: string;
    quota: ResourceQuotaArgs;
    limits: ContainerLimitArgs;
}

export interface ClusterArgs {
    /** VPC of the cluster. */
    vpcId: pulumi.Input<string>;
    /** Private subnets (two zones at least) for the control plane's network interfaces and the nodes. */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Kubernetes minor version, e.g. "1.34"; one of `SUPPORTED_KUBERNETES_VERSIONS`. */
    kubernetesVersion: string;
    /**
     * Public CIDRs allowed to reach the API server's public endpoint; empty turns the public
     * endpoint off (the private endpoint is always on). 0.0.0.0/0 is refused. @default []
     */
    publicAccessCidrs?: string[];
    /**
     * The Kubernetes service range: a private /12 to /24 apart from the VPC's range. Fixed at
     * creation: EKS cannot change it, so a change replaces the cluster. @default "172.20.0.0/16"
     */
    serviceIpv4Cidr?: string;
    /** IAM roles granted cluster admin through access entries. @default [] */
    adminRoleArns?: string[];
    /**
     * Give the identity running `pulumi up` an admin access entry, so the Kubernetes provider
     * can manage the cluster. @default true
     */
    deployerAdmin?: boolean;
    /** Days to keep control-plane logs; a value CloudWatch Logs accepts. @default 365 */
    controlPlaneLogRetentionDays?: number;
    /** Refuse cluster deletion at the EKS API. @default false */
    deletionProtection?: boolean;
    /** @default SupportType.Standard */
    supportType?: SupportType;
    /** Managed node groups; at least one must take pods without a toleration. */
    nodeGroups: NodeGroupArgs[];
    /** The node group platform add-ons are pinned to (it tolerates nothing else). @default "system" */
    systemNodeGroupName?: string;
    addonVersions: AddonVersionArgs;
    /** Namespaces for applications: restricted pod security, quota, limits, default-deny network. */
    applicationNamespaces: ApplicationNamespaceArgs[];
    /** Namespace for node agents that need host access (log shippers, node exporters). @default "node-agents" */
    nodeAgentNamespace?: string;
    /**
     * Protect what holds data with Pulumi's `protect` (the KMS keys, the log group, the cluster,
     * the application namespaces) and retain volumes of the default storage class. @default false
     */
    protectStatefulResources?: boolean;
    /** Tags for every taggable AWS resource. @default {} */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}
