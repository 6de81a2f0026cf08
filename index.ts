// The stack: read and validate config, build the components in data-flow order, export.
import { Network } from "./components";
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
