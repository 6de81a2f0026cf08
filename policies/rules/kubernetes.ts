/**
 * Kubernetes guard rails: the Pod Security "restricted" profile as Kyverno's policy set checks
 * it, plus the hygiene a production cluster needs (resources, probes, pinned images, no
 * node ports or load balancers, no default namespace), applied to the pod template of every
 * workload kind; and stack rules over namespaces: disruption budgets, default-deny network
 * policies and Pod Security Admission labels.
 *
 * Workloads are matched by type token, not by class, so Argo Rollouts (a custom resource with
 * no class) are covered like Deployments.
 */
import type * as k8s from "@pulumi/kubernetes";
import { PolicyConfigSchema, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy, UnknownValueError } from "@pulumi/policy";
import { Unwrap } from "@pulumi/pulumi";
import { asList, fix } from "./util";

type PodSpec = Unwrap<k8s.types.input.core.v1.PodSpec>;
type PodTemplate = Unwrap<k8s.types.input.core.v1.PodTemplateSpec>;
type Container = Unwrap<k8s.types.input.core.v1.Container>;
type LabelSelector = Unwrap<k8s.types.input.meta.v1.LabelSelector>;

const TYPES = {
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
    pod: "kubernetes:core/v1:Pod",
    rollout: "kubernetes:argoproj.io/v1alpha1:Rollout",
    service: "kubernetes:core/v1:Service",
    namespace: "kubernetes:core/v1:Namespace",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    podDisruptionBudget: "kubernetes:policy/v1:PodDisruptionBudget",
} as const;

type Props = Record<string, unknown>;

interface WorkloadKind {
    kind: string;
    /** The pod template; undefined when the object has none (a Rollout with a workloadRef). */
    podTemplate: (props: Props) => PodTemplate | undefined;
    /** Pods run to completion (no probes needed). */
    runsToCompletion: (props: Props) => boolean;
}

const specTemplate = (props: Props): PodTemplate | undefined => (props.spec as { template?: PodTemplate } | undefined)?.template;
const alwaysRunning = () => false;

const WORKLOADS: Record<string, WorkloadKind> = {
    [TYPES.deployment]: { kind: "Deployment", podTemplate: specTemplate, runsToCompletion: alwaysRunning },
    [TYPES.statefulSet]: { kind: "StatefulSet", podTemplate: specTemplate, runsToCompletion: alwaysRunning },
    [TYPES.daemonSet]: { kind: "DaemonSet", podTemplate: specTemplate, runsToCompletion: alwaysRunning },
    [TYPES.job]: { kind: "Job", podTemplate: specTemplate, runsToCompletion: () => true },
    [TYPES.cronJob]: {
        kind: "CronJob",
        podTemplate: (props) => (props.spec as Unwrap<k8s.types.input.batch.v1.CronJobSpec> | undefined)?.jobTemplate?.spec?.template,
        runsToCompletion: () => true,
    },
    [TYPES.pod]: {
        kind: "Pod",
        podTemplate: (props) => (props.spec === undefined ? undefined : { metadata: props.metadata as PodTemplate["metadata"], spec: props.spec as PodSpec }),
        // A bare pod that is never restarted is a one-off task.
        runsToCompletion: (props) => ["Never", "OnFailure"].includes((props.spec as PodSpec | undefined)?.restartPolicy ?? "Always"),
    },
    [TYPES.rollout]: {
        kind: "Rollout",
        podTemplate: (props) => ((props.spec as { workloadRef?: unknown } | undefined)?.workloadRef ? undefined : specTemplate(props)),
        runsToCompletion: alwaysRunning,
    },
};

/** Workloads whose replica count is theirs to set, so a disruption budget applies. */
const REPLICATED_TYPES: readonly string[] = [TYPES.deployment, TYPES.statefulSet, TYPES.rollout];

/** The namespace an object lands in: its own, else its provider's default, else "default". */
function namespaceOf(props: Props, provider: { props: Props } | undefined): string {
    const own = (props.metadata as { namespace?: unknown } | undefined)?.namespace;
    if (typeof own === "string" && own !== "") {
        return own;
    }
    let fallback: unknown;
    try {
        fallback = provider?.props.namespace;
    } catch (err) {
        if (!(err instanceof UnknownValueError)) {
            throw err;
        }
        fallback = undefined; // Not computed yet in a preview: Kubernetes' own default is all we know.
    }
    return typeof fallback === "string" && fallback !== "" ? fallback : "default";
}

// ---- Pod template rules ----

/** A workload's pod as the pod rules see it. */
interface Pod {
    spec: PodSpec;
    namespace: string;
    runsToCompletion: boolean;
}

function podOf(args: ResourceValidationArgs): Pod | undefined {
    const workload = WORKLOADS[args.type];
    const spec = workload?.podTemplate(args.props)?.spec;
    if (!workload || !spec) {
        return undefined;
    }
    return { spec, namespace: namespaceOf(args.props, args.provider), runsToCompletion: workload.runsToCompletion(args.props) };
}

interface NamedContainer {
    container: Container;
    /** `container "app"`, `init container "migrate"`. */
    label: string;
}

/** The pod's containers; init and ephemeral ones too unless left out. */
function containersOf(spec: PodSpec, which: { init?: boolean; ephemeral?: boolean } = {}): NamedContainer[] {
    const named = (list: Container[] | undefined, kind: string) => asList(list).map((container) => ({ container, label: `${kind} "${container.name}"` }));
    return [
        ...named(spec.containers, "container"),
        ...(which.init ?? true ? named(spec.initContainers, "init container") : []),
        ...(which.ephemeral ?? true ? named(spec.ephemeralContainers, "ephemeral container") : []),
    ];
}

function labels(containers: NamedContainer[]): string {
    return containers.map((c) => c.label).join(", ");
}

function capitalized(text: string): string {
    return `${text[0].toUpperCase()}${text.slice(1)}`;
}

/** A rule over pod templates: `check` returns one message (with its fix) per problem found. */
function podRule(
    policy: Omit<ResourceValidationPolicy, "validateResource">,
    check: (pod: Pod, args: ResourceValidationArgs) => string[],
): ResourceValidationPolicy {
    return {
        ...policy,
        validateResource: (args, report) => {
            const pod = podOf(args);
            if (pod) {
                check(pod, args).forEach((message) => report(message));
            }
        },
    };
}

export const runAsNonRoot = podRule(
    {
        name: "k8s-run-as-non-root",
        description: "Pods run as a non-root user: runAsNonRoot true on the pod (no container overriding it to false) or on every container, and no runAsUser 0.",
        enforcementLevel: "mandatory",
        severity: "high",
    },
    ({ spec }) => {
        const problems: string[] = [];
        const remedy = "set spec.securityContext.runAsNonRoot: true with a non-zero runAsUser, and build the image with a numeric non-root USER.";
        const podNonRoot = spec.securityContext?.runAsNonRoot === true;
        const all = containersOf(spec);
        const overriding = all.filter((c) => c.container.securityContext?.runAsNonRoot === false);
        const unset = podNonRoot ? [] : all.filter((c) => c.container.securityContext?.runAsNonRoot === undefined);
        if (overriding.length > 0) {
            problems.push(fix(`${capitalized(labels(overriding))} set(s) runAsNonRoot: false.`, `remove that override; ${remedy}`));
        }
        if (unset.length > 0) {
            problems.push(fix(`runAsNonRoot is true on neither the pod nor ${labels(unset)}: the image's user applies, which may be root.`, remedy));
        }
        if (spec.securityContext?.runAsUser === 0) {
            problems.push(fix("The pod's securityContext sets runAsUser: 0 (root).", remedy));
        }
        const rootUser = all.filter((c) => c.container.securityContext?.runAsUser === 0);
        if (rootUser.length > 0) {
            problems.push(fix(`${capitalized(labels(rootUser))} set(s) runAsUser: 0 (root).`, remedy));
        }
        return problems;
    },
);

export const noPrivilegeEscalation = podRule(
    {
        name: "k8s-no-privilege-escalation",
        description: "Every container (init containers included) sets securityContext.allowPrivilegeEscalation: false.",
        enforcementLevel: "mandatory",
        severity: "high",
    },
    ({ spec }) => {
        const escalating = containersOf(spec).filter((c) => c.container.securityContext?.allowPrivilegeEscalation !== false);
        return escalating.length === 0
            ? []
            : [fix(`${capitalized(labels(escalating))} may gain privileges (allowPrivilegeEscalation is not false).`, "set securityContext.allowPrivilegeEscalation: false on every container.")];
    },
);

/** The one capability Pod Security "restricted" lets a container add back. */
const ADDABLE_CAPABILITIES = new Set(["NET_BIND_SERVICE"]);

export const dropAllCapabilities = podRule(
    {
        name: "k8s-drop-all-capabilities",
        description: "Every container drops ALL Linux capabilities and adds back none but NET_BIND_SERVICE.",
        enforcementLevel: "mandatory",
        severity: "medium",
    },
    ({ spec }) => {
        const problems: string[] = [];
        const all = containersOf(spec);
        const keeping = all.filter((c) => !asList(c.container.securityContext?.capabilities?.drop).includes("ALL"));
        if (keeping.length > 0) {
            problems.push(fix(`${capitalized(labels(keeping))} do(es) not drop ALL capabilities.`, "set securityContext.capabilities.drop: [\"ALL\"] on every container."));
        }
        for (const c of all) {
            const added = asList(c.container.securityContext?.capabilities?.add).filter((cap) => !ADDABLE_CAPABILITIES.has(cap));
            if (added.length > 0) {
                problems.push(fix(`${capitalized(c.label)} adds capabilities ${added.join(", ")}.`, "add none but NET_BIND_SERVICE; move what needs more to a node agent in the host-access namespace."));
            }
        }
        return problems;
    },
);

/** Profiles Pod Security "restricted" accepts: the runtime's default, or one installed on the node. */
const CONFINED_SECCOMP = new Set(["RuntimeDefault", "Localhost"]);

export const seccompRuntimeDefault = podRule(
    {
        name: "k8s-seccomp-runtime-default",
        description: "Pods run under a seccomp profile: seccompProfile.type RuntimeDefault (or Localhost) on the pod or on every container, and Unconfined nowhere.",
        enforcementLevel: "mandatory",
        severity: "medium",
    },
    ({ spec }) => {
        const problems: string[] = [];
        const remedy = "set spec.securityContext.seccompProfile: { type: \"RuntimeDefault\" } and no Unconfined override.";
        const podType = spec.securityContext?.seccompProfile?.type;
        if (podType !== undefined && !CONFINED_SECCOMP.has(podType)) {
            problems.push(fix(`The pod's seccompProfile.type is ${podType}.`, remedy));
        }
        const all = containersOf(spec);
        const unconfined = all.filter((c) => {
            const type = c.container.securityContext?.seccompProfile?.type;
            return type !== undefined && !CONFINED_SECCOMP.has(type);
        });
        if (unconfined.length > 0) {
            problems.push(fix(`${capitalized(labels(unconfined))} override(s) seccompProfile.type to an unconfined profile.`, remedy));
        }
        if (podType === undefined) {
            const unset = all.filter((c) => c.container.securityContext?.seccompProfile?.type === undefined);
            if (unset.length > 0) {
                problems.push(fix(`No seccomp profile on the pod nor on ${labels(unset)}: they run unconfined on runtimes without a default.`, remedy));
            }
        }
        return problems;
    },
);

export const readOnlyRootFilesystem = podRule(
    {
        name: "k8s-read-only-root-filesystem",
        description: "Every container (init containers included) mounts its root filesystem read-only; writable paths are emptyDir volumes.",
        enforcementLevel: "advisory",
        severity: "medium",
    },
    ({ spec }) => {
        const writable = containersOf(spec).filter((c) => c.container.securityContext?.readOnlyRootFilesystem !== true);
        return writable.length === 0
            ? []
            : [fix(`${capitalized(labels(writable))} can write to the root filesystem.`, "set securityContext.readOnlyRootFilesystem: true, and mount an emptyDir where the process must write (e.g. /tmp).")];
    },
);

interface HostAccessConfig {
    hostAccessNamespaces: string[];
}

const DEFAULT_HOST_ACCESS_NAMESPACES = ["node-agents"];

function hostAccessNamespacesOf(args: { getConfig<T extends object>(): T }): string[] {
    return args.getConfig<Partial<HostAccessConfig>>().hostAccessNamespaces ?? DEFAULT_HOST_ACCESS_NAMESPACES;
}

const hostAccessSchema: PolicyConfigSchema = {
    properties: {
        hostAccessNamespaces: {
            type: "array",
            items: { type: "string" },
            default: DEFAULT_HOST_ACCESS_NAMESPACES,
            description: "Namespaces for node agents (log shippers, CSI and CNI daemons), where host access is what the pods are for.",
        },
    },
};

export const noHostAccess = podRule(
    {
        name: "k8s-no-host-access",
        description:
            "Pods touch nothing of the node: no privileged containers, hostPath volumes, hostNetwork, hostPID, hostIPC or hostPort, " +
            "except in the namespaces listed in hostAccessNamespaces.",
        enforcementLevel: "mandatory",
        severity: "critical",
        configSchema: hostAccessSchema,
    },
    ({ spec, namespace }, args) => {
        const allowed = hostAccessNamespacesOf(args);
        if (allowed.includes(namespace)) {
            return [];
        }
        const agents = `only node agents need host access, and they run in ${allowed.length > 0 ? allowed.join(", ") : "a host-access namespace (none is configured)"}.`;
        const remedy = `remove it; ${agents}`;
        const problems: string[] = [];
        for (const field of ["hostNetwork", "hostPID", "hostIPC"] as const) {
            if (spec[field] === true) {
                problems.push(fix(`The pod sets ${field}: true.`, remedy));
            }
        }
        const hostPaths = asList(spec.volumes).filter((v) => v.hostPath !== undefined && v.hostPath !== null);
        if (hostPaths.length > 0) {
            problems.push(fix(`Volume(s) ${hostPaths.map((v) => `"${v.name}"`).join(", ")} mount a hostPath.`, `use an emptyDir, a ConfigMap or a PersistentVolumeClaim instead; ${agents}`));
        }
        const all = containersOf(spec);
        const privileged = all.filter((c) => c.container.securityContext?.privileged === true);
        if (privileged.length > 0) {
            problems.push(fix(`${capitalized(labels(privileged))} run(s) privileged.`, remedy));
        }
        const hostPorts = all.filter((c) => asList(c.container.ports).some((p) => typeof p.hostPort === "number" && p.hostPort > 0));
        if (hostPorts.length > 0) {
            problems.push(fix(`${capitalized(labels(hostPorts))} bind(s) a hostPort.`, "remove hostPort and expose the port through a Service."));
        }
        return problems;
    },
);

export const resourcesSet = podRule(
    {
        name: "k8s-resources-set",
        description: "Every container (init containers included) requests cpu and memory and sets a memory limit, so scheduling and eviction are predictable.",
        enforcementLevel: "mandatory",
        severity: "medium",
    },
    // Ephemeral containers take no resources.
    ({ spec }) =>
        containersOf(spec, { ephemeral: false }).flatMap(({ container, label }) => {
            const requests = container.resources?.requests ?? {};
            const limits = container.resources?.limits ?? {};
            const missing = [
                requests.cpu === undefined ? "cpu request" : undefined,
                requests.memory === undefined ? "memory request" : undefined,
                limits.memory === undefined ? "memory limit" : undefined,
            ].filter((m): m is string => m !== undefined);
            return missing.length === 0
                ? []
                : [fix(`${capitalized(label)} has no ${missing.join(", no ")}.`, "set resources.requests.cpu, resources.requests.memory and resources.limits.memory (memory limit = request is the safe start).")];
        }),
);

export const probesSet = podRule(
    {
        name: "k8s-probes-set",
        description: "Every container of a long-running workload has a liveness and a readiness probe. Jobs, CronJobs and run-once pods are exempt.",
        enforcementLevel: "advisory",
        severity: "low",
    },
    ({ spec, runsToCompletion }) => {
        if (runsToCompletion) {
            return [];
        }
        return containersOf(spec, { init: false, ephemeral: false }).flatMap(({ container, label }) => {
            const missing = [container.livenessProbe ? undefined : "liveness", container.readinessProbe ? undefined : "readiness"].filter((m): m is string => m !== undefined);
            return missing.length === 0
                ? []
                : [fix(`${capitalized(label)} has no ${missing.join(" or ")} probe.`, "add livenessProbe and readinessProbe (an HTTP health endpoint, or a TCP socket); readiness keeps traffic off pods that cannot serve it.")];
        });
    },
);

/** The tag of an image reference, "" when it has none; undefined when it is pinned by digest. */
function imageTag(image: string): string | undefined {
    if (image.includes("@")) {
        return undefined;
    }
    const lastSegment = image.slice(image.lastIndexOf("/") + 1);
    const colon = lastSegment.indexOf(":");
    return colon < 0 ? "" : lastSegment.slice(colon + 1);
}

export const imagePinned = podRule(
    {
        name: "k8s-image-pinned",
        description: "Every container image names a version: no tag-less image and no :latest. A digest (@sha256:…) is preferred; a fixed tag passes.",
        enforcementLevel: "mandatory",
        severity: "medium",
    },
    ({ spec }) =>
        containersOf(spec).flatMap(({ container, label }) => {
            const image = container.image ?? "";
            const tag = imageTag(image);
            const remedy = "pin the image by digest (repository@sha256:…), or at least by a release tag that is never moved.";
            if (image === "") {
                return [fix(`${capitalized(label)} names no image.`, remedy)];
            }
            if (tag === "") {
                return [fix(`${capitalized(label)} uses image "${image}" with no tag, which pulls :latest.`, remedy)];
            }
            if (tag === "latest") {
                return [fix(`${capitalized(label)} uses image "${image}": :latest changes under a running deployment.`, remedy)];
            }
            return [];
        }),
);

// ---- Object rules ----

interface ServiceConfig {
    allowedNamespaces: string[];
}

export const noLoadBalancerOrNodePortServices: ResourceValidationPolicy = {
    name: "k8s-no-loadbalancer-or-nodeport-services",
    description:
        "No Service of type LoadBalancer or NodePort outside the namespaces in allowedNamespaces: traffic enters through the ALB ingress, " +
        "not through a load balancer or node port per service.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            allowedNamespaces: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Namespaces whose Services may be of type LoadBalancer or NodePort (an ingress controller's, say).",
            },
        },
    },
    validateResource: (args, report) => {
        if (args.type !== TYPES.service) {
            return;
        }
        const type = (args.props.spec as { type?: string } | undefined)?.type;
        if (type !== "LoadBalancer" && type !== "NodePort") {
            return;
        }
        const allowed = args.getConfig<Partial<ServiceConfig>>().allowedNamespaces ?? [];
        const namespace = namespaceOf(args.props, args.provider);
        if (!allowed.includes(namespace)) {
            report(
                fix(
                    `Service of type ${type} in namespace ${namespace}: it opens ${type === "LoadBalancer" ? "a load balancer" : "a port on every node"} outside the ingress.`,
                    "use type ClusterIP behind an Ingress (the AWS Load Balancer Controller's ALB), or list the namespace in allowedNamespaces if it hosts an ingress controller.",
                ),
            );
        }
    },
};

export const noDefaultNamespace: ResourceValidationPolicy = {
    name: "k8s-no-default-namespace",
    description: "Workloads and Services live in a namespace of their own, never in \"default\" (nor unset, which lands there unless the provider sets a namespace).",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateResource: (args, report) => {
        const workload = WORKLOADS[args.type];
        if (!workload && args.type !== TYPES.service) {
            return;
        }
        if (namespaceOf(args.props, args.provider) === "default") {
            const set = (args.props.metadata as { namespace?: unknown } | undefined)?.namespace !== undefined;
            report(
                fix(
                    `${workload?.kind ?? "Service"} ${set ? "is in" : "sets no metadata.namespace, so it lands in"} the default namespace, which has no quota, limits or network policy.`,
                    "set metadata.namespace to an application namespace created by the Cluster component (applicationNamespaces).",
                ),
            );
        }
    },
};

/** Pod Security Admission's label and levels. */
const PSA_ENFORCE = "pod-security.kubernetes.io/enforce";
const PSA_LEVELS = ["privileged", "baseline", "restricted"];

export const namespacePodSecurityLabels: ResourceValidationPolicy = {
    name: "k8s-namespace-pod-security-labels",
    description:
        `Every Namespace enforces Pod Security Admission: ${PSA_ENFORCE}=restricted, except the node-agent namespaces (hostAccessNamespaces), ` +
        "which need an enforce label of some level.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: hostAccessSchema,
    validateResource: (args, report) => {
        if (args.type !== TYPES.namespace) {
            return;
        }
        const metadata = (args.props.metadata ?? {}) as { name?: string; labels?: Record<string, string> };
        const enforce = metadata.labels?.[PSA_ENFORCE];
        const nodeAgents = hostAccessNamespacesOf(args).includes(metadata.name ?? "");
        if (nodeAgents && (enforce === undefined || !PSA_LEVELS.includes(enforce))) {
            report(
                fix(
                    `Node-agent namespace ${metadata.name} has ${enforce === undefined ? "no" : `an invalid (${enforce})`} ${PSA_ENFORCE} label.`,
                    `label it ${PSA_ENFORCE}: privileged (or baseline), with audit and warn at baseline so privileged pods stay visible.`,
                ),
            );
        } else if (!nodeAgents && enforce !== "restricted") {
            report(
                fix(
                    `Namespace ${metadata.name ?? "(auto-named)"} ${enforce === undefined ? "has no" : `sets ${enforce} in its`} ${PSA_ENFORCE} label; application namespaces enforce restricted.`,
                    `label it ${PSA_ENFORCE}: restricted (the Cluster component's applicationNamespaces do), or list it in hostAccessNamespaces if it is for node agents.`,
                ),
            );
        }
    },
};

// ---- Stack rules ----

interface Workload {
    resource: PolicyResource;
    kind: string;
    namespace: string;
    template: PodTemplate | undefined;
}

function workloadsOf(resources: PolicyResource[]): Workload[] {
    return resources.flatMap((resource) => {
        const kind = WORKLOADS[resource.type];
        return kind ? [{ resource, kind: kind.kind, namespace: namespaceOf(resource.props, resource.provider), template: kind.podTemplate(resource.props) }] : [];
    });
}

/** True when the selector selects a pod with these labels; an empty selector selects every pod. */
function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
    if (selector === undefined || selector === null) {
        return false;
    }
    const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
    const byExpression = asList(selector.matchExpressions).every(({ key, operator, values }) => {
        const has = Object.hasOwn(labels, key);
        switch (operator) {
            case "In":
                return has && asList(values).includes(labels[key]);
            case "NotIn":
                return !has || !asList(values).includes(labels[key]);
            case "Exists":
                return has;
            case "DoesNotExist":
                return !has;
            default:
                return false;
        }
    });
    return byLabel && byExpression;
}

/** Pods a count-or-percentage stands for out of `total`, rounded up as the disruption controller does. */
function scaled(value: number | string, total: number): number {
    if (typeof value === "number") {
        return value;
    }
    const percent = /^(\d+)%$/.exec(value.trim());
    return percent ? Math.ceil((Number(percent[1]) * total) / 100) : Number.parseInt(value, 10);
}

/** True when the budget lets at least one of `replicas` pods be evicted. */
function allowsDisruption(spec: Unwrap<k8s.types.input.policy.v1.PodDisruptionBudgetSpec> | undefined, replicas: number): boolean {
    if (spec?.maxUnavailable !== undefined) {
        return scaled(spec.maxUnavailable, replicas) >= 1;
    }
    if (spec?.minAvailable !== undefined) {
        return scaled(spec.minAvailable, replicas) < replicas;
    }
    return false;
}

export const pdbForReplicatedWorkloads: StackValidationPolicy = {
    name: "k8s-pdb-for-replicated-workloads",
    description:
        "Every Deployment, StatefulSet and Rollout with more than one replica has a PodDisruptionBudget in its namespace that selects its pods " +
        "and allows at least one disruption (maxUnavailable >= 1, or minAvailable below the replica count), so node drains keep it serving and still proceed.",
    enforcementLevel: "advisory",
    severity: "medium",
    validateStack: (args, report) => {
        const budgets = args.resources.filter((r) => r.type === TYPES.podDisruptionBudget);
        for (const workload of workloadsOf(args.resources).filter((w) => REPLICATED_TYPES.includes(w.resource.type))) {
            const spec = workload.resource.props.spec as { replicas?: number; selector?: LabelSelector } | undefined;
            const replicas = spec?.replicas ?? 1;
            if (replicas <= 1) {
                continue;
            }
            // A Rollout with a workloadRef has no template: its selector names its pods' labels.
            const podLabels = workload.template?.metadata?.labels ?? spec?.selector?.matchLabels ?? {};
            const matching = budgets.filter(
                (b) => namespaceOf(b.props, b.provider) === workload.namespace && selects((b.props.spec as { selector?: LabelSelector } | undefined)?.selector, podLabels),
            );
            const name = `${workload.kind} ${workload.resource.name}`;
            if (matching.length === 0) {
                report(
                    fix(
                        `${name} runs ${replicas} replicas in namespace ${workload.namespace} and no PodDisruptionBudget selects its pods.`,
                        "add a policy/v1 PodDisruptionBudget in the same namespace whose selector matches the pod template's labels, with maxUnavailable: 1.",
                    ),
                    workload.resource.urn,
                );
            } else if (!matching.some((b) => allowsDisruption(b.props.spec as Unwrap<k8s.types.input.policy.v1.PodDisruptionBudgetSpec> | undefined, replicas))) {
                report(
                    fix(
                        `${name} runs ${replicas} replicas, and its PodDisruptionBudget(s) ${matching.map((b) => b.name).join(", ")} allow no voluntary disruption: node drains would block.`,
                        "set maxUnavailable: 1 (or minAvailable below the replica count).",
                    ),
                    workload.resource.urn,
                );
            }
        }
    },
};

/** True for a NetworkPolicy that selects every pod and allows nothing in or out. */
function isDefaultDeny(spec: Unwrap<k8s.types.input.networking.v1.NetworkPolicySpec> | undefined): boolean {
    if (!spec) {
        return false;
    }
    const selector = spec.podSelector ?? {};
    const selectsAll = Object.keys(selector.matchLabels ?? {}).length === 0 && asList(selector.matchExpressions).length === 0;
    const types = asList(spec.policyTypes);
    return selectsAll && types.includes("Ingress") && types.includes("Egress") && asList(spec.ingress).length === 0 && asList(spec.egress).length === 0;
}

export const namespaceDefaultDeny: StackValidationPolicy = {
    name: "k8s-namespace-default-deny",
    description:
        "Every namespace holding a workload has a default-deny NetworkPolicy: empty podSelector, policyTypes Ingress and Egress, no rules. " +
        "Other policies then open only what each workload needs.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateStack: (args, report) => {
        const denied = new Set(
            args.resources
                .filter((r) => r.type === TYPES.networkPolicy && isDefaultDeny(r.props.spec as Unwrap<k8s.types.input.networking.v1.NetworkPolicySpec> | undefined))
                .map((r) => namespaceOf(r.props, r.provider)),
        );
        const byNamespace = new Map<string, Workload[]>();
        for (const workload of workloadsOf(args.resources)) {
            byNamespace.set(workload.namespace, [...(byNamespace.get(workload.namespace) ?? []), workload]);
        }
        for (const [namespace, workloads] of byNamespace) {
            if (denied.has(namespace)) {
                continue;
            }
            // Name the Namespace when the stack declares it: that is where the policy belongs.
            const declared = args.resources.find((r) => r.type === TYPES.namespace && (r.props.metadata as { name?: string } | undefined)?.name === namespace);
            report(
                fix(
                    `Namespace ${namespace} holds ${workloads.map((w) => `${w.kind} ${w.resource.name}`).join(", ")} but has no default-deny NetworkPolicy.`,
                    "add a NetworkPolicy in it with podSelector: {}, policyTypes: [\"Ingress\", \"Egress\"] and no rules (the Cluster component adds one to every application namespace).",
                ),
                (declared ?? workloads[0].resource).urn,
            );
        }
    },
};

export const kubernetesPolicies = [
    runAsNonRoot,
    noPrivilegeEscalation,
    dropAllCapabilities,
    seccompRuntimeDefault,
    readOnlyRootFilesystem,
    noHostAccess,
    resourcesSet,
    probesSet,
    imagePinned,
    noLoadBalancerOrNodePortServices,
    noDefaultNamespace,
    pdbForReplicatedWorkloads,
    namespaceDefaultDeny,
    namespacePodSecurityLabels,
];
