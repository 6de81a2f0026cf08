/**
 * The data plane: one node role, one security group that identifies nodes to the databases,
 * and per node group a launch template (IMDSv2 only, encrypted gp3 root volume, no SSH key)
 * and an EKS managed node group.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { managedPolicyArn } from "../shared/aws";
import { AmiType, CapacityType, NodeGroupArgs } from "./args";
import { Context } from "../shared/context";
import { serviceTrustPolicy } from "./policies";
import { NODE_GROUP_LABEL } from "./validate";

/**
 * The node role's only policies: join the cluster and pull images. The CNI's permissions
 * live on the vpc-cni add-on's own service-account role, not on every pod's node.
 */
const NODE_MANAGED_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"];

/** Root device of the AL2023 EKS images. */
const ROOT_DEVICE = "/dev/xvda";
/** gp3's included baseline: faster costs extra and the root volume seldom needs it. */
const ROOT_VOLUME_IOPS = 3000;
const ROOT_VOLUME_THROUGHPUT_MIBPS = 125;
const DEFAULT_DISK_GIB = 50;
const DEFAULT_MAX_UNAVAILABLE_PERCENT = 33;

export interface DataPlaneSettings {
    cluster: aws.eks.Cluster;
    clusterName: string;
    kubernetesVersion: string;
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    clusterSecurityGroupId: pulumi.Input<string>;
    volumeKeyArn: pulumi.Input<string>;
    groups: NodeGroupArgs[];
}

export interface DataPlane {
    nodeRole: aws.iam.Role;
    nodeSecurityGroup: aws.ec2.SecurityGroup;
    nodeGroups: aws.eks.NodeGroup[];
}

export function dataPlane(name: string, settings: DataPlaneSettings, before: pulumi.Resource[], ctx: Context): DataPlane {
    const { parent, tags, scope } = ctx;

    const nodeRole = new aws.iam.Role(
        `${name}-nodes`,
        {
            description: `Instance role of the nodes of EKS cluster ${settings.clusterName}`,
            assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com")),
            tags: tags({ Name: `${name}-nodes` }),
        },
        { parent },
    );
    const attachments = NODE_MANAGED_POLICIES.map(
        (policy) =>
            new aws.iam.RolePolicyAttachment(
                `${name}-nodes-${policy}`,
                { role: nodeRole.name, policyArn: scope.apply((s) => managedPolicyArn(s.partition, policy)) },
                { parent },
            ),
    );

    // No rules of its own: the cluster security group (also on every node) carries the
    // control-plane and node-to-node traffic. This one is the nodes' identity, which
    // databases and caches admit. It must not carry the kubernetes.io/cluster tag: the load
    // balancer controller expects exactly one tagged group per node.
    const nodeSecurityGroup = new aws.ec2.SecurityGroup(
        `${name}-nodes`,
        {
            vpcId: settings.vpcId,
            description: `Nodes of EKS cluster ${settings.clusterName}`,
            tags: tags({ Name: `${name}-nodes` }),
        },
        { parent },
    );

    const nodeGroups = settings.groups.map((group) => {
        const groupName = `${name}-${group.name}`;
        const launchTemplate = new aws.ec2.LaunchTemplate(
            groupName,
            {
                description: `Nodes of ${settings.clusterName} group ${group.name}`,
                updateDefaultVersion: true,
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    // One hop: the node reaches the metadata service, pods do not; they get
                    // AWS credentials from their own service-account roles.
                    httpPutResponseHopLimit: 1,
                    instanceMetadataTags: "disabled",
                },
                blockDeviceMappings: [
                    {
                        deviceName: ROOT_DEVICE,
                        ebs: {
                            volumeType: "gp3",
                            volumeSize: group.diskSizeGiB ?? DEFAULT_DISK_GIB,
                            iops: ROOT_VOLUME_IOPS,
                            throughput: ROOT_VOLUME_THROUGHPUT_MIBPS,
                            encrypted: "true",
                            kmsKeyId: settings.volumeKeyArn,
                            deleteOnTermination: "true",
                        },
                    },
                ],
                vpcSecurityGroupIds: [settings.clusterSecurityGroupId, nodeSecurityGroup.id],
                monitoring: { enabled: true },
                tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
                    resourceType,
                    tags: tags({ Name: groupName }),
                })),
                tags: tags({ Name: groupName }),
            },
            { parent },
        );
        return new aws.eks.NodeGroup(
            groupName,
            {
                clusterName: settings.cluster.name,
                version: settings.kubernetesVersion,
                nodeRoleArn: nodeRole.arn,
                subnetIds: settings.subnetIds,
                capacityType: group.capacityType ?? CapacityType.OnDemand,
                instanceTypes: group.instanceTypes,
                amiType: group.amiType ?? AmiType.Al2023X86,
                scalingConfig: { minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize },
                updateConfig: { maxUnavailablePercentage: group.maxUnavailablePercent ?? DEFAULT_MAX_UNAVAILABLE_PERCENT },
                labels: { ...group.labels, [NODE_GROUP_LABEL]: group.name },
                taints: (group.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
                launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
                tags: tags({ Name: groupName }),
            },
            {
                parent,
                dependsOn: [...attachments, ...before],
                // The cluster autoscaler owns the node count after creation; a later `pulumi up`
                // must not undo its scaling.
                ignoreChanges: ["scalingConfig.desiredSize"],
            },
        );
    });

    return { nodeRole, nodeSecurityGroup, nodeGroups };
}
