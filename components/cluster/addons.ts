/**
 * What runs in the cluster besides applications: the EKS managed add-ons, the default
 * storage class, and the platform's Helm releases (metrics-server, AWS Load Balancer
 * Controller, cluster autoscaler, External Secrets Operator). Every add-on that calls AWS has
 * its own service-account role.
 */
import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { managedPolicyArn } from "../shared/aws";
import { AddonVersionArgs } from "./args";
import { Context } from "../shared/context";
import { clusterAutoscalerPolicy, loadBalancerControllerPolicy, volumeKeyUsePolicy } from "./policies";
import { ServiceAccountRole } from "./serviceAccountRole";
import { HelmChart, helmRelease } from "../shared/helm";
import { HELM_CHARTS, clusterAutoscalerImageTag } from "./versions";
import { NODE_GROUP_LABEL } from "./validate";

/** The taint that keeps application pods off the system node group; platform add-ons tolerate it. */
export const SYSTEM_TAINT = { key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" } as const;

const ADDON_NAMESPACE = "kube-system";

/** Service accounts of the add-ons that call AWS, each trusted by its own role. */
export const SERVICE_ACCOUNTS = {
    vpcCni: "aws-node",
    ebsCsiController: "ebs-csi-controller-sa",
    loadBalancerController: "aws-load-balancer-controller",
    clusterAutoscaler: "cluster-autoscaler",
} as const;

export interface Identity {
    oidcProviderArn: pulumi.Input<string>;
    oidcProviderUrl: pulumi.Input<string>;
}

/** An IRSA role for a kube-system service account. */
function addonRole(
    name: string,
    serviceAccountName: string,
    identity: Identity,
    permissions: { policyJson?: pulumi.Input<string>; managedPolicyArns?: pulumi.Input<string>[] },
    ctx: Context,
): ServiceAccountRole {
    return new ServiceAccountRole(
        name,
        { ...identity, namespace: ADDON_NAMESPACE, serviceAccountName, ...permissions, tags: ctx.tags({}) },
        { parent: ctx.parent },
    );
}

function addon(
    name: string,
    clusterName: pulumi.Input<string>,
    addonName: string,
    addonVersion: string,
    extra: { serviceAccountRoleArn?: pulumi.Input<string>; configurationValues?: string; dependsOn?: pulumi.Resource[] },
    ctx: Context,
): aws.eks.Addon {
    return new aws.eks.Addon(
        `${name}-${addonName}`,
        {
            clusterName,
            addonName,
            addonVersion,
            serviceAccountRoleArn: extra.serviceAccountRoleArn,
            configurationValues: extra.configurationValues,
            // This program is the add-ons' source of truth: edits made in the cluster are overwritten.
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
            tags: ctx.tags({ Name: `${name}-${addonName}` }),
        },
        { parent: ctx.parent, dependsOn: extra.dependsOn },
    );
}

/**
 * The add-ons nodes need to become Ready (networking, service routing, pod identity): created
 * before the node groups, which the cluster lacks until then (`bootstrapSelfManagedAddons` off).
 */
export function networkingAddons(name: string, cluster: aws.eks.Cluster, versions: AddonVersionArgs, identity: Identity, ctx: Context): aws.eks.Addon[] {
    const cniRole = addonRole(`${name}-vpc-cni`, SERVICE_ACCOUNTS.vpcCni, identity, {
        managedPolicyArns: [ctx.scope.apply((s) => managedPolicyArn(s.partition, "AmazonEKS_CNI_Policy"))],
    }, ctx);
    return [
        addon(name, cluster.name, "vpc-cni", versions.vpcCni, {
            serviceAccountRoleArn: cniRole.roleArn,
            // Turns on the network policy agent, which enforces the namespaces' NetworkPolicies.
            configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
        }, ctx),
        addon(name, cluster.name, "kube-proxy", versions.kubeProxy, {}, ctx),
        addon(name, cluster.name, "eks-pod-identity-agent", versions.podIdentityAgent, {}, ctx),
    ];
}

/** The add-ons that need running nodes to become healthy: DNS and the EBS CSI driver. */
export function workloadAddons(
    name: string,
    cluster: aws.eks.Cluster,
    versions: AddonVersionArgs,
    identity: Identity,
    volumeKeyArn: pulumi.Output<string>,
    nodeGroups: pulumi.Resource[],
    ctx: Context,
): aws.eks.Addon[] {
    const ebsRole = addonRole(`${name}-ebs-csi`, SERVICE_ACCOUNTS.ebsCsiController, identity, {
        managedPolicyArns: [ctx.scope.apply((s) => managedPolicyArn(s.partition, "service-role/AmazonEBSCSIDriverPolicy"))],
        policyJson: volumeKeyArn.apply((arn) => JSON.stringify(volumeKeyUsePolicy(arn))),
    }, ctx);
    return [
        addon(name, cluster.name, "coredns", versions.coredns, { dependsOn: nodeGroups }, ctx),
        addon(name, cluster.name, "aws-ebs-csi-driver", versions.ebsCsiDriver, { serviceAccountRoleArn: ebsRole.roleArn, dependsOn: nodeGroups }, ctx),
    ];
}

/**
 * gp3 becomes the default class: encrypted with the cluster's volume key, bound where the pod
 * lands, expandable. Volumes outlive their claims where stateful resources are protected.
 */
export function storageClasses(name: string, volumeKeyArn: pulumi.Output<string>, retainVolumes: boolean, opts: pulumi.CustomResourceOptions): void {
    const isDefault = "storageclass.kubernetes.io/is-default-class";
    new kubernetes.storage.v1.StorageClass(
        `${name}-gp3`,
        {
            metadata: { name: "gp3", annotations: { [isDefault]: "true" } },
            provisioner: "ebs.csi.aws.com",
            parameters: { type: "gp3", encrypted: "true", kmsKeyId: volumeKeyArn, "csi.storage.k8s.io/fstype": "ext4" },
            reclaimPolicy: retainVolumes ? "Retain" : "Delete",
            volumeBindingMode: "WaitForFirstConsumer",
            allowVolumeExpansion: true,
        },
        opts,
    );
    // EKS creates gp2 (the in-tree, unencrypted-by-default class) with every cluster; a patch
    // makes sure it is not the default whatever the cluster's version did.
    new kubernetes.storage.v1.StorageClassPatch(
        `${name}-gp2-not-default`,
        { metadata: { name: "gp2", annotations: { [isDefault]: "false" } } },
        opts,
    );
}

export interface HelmSettings {
    clusterName: string;
    kubernetesVersion: string;
    region: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    systemNodeGroup: string;
}

function release(name: string, chart: HelmChart, values: pulumi.Input<Record<string, unknown>>, opts: pulumi.CustomResourceOptions): kubernetes.helm.v3.Release {
    return helmRelease(`${name}-${chart.chart}`, chart, { namespace: ADDON_NAMESPACE, values }, opts);
}

/** The platform's Helm releases; returns them so later resources can wait for them. */
export function platformReleases(name: string, settings: HelmSettings, identity: Identity, ctx: Context, opts: pulumi.CustomResourceOptions): kubernetes.helm.v3.Release[] {
    const onSystemNodes = {
        nodeSelector: { [NODE_GROUP_LABEL]: settings.systemNodeGroup },
        tolerations: [{ key: SYSTEM_TAINT.key, operator: "Exists", effect: "NoSchedule" }],
    };
    const annotated = (role: ServiceAccountRole) => ({ "eks.amazonaws.com/role-arn": role.roleArn });

    const metricsServer = release(name, HELM_CHARTS.metricsServer, {
        ...onSystemNodes,
        replicas: 2,
        podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    }, opts);

    const lbRole = addonRole(`${name}-aws-load-balancer-controller`, SERVICE_ACCOUNTS.loadBalancerController, identity, {
        policyJson: ctx.scope.apply((s) => JSON.stringify(loadBalancerControllerPolicy(s))),
    }, ctx);
    const loadBalancerController = release(name, HELM_CHARTS.awsLoadBalancerController, {
        ...onSystemNodes,
        clusterName: settings.clusterName,
        // Set explicitly: with a metadata hop limit of 1 the controller cannot look them up.
        region: settings.region,
        vpcId: settings.vpcId,
        replicaCount: 2,
        podDisruptionBudget: { maxUnavailable: 1 },
        serviceAccount: { create: true, name: SERVICE_ACCOUNTS.loadBalancerController, annotations: annotated(lbRole) },
    }, opts);

    const autoscalerRole = addonRole(`${name}-cluster-autoscaler`, SERVICE_ACCOUNTS.clusterAutoscaler, identity, {
        policyJson: ctx.scope.apply((s) => JSON.stringify(clusterAutoscalerPolicy(s, settings.clusterName))),
    }, ctx);
    const clusterAutoscaler = release(name, HELM_CHARTS.clusterAutoscaler, {
        ...onSystemNodes,
        cloudProvider: "aws",
        awsRegion: settings.region,
        autoDiscovery: { clusterName: settings.clusterName },
        // The autoscaler's minor version must match the cluster's.
        image: { tag: clusterAutoscalerImageTag(settings.kubernetesVersion) },
        rbac: { serviceAccount: { create: true, name: SERVICE_ACCOUNTS.clusterAutoscaler, annotations: annotated(autoscalerRole) } },
        extraArgs: {
            "balance-similar-node-groups": true,
            expander: "least-waste",
            "skip-nodes-with-local-storage": false,
        },
    }, opts);

    // Copies Secrets Manager secrets into Kubernetes Secrets. It holds no AWS permissions of its
    // own: each SecretStore names a service account whose IRSA role reads only that namespace's secrets.
    const externalSecrets = release(name, HELM_CHARTS.externalSecrets, {
        global: onSystemNodes,
        installCRDs: true,
        replicaCount: 2,
        leaderElect: true,
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
        webhook: { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } },
    }, opts);

    return [metricsServer, loadBalancerController, clusterAutoscaler, externalSecrets];
}
