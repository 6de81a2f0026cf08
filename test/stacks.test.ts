import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateKubernetesObjects } from "../tools/kubernetesSchema";
import { CUSTOM_RESOURCE_MODELS, ResourceGraph, UNTAGGABLE_TYPES, synthFailure, synthStack, synthVariant } from "./helpers";
import { PolicyEnvironment, policySession } from "./policyHarness";


const SUBNET = "aws:ec2/subnet:Subnet";
const NAT = "aws:ec2/natGateway:NatGateway";
const ROUTE = "aws:ec2/route:Route";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";

/** Advisory violations prod accepts; the README's policy section lists them (none today). */
const ACCEPTED_PROD_ADVISORIES: string[] = [];

function subnetsByTier(graph: ResourceGraph): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const s of graph.ofType(SUBNET)) {
        const tier = (s.inputs.tags as Record<string, string>).tier;
        counts[tier] = (counts[tier] ?? 0) + 1;
    }
    return counts;
}

describe("stacks synthesized whole", function () {
    let dev: ResourceGraph;
    let staging: ResourceGraph;
    let prod: ResourceGraph;

    before(async function () {
        // The pack's processes start alongside the syntheses; the policy tests below reuse them.
        [dev, staging, prod] = await Promise.all([
            synthStack("dev"),
            synthStack("staging"),
            synthStack("prod"),
            policySession("dev"),
            policySession("staging"),
            policySession("prod"),
        ]).then(([d, s, p]) => [d, s, p]);
    });

    it("prod: 3 zones x 3 tiers of subnets and a NAT gateway per zone", function () {
        assert.deepEqual(subnetsByTier(prod), { public: 3, private: 3, isolated: 3 });
        assert.equal(prod.ofType(NAT).length, 3);
        assert.deepEqual(prod.outputs.availabilityZones, ["us-east-1a", "us-east-1b", "us-east-1c"]);
    });

    it("staging: 3 zones and a single NAT gateway", function () {
        assert.deepEqual(subnetsByTier(staging), { public: 3, private: 3, isolated: 3 });
        assert.equal(staging.ofType(NAT).length, 1);
    });

    it("dev: 2 zones and a single NAT gateway", function () {
        assert.deepEqual(subnetsByTier(dev), { public: 2, private: 2, isolated: 2 });
        assert.equal(dev.ofType(NAT).length, 1);
    });

    it("flow logs everywhere, to a KMS-encrypted log group with the profile's retention", function () {
        for (const [graph, days] of [[dev, 30], [staging, 90], [prod, 365]] as const) {
            const flowLog = graph.ofType("aws:ec2/flowLog:FlowLog");
            assert.equal(flowLog.length, 1);
            const group = graph.urn(flowLog[0].propertyDependencies.logDestination[0])!;
            assert.equal(group.inputs.retentionInDays, days);
            const key = graph.urn(group.propertyDependencies.kmsKeyId[0])!;
            assert.equal(key.type, "aws:kms/key:Key");
            assert.equal(key.inputs.enableKeyRotation, true);
        }
    });

    it("no route to the internet from any isolated subnet", function () {
        for (const graph of [dev, staging, prod]) {
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
        assert.deepEqual([interfaces(dev), interfaces(staging), interfaces(prod)], [0, 0, 5]);
    });

    it("stateful resources are protected in prod and only there", function () {
        const isProtected = (g: ResourceGraph) => g.resources.filter((r) => r.protect).map((r) => r.name).sort();
        assert.deepEqual(isProtected(prod), [
            "platform-prod",
            "platform-prod-alerts",
            "platform-prod-api",
            // Both vaults, their locks and keys.
            "platform-prod-backup",
            "platform-prod-backup",
            "platform-prod-backup",
            "platform-prod-backup-dr",
            "platform-prod-backup-dr",
            "platform-prod-backup-dr",
            "platform-prod-cache",
            "platform-prod-cache-auth",
            "platform-prod-cache-slow-log",
            "platform-prod-control-plane",
            "platform-prod-control-plane-logs",
            "platform-prod-credentials",
            "platform-prod-data",
            "platform-prod-database-backups",
            "platform-prod-database-backups-dr",
            "platform-prod-database-logs",
            "platform-prod-flow-logs",
            "platform-prod-flow-logs",
            "platform-prod-logs",
            "platform-prod-logs",
            "platform-prod-postgres",
            "platform-prod-postgres-postgresql",
            "platform-prod-postgres-upgrade",
            "platform-prod-secrets",
            // The Velero bucket and its DR copy, and their keys.
            "platform-prod-velero",
            "platform-prod-velero",
            "platform-prod-velero-dr",
            "platform-prod-velero-dr",
            "platform-prod-volumes",
        ]);
        assert.deepEqual(isProtected(dev), []);
        assert.deepEqual(isProtected(staging), []);
    });

    it("tags every taggable AWS resource with environment, stack, project and managed-by, plus the stack's own", function () {
        for (const graph of [dev, staging, prod]) {
            const env = graph.result.environment;
            for (const r of graph.resources.filter((x) => x.custom && x.type.startsWith("aws:") && !UNTAGGABLE_TYPES.has(x.type))) {
                const tags = r.inputs.tags as Record<string, string> | undefined;
                assert.ok(tags, `${r.name} (${r.type}) has no tags`);
                assert.deepEqual(
                    [tags.environment, tags.stack, tags.project, tags["managed-by"], tags.owner],
                    [env, graph.result.stack, "platform", "pulumi", "platform-team"],
                    `${r.name} (${r.type})`,
                );
            }
        }
    });

    it("exports the cluster's outputs, the kubeconfig as a secret", function () {
        assert.equal(prod.outputs.clusterName, "platform-prod");
        assert.equal(prod.outputs.kubeconfig, "[secret]");
        assert.deepEqual(prod.outputs.namespaces, ["api", "node-agents"]);
        for (const key of ["clusterEndpoint", "clusterCertificateAuthority", "oidcProviderArn", "oidcProviderUrl", "clusterSecurityGroupId", "nodeSecurityGroupId"]) {
            assert.equal(typeof prod.outputs[key], "string", key);
            assert.ok((prod.outputs[key] as string).length > 0, key);
        }
        assert.notEqual(prod.outputs.clusterSecurityGroupId, prod.outputs.nodeSecurityGroupId);
    });

    it("exports the network's outputs", function () {
        assert.equal(prod.outputs.vpcCidr, "10.30.0.0/16");
        assert.equal(prod.outputs.flowLogGroupName, "/aws/vpc/flow-logs/platform-prod");
        const tierIds = ["publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"].map((key) => prod.outputs[key] as string[]);
        assert.deepEqual(tierIds.map((ids) => ids.length), [3, 3, 3]);
        // Each tier's output is wired to its own subnets: nine distinct subnet ids.
        assert.equal(new Set(tierIds.flat().filter((id) => id.startsWith("subnet-"))).size, 9);
    });

    it("growing dev from 2 to 3 zones only adds resources: no subnet or route table changes identity", async function () {
        const grown = await synthVariant("dev", {
            overrides: { "platform:network": { cidrBlock: "10.10.0.0/16", availabilityZoneCount: 3, natMode: "single", flowLogRetentionDays: 30 } },
        });
        const before = new Map(dev.resources.map((r) => [r.urn, r]));
        const after = new Map(grown.resources.map((r) => [r.urn, r]));
        assert.deepEqual([...before.keys()].filter((urn) => !after.has(urn)), [], "nothing is removed");
        assert.ok(after.size > before.size);
        for (const s of dev.ofType(SUBNET)) {
            const same = after.get(s.urn)!;
            assert.deepEqual([same.inputs.cidrBlock, same.inputs.availabilityZone, same.inputs.vpcId], [s.inputs.cidrBlock, s.inputs.availabilityZone, s.inputs.vpcId]);
        }
        for (const t of dev.ofType(ROUTE_TABLE)) {
            assert.deepEqual(after.get(t.urn)!.inputs.vpcId, t.inputs.vpcId);
        }
    });

    it("routine cluster changes update in place: the cluster and its keys keep every create-only input", async function () {
        const changed = await synthVariant("prod", {
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
        assert.deepEqual(createOnly(changed), createOnly(prod));
        const [eks] = changed.ofType("aws:eks/cluster:Cluster");
        assert.equal(eks.inputs.version, "1.35");
        assert.equal(changed.get("aws:eks/addon:Addon", "platform-prod-kube-proxy").inputs.addonVersion, "v1.35.3-eksbuild.13");
    });

    it("the database and cache sit in the isolated subnets and admit the cluster's nodes only", function () {
        for (const graph of [dev, staging, prod]) {
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

    it("exports what Backup, Observability and delivery need of the database, credentials only as references", function () {
        assert.equal(prod.outputs.databaseInstanceIdentifier, "platform-prod-postgres");
        assert.equal(prod.outputs.databaseInstanceArn, "arn:aws:rds:us-east-1:123456789012:db:platform-prod-postgres");
        assert.deepEqual([prod.outputs.databasePort, prod.outputs.redisPort, prod.outputs.databaseName], [5432, 6379, "app"]);
        for (const key of ["databaseEndpoint", "databaseMasterUserSecretArn", "databaseKmsKeyArn", "databaseSecurityGroupId", "redisPrimaryEndpoint", "redisAuthSecretArn"]) {
            assert.equal(typeof prod.outputs[key], "string", key);
        }
        const policy = JSON.parse(prod.outputs.databaseCredentialsReadPolicy as string) as { Statement: Array<{ Resource: unknown }> };
        assert.deepEqual(policy.Statement[0].Resource, [prod.outputs.databaseMasterUserSecretArn, prod.outputs.redisAuthSecretArn]);
        assert.doesNotMatch(JSON.stringify(prod.outputs), /offline-plan-password-/);
    });

    it("switching a stack from the dev to the prod profile keeps the database's and cache's identity", async function () {
        const switched = await synthVariant("dev", { overrides: { "platform:environment": "prod" } });
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
        assert.deepEqual(identity(switched), identity(dev));
        // The prod profile adds keys (the DR region's); every key dev has keeps its identity.
        const keys = (g: ResourceGraph) => new Map(g.ofType("aws:kms/key:Key").map((k) => [k.urn, k.inputs.description]));
        const switchedKeys = keys(switched);
        for (const [urn, description] of keys(dev)) {
            assert.equal(switchedKeys.get(urn), description, urn);
        }
        const [db] = switched.ofType("aws:rds/instance:Instance");
        assert.deepEqual([db.inputs.multiAz, db.inputs.deletionProtection, db.inputs.backupRetentionPeriod, db.protect], [true, true, 30, true]);
    });

    it("every Kubernetes object in every stack is valid against the Kubernetes schema", async function () {
        for (const graph of [dev, staging, prod]) {
            const objects = graph.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release");
            assert.ok(objects.length >= 9, `${graph.result.stack}: only ${objects.length} objects`);
            assert.deepEqual(await validateKubernetesObjects(graph.resources, { customResourceModels: CUSTOM_RESOURCE_MODELS }), [], graph.result.stack);
        }
    });

    it("the policy pack finds no mandatory violation in any stack, with its environment's config", async function () {
        for (const graph of [dev, staging, prod]) {
            const session = await policySession(graph.result.environment as PolicyEnvironment);
            const violations = await session.analyze(graph.resources);
            const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
            assert.deepEqual(mandatory, [], graph.result.stack);
        }
    });

    it("prod's only advisory violations are the ones the README accepts", async function () {
        const violations = await (await policySession("prod")).analyze(prod.resources);
        const advisory = [...new Set(violations.filter((v) => v.enforcementLevel === "advisory").map((v) => v.policy))].sort();
        assert.deepEqual(advisory, ACCEPTED_PROD_ADVISORIES);
    });

    it("EKS in every stack: private endpoint, encrypted secrets, all logs; deletion protection in prod only", function () {
        for (const graph of [dev, staging, prod]) {
            const [eks] = graph.ofType("aws:eks/cluster:Cluster");
            const vpc = eks.inputs.vpcConfig as { endpointPublicAccess: boolean; publicAccessCidrs?: string[] };
            assert.equal(vpc.endpointPublicAccess, false, graph.result.stack);
            assert.deepEqual((eks.inputs.encryptionConfig as { resources: string[] }).resources, ["secrets"]);
            assert.equal((eks.inputs.enabledClusterLogTypes as string[]).length, 5);
            assert.equal(eks.inputs.deletionProtection, graph === prod, graph.result.stack);
            assert.equal(eks.inputs.name, `platform-${graph.result.stack}`);
        }
    });

    it("workload nodes are spot in dev and staging, on-demand in prod; system nodes always on-demand", function () {
        const capacity = (g: ResourceGraph, group: string) => g.get("aws:eks/nodeGroup:NodeGroup", `platform-${g.result.stack}-${group}`).inputs.capacityType;
        assert.deepEqual([dev, staging, prod].map((g) => capacity(g, "workload")), ["SPOT", "SPOT", "ON_DEMAND"]);
        assert.deepEqual([dev, staging, prod].map((g) => capacity(g, "system")), ["ON_DEMAND", "ON_DEMAND", "ON_DEMAND"]);
        // One system node per zone in prod.
        assert.equal((prod.get("aws:eks/nodeGroup:NodeGroup", "platform-prod-system").inputs.scalingConfig as { minSize: number }).minSize, 3);
    });

    it("the cluster runs in the network's private subnets", function () {
        for (const graph of [dev, staging, prod]) {
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
