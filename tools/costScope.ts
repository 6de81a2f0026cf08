/**
 * What the cost estimate looks at, and where: the resource types that cost nothing by themselves,
 * the Helm charts known to create nothing AWS bills, and the Region each resource is created in.
 * A type in neither the free lists here nor the priced ones in cost.ts is reported as unpriced.
 */
import type { CostedResource } from "./costTypes";

/** AWS and other provider types that carry no charge of their own (what they cause is priced elsewhere). */
export const FREE_TYPES: ReadonlySet<string> = new Set([
    // IAM, and the cluster's access entries and add-ons (add-ons run on the priced nodes).
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    "aws:eks/accessEntry:AccessEntry",
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    "aws:eks/addon:Addon",
    // The network's free parts; flow logs are charged as vended log ingestion at their log group.
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/route:Route",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/networkAcl:NetworkAcl",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:ec2/flowLog:FlowLog",
    // Launch templates (the node groups' instances and volumes are priced), subnet and parameter groups.
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:rds/parameterGroup:ParameterGroup",
    "aws:rds/subnetGroup:SubnetGroup",
    "aws:elasticache/subnetGroup:SubnetGroup",
    // Settings of priced resources: key aliases, secret versions, bucket configuration.
    "aws:kms/alias:Alias",
    "aws:secretsmanager/secretVersion:SecretVersion",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketVersioning:BucketVersioning",
    // Backup plans and selections (storage and copies are priced at the vaults, restore tests at their plan), vault locks.
    "aws:backup/plan:Plan",
    "aws:backup/selection:Selection",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    "aws:backup/restoreTestingSelection:RestoreTestingSelection",
    // SNS charges per request and delivery only (left out, like every request charge).
    "aws:sns/topic:Topic",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:sns/topicSubscription:TopicSubscription",
    // Generated in the engine, not in AWS.
    "random:index/randomPassword:RandomPassword",
    "random:index/randomId:RandomId",
    "random:index/randomString:RandomString",
]);

/** Kubernetes objects that only configure the cluster or run pods on its (priced) nodes. */
export const FREE_KUBERNETES_TYPES: ReadonlySet<string> = new Set([
    "kubernetes:core/v1:ConfigMap",
    "kubernetes:core/v1:LimitRange",
    "kubernetes:core/v1:Namespace",
    "kubernetes:core/v1:ResourceQuota",
    "kubernetes:core/v1:Secret",
    "kubernetes:core/v1:ServiceAccount",
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:batch/v1:CronJob",
    "kubernetes:batch/v1:Job",
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    "kubernetes:policy/v1:PodDisruptionBudget",
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    "kubernetes:rbac.authorization.k8s.io/v1:Role",
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    "kubernetes:scheduling.k8s.io/v1:PriorityClass",
    "kubernetes:storage.k8s.io/v1:StorageClass",
    "kubernetes:storage.k8s.io/v1:StorageClassPatch",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate",
    "kubernetes:argoproj.io/v1alpha1:Rollout",
    "kubernetes:external-secrets.io/v1:ExternalSecret",
    "kubernetes:external-secrets.io/v1:SecretStore",
    "kubernetes:monitoring.coreos.com/v1:PodMonitor",
    "kubernetes:monitoring.coreos.com/v1:Probe",
    "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
    // Velero writes its backups to the Velero bucket, priced as that bucket's storage.
    "kubernetes:velero.io/v1:Schedule",
]);

/** Charts whose objects run on the nodes and claim no volume or load balancer (those with volumes are in cost.ts). */
export const CHARTS_WITHOUT_AWS_RESOURCES: ReadonlySet<string> = new Set([
    "argo-rollouts",
    "aws-load-balancer-controller",
    "cluster-autoscaler",
    "external-secrets",
    "fluent-bit",
    "metrics-server",
    "prometheus-blackbox-exporter",
    "prometheus-postgres-exporter",
    "prometheus-redis-exporter",
    "velero",
]);

/** Resources that are not infrastructure: the stack, components and providers. */
export function isStructural(r: Pick<CostedResource, "type" | "custom">): boolean {
    return !r.custom || r.type === "pulumi:pulumi:Stack" || r.type.startsWith("pulumi:providers:");
}

/** Where each resource is created: its explicit provider's Region, or the stack's. */
export class Regions {
    private readonly byUrn: ReadonlyMap<string, CostedResource>;

    constructor(
        resources: readonly CostedResource[],
        /** The stack's Region (config `aws:region`): the default provider's. */
        readonly stack: string,
    ) {
        this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    }

    /**
     * An AWS resource made through an explicit aws provider is in that provider's `region`;
     * a Kubernetes object is in the Region of the EKS cluster its provider talks to (the
     * provider depends on it); anything else is in the stack's Region. Undefined when an
     * explicit aws provider names no Region (it would read one from its environment).
     */
    of(r: CostedResource): string | undefined {
        const provider = r.provider ? this.byUrn.get(r.provider) : undefined;
        if (provider === undefined) {
            return this.stack;
        }
        if (provider.type === "pulumi:providers:aws") {
            const region = provider.inputs.region;
            return typeof region === "string" && region !== "" ? region : undefined;
        }
        if (provider.type === "pulumi:providers:kubernetes") {
            const cluster = (provider.dependencies ?? []).map((urn) => this.byUrn.get(urn)).find((d) => d?.type === "aws:eks/cluster:Cluster");
            return cluster === undefined ? this.stack : this.of(cluster);
        }
        return this.stack;
    }
}
