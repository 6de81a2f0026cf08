import assert from "node:assert/strict";
import { PolicyConfigFile } from "../../tools/policyRunner";
import { FixtureResource, OVERRIDDEN_SETTINGS, PolicyViolation, violationsOf, violationsWithOverriddenSettings } from "../policyHarness";

const CLUSTER = "aws:eks/cluster:Cluster";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const TAGS = { environment: "prod", project: "platform", "managed-by": "pulumi" };
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d";

/** A cluster as the Cluster component builds it: private endpoint, encrypted secrets, every log. */
function cluster(overrides: Record<string, unknown> = {}, vpc: Record<string, unknown> = {}): FixtureResource {
    return {
        type: CLUSTER,
        name: "platform-prod",
        inputs: {
            name: "platform-prod",
            version: "1.33",
            roleArn: "arn:aws:iam::123456789012:role/platform-prod-cluster",
            vpcConfig: { subnetIds: ["subnet-1", "subnet-2", "subnet-3"], endpointPrivateAccess: true, endpointPublicAccess: false, ...vpc },
            encryptionConfig: { provider: { keyArn: KEY_ARN }, resources: ["secrets"] },
            enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
            tags: TAGS,
            ...overrides,
        },
    };
}

/** A node launch template as the component builds it: IMDSv2 only, one hop, no key pair. */
function launchTemplate(overrides: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): FixtureResource {
    return {
        type: LAUNCH_TEMPLATE,
        name: "platform-prod-workload",
        inputs: {
            description: "Nodes of platform-prod group workload",
            updateDefaultVersion: true,
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled", ...metadata },
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeType: "gp3", volumeSize: 50, encrypted: "true", kmsKeyId: KEY_ARN } }],
            tags: TAGS,
            ...overrides,
        },
    };
}

function nodeGroup(overrides: Record<string, unknown> = {}): FixtureResource {
    return {
        type: NODE_GROUP,
        name: "platform-prod-workload-ng",
        inputs: {
            clusterName: "platform-prod",
            nodeRoleArn: "arn:aws:iam::123456789012:role/platform-prod-nodes",
            subnetIds: ["subnet-1", "subnet-2", "subnet-3"],
            scalingConfig: { minSize: 3, maxSize: 12, desiredSize: 3 },
            launchTemplate: { id: "lt-0123", version: "1" },
            tags: TAGS,
            ...overrides,
        },
    };
}

function assertOne(violations: PolicyViolation[], resourceName: string, problem: RegExp, remedy: RegExp): void {
    assert.equal(violations.length, 1, JSON.stringify(violations, null, 2));
    assert.match(violations[0].message, problem);
    assert.match(violations[0].message, remedy);
    assert.match(violations[0].urn, new RegExp(`::${resourceName}$`));
}

/** The pack with the settings the harness overrides (OVERRIDDEN_SETTINGS); the argument says which this file relies on. */
function configuredPack(relied: PolicyConfigFile): (policy: string, caseId: string, resources: FixtureResource[]) => Promise<PolicyViolation[]> {
    for (const [policy, settings] of Object.entries(relied)) {
        assert.deepEqual(OVERRIDDEN_SETTINGS[policy], settings, `the harness's OVERRIDDEN_SETTINGS must hold ${policy}`);
    }
    return violationsWithOverriddenSettings;
}

describe("policies: EKS", function () {
    describe("eks-secrets-encrypted", function () {
        it("passes a cluster encrypting secrets with a KMS key", async function () {
            assert.deepEqual(await violationsOf("eks-secrets-encrypted", "eks-secrets-ok", [cluster()]), []);
        });

        const cases: Array<[string, Record<string, unknown>, RegExp]> = [
            ["no encryptionConfig", { encryptionConfig: undefined }, /has no encryptionConfig/],
            ["encryptionConfig not covering secrets", { encryptionConfig: { provider: { keyArn: KEY_ARN }, resources: [] } }, /does not cover "secrets"/],
            ["encryptionConfig without a keyArn", { encryptionConfig: { provider: {}, resources: ["secrets"] } }, /does not cover "secrets" with a KMS keyArn/],
        ];
        cases.forEach(([what, overrides, problem], i) => {
            it(`flags a cluster with ${what}`, async function () {
                assertOne(await violationsOf("eks-secrets-encrypted", `eks-secrets-${i}`, [cluster(overrides)]), "platform-prod", problem, /Fix: set encryptionConfig: \{ provider: \{ keyArn/);
            });
        });
    });

    describe("eks-control-plane-logging", function () {
        it("passes a cluster with every log type", async function () {
            assert.deepEqual(await violationsOf("eks-control-plane-logging", "eks-logs-ok", [cluster()]), []);
        });

        it("flags a missing audit log, naming it", async function () {
            const violations = await violationsOf("eks-control-plane-logging", "eks-logs-audit", [cluster({ enabledClusterLogTypes: ["api", "authenticator", "controllerManager", "scheduler"] })]);
            assertOne(violations, "platform-prod", /Control-plane logs not enabled: audit\./, /Fix: set enabledClusterLogTypes/);
        });

        it("flags a cluster with no logs, naming all five", async function () {
            const violations = await violationsOf("eks-control-plane-logging", "eks-logs-none", [cluster({ enabledClusterLogTypes: undefined })]);
            assertOne(violations, "platform-prod", /not enabled: api, audit, authenticator, controllerManager, scheduler\./, /Fix:/);
        });
    });

    describe("eks-endpoint-not-public", function () {
        it("passes a private endpoint, and a public one limited to an office range", async function () {
            assert.deepEqual(await violationsOf("eks-endpoint-not-public", "eks-endpoint-private", [cluster()]), []);
            const limited = cluster({}, { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
            assert.deepEqual(await violationsOf("eks-endpoint-not-public", "eks-endpoint-limited", [limited]), []);
        });

        const cases: Array<[string, Record<string, unknown>, RegExp]> = [
            ["endpointPublicAccess unset (EKS's default is public)", { endpointPublicAccess: undefined }, /endpointPublicAccess is unset, which EKS treats as true and publicAccessCidrs is empty/],
            ["a public endpoint with no CIDRs", { endpointPublicAccess: true }, /endpointPublicAccess is true and publicAccessCidrs is empty, which EKS reads as 0\.0\.0\.0\/0/],
            ["a public endpoint open to 0.0.0.0/0", { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] }, /publicAccessCidrs includes 0\.0\.0\.0\/0/],
        ];
        cases.forEach(([what, vpc, problem], i) => {
            it(`flags ${what}`, async function () {
                assertOne(await violationsOf("eks-endpoint-not-public", `eks-endpoint-${i}`, [cluster({}, vpc)]), "platform-prod", problem, /Fix: set vpcConfig\.endpointPublicAccess: false/);
            });
        });
    });

    describe("launch-template-imdsv2", function () {
        it("passes IMDSv2 with one hop, and a template with the metadata endpoint disabled", async function () {
            assert.deepEqual(await violationsOf("launch-template-imdsv2", "eks-imds-ok", [launchTemplate()]), []);
            const disabled = launchTemplate({ metadataOptions: { httpEndpoint: "disabled" } });
            assert.deepEqual(await violationsOf("launch-template-imdsv2", "eks-imds-disabled", [disabled]), []);
        });

        const cases: Array<[string, Record<string, unknown>, RegExp, RegExp]> = [
            ["httpTokens optional", { httpTokens: "optional" }, /httpTokens is "optional": instances answer IMDSv1/, /Fix: set metadataOptions\.httpTokens: "required"/],
            ["httpTokens unset", { httpTokens: undefined }, /httpTokens is unset/, /Fix: set metadataOptions\.httpTokens: "required"/],
            ["a hop limit of 2", { httpPutResponseHopLimit: 2 }, /httpPutResponseHopLimit is 2, above the allowed 1/, /Fix: set it to 1/],
            ["the hop limit unset", { httpPutResponseHopLimit: undefined }, /httpPutResponseHopLimit is unset/, /Fix: set metadataOptions\.httpPutResponseHopLimit to 1/],
        ];
        cases.forEach(([what, metadata, problem, remedy], i) => {
            it(`flags ${what}`, async function () {
                assertOne(await violationsOf("launch-template-imdsv2", `eks-imds-${i}`, [launchTemplate({}, metadata)]), "platform-prod-workload", problem, remedy);
            });
        });

        describe("with maxHopLimit 2 in the pack's config", function () {
            const violations = configuredPack({ "launch-template-imdsv2": { maxHopLimit: 2 } });

            it("passes two hops and flags three", async function () {
                assert.deepEqual(await violations("launch-template-imdsv2", "eks-imds-config-2", [launchTemplate({}, { httpPutResponseHopLimit: 2 })]), []);
                const three = await violations("launch-template-imdsv2", "eks-imds-config-3", [launchTemplate({}, { httpPutResponseHopLimit: 3 })]);
                assertOne(three, "platform-prod-workload", /is 3, above the allowed 2/, /Fix: set it to 2/);
            });
        });
    });

    describe("eks-node-group-no-ssh", function () {
        it("passes a node group on a launch template without a key pair", async function () {
            assert.deepEqual(await violationsOf("eks-node-group-no-ssh", "eks-ssh-ok", [launchTemplate(), nodeGroup()]), []);
        });

        it("flags a node group with remoteAccess", async function () {
            const group = nodeGroup({ launchTemplate: undefined, remoteAccess: { ec2SshKey: "ops", sourceSecurityGroupIds: ["sg-bastion"] } });
            assertOne(await violationsOf("eks-node-group-no-ssh", "eks-ssh-remote", [group]), "platform-prod-workload-ng", /sets remoteAccess, opening SSH/, /Fix: remove remoteAccess/);
        });

        it("flags a launch template with a key pair", async function () {
            const violations = await violationsOf("eks-node-group-no-ssh", "eks-ssh-key", [launchTemplate({ keyName: "ops" }), nodeGroup()]);
            assertOne(violations, "platform-prod-workload", /installs SSH key pair "ops"/, /Fix: remove keyName/);
        });
    });
});
