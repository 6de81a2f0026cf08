// The stack: read and validate config, build the components in data-flow order, export.
import { Cluster, Database, Network } from "./components";
import { readStackConfig } from "./config";

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

const database = new Database(baseName, {
    ...config.database,
    vpcId: network.vpcId,
    databaseSubnetGroupName: network.databaseSubnetGroupName,
    isolatedSubnetIds: network.isolatedSubnetIds,
    // Pods run with their node's security groups, so this admits the application and nothing outside the cluster.
    clientSecurityGroupIds: [cluster.nodeSecurityGroupId],
    protectStatefulResources: config.protectStatefulResources,
    tags: config.tags,
});

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
