import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS, NatMode, NetworkArgs } from "./args";
import {
    MAX_AVAILABILITY_ZONES,
    MAX_VPC_PREFIX,
    MIN_AVAILABILITY_ZONES,
    MIN_VPC_PREFIX,
    PRIVATE_RANGES,
    SubnetTier,
    cidrProblem,
    isPrivateRange,
    parseCidr,
    subnetCidr,
} from "./cidr";
import { AccountScope, Tagger, accountScope, logGroupKeyPolicy, tagger } from "../shared/aws";
import { INTERFACE_ENDPOINT_SERVICES } from "./endpoints";
import { flowLogTrustPolicy, flowLogWritePolicy } from "./policies";
import { ALL_EKS_UNSUPPORTED_ZONE_IDS } from "./zones";

export { NatMode, NetworkArgs } from "./args";


const DEFAULTS = {
    availabilityZoneCount: 3,
    natMode: NatMode.PerAz,
    flowLogRetentionDays: 365,
    interfaceEndpoints: true,
    protectStatefulResources: false,
};

/**
 * A VPC in three subnet tiers per availability zone: public (load balancers, NAT gateways),
 * private (nodes and pods) and isolated (databases, with no route to the internet at all),
 * with flow logs, a rule-less default security group and VPC endpoints.
 */
export class Network extends pulumi.ComponentResource {
    /** Id of the VPC. */
    public readonly vpcId: pulumi.Output<string>;
    /** IPv4 CIDR of the VPC. */
    public readonly vpcCidr: pulumi.Output<string>;
    /** Names of the availability zones used, in subnet order. */
    public readonly availabilityZones: pulumi.Output<string[]>;
    /** Public subnets, one per zone: load balancers and NAT gateways. */
    public readonly publicSubnetIds: pulumi.Output<string[]>;
    /** Private subnets, one per zone: nodes and pods. */
    public readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Isolated subnets, one per zone: databases and caches, no internet route. */
    public readonly isolatedSubnetIds: pulumi.Output<string[]>;
    /** CIDRs of the public subnets: where internet-facing load balancers take their addresses. */
    public readonly publicSubnetCidrs: pulumi.Output<string[]>;
    /** CIDRs of the isolated subnets: where the databases and caches listen. */
    public readonly isolatedSubnetCidrs: pulumi.Output<string[]>;
    /** Route tables of the private subnets, one per zone (for gateway endpoints added later). */
    public readonly privateRouteTableIds: pulumi.Output<string[]>;
    /** RDS subnet group over the isolated subnets. */
    public readonly databaseSubnetGroupName: pulumi.Output<string>;
    /** CloudWatch Logs group receiving the VPC flow logs. */
    public readonly flowLogGroupName: pulumi.Output<string>;
    /** Security group of the interface endpoints (empty when they are off). */
    public readonly endpointSecurityGroupId: pulumi.Output<string>;
    /** NAT gateways, one per zone or one in all (none when `natMode` is none): for their alarms. */
    public readonly natGatewayIds: pulumi.Output<string>[];

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Network", name, {}, opts);

        const settings = validateNetworkArgs(args, this);
        const tags = tagger(args.tags);
        const zoneCount = settings.availabilityZoneCount;
        const indexes = Array.from({ length: zoneCount }, (_, i) => i);

        const zoneNames = pickAvailabilityZones(zoneCount, this);
        const scope = accountScope(this);

        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.cidrBlock,
                enableDnsSupport: true,
                enableDnsHostnames: true,
                tags: tags({ Name: `${name}-vpc` }),
            },
            { parent: this },
        );

        // Managing the default security group with no rules strips the allow-all rules AWS
        // puts in it, so nothing that forgets its own group is reachable.
        new aws.ec2.DefaultSecurityGroup(
            `${name}-default-sg`,
            { vpcId: vpc.id, tags: tags({ Name: `${name}-default-deny` }) },
            { parent: this },
        );

        const subnetsOf = (tier: SubnetTier, roleTags: Record<string, string>): aws.ec2.Subnet[] =>
            indexes.map(
                (i) =>
                    new aws.ec2.Subnet(
                        `${name}-${tier}-az${i + 1}`,
                        {
                            vpcId: vpc.id,
                            cidrBlock: subnetCidr(args.cidrBlock, tier, i),
                            availabilityZone: zoneNames.apply((zones) => zones[i]),
                            // Nothing gets a public address by accident: load balancers and
                            // NAT gateways bring their own.
                            mapPublicIpOnLaunch: false,
                            tags: tags({ Name: `${name}-${tier}-az${i + 1}`, tier, ...roleTags }),
                        },
                        { parent: this },
                    ),
            );
        const publicSubnets = subnetsOf(SubnetTier.Public, { "kubernetes.io/role/elb": "1" });
        const privateSubnets = subnetsOf(SubnetTier.Private, { "kubernetes.io/role/internal-elb": "1" });
        const isolatedSubnets = subnetsOf(SubnetTier.Isolated, {});

        const internetGateway = new aws.ec2.InternetGateway(
            `${name}-igw`,
            { vpcId: vpc.id, tags: tags({ Name: `${name}-igw` }) },
            { parent: this },
        );

        const publicRouteTable = this.routeTable(`${name}-public`, vpc, publicSubnets, tags);
        new aws.ec2.Route(
            `${name}-public-internet`,
            { routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id },
            { parent: this },
        );

        const natGateways = indexes.slice(0, natGatewayCount(settings.natMode, zoneCount)).map((i) => {
            const address = new aws.ec2.Eip(
                `${name}-nat-az${i + 1}`,
                { domain: "vpc", tags: tags({ Name: `${name}-nat-az${i + 1}` }) },
                { parent: this },
            );
            return new aws.ec2.NatGateway(
                `${name}-nat-az${i + 1}`,
                {
                    allocationId: address.allocationId,
                    subnetId: publicSubnets[i].id,
                    connectivityType: "public",
                    tags: tags({ Name: `${name}-nat-az${i + 1}` }),
                },
                { parent: this, dependsOn: [internetGateway] },
            );
        });

        // One private route table per zone whatever the NAT mode, so switching between
        // single and perAz only re-points routes and never replaces a table.
        const privateRouteTables = indexes.map((i) => {
            const table = this.routeTable(`${name}-private-az${i + 1}`, vpc, [privateSubnets[i]], tags);
            if (natGateways.length > 0) {
                new aws.ec2.Route(
                    `${name}-private-az${i + 1}-egress`,
                    {
                        routeTableId: table.id,
                        destinationCidrBlock: "0.0.0.0/0",
                        natGatewayId: natGateways[Math.min(i, natGateways.length - 1)].id,
                    },
                    { parent: this },
                );
            }
            return table;
        });

        // Isolated subnets get a table with only the implicit local route, and a network ACL
        // that admits traffic from inside the VPC alone, in case a route is ever added by hand.
        this.routeTable(`${name}-isolated`, vpc, isolatedSubnets, tags);
        new aws.ec2.NetworkAcl(
            `${name}-isolated`,
            {
                vpcId: vpc.id,
                subnetIds: isolatedSubnets.map((s) => s.id),
                ingress: [{ ruleNo: 100, action: "allow", protocol: "-1", cidrBlock: args.cidrBlock, fromPort: 0, toPort: 0 }],
                egress: [{ ruleNo: 100, action: "allow", protocol: "-1", cidrBlock: args.cidrBlock, fromPort: 0, toPort: 0 }],
                tags: tags({ Name: `${name}-isolated` }),
            },
            { parent: this },
        );

        const region = scope.apply((s) => s.region);
        new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId: vpc.id,
                serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: privateRouteTables.map((t) => t.id),
                tags: tags({ Name: `${name}-s3` }),
            },
            { parent: this },
        );

        const endpointSecurityGroupId = settings.interfaceEndpoints
            ? this.interfaceEndpoints(name, vpc, privateSubnets, region, args.cidrBlock, tags)
            : pulumi.output("");

        const flowLogGroupName = this.flowLogs(name, vpc, scope, settings, tags);

        const databaseSubnetGroup = new aws.rds.SubnetGroup(
            `${name}-database`,
            {
                description: `Isolated subnets of ${name} for databases`,
                subnetIds: isolatedSubnets.map((s) => s.id),
                tags: tags({ Name: `${name}-database` }),
            },
            { parent: this },
        );

        this.vpcId = vpc.id;
        this.vpcCidr = vpc.cidrBlock;
        this.availabilityZones = zoneNames;
        this.publicSubnetIds = pulumi.all(publicSubnets.map((s) => s.id));
        this.privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
        this.isolatedSubnetIds = pulumi.all(isolatedSubnets.map((s) => s.id));
        this.publicSubnetCidrs = pulumi.all(publicSubnets.map((s) => s.cidrBlock));
        this.isolatedSubnetCidrs = pulumi.all(isolatedSubnets.map((s) => s.cidrBlock));
        this.privateRouteTableIds = pulumi.all(privateRouteTables.map((t) => t.id));
        this.databaseSubnetGroupName = databaseSubnetGroup.name;
        this.flowLogGroupName = flowLogGroupName;
        this.endpointSecurityGroupId = endpointSecurityGroupId;
        this.natGatewayIds = natGateways.map((gateway) => gateway.id);
        this.registerOutputs({
            vpcId: this.vpcId,
            vpcCidr: this.vpcCidr,
            availabilityZones: this.availabilityZones,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            isolatedSubnetIds: this.isolatedSubnetIds,
            publicSubnetCidrs: this.publicSubnetCidrs,
            isolatedSubnetCidrs: this.isolatedSubnetCidrs,
            privateRouteTableIds: this.privateRouteTableIds,
            databaseSubnetGroupName: this.databaseSubnetGroupName,
            flowLogGroupName: this.flowLogGroupName,
            endpointSecurityGroupId: this.endpointSecurityGroupId,
            natGatewayIds: this.natGatewayIds,
        });
    }

    private routeTable(
        tableName: string,
        vpc: aws.ec2.Vpc,
        subnets: aws.ec2.Subnet[],
        tags: Tagger,
    ): aws.ec2.RouteTable {
        const table = new aws.ec2.RouteTable(tableName, { vpcId: vpc.id, tags: tags({ Name: tableName }) }, { parent: this });
        subnets.forEach((subnet, i) => {
            new aws.ec2.RouteTableAssociation(
                `${tableName}-${i + 1}`,
                { routeTableId: table.id, subnetId: subnet.id },
                { parent: this },
            );
        });
        return table;
    }

    private interfaceEndpoints(
        name: string,
        vpc: aws.ec2.Vpc,
        privateSubnets: aws.ec2.Subnet[],
        region: pulumi.Output<string>,
        vpcCidr: string,
        tags: Tagger,
    ): pulumi.Output<string> {
        const group = new aws.ec2.SecurityGroup(
            `${name}-endpoints`,
            {
                vpcId: vpc.id,
                description: "HTTPS from inside the VPC to the AWS service endpoints",
                tags: tags({ Name: `${name}-endpoints` }),
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-endpoints-https`,
            {
                securityGroupId: group.id,
                description: "HTTPS from the VPC",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: vpcCidr,
                tags: tags({ Name: `${name}-endpoints-https` }),
            },
            { parent: this },
        );
        for (const service of INTERFACE_ENDPOINT_SERVICES) {
            const endpointName = `${name}-${service.replace(".", "-")}`;
            new aws.ec2.VpcEndpoint(
                endpointName,
                {
                    vpcId: vpc.id,
                    serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: privateSubnets.map((s) => s.id),
                    securityGroupIds: [group.id],
                    tags: tags({ Name: endpointName }),
                },
                { parent: this },
            );
        }
        return group.id;
    }

    private flowLogs(
        name: string,
        vpc: aws.ec2.Vpc,
        scope: pulumi.Output<AccountScope>,
        settings: NetworkSettings,
        tags: Tagger,
    ): pulumi.Output<string> {
        // The name is fixed up front so the key policy can name the one log group it serves
        // before the group exists (the group needs the key first).
        const logGroupName = `/aws/vpc/flow-logs/${name}`;
        const keep = { parent: this, protect: settings.protectStatefulResources };

        const key = new aws.kms.Key(
            `${name}-flow-logs`,
            {
                description: `Encrypts the VPC flow logs of ${name}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: scope.apply((s) => JSON.stringify(logGroupKeyPolicy(s, logGroupName))),
                tags: tags({ Name: `${name}-flow-logs` }),
            },
            keep,
        );
        new aws.kms.Alias(`${name}-flow-logs`, { name: `alias/${name}-flow-logs`, targetKeyId: key.keyId }, { parent: this });

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            {
                name: logGroupName,
                retentionInDays: settings.flowLogRetentionDays,
                kmsKeyId: key.arn,
                tags: tags({ Name: `${name}-flow-logs` }),
            },
            keep,
        );

        const role = new aws.iam.Role(
            `${name}-flow-logs`,
            {
                description: `Lets VPC Flow Logs write to ${logGroupName}`,
                assumeRolePolicy: scope.apply((s) => JSON.stringify(flowLogTrustPolicy(s))),
                tags: tags({ Name: `${name}-flow-logs` }),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            { role: role.id, policy: scope.apply((s) => JSON.stringify(flowLogWritePolicy(s, logGroupName))) },
            { parent: this },
        );

        new aws.ec2.FlowLog(
            `${name}-flow-logs`,
            {
                vpcId: vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
                tags: tags({ Name: `${name}-flow-logs` }),
            },
            { parent: this },
        );
        return logGroup.name;
    }
}

type NetworkSettings = Required<Omit<NetworkArgs, "cidrBlock" | "tags">>;

/** NAT gateways each mode creates over `zoneCount` zones. */
function natGatewayCount(mode: NatMode, zoneCount: number): number {
    return { [NatMode.None]: 0, [NatMode.Single]: 1, [NatMode.PerAz]: zoneCount }[mode];
}

/** Fills defaults and rejects bad arguments before any resource is created. */
function validateNetworkArgs(args: NetworkArgs, resource: pulumi.Resource): NetworkSettings {
    const fail = (message: string): never => {
        throw new pulumi.ResourceError(message, resource);
    };
    const settings: NetworkSettings = {
        availabilityZoneCount: args.availabilityZoneCount ?? DEFAULTS.availabilityZoneCount,
        natMode: args.natMode ?? DEFAULTS.natMode,
        flowLogRetentionDays: args.flowLogRetentionDays ?? DEFAULTS.flowLogRetentionDays,
        interfaceEndpoints: args.interfaceEndpoints ?? DEFAULTS.interfaceEndpoints,
        protectStatefulResources: args.protectStatefulResources ?? DEFAULTS.protectStatefulResources,
    };
    const problem = cidrProblem(args.cidrBlock);
    if (problem) {
        fail(`cidrBlock "${args.cidrBlock}" ${problem}`);
    }
    const cidr = parseCidr(args.cidrBlock);
    if (cidr.prefix < MIN_VPC_PREFIX || cidr.prefix > MAX_VPC_PREFIX) {
        fail(`cidrBlock must be a /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}, got ${args.cidrBlock}`);
    }
    if (!isPrivateRange(cidr)) {
        fail(`cidrBlock must lie in a private range (${PRIVATE_RANGES.join(", ")}), got ${args.cidrBlock}`);
    }
    const zones = settings.availabilityZoneCount;
    if (!Number.isInteger(zones) || zones < MIN_AVAILABILITY_ZONES || zones > MAX_AVAILABILITY_ZONES) {
        fail(`availabilityZoneCount must be an integer ${MIN_AVAILABILITY_ZONES}-${MAX_AVAILABILITY_ZONES}, got ${zones}`);
    }
    if (!Object.values(NatMode).includes(settings.natMode)) {
        fail(`natMode must be one of ${Object.values(NatMode).join(", ")}, got ${String(settings.natMode)}`);
    }
    if (!LOG_RETENTION_DAYS.includes(settings.flowLogRetentionDays)) {
        fail(`flowLogRetentionDays must be one of ${LOG_RETENTION_DAYS.join(", ")}, got ${settings.flowLogRetentionDays}`);
    }
    return settings;
}

/**
 * The first `count` standard zones of the region, by name, leaving out the zones EKS refuses
 * (by ID, a fixed list). Zones are not filtered on their current state: a zone briefly
 * reported impaired would shift every later index and replace subnets.
 */
function pickAvailabilityZones(count: number, parent: pulumi.Resource): pulumi.Output<string[]> {
    const zones = aws.getAvailabilityZonesOutput(
        {
            filters: [
                { name: "opt-in-status", values: ["opt-in-not-required"] },
                { name: "zone-type", values: ["availability-zone"] },
            ],
            excludeZoneIds: [...ALL_EKS_UNSUPPORTED_ZONE_IDS],
        },
        { parent },
    );
    return zones.names.apply((names) => {
        const sorted = [...names].sort();
        if (sorted.length < count) {
            throw new pulumi.ResourceError(
                `availabilityZoneCount is ${count} but the region offers ${sorted.length} zones EKS accepts (${sorted.join(", ")})`,
                parent,
            );
        }
        return sorted.slice(0, count);
    });
}
