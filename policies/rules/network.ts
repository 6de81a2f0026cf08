/**
 * Network guard rails: flow logs on every VPC, no ingress from the whole internet except web
 * ports on load-balancer groups, never SSH or RDP from anywhere, a rule-less default security
 * group, and isolated subnets with no route out.
 *
 * Relations between resources (a flow log's VPC, a rule's group, a subnet's route table) are
 * followed through `propertyDependencies`, which the engine sends; graphs recorded without
 * them (plan.json) fall back to equal ids, then to the resource's dependencies of the right type.
 */
import * as aws from "@pulumi/aws";
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy, UnknownValueError, validateResourceOfType } from "@pulumi/policy";
import { Unwrap } from "@pulumi/pulumi";
import { asList, fix } from "./util";

const TYPES = {
    vpc: "aws:ec2/vpc:Vpc",
    flowLog: "aws:ec2/flowLog:FlowLog",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    defaultRouteTable: "aws:ec2/defaultRouteTable:DefaultRouteTable",
    routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    mainRouteTableAssociation: "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
    route: "aws:ec2/route:Route",
    internetGateway: "aws:ec2/internetGateway:InternetGateway",
    vpnGateway: "aws:ec2/vpnGateway:VpnGateway",
} as const;

const GROUP_TYPES = [TYPES.securityGroup, TYPES.defaultSecurityGroup];
const TABLE_TYPES = [TYPES.routeTable, TYPES.defaultRouteTable];

/**
 * The marker of a security group that fronts a load balancer: the only groups that may admit
 * the whole internet, and only on ports 80 and 443 over TCP.
 */
const LOAD_BALANCER_TAG = { key: "purpose", value: "load-balancer" } as const;

/** The value of a property, or UNKNOWN while a preview has not computed it. */
const UNKNOWN = Symbol("unknown");
type Known<T> = T | typeof UNKNOWN;

function read<T>(get: () => T): Known<T> {
    try {
        return get();
    } catch (err) {
        if (err instanceof UnknownValueError) {
            return UNKNOWN;
        }
        throw err;
    }
}

/** True when the property holds something, known or not yet. */
function present(get: () => unknown): boolean {
    const value = read(get);
    return value === UNKNOWN || (value !== undefined && value !== null && value !== "");
}

/**
 * The resources of `types` that `resource`'s input `property` refers to: the engine's
 * property dependencies; else the resources whose id, ARN or URN the value equals; else, when
 * the graph carries no property dependencies for the resource at all, its dependencies of those types.
 */
function referenced(resource: PolicyResource, property: string, types: readonly string[], all: readonly PolicyResource[]): PolicyResource[] {
    const ofTypes = (candidates: readonly PolicyResource[]) => candidates.filter((r) => types.includes(r.type));
    const declared = resource.propertyDependencies?.[property] ?? [];
    if (declared.length > 0) {
        return ofTypes(declared);
    }
    const value = read(() => resource.props[property] as unknown);
    if (typeof value === "string" && value !== "") {
        const equal = ofTypes(all).filter((r) => r.urn === value || read(() => r.props.id as unknown) === value || read(() => r.props.arn as unknown) === value);
        if (equal.length > 0) {
            return equal;
        }
    }
    return Object.keys(resource.propertyDependencies ?? {}).length === 0 ? ofTypes(resource.dependencies ?? []) : [];
}

function refersTo(resource: PolicyResource, property: string, target: PolicyResource, all: readonly PolicyResource[]): boolean {
    return referenced(resource, property, [target.type], all).some((r) => r.urn === target.urn);
}

/** A tag's value; UNKNOWN while a preview has not computed it. */
function tagOf(props: Record<string, unknown>, key: string): Known<unknown> {
    return read(() => (props.tags as Record<string, unknown> | undefined | null)?.[key]);
}

function isLoadBalancerGroup(props: Record<string, unknown>): boolean {
    return tagOf(props, LOAD_BALANCER_TAG.key) === LOAD_BALANCER_TAG.value;
}

// ---- Ingress permissions, whichever resource declares them ----

/** One ingress permission, normalized over inline rules, SecurityGroupRule and SecurityGroupIngressRule. */
interface Permission {
    /** Lower-case protocol name or number; "-1" or "all" for every protocol. */
    protocol: string;
    fromPort?: number;
    toPort?: number;
    cidrs: string[];
    /** How a message names the permission: "ingress rule 2", "the rule". */
    label: string;
}

const ALL_PROTOCOLS = new Set(["-1", "all"]);
const ICMP_PROTOCOLS = new Set(["icmp", "1", "icmpv6", "58"]);
const TCP_PROTOCOLS = new Set(["tcp", "6"]);

function isOpenCidr(cidr: string): boolean {
    return /\/0$/.test(cidr.trim());
}

function openCidrs(permission: Permission): string[] {
    return permission.cidrs.filter(isOpenCidr);
}

/** True when the permission admits traffic to `port` (TCP or UDP). */
function coversPort(permission: Permission, port: number): boolean {
    if (ALL_PROTOCOLS.has(permission.protocol)) {
        return true;
    }
    if (ICMP_PROTOCOLS.has(permission.protocol)) {
        return false;
    }
    const from = permission.fromPort === undefined || permission.fromPort < 0 ? 0 : permission.fromPort;
    const to = permission.toPort === undefined || permission.toPort < 0 ? 65535 : permission.toPort;
    return from <= port && port <= to;
}

/** True for TCP to exactly port 80 or exactly port 443. */
function isWebOnly(permission: Permission): boolean {
    return (
        TCP_PROTOCOLS.has(permission.protocol) &&
        permission.fromPort === permission.toPort &&
        (permission.fromPort === 80 || permission.fromPort === 443)
    );
}

function describePermission(permission: Permission): string {
    if (ALL_PROTOCOLS.has(permission.protocol)) {
        return "all traffic";
    }
    const ports = permission.fromPort === permission.toPort ? `port ${permission.fromPort}` : `ports ${permission.fromPort ?? 0}-${permission.toPort ?? 65535}`;
    return `${permission.protocol} ${ports}`;
}

function protocolOf(value: string | number | undefined): string {
    return String(value ?? "-1").toLowerCase();
}

type GroupProps = Unwrap<aws.ec2.SecurityGroupArgs>;
type RuleProps = Unwrap<aws.ec2.SecurityGroupRuleArgs>;
type IngressRuleProps = Unwrap<aws.vpc.SecurityGroupIngressRuleArgs>;

function inlineIngress(group: GroupProps): Permission[] {
    return asList(group.ingress).map((rule, i) => ({
        protocol: protocolOf(rule.protocol),
        fromPort: rule.fromPort,
        toPort: rule.toPort,
        cidrs: [...asList(rule.cidrBlocks), ...asList(rule.ipv6CidrBlocks)],
        label: `ingress rule ${i + 1}`,
    }));
}

function ruleIngress(rule: RuleProps): Permission[] {
    if (rule.type !== "ingress") {
        return [];
    }
    return [
        {
            protocol: protocolOf(rule.protocol),
            fromPort: rule.fromPort,
            toPort: rule.toPort,
            cidrs: [...asList(rule.cidrBlocks), ...asList(rule.ipv6CidrBlocks)],
            label: "the rule",
        },
    ];
}

function ingressRuleIngress(rule: IngressRuleProps): Permission[] {
    return [
        {
            protocol: protocolOf(rule.ipProtocol),
            fromPort: rule.fromPort,
            toPort: rule.toPort,
            cidrs: [rule.cidrIpv4, rule.cidrIpv6].filter((c): c is string => typeof c === "string"),
            label: "the rule",
        },
    ];
}

// ---- vpc-flow-logs-enabled ----

export const vpcFlowLogsEnabled: StackValidationPolicy = {
    name: "vpc-flow-logs-enabled",
    description: "Every VPC has a flow log (aws.ec2.FlowLog whose vpcId refers to it), so traffic can be investigated after the fact.",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateStack: (args, report) => {
        const flowLogs = args.resources.filter((r) => r.type === TYPES.flowLog);
        for (const vpc of args.resources.filter((r) => r.type === TYPES.vpc)) {
            if (!flowLogs.some((log) => refersTo(log, "vpcId", vpc, args.resources))) {
                report(
                    fix(
                        `VPC ${vpc.name} has no flow log.`,
                        "add an aws.ec2.FlowLog with vpcId set to this VPC's id and trafficType ALL (the Network component does this).",
                    ),
                    vpc.urn,
                );
            }
        }
    },
};

// ---- security-group-no-open-ingress ----

/** The ingress permissions each resource of the stack declares, with the group marker that applies. */
function ingressOf(resource: PolicyResource, all: readonly PolicyResource[]): { permissions: Permission[]; loadBalancer: boolean } | undefined {
    const groupsMarked = (): boolean => {
        const groups = referenced(resource, "securityGroupId", GROUP_TYPES, all);
        // A group outside the stack cannot be read: the rule's own tags stand in for it.
        return groups.length > 0 ? groups.every((g) => isLoadBalancerGroup(g.props)) : isLoadBalancerGroup(resource.props);
    };
    switch (resource.type) {
        case TYPES.securityGroup:
            return { permissions: inlineIngress(resource.props as GroupProps), loadBalancer: isLoadBalancerGroup(resource.props) };
        case TYPES.securityGroupRule:
            return { permissions: ruleIngress(resource.props as RuleProps), loadBalancer: groupsMarked() };
        case TYPES.ingressRule:
            return { permissions: ingressRuleIngress(resource.props as IngressRuleProps), loadBalancer: groupsMarked() };
        default:
            return undefined;
    }
}

export const securityGroupNoOpenIngress: StackValidationPolicy = {
    name: "security-group-no-open-ingress",
    description:
        `No security group admits 0.0.0.0/0 or ::/0, except TCP 80 and 443 on groups tagged ${LOAD_BALANCER_TAG.key}=${LOAD_BALANCER_TAG.value}. ` +
        "Covers inline ingress, aws.ec2.SecurityGroupRule and aws.vpc.SecurityGroupIngressRule (whose group's tags count).",
    enforcementLevel: "mandatory",
    severity: "high",
    validateStack: (args, report) => {
        for (const resource of args.resources) {
            // A permission computed from another resource is unknown in a preview: it is checked
            // when the stack is analyzed after the update, without holding up the other groups now.
            const ingress = read(() => ingressOf(resource, args.resources));
            if (ingress === UNKNOWN || ingress === undefined) {
                continue;
            }
            for (const permission of ingress.permissions) {
                const open = openCidrs(permission);
                if (open.length === 0 || (ingress.loadBalancer && isWebOnly(permission))) {
                    continue;
                }
                const allowance = ingress.loadBalancer
                    ? "only TCP 80 and 443 may be open on a load-balancer group"
                    : `only groups tagged ${LOAD_BALANCER_TAG.key}=${LOAD_BALANCER_TAG.value} may admit the internet, and only on TCP 80 and 443`;
                report(
                    fix(
                        `${resource.name}: ${permission.label} admits ${open.join(" and ")} to ${describePermission(permission)}.`,
                        `admit a security group (e.g. the load balancer's) or the VPC CIDR instead; ${allowance}.`,
                    ),
                    resource.urn,
                );
            }
        }
    },
};

// ---- security-group-no-ssh-rdp-from-anywhere ----

const REMOTE_ADMIN_PORTS: ReadonlyArray<[number, string]> = [
    [22, "SSH"],
    [3389, "RDP"],
];

function remoteAdminFromAnywhere(permissions: Permission[], report: (message: string) => void): void {
    for (const permission of permissions) {
        const open = openCidrs(permission);
        if (open.length === 0) {
            continue;
        }
        for (const [port, service] of REMOTE_ADMIN_PORTS) {
            if (coversPort(permission, port)) {
                report(
                    fix(
                        `${permission.label[0].toUpperCase()}${permission.label.slice(1)} admits ${open.join(" and ")} to ${describePermission(permission)}, which includes ${service} (${port}).`,
                        `reach instances through SSM Session Manager, or admit only a bastion's security group or a VPN CIDR to port ${port}.`,
                    ),
                );
            }
        }
    }
}

export const securityGroupNoSshRdpFromAnywhere: ResourceValidationPolicy = {
    name: "security-group-no-ssh-rdp-from-anywhere",
    description: "No security group, whatever it is for, admits 0.0.0.0/0 or ::/0 to SSH (22) or RDP (3389), including through port ranges and all-protocol rules.",
    enforcementLevel: "mandatory",
    severity: "critical",
    validateResource: [
        validateResourceOfType(aws.ec2.SecurityGroup, (group, _args, report) => remoteAdminFromAnywhere(inlineIngress(group), report)),
        validateResourceOfType(aws.ec2.SecurityGroupRule, (rule, _args, report) => remoteAdminFromAnywhere(ruleIngress(rule), report)),
        validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (rule, _args, report) => remoteAdminFromAnywhere(ingressRuleIngress(rule), report)),
    ],
};

// ---- default-security-group-no-rules ----

const SEPARATE_RULE_TYPES = [TYPES.securityGroupRule, TYPES.ingressRule, TYPES.egressRule] as const;

export const defaultSecurityGroupNoRules: StackValidationPolicy = {
    name: "default-security-group-no-rules",
    description:
        "The VPC's default security group admits and lets out nothing: aws.ec2.DefaultSecurityGroup has no ingress or egress, and no separate rule targets it, " +
        "so a resource that forgets its own group is cut off.",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateStack: (args, report) => {
        const defaults = args.resources.filter((r) => r.type === TYPES.defaultSecurityGroup);
        for (const group of defaults) {
            const props = group.props as Unwrap<aws.ec2.DefaultSecurityGroupArgs>;
            // Rules not yet computed in a preview are rules all the same.
            const counts = [
                ["ingress", read(() => asList(props.ingress).length)],
                ["egress", read(() => asList(props.egress).length)],
            ] as const;
            for (const [direction, count] of counts.filter(([, n]) => n === UNKNOWN || n > 0)) {
                report(
                    fix(
                        `Default security group ${group.name} has ${count === UNKNOWN ? "" : `${count} `}${direction} rule(s).`,
                        `remove ${direction} from it (leave both unset, which strips AWS's allow-all rules) and give each resource a security group of its own.`,
                    ),
                    group.urn,
                );
            }
        }
        if (defaults.length === 0) {
            return;
        }
        for (const rule of args.resources.filter((r) => (SEPARATE_RULE_TYPES as readonly string[]).includes(r.type))) {
            const target = referenced(rule, "securityGroupId", GROUP_TYPES, args.resources).find((g) => g.type === TYPES.defaultSecurityGroup);
            if (target) {
                report(
                    fix(
                        `${rule.name} adds a rule to the default security group ${target.name}.`,
                        "attach the rule to a security group made for the resource instead; the default group keeps no rules.",
                    ),
                    rule.urn,
                );
            }
        }
    },
};

// ---- isolated-subnet-no-internet-route ----

/** The tag and value that mark a subnet with no way out of the VPC. */
const ISOLATED_TIER = { key: "tier", value: "isolated" } as const;

/** Fields of an inline route (RouteTable.routes) or of an aws.ec2.Route that matter here. */
interface RouteFields {
    destination: Known<string | undefined>;
    destinationIpv6: Known<string | undefined>;
    gatewayId: () => unknown;
    natGatewayId: () => unknown;
    egressOnlyGatewayId: () => unknown;
}

/** What the route sends to the internet through, or undefined when it does not. */
function internetTarget(route: RouteFields, gatewayRefs: PolicyResource[] | undefined): string | undefined {
    if (present(route.natGatewayId)) {
        return "a NAT gateway";
    }
    if (present(route.egressOnlyGatewayId)) {
        return "an egress-only internet gateway";
    }
    if (!present(route.gatewayId)) {
        return undefined;
    }
    if (gatewayRefs && gatewayRefs.length > 0) {
        return gatewayRefs.some((g) => g.type === TYPES.internetGateway) ? "an internet gateway" : undefined;
    }
    const value = read(route.gatewayId);
    // "local" is the VPC's own route; vgw- is a VPN gateway back to a private network.
    if (typeof value === "string" && (value === "local" || value.startsWith("vgw-"))) {
        return undefined;
    }
    return "an internet gateway";
}

function isDefaultDestination(value: Known<string | undefined>): value is string {
    return typeof value === "string" && isOpenCidr(value);
}

/** An internet route found in a table: where it is declared and what it goes through. */
interface InternetRoute {
    /** The resource to change: the aws.ec2.Route, or the table holding the inline route. */
    resource: PolicyResource;
    description: string;
}

function internetRoutesOf(table: PolicyResource, all: readonly PolicyResource[]): InternetRoute[] {
    const found: InternetRoute[] = [];
    const check = (resource: PolicyResource, route: RouteFields, gatewayRefs: PolicyResource[] | undefined, where: string) => {
        const destinations: Array<Known<string | undefined>> = [route.destination, route.destinationIpv6];
        const destination = destinations.find(isDefaultDestination);
        const target = destination === undefined ? undefined : internetTarget(route, gatewayRefs);
        if (destination !== undefined && target !== undefined) {
            found.push({ resource, description: `${where} sends ${destination} to ${target}` });
        }
    };
    for (const route of all.filter((r) => r.type === TYPES.route && refersTo(r, "routeTableId", table, all))) {
        const props = route.props as Record<string, unknown>;
        check(
            route,
            {
                destination: read(() => props.destinationCidrBlock as string | undefined),
                destinationIpv6: read(() => props.destinationIpv6CidrBlock as string | undefined),
                gatewayId: () => props.gatewayId,
                natGatewayId: () => props.natGatewayId,
                egressOnlyGatewayId: () => props.egressOnlyGatewayId,
            },
            referenced(route, "gatewayId", [TYPES.internetGateway, TYPES.vpnGateway], all),
            `Route ${route.name}`,
        );
    }
    const inline = read(() => asList(table.props.routes as Array<Record<string, unknown>> | undefined));
    if (inline !== UNKNOWN) {
        inline.forEach((route, i) =>
            check(
                table,
                {
                    destination: read(() => route.cidrBlock as string | undefined),
                    destinationIpv6: read(() => route.ipv6CidrBlock as string | undefined),
                    gatewayId: () => route.gatewayId,
                    natGatewayId: () => route.natGatewayId,
                    egressOnlyGatewayId: () => route.egressOnlyGatewayId,
                },
                undefined,
                `Inline route ${i + 1} of route table ${table.name}`,
            ),
        );
    }
    return found;
}

/** The route tables a subnet uses: its explicit associations, else its VPC's main table. */
function tablesOf(subnet: PolicyResource, all: readonly PolicyResource[]): PolicyResource[] {
    const associated = all
        .filter((a) => a.type === TYPES.routeTableAssociation && refersTo(a, "subnetId", subnet, all))
        .flatMap((a) => referenced(a, "routeTableId", TABLE_TYPES, all));
    if (associated.length > 0) {
        return associated;
    }
    const vpcs = referenced(subnet, "vpcId", [TYPES.vpc], all);
    const ofVpc = (r: PolicyResource, property: string) => referenced(r, property, [TYPES.vpc], all).some((v) => vpcs.some((own) => own.urn === v.urn));
    const main = all
        .filter((m) => m.type === TYPES.mainRouteTableAssociation && ofVpc(m, "vpcId"))
        .flatMap((m) => referenced(m, "routeTableId", TABLE_TYPES, all));
    if (main.length > 0) {
        return main;
    }
    return all.filter((d) => d.type === TYPES.defaultRouteTable && ofVpc(d, "defaultRouteTableId"));
}

export const isolatedSubnetNoInternetRoute: StackValidationPolicy = {
    name: "isolated-subnet-no-internet-route",
    description:
        `Subnets tagged ${ISOLATED_TIER.key}=${ISOLATED_TIER.value} have no route to 0.0.0.0/0 or ::/0 through an internet gateway, NAT gateway or egress-only gateway, ` +
        "whether as an aws.ec2.Route or an inline route of their route table (followed through RouteTableAssociation, else the VPC's main table).",
    enforcementLevel: "mandatory",
    severity: "high",
    validateStack: (args, report) => {
        // One report per offending route, naming every isolated subnet it serves.
        const bySource = new Map<string, { route: InternetRoute; subnets: string[] }>();
        for (const subnet of args.resources.filter((r) => r.type === TYPES.subnet && tagOf(r.props, ISOLATED_TIER.key) === ISOLATED_TIER.value)) {
            for (const table of tablesOf(subnet, args.resources)) {
                for (const route of internetRoutesOf(table, args.resources)) {
                    const key = `${route.resource.urn}|${route.description}`;
                    const entry = bySource.get(key) ?? { route, subnets: [] };
                    entry.subnets.push(subnet.name);
                    bySource.set(key, entry);
                }
            }
        }
        for (const { route, subnets } of bySource.values()) {
            report(
                fix(
                    `${route.description}, serving isolated subnet(s) ${subnets.join(", ")}.`,
                    "remove the route (isolated subnets keep only the VPC's local route), or move the workload that needs egress to a private subnet.",
                ),
                route.resource.urn,
            );
        }
    },
};

export const networkPolicies = [
    vpcFlowLogsEnabled,
    securityGroupNoOpenIngress,
    securityGroupNoSshRdpFromAnywhere,
    defaultSecurityGroupNoRules,
    isolatedSubnetNoInternetRoute,
];
