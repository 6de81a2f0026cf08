import assert from "node:assert/strict";
import { PolicyConfigFile } from "../../tools/policyRunner";
import { FixtureResource, OVERRIDDEN_SETTINGS, PolicyViolation, violationsOf, violationsWithOverriddenSettings } from "../policyHarness";

const TYPES = {
    Deployment: "kubernetes:apps/v1:Deployment",
    StatefulSet: "kubernetes:apps/v1:StatefulSet",
    DaemonSet: "kubernetes:apps/v1:DaemonSet",
    Job: "kubernetes:batch/v1:Job",
    CronJob: "kubernetes:batch/v1:CronJob",
    Pod: "kubernetes:core/v1:Pod",
    Rollout: "kubernetes:argoproj.io/v1alpha1:Rollout",
    Service: "kubernetes:core/v1:Service",
    Namespace: "kubernetes:core/v1:Namespace",
    NetworkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    PodDisruptionBudget: "kubernetes:policy/v1:PodDisruptionBudget",
} as const;
type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob" | "Pod" | "Rollout";
const WORKLOAD_KINDS: WorkloadKind[] = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "Rollout"];

// The parts of a pod template the cases change; what a case deletes is optional.
interface SecurityContext {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    privileged?: boolean;
    capabilities: { drop: string[]; add?: string[] };
    seccompProfile?: { type: string; localhostProfile?: string };
}
interface Container {
    name: string;
    image: string;
    args?: string[];
    ports?: Array<{ name: string; containerPort: number; hostPort?: number }>;
    securityContext: SecurityContext;
    resources?: { requests: { cpu?: string; memory?: string }; limits?: { memory: string } };
    livenessProbe?: object;
    readinessProbe?: object;
    volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface PodTemplate {
    metadata: { labels: Record<string, string> };
    spec: {
        serviceAccountName: string;
        securityContext: { runAsNonRoot?: boolean; runAsUser: number; runAsGroup: number; fsGroup: number; seccompProfile?: { type: string } };
        hostNetwork?: boolean;
        hostPID?: boolean;
        hostIPC?: boolean;
        restartPolicy?: string;
        initContainers: Container[];
        containers: Container[];
        volumes: Array<{ name: string; emptyDir?: object; hostPath?: { path: string } }>;
    };
}

const LABELS = { "app.kubernetes.io/name": "web" };
const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:4f5e3c2b1a0918273645f5e6d7c8b9a0f1e2d3c4b5a6978877665544332211aa";

function restricted(): Pick<Container, "securityContext" | "resources"> {
    return {
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } },
    };
}

/** A pod template that meets every pod rule: restricted, resourced, probed, pinned. */
function podTemplate(): PodTemplate {
    return {
        metadata: { labels: { ...LABELS } },
        spec: {
            serviceAccountName: "web",
            securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
            initContainers: [{ name: "migrate", image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web-migrate:1.4.2", args: ["migrate"], ...restricted() }],
            containers: [
                {
                    name: "app",
                    image: IMAGE,
                    ports: [{ name: "http", containerPort: 8080 }],
                    livenessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 10 },
                    readinessProbe: { httpGet: { path: "/ready", port: "http" }, periodSeconds: 5 },
                    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                    ...restricted(),
                },
            ],
            volumes: [{ name: "tmp", emptyDir: {} }],
        },
    };
}

interface WorkloadOptions {
    /** `null` leaves metadata.namespace unset. @default "api" */
    namespace?: string | null;
    /** @default 3 */
    replicas?: number;
    /** A Rollout that points at a Deployment instead of carrying a template. */
    workloadRef?: boolean;
    /** Index of the provider resource in the case. */
    provider?: number;
}

/** A workload of `kind` around the pod template, named "web". */
function workload(kind: WorkloadKind, template: PodTemplate = podTemplate(), options: WorkloadOptions = {}): FixtureResource {
    const metadata = { name: "web", ...(options.namespace === null ? {} : { namespace: options.namespace ?? "api" }) };
    const selector = { matchLabels: template.metadata.labels };
    const replicas = options.replicas ?? 3;
    const runOnce = { ...template, spec: { ...template.spec, restartPolicy: "OnFailure" } };
    const specs: Record<Exclude<WorkloadKind, "Pod">, object> = {
        Deployment: { replicas, selector, template },
        StatefulSet: { replicas, serviceName: "web", selector, template },
        DaemonSet: { selector, template },
        Job: { backoffLimit: 2, template: runOnce },
        CronJob: { schedule: "0 3 * * *", jobTemplate: { spec: { template: runOnce } } },
        Rollout: options.workloadRef
            ? { replicas, selector, workloadRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" } }
            : { replicas, selector, template, strategy: { canary: { steps: [{ setWeight: 20 }, { pause: { duration: "5m" } }] } } },
    };
    const [group, objectKind] = TYPES[kind].replace(/^kubernetes:/, "").split(":");
    const apiVersion = group.replace(/^core\//, "");
    const inputs =
        kind === "Pod"
            ? { apiVersion, kind: objectKind, metadata: { ...metadata, labels: template.metadata.labels }, spec: template.spec }
            : { apiVersion, kind: objectKind, metadata, spec: specs[kind] };
    return { type: TYPES[kind], name: "web", inputs, provider: options.provider };
}

/** The compliant template with one change. */
function changed(change: (template: PodTemplate) => unknown): PodTemplate {
    const template = podTemplate();
    change(template);
    return template;
}

const app = (t: PodTemplate): Container => t.spec.containers[0];
const migrate = (t: PodTemplate): Container => t.spec.initContainers[0];

/** One violation, saying what and how to fix it, on the resource `type` named `name`. */
function assertOne(violations: PolicyViolation[], type: string, problem: RegExp, name = "web"): void {
    assert.equal(violations.length, 1, JSON.stringify(violations, null, 2));
    assert.match(violations[0].message, problem);
    assert.match(violations[0].message, /Fix: /);
    assert.ok(violations[0].urn.endsWith(`::${type}::${name}`), violations[0].urn);
}

/** The pack with the settings the harness overrides (OVERRIDDEN_SETTINGS); the argument says which this file relies on. */
function configuredPack(relied: PolicyConfigFile): (policy: string, caseId: string, resources: FixtureResource[]) => Promise<PolicyViolation[]> {
    for (const [policy, settings] of Object.entries(relied)) {
        assert.deepEqual(OVERRIDDEN_SETTINGS[policy], settings, `the harness's OVERRIDDEN_SETTINGS must hold ${policy}`);
    }
    return violationsWithOverriddenSettings;
}

/** Pod rules are run on these kinds for every case. */
const POD_KINDS: WorkloadKind[] = ["Deployment", "CronJob", "Rollout"];

type Case = [what: string, change: (t: PodTemplate) => unknown, problem: RegExp];

/** A pod rule: the compliant template passes on every workload kind; each change is flagged on each of `kinds`. */
function podRule(policy: string, cases: Case[], kinds: WorkloadKind[] = POD_KINDS): void {
    describe(policy, function () {
        it("passes the compliant pod template on every workload kind", async function () {
            for (const kind of WORKLOAD_KINDS) {
                assert.deepEqual(await violationsOf(policy, `k8s-${policy}-ok-${kind}`, [workload(kind)]), [], kind);
            }
        });
        cases.forEach(([what, change, problem], i) => {
            for (const kind of kinds) {
                it(`flags a ${kind} whose pod ${what}`, async function () {
                    assertOne(await violationsOf(policy, `k8s-${policy}-${i}-${kind}`, [workload(kind, changed(change))]), TYPES[kind], problem);
                });
            }
        });
    });
}

describe("policies: Kubernetes", function () {
    // One pack for the cases that change a setting.
    const configured = configuredPack({
        "k8s-no-host-access": { hostAccessNamespaces: ["monitoring-agents"] },
        "k8s-no-loadbalancer-or-nodeport-services": { allowedNamespaces: ["ingress-nginx"] },
    });

    describe("pod templates", function () {
        podRule("k8s-run-as-non-root", [
            ["sets runAsNonRoot on neither the pod nor a container", (t) => delete t.spec.securityContext.runAsNonRoot, /runAsNonRoot is true on neither the pod nor container "app", init container "migrate"/],
            ["has a container overriding runAsNonRoot to false", (t) => (app(t).securityContext.runAsNonRoot = false), /Container "app" set\(s\) runAsNonRoot: false/],
            ["runs as UID 0", (t) => (t.spec.securityContext.runAsUser = 0), /The pod's securityContext sets runAsUser: 0/],
            ["has an init container running as UID 0", (t) => (migrate(t).securityContext.runAsUser = 0), /Init container "migrate" set\(s\) runAsUser: 0/],
        ]);

        it("k8s-run-as-non-root: passes runAsNonRoot set on every container instead of the pod", async function () {
            const template = changed((t) => {
                delete t.spec.securityContext.runAsNonRoot;
                app(t).securityContext.runAsNonRoot = true;
                migrate(t).securityContext.runAsNonRoot = true;
            });
            assert.deepEqual(await violationsOf("k8s-run-as-non-root", "k8s-nonroot-per-container", [workload("Deployment", template)]), []);
        });

        podRule("k8s-no-privilege-escalation", [
            ["leaves allowPrivilegeEscalation unset", (t) => delete app(t).securityContext.allowPrivilegeEscalation, /Container "app" may gain privileges/],
            ["has an init container allowing privilege escalation", (t) => (migrate(t).securityContext.allowPrivilegeEscalation = true), /Init container "migrate" may gain privileges/],
        ]);

        podRule("k8s-drop-all-capabilities", [
            ["does not drop ALL", (t) => (app(t).securityContext.capabilities.drop = ["NET_RAW"]), /Container "app" do\(es\) not drop ALL capabilities/],
            ["adds SYS_ADMIN", (t) => (app(t).securityContext.capabilities.add = ["NET_BIND_SERVICE", "SYS_ADMIN"]), /Container "app" adds capabilities SYS_ADMIN\./],
        ]);

        it("k8s-drop-all-capabilities: passes NET_BIND_SERVICE added back", async function () {
            const template = changed((t) => (app(t).securityContext.capabilities.add = ["NET_BIND_SERVICE"]));
            assert.deepEqual(await violationsOf("k8s-drop-all-capabilities", "k8s-caps-bind", [workload("Deployment", template)]), []);
        });

        podRule("k8s-seccomp-runtime-default", [
            ["has no seccomp profile anywhere", (t) => delete t.spec.securityContext.seccompProfile, /No seccomp profile on the pod nor on container "app", init container "migrate"/],
            ["is Unconfined", (t) => (t.spec.securityContext.seccompProfile = { type: "Unconfined" }), /The pod's seccompProfile\.type is Unconfined/],
            ["has a container overriding it to Unconfined", (t) => (app(t).securityContext.seccompProfile = { type: "Unconfined" }), /Container "app" override\(s\) seccompProfile\.type/],
        ]);

        it("k8s-seccomp-runtime-default: passes profiles set on every container instead of the pod", async function () {
            const template = changed((t) => {
                delete t.spec.securityContext.seccompProfile;
                app(t).securityContext.seccompProfile = { type: "RuntimeDefault" };
                migrate(t).securityContext.seccompProfile = { type: "Localhost", localhostProfile: "profiles/migrate.json" };
            });
            assert.deepEqual(await violationsOf("k8s-seccomp-runtime-default", "k8s-seccomp-per-container", [workload("Deployment", template)]), []);
        });

        podRule("k8s-read-only-root-filesystem", [
            ["has a writable root filesystem", (t) => (app(t).securityContext.readOnlyRootFilesystem = false), /Container "app" can write to the root filesystem/],
            ["has an init container without readOnlyRootFilesystem", (t) => delete migrate(t).securityContext.readOnlyRootFilesystem, /Init container "migrate" can write/],
        ]);

        podRule("k8s-no-host-access", [
            ["uses the host network", (t) => (t.spec.hostNetwork = true), /The pod sets hostNetwork: true/],
            ["shares the host PID namespace", (t) => (t.spec.hostPID = true), /The pod sets hostPID: true/],
            ["shares the host IPC namespace", (t) => (t.spec.hostIPC = true), /The pod sets hostIPC: true/],
            ["mounts a hostPath", (t) => t.spec.volumes.push({ name: "docker-sock", hostPath: { path: "/var/run/docker.sock" } }), /Volume\(s\) "docker-sock" mount a hostPath/],
            ["runs a privileged container", (t) => (app(t).securityContext.privileged = true), /Container "app" run\(s\) privileged/],
            ["binds a hostPort", (t) => (app(t).ports![0].hostPort = 8080), /Container "app" bind\(s\) a hostPort/],
        ]);

        it("k8s-no-host-access: finds the pod template of every workload kind", async function () {
            for (const kind of WORKLOAD_KINDS) {
                const violations = await violationsOf("k8s-no-host-access", `k8s-host-kind-${kind}`, [workload(kind, changed((t) => (t.spec.hostPID = true)))]);
                assertOne(violations, TYPES[kind], /The pod sets hostPID: true/);
            }
        });

        describe("k8s-no-host-access for node agents", function () {
            /** A log shipper: host network, /var/log from the host, privileged. */
            const agent = (namespace: string) =>
                workload(
                    "DaemonSet",
                    changed((t) => {
                        t.spec.hostNetwork = true;
                        t.spec.volumes.push({ name: "varlog", hostPath: { path: "/var/log" } });
                        app(t).securityContext.privileged = true;
                    }),
                    { namespace },
                );

            it("passes host access in node-agents, the default hostAccessNamespaces", async function () {
                assert.deepEqual(await violationsOf("k8s-no-host-access", "k8s-host-agents", [agent("node-agents")]), []);
            });

            it("follows hostAccessNamespaces from the pack's config", async function () {
                assert.deepEqual(await configured("k8s-no-host-access", "k8s-host-config-ok", [agent("monitoring-agents")]), []);
                const outside = await configured("k8s-no-host-access", "k8s-host-config-bad", [agent("node-agents")]);
                assert.deepEqual(outside.map((v) => /\n(.*?) Fix:/.exec(v.message)?.[1]).sort(), [
                    "Container \"app\" run(s) privileged.",
                    "The pod sets hostNetwork: true.",
                    "Volume(s) \"varlog\" mount a hostPath.",
                ]);
            });
        });

        podRule("k8s-resources-set", [
            ["has a container without a cpu request", (t) => delete app(t).resources!.requests.cpu, /Container "app" has no cpu request\./],
            ["has a container without a memory request", (t) => delete app(t).resources!.requests.memory, /Container "app" has no memory request\./],
            ["has a container without a memory limit", (t) => delete app(t).resources!.limits, /Container "app" has no memory limit\./],
            ["has an init container without resources", (t) => delete migrate(t).resources, /Init container "migrate" has no cpu request, no memory request, no memory limit\./],
        ]);

        podRule(
            "k8s-probes-set",
            [
                ["has no liveness probe", (t) => delete app(t).livenessProbe, /Container "app" has no liveness probe\./],
                ["has no readiness probe", (t) => delete app(t).readinessProbe, /Container "app" has no readiness probe\./],
            ],
            ["Deployment", "Rollout", "StatefulSet", "Pod"],
        );

        it("k8s-probes-set: exempts Jobs, CronJobs and run-once pods", async function () {
            const unprobed = changed((t) => {
                delete app(t).livenessProbe;
                delete app(t).readinessProbe;
            });
            for (const kind of ["Job", "CronJob"] as const) {
                assert.deepEqual(await violationsOf("k8s-probes-set", `k8s-probes-exempt-${kind}`, [workload(kind, unprobed)]), [], kind);
            }
            const task = workload("Pod", changed((t) => {
                t.spec.restartPolicy = "Never";
                delete app(t).livenessProbe;
                delete app(t).readinessProbe;
            }));
            assert.deepEqual(await violationsOf("k8s-probes-set", "k8s-probes-exempt-pod", [task]), []);
        });

        podRule("k8s-image-pinned", [
            ["uses :latest", (t) => (app(t).image = "nginx:latest"), /Container "app" uses image "nginx:latest": :latest changes/],
            ["uses an image without a tag", (t) => (app(t).image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web"), /uses image "123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/web" with no tag/],
            ["uses a tag-less image from a registry with a port", (t) => (migrate(t).image = "registry.internal:5000/tools/migrate"), /Init container "migrate" uses image "registry\.internal:5000\/tools\/migrate" with no tag/],
        ]);

        it("k8s-image-pinned: passes a fixed tag and a digest", async function () {
            const tagged = changed((t) => (app(t).image = "public.ecr.aws/nginx/nginx:1.27.3"));
            assert.deepEqual(await violationsOf("k8s-image-pinned", "k8s-image-tag", [workload("Deployment", tagged)]), []);
        });

        it("skips a Rollout that points at a Deployment through workloadRef", async function () {
            const rollout = workload("Rollout", changed((t) => (t.spec.hostNetwork = true)), { workloadRef: true });
            assert.deepEqual(await violationsOf("k8s-no-host-access", "k8s-rollout-ref", [rollout]), []);
        });
    });

    describe("k8s-no-loadbalancer-or-nodeport-services", function () {
        const service = (type: string, namespace = "api"): FixtureResource => ({
            type: TYPES.Service,
            name: "web",
            inputs: { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace }, spec: { type, selector: LABELS, ports: [{ port: 80, targetPort: "http" }] } },
        });

        it("passes a ClusterIP service", async function () {
            assert.deepEqual(await violationsOf("k8s-no-loadbalancer-or-nodeport-services", "k8s-svc-ok", [service("ClusterIP")]), []);
        });

        for (const type of ["LoadBalancer", "NodePort"]) {
            it(`flags a ${type} service`, async function () {
                const violations = await violationsOf("k8s-no-loadbalancer-or-nodeport-services", `k8s-svc-${type}`, [service(type)]);
                assertOne(violations, TYPES.Service, new RegExp(`Service of type ${type} in namespace api`));
                assert.match(violations[0].message, /Fix: use type ClusterIP behind an Ingress/);
            });
        }

        it("allows the namespaces in allowedNamespaces from the pack's config", async function () {
            assert.deepEqual(await configured("k8s-no-loadbalancer-or-nodeport-services", "k8s-svc-config-ok", [service("LoadBalancer", "ingress-nginx")]), []);
            assertOne(await configured("k8s-no-loadbalancer-or-nodeport-services", "k8s-svc-config-bad", [service("LoadBalancer")]), TYPES.Service, /type LoadBalancer in namespace api/);
        });
    });

    describe("k8s-no-default-namespace", function () {
        it("passes workloads in their namespace, and one whose provider sets the namespace", async function () {
            assert.deepEqual(await violationsOf("k8s-no-default-namespace", "k8s-ns-ok", [workload("Deployment"), workload("CronJob")]), []);
            const provider: FixtureResource = { type: "pulumi:providers:kubernetes", name: "k8s", inputs: { namespace: "api" } };
            const viaProvider = workload("Deployment", podTemplate(), { namespace: null, provider: 0 });
            assert.deepEqual(await violationsOf("k8s-no-default-namespace", "k8s-ns-provider", [provider, viaProvider]), []);
        });

        it("flags a workload in the default namespace", async function () {
            const violations = await violationsOf("k8s-no-default-namespace", "k8s-ns-default", [workload("Deployment", podTemplate(), { namespace: "default" })]);
            assertOne(violations, TYPES.Deployment, /Deployment is in the default namespace/);
        });

        it("flags a Rollout without a namespace", async function () {
            const violations = await violationsOf("k8s-no-default-namespace", "k8s-ns-unset", [workload("Rollout", podTemplate(), { namespace: null })]);
            assertOne(violations, TYPES.Rollout, /Rollout sets no metadata\.namespace, so it lands in the default namespace/);
        });

        it("flags a Service without a namespace", async function () {
            const service: FixtureResource = { type: TYPES.Service, name: "web", inputs: { metadata: { name: "web" }, spec: { ports: [{ port: 80 }] } } };
            assertOne(await violationsOf("k8s-no-default-namespace", "k8s-ns-svc", [service]), TYPES.Service, /Service sets no metadata\.namespace/);
        });
    });

    describe("k8s-pdb-for-replicated-workloads", function () {
        const pdb = (spec: object, namespace = "api"): FixtureResource => ({
            type: TYPES.PodDisruptionBudget,
            name: "web-pdb",
            inputs: { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "web", namespace }, spec: { selector: { matchLabels: LABELS }, ...spec } },
        });

        it("passes replicated workloads with a budget allowing one disruption, and workloads that need none", async function () {
            const passing: Array<[string, FixtureResource[]]> = [
                ["deployment", [workload("Deployment"), pdb({ maxUnavailable: 1 })]],
                ["statefulset", [workload("StatefulSet"), pdb({ maxUnavailable: 1 })]],
                ["rollout", [workload("Rollout"), pdb({ maxUnavailable: 1 })]],
                ["rollout-ref", [workload("Rollout", podTemplate(), { workloadRef: true }), pdb({ maxUnavailable: 1 })]],
                ["min-available", [workload("Deployment"), pdb({ minAvailable: 2 })]],
                ["percent", [workload("Deployment"), pdb({ maxUnavailable: "25%" })]],
                ["expressions", [workload("Deployment"), pdb({ selector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["web", "api"] }] }, maxUnavailable: 1 })]],
                ["single", [workload("Deployment", podTemplate(), { replicas: 1 })]],
                ["daemonset", [workload("DaemonSet")]],
            ];
            for (const [what, resources] of passing) {
                assert.deepEqual(await violationsOf("k8s-pdb-for-replicated-workloads", `k8s-pdb-ok-${what}`, resources), [], what);
            }
        });

        const cases: Array<[string, FixtureResource[], RegExp]> = [
            ["a Deployment with no budget", [workload("Deployment")], /Deployment web runs 3 replicas in namespace api and no PodDisruptionBudget selects its pods/],
            ["a budget in another namespace", [workload("Deployment"), pdb({ maxUnavailable: 1 }, "other")], /no PodDisruptionBudget selects its pods/],
            ["a budget selecting other pods", [workload("Deployment"), pdb({ selector: { matchLabels: { "app.kubernetes.io/name": "worker" } }, maxUnavailable: 1 })], /no PodDisruptionBudget selects/],
            ["a budget with maxUnavailable 0", [workload("Deployment"), pdb({ maxUnavailable: 0 })], /PodDisruptionBudget\(s\) web-pdb allow no voluntary disruption/],
            ["a budget with minAvailable equal to the replicas", [workload("Deployment"), pdb({ minAvailable: 3 })], /allow no voluntary disruption/],
            ["a budget with minAvailable 100%", [workload("Deployment"), pdb({ minAvailable: "100%" })], /allow no voluntary disruption/],
            ["a StatefulSet with no budget", [workload("StatefulSet")], /StatefulSet web runs 3 replicas/],
            ["a Rollout with no budget", [workload("Rollout")], /Rollout web runs 3 replicas/],
        ];
        cases.forEach(([what, resources, problem], i) => {
            it(`flags ${what}`, async function () {
                const violations = await violationsOf("k8s-pdb-for-replicated-workloads", `k8s-pdb-bad-${i}`, resources);
                assertOne(violations, resources[0].type, problem);
                assert.match(violations[0].message, /Fix: (add a policy\/v1 PodDisruptionBudget|set maxUnavailable: 1)/);
            });
        });
    });

    describe("k8s-namespace-default-deny", function () {
        const namespace: FixtureResource = {
            type: TYPES.Namespace,
            name: "ns-api",
            inputs: { metadata: { name: "api", labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
        };
        /** The Cluster component's default-deny policy, its namespace taken from the Namespace resource. */
        const denyAll = (spec: object = {}, policyNamespace = "api"): FixtureResource => ({
            type: TYPES.NetworkPolicy,
            name: "default-deny",
            inputs: { metadata: { name: "default-deny", namespace: policyNamespace }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ...spec } },
            propertyDependencies: { metadata: [0] },
        });

        it("passes a namespace whose workloads sit behind a default-deny policy", async function () {
            assert.deepEqual(await violationsOf("k8s-namespace-default-deny", "k8s-deny-ok", [namespace, denyAll(), workload("Deployment"), workload("CronJob")]), []);
        });

        const cases: Array<[string, FixtureResource[], string, RegExp]> = [
            ["no network policy", [namespace, workload("Deployment")], "ns-api", /Namespace api holds Deployment web but has no default-deny NetworkPolicy/],
            ["a policy selecting some pods only", [namespace, denyAll({ podSelector: { matchLabels: LABELS } }), workload("Deployment")], "ns-api", /has no default-deny/],
            ["a policy denying ingress only", [namespace, denyAll({ policyTypes: ["Ingress"] }), workload("Deployment")], "ns-api", /has no default-deny/],
            ["a policy that allows some ingress", [namespace, denyAll({ ingress: [{ from: [{ podSelector: {} }] }] }), workload("Deployment")], "ns-api", /has no default-deny/],
            ["the policy in another namespace", [namespace, denyAll({}, "other"), workload("Deployment")], "ns-api", /has no default-deny/],
            ["a namespace the stack does not declare, naming the workload", [namespace, denyAll(), workload("Deployment", podTemplate(), { namespace: "batch" })], "web", /Namespace batch holds Deployment web/],
        ];
        cases.forEach(([what, resources, urnName, problem], i) => {
            it(`flags ${what}`, async function () {
                const violations = await violationsOf("k8s-namespace-default-deny", `k8s-deny-bad-${i}`, resources);
                assert.equal(violations.length, 1, JSON.stringify(violations, null, 2));
                assert.match(violations[0].message, problem);
                assert.match(violations[0].message, /Fix: add a NetworkPolicy/);
                assert.match(violations[0].urn, new RegExp(`::${urnName}$`));
            });
        });
    });

    describe("k8s-namespace-pod-security-labels", function () {
        const psa = (level: string): Record<string, string> => ({
            "pod-security.kubernetes.io/enforce": level,
            "pod-security.kubernetes.io/enforce-version": "v1.33",
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/warn": "restricted",
        });
        const ns = (name: string, labels?: Record<string, string>): FixtureResource => ({ type: TYPES.Namespace, name: `ns-${name}`, inputs: { metadata: { name, labels } } });

        it("passes a restricted application namespace and a privileged node-agent namespace", async function () {
            const resources = [ns("api", psa("restricted")), ns("node-agents", { ...psa("privileged"), "pod-security.kubernetes.io/audit": "baseline" })];
            assert.deepEqual(await violationsOf("k8s-namespace-pod-security-labels", "k8s-psa-ok", resources), []);
        });

        const cases: Array<[string, FixtureResource, RegExp]> = [
            ["an application namespace at baseline", ns("api", psa("baseline")), /Namespace api sets baseline in its pod-security\.kubernetes\.io\/enforce label/],
            ["an application namespace without labels", ns("api"), /Namespace api has no pod-security\.kubernetes\.io\/enforce label/],
            ["a node-agent namespace without an enforce label", ns("node-agents", { "app.kubernetes.io/part-of": "platform" }), /Node-agent namespace node-agents has no pod-security/],
            ["a node-agent namespace with an invalid level", ns("node-agents", psa("open")), /Node-agent namespace node-agents has an invalid \(open\)/],
        ];
        cases.forEach(([what, resource, problem], i) => {
            it(`flags ${what}`, async function () {
                assertOne(await violationsOf("k8s-namespace-pod-security-labels", `k8s-psa-bad-${i}`, [resource]), TYPES.Namespace, problem, resource.name);
            });
        });
    });
});
