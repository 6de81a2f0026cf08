import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { UNTAGGABLE_AWS_TYPES } from "../../policies/rules/tags";
import { PolicyConfigFile } from "../../tools/policyRunner";
import { FixtureResource, OVERRIDDEN_SETTINGS, PolicyViolation, violationsOf, violationsWithOverriddenSettings } from "../policyHarness";

const POLICY = "aws-required-tags";
const TAGS = { Name: "platform-prod-vpc", environment: "prod", project: "platform", "managed-by": "pulumi", owner: "platform-team" };

/** A VPC with these tags; `null` for none at all. */
function vpc(tags: Record<string, unknown> | null = TAGS, extra: Partial<FixtureResource> = {}): FixtureResource {
    return { type: "aws:ec2/vpc:Vpc", name: "vpc", inputs: { cidrBlock: "10.30.0.0/16", ...(tags === null ? {} : { tags }) }, ...extra };
}

function assertOne(violations: PolicyViolation[], resourceName: string, problem: RegExp): void {
    assert.equal(violations.length, 1, JSON.stringify(violations, null, 2));
    assert.match(violations[0].message, problem);
    assert.match(violations[0].message, /Fix: add .* to the resource's tags/);
    assert.match(violations[0].urn, new RegExp(`::${resourceName}$`));
}

/** The pack with the settings the harness overrides (OVERRIDDEN_SETTINGS); the argument says which this file relies on. */
function configuredPack(relied: PolicyConfigFile): (caseId: string, resources: FixtureResource[]) => Promise<PolicyViolation[]> {
    for (const [policy, settings] of Object.entries(relied)) {
        assert.deepEqual(OVERRIDDEN_SETTINGS[policy], settings, `the harness's OVERRIDDEN_SETTINGS must hold ${policy}`);
    }
    return (caseId, resources) => violationsWithOverriddenSettings(POLICY, caseId, resources);
}

describe("policies: tags", function () {
    describe("aws-required-tags", function () {
        it("passes tagged resources, untaggable types, providers and Kubernetes objects", async function () {
            const resources: FixtureResource[] = [
                vpc(),
                { type: "aws:rds/clusterInstance:ClusterInstance", name: "db-1", inputs: { clusterIdentifier: "db", instanceClass: "db.r7g.large", engine: "aurora-postgresql", tags: TAGS } },
                { type: "aws:ec2/route:Route", name: "route", inputs: { routeTableId: "rtb-1", destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-1" } },
                { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: "attach", inputs: { role: "r", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } },
                { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name: "pab", inputs: { bucket: "b", blockPublicAcls: true } },
                { type: "pulumi:providers:aws", name: "aws-provider", inputs: { region: "us-east-1" } },
                { type: "kubernetes:core/v1:Namespace", name: "ns", inputs: { metadata: { name: "api" } } },
            ];
            assert.deepEqual(await violationsOf(POLICY, "tags-ok", resources), []);
        });

        it("counts the provider's defaultTags", async function () {
            const resources: FixtureResource[] = [
                { type: "pulumi:providers:aws", name: "tagged-provider", inputs: { region: "us-east-1", defaultTags: { tags: { environment: "prod", project: "platform" } } } },
                vpc({ Name: "vpc", "managed-by": "pulumi" }, { provider: 0 }),
            ];
            assert.deepEqual(await violationsOf(POLICY, "tags-provider-ok", resources), []);
        });

        it("reads tags given as [{ key, value }] (Auto Scaling groups)", async function () {
            const group: FixtureResource = {
                type: "aws:autoscaling/group:Group",
                name: "asg",
                inputs: { maxSize: 3, minSize: 1, tags: Object.entries(TAGS).map(([key, value]) => ({ key, value, propagateAtLaunch: true })) },
            };
            assert.deepEqual(await violationsOf(POLICY, "tags-asg-ok", [group]), []);
        });

        const cases: Array<[string, Record<string, unknown> | null, RegExp]> = [
            ["no tags at all", null, /Missing required tag\(s\): environment, project, managed-by\./],
            ["no project tag", { ...TAGS, project: undefined }, /Missing required tag\(s\): project\./],
            ["an empty managed-by tag", { ...TAGS, "managed-by": "" }, /Missing required tag\(s\): managed-by\./],
        ];
        cases.forEach(([what, tags, problem], i) => {
            it(`flags a resource with ${what}`, async function () {
                assertOne(await violationsOf(POLICY, `tags-missing-${i}`, [vpc(tags)]), "vpc", problem);
            });
        });

        it("flags an untagged aws.rds.ClusterInstance, which is taggable", async function () {
            const instance: FixtureResource = { type: "aws:rds/clusterInstance:ClusterInstance", name: "db-1", inputs: { clusterIdentifier: "db", instanceClass: "db.r7g.large" } };
            assertOne(await violationsOf(POLICY, "tags-cluster-instance", [instance]), "db-1", /Missing required tag\(s\): environment, project, managed-by/);
        });

        it("skips every type the program creates without tags", function () {
            for (const type of [
                "aws:ec2/route:Route",
                "aws:ec2/routeTableAssociation:RouteTableAssociation",
                "aws:iam/rolePolicy:RolePolicy",
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                "aws:kms/alias:Alias",
                "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "aws:s3/bucketVersioning:BucketVersioning",
                "aws:s3/bucketPolicy:BucketPolicy",
                "aws:s3/bucketAcl:BucketAcl",
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            ]) {
                assert.ok(UNTAGGABLE_AWS_TYPES.has(type), type);
            }
        });

        it("lists only types whose @pulumi/aws arguments have no tags", function () {
            const awsRoot = dirname(require.resolve("@pulumi/aws/package.json"));
            for (const type of UNTAGGABLE_AWS_TYPES) {
                const [, module, file, resourceClass] = /^aws:([^/]+)\/([^:]+):(.+)$/.exec(type) ?? [];
                assert.ok(module, `${type} is not an AWS type token`);
                const declarations = readFileSync(join(awsRoot, module, `${file}.d.ts`), "utf8");
                const args = new RegExp(`export interface ${resourceClass}Args \\{([\\s\\S]*?)\\n\\}`).exec(declarations);
                assert.ok(args, `${type}: no ${resourceClass}Args in ${module}/${file}.d.ts`);
                assert.doesNotMatch(args[1], /^\s+tags\??:/m, `${type} takes tags`);
            }
        });

        describe("with requiredTags [\"owner\", \"cost-center\"] in the pack's config", function () {
            const violations = configuredPack({ [POLICY]: { requiredTags: ["owner", "cost-center"] } });

            it("checks the configured keys instead of the defaults", async function () {
                assert.deepEqual(await violations("tags-config-ok", [vpc({ owner: "platform-team", "cost-center": "eng" })]), []);
                assertOne(await violations("tags-config-missing", [vpc(TAGS)]), "vpc", /Missing required tag\(s\): cost-center\./);
            });
        });
    });
});
