import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { Environment, PROFILES, REGION_ZONE_COUNTS } from "../config";
import { validateKubernetesObjects } from "../tools/kubernetesSchema";
import { readStackConfigFiles } from "../tools/stackFiles";
import { PROJECT_DIR } from "../tools/synth";
import { CUSTOM_RESOURCE_MODELS, FoundStack, ResourceGraph, UNTAGGABLE_TYPES, shippedStacks, synthFailure, synthStack, synthVariant } from "./helpers";
import { policySession } from "./policyHarness";

const SUBNET = "aws:ec2/subnet:Subnet";
const NAT = "aws:ec2/natGateway:NatGateway";
const ROUTE = "aws:ec2/route:Route";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";

/** Advisory violations prod accepts; the README's policy section lists them (none today). */
const ACCEPTED_PROD_ADVISORIES: string[] = [];

/**
 * What a stack of each environment tier is, whatever its name: a stack is tested by the tier its
 * `platform:environment` names, so another stack file of a tier (a prod-eu of environment prod)
 * is held to the same facts.
 */
const BY_ENVIRONMENT: Record<string, { zones: number; natGateways: number; flowLogDays: number; interfaceEndpoints: number; protect: boolean; workloadCapacity: string }> = {
    dev: { zones: 2, natGateways: 1, flowLogDays: 30, interfaceEndpoints: 0, protect: false, workloadCapacity: "SPOT" },
    staging: { zones: 3, natGateways: 1, flowLogDays: 90, interfaceEndpoints: 0, protect: false, workloadCapacity: "SPOT" },
    prod: { zones: 3, natGateways: 3, flowLogDays: 365, interfaceEndpoints: 5, protect: true, workloadCapacity: "ON_DEMAND" },
};

/** What prod protects, after `platform-<stack>`. */
const PROD_PROTECTED_SUFFIXES = [
    "",
    "-alerts",
    "-api",
    // Both vaults, their locks and keys.
    "-backup",
    "-backup",
    "-backup",
    "-backup-dr",
    "-backup-dr",
    "-backup-dr",
    "-cache",
    "-cache-auth",
    "-cache-slow-log",
    "-control-plane",
    "-control-plane-logs",
    "-credentials",
    "-data",
    "-database-backups",
    "-database-backups-dr",
    "-database-logs",
    "-flow-logs",
    "-flow-logs",
    "-logs",
    "-logs",
    "-postgres",
    "-postgres-postgresql",
    "-postgres-upgrade",
    "-secrets",
    // The Velero bucket and its DR copy, and their keys.
    "-velero",
    "-velero",
    "-velero-dr",
    "-velero-dr",
    "-volumes",
];

function subnetsByTier(graph: ResourceGraph): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const s of graph.ofType(SUBNET)) {
        const tier = (s.inputs.tags as Record<string, string>).tier;
        counts[tier] = (counts[tier] ?? 0) + 1;
    }
    return counts;
}

/** The `platform:network` section of the stack's file, as written. */
function networkSectionOf(stack: FoundStack): Record<string, unknown> {
    const file = parse(readFileSync(join(PROJECT_DIR, `Pulumi.${stack.stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
    return (file.config?.["platform:network"] ?? {}) as Record<string, unknown>;
}

/** The network's CIDR the stack file sets, or its environment's default. */
function cidrOf(stack: FoundStack): string {
    return (networkSectionOf(stack).cidrBlock as string | undefined) ?? PROFILES[stack.environment].network.cidrBlock;
}

describe("stacks synthesized whole", function () {
    /** Every shipped stack, each with its graph once synthesized. */
    const stacks = shippedStacks().map((stack) => ({ ...stack, graph: undefined as unknown as ResourceGraph }));
    const ofEnvironment = (environment: string) => stacks.filter((s) => s.environment.valueOf() === environment);
    const expected = (stack: FoundStack) => BY_ENVIRONMENT[stack.environment] ?? assert.fail(`no facts for environment ${stack.environment}`);

    before(async function () {
        // The pack's processes start alongside the syntheses; the policy tests below reuse them.
        const environments = [...new Set(stacks.map((s) => s.environment))];
        const [graphs] = await Promise.all([Promise.all(stacks.map((s) => synthStack(s.stack))), ...environments.map((e) => policySession(e))]);
        stacks.forEach((s, i) => (s.graph = graphs[i]));
    });

    it("ships a stack of every environment tier, each in a supported region", function () {
        assert.deepEqual([...new Set(stacks.map((s) => s.environment))].sort(), Object.keys(BY_ENVIRONMENT).sort());
        for (const { stack, region } of stacks) assert.ok(Object.hasOwn(REGION_ZONE_COUNTS, region), `${stack}: ${region}`);
    });

    it("each stack: its environment's zones x 3 tiers of subnets and NAT gateways (dev 2 and 1, staging 3 and 1, prod 3 and one per zone)", function () {
        for (const s of stacks) {
            const { zones, natGateways } = expected(s);
            assert.deepEqual(subnetsByTier(s.graph), { public: zones, private: zones, isolated: zones }, s.stack);
            assert.equal(s.graph.ofType(NAT).length, natGateways, s.stack);
            // Which zones of the region is the Network component's choice (network.test.ts): here, how many and where.
            const names = s.graph.outputs.availabilityZones as string[];
            assert.equal(new Set(names).size, zones, s.stack);
            for (const zone of names) assert.match(zone, new RegExp(`^${s.region}[a-z]$`), s.stack);
        }
    });

    it("flow logs everywhere, to a KMS-encrypted log group with the profile's retention", function () {
        for (const s of stacks) {
            const flowLog = s.graph.ofType("aws:ec2/flowLog:FlowLog");
            assert.equal(flowLog.length, 1);
            const group = s.graph.urn(flowLog[0].propertyDependencies.logDestination[0])!;
            assert.equal(group.inputs.retentionInDays, expected(s).flowLogDays, s.stack);
            const key = s.graph.urn(group.propertyDependencies.kmsKeyId[0])!;
            assert.equal(key.type, "aws:kms/key:Key");
            assert.equal(key.inputs.enableKeyRotation, true);
        }
    });

    it("no route to the internet from any isolated subnet", function () {
        for (const { graph } of stacks) {
            const isolatedTables = new Set(
                graph.ofType(ROUTE_TABLE).filter((t) => (t.inputs.tags as Record<string, string>).Name.endsWith("-isolated")).map((t) => t.urn),
            );
            assert.equal(isolatedTables.size, 1);
            const routes = graph.ofType(ROUTE).filter((r) => r.propertyDependencies.routeTableId.some((u) => isolatedTables.has(u)));
            assert.deepEqual(routes, []);
        }
    });

    it("interface endpoints only where the profile turns them on (prod)", function () {
        const interfaces = (g: ResourceGraph) => g.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface").length;
        for (const s of stacks) assert.equal(interfaces(s.graph), expected(s).interfaceEndpoints, s.stack);
    });

    it("stateful resources are protected in prod and only there", function () {
        const isProtected = (g: ResourceGraph) => g.resources.filter((r) => r.protect).map((r) => r.name).sort();
        for (const s of stacks) {
            const names = expected(s).protect ? PROD_PROTECTED_SUFFIXES.map((suffix) => `platform-${s.stack}${suffix}`).sort() : [];
            assert.deepEqual(isProtected(s.graph), names, s.stack);
        }
    });

    it("tags every taggable AWS resource with environment, stack, project and managed-by, plus the stack's own", function () {
        for (const { graph, environment, stack } of stacks) {
            assert.equal(graph.result.environment, environment);
            // The stack file's own tags, as the CLI hands them to the program.
            const own = JSON.parse(readStackConfigFiles(PROJECT_DIR, stack).config["platform:tags"] ?? "{}") as Record<string, string>;
            for (const r of graph.resources.filter((x) => x.custom && x.type.startsWith("aws:") && !UNTAGGABLE_TYPES.has(x.type))) {
                const tags = r.inputs.tags as Record<string, string> | undefined;
                assert.ok(tags, `${r.name} (${r.type}) has no tags`);
                assert.deepEqual(
                    [tags.environment, tags.stack, tags.project, tags["managed-by"]],
                    [environment, graph.result.stack, "platform", "pulumi"],
                    `${r.name} (${r.type})`,
                );
                assert.deepEqual(Object.fromEntries(Object.keys(own).map((key) => [key, tags[key]])), own, `${r.name} (${r.type}): the stack's own tags`);
            }
        }
    });

    it("prod: exports the cluster's outputs, the kubeconfig as a secret", function () {
        for (const { stack, graph } of ofEnvironment("prod")) {
            assert.equal(graph.outputs.clusterName, `platform-${stack}`);
            assert.equal(graph.outputs.kubeconfig, "[secret]");
            assert.deepEqual(graph.outputs.namespaces, ["api", "node-agents"]);
            for (const key of ["clusterEndpoint", "clusterCertificateAuthority", "oidcProviderArn", "oidcProviderUrl", "clusterSecurityGroupId", "nodeSecurityGroupId"]) {
                assert.equal(typeof graph.outputs[key], "string", key);
                assert.ok((graph.outputs[key] as string).length > 0, key);
            }
            assert.notEqual(graph.outputs.clusterSecurityGroupId, graph.outputs.nodeSecurityGroupId);
        }
    });

    it("prod: exports the network's outputs", function () {
        for (const s of ofEnvironment("prod")) {
            const { graph } = s;
            assert.equal(graph.outputs.vpcCidr, cidrOf(s));
            assert.equal(graph.outputs.flowLogGroupName, `/aws/vpc/flow-logs/platform-${s.stack}`);
            const tierIds = ["publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"].map((key) => graph.outputs[key] as string[]);
            const { zones } = expected(s);
            assert.deepEqual(tierIds.map((ids) => ids.length), [zones, zones, zones]);
            // Each tier's output is wired to its own subnets: 3 x zones distinct subnet ids.
            assert.equal(new Set(tierIds.flat().filter((id) => id.startsWith("subnet-"))).size, 3 * zones);
        }
    });

    it("growing a dev stack by a zone only adds resources: no subnet or route table changes identity", async function () {
        const [dev] = ofEnvironment("dev");
        const { zones } = expected(dev);
        const grown = await synthVariant(dev.stack, { overrides: { "platform:network": { ...networkSectionOf(dev), availabilityZoneCount: zones + 1 } } });
        const before = new Map(dev.graph.resources.map((r) => [r.urn, r]));
        const after = new Map(grown.resources.map((r) => [r.urn, r]));
        assert.deepEqual([...before.keys()].filter((urn) => !after.has(urn)), [], "nothing is removed");
        assert.ok(after.size > before.size);
        assert.equal(grown.ofType(SUBNET).length, 3 * (zones + 1));
        for (const s of dev.graph.ofType(SUBNET)) {
            const same = after.get(s.urn)!;
            assert.deepEqual([same.inputs.cidrBlock, same.inputs.availabilityZone, same.inputs.vpcId], [s.inputs.cidrBlock, s.inputs.availabilityZone, s.inputs.vpcId]);
        }
        for (const t of dev.graph.ofType(ROUTE_TABLE)) {
            assert.deepEqual(after.get(t.urn)!.inputs.vpcId, t.inputs.vpcId);
        }
    });

    it("routine cluster changes update in place: the cluster and its keys keep every create-only input", async function () {
        const [prod] = ofEnvironment("prod");
        const changed = await synthVariant(prod.stack, {
            overrides: {
                "platform:cluster": {
                    kubernetesVersion: "1.35",
                    publicAccessCidrs: ["198.51.100.0/24"],
                    controlPlaneLogRetentionDays: 731,
                    nodeGroups: { workload: { maxSize: 20, desiredSize: 4 } },
                    adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"],
                },
            },
        });
        const createOnly = (g: ResourceGraph) => {
            const [eks] = g.ofType("aws:eks/cluster:Cluster");
            const pick = (r: { urn: string; inputs: Record<string, unknown> }, keys: string[]) => [r.urn, ...keys.map((k) => JSON.stringify(r.inputs[k]))];
            return [
                pick(eks, ["name", "roleArn", "encryptionConfig", "kubernetesNetworkConfig", "accessConfig", "bootstrapSelfManagedAddons"]),
                JSON.stringify((eks.inputs.vpcConfig as { subnetIds: string[] }).subnetIds),
                ...g.ofType("aws:kms/key:Key").map((k) => pick(k, ["description", "keyUsage", "customerMasterKeySpec"])),
                ...g.ofType("aws:cloudwatch/logGroup:LogGroup").map((l) => pick(l, ["name"])),
            ];
        };
        assert.deepEqual(createOnly(changed), createOnly(prod.graph));
        const [eks] = changed.ofType("aws:eks/cluster:Cluster");
        assert.equal(eks.inputs.version, "1.35");
        assert.equal(changed.get("aws:eks/addon:Addon", `platform-${prod.stack}-kube-proxy`).inputs.addonVersion, "v1.35.3-eksbuild.13");
    });

    it("the database and cache sit in the isolated subnets and admit the cluster's nodes only", function () {
        for (const { graph } of stacks) {
            const [db] = graph.ofType("aws:rds/instance:Instance");
            assert.equal(db.inputs.dbSubnetGroupName, graph.outputs.databaseSubnetGroupName);
            const [cacheSubnets] = graph.ofType("aws:elasticache/subnetGroup:SubnetGroup");
            assert.deepEqual(cacheSubnets.inputs.subnetIds, graph.outputs.isolatedSubnetIds);
            const rules = graph.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => [5432, 6379].includes(r.inputs.fromPort as number));
            assert.deepEqual(
                rules.map((r) => [r.inputs.fromPort, r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4]),
                [[5432, graph.outputs.nodeSecurityGroupId, undefined], [6379, graph.outputs.nodeSecurityGroupId, undefined]],
                graph.result.stack,
            );
        }
    });

    it("prod: exports what Backup, Observability and delivery need of the database, credentials only as references", function () {
        for (const { stack, region, graph } of ofEnvironment("prod")) {
            assert.equal(graph.outputs.databaseInstanceIdentifier, `platform-${stack}-postgres`);
            assert.equal(graph.outputs.databaseInstanceArn, `arn:aws:rds:${region}:123456789012:db:platform-${stack}-postgres`);
            assert.deepEqual([graph.outputs.databasePort, graph.outputs.redisPort, graph.outputs.databaseName], [5432, 6379, "app"]);
            for (const key of ["databaseEndpoint", "databaseMasterUserSecretArn", "databaseKmsKeyArn", "databaseSecurityGroupId", "redisPrimaryEndpoint", "redisAuthSecretArn"]) {
                assert.equal(typeof graph.outputs[key], "string", key);
            }
            const policy = JSON.parse(graph.outputs.databaseCredentialsReadPolicy as string) as { Statement: Array<{ Resource: unknown }> };
            assert.deepEqual(policy.Statement[0].Resource, [graph.outputs.databaseMasterUserSecretArn, graph.outputs.redisAuthSecretArn]);
            assert.doesNotMatch(JSON.stringify(graph.outputs), /offline-plan-password-/);
        }
    });

    it("switching a stack from the dev to the prod profile keeps the database's and cache's identity", async function () {
        const [dev] = ofEnvironment("dev");
        const switched = await synthVariant(dev.stack, { overrides: { "platform:environment": "prod" } });
        // Inputs AWS cannot change on a live instance or replication group: a change would replace it.
        const identity = (g: ResourceGraph) => {
            const [db] = g.ofType("aws:rds/instance:Instance");
            const [cache] = g.ofType("aws:elasticache/replicationGroup:ReplicationGroup");
            const pick = (r: { urn: string; inputs: Record<string, unknown> }, keys: string[]) => [r.urn, ...keys.map((k) => JSON.stringify(r.inputs[k]))];
            return [
                pick(db, ["identifier", "engine", "dbName", "username", "storageEncrypted", "kmsKeyId", "dbSubnetGroupName", "availabilityZone", "characterSetName", "port"]),
                pick(cache, ["replicationGroupId", "engine", "subnetGroupName", "atRestEncryptionEnabled", "kmsKeyId", "port"]),
            ];
        };
        assert.deepEqual(identity(switched), identity(dev.graph));
        // The prod profile adds keys (the DR region's); every key dev has keeps its identity.
        const keys = (g: ResourceGraph) => new Map(g.ofType("aws:kms/key:Key").map((k) => [k.urn, k.inputs.description]));
        const switchedKeys = keys(switched);
        for (const [urn, description] of keys(dev.graph)) {
            assert.equal(switchedKeys.get(urn), description, urn);
        }
        const [db] = switched.ofType("aws:rds/instance:Instance");
        assert.deepEqual([db.inputs.multiAz, db.inputs.deletionProtection, db.inputs.backupRetentionPeriod, db.protect], [true, true, 30, true]);
    });

    it("every Kubernetes object in every stack is valid against the Kubernetes schema", async function () {
        for (const { graph } of stacks) {
            const objects = graph.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release");
            assert.ok(objects.length >= 9, `${graph.result.stack}: only ${objects.length} objects`);
            assert.deepEqual(await validateKubernetesObjects(graph.resources, { customResourceModels: CUSTOM_RESOURCE_MODELS }), [], graph.result.stack);
        }
    });

    it("the policy pack finds no mandatory violation in any stack, with its environment's config", async function () {
        for (const { graph, environment } of stacks) {
            const session = await policySession(environment);
            const violations = await session.analyze(graph.resources);
            const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
            assert.deepEqual(mandatory, [], graph.result.stack);
        }
    });

    it("prod's only advisory violations are the ones the README accepts", async function () {
        for (const { stack, graph } of ofEnvironment("prod")) {
            const violations = await (await policySession("prod")).analyze(graph.resources);
            const advisory = [...new Set(violations.filter((v) => v.enforcementLevel === "advisory").map((v) => v.policy))].sort();
            assert.deepEqual(advisory, ACCEPTED_PROD_ADVISORIES, stack);
        }
    });

    it("EKS in every stack: private endpoint, encrypted secrets, all logs; deletion protection in prod only", function () {
        for (const { graph, environment } of stacks) {
            const [eks] = graph.ofType("aws:eks/cluster:Cluster");
            const vpc = eks.inputs.vpcConfig as { endpointPublicAccess: boolean; publicAccessCidrs?: string[] };
            assert.equal(vpc.endpointPublicAccess, false, graph.result.stack);
            assert.deepEqual((eks.inputs.encryptionConfig as { resources: string[] }).resources, ["secrets"]);
            assert.equal((eks.inputs.enabledClusterLogTypes as string[]).length, 5);
            assert.equal(eks.inputs.deletionProtection, environment === Environment.Prod, graph.result.stack);
            assert.equal(eks.inputs.name, `platform-${graph.result.stack}`);
        }
    });

    it("workload nodes are spot in dev and staging, on-demand in prod; system nodes always on-demand", function () {
        const nodeGroup = (g: ResourceGraph, group: string) => g.get("aws:eks/nodeGroup:NodeGroup", `platform-${g.result.stack}-${group}`).inputs;
        for (const s of stacks) {
            assert.equal(nodeGroup(s.graph, "workload").capacityType, expected(s).workloadCapacity, s.stack);
            assert.equal(nodeGroup(s.graph, "system").capacityType, "ON_DEMAND", s.stack);
        }
        // One system node per zone in prod.
        for (const s of ofEnvironment("prod")) assert.equal((nodeGroup(s.graph, "system").scalingConfig as { minSize: number }).minSize, expected(s).zones, s.stack);
    });

    it("the cluster runs in the network's private subnets", function () {
        for (const { graph } of stacks) {
            const [eks] = graph.ofType("aws:eks/cluster:Cluster");
            assert.deepEqual((eks.inputs.vpcConfig as { subnetIds: string[] }).subnetIds, graph.outputs.privateSubnetIds);
        }
    });

    it("a stack file with a typo fails with the key named, before any resource is registered", async function () {
        const dir = mkdtempSync(join(tmpdir(), "platform-stack-"));
        writeFileSync(
            join(dir, "Pulumi.prod-eu.yaml"),
            ["config:", "  aws:region: eu-west-1", "  platform:environment: prod", "  platform:network:", "    natMod: single", ""].join("\n"),
        );
        const error = await synthFailure("prod-eu", { configDir: dir });
        assert.equal(error.kind, "config");
        assert.match(error.message, /^Pulumi\.prod-eu\.yaml: invalid stack configuration/);
        assert.match(error.message, /platform:network\.natMod: unknown key; did you mean "natMode"\?/);
        // The root stack is the engine's, registered before the program runs; nothing else may be.
        assert.deepEqual(error.resources.filter((r) => r.type !== "pulumi:pulumi:Stack"), []);
    });

    it("any stack name gets its environment's profile", async function () {
        const dir = mkdtempSync(join(tmpdir(), "platform-stack-"));
        writeFileSync(join(dir, "Pulumi.prod-eu.yaml"), ["config:", "  aws:region: eu-west-1", "  platform:environment: prod", "  platform:delivery:", "    hostname: api.eu.example.com", "    certificateArn: arn:aws:acm:eu-west-1:111122223333:certificate/9a3f7e12-6c4b-4d8a-b2e5-7f1c3d9e0a64", "  platform:backup:", "    drRegion: eu-central-1", ""].join("\n"));
        const graph = await synthVariant("prod-eu", { configDir: dir });
        assert.equal(graph.ofType(NAT).length, 3);
        assert.deepEqual(graph.outputs.availabilityZones, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        assert.equal(graph.ofType("aws:kms/key:Key")[0].protect, true);
    });
});
