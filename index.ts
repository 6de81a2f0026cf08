// The stack: read and validate config, build the components in data-flow order, export.
import * as aws from "@pulumi/aws";
import { Backup, Cluster, Database, Network, Observability, ProgressiveDelivery, RESTORE_DRILL_CRON_JOB } from "./components";
import { applicationProbeUrl, backupComponentSettings, readStackConfig } from "./config";

const config = readStackConfig();
// Physical names derive from the component name; scoping it by stack keeps two stacks in
// one account apart.
const baseName = `${config.project}-${config.stack}`;

const network = new Network(baseName, {
    ...config.network,
    protectStatefulResources: config.protectStatefulResources,
    tags: config.tags,
});

const { nodeGroups, applicationNamespaces, ...clusterSettings } = config.cluster;
const cluster = new Cluster(baseName, {
    ...clusterSettings,
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    nodeGroups: Object.entries(nodeGroups).map(([name, group]) => ({ ...group, name })),
    applicationNamespaces: Object.entries(applicationNamespaces).map(([name, namespace]) => ({ ...namespace, name })),
    protectStatefulResources: config.protectStatefulResources,
    tags: config.tags,
});

// The backup plan selects what carries this tag: the primary database, the one copy of its data.
const backupSelectionTags = { "backup-plan": baseName };

const database = new Database(baseName, {
    ...config.database,
    backupTags: backupSelectionTags,
    vpcId: network.vpcId,
    databaseSubnetGroupName: network.databaseSubnetGroupName,
    isolatedSubnetIds: network.isolatedSubnetIds,
    // Pods run with their node's security groups, so this admits the application and nothing outside the cluster.
    clientSecurityGroupIds: [cluster.nodeSecurityGroupId],
    protectStatefulResources: config.protectStatefulResources,
    tags: config.tags,
});

const observability = new Observability(
    baseName,
    {
        ...config.observability,
        applicationUrl: applicationProbeUrl(config.delivery),
        clusterName: cluster.clusterName,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcProviderUrl: cluster.oidcProviderUrl,
        kubernetesVersion: config.cluster.kubernetesVersion,
        nodeAgentNamespace: config.cluster.nodeAgentNamespace,
        applicationNamespaces: Object.keys(applicationNamespaces),
        database: {
            endpoint: database.endpoint,
            port: database.port,
            databaseName: database.databaseName,
            masterUserSecretArn: database.masterUserSecretArn,
            instanceIdentifier: database.instanceIdentifier,
            replicaIdentifiers: database.replicaIdentifiers,
            allocatedStorageGiB: config.database.postgres.allocatedStorageGiB,
            redisPrimaryEndpoint: database.redisPrimaryEndpoint,
            redisPort: database.redisPort,
            redisAuthSecretArn: database.redisAuthSecretArn,
            redisNodeIds: database.redisNodeIds,
            credentialsReadPolicyJson: database.credentialsReadPolicyJson,
        },
        natGatewayIds: network.natGatewayIds,
        restoreDrill: config.backup.velero.restoreDrill.enabled ? { namespace: config.backup.velero.namespace, cronJobName: RESTORE_DRILL_CRON_JOB } : undefined,
        protectStatefulResources: config.protectStatefulResources,
        tags: config.tags,
    },
    // In-cluster objects need the cluster's namespaces, add-ons and CRDs (External Secrets) first.
    { providers: { kubernetes: cluster.provider }, dependsOn: [cluster] },
);

// The DR region's provider: explicit, so nothing lands there unless a component is handed it.
const { drRegion, ...backupSettings } = config.backup;
const drProvider = new aws.Provider(`${baseName}-dr`, { region: drRegion as aws.Region });
const backup = new Backup(
    baseName,
    {
        ...backupComponentSettings(backupSettings),
        drProvider,
        selectionTags: backupSelectionTags,
        database: {
            instanceArn: database.instanceArn,
            allocatedStorageGiB: config.database.postgres.allocatedStorageGiB,
            subnetGroupName: network.databaseSubnetGroupName,
            securityGroupId: database.securityGroupId,
        },
        cluster: {
            oidcProviderArn: cluster.oidcProviderArn,
            oidcProviderUrl: cluster.oidcProviderUrl,
            kubernetesVersion: config.cluster.kubernetesVersion,
            applicationNamespaces: Object.keys(applicationNamespaces),
            volumeKmsKeyArn: cluster.volumeKmsKeyArn,
        },
        monitoringReleaseLabel: observability.releaseLabel,
        monitoringNamespace: observability.namespace,
        protectStatefulResources: config.protectStatefulResources,
        tags: config.tags,
    },
    // Velero's ServiceMonitor needs the monitoring stack's CRDs; its namespace, the cluster's add-ons.
    { providers: { kubernetes: cluster.provider }, dependsOn: [cluster, observability] },
);

const delivery = new ProgressiveDelivery(
    baseName,
    {
        ...config.delivery,
        kubernetesVersion: config.cluster.kubernetesVersion,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcProviderUrl: cluster.oidcProviderUrl,
        database: {
            endpoint: database.endpoint,
            port: database.port,
            databaseName: database.databaseName,
            masterUserSecretArn: database.masterUserSecretArn,
            redisPrimaryEndpoint: database.redisPrimaryEndpoint,
            redisPort: database.redisPort,
            redisAuthSecretArn: database.redisAuthSecretArn,
            credentialsReadPolicyJson: database.credentialsReadPolicyJson,
        },
        network: { publicSubnetCidrs: network.publicSubnetCidrs, isolatedSubnetCidrs: network.isolatedSubnetCidrs },
        monitoring: {
            prometheusUrl: observability.prometheusUrl,
            namespace: observability.namespace,
            releaseLabel: observability.releaseLabel,
            otlpEndpoint: observability.otlpEndpoint,
        },
        tags: config.tags,
    },
    // The application's namespace and the load balancer controller come with the cluster; its
    // pod monitor needs the monitoring CRDs, its secrets the stores' operator.
    { providers: { kubernetes: cluster.provider }, dependsOn: [cluster, observability] },
);

export const environment = config.environment;
export const region = config.region;
export const vpcId = network.vpcId;
export const vpcCidr = network.vpcCidr;
export const availabilityZones = network.availabilityZones;
export const publicSubnetIds = network.publicSubnetIds;
export const privateSubnetIds = network.privateSubnetIds;
export const isolatedSubnetIds = network.isolatedSubnetIds;
export const databaseSubnetGroupName = network.databaseSubnetGroupName;
export const flowLogGroupName = network.flowLogGroupName;
export const clusterName = cluster.clusterName;
export const clusterEndpoint = cluster.endpoint;
export const clusterCertificateAuthority = cluster.certificateAuthority;
export const kubeconfig = cluster.kubeconfig;
export const oidcProviderArn = cluster.oidcProviderArn;
export const oidcProviderUrl = cluster.oidcProviderUrl;
export const clusterSecurityGroupId = cluster.clusterSecurityGroupId;
export const nodeSecurityGroupId = cluster.nodeSecurityGroupId;
export const namespaces = cluster.namespaceNames;
export const databaseEndpoint = database.endpoint;
export const databasePort = database.port;
export const databaseName = database.databaseName;
export const databaseReplicaEndpoints = database.replicaEndpoints;
export const databaseMasterUserSecretArn = database.masterUserSecretArn;
export const databaseInstanceArn = database.instanceArn;
export const databaseInstanceIdentifier = database.instanceIdentifier;
export const databaseKmsKeyArn = database.kmsKeyArn;
export const databaseSecurityGroupId = database.securityGroupId;
export const redisPrimaryEndpoint = database.redisPrimaryEndpoint;
export const redisReaderEndpoint = database.redisReaderEndpoint;
export const redisPort = database.redisPort;
export const redisAuthSecretArn = database.redisAuthSecretArn;
export const databaseCredentialsReadPolicy = database.credentialsReadPolicyJson;
export const prometheusUrl = observability.prometheusUrl;
export const alertmanagerUrl = observability.alertmanagerUrl;
export const grafanaUrl = observability.grafanaUrl;
export const lokiUrl = observability.lokiUrl;
export const otlpEndpoint = observability.otlpEndpoint;
export const alertTopicArn = observability.alertTopicArn;
export const lokiBucketName = observability.lokiBucketName;
export const monitoringNamespace = observability.namespace;
export const grafanaAdminSecretName = observability.grafanaAdminSecretName;
export const backupVaultArn = backup.vaultArn;
export const backupDrVaultArn = backup.drVaultArn;
export const backupPlanId = backup.planId;
export const veleroBucketName = backup.veleroBucketName;
export const veleroDrBucketName = backup.veleroDrBucketName;
export const rpoMinutes = backup.rpoMinutes;
export const rtoMinutes = backup.rtoMinutes;
export const recoveryScenario = backup.recoveryScenario;
export { drRegion };
export const applicationUrl = delivery.applicationUrl;
export const rolloutName = delivery.rolloutName;
export const applicationNamespace = delivery.namespace;
export const deliveryStrategy = delivery.strategy;
export const timeToAbortSeconds = delivery.timeToAbortSeconds;
export const loadBalancerHostname = delivery.loadBalancerHostname;
