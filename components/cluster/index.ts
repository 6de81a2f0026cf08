import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { accountScope, tagger } from "../shared/aws";
import { networkingAddons, platformReleases, storageClasses, workloadAddons } from "./addons";
import { ClusterArgs, SupportType } from "./args";
import { Context, key } from "../shared/context";
import { adminAccess, controlPlane } from "./controlPlane";
import { kubeconfig } from "./kubeconfig";
import { dataPlane } from "./nodeGroups";
import { volumeKeyPolicy } from "./policies";
import { tenancy } from "./tenancy";
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
    supportTypeProblems,
    DEFAULT_SERVICE_IPV4_CIDR,
} from "./validate";

export { AmiType, CapacityType, ClusterArgs, SupportType, TaintEffect } from "./args";
export { ServiceAccountRole, ServiceAccountRoleArgs } from "./serviceAccountRole";

const DEFAULTS = {
    publicAccessCidrs: [] as string[],
    serviceIpv4Cidr: DEFAULT_SERVICE_IPV4_CIDR,
    adminRoleArns: [] as string[],
    deployerAdmin: true,
    controlPlaneLogRetentionDays: 365,
    deletionProtection: false,
    supportType: SupportType.Standard,
    nodeAgentNamespace: "node-agents",
    systemNodeGroupName: "system",
    protectStatefulResources: false,
};

type ClusterSettings = Required<Omit<ClusterArgs, "vpcId" | "privateSubnetIds" | "tags">>;

/**
 * An EKS cluster ready for production workloads: private API endpoint, envelope-encrypted
 * secrets, every control-plane log kept, access entries instead of aws-auth, managed node
 * groups on IMDSv2-only launch templates, pinned managed add-ons, service-account roles for
 * everything that calls AWS, an encrypted gp3 default storage class, metrics-server, the AWS
 * Load Balancer Controller, the cluster autoscaler, External Secrets Operator, and guarded
 * application namespaces.
 */
export class Cluster extends pulumi.ComponentResource {
    public readonly clusterName: pulumi.Output<string>;
    /** HTTPS endpoint of the API server. */
    public readonly endpoint: pulumi.Output<string>;
    /** Base64 PEM of the cluster's certificate authority. */
    public readonly certificateAuthority: pulumi.Output<string>;
    /** Kubeconfig (JSON) using `aws eks get-token`; secret. */
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly oidcProviderArn: pulumi.Output<string>;
    /** Issuer URL of service-account tokens (`https://oidc.eks…`). */
    public readonly oidcProviderUrl: pulumi.Output<string>;
    /** Security group EKS created for the control plane and every node. */
    public readonly clusterSecurityGroupId: pulumi.Output<string>;
    /** Security group that identifies the nodes (and their pods) to databases and caches. */
    public readonly nodeSecurityGroupId: pulumi.Output<string>;
    /** ARN of the KMS key encrypting node and persistent volumes. */
    public readonly volumeKmsKeyArn: pulumi.Output<string>;
    /** The Kubernetes provider every in-cluster resource uses. */
    public readonly provider: kubernetes.Provider;
    /** Names of the namespaces created: the application namespaces, then the node-agent namespace. */
    public readonly namespaceNames: pulumi.Output<string[]>;
    /** The namespace for node agents that need host access. */
    public readonly nodeAgentNamespace: pulumi.Output<string>;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Cluster", name, {}, opts);
        const settings = validateClusterArgs(args, this);
        const scope = accountScope(this);
        const ctx: Context = {
            parent: this,
            tags: tagger(args.tags),
            scope,
            keep: { parent: this, protect: settings.protectStatefulResources },
        };
        // The physical cluster name is the component's: log group and IAM conditions need it
        // before the cluster exists.
        const clusterName = name;

        const plane = controlPlane(name, {
            clusterName,
            kubernetesVersion: settings.kubernetesVersion,
            vpcId: args.vpcId,
            subnetIds: args.privateSubnetIds,
            publicAccessCidrs: settings.publicAccessCidrs,
            serviceIpv4Cidr: settings.serviceIpv4Cidr,
            logRetentionDays: settings.controlPlaneLogRetentionDays,
            deletionProtection: settings.deletionProtection,
            supportType: settings.supportType,
        }, ctx);
        const { cluster, oidcProvider } = plane;
        const identity = { oidcProviderArn: oidcProvider.arn, oidcProviderUrl: plane.oidcIssuerUrl };
        const access = adminAccess(name, cluster, settings.adminRoleArns, settings.deployerAdmin, ctx);

        const volumeKey = key(`${name}-volumes`, `Encrypts the node and persistent volumes of ${clusterName}`, volumeKeyPolicy, ctx);
        const clusterSecurityGroupId = cluster.vpcConfig.apply((vpc) => vpc.clusterSecurityGroupId ?? "");

        const networking = networkingAddons(name, cluster, settings.addonVersions, identity, ctx);
        const nodes = dataPlane(name, {
            cluster,
            clusterName,
            kubernetesVersion: settings.kubernetesVersion,
            vpcId: args.vpcId,
            subnetIds: args.privateSubnetIds,
            clusterSecurityGroupId,
            volumeKeyArn: volumeKey.arn,
            groups: settings.nodeGroups,
        }, networking, ctx);
        const workload = workloadAddons(name, cluster, settings.addonVersions, identity, volumeKey.arn, nodes.nodeGroups, ctx);

        const region = scope.apply((s) => s.region);
        const config = pulumi
            .all([cluster.endpoint, cluster.certificateAuthority, region])
            .apply(([endpoint, authority, regionName]) => JSON.stringify(kubeconfig(clusterName, endpoint, authority.data ?? "", regionName)));
        this.kubeconfig = pulumi.secret(config);
        this.provider = new kubernetes.Provider(
            `${name}-k8s`,
            { kubeconfig: this.kubeconfig },
            // Nothing in the cluster can be managed before the deployer's access entry exists.
            { parent: this, dependsOn: access },
        );
        const inCluster: pulumi.CustomResourceOptions = { parent: this, provider: this.provider, dependsOn: [...nodes.nodeGroups, ...workload] };

        storageClasses(name, volumeKey.arn, settings.protectStatefulResources, inCluster);
        platformReleases(name, {
            clusterName,
            kubernetesVersion: settings.kubernetesVersion,
            region,
            vpcId: args.vpcId,
            systemNodeGroup: settings.systemNodeGroupName,
        }, identity, ctx, inCluster);
        const namespaces = tenancy(name, {
            kubernetesVersion: settings.kubernetesVersion,
            applicationNamespaces: settings.applicationNamespaces,
            nodeAgentNamespace: settings.nodeAgentNamespace,
            protectNamespaces: settings.protectStatefulResources,
        }, { parent: this, provider: this.provider });

        this.clusterName = cluster.name;
        this.endpoint = cluster.endpoint;
        this.certificateAuthority = cluster.certificateAuthority.apply((authority) => authority.data ?? "");
        this.oidcProviderArn = oidcProvider.arn;
        this.oidcProviderUrl = plane.oidcIssuerUrl;
        this.clusterSecurityGroupId = clusterSecurityGroupId;
        this.nodeSecurityGroupId = nodes.nodeSecurityGroup.id;
        this.volumeKmsKeyArn = volumeKey.arn;
        this.namespaceNames = pulumi.all([...namespaces.applicationNamespaces, namespaces.nodeAgentNamespace]);
        this.nodeAgentNamespace = namespaces.nodeAgentNamespace;
        this.registerOutputs({
            clusterName: this.clusterName,
            endpoint: this.endpoint,
            certificateAuthority: this.certificateAuthority,
            kubeconfig: this.kubeconfig,
            oidcProviderArn: this.oidcProviderArn,
            oidcProviderUrl: this.oidcProviderUrl,
            clusterSecurityGroupId: this.clusterSecurityGroupId,
            nodeSecurityGroupId: this.nodeSecurityGroupId,
            volumeKmsKeyArn: this.volumeKmsKeyArn,
            namespaceNames: this.namespaceNames,
            nodeAgentNamespace: this.nodeAgentNamespace,
        });
    }
}

/** Fills defaults and rejects bad arguments before any resource is created. */
function validateClusterArgs(args: ClusterArgs, resource: pulumi.Resource): ClusterSettings {
    const settings: ClusterSettings = {
        kubernetesVersion: args.kubernetesVersion,
        publicAccessCidrs: args.publicAccessCidrs ?? DEFAULTS.publicAccessCidrs,
        serviceIpv4Cidr: args.serviceIpv4Cidr ?? DEFAULTS.serviceIpv4Cidr,
        adminRoleArns: args.adminRoleArns ?? DEFAULTS.adminRoleArns,
        deployerAdmin: args.deployerAdmin ?? DEFAULTS.deployerAdmin,
        controlPlaneLogRetentionDays: args.controlPlaneLogRetentionDays ?? DEFAULTS.controlPlaneLogRetentionDays,
        deletionProtection: args.deletionProtection ?? DEFAULTS.deletionProtection,
        supportType: args.supportType ?? DEFAULTS.supportType,
        nodeGroups: args.nodeGroups,
        systemNodeGroupName: args.systemNodeGroupName ?? DEFAULTS.systemNodeGroupName,
        addonVersions: args.addonVersions,
        applicationNamespaces: args.applicationNamespaces,
        nodeAgentNamespace: args.nodeAgentNamespace ?? DEFAULTS.nodeAgentNamespace,
        protectStatefulResources: args.protectStatefulResources ?? DEFAULTS.protectStatefulResources,
    };
    const problems = [
        ...kubernetesVersionProblems(settings.kubernetesVersion, "kubernetesVersion"),
        ...addonVersionProblems(settings.addonVersions, settings.kubernetesVersion, "addonVersions"),
        ...publicAccessCidrProblems(settings.publicAccessCidrs, "publicAccessCidrs"),
        ...serviceCidrProblems(settings.serviceIpv4Cidr, "serviceIpv4Cidr"),
        ...adminRoleArnProblems(settings.adminRoleArns, "adminRoleArns"),
        ...logRetentionProblems(settings.controlPlaneLogRetentionDays, "controlPlaneLogRetentionDays"),
        ...supportTypeProblems(settings.supportType, "supportType"),
        ...settings.nodeGroups.flatMap((group, i) => nodeGroupProblems(group, `nodeGroups[${i}]`)),
        ...nodeGroupSetProblems(settings.nodeGroups, "nodeGroups"),
        ...namespaceProblems(settings.applicationNamespaces, settings.nodeAgentNamespace, (i) => `applicationNamespaces[${i}]`, "nodeAgentNamespace"),
    ];
    if (!settings.nodeGroups.some((group) => group.name === settings.systemNodeGroupName)) {
        problems.push(`systemNodeGroupName: got ${JSON.stringify(settings.systemNodeGroupName)}; expected the name of one of the node groups`);
    }
    if (problems.length > 0) {
        throw new pulumi.ResourceError(`invalid Cluster arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`, resource);
    }
    return settings;
}
