import assert from "node:assert/strict";
import { SubnetTier, subnetCidr } from "../components/network/cidr";
import { FixtureOutcome, ResourceGraph, UNTAGGABLE_TYPES, policyOf, referenced, synthFixture } from "./helpers";

const T = {
    subnet: "aws:ec2/subnet:Subnet",
    nat: "aws:ec2/natGateway:NatGateway",
    eip: "aws:ec2/eip:Eip",
    route: "aws:ec2/route:Route",
    routeTable: "aws:ec2/routeTable:RouteTable",
    association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    nacl: "aws:ec2/networkAcl:NetworkAcl",
    flowLog: "aws:ec2/flowLog:FlowLog",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    key: "aws:kms/key:Key",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    dbSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
};

const CIDR = "10.40.0.0/16";
const TAGS = { environment: "test", stack: "test", project: "fixture", "managed-by": "pulumi" };

async function network(args: Record<string, unknown>): Promise<ResourceGraph> {
    const outcome: FixtureOutcome = await synthFixture("network-program", { "fixture:networkArgs": { cidrBlock: CIDR, tags: TAGS, ...args } });
    assert.equal(outcome.error, undefined, outcome.error);
    return outcome.graph!;
}

describe("Network component (alone, plain inputs)", function () {
    let perAz: ResourceGraph;
    let single: ResourceGraph;
    let none: ResourceGraph;

    before(async function () {
        [perAz, single, none] = await Promise.all([
            network({ availabilityZoneCount: 3, natMode: "perAz", interfaceEndpoints: true, protectStatefulResources: true, flowLogRetentionDays: 365 }),
            network({ availabilityZoneCount: 3, natMode: "single", interfaceEndpoints: false }),
            network({ availabilityZoneCount: 2, natMode: "none", interfaceEndpoints: false }),
        ]);
    });

    it("carves one subnet per tier and zone at the layout's fixed CIDRs, in distinct zones", function () {
        const subnets = perAz.ofType(T.subnet);
        assert.equal(subnets.length, 9);
        for (const tier of Object.values(SubnetTier)) {
            for (let i = 0; i < 3; i++) {
                const subnet = perAz.get(T.subnet, `net-${tier}-az${i + 1}`);
                assert.equal(subnet.inputs.cidrBlock, subnetCidr(CIDR, tier, i));
                // The mock's us-east-1c is use1-az3, which EKS refuses: the network leaves it out.
                assert.equal(subnet.inputs.availabilityZone, `us-east-1${"abd"[i]}`);
                assert.equal(subnet.inputs.mapPublicIpOnLaunch, false);
            }
        }
    });

    it("tags public subnets for internet-facing and private subnets for internal load balancers", function () {
        for (const s of perAz.ofType(T.subnet)) {
            const tags = s.inputs.tags as Record<string, string>;
            assert.equal(tags["kubernetes.io/role/elb"], s.name.includes("-public-") ? "1" : undefined, s.name);
            assert.equal(tags["kubernetes.io/role/internal-elb"], s.name.includes("-private-") ? "1" : undefined, s.name);
        }
    });

    it("perAz: a NAT gateway in each zone's public subnet, each private table routed to its own zone's", function () {
        const nats = perAz.ofType(T.nat);
        assert.equal(nats.length, 3);
        assert.equal(perAz.ofType(T.eip).length, 3);
        for (let i = 1; i <= 3; i++) {
            const nat = perAz.get(T.nat, `net-nat-az${i}`);
            assert.equal(referenced(perAz, nat, "subnetId").name, `net-public-az${i}`);
            const egress = perAz.get(T.route, `net-private-az${i}-egress`);
            assert.equal(egress.inputs.destinationCidrBlock, "0.0.0.0/0");
            assert.equal(referenced(perAz, egress, "natGatewayId").name, `net-nat-az${i}`);
            assert.equal(referenced(perAz, egress, "routeTableId").name, `net-private-az${i}`);
        }
    });

    it("single: one NAT gateway that every private table routes to", function () {
        assert.equal(single.ofType(T.nat).length, 1);
        const egress = single.ofType(T.route).filter((r) => r.name.endsWith("-egress"));
        assert.equal(egress.length, 3);
        for (const route of egress) {
            assert.equal(referenced(single, route, "natGatewayId").name, "net-nat-az1");
        }
    });

    it("none: no NAT gateway, no elastic IP, and no default route from private subnets", function () {
        assert.equal(none.ofType(T.nat).length, 0);
        assert.equal(none.ofType(T.eip).length, 0);
        assert.deepEqual(none.ofType(T.route).map((r) => r.name), ["net-public-internet"]);
    });

    it("keeps the isolated tier off the internet: no routes on its table, an ACL admitting only the VPC", function () {
        for (const graph of [perAz, single, none]) {
            const isolatedTable = graph.get(T.routeTable, "net-isolated");
            assert.deepEqual(graph.referencing("routeTableId", isolatedTable.urn).filter((r) => r.type === T.route), []);
            const associated = graph.referencing("routeTableId", isolatedTable.urn).map((a) => referenced(graph, a, "subnetId").name).sort();
            assert.deepEqual(associated, graph.ofType(T.subnet).filter((s) => s.name.includes("-isolated-")).map((s) => s.name).sort());
        }
        const acl = perAz.get(T.nacl, "net-isolated");
        for (const rule of [...(acl.inputs.ingress as object[]), ...(acl.inputs.egress as object[])]) {
            assert.equal((rule as { cidrBlock: string }).cidrBlock, CIDR);
        }
        assert.equal((acl.inputs.subnetIds as string[]).length, 3);
    });

    it("manages the default security group with no rules at all", function () {
        const sg = perAz.get(T.defaultSg, "net-default-sg");
        assert.equal(sg.inputs.ingress, undefined);
        assert.equal(sg.inputs.egress, undefined);
    });

    it("routes S3 through a gateway endpoint on the private tables, and opens interface endpoints to the VPC only on 443", function () {
        const s3 = perAz.get(T.endpoint, "net-s3");
        assert.equal(s3.inputs.serviceName, "com.amazonaws.us-east-1.s3");
        assert.equal(s3.inputs.vpcEndpointType, "Gateway");
        assert.deepEqual(
            (s3.propertyDependencies.routeTableIds ?? []).map((u) => perAz.urn(u)!.name).sort(),
            ["net-private-az1", "net-private-az2", "net-private-az3"],
        );
        const interfaces = perAz.ofType(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Interface");
        assert.deepEqual(
            interfaces.map((e) => e.inputs.serviceName).sort(),
            ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sts"].map((s) => `com.amazonaws.us-east-1.${s}`),
        );
        for (const e of interfaces) {
            assert.equal(e.inputs.privateDnsEnabled, true);
            assert.equal((e.inputs.subnetIds as string[]).length, 3);
        }
        const rules = perAz.ofType(T.ingressRule);
        assert.equal(rules.length, 1);
        assert.deepEqual([rules[0].inputs.fromPort, rules[0].inputs.toPort, rules[0].inputs.ipProtocol, rules[0].inputs.cidrIpv4], [443, 443, "tcp", CIDR]);
        assert.equal(single.ofType(T.endpoint).length, 1, "only the S3 gateway endpoint when interface endpoints are off");
        assert.equal(single.ofType(T.securityGroup).length, 0);
    });

    it("sends all flow logs to a log group encrypted with its own rotating key, with the retention asked for", function () {
        const flowLog = perAz.get(T.flowLog, "net-flow-logs");
        assert.equal(flowLog.inputs.trafficType, "ALL");
        assert.equal(flowLog.inputs.logDestinationType, "cloud-watch-logs");
        const group = referenced(perAz, flowLog, "logDestination");
        assert.equal(group.type, T.logGroup);
        assert.equal(group.inputs.retentionInDays, 365);
        const key = referenced(perAz, group, "kmsKeyId");
        assert.equal(key.type, T.key);
        assert.equal(key.inputs.enableKeyRotation, true);
        const logsStatement = policyOf(key).Statement.find((s) => (s.Principal as { Service?: string }).Service === "logs.us-east-1.amazonaws.com")!;
        assert.deepEqual(logsStatement.Condition, {
            ArnEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-east-1:123456789012:log-group:${group.inputs.name as string}` },
        });
    });

    it("scopes the flow-log role to the flow-log service of this account and to its one log group", function () {
        const role = perAz.get(T.role, "net-flow-logs");
        const trust = policyOf(role, "assumeRolePolicy").Statement;
        assert.equal(trust.length, 1);
        assert.deepEqual(trust[0].Principal, { Service: "vpc-flow-logs.amazonaws.com" });
        assert.deepEqual((trust[0].Condition as Record<string, unknown>).StringEquals, { "aws:SourceAccount": "123456789012" });
        const permissions = policyOf(perAz.get(T.rolePolicy, "net-flow-logs")).Statement;
        const groupArn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flow-logs/net";
        for (const statement of permissions) {
            assert.deepEqual(statement.Resource, [groupArn, `${groupArn}:log-stream:*`]);
            for (const action of [statement.Action].flat() as string[]) {
                assert.match(action, /^logs:(CreateLogStream|PutLogEvents|DescribeLogStreams)$/);
            }
        }
    });

    it("protects the key and log group only when asked", function () {
        for (const type of [T.key, T.logGroup]) {
            assert.equal(perAz.get(type, "net-flow-logs").protect, true);
            assert.equal(single.get(type, "net-flow-logs").protect, false);
        }
        assert.deepEqual(perAz.resources.filter((r) => r.protect).map((r) => r.type).sort(), [T.logGroup, T.key].sort());
    });

    it("puts the database subnet group over the isolated subnets", function () {
        const group = perAz.ofType(T.dbSubnetGroup)[0];
        assert.deepEqual(
            (group.propertyDependencies.subnetIds ?? []).map((u) => perAz.urn(u)!.name).sort(),
            ["net-isolated-az1", "net-isolated-az2", "net-isolated-az3"],
        );
    });

    it("tags every taggable resource with the tags given, and parents every child to the component", function () {
        const component = perAz.get("platform:index:Network", "net");
        const children = perAz.childrenOf(component);
        assert.deepEqual(children, perAz.resources.filter((x) => x.custom), "every resource is a direct child of the component");
        for (const r of children) {
            if (!UNTAGGABLE_TYPES.has(r.type)) {
                const tags = r.inputs.tags as Record<string, string>;
                assert.ok(tags, `${r.type} ${r.name} has no tags`);
                for (const [k, v] of Object.entries(TAGS)) {
                    assert.equal(tags[k], v, `${r.type} ${r.name} tag ${k}`);
                }
            }
        }
    });

    it("rejects bad arguments before creating any resource", async function () {
        const cases: Array<[Record<string, unknown>, RegExp]> = [
            [{ cidrBlock: "8.8.0.0/16" }, /cidrBlock must lie in a private range/],
            [{ cidrBlock: "10.0.0.0/24" }, /cidrBlock must be a \/16 to \/20, got 10.0.0.0\/24/],
            [{ availabilityZoneCount: 5 }, /availabilityZoneCount must be an integer 2-4, got 5/],
            [{ natMode: "dual" }, /natMode must be one of none, single, perAz, got dual/],
            [{ flowLogRetentionDays: 2 }, /flowLogRetentionDays must be one of .*got 2/],
        ];
        const outcomes = await Promise.all(cases.map(([args]) => synthFixture("network-program", { "fixture:networkArgs": { cidrBlock: CIDR, ...args } })));
        outcomes.forEach((outcome, i) => {
            assert.match(outcome.error ?? "", cases[i][1]);
            assert.deepEqual(outcome.resources.filter((r) => r.custom), [], "no resource may be created");
        });
    });
});
