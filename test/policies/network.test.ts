import assert from "node:assert/strict";
import { FixtureResource, PolicyViolation, violationsOf } from "../policyHarness";

const T = {
    vpc: "aws:ec2/vpc:Vpc",
    flowLog: "aws:ec2/flowLog:FlowLog",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    mainAssociation: "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
    route: "aws:ec2/route:Route",
    internetGateway: "aws:ec2/internetGateway:InternetGateway",
    natGateway: "aws:ec2/natGateway:NatGateway",
    egressOnlyGateway: "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    vpnGateway: "aws:ec2/vpnGateway:VpnGateway",
};

const VPC_CIDR = "10.30.0.0/16";
/** What the engine sends for a string or a list not computed yet in a preview. */
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";
const TAGS = { environment: "prod", project: "platform", "managed-by": "pulumi" };

/** Asserts one violation that names the resource, says what is wrong and how to fix it. */
function assertOne(violations: PolicyViolation[], resourceName: string, problem: RegExp): void {
    assert.equal(violations.length, 1, JSON.stringify(violations, null, 2));
    assert.match(violations[0].message, problem);
    assert.match(violations[0].message, /Fix: /);
    assert.match(violations[0].urn, new RegExp(`::${resourceName}$`));
}

function vpc(name = "vpc"): FixtureResource {
    return { type: T.vpc, name, inputs: { cidrBlock: VPC_CIDR, enableDnsSupport: true, enableDnsHostnames: true, tags: TAGS } };
}

describe("policies: network", function () {
    describe("vpc-flow-logs-enabled", function () {
        const flowLog = (vpcIndex: number, name = "flow-logs"): FixtureResource => ({
            type: T.flowLog,
            name,
            inputs: { vpcId: "vpc-0123", trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flow-logs", tags: TAGS },
            propertyDependencies: { vpcId: [vpcIndex] },
        });

        it("passes a VPC with a flow log that refers to it", async function () {
            assert.deepEqual(await violationsOf("vpc-flow-logs-enabled", "network-flow-ok", [vpc(), flowLog(0)]), []);
        });

        it("matches a flow log by the VPC's id when there are no property dependencies (the stack's outputs)", async function () {
            const byId = [{ ...vpc(), inputs: { ...vpc().inputs, id: "vpc-0123" } }, { ...flowLog(0), propertyDependencies: undefined }];
            assert.deepEqual(await violationsOf("vpc-flow-logs-enabled", "network-flow-by-id", byId), []);
        });

        it("matches a flow log through its dependencies when the graph records no property dependencies (plan.json)", async function () {
            const planStyle = [vpc(), { ...flowLog(0), propertyDependencies: undefined, dependsOn: [0] }];
            assert.deepEqual(await violationsOf("vpc-flow-logs-enabled", "network-flow-plan", planStyle), []);
        });

        it("flags a VPC without a flow log", async function () {
            assertOne(await violationsOf("vpc-flow-logs-enabled", "network-flow-none", [vpc()]), "vpc", /VPC vpc has no flow log\./);
        });

        it("flags the VPC whose flow log is missing when another VPC has one", async function () {
            const violations = await violationsOf("vpc-flow-logs-enabled", "network-flow-other", [vpc(), vpc("second"), flowLog(0)]);
            assertOne(violations, "second", /VPC second has no flow log/);
        });
    });

    describe("security-group-no-open-ingress", function () {
        const ALB = 0;
        const APP = 1;
        /** An ALB group open on 443 (inline) and 80 (separate rule), an app group admitting only the ALB, an endpoint group admitting the VPC. */
        function groups(): FixtureResource[] {
            return [
                {
                    type: T.securityGroup,
                    name: "alb",
                    inputs: {
                        description: "Public ALB",
                        ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
                        tags: { ...TAGS, purpose: "load-balancer" },
                    },
                },
                { type: T.securityGroup, name: "app", inputs: { description: "App pods", tags: TAGS } },
                {
                    type: T.securityGroupRule,
                    name: "alb-http",
                    inputs: { type: "ingress", securityGroupId: "sg-alb", protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] },
                    propertyDependencies: { securityGroupId: [ALB] },
                },
                {
                    type: T.ingressRule,
                    name: "app-from-alb",
                    inputs: { securityGroupId: "sg-app", referencedSecurityGroupId: "sg-alb", ipProtocol: "tcp", fromPort: 8080, toPort: 8080, tags: TAGS },
                    propertyDependencies: { securityGroupId: [APP], referencedSecurityGroupId: [ALB] },
                },
                {
                    type: T.ingressRule,
                    name: "app-from-vpc",
                    inputs: { securityGroupId: "sg-app", ipProtocol: "tcp", fromPort: 8443, toPort: 8443, cidrIpv4: VPC_CIDR, tags: TAGS },
                    propertyDependencies: { securityGroupId: [APP] },
                },
                {
                    type: T.securityGroupRule,
                    name: "app-egress",
                    inputs: { type: "egress", securityGroupId: "sg-app", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
                    propertyDependencies: { securityGroupId: [APP] },
                },
            ];
        }
        const withResource = (...extra: FixtureResource[]) => [...groups(), ...extra];

        it("passes web ports open on a load-balancer group and private ingress elsewhere", async function () {
            assert.deepEqual(await violationsOf("security-group-no-open-ingress", "network-open-ok", groups()), []);
        });

        it("flags inline ingress from 0.0.0.0/0 on a group not marked for load balancers", async function () {
            const resources = groups();
            resources[APP].inputs.ingress = [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }];
            assertOne(await violationsOf("security-group-no-open-ingress", "network-open-inline-app", resources), "app", /app: ingress rule 1 admits 0\.0\.0\.0\/0 to tcp port 443\./);
        });

        it("flags a port other than 80/443 open on the load-balancer group", async function () {
            const resources = groups();
            resources[ALB].inputs.ingress = [{ protocol: "tcp", fromPort: 8443, toPort: 8443, cidrBlocks: ["0.0.0.0/0"] }];
            assertOne(await violationsOf("security-group-no-open-ingress", "network-open-alb-8443", resources), "alb", /admits 0\.0\.0\.0\/0 to tcp port 8443.*only TCP 80 and 443/);
        });

        it("flags an aws.vpc.SecurityGroupIngressRule from ::/0 on the load-balancer group to another port", async function () {
            const rule: FixtureResource = {
                type: T.ingressRule,
                name: "alb-8080",
                inputs: { securityGroupId: "sg-alb", ipProtocol: "tcp", fromPort: 8080, toPort: 8080, cidrIpv6: "::/0", tags: TAGS },
                propertyDependencies: { securityGroupId: [ALB] },
            };
            assertOne(await violationsOf("security-group-no-open-ingress", "network-open-ipv6", withResource(rule)), "alb-8080", /admits ::\/0 to tcp port 8080/);
        });

        it("flags an all-protocol rule from 0.0.0.0/0 even on the load-balancer group", async function () {
            const rule: FixtureResource = {
                type: T.ingressRule,
                name: "alb-all",
                inputs: { securityGroupId: "sg-alb", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", tags: TAGS },
                propertyDependencies: { securityGroupId: [ALB] },
            };
            assertOne(await violationsOf("security-group-no-open-ingress", "network-open-all", withResource(rule)), "alb-all", /admits 0\.0\.0\.0\/0 to all traffic/);
        });

        it("flags an aws.vpc.SecurityGroupIngressRule from 0.0.0.0/0 to 443 on an unmarked group", async function () {
            const resources = groups();
            resources[4].inputs.cidrIpv4 = "0.0.0.0/0";
            resources[4].inputs.fromPort = 443;
            resources[4].inputs.toPort = 443;
            assertOne(await violationsOf("security-group-no-open-ingress", "network-open-rule-app", resources), "app-from-vpc", /admits 0\.0\.0\.0\/0 to tcp port 443.*only groups tagged purpose=load-balancer/);
        });

        it("flags an aws.ec2.SecurityGroupRule ingress from 0.0.0.0/0 on an unmarked group", async function () {
            const resources = groups();
            resources[2].propertyDependencies = { securityGroupId: [APP] };
            assertOne(await violationsOf("security-group-no-open-ingress", "network-open-sgrule-app", resources), "alb-http", /admits 0\.0\.0\.0\/0 to tcp port 80/);
        });

        it("checks the other groups in a preview where one group's CIDRs are not computed yet", async function () {
            const resources = groups();
            resources[APP].inputs.ingress = [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: [UNKNOWN_STRING] }];
            resources[ALB].inputs.ingress = [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }];
            assertOne(await violationsOf("security-group-no-open-ingress", "network-open-preview", resources), "alb", /alb: ingress rule 1 admits 0\.0\.0\.0\/0 to tcp port 22/);
        });

        it("reads the marker from the rule's own tags when its group is outside the stack", async function () {
            const external = (tags: Record<string, string>): FixtureResource => ({
                type: T.ingressRule,
                name: "external-https",
                inputs: { securityGroupId: "sg-0external", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", tags },
            });
            assert.deepEqual(await violationsOf("security-group-no-open-ingress", "network-open-external-ok", [external({ ...TAGS, purpose: "load-balancer" })]), []);
            assertOne(await violationsOf("security-group-no-open-ingress", "network-open-external-bad", [external(TAGS)]), "external-https", /admits 0\.0\.0\.0\/0/);
        });
    });

    describe("security-group-no-ssh-rdp-from-anywhere", function () {
        /** An admin group: SSH from the VPN range only, HTTPS from anywhere. */
        function adminGroup(ingress: Record<string, unknown>[] = []): FixtureResource {
            return {
                type: T.securityGroup,
                name: "admin",
                inputs: {
                    description: "Admin access",
                    ingress: [
                        { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.99.0.0/16"] },
                        { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
                        { protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["0.0.0.0/0"] },
                        ...ingress,
                    ],
                    tags: { ...TAGS, purpose: "load-balancer" },
                },
            };
        }

        it("passes SSH from a private range, HTTPS and ICMP from anywhere, and open egress", async function () {
            const egress: FixtureResource = {
                type: T.securityGroupRule,
                name: "egress",
                inputs: { type: "egress", securityGroupId: "sg-admin", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
            };
            assert.deepEqual(await violationsOf("security-group-no-ssh-rdp-from-anywhere", "network-ssh-ok", [adminGroup(), egress]), []);
        });

        const cases: Array<[string, FixtureResource, number, RegExp]> = [
            ["inline SSH from 0.0.0.0/0 (even on a load-balancer group)", adminGroup([{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]), 1, /Ingress rule 4 admits 0\.0\.0\.0\/0 to tcp port 22, which includes SSH \(22\)/],
            ["inline RDP from ::/0", adminGroup([{ protocol: "tcp", fromPort: 3389, toPort: 3389, ipv6CidrBlocks: ["::/0"] }]), 1, /admits ::\/0 to tcp port 3389, which includes RDP/],
            ["an inline port range covering 22", adminGroup([{ protocol: "tcp", fromPort: 20, toPort: 25, cidrBlocks: ["0.0.0.0/0"] }]), 1, /tcp ports 20-25, which includes SSH/],
            ["an inline all-protocol rule", adminGroup([{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }]), 2, /all traffic, which includes (SSH|RDP)/],
            [
                "an aws.ec2.SecurityGroupRule ingress range covering 3389",
                { type: T.securityGroupRule, name: "rdp-range", inputs: { type: "ingress", securityGroupId: "sg-admin", protocol: "tcp", fromPort: 3000, toPort: 4000, cidrBlocks: ["0.0.0.0/0"] } },
                1,
                /The rule admits 0\.0\.0\.0\/0 to tcp ports 3000-4000, which includes RDP \(3389\)/,
            ],
            [
                "an aws.vpc.SecurityGroupIngressRule with ipProtocol -1",
                { type: T.ingressRule, name: "all-in", inputs: { securityGroupId: "sg-admin", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", tags: TAGS } },
                2,
                /The rule admits 0\.0\.0\.0\/0 to all traffic/,
            ],
            [
                "an aws.vpc.SecurityGroupIngressRule for SSH from ::/0",
                { type: T.ingressRule, name: "ssh-v6", inputs: { securityGroupId: "sg-admin", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv6: "::/0", tags: TAGS } },
                1,
                /admits ::\/0 to tcp port 22/,
            ],
        ];
        cases.forEach(([what, resource, count, problem], i) => {
            it(`flags ${what}`, async function () {
                const violations = await violationsOf("security-group-no-ssh-rdp-from-anywhere", `network-ssh-${i}`, [resource]);
                assert.equal(violations.length, count, JSON.stringify(violations, null, 2));
                for (const v of violations) {
                    assert.match(v.message, problem);
                    assert.match(v.message, /Fix: reach instances through SSM Session Manager/);
                    assert.match(v.urn, new RegExp(`::${resource.name}$`));
                }
                if (count === 2) {
                    assert.deepEqual(violations.map((v) => /includes (\w+)/.exec(v.message)?.[1]).sort(), ["RDP", "SSH"]);
                }
            });
        });
    });

    describe("default-security-group-no-rules", function () {
        function defaultGroup(inputs: Record<string, unknown> = {}): FixtureResource[] {
            return [vpc(), { type: T.defaultSecurityGroup, name: "default-sg", inputs: { vpcId: "vpc-0123", tags: TAGS, ...inputs }, propertyDependencies: { vpcId: [0] } }];
        }

        it("passes a managed default group with no rules", async function () {
            assert.deepEqual(await violationsOf("default-security-group-no-rules", "network-default-ok", defaultGroup()), []);
        });

        it("flags inline ingress", async function () {
            const resources = defaultGroup({ ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }] });
            assertOne(await violationsOf("default-security-group-no-rules", "network-default-ingress", resources), "default-sg", /has 1 ingress rule\(s\)/);
        });

        it("flags inline egress", async function () {
            const resources = defaultGroup({ egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] });
            assertOne(await violationsOf("default-security-group-no-rules", "network-default-egress", resources), "default-sg", /has 1 egress rule\(s\)/);
        });

        it("flags inline ingress not computed yet in a preview", async function () {
            const resources = defaultGroup({ ingress: UNKNOWN_ARRAY });
            assertOne(await violationsOf("default-security-group-no-rules", "network-default-preview", resources), "default-sg", /has ingress rule\(s\)/);
        });

        it("flags a separate rule attached to the default group", async function () {
            const rule: FixtureResource = {
                type: T.ingressRule,
                name: "into-default",
                inputs: { securityGroupId: "sg-default", ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: VPC_CIDR, tags: TAGS },
                propertyDependencies: { securityGroupId: [1] },
            };
            assertOne(await violationsOf("default-security-group-no-rules", "network-default-separate", [...defaultGroup(), rule]), "into-default", /adds a rule to the default security group default-sg/);
        });
    });

    describe("isolated-subnet-no-internet-route", function () {
        // Indexes of the compliant three-tier network below.
        const I = { vpc: 0, igw: 1, nat: 2, publicSubnet: 3, privateSubnet: 4, isolatedSubnet: 5, publicTable: 6, privateTable: 7, isolatedTable: 8, isolatedAssociation: 11 };

        function subnet(tier: string): FixtureResource {
            return { type: T.subnet, name: `${tier}-az1`, inputs: { vpcId: "vpc-0123", cidrBlock: "10.30.0.0/21", tags: { ...TAGS, tier } }, propertyDependencies: { vpcId: [I.vpc] } };
        }
        function table(tier: string, inputs: Record<string, unknown> = {}): FixtureResource {
            return { type: T.routeTable, name: `${tier}-rt`, inputs: { vpcId: "vpc-0123", tags: TAGS, ...inputs }, propertyDependencies: { vpcId: [I.vpc] } };
        }
        function association(tier: string, subnetIndex: number, tableIndex: number): FixtureResource {
            return {
                type: T.association,
                name: `${tier}-assoc`,
                inputs: { subnetId: `subnet-${tier}`, routeTableId: `rtb-${tier}` },
                propertyDependencies: { subnetId: [subnetIndex], routeTableId: [tableIndex] },
            };
        }
        function route(name: string, tableIndex: number, target: Record<string, string>, targetIndex?: number, destination: Record<string, string> = { destinationCidrBlock: "0.0.0.0/0" }): FixtureResource {
            const [targetKey] = Object.keys(target);
            return {
                type: T.route,
                name,
                inputs: { routeTableId: "rtb-x", ...destination, ...target },
                propertyDependencies: { routeTableId: [tableIndex], ...(targetIndex === undefined ? {} : { [targetKey]: [targetIndex] }) },
            };
        }
        /** Public subnets route to the internet gateway, private ones to a NAT gateway, isolated ones nowhere. */
        function network(): FixtureResource[] {
            return [
                vpc(),
                { type: T.internetGateway, name: "igw", inputs: { vpcId: "vpc-0123", tags: TAGS }, propertyDependencies: { vpcId: [I.vpc] } },
                { type: T.natGateway, name: "nat", inputs: { subnetId: "subnet-public", allocationId: "eipalloc-1", connectivityType: "public", tags: TAGS }, propertyDependencies: { subnetId: [3] } },
                subnet("public"),
                subnet("private"),
                subnet("isolated"),
                table("public"),
                table("private"),
                table("isolated"),
                association("public", I.publicSubnet, I.publicTable),
                association("private", I.privateSubnet, I.privateTable),
                association("isolated", I.isolatedSubnet, I.isolatedTable),
                route("public-internet", I.publicTable, { gatewayId: "igw-1" }, I.igw),
                route("private-egress", I.privateTable, { natGatewayId: "nat-1" }, I.nat),
            ];
        }

        it("passes a three-tier network whose isolated table has only the local route", async function () {
            assert.deepEqual(await violationsOf("isolated-subnet-no-internet-route", "network-isolated-ok", network()), []);
        });

        it("passes routes from the isolated table to a VPN gateway, and to a peer range", async function () {
            const resources = [...network(), { type: T.vpnGateway, name: "vgw", inputs: { vpcId: "vpc-0123", tags: TAGS } }];
            resources.push(route("to-vpn", I.isolatedTable, { gatewayId: "vgw-1" }, resources.length - 1));
            resources.push(route("to-peer", I.isolatedTable, { natGatewayId: "nat-1" }, I.nat, { destinationCidrBlock: "10.40.0.0/16" }));
            assert.deepEqual(await violationsOf("isolated-subnet-no-internet-route", "network-isolated-vpn", resources), []);
        });

        it("flags a route from the isolated table to the internet gateway", async function () {
            const resources = [...network(), route("isolated-internet", I.isolatedTable, { gatewayId: "igw-1" }, I.igw)];
            assertOne(
                await violationsOf("isolated-subnet-no-internet-route", "network-isolated-igw", resources),
                "isolated-internet",
                /Route isolated-internet sends 0\.0\.0\.0\/0 to an internet gateway, serving isolated subnet\(s\) isolated-az1\./,
            );
        });

        it("flags a route from the isolated table to a NAT gateway", async function () {
            const resources = [...network(), route("isolated-nat", I.isolatedTable, { natGatewayId: "nat-1" }, I.nat)];
            assertOne(await violationsOf("isolated-subnet-no-internet-route", "network-isolated-nat", resources), "isolated-nat", /sends 0\.0\.0\.0\/0 to a NAT gateway/);
        });

        it("flags a route to a NAT gateway whose id a preview has not computed yet", async function () {
            const resources = [...network(), route("isolated-nat-preview", I.isolatedTable, { natGatewayId: UNKNOWN_STRING }, I.nat)];
            assertOne(await violationsOf("isolated-subnet-no-internet-route", "network-isolated-preview", resources), "isolated-nat-preview", /sends 0\.0\.0\.0\/0 to a NAT gateway/);
        });

        it("flags an IPv6 default route to an egress-only gateway", async function () {
            const resources = [...network(), { type: T.egressOnlyGateway, name: "eigw", inputs: { vpcId: "vpc-0123", tags: TAGS } }];
            resources.push(route("isolated-v6", I.isolatedTable, { egressOnlyGatewayId: "eigw-1" }, resources.length - 1, { destinationIpv6CidrBlock: "::/0" }));
            assertOne(await violationsOf("isolated-subnet-no-internet-route", "network-isolated-eigw", resources), "isolated-v6", /sends ::\/0 to an egress-only internet gateway/);
        });

        it("flags an inline route of the isolated table, naming the table", async function () {
            const resources = network();
            resources[I.isolatedTable] = table("isolated", { routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }] });
            assertOne(await violationsOf("isolated-subnet-no-internet-route", "network-isolated-inline", resources), "isolated-rt", /Inline route 1 of route table isolated-rt sends 0\.0\.0\.0\/0 to an internet gateway/);
        });

        it("flags an isolated subnet associated with the private (NAT) table", async function () {
            const resources = network();
            resources[I.isolatedAssociation] = association("isolated", I.isolatedSubnet, I.privateTable);
            assertOne(await violationsOf("isolated-subnet-no-internet-route", "network-isolated-wrong-table", resources), "private-egress", /private-egress sends 0\.0\.0\.0\/0 to a NAT gateway, serving isolated subnet\(s\) isolated-az1/);
        });

        it("flags an unassociated isolated subnet whose VPC's main table routes to the internet", async function () {
            const resources = network();
            resources[I.isolatedAssociation] = {
                type: T.mainAssociation,
                name: "main",
                inputs: { vpcId: "vpc-0123", routeTableId: "rtb-public" },
                propertyDependencies: { vpcId: [I.vpc], routeTableId: [I.publicTable] },
            };
            assertOne(await violationsOf("isolated-subnet-no-internet-route", "network-isolated-main", resources), "public-internet", /serving isolated subnet\(s\) isolated-az1/);
        });

        it("follows dependencies when the graph records no property dependencies (plan.json)", async function () {
            const planStyle = [...network(), route("isolated-internet", I.isolatedTable, { gatewayId: "igw-1" }, I.igw)].map((r) => ({
                ...r,
                dependsOn: Object.values(r.propertyDependencies ?? {}).flat(),
                propertyDependencies: undefined,
            }));
            assertOne(await violationsOf("isolated-subnet-no-internet-route", "network-isolated-plan", planStyle), "isolated-internet", /sends 0\.0\.0\.0\/0 to an internet gateway/);
        });
    });
});
