/**
 * The EKS control plane: its keys and log group, its IAM role, the cluster itself, the OIDC
 * provider for service-account roles, and the access entries of its administrators.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountAdministersKey, logGroupKeyPolicy, managedPolicyArn, policyDocument } from "../shared/aws";
import { Context, key } from "../shared/context";
import { SupportType } from "./args";
import { secretsKeyUsePolicy, serviceTrustPolicy } from "./policies";

/** Every control-plane log type EKS offers. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export interface ControlPlaneSettings {
    clusterName: string;
    kubernetesVersion: string;
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    publicAccessCidrs: string[];
    /** Create-only at EKS: a change replaces the cluster. */
    serviceIpv4Cidr: string;
    logRetentionDays: number;
    deletionProtection: boolean;
    supportType: SupportType;
}

export interface ControlPlane {
    cluster: aws.eks.Cluster;
    oidcProvider: aws.iam.OpenIdConnectProvider;
    /** Issuer URL of the cluster's service-account tokens. */
    oidcIssuerUrl: pulumi.Output<string>;
    logGroupName: pulumi.Output<string>;
}

export function controlPlane(name: string, settings: ControlPlaneSettings, ctx: Context): ControlPlane {
    const { parent, tags, scope, keep } = ctx;
    const clusterName = settings.clusterName;
    // EKS writes to this name; creating the group first is what gives it our retention and key.
    const logGroupName = `/aws/eks/${clusterName}/cluster`;

    const secretsKey = key(`${name}-secrets`, `Envelope-encrypts the Kubernetes secrets of ${clusterName}`, (s) => policyDocument(accountAdministersKey(s)), ctx);
    const logsKey = key(`${name}-control-plane-logs`, `Encrypts the control-plane logs of ${clusterName}`, (s) => logGroupKeyPolicy(s, logGroupName), ctx);

    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-control-plane`,
        { name: logGroupName, retentionInDays: settings.logRetentionDays, kmsKeyId: logsKey.arn, tags: tags({ Name: logGroupName }) },
        keep,
    );

    const role = new aws.iam.Role(
        `${name}-cluster`,
        {
            description: `Service role of EKS cluster ${clusterName}`,
            assumeRolePolicy: JSON.stringify(serviceTrustPolicy("eks.amazonaws.com")),
            tags: tags({ Name: `${name}-cluster` }),
        },
        { parent },
    );
    const clusterPolicy = new aws.iam.RolePolicyAttachment(
        `${name}-cluster`,
        { role: role.name, policyArn: scope.apply((s) => managedPolicyArn(s.partition, "AmazonEKSClusterPolicy")) },
        { parent },
    );
    const secretsKeyUse = new aws.iam.RolePolicy(
        `${name}-cluster-secrets-key`,
        { role: role.id, policy: secretsKey.arn.apply((arn) => JSON.stringify(secretsKeyUsePolicy(arn))) },
        { parent },
    );

    const publicEndpoint = settings.publicAccessCidrs.length > 0;
    const cluster = new aws.eks.Cluster(
        name,
        {
            name: clusterName,
            version: settings.kubernetesVersion,
            roleArn: role.arn,
            vpcConfig: {
                subnetIds: settings.subnetIds,
                endpointPrivateAccess: true,
                endpointPublicAccess: publicEndpoint,
                // Left unset, EKS would open the public endpoint to 0.0.0.0/0.
                publicAccessCidrs: publicEndpoint ? settings.publicAccessCidrs : undefined,
            },
            kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: settings.serviceIpv4Cidr },
            encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] },
            enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
            // Access entries only: who may do what is in the EKS API and in this program, not in
            // a ConfigMap anyone with cluster-admin could edit. The creator gets no hidden grant.
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
            // vpc-cni, kube-proxy and CoreDNS come as managed add-ons with pinned versions instead.
            bootstrapSelfManagedAddons: false,
            deletionProtection: settings.deletionProtection,
            upgradePolicy: { supportType: settings.supportType },
            zonalShiftConfig: { enabled: true },
            tags: tags({ Name: clusterName }),
        },
        { ...keep, dependsOn: [logGroup, clusterPolicy, secretsKeyUse] },
    );

    const oidcIssuerUrl = cluster.identities.apply((identities) => {
        const issuer = identities?.[0]?.oidcs?.[0]?.issuer;
        if (!issuer) {
            throw new pulumi.ResourceError(`EKS cluster ${clusterName} reported no OIDC issuer`, parent);
        }
        return issuer;
    });
    const oidcProvider = new aws.iam.OpenIdConnectProvider(
        `${name}-oidc`,
        { url: oidcIssuerUrl, clientIdLists: ["sts.amazonaws.com"], tags: tags({ Name: `${name}-oidc` }) },
        { parent },
    );

    return { cluster, oidcProvider, oidcIssuerUrl, logGroupName: logGroup.name };
}

/** The last path segment of an IAM role ARN: its name. */
function roleNameOf(arn: string): string {
    return arn.slice(arn.lastIndexOf("/") + 1);
}

/** The same IAM principal: account, kind and name alike (a role's path aside, which EKS may leave out). */
function samePrincipal(a: string, b: string): boolean {
    const key = (arn: string) => {
        const match = /^arn:[\w-]+:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(arn);
        return match ? `${match[1]}:${match[2]}:${match[3]}` : arn;
    };
    return key(a) === key(b);
}

/**
 * Cluster-admin access entries: one per configured role, and one for whoever runs the
 * deployment (resolved from an assumed-role session to its role), so the Kubernetes
 * provider can manage the cluster it just created.
 */
export function adminAccess(
    name: string,
    cluster: aws.eks.Cluster,
    adminRoleArns: string[],
    deployerAdmin: boolean,
    ctx: Context,
): pulumi.Resource[] {
    const principals: Array<[string, pulumi.Input<string>]> = adminRoleArns.map((arn) => [`${name}-admin-${roleNameOf(arn)}`, arn]);
    if (deployerAdmin) {
        const caller = aws.getCallerIdentityOutput({}, { parent: ctx.parent });
        const session = aws.iam.getSessionContextOutput({ arn: caller.arn }, { parent: ctx.parent });
        const deployer = session.issuerArn.apply((arn) => {
            // EKS takes one access entry per principal (a second is ResourceInUseException, after
            // the cluster exists): a role named twice is refused at preview instead.
            const twice = adminRoleArns.find((admin) => samePrincipal(admin, arn));
            if (twice) {
                throw new pulumi.ResourceError(
                    `adminRoleArns: ${twice} is the role running this deployment, which deployerAdmin already makes an admin; ` +
                        "EKS refuses a second access entry for it: remove it from adminRoleArns, or set deployerAdmin to false",
                    ctx.parent,
                );
            }
            return arn;
        });
        principals.push([`${name}-deployer`, deployer]);
    }
    return principals.flatMap(([entryName, principalArn]) => {
        const entry = new aws.eks.AccessEntry(
            entryName,
            { clusterName: cluster.name, principalArn, type: "STANDARD", tags: ctx.tags({ Name: entryName }) },
            { parent: ctx.parent },
        );
        const association = new aws.eks.AccessPolicyAssociation(
            entryName,
            {
                clusterName: cluster.name,
                principalArn: entry.principalArn,
                policyArn: ctx.scope.apply((s) => `arn:${s.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`),
                accessScope: { type: "cluster" },
            },
            { parent: ctx.parent },
        );
        return [entry, association];
    });
}
