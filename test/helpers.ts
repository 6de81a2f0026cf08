/** Test helpers over the offline engine: synthesized stacks (once per process) and fixtures. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { StackConfigError, loadStackConfig } from "../config";
import { ResourceGraph } from "../tools/graph";
import { RecordedResource } from "../tools/record";
import { findStacks, FoundStack } from "../tools/stacks";
import { SynthError, StackSynthOptions, synthesizeProgram, synthesizeStack } from "../tools/synth";
import { Schedule as VeleroSchedule } from "./models/velero";

export { ResourceGraph } from "../tools/graph";

const stacks = new Map<string, Promise<ResourceGraph>>();

export type { FoundStack } from "../tools/stacks";

/**
 * The stacks the repository ships: every `Pulumi.<stack>.yaml` with its `platform:environment`
 * and `aws:region`, in deploy order, as the workflows find them (tools/stacks.ts). Tests take
 * their stacks from here, never from a list: a new stack file is tested by being there.
 */
export function shippedStacks(): FoundStack[] {
    return findStacks();
}

/** The first shipped stack of an environment tier, for a test that needs one stack of that tier. */
export function shippedStackOf(environment: string): FoundStack {
    return shippedStacks().find((s) => s.environment.valueOf() === environment) ?? assert.fail(`no Pulumi.<stack>.yaml sets platform:environment ${environment}`);
}

/** The project's stack synthesized from its stack file; shared by every test in the run. */
export function synthStack(stack: string): Promise<ResourceGraph> {
    if (!stacks.has(stack)) {
        stacks.set(stack, synthesizeStack(stack).then((result) => new ResourceGraph(result)));
    }
    return stacks.get(stack)!;
}

/** A stack synthesized with some stack-file values replaced (not cached). */
export async function synthVariant(stack: string, options: StackSynthOptions): Promise<ResourceGraph> {
    return new ResourceGraph(await synthesizeStack(stack, options));
}

/** The synth error a stack variant fails with; fails the test if it synthesizes. */
export async function synthFailure(stack: string, options: StackSynthOptions): Promise<SynthError> {
    try {
        await synthesizeStack(stack, options);
    } catch (err) {
        if (err instanceof SynthError) {
            return err;
        }
        throw err;
    }
    throw new Error(`expected stack ${stack} to fail, but it synthesized`);
}

export interface FixtureOutcome {
    graph?: ResourceGraph;
    error?: string;
    /** Everything registered, the failed case included. */
    resources: RecordedResource[];
}

/** Runs a fixture program from test/fixtures with the given config, in its own process. */
export async function synthFixture(program: string, config: Record<string, unknown>, region = "us-east-1"): Promise<FixtureOutcome> {
    const encoded = Object.fromEntries(
        Object.entries({ "aws:region": region, ...config }).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
    const outcome = await synthesizeProgram({
        programPath: join(__dirname, "fixtures", `${program}.ts`),
        project: "fixture",
        stack: "test",
        config: encoded,
    });
    if (!outcome.ok) {
        return { error: outcome.error?.message, resources: outcome.resources };
    }
    return {
        graph: new ResourceGraph({ project: "fixture", stack: "test", environment: "test", resources: outcome.resources, outputs: outcome.outputs }),
        resources: outcome.resources,
    };
}

/** The application's host name and certificate, which every stack file sets; the certificate is in `region`. */
export function requiredDelivery(region = "us-east-1"): { hostname: string; certificateArn: string } {
    return { hostname: "api.example.com", certificateArn: `arn:aws:acm:${region}:111122223333:certificate/9a3f7e12-6c4b-4d8a-b2e5-7f1c3d9e0a64` };
}

/** The problems a stack's raw config is rejected with; fails the test if it loads. */
export function configProblems(raw: Record<string, string>, stack = "prod"): string[] {
    try {
        loadStackConfig(raw, stack);
    } catch (err) {
        assert.ok(err instanceof StackConfigError, String(err));
        return [...err.problems];
    }
    assert.fail("expected the config to be rejected");
}

/** The one resource an input refers to, through its recorded property dependencies. */
export function referenced(graph: ResourceGraph, from: Pick<RecordedResource, "name" | "propertyDependencies">, property: string): RecordedResource {
    const urns = from.propertyDependencies[property] ?? [];
    assert.equal(urns.length, 1, `${from.name}.${property} should refer to exactly one resource`);
    return graph.urn(urns[0])!;
}

/** Parses an input holding a JSON policy document. */
export function policyOf(resource: RecordedResource, property = "policy"): { Statement: Array<Record<string, unknown>> } {
    return JSON.parse(resource.inputs[property] as string) as { Statement: Array<Record<string, unknown>> };
}

/** AWS resource types that take no tags. */
/** The CRD models of the custom resources the stacks create: the Prometheus operator's, External Secrets', Argo Rollouts' and Velero's. */
export const CUSTOM_RESOURCE_MODELS = [
    "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
    "@kubernetes-models/external-secrets/external-secrets.io/v1",
    "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1",
    VeleroSchedule,
];

export const UNTAGGABLE_TYPES = new Set([
    "aws:ec2/route:Route",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    "aws:kms/alias:Alias",
    "aws:secretsmanager/secretVersion:SecretVersion",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    "aws:backup/selection:Selection",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    "aws:backup/restoreTestingSelection:RestoreTestingSelection",
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:sns/topicSubscription:TopicSubscription",
]);

/** A recorded resource as tools/synth-child.ts writes one, for cases no program needs to produce. */
export function recordedResource(partial: Partial<RecordedResource> & Pick<RecordedResource, "urn" | "type" | "name">): RecordedResource {
    return {
        parent: null,
        custom: true,
        provider: null,
        inputs: {},
        dependencies: [],
        propertyDependencies: {},
        protect: false,
        retainOnDelete: false,
        deleteBeforeReplace: false,
        ignoreChanges: [],
        ...partial,
    };
}
