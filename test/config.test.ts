import assert from "node:assert/strict";
import fc from "fast-check";
import { Environment, NetworkConfig, PROFILES, StackConfig, StackConfigError, loadStackConfig } from "../config";
import { requiredDelivery } from "./helpers";
import { LOG_RETENTION_DAYS, NatMode } from "../components/network/args";

type Raw = Record<string, string>;

const DR_REGION = JSON.stringify({ drRegion: "us-west-2" });

const ENVIRONMENTS = [Environment.Dev, Environment.Staging, Environment.Prod] as const;

function rawFor(environment: string, extra: Raw = {}, region = "us-east-1"): Raw {
    // A DR region other than the stack's own, whichever region a case picks.
    const backup = region === "us-west-2" ? JSON.stringify({ drRegion: "us-east-1" }) : DR_REGION;
    return { "aws:region": region, "platform:environment": environment, "platform:delivery": JSON.stringify(requiredDelivery(region)), "platform:backup": backup, ...extra };
}

function network(values: Record<string, unknown>): Raw {
    return { "platform:network": JSON.stringify(values) };
}

/** Runs loadStackConfig, expecting it to throw a StackConfigError, and returns that error. */
function loadError(raw: Raw, stack: string, project?: string): StackConfigError {
    let caught: unknown;
    try {
        loadStackConfig(raw, stack, project);
    } catch (error) {
        caught = error;
    }
    assert.ok(caught !== undefined, "expected loadStackConfig to throw");
    assert.ok(caught instanceof StackConfigError, `expected a StackConfigError, got ${caught instanceof Error ? caught.message : JSON.stringify(caught)}`);
    return caught;
}

describe("config: profiles", () => {
    for (const env of ENVIRONMENTS) {
        it(`${env}: parses from aws:region, platform:environment the application's host, certificate and DR region alone and equals the ${env} profile`, () => {
            const config = loadStackConfig(rawFor(env), env);
            assert.equal(config.environment, env);
            assert.equal(config.region, "us-east-1");
            assert.equal(config.stack, env);
            assert.equal(config.project, "platform");
            assert.equal(config.stackFile, `Pulumi.${env}.yaml`);
            assert.equal(config.protectStatefulResources, PROFILES[env].protectStatefulResources);
            assert.deepEqual(config.network, PROFILES[env].network);
            assert.deepEqual(config.tags, { environment: env, stack: env, project: "platform", "managed-by": "pulumi" });
        });
    }

    it("profiles differ where the environments should: prod protects data, NATs per zone, keeps logs a year", () => {
        assert.equal(PROFILES.prod.protectStatefulResources, true);
        assert.equal(PROFILES.dev.protectStatefulResources, false);
        assert.equal(PROFILES.prod.network.natMode, NatMode.PerAz);
        assert.equal(PROFILES.prod.network.flowLogRetentionDays, 365);
        const cidrs = ENVIRONMENTS.map((env) => PROFILES[env].network.cidrBlock);
        assert.equal(new Set(cidrs).size, cidrs.length, "each environment gets its own VPC range");
    });

    it('a stack named "prod-eu" with environment prod gets the prod profile and its own stack file name', () => {
        const config = loadStackConfig(rawFor("prod", {}, "eu-west-1"), "prod-eu");
        assert.equal(config.environment, Environment.Prod);
        assert.equal(config.stack, "prod-eu");
        assert.equal(config.stackFile, "Pulumi.prod-eu.yaml");
        assert.deepEqual(config.network, PROFILES.prod.network);
        assert.equal(config.tags.stack, "prod-eu");
        assert.equal(config.tags.environment, "prod");

        const error = loadError(rawFor("prod", network({ natMode: "dual" })), "prod-eu");
        assert.ok(error.message.startsWith("Pulumi.prod-eu.yaml: "), error.message);
    });

    it("uses the project name as the config namespace, and refuses a namespace nothing reads", () => {
        const raw = {
            "aws:region": "us-east-2",
            "acme:environment": "staging",
            "acme:network": JSON.stringify({ natMode: "single" }),
            "acme:delivery": JSON.stringify(requiredDelivery("us-east-2")),
            "acme:backup": DR_REGION,
        };
        const config = loadStackConfig(raw, "s1", "acme");
        assert.equal(config.project, "acme");
        assert.equal(config.environment, Environment.Staging);
        assert.equal(config.network.natMode, NatMode.Single);
        assert.equal(config.tags.project, "acme");
        const error = loadError({ ...raw, "platform:network": "{}" }, "s1", "acme");
        assert.deepEqual(error.problems, ['platform:network: got {}; unknown namespace "platform" (namespaces read: acme, aws, kubernetes, pulumi)']);
    });
});

describe("config: overrides merge over the profile", () => {
    it("overriding natMode in prod keeps every other prod value", () => {
        const config = loadStackConfig(rawFor("prod", network({ natMode: "single" })), "prod");
        assert.deepEqual(config.network, { ...PROFILES.prod.network, natMode: NatMode.Single });
        assert.equal(config.protectStatefulResources, true);
        assert.equal(PROFILES.prod.network.natMode, NatMode.PerAz, "the profile itself is untouched");
    });

    it("explicit false values survive the merge", () => {
        const config = loadStackConfig(
            rawFor("prod", { ...network({ interfaceEndpoints: false }), "platform:protectStatefulResources": "false" }),
            "prod",
        );
        assert.equal(config.network.interfaceEndpoints, false);
        assert.equal(config.protectStatefulResources, false);
        assert.deepEqual(config.network, { ...PROFILES.prod.network, interfaceEndpoints: false });
    });

    it("an explicit 0 is validated, not replaced by the profile's value", () => {
        const error = loadError(rawFor("prod", network({ availabilityZoneCount: 0 })), "prod");
        assert.deepEqual(error.problems, ["platform:network.availabilityZoneCount: got 0; expected at least 2"]);
    });

    it("a stack's own tags are kept next to the platform's", () => {
        const config = loadStackConfig(rawFor("dev", { "platform:tags": JSON.stringify({ owner: "team-a", "cost-center": "42" }) }), "dev");
        assert.deepEqual(config.tags, {
            owner: "team-a",
            "cost-center": "42",
            environment: "dev",
            stack: "dev",
            project: "platform",
            "managed-by": "pulumi",
        });
    });

    it("any set of valid network overrides gives the profile with exactly those values replaced", () => {
        const overridesArb = fc.record(
            {
                cidrBlock: fc.constantFrom("10.0.0.0/16", "172.16.0.0/20", "192.168.0.0/18", "10.200.16.0/20"),
                availabilityZoneCount: fc.integer({ min: 2, max: 4 }),
                // Never none: the platform cannot run without NAT (test/feasibility.test.ts).
                natMode: fc.constantFrom(NatMode.Single, NatMode.PerAz),
                flowLogRetentionDays: fc.constantFrom(...LOG_RETENTION_DAYS),
                interfaceEndpoints: fc.boolean(),
            },
            { requiredKeys: [] },
        );
        fc.assert(
            fc.property(fc.constantFrom(...ENVIRONMENTS), overridesArb, fc.option(fc.boolean(), { nil: undefined }), (env, overrides, protect) => {
                const extra: Raw = network(overrides);
                if (protect !== undefined) {
                    extra["platform:protectStatefulResources"] = String(protect);
                }
                const config = loadStackConfig(rawFor(env, extra, "us-west-2"), "s");
                const expected: NetworkConfig = { ...PROFILES[env].network, ...overrides };
                assert.deepEqual(config.network, expected);
                assert.equal(config.protectStatefulResources, protect ?? PROFILES[env].protectStatefulResources);
            }),
            { numRuns: 150 },
        );
    });
});

describe("config: bad inputs", () => {
    interface BadCase {
        name: string;
        raw: Raw;
        /** The key path the problem must start with. */
        path: string;
        /** Further text the problem must contain: the value given, the hint. */
        includes: string[];
    }
    const prod = (extra: Raw) => rawFor("prod", extra);
    const cases: BadCase[] = [
        {
            name: 'unknown top-level key "platform:netwrok"',
            raw: prod({ "platform:netwrok": JSON.stringify({ natMode: "none" }) }),
            path: "platform:netwrok",
            includes: ["unknown key", 'did you mean "platform:network"?'],
        },
        {
            name: 'unknown nested key "natMod"',
            raw: prod(network({ natMod: "none" })),
            path: "platform:network.natMod",
            includes: ["unknown key", 'did you mean "natMode"?', "natMode", "availabilityZoneCount"],
        },
        {
            name: 'natMode "dual"',
            raw: prod(network({ natMode: "dual" })),
            path: "platform:network.natMode",
            includes: ['got "dual"', '"none", "single", "perAz"'],
        },
        {
            name: "availabilityZoneCount 9",
            raw: prod(network({ availabilityZoneCount: 9 })),
            path: "platform:network.availabilityZoneCount",
            includes: ["got 9", "at most 4"],
        },
        {
            name: "availabilityZoneCount 1",
            raw: prod(network({ availabilityZoneCount: 1 })),
            path: "platform:network.availabilityZoneCount",
            includes: ["got 1", "at least 2"],
        },
        {
            name: "availabilityZoneCount 2.5",
            raw: prod(network({ availabilityZoneCount: 2.5 })),
            path: "platform:network.availabilityZoneCount",
            includes: ["got 2.5", "integer"],
        },
        {
            name: 'availabilityZoneCount "3" (a string)',
            raw: prod(network({ availabilityZoneCount: "3" })),
            path: "platform:network.availabilityZoneCount",
            includes: ['got "3"', "expected a number"],
        },
        {
            name: "flowLogRetentionDays 4",
            raw: prod(network({ flowLogRetentionDays: 4 })),
            path: "platform:network.flowLogRetentionDays",
            includes: ["got 4", "CloudWatch Logs", "3, 5, 7"],
        },
        {
            name: 'cidrBlock "10.0.0.1/16" (host bits)',
            raw: prod(network({ cidrBlock: "10.0.0.1/16" })),
            path: "platform:network.cidrBlock",
            includes: ['got "10.0.0.1/16"', "host bits", "10.0.0.0/16"],
        },
        {
            name: 'cidrBlock "8.8.0.0/16" (public range)',
            raw: prod(network({ cidrBlock: "8.8.0.0/16" })),
            path: "platform:network.cidrBlock",
            includes: ['got "8.8.0.0/16"', "private range", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
        },
        {
            name: 'cidrBlock "10.0.0.0/24" (too small)',
            raw: prod(network({ cidrBlock: "10.0.0.0/24" })),
            path: "platform:network.cidrBlock",
            includes: ['got "10.0.0.0/24"', "/16 to /20"],
        },
        {
            name: 'cidrBlock "not-a-cidr"',
            raw: prod(network({ cidrBlock: "not-a-cidr" })),
            path: "platform:network.cidrBlock",
            includes: ['got "not-a-cidr"', "CIDR notation"],
        },
        {
            name: 'interfaceEndpoints "yes"',
            raw: prod(network({ interfaceEndpoints: "yes" })),
            path: "platform:network.interfaceEndpoints",
            includes: ['got "yes"', "boolean"],
        },
        {
            name: "network given as a string",
            raw: prod({ "platform:network": "small" }),
            path: "platform:network",
            includes: ['got "small"', "object"],
        },
        {
            name: 'environment "qa"',
            raw: rawFor("qa"),
            path: "platform:environment",
            includes: ['got "qa"', '"dev", "staging", "prod"'],
        },
        {
            name: "environment missing",
            raw: { "aws:region": "us-east-1" },
            path: "platform:environment",
            includes: ["missing", '"dev", "staging", "prod"'],
        },
        {
            name: 'aws:region "mars-1"',
            raw: rawFor("prod", {}, "mars-1"),
            path: "aws:region",
            includes: ['got "mars-1"', "us-east-1"],
        },
        {
            // Inherited object properties are not regions.
            name: 'aws:region "toString"',
            raw: rawFor("prod", {}, "toString"),
            path: "aws:region",
            includes: ['got "toString"'],
        },
        {
            name: "aws:region missing",
            raw: { "platform:environment": "prod", "platform:delivery": JSON.stringify(requiredDelivery()), "platform:backup": DR_REGION },
            path: "aws:region",
            includes: ["missing"],
        },
        {
            name: "availabilityZoneCount 4 in eu-west-1 (3 zones)",
            raw: rawFor("dev", network({ availabilityZoneCount: 4 }), "eu-west-1"),
            path: "platform:network.availabilityZoneCount",
            includes: ["got 4", "eu-west-1 has 3", "at most 3"],
        },
        {
            name: "prod's default of 3 zones in us-west-1 (2 zones)",
            raw: rawFor("prod", {}, "us-west-1"),
            path: "platform:network.availabilityZoneCount",
            includes: ["got 3", "us-west-1 has 2"],
        },
        {
            name: 'reserved tag key "project"',
            raw: prod({ "platform:tags": JSON.stringify({ project: "other" }) }),
            path: "platform:tags.project",
            includes: ["set by the platform"],
        },
        {
            name: 'tag key starting "aws:"',
            raw: prod({ "platform:tags": JSON.stringify({ "aws:cost": "x" }) }),
            path: "platform:tags.aws:cost",
            includes: ['may not start with "aws:"'],
        },
        {
            name: "tag value that is not a string",
            raw: prod({ "platform:tags": JSON.stringify({ team: 5 }) }),
            path: "platform:tags.team",
            includes: ["got 5", "string"],
        },
    ];

    for (const c of cases) {
        it(`rejects ${c.name}`, () => {
            const error = loadError(c.raw, "prod-eu");
            assert.equal(error.name, "StackConfigError");
            assert.equal(error.problems.length, 1, JSON.stringify(error.problems));
            const [problem] = error.problems;
            assert.ok(problem.startsWith(`${c.path}: `), `expected "${problem}" to start with "${c.path}: "`);
            for (const text of c.includes) {
                assert.ok(problem.includes(text), `expected "${problem}" to include ${JSON.stringify(text)}`);
            }
            assert.ok(error.message.startsWith("Pulumi.prod-eu.yaml: invalid stack configuration (1 problem):"), error.message);
            assert.ok(error.message.includes(`  - ${problem}`), error.message);
        });
    }

    it("reports every problem at once", () => {
        const error = loadError(
            rawFor("prod", {
                ...network({ natMode: "dual", availabilityZoneCount: 9, flowLogRetentionDays: 4, cidrBlock: "8.8.0.0/16" }),
                "platform:tags": JSON.stringify({ project: "x" }),
                "platform:protectStatefulResources": "maybe",
            }),
            "prod-eu",
        );
        assert.equal(error.problems.length, 6, JSON.stringify(error.problems));
        for (const path of [
            "platform:network.natMode",
            "platform:network.availabilityZoneCount",
            "platform:network.flowLogRetentionDays",
            "platform:network.cidrBlock",
            "platform:tags.project",
            "platform:protectStatefulResources",
        ]) {
            assert.ok(
                error.problems.some((p) => p.startsWith(`${path}: `)),
                `no problem for ${path} in ${JSON.stringify(error.problems)}`,
            );
        }
        assert.ok(error.message.startsWith("Pulumi.prod-eu.yaml: invalid stack configuration (6 problems):"), error.message);
    });

    it("reports a missing environment and a missing region together", () => {
        const error = loadError({}, "dev");
        assert.equal(error.problems.length, 2);
        assert.ok(error.problems[0].startsWith("platform:environment: missing"));
        assert.ok(error.problems[1].startsWith("aws:region: missing"));
        assert.ok(error.message.startsWith("Pulumi.dev.yaml: invalid stack configuration (2 problems):"));
    });
});

describe("config: result", () => {
    it("is deeply frozen", () => {
        const config: StackConfig = loadStackConfig(rawFor("prod", network({ natMode: "single" })), "prod");
        assert.ok(Object.isFrozen(config));
        assert.ok(Object.isFrozen(config.network));
        assert.ok(Object.isFrozen(config.tags));
        assert.equal(Reflect.set(config.network, "natMode", NatMode.None), false);
        assert.equal(Reflect.set(config, "region", "eu-west-1"), false);
        assert.equal(Reflect.set(config.tags, "owner", "me"), false);
        assert.equal(config.network.natMode, NatMode.Single);
        assert.equal(config.region, "us-east-1");
        assert.equal(config.tags.owner, undefined);
    });

    it("is frozen when taken straight from the profile", () => {
        const config = loadStackConfig(rawFor("dev"), "dev");
        assert.ok(Object.isFrozen(config));
        assert.ok(Object.isFrozen(config.network));
        assert.equal(Reflect.set(config.network, "availabilityZoneCount", 4), false);
        assert.equal(PROFILES.dev.network.availabilityZoneCount, 2);
    });
});
