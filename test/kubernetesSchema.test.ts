import assert from "node:assert/strict";
import { join } from "node:path";
import { validateKubernetesObjects } from "../tools/kubernetesSchema";
import { RecordedResource } from "../tools/record";
import { ClusterIssuer } from "./fixtures/cert-manager-model";
import { FixtureOutcome, recordedResource, synthFixture } from "./helpers";

const PROGRAM = "kubernetes-objects-program";
const WITH_ISSUER = { customResourceModels: [ClusterIssuer] };

/** Object types the fixture program registers, so a pass is over real objects, not none. */
const FIXTURE_OBJECT_TYPES = [
    "kubernetes:apps/v1:Deployment",
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    "kubernetes:batch/v1:CronJob",
    "kubernetes:cert-manager.io/v1:ClusterIssuer",
    "kubernetes:core/v1:ConfigMap",
    "kubernetes:core/v1:LimitRange",
    "kubernetes:core/v1:Namespace",
    "kubernetes:core/v1:ResourceQuota",
    "kubernetes:core/v1:Secret",
    "kubernetes:core/v1:ServiceAccount",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    "kubernetes:policy/v1:PodDisruptionBudget",
    "kubernetes:scheduling.k8s.io/v1:PriorityClass",
    "kubernetes:storage.k8s.io/v1:StorageClass",
    "kubernetes:storage.k8s.io/v1:StorageClassPatch",
];

const LABELS = { "app.kubernetes.io/name": "worker" };
const CONTAINERS = [{ name: "worker", image: "public.ecr.aws/nginx/nginx:1.27" }];

/** Each case adds one object to the valid fixture, valid but for the one field named. */
const INVALID_OBJECTS: Array<{ kind: string; name: string; args: Record<string, unknown>; message: string }> = [
    {
        kind: "NetworkPolicy",
        name: "allow-web",
        args: { metadata: { namespace: "apps" }, spec: { podSelector: {}, policyTypes: "Ingress" } },
        message: 'networking.k8s.io/v1 NetworkPolicy: /spec/policyTypes must be array, got "Ingress"',
    },
    {
        kind: "Namespace",
        name: "batch",
        args: { metadata: { name: "batch", labels: { "platform.example.com/tier": 3 } } },
        message: "v1 Namespace: /metadata/labels/platform.example.com~1tier must be string, got 3",
    },
    {
        kind: "Deployment",
        name: "worker",
        args: { spec: { selector: { matchLabels: LABELS }, template: { metadata: { labels: LABELS }, spec: { serviceAccountName: "api" } } } },
        message: "apps/v1 Deployment: /spec/template/spec/containers is required",
    },
    {
        kind: "Deployment",
        name: "worker-port",
        args: {
            spec: {
                selector: { matchLabels: LABELS },
                template: { metadata: { labels: LABELS }, spec: { containers: [{ ...CONTAINERS[0], ports: [{ containerPort: "http" }] }] } },
            },
        },
        message: 'apps/v1 Deployment: /spec/template/spec/containers/0/ports/0/containerPort must be integer, got "http"',
    },
    {
        kind: "ResourceQuota",
        name: "batch-quota",
        args: { metadata: { namespace: "apps" }, spec: { hard: { "requests.cpu": "lots" } } },
        message: 'v1 ResourceQuota: /spec/hard/requests.cpu must be number or must match format "quantity", got "lots"',
    },
    {
        kind: "StorageClassPatch",
        name: "gp2-expandable",
        args: { metadata: { name: "gp2" }, allowVolumeExpansion: "yes" },
        message: 'storage.k8s.io/v1 StorageClass: /allowVolumeExpansion must be boolean, got "yes"',
    },
];

function recorded(type: string, name: string, inputs: Record<string, unknown>): RecordedResource {
    return recordedResource({ urn: `urn:pulumi:test::fixture::${type}::${name}`, type, name, inputs });
}

describe("Kubernetes schema validator", function () {
    let valid: FixtureOutcome;
    let invalid: FixtureOutcome[];

    before(async function () {
        [valid, ...invalid] = await Promise.all([
            synthFixture(PROGRAM, {}),
            ...INVALID_OBJECTS.map(({ kind, name, args }) => synthFixture(PROGRAM, { "fixture:extraObject": { kind, name, args } })),
        ]);
        for (const outcome of [valid, ...invalid]) {
            assert.equal(outcome.error, undefined, outcome.error);
        }
    });

    it("passes every object of a valid program once its custom resource's model is registered", async function () {
        const objectTypes = [...new Set(valid.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release").map((r) => r.type))];
        assert.deepEqual(objectTypes.sort(), FIXTURE_OBJECT_TYPES);
        assert.deepEqual(await validateKubernetesObjects(valid.resources, WITH_ISSUER), []);
    });

    it("reports a custom resource whose model is not registered, and only that", async function () {
        const issuer = valid.graph!.get("kubernetes:cert-manager.io/v1:ClusterIssuer", "letsencrypt");
        assert.deepEqual(await validateKubernetesObjects(valid.resources), [
            {
                urn: issuer.urn,
                type: issuer.type,
                message: "no schema for cert-manager.io/v1 ClusterIssuer: register its model in customResourceModels",
            },
        ]);
    });

    it("reports each invalid object by its URN and the failing field's path", async function () {
        for (const [i, { kind, name, message }] of INVALID_OBJECTS.entries()) {
            const added = invalid[i].resources.find((r) => r.name === name && r.type.endsWith(`:${kind}`))!;
            const problems = await validateKubernetesObjects(invalid[i].resources, WITH_ISSUER);
            assert.deepEqual(problems, [{ urn: added.urn, type: added.type, message }], `${kind} ${name}`);
        }
    });

    it("checks the fields a patch carries but not the required fields it leaves out", async function () {
        const inputs = { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "gp2" }, reclaimPolicy: "Retain" };
        const patch = recorded("kubernetes:storage.k8s.io/v1:StorageClassPatch", "gp2", inputs);
        const whole = recorded("kubernetes:storage.k8s.io/v1:StorageClass", "gp2", inputs);
        const problems = await validateKubernetesObjects([patch, whole]);
        assert.deepEqual(problems, [{ urn: whole.urn, type: whole.type, message: "storage.k8s.io/v1 StorageClass: /provisioner is required" }]);
    });

    it("checks a custom resource with its registered model, from a class or a module specifier", async function () {
        const issuer = recorded("kubernetes:cert-manager.io/v1:ClusterIssuer", "letsencrypt", {
            apiVersion: "cert-manager.io/v1",
            kind: "ClusterIssuer",
            metadata: { name: "letsencrypt" },
            spec: { acme: { server: 42 } },
        });
        const expected = [{ urn: issuer.urn, type: issuer.type, message: "cert-manager.io/v1 ClusterIssuer: /spec/acme/server must be string, got 42" }];
        assert.deepEqual(await validateKubernetesObjects([issuer], WITH_ISSUER), expected);
        const specifier = join(__dirname, "fixtures", "cert-manager-model.ts");
        assert.deepEqual(await validateKubernetesObjects([issuer], { customResourceModels: [specifier] }), expected);
        await assert.rejects(validateKubernetesObjects([issuer], { customResourceModels: ["node:path"] }), /module node:path exports no Kubernetes model/);
    });

    it("takes the generated model classes of kubernetes-models packages as they are exported", async function () {
        // The CRD packages generate the same classes; one from kubernetes-models stands in.
        const { Namespace } = await import("kubernetes-models/v1/Namespace");
        const namespace = recorded("kubernetes:core/v1:Namespace", "apps", { apiVersion: "v1", kind: "Namespace", metadata: { name: 7 } });
        const problems = await validateKubernetesObjects([namespace], { customResourceModels: [Namespace] });
        assert.deepEqual(problems.map((p) => p.message), ["v1 Namespace: /metadata/name must be string, got 7"]);
    });

    it("lets masked secrets and unknowns through but still checks unmasked Secret data", async function () {
        const secret = (name: string, data: unknown) =>
            recorded("kubernetes:core/v1:Secret", name, { apiVersion: "v1", kind: "Secret", metadata: { name }, type: "Opaque", data });
        const masked = [secret("whole", "[secret]"), secret("value", { TOKEN: "[secret]" }), secret("unknown", { TOKEN: "[unknown]" })];
        const plain = secret("plain", { TOKEN: "not base64!" });
        const problems = await validateKubernetesObjects([...masked, plain]);
        assert.deepEqual(problems, [{ urn: plain.urn, type: plain.type, message: 'v1 Secret: /data/TOKEN must match format "byte", got "not base64!"' }]);
    });

    it("skips provider resources that are not objects, but not an unknown kubernetes type", async function () {
        const garbage = { values: 42, chart: ["not", "a", "string"] };
        const skipped = [
            recorded("kubernetes:helm.sh/v3:Release", "metrics-server", garbage),
            recorded("kubernetes:helm.sh/v4:Chart", "ingress", garbage),
            recorded("kubernetes:yaml/v2:ConfigGroup", "manifests", garbage),
            recorded("kubernetes:kustomize/v2:Directory", "overlay", garbage),
            recorded("pulumi:providers:kubernetes", "cluster", garbage),
            recorded("aws:eks/cluster:Cluster", "cluster", garbage),
        ];
        const unknown = recorded("kubernetes:example.com/v1:Widget", "widget", garbage);
        assert.deepEqual(await validateKubernetesObjects([...skipped, unknown]), [
            { urn: unknown.urn, type: unknown.type, message: "records no apiVersion and kind, so no schema applies" },
        ]);
    });
});
