// The `platform:cluster` section of the stack configuration: profiles, merging over them, and
// the messages a bad stack file gets. Only loadStackConfig runs; no Pulumi program.
import assert from "node:assert/strict";
import fc from "fast-check";
import { ClusterConfig, Environment, NodeGroupConfig, PROFILES, StackConfigError, loadStackConfig } from "../config";
import { requiredDelivery } from "./helpers";
import { AmiType, CapacityType, TaintEffect } from "../components/cluster/args";
import {
    addonVersionProblems,
    adminRoleArnProblems,
    kubernetesVersionProblems,
    logRetentionProblems,
    namespaceProblems,
    nodeGroupProblems,
    nodeGroupSetProblems,
    publicAccessCidrProblems,
} from "../components/cluster/validate";
import { ADDON_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS } from "../components/cluster/versions";

type Raw = Record<string, string>;

/** The one key every stack file must set. */
const DR_REGION = JSON.stringify({ drRegion: "us-west-2" });

const ENVIRONMENTS = [Environment.Dev, Environment.Staging, Environment.Prod] as const;

function rawFor(environment: string, cluster?: Record<string, unknown>, region = "us-east-1"): Raw {
    const raw: Raw = { "aws:region": region, "platform:environment": environment, "platform:delivery": JSON.stringify(requiredDelivery(region)), "platform:backup": DR_REGION };
    if (cluster !== undefined) {
        raw["platform:cluster"] = JSON.stringify(cluster);
    }
    return raw;
}

/** Runs loadStackConfig, expecting it to throw a StackConfigError, and returns that error. */
function loadError(raw: Raw, stack: string): StackConfigError {
    let caught: unknown;
    try {
        loadStackConfig(raw, stack);
    } catch (error) {
        caught = error;
    }
    assert.ok(caught !== undefined, "expected loadStackConfig to throw");
    assert.ok(caught instanceof StackConfigError, `expected a StackConfigError, got ${caught instanceof Error ? caught.stack : JSON.stringify(caught)}`);
    return caught;
}

/**
 * What the Cluster component itself would reject, given the config the way index.ts hands it
 * over (node groups and namespaces named by their keys), with the component's own paths.
 */
function componentProblems(cluster: ClusterConfig): string[] {
    const groups = Object.entries(cluster.nodeGroups).map(([name, group]) => ({ ...group, name }));
    const namespaces = Object.entries(cluster.applicationNamespaces).map(([name, ns]) => ({ ...ns, name }));
    return [
        ...kubernetesVersionProblems(cluster.kubernetesVersion, "kubernetesVersion"),
        ...addonVersionProblems(cluster.addonVersions, cluster.kubernetesVersion, "addonVersions"),
        ...publicAccessCidrProblems(cluster.publicAccessCidrs, "publicAccessCidrs"),
        ...adminRoleArnProblems(cluster.adminRoleArns, "adminRoleArns"),
        ...logRetentionProblems(cluster.controlPlaneLogRetentionDays, "controlPlaneLogRetentionDays"),
        ...groups.flatMap((group, i) => nodeGroupProblems(group, `nodeGroups[${i}]`)),
        ...nodeGroupSetProblems(groups, "nodeGroups"),
        ...namespaceProblems(namespaces, cluster.nodeAgentNamespace, (i) => `applicationNamespaces[${i}]`, "nodeAgentNamespace"),
    ];
}

describe("cluster config: profiles", () => {
    const expected: Record<Environment, { workloadCapacity: CapacityType; deletionProtection: boolean }> = {
        [Environment.Dev]: { workloadCapacity: CapacityType.Spot, deletionProtection: false },
        [Environment.Staging]: { workloadCapacity: CapacityType.Spot, deletionProtection: false },
        [Environment.Prod]: { workloadCapacity: CapacityType.OnDemand, deletionProtection: true },
    };

    for (const env of ENVIRONMENTS) {
        it(`${env}: the profile's cluster, with the add-on pins of its Kubernetes version, which the component accepts`, () => {
            const { cluster } = loadStackConfig(rawFor(env), env);
            assert.ok(SUPPORTED_KUBERNETES_VERSIONS.includes(cluster.kubernetesVersion));
            assert.deepEqual(cluster.addonVersions, ADDON_VERSIONS[cluster.kubernetesVersion]);
            assert.deepEqual(cluster, { ...PROFILES[env].cluster, addonVersions: ADDON_VERSIONS[cluster.kubernetesVersion] });
            assert.deepEqual(componentProblems(cluster), []);
            assert.ok(Object.hasOwn(cluster.nodeGroups, "system"), "the component pins add-ons to the group named system");
        });

        it(`${env}: workload on ${expected[env].workloadCapacity}, deletion protection ${expected[env].deletionProtection}, API private`, () => {
            const { cluster } = loadStackConfig(rawFor(env), env);
            assert.equal(cluster.nodeGroups.workload.capacityType, expected[env].workloadCapacity);
            assert.equal(cluster.deletionProtection, expected[env].deletionProtection);
            assert.deepEqual(cluster.publicAccessCidrs, []);
        });

        it(`${env}: the system group is tainted CriticalAddonsOnly:NoSchedule and the workload group takes ordinary pods`, () => {
            const { cluster } = loadStackConfig(rawFor(env), env);
            assert.deepEqual(cluster.nodeGroups.system.taints, [{ key: "CriticalAddonsOnly", value: "true", effect: TaintEffect.NoSchedule }]);
            assert.equal(cluster.nodeGroups.system.capacityType, CapacityType.OnDemand, "add-ons do not run on Spot");
            assert.deepEqual(cluster.nodeGroups.workload.taints, []);
        });
    }

    it("prod keeps a system node per zone and control-plane logs a year", () => {
        const config = loadStackConfig(rawFor("prod"), "prod");
        assert.ok(config.cluster.nodeGroups.system.minSize >= config.network.availabilityZoneCount);
        assert.equal(config.cluster.controlPlaneLogRetentionDays, 365);
    });

    it("the result is deeply frozen", () => {
        const { cluster } = loadStackConfig(rawFor("prod", { nodeGroups: { workload: { maxSize: 20 } } }), "prod");
        assert.ok(Object.isFrozen(cluster.nodeGroups.workload));
        assert.ok(Object.isFrozen(cluster.addonVersions));
        assert.equal(Reflect.set(cluster.nodeGroups.workload, "maxSize", 30), false);
        assert.equal(cluster.nodeGroups.workload.maxSize, 20);
    });
});

describe("cluster config: overrides merge over the profile", () => {
    it('kubernetesVersion "1.35" alone switches the add-on defaults to 1.35\'s pins', () => {
        const { cluster } = loadStackConfig(rawFor("prod", { kubernetesVersion: "1.35" }), "prod");
        assert.equal(cluster.kubernetesVersion, "1.35");
        assert.deepEqual(cluster.addonVersions, ADDON_VERSIONS["1.35"]);
        assert.notDeepEqual(ADDON_VERSIONS["1.35"], ADDON_VERSIONS["1.36"], "the pins differ, so the switch shows");
        assert.deepEqual(cluster, { ...PROFILES.prod.cluster, kubernetesVersion: "1.35", addonVersions: ADDON_VERSIONS["1.35"] });
    });

    it("for every supported version and environment, the add-on defaults follow the version", () => {
        for (const env of ENVIRONMENTS) {
            for (const version of SUPPORTED_KUBERNETES_VERSIONS) {
                const { cluster } = loadStackConfig(rawFor(env, { kubernetesVersion: version }), env);
                assert.deepEqual(cluster.addonVersions, ADDON_VERSIONS[version], `${env} ${version}`);
            }
        }
    });

    it("pinning one add-on keeps the version's defaults for the others", () => {
        const { cluster } = loadStackConfig(rawFor("staging", { kubernetesVersion: "1.35", addonVersions: { ebsCsiDriver: "v1.60.0-eksbuild.1" } }), "staging");
        assert.deepEqual(cluster.addonVersions, { ...ADDON_VERSIONS["1.35"], ebsCsiDriver: "v1.60.0-eksbuild.1" });
    });

    it("one field of nodeGroups.workload keeps the rest of the profile's group, and the system group", () => {
        const { cluster } = loadStackConfig(rawFor("prod", { nodeGroups: { workload: { maxSize: 20 } } }), "prod");
        assert.deepEqual(cluster.nodeGroups.workload, { ...PROFILES.prod.cluster.nodeGroups.workload, maxSize: 20 });
        assert.deepEqual(cluster.nodeGroups.system, PROFILES.prod.cluster.nodeGroups.system);
        assert.equal(PROFILES.prod.cluster.nodeGroups.workload.maxSize, 12, "the profile itself is untouched");
    });

    it("lists replace the profile's, not append to it", () => {
        const { cluster } = loadStackConfig(
            rawFor("dev", { publicAccessCidrs: ["203.0.113.0/24"], nodeGroups: { workload: { instanceTypes: ["m7i.large"] } } }),
            "dev",
        );
        assert.deepEqual(cluster.publicAccessCidrs, ["203.0.113.0/24"]);
        assert.deepEqual(cluster.nodeGroups.workload.instanceTypes, ["m7i.large"]);
    });

    it("a new node group and a new namespace come in whole, next to the profile's", () => {
        const gpu: NodeGroupConfig = {
            instanceTypes: ["m7g.xlarge", "c7g.xlarge"],
            capacityType: CapacityType.Spot,
            amiType: AmiType.Al2023Arm,
            minSize: 0,
            maxSize: 4,
            desiredSize: 0,
            diskSizeGiB: 80,
            labels: { "example.com/arch": "arm64" },
            taints: [],
            maxUnavailablePercent: 50,
        };
        const worker = PROFILES.dev.cluster.applicationNamespaces.api;
        const { cluster } = loadStackConfig(rawFor("dev", { nodeGroups: { arm: gpu }, applicationNamespaces: { worker } }), "dev");
        assert.deepEqual(Object.keys(cluster.nodeGroups).sort(), ["arm", "system", "workload"]);
        assert.deepEqual(cluster.nodeGroups.arm, gpu);
        assert.deepEqual(Object.keys(cluster.applicationNamespaces).sort(), ["api", "worker"]);
    });

    it("any valid set of workload overrides gives the profile's group with exactly those values replaced", () => {
        const sizesArb = fc
            .tuple(fc.integer({ min: 0, max: 450 }), fc.integer({ min: 0, max: 450 }), fc.integer({ min: 1, max: 450 }))
            .map((values) => [...values].sort((a, b) => a - b))
            .filter(([, , max]) => max >= 1)
            .map(([minSize, desiredSize, maxSize]) => ({ minSize, desiredSize, maxSize }));
        const overridesArb = fc.record(
            {
                instanceTypes: fc.uniqueArray(fc.constantFrom("m6i.large", "m6a.xlarge", "m7i.2xlarge", "c6i.large", "r7i.large"), { minLength: 1, maxLength: 4 }),
                capacityType: fc.constantFrom(CapacityType.OnDemand, CapacityType.Spot),
                diskSizeGiB: fc.integer({ min: 20, max: 16384 }),
                maxUnavailablePercent: fc.integer({ min: 1, max: 100 }),
                labels: fc.dictionary(fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/), fc.stringMatching(/^[a-z0-9]{0,12}$/), { maxKeys: 3, noNullPrototype: true }),
            },
            { requiredKeys: [] },
        );
        fc.assert(
            fc.property(fc.constantFrom(...ENVIRONMENTS), overridesArb, fc.option(sizesArb, { nil: undefined }), (env, overrides, sizes) => {
                const workload = { ...overrides, ...sizes };
                const { cluster } = loadStackConfig(rawFor(env, { nodeGroups: { workload } }), "s");
                assert.deepEqual(cluster.nodeGroups.workload, { ...PROFILES[env].cluster.nodeGroups.workload, ...workload });
                assert.deepEqual(cluster.nodeGroups.system, PROFILES[env].cluster.nodeGroups.system);
            }),
            { numRuns: 150 },
        );
    });
});

describe("cluster config: bad inputs", () => {
    interface BadCase {
        name: string;
        environment?: Environment;
        cluster: Record<string, unknown>;
        /** The key path the problem must start with. */
        path: string;
        /** Further text the problem must contain: the value given, what is allowed. */
        includes: string[];
        /** Paths of the other problems the same change causes; undefined when not checked. */
        alsoAt?: string[];
    }
    const key = "platform:cluster";
    const apiNamespace = PROFILES.prod.cluster.applicationNamespaces.api;
    const cases: BadCase[] = [
        {
            name: 'publicAccessCidrs ["0.0.0.0/0"]',
            cluster: { publicAccessCidrs: ["0.0.0.0/0"] },
            path: `${key}.publicAccessCidrs[0]`,
            includes: ['got "0.0.0.0/0"', "/16 or narrower"],
            alsoAt: [],
        },
        {
            name: "a private CIDR in publicAccessCidrs",
            cluster: { publicAccessCidrs: ["203.0.113.0/24", "10.30.0.0/16"] },
            path: `${key}.publicAccessCidrs[1]`,
            includes: ['got "10.30.0.0/16"', "expected a public range"],
            alsoAt: [],
        },
        {
            name: 'kubernetesVersion "1.30"',
            cluster: { kubernetesVersion: "1.30" },
            path: `${key}.kubernetesVersion`,
            includes: ['got "1.30"', '"1.36", "1.35"'],
            // Not checked: the defaulted kubeProxy pin is also reported (see the report).
            alsoAt: undefined,
        },
        {
            name: "kubernetesVersion 1.35 as a YAML number",
            cluster: { kubernetesVersion: 1.35 },
            path: `${key}.kubernetesVersion`,
            includes: ["got 1.35", "expected a string"],
            alsoAt: [],
        },
        {
            name: "addonVersions.kubeProxy of another minor",
            cluster: { addonVersions: { kubeProxy: "v1.35.3-eksbuild.13" } },
            path: `${key}.addonVersions.kubeProxy`,
            includes: ['got "v1.35.3-eksbuild.13"', "v1.36.x"],
            alsoAt: [],
        },
        {
            name: "an arm instance type with the x86 AMI",
            cluster: { nodeGroups: { workload: { instanceTypes: ["m7g.xlarge"] } } },
            path: `${key}.nodeGroups.workload.instanceTypes[0]`,
            includes: ['got "m7g.xlarge"', "arm64", "AL2023_x86_64_STANDARD"],
            alsoAt: [],
        },
        {
            name: "minSize above maxSize",
            cluster: { nodeGroups: { workload: { minSize: 13 } } },
            path: `${key}.nodeGroups.workload.minSize`,
            includes: ["got 13", "at most maxSize (12)"],
            // desiredSize 3 cannot lie between 13 and 12 either.
            alsoAt: [`${key}.nodeGroups.workload.desiredSize`],
        },
        {
            name: "desiredSize above maxSize",
            cluster: { nodeGroups: { workload: { desiredSize: 20 } } },
            path: `${key}.nodeGroups.workload.desiredSize`,
            includes: ["got 20", "between minSize (3) and maxSize (12)"],
            alsoAt: [],
        },
        {
            name: "desiredSize below minSize",
            environment: Environment.Staging,
            cluster: { nodeGroups: { system: { desiredSize: 1 } } },
            path: `${key}.nodeGroups.system.desiredSize`,
            includes: ["got 1", "between minSize (2) and maxSize (3)"],
            alsoAt: [],
        },
        {
            name: 'an unknown key "nodeGroup" under the cluster',
            cluster: { nodeGroup: {} },
            path: `${key}.nodeGroup`,
            includes: ["unknown key", 'did you mean "nodeGroups"?', "kubernetesVersion"],
            alsoAt: [],
        },
        {
            name: 'capacityType "spot"',
            environment: Environment.Dev,
            cluster: { nodeGroups: { workload: { capacityType: "spot" } } },
            path: `${key}.nodeGroups.workload.capacityType`,
            includes: ['got "spot"', '"ON_DEMAND", "SPOT"'],
            alsoAt: [],
        },
        {
            name: "an IAM user ARN in adminRoleArns",
            cluster: { adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin", "arn:aws:iam::123456789012:user/alice"] },
            path: `${key}.adminRoleArns[1]`,
            includes: ['got "arn:aws:iam::123456789012:user/alice"', "IAM role ARN"],
            alsoAt: [],
        },
        {
            name: 'an application namespace named "kube-system"',
            cluster: { applicationNamespaces: { "kube-system": apiNamespace } },
            path: `${key}.applicationNamespaces.kube-system`,
            includes: ['"kube-system"', "reserved"],
            alsoAt: [],
        },
        {
            name: 'nodeAgentNamespace "default"',
            cluster: { nodeAgentNamespace: "default" },
            path: `${key}.nodeAgentNamespace`,
            includes: ['got "default"', '"kube-system"'],
            alsoAt: [],
        },
        {
            name: 'nodeAgentNamespace "kube-agents" (Kubernetes\' prefix)',
            cluster: { nodeAgentNamespace: "kube-agents" },
            path: `${key}.nodeAgentNamespace`,
            includes: ['got "kube-agents"', "kube-*"],
            alsoAt: [],
        },
        {
            name: "an unknown key inside a node group",
            cluster: { nodeGroups: { workload: { minSze: 2 } } },
            path: `${key}.nodeGroups.workload.minSze`,
            includes: ["unknown key", 'did you mean "minSize"?', "maxUnavailablePercent"],
            alsoAt: [],
        },
        {
            name: "an unknown key inside a namespace quota",
            cluster: { applicationNamespaces: { api: { quota: { pod: 10 } } } },
            path: `${key}.applicationNamespaces.api.quota.pod`,
            includes: ["unknown key", 'did you mean "pods"?'],
            alsoAt: [],
        },
        {
            name: 'kubernetesVersion "toString" (an Object.prototype name)',
            cluster: { kubernetesVersion: "toString" },
            path: `${key}.kubernetesVersion`,
            includes: ['got "toString"', '"1.36"'],
            alsoAt: [],
        },
        {
            name: "a node group with an upper-case name, reported at its key",
            cluster: { nodeGroups: { Batch: { ...PROFILES.prod.cluster.nodeGroups.workload } } },
            path: `${key}.nodeGroups.Batch`,
            includes: ['"Batch"', "lower-case"],
            alsoAt: [],
        },
        {
            name: "a malformed quantity in quota",
            cluster: { applicationNamespaces: { api: { quota: { requestsMemory: "64 GB" } } } },
            path: `${key}.applicationNamespaces.api.quota.requestsMemory`,
            includes: ['got "64 GB"', "Kubernetes quantity"],
            alsoAt: [],
        },
        {
            name: "defaultLimitCpu above maxCpu",
            cluster: { applicationNamespaces: { api: { limits: { defaultLimitCpu: "6" } } } },
            path: `${key}.applicationNamespaces.api.limits.defaultLimitCpu`,
            includes: ['got "6"', "at most maxCpu (4)"],
            alsoAt: [],
        },
        {
            name: "controlPlaneLogRetentionDays 42",
            cluster: { controlPlaneLogRetentionDays: 42 },
            path: `${key}.controlPlaneLogRetentionDays`,
            includes: ["got 42", "CloudWatch Logs", "30, 60, 90"],
            alsoAt: [],
        },
        {
            name: 'a taint effect "NoSchedule" (EKS spells it NO_SCHEDULE)',
            cluster: { nodeGroups: { system: { taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" }] } } },
            path: `${key}.nodeGroups.system.taints[0].effect`,
            includes: ['got "NoSchedule"', '"NO_SCHEDULE", "PREFER_NO_SCHEDULE", "NO_EXECUTE"'],
            alsoAt: [],
        },
        {
            name: "a NoSchedule taint on the workload group too (nowhere for ordinary pods)",
            cluster: { nodeGroups: { workload: { taints: [{ key: "dedicated", value: "api", effect: "NO_SCHEDULE" }] } } },
            path: `${key}.nodeGroups`,
            includes: ["every node group", "ordinary pods"],
            alsoAt: [],
        },
        {
            name: 'deletionProtection "yes"',
            cluster: { deletionProtection: "yes" },
            path: `${key}.deletionProtection`,
            includes: ['got "yes"', "boolean"],
            alsoAt: [],
        },
        {
            name: "publicAccessCidrs given as one string",
            cluster: { publicAccessCidrs: "203.0.113.0/24" },
            path: `${key}.publicAccessCidrs`,
            includes: ['got "203.0.113.0/24"', "a list"],
            alsoAt: [],
        },
    ];

    for (const c of cases) {
        it(`rejects ${c.name}`, () => {
            const env = c.environment ?? Environment.Prod;
            const stack = `${env}-eu`;
            const error = loadError(rawFor(env, c.cluster, "eu-west-1"), stack);
            assert.ok(error.message.startsWith(`Pulumi.${stack}.yaml: invalid stack configuration`), error.message);
            const matching = error.problems.filter((p) => p.startsWith(`${c.path}: `));
            assert.equal(matching.length, 1, `expected one problem at ${c.path} in ${JSON.stringify(error.problems)}`);
            const [problem] = matching;
            for (const text of c.includes) {
                assert.ok(problem.includes(text), `expected "${problem}" to include ${JSON.stringify(text)}`);
            }
            assert.ok(error.message.includes(`  - ${problem}`), error.message);
            if (c.alsoAt !== undefined) {
                const others = error.problems.filter((p) => p !== problem);
                assert.equal(others.length, c.alsoAt.length, JSON.stringify(error.problems));
                c.alsoAt.forEach((path, i) => assert.ok(others[i].startsWith(`${path}: `), others[i]));
            }
        });
    }

    it("reports every cluster problem of a stack at once", () => {
        const error = loadError(
            rawFor("prod", {
                publicAccessCidrs: ["0.0.0.0/0"],
                controlPlaneLogRetentionDays: 42,
                adminRoleArns: ["arn:aws:iam::123456789012:user/alice"],
                nodeGroups: { workload: { desiredSize: 20 } },
                applicationNamespaces: { api: { limits: { defaultLimitCpu: "6" } } },
            }),
            "prod",
        );
        assert.deepEqual(
            error.problems.map((p) => p.slice(0, p.indexOf(": "))).sort(),
            [
                "platform:cluster.adminRoleArns[0]",
                "platform:cluster.applicationNamespaces.api.limits.defaultLimitCpu",
                "platform:cluster.controlPlaneLogRetentionDays",
                "platform:cluster.nodeGroups.workload.desiredSize",
                "platform:cluster.publicAccessCidrs[0]",
            ],
        );
        assert.ok(error.message.startsWith("Pulumi.prod.yaml: invalid stack configuration (5 problems):"), error.message);
    });
});
