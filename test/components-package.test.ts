import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { parse } from "yaml";
import * as components from "../components";
import { CONFIG_KEYS } from "../config";
import { CONFIG_TYPES } from "../config/project";
import { PROJECT_DIR } from "../tools/synth";

const COMPONENTS_DIR = join(PROJECT_DIR, "components");

/** Classes the package exports that are Pulumi components. */
function exportedComponents(): Array<{ name: string; ctor: { prototype: object } }> {
    return Object.entries(components)
        .filter(([, value]) => typeof value === "function" && value.prototype instanceof pulumi.ComponentResource)
        .map(([name, ctor]) => ({ name, ctor: ctor as { prototype: object } }));
}

describe("the component package", function () {
    it("is a source-based plugin package for the nodejs runtime", function () {
        const plugin = parse(readFileSync(join(COMPONENTS_DIR, "PulumiPlugin.yaml"), "utf8")) as { runtime: string };
        assert.equal(plugin.runtime, "nodejs");
    });

    it("the component analyzer infers every exported component's inputs and outputs", function () {
        const pkg = JSON.parse(readFileSync(join(COMPONENTS_DIR, "package.json"), "utf8")) as { name: string };
        const names = exportedComponents().map((c) => c.name);
        assert.deepEqual(names.sort(), ["Backup", "Cluster", "Database", "Network", "Observability", "ProgressiveDelivery", "ServiceAccountRole"]);
        const result = new Analyzer(COMPONENTS_DIR, pkg.name, pkg, new Set(names)).analyze();
        for (const name of names) {
            const definition = result.components[name];
            assert.ok(definition, `${name} was not analyzed`);
            assert.ok(Object.keys(definition.inputs).length > 0, `${name} has no inputs`);
            assert.ok(Object.keys(definition.outputs).length > 0, `${name} has no outputs`);
        }
        const network = result.components.Network;
        assert.deepEqual(Object.keys(network.outputs).sort(), [
            "availabilityZones", "databaseSubnetGroupName", "endpointSecurityGroupId", "flowLogGroupName", "isolatedSubnetCidrs", "isolatedSubnetIds",
            "natGatewayIds", "privateRouteTableIds", "privateSubnetIds", "publicSubnetCidrs", "publicSubnetIds", "vpcCidr", "vpcId",
        ]);
        assert.deepEqual(network.inputs.natMode, { ...network.inputs.natMode, $ref: "#/types/platform:index:NatMode" });
        assert.deepEqual(
            result.typeDefinitions.NatMode.enum?.map((e) => e.value),
            ["none", "single", "perAz"],
        );
        const cluster = result.components.Cluster;
        assert.deepEqual(Object.keys(cluster.outputs).sort(), [
            "certificateAuthority", "clusterName", "clusterSecurityGroupId", "endpoint", "kubeconfig", "namespaceNames",
            "nodeAgentNamespace", "nodeSecurityGroupId", "oidcProviderArn", "oidcProviderUrl", "provider", "volumeKmsKeyArn",
        ]);
        for (const required of ["vpcId", "privateSubnetIds", "kubernetesVersion", "nodeGroups", "addonVersions", "applicationNamespaces"]) {
            assert.equal(cluster.inputs[required]?.optional ?? false, false, `${required} should be required`);
        }
        assert.deepEqual(result.typeDefinitions.CapacityType.enum?.map((e) => e.value), ["ON_DEMAND", "SPOT"]);
        const database = result.components.Database;
        assert.deepEqual(Object.keys(database.outputs).sort(), [
            "credentialsKmsKeyArn", "credentialsReadPolicyJson", "databaseName", "endpoint", "instanceArn", "instanceIdentifier", "kmsKeyArn",
            "masterUserSecretArn", "port", "redisAuthSecretArn", "redisNodeIds", "redisPort", "redisPrimaryEndpoint", "redisReaderEndpoint",
            "redisSecurityGroupId", "replicaEndpoints", "replicaIdentifiers", "securityGroupId",
        ]);
        for (const required of ["vpcId", "databaseSubnetGroupName", "isolatedSubnetIds", "clientSecurityGroupIds", "postgres", "redis"]) {
            assert.equal(database.inputs[required]?.optional ?? false, false, `${required} should be required`);
        }
        assert.deepEqual(database.inputs.postgres, { ...database.inputs.postgres, $ref: "#/types/platform:index:PostgresArgs" });
        const observability = result.components.Observability;
        assert.deepEqual(Object.keys(observability.outputs).sort(), [
            "alertTopicArn", "alertmanagerUrl", "grafanaAdminSecretName", "grafanaUrl", "lokiBucketName", "lokiUrl", "namespace", "otlpEndpoint", "prometheusUrl",
            "releaseLabel",
        ]);
        for (const required of ["clusterName", "oidcProviderArn", "applicationUrl", "prometheus", "alerts", "database"]) {
            assert.equal(observability.inputs[required]?.optional ?? false, false, `${required} should be required`);
        }
        assert.deepEqual(result.typeDefinitions.SubscriptionProtocol.enum?.map((e) => e.value), ["email", "https", "sqs", "lambda"]);
        const backup = result.components.Backup;
        assert.deepEqual(Object.keys(backup.outputs).sort(), [
            "drVaultArn", "planId", "recoveryScenario", "rpoMinutes", "rtoMinutes", "vaultArn", "veleroBucketName", "veleroDrBucketName", "veleroNamespace",
        ]);
        for (const required of ["drProvider", "selectionTags", "plan", "databaseReplication", "restoreTesting", "velero", "database", "cluster"]) {
            assert.equal(backup.inputs[required]?.optional ?? false, false, `${required} should be required`);
        }
        assert.deepEqual(result.typeDefinitions.BackupFrequency.enum?.map((e) => e.value), ["hourly", "daily", "weekly", "monthly"]);
        assert.deepEqual(result.typeDefinitions.VaultLockMode.enum?.map((e) => e.value), ["none", "governance", "compliance"]);
        const delivery = result.components.ProgressiveDelivery;
        assert.deepEqual(Object.keys(delivery.outputs).sort(), ["applicationUrl", "loadBalancerHostname", "namespace", "rolloutName", "strategy", "timeToAbortSeconds"]);
        for (const required of ["namespace", "hostname", "certificateArn", "image", "replicas", "resources", "autoscaling", "database", "network", "monitoring"]) {
            assert.equal(delivery.inputs[required]?.optional ?? false, false, `${required} should be required`);
        }
        assert.deepEqual(delivery.inputs.strategy, { ...delivery.inputs.strategy, $ref: "#/types/platform:index:DeliveryStrategy" });
        assert.deepEqual(result.typeDefinitions.DeliveryStrategy.enum?.map((e) => e.value), ["canary", "blueGreen", "rolling"]);
    });
});

describe("Pulumi.yaml", function () {
    const project = parse(readFileSync(join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
        name: string;
        runtime: { name: string; options: { typescript: boolean } };
        config: Record<string, { type: string; description: string }>;
    };

    it("names the project platform, on nodejs with TypeScript", function () {
        assert.equal(project.name, "platform");
        assert.equal(project.runtime.name, "nodejs");
        assert.equal(project.runtime.options.typescript, true);
    });

    it("declares its keys with types Pulumi's project schema accepts, and a description each", function () {
        // The CLI's own schema and rules are applied in projectConfig.test.ts; here, what the program reads.
        for (const [key, declaration] of Object.entries(project.config)) {
            assert.ok((CONFIG_TYPES as readonly string[]).includes(declaration.type), `${key}: type ${declaration.type}`);
            assert.ok(declaration.description.length > 20, `${key}: description`);
        }
        assert.equal(project.config.environment.type, "string");
        for (const key of Object.keys(project.config)) {
            assert.ok(CONFIG_KEYS.includes(key), `${key} is declared but config/ does not read it`);
        }
    });
});
