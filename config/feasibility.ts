/**
 * Settings each section accepts alone, but that AWS or EKS would refuse together, or that could
 * never work: refused before any resource is registered, each naming its key.
 */
import { serviceCidrProblems } from "../components/cluster/validate";
import { MAX_AVAILABILITY_ZONES, MIN_AVAILABILITY_ZONES, cidrProblem, cidrsOverlap, parseCidr } from "../components/network/cidr";
import { EKS_UNSUPPORTED_ZONE_IDS } from "../components/network/zones";
import type { DeliveryConfig } from "./delivery";
import type { NetworkConfig } from "./network";
import { privateNetworkProblems } from "./privateNetwork";
import { REGION_ZONE_COUNTS } from "./regions";

export interface Sections {
    region: string;
    network?: NetworkConfig;
    /** The VPC's and the Services' ranges, when they are strings (the rest of their sections need not parse). */
    vpcCidr?: string;
    serviceIpv4Cidr?: string;
    delivery?: Pick<DeliveryConfig, "image"> & { hostname?: string };
}

/** Every cross-section refusal; a section that did not parse is left out of the rules that need it. */
export function feasibilityProblems(sections: Sections, key: (section: string) => string): string[] {
    const { region, network, vpcCidr, serviceIpv4Cidr, delivery } = sections;
    const problems: string[] = [];
    if (network) {
        problems.push(...zoneProblems(region, network.availabilityZoneCount, `${key("network")}.availabilityZoneCount`));
    }
    if (vpcCidr !== undefined && serviceIpv4Cidr !== undefined) {
        problems.push(...serviceRangeProblems(serviceIpv4Cidr, vpcCidr, `${key("cluster")}.serviceIpv4Cidr`, `${key("network")}.cidrBlock`));
    }
    if (network && delivery) {
        const inputs = { ...network, region, applicationImage: delivery.image.repository, hostname: delivery.hostname };
        problems.push(...privateNetworkProblems(inputs, key("network")));
    }
    return problems;
}

/**
 * More zones than the region offers an account. Which zones EKS refuses (by ID) depends on the
 * account's mapping of names to IDs, so the network leaves those out by ID when it picks, and a
 * region left with too few fails there, at preview, before any subnet exists.
 */
export function zoneProblems(region: string, zoneCount: number, path: string): string[] {
    if (!Number.isInteger(zoneCount) || zoneCount < MIN_AVAILABILITY_ZONES || zoneCount > MAX_AVAILABILITY_ZONES) {
        return []; // the schema reports it
    }
    const offered = REGION_ZONE_COUNTS[region];
    if (zoneCount <= offered) {
        return [];
    }
    const refused = EKS_UNSUPPORTED_ZONE_IDS[region] ?? [];
    const note = refused.length > 0 ? ` (and EKS refuses ${refused.join(", ")}, which may be one of them)` : "";
    return [`${path}: got ${zoneCount}; ${region} has ${offered} availability zones${note}; expected at most ${offered}`];
}

/** EKS's CreateCluster refuses a service range that overlaps any of the VPC's ranges. */
export function serviceRangeProblems(serviceCidr: string, vpcCidr: string, servicePath: string, vpcPath: string): string[] {
    if (serviceCidrProblems(serviceCidr, servicePath).length > 0 || cidrProblem(vpcCidr)) {
        return []; // each section reports its own malformed range
    }
    if (!cidrsOverlap(parseCidr(serviceCidr), parseCidr(vpcCidr))) {
        return [];
    }
    return [
        `${servicePath}: got "${serviceCidr}", which overlaps ${vpcPath} "${vpcCidr}"; expected a service range apart from the VPC's ` +
            `(EKS refuses the cluster, after the VPC exists): choose another VPC range, or set serviceIpv4Cidr, e.g. "10.100.0.0/16" or "172.20.0.0/16"`,
    ];
}
