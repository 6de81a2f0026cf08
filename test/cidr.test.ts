import assert from "node:assert/strict";
import fc from "fast-check";
import {
    Cidr,
    MAX_AVAILABILITY_ZONES,
    MAX_VPC_PREFIX,
    MIN_VPC_PREFIX,
    PRIVATE_RANGES,
    SubnetPlan,
    SubnetTier,
    cidrContains,
    cidrProblem,
    cidrsOverlap,
    formatCidr,
    layoutSubnets,
    parseCidr,
    subnetCidr,
    usableAddresses,
} from "../components/network/cidr";

const ALL_TIERS = [SubnetTier.Public, SubnetTier.Private, SubnetTier.Isolated] as const;

function mask(prefix: number): number {
    return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}

/** A valid VPC network: a random address inside one of the private ranges, masked to a /16-/20. */
const vpcArb: fc.Arbitrary<Cidr> = fc
    .record({
        range: fc.constantFrom(...PRIVATE_RANGES),
        offset: fc.nat({ max: 0xffffffff }),
        prefix: fc.integer({ min: MIN_VPC_PREFIX, max: MAX_VPC_PREFIX }),
    })
    .map(({ range, offset, prefix }) => {
        const r = parseCidr(range);
        const address = (r.network | (offset & ~mask(r.prefix))) >>> 0;
        return { network: (address & mask(prefix)) >>> 0, prefix };
    });

const azCountArb = fc.integer({ min: 1, max: MAX_AVAILABILITY_ZONES });

const key = (s: SubnetPlan) => `${s.tier}/${s.azIndex}`;

describe("cidr: cidrProblem", () => {
    for (const valid of ["10.30.0.0/16", "172.16.0.0/12", "192.168.4.0/22", "10.0.0.1/32", "0.0.0.0/0"]) {
        it(`accepts the network ${valid}`, () => {
            assert.equal(cidrProblem(valid), undefined);
        });
    }

    const malformed: Array<[string, RegExp]> = [
        ["10.0.0.0", /not IPv4 CIDR notation/],
        ["10.0.0/16", /not IPv4 CIDR notation/],
        ["abc", /not IPv4 CIDR notation/],
        ["", /not IPv4 CIDR notation/],
        [" 10.0.0.0/16", /not IPv4 CIDR notation/],
        ["10.0.0.0/16/1", /not IPv4 CIDR notation/],
        ["300.1.0.0/16", /octet above 255/],
        ["10.0.0.256/32", /octet above 255/],
        ["10.0.0.0/33", /prefix length above 32/],
    ];
    for (const [text, expected] of malformed) {
        it(`rejects ${JSON.stringify(text)} with a message`, () => {
            const problem = cidrProblem(text);
            assert.equal(typeof problem, "string");
            assert.match(problem!, expected);
        });
    }

    it("rejects host bits and names the real network", () => {
        const problem = cidrProblem("10.0.0.1/16");
        assert.match(problem ?? "", /host bits/);
        assert.ok(problem!.includes("10.0.0.0/16"), problem);
        assert.ok(cidrProblem("10.30.200.0/17")!.includes("10.30.128.0/17"));
    });

    it("parseCidr throws with the text and the problem, and round-trips with formatCidr", () => {
        assert.throws(() => parseCidr("10.0.0.1/16"), /"10\.0\.0\.1\/16" has host bits set/);
        assert.deepEqual(parseCidr("10.30.0.0/16"), { network: 0x0a1e0000, prefix: 16 });
        fc.assert(
            fc.property(fc.nat({ max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (address, prefix) => {
                const cidr = { network: (address & mask(prefix)) >>> 0, prefix };
                const text = formatCidr(cidr);
                assert.equal(cidrProblem(text), undefined);
                assert.deepEqual(parseCidr(text), cidr);
            }),
            { numRuns: 200 },
        );
    });
});

describe("cidr: cidrContains / cidrsOverlap", () => {
    it("distinguishes nested, adjacent and disjoint blocks", () => {
        const vpc = parseCidr("10.0.0.0/16");
        assert.equal(cidrContains(vpc, parseCidr("10.0.255.0/24")), true);
        assert.equal(cidrContains(vpc, parseCidr("10.1.0.0/24")), false);
        assert.equal(cidrContains(parseCidr("10.0.0.0/24"), vpc), false);
        assert.equal(cidrsOverlap(parseCidr("10.0.0.0/24"), vpc), true);
        assert.equal(cidrsOverlap(parseCidr("10.0.0.0/25"), parseCidr("10.0.0.128/25")), false);
        assert.equal(cidrsOverlap(parseCidr("192.168.0.0/16"), parseCidr("172.16.0.0/12")), false);
    });
});

describe("cidr: subnetCidr known values", () => {
    // 10.30.0.0/16 split in eighths of /19 (32 in the third octet):
    //   private  = eighths 0-3 = 10.30.0.0/17   -> 4 slots of /19 (step 32)
    //   public   = eighth 4    = 10.30.128.0/19 -> 4 slots of /21 (step 8)
    //   isolated = eighth 5    = 10.30.160.0/19 -> 4 slots of /21 (step 8)
    const expected16: Record<SubnetTier, string[]> = {
        [SubnetTier.Private]: ["10.30.0.0/19", "10.30.32.0/19", "10.30.64.0/19", "10.30.96.0/19"],
        [SubnetTier.Public]: ["10.30.128.0/21", "10.30.136.0/21", "10.30.144.0/21", "10.30.152.0/21"],
        [SubnetTier.Isolated]: ["10.30.160.0/21", "10.30.168.0/21", "10.30.176.0/21", "10.30.184.0/21"],
    };
    for (const tier of ALL_TIERS) {
        it(`lays out ${tier} subnets of 10.30.0.0/16 at the documented positions`, () => {
            const actual = expected16[tier].map((_, az) => subnetCidr("10.30.0.0/16", tier, az));
            assert.deepEqual(actual, expected16[tier]);
        });
    }

    it("lays out a /20 (10.0.16.0/20) with /23 private and /25 public and isolated subnets", () => {
        // eighths of /23 (2 in the third octet): private 10.0.16.0/21, public 10.0.24.0/23, isolated 10.0.26.0/23
        assert.deepEqual(
            [0, 1, 2, 3].map((az) => subnetCidr("10.0.16.0/20", SubnetTier.Private, az)),
            ["10.0.16.0/23", "10.0.18.0/23", "10.0.20.0/23", "10.0.22.0/23"],
        );
        assert.deepEqual(
            [0, 1, 2, 3].map((az) => subnetCidr("10.0.16.0/20", SubnetTier.Public, az)),
            ["10.0.24.0/25", "10.0.24.128/25", "10.0.25.0/25", "10.0.25.128/25"],
        );
        assert.deepEqual(
            [0, 1, 2, 3].map((az) => subnetCidr("10.0.16.0/20", SubnetTier.Isolated, az)),
            ["10.0.26.0/25", "10.0.26.128/25", "10.0.27.0/25", "10.0.27.128/25"],
        );
    });

    it("lays out a /18 in the 192.168 range", () => {
        // eighths of /21 (8 in the third octet) from 192.168.64.0
        assert.equal(subnetCidr("192.168.64.0/18", SubnetTier.Private, 3), "192.168.88.0/21");
        assert.equal(subnetCidr("192.168.64.0/18", SubnetTier.Public, 0), "192.168.96.0/23");
        assert.equal(subnetCidr("192.168.64.0/18", SubnetTier.Isolated, 2), "192.168.108.0/23");
    });

    it("layoutSubnets lists tier by tier, zones in order", () => {
        assert.deepEqual(layoutSubnets("10.30.0.0/16", 2), [
            { tier: SubnetTier.Public, azIndex: 0, cidr: "10.30.128.0/21" },
            { tier: SubnetTier.Public, azIndex: 1, cidr: "10.30.136.0/21" },
            { tier: SubnetTier.Private, azIndex: 0, cidr: "10.30.0.0/19" },
            { tier: SubnetTier.Private, azIndex: 1, cidr: "10.30.32.0/19" },
            { tier: SubnetTier.Isolated, azIndex: 0, cidr: "10.30.160.0/21" },
            { tier: SubnetTier.Isolated, azIndex: 1, cidr: "10.30.168.0/21" },
        ]);
    });
});

describe("cidr: errors", () => {
    for (const vpc of ["10.0.0.0/15", "10.0.0.0/8", "10.0.0.0/21", "10.0.0.0/24"]) {
        it(`subnetCidr rejects VPC prefix outside /16-/20: ${vpc}`, () => {
            assert.throws(() => subnetCidr(vpc, SubnetTier.Private, 0), /prefix length of \/16 to \/20/);
            assert.throws(() => layoutSubnets(vpc, 2), /prefix length of \/16 to \/20/);
        });
    }

    it("subnetCidr rejects a malformed or host-bit VPC CIDR", () => {
        assert.throws(() => subnetCidr("10.0.0.0", SubnetTier.Public, 0), /not IPv4 CIDR notation/);
        assert.throws(() => subnetCidr("10.0.0.1/16", SubnetTier.Public, 0), /host bits set/);
    });

    for (const az of [-1, MAX_AVAILABILITY_ZONES, 10, 1.5, Number.NaN]) {
        it(`subnetCidr rejects az index ${az}`, () => {
            assert.throws(() => subnetCidr("10.30.0.0/16", SubnetTier.Public, az), /availability zone index must be 0-3/);
        });
    }

    for (const count of [0, -1, MAX_AVAILABILITY_ZONES + 1, 2.5, Number.NaN]) {
        it(`layoutSubnets rejects azCount ${count}`, () => {
            assert.throws(() => layoutSubnets("10.30.0.0/16", count), /availability zone count must be 1-4/);
        });
    }
});

describe("cidr: layout properties", () => {
    it("no two subnets overlap", () => {
        fc.assert(
            fc.property(vpcArb, azCountArb, (vpc, azCount) => {
                const subnets = layoutSubnets(formatCidr(vpc), azCount).map((s) => parseCidr(s.cidr));
                assert.equal(subnets.length, 3 * azCount);
                for (let i = 0; i < subnets.length; i++) {
                    for (let j = i + 1; j < subnets.length; j++) {
                        assert.equal(cidrsOverlap(subnets[i], subnets[j]), false, `${formatCidr(subnets[i])} vs ${formatCidr(subnets[j])}`);
                    }
                }
            }),
            { numRuns: 200 },
        );
    });

    it("every subnet lies inside the VPC", () => {
        fc.assert(
            fc.property(vpcArb, azCountArb, (vpc, azCount) => {
                for (const s of layoutSubnets(formatCidr(vpc), azCount)) {
                    assert.ok(cidrContains(vpc, parseCidr(s.cidr)), `${s.cidr} outside ${formatCidr(vpc)}`);
                }
            }),
            { numRuns: 200 },
        );
    });

    it("adding a zone keeps every existing subnet unchanged", () => {
        fc.assert(
            fc.property(vpcArb, fc.integer({ min: 1, max: MAX_AVAILABILITY_ZONES - 1 }), (vpc, n) => {
                const before = layoutSubnets(formatCidr(vpc), n);
                const after = layoutSubnets(formatCidr(vpc), n + 1);
                const afterByKey = new Map(after.map((s) => [key(s), s]));
                for (const s of before) {
                    assert.deepEqual(afterByKey.get(key(s)), s);
                }
                assert.equal(after.length - before.length, 3);
            }),
            { numRuns: 200 },
        );
    });

    it("adding a tier keeps the other tiers' subnets unchanged", () => {
        fc.assert(
            fc.property(vpcArb, azCountArb, (vpc, azCount) => {
                const two = layoutSubnets(formatCidr(vpc), azCount, [SubnetTier.Public, SubnetTier.Private]);
                const all = layoutSubnets(formatCidr(vpc), azCount);
                const allByKey = new Map(all.map((s) => [key(s), s]));
                assert.equal(two.length, 2 * azCount);
                for (const s of two) {
                    assert.deepEqual(allByKey.get(key(s)), s);
                }
            }),
            { numRuns: 200 },
        );
    });

    it("leaves the last quarter of the VPC (eighths 6-7) free for future tiers", () => {
        fc.assert(
            fc.property(vpcArb, azCountArb, (vpc, azCount) => {
                const eighth = 2 ** (32 - vpc.prefix - 3);
                const reserved: Cidr = { network: (vpc.network + 6 * eighth) >>> 0, prefix: vpc.prefix + 2 };
                assert.ok(cidrContains(vpc, reserved));
                for (const s of layoutSubnets(formatCidr(vpc), azCount)) {
                    assert.equal(cidrsOverlap(parseCidr(s.cidr), reserved), false, `${s.cidr} overlaps ${formatCidr(reserved)}`);
                }
            }),
            { numRuns: 200 },
        );
    });

    it("sizes subnets by tier: private /(p+3), public and isolated /(p+5)", () => {
        fc.assert(
            fc.property(vpcArb, azCountArb, (vpc, azCount) => {
                for (const s of layoutSubnets(formatCidr(vpc), azCount)) {
                    const expected = s.tier === SubnetTier.Private ? vpc.prefix + 3 : vpc.prefix + 5;
                    assert.equal(parseCidr(s.cidr).prefix, expected, s.cidr);
                }
            }),
            { numRuns: 200 },
        );
    });
});

describe("cidr: usableAddresses", () => {
    it("subtracts the five addresses AWS reserves", () => {
        assert.equal(usableAddresses("10.0.0.0/24"), 251);
        assert.equal(usableAddresses("10.0.0.0/28"), 11);
        assert.equal(usableAddresses("10.30.0.0/16"), 65531);
        assert.throws(() => usableAddresses("10.0.0.1/24"), /host bits/);
    });
});
