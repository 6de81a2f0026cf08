/**
 * Subnet layout of the VPC: pure functions, no Pulumi.
 *
 * Every (tier, availability zone) pair owns a block whose position depends only on
 * the VPC CIDR, the tier and the zone's index: never on how many zones or tiers are
 * in use. Growing from 2 to 3 zones, or adding a tier in the reserved space, only adds
 * subnets; no existing subnet is renumbered (and so none is replaced).
 *
 *   VPC split in eighths:  0 1 2 3 | 4      | 5        | 6 7
 *                          private | public | isolated | reserved for future tiers
 *   each tier block split in MAX_AVAILABILITY_ZONES equal slots, zone i in slot i.
 */

export enum SubnetTier {
    Public = "public",
    Private = "private",
    Isolated = "isolated",
}

interface TierBlock {
    /** First eighth of the VPC the tier owns. */
    firstEighth: number;
    /** Eighths it owns: a power of two, aligned on itself. */
    eighths: 1 | 2 | 4;
}

/** Fixed forever: moving a block renumbers (and replaces) every subnet in it. */
const TIER_BLOCKS: Readonly<Record<SubnetTier, TierBlock>> = {
    [SubnetTier.Private]: { firstEighth: 0, eighths: 4 },
    [SubnetTier.Public]: { firstEighth: 4, eighths: 1 },
    [SubnetTier.Isolated]: { firstEighth: 5, eighths: 1 },
};

/** Zone slots reserved in each tier block, whatever the zone count in use. */
export const MAX_AVAILABILITY_ZONES = 4;
/** Fewest zones: EKS and RDS subnet groups both require two. */
export const MIN_AVAILABILITY_ZONES = 2;
/** Largest and smallest VPC this layout supports (a /20 still gives /25 public subnets). */
export const MIN_VPC_PREFIX = 16;
export const MAX_VPC_PREFIX = 20;

const SLOT_BITS = Math.log2(MAX_AVAILABILITY_ZONES);

export interface Cidr {
    /** Network address as an unsigned 32-bit integer. */
    network: number;
    prefix: number;
}

export interface SubnetPlan {
    tier: SubnetTier;
    /** Index of the availability zone, 0-based, in the order zones are allocated. */
    azIndex: number;
    cidr: string;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Why `text` is not an IPv4 network in CIDR notation, or undefined when it is one. */
export function cidrProblem(text: string): string | undefined {
    const match = CIDR_PATTERN.exec(text);
    if (!match) {
        return "is not IPv4 CIDR notation (a.b.c.d/n)";
    }
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255)) {
        return "has an octet above 255";
    }
    if (prefix > 32) {
        return "has a prefix length above 32";
    }
    const address = toUint32(octets);
    if ((address & ~prefixMask(prefix)) >>> 0 !== 0) {
        return `has host bits set (the network is ${formatCidr({ network: (address & prefixMask(prefix)) >>> 0, prefix })})`;
    }
    return undefined;
}

export function parseCidr(text: string): Cidr {
    const problem = cidrProblem(text);
    if (problem) {
        throw new Error(`"${text}" ${problem}`);
    }
    const match = CIDR_PATTERN.exec(text)!;
    return { network: toUint32(match.slice(1, 5).map(Number)), prefix: Number(match[5]) };
}

export function formatCidr(cidr: Cidr): string {
    const n = cidr.network;
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${cidr.prefix}`;
}

/** True when `inner` lies wholly inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
    return inner.prefix >= outer.prefix && ((inner.network & prefixMask(outer.prefix)) >>> 0) === outer.network;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    return cidrContains(a, b) || cidrContains(b, a);
}

/** The private (RFC 1918) ranges a VPC may use. */
export const PRIVATE_RANGES: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

export function isPrivateRange(cidr: Cidr): boolean {
    return PRIVATE_RANGES.some((range) => cidrContains(parseCidr(range), cidr));
}

/** The CIDR of one tier's subnet in one zone. */
export function subnetCidr(vpcCidr: string, tier: SubnetTier, azIndex: number): string {
    const vpc = parseCidr(vpcCidr);
    if (vpc.prefix < MIN_VPC_PREFIX || vpc.prefix > MAX_VPC_PREFIX) {
        throw new Error(`VPC CIDR ${vpcCidr} must have a prefix length of /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}`);
    }
    if (!Number.isInteger(azIndex) || azIndex < 0 || azIndex >= MAX_AVAILABILITY_ZONES) {
        throw new Error(`availability zone index must be 0-${MAX_AVAILABILITY_ZONES - 1}, got ${azIndex}`);
    }
    const block = TIER_BLOCKS[tier];
    const eighthSize = 2 ** (32 - vpc.prefix - 3);
    const blockPrefix = vpc.prefix + 3 - Math.log2(block.eighths);
    const subnetPrefix = blockPrefix + SLOT_BITS;
    const network = vpc.network + block.firstEighth * eighthSize + azIndex * 2 ** (32 - subnetPrefix);
    return formatCidr({ network: network >>> 0, prefix: subnetPrefix });
}

/** Every subnet of the given tiers over the first `azCount` zones, tier by tier. */
export function layoutSubnets(
    vpcCidr: string,
    azCount: number,
    tiers: readonly SubnetTier[] = [SubnetTier.Public, SubnetTier.Private, SubnetTier.Isolated],
): SubnetPlan[] {
    if (!Number.isInteger(azCount) || azCount < 1 || azCount > MAX_AVAILABILITY_ZONES) {
        throw new Error(`availability zone count must be 1-${MAX_AVAILABILITY_ZONES}, got ${azCount}`);
    }
    return tiers.flatMap((tier) =>
        Array.from({ length: azCount }, (_, azIndex) => ({ tier, azIndex, cidr: subnetCidr(vpcCidr, tier, azIndex) })),
    );
}

/** Usable addresses in a subnet: AWS reserves five in each. */
export function usableAddresses(cidr: string): number {
    return 2 ** (32 - parseCidr(cidr).prefix) - 5;
}

function toUint32(octets: number[]): number {
    return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

function prefixMask(prefix: number): number {
    return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}
