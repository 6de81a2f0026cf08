/**
 * Tenancy and guard rails inside the cluster: namespaces with Pod Security Admission labels,
 * and for each application namespace a quota, container limits and a default-deny network
 * with DNS let out; the priority classes workloads choose from. Manifests are built by pure
 * functions so their contents are unit-tested without Pulumi.
 */
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ApplicationNamespaceArgs } from "./args";

export enum PodSecurityLevel {
    Restricted = "restricted",
    Baseline = "baseline",
    Privileged = "privileged",
}

/** For controllers and agents the platform runs: evicts application pods before them. */
export const PLATFORM_CRITICAL_PRIORITY_CLASS = "platform-critical";
/** For the application's pods. */
export const APPLICATION_PRIORITY_CLASS = "application";

/** The restricted profile's pod-level settings, for workloads and charts that do not set them all. */
export const RESTRICTED_POD = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
/** The restricted profile's container-level settings. */
export const RESTRICTED_CONTAINER = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

type Labels = Record<string, string>;

/**
 * Has the load balancer controller add a readiness gate to the namespace's pods behind an ALB: a
 * new pod counts as ready only once its target is healthy, so a rollout never outruns the ALB.
 */
const ALB_READINESS_GATE: Readonly<Labels> = { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" };

/** Labels on every Kubernetes object the platform creates. */
export const PLATFORM_LABELS: Readonly<Labels> = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "platform" };

/**
 * Pod Security Admission labels: `enforce` rejects pods above the level; `audit` and `warn`
 * report at the stricter `reportLevel`, so a privileged namespace still shows what is privileged.
 * The version is pinned to the cluster's, so an upgrade never tightens admission unannounced.
 */
export function podSecurityLabels(level: PodSecurityLevel, kubernetesVersion: string, reportLevel = level): Labels {
    const version = `v${kubernetesVersion}`;
    return {
        "pod-security.kubernetes.io/enforce": level,
        "pod-security.kubernetes.io/enforce-version": version,
        "pod-security.kubernetes.io/audit": reportLevel,
        "pod-security.kubernetes.io/audit-version": version,
        "pod-security.kubernetes.io/warn": reportLevel,
        "pod-security.kubernetes.io/warn-version": version,
    };
}

export function resourceQuotaSpec(ns: ApplicationNamespaceArgs): kubernetes.types.input.core.v1.ResourceQuotaSpec {
    const q = ns.quota;
    return {
        hard: {
            "requests.cpu": q.requestsCpu,
            "requests.memory": q.requestsMemory,
            "limits.cpu": q.limitsCpu,
            "limits.memory": q.limitsMemory,
            "requests.storage": q.requestsStorage,
            pods: String(q.pods),
            persistentvolumeclaims: String(q.persistentVolumeClaims),
            // Traffic enters through the ALB ingress; no namespace opens its own load balancer or node port.
            "services.loadbalancers": "0",
            "services.nodeports": "0",
        },
    };
}

export function limitRangeSpec(ns: ApplicationNamespaceArgs): kubernetes.types.input.core.v1.LimitRangeSpec {
    const l = ns.limits;
    return {
        limits: [
            {
                type: "Container",
                defaultRequest: { cpu: l.defaultRequestCpu, memory: l.defaultRequestMemory },
                default: { cpu: l.defaultLimitCpu, memory: l.defaultLimitMemory },
                max: { cpu: l.maxCpu, memory: l.maxMemory },
            },
        ],
    };
}

/** Denies all traffic in and out of every pod of the namespace; other policies add what is allowed. */
export function defaultDenySpec(): kubernetes.types.input.networking.v1.NetworkPolicySpec {
    return { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
}

/** Lets every pod of the namespace resolve names with the cluster's CoreDNS, and nothing else. */
export function allowDnsSpec(): kubernetes.types.input.networking.v1.NetworkPolicySpec {
    return {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
            {
                to: [
                    {
                        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                        podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                    },
                ],
                ports: [
                    { protocol: "UDP", port: 53 },
                    { protocol: "TCP", port: 53 },
                ],
            },
        ],
    };
}

/**
 * A platform add-on's namespace: default-deny, then DNS and HTTPS out (the API server and AWS's
 * APIs, whose addresses are not the cluster's to list), then `openings` by name.
 */
export function addonNetworkPolicies(
    name: string,
    namespace: string,
    openings: Record<string, kubernetes.types.input.networking.v1.NetworkPolicySpec>,
    opts: pulumi.CustomResourceOptions,
): void {
    const policies = {
        "default-deny": defaultDenySpec(),
        "allow-dns": allowDnsSpec(),
        "allow-https-out": { podSelector: {}, policyTypes: ["Egress"], egress: [{ ports: [{ protocol: "TCP", port: 443 }] }] },
        ...openings,
    };
    for (const [policyName, spec] of Object.entries(policies)) {
        new kubernetes.networking.v1.NetworkPolicy(`${name}-${namespace}-${policyName}`, { metadata: { name: policyName, namespace, labels: PLATFORM_LABELS }, spec }, opts);
    }
}

export interface TenancySettings {
    kubernetesVersion: string;
    applicationNamespaces: ApplicationNamespaceArgs[];
    nodeAgentNamespace: string;
    /** Protect application namespaces: deleting one deletes its volume claims and secrets. */
    protectNamespaces: boolean;
}

export interface Namespaces {
    applicationNamespaces: pulumi.Output<string>[];
    nodeAgentNamespace: pulumi.Output<string>;
}

/** Creates the namespaces and guard rails; returns the names of the namespaces created. */
export function tenancy(name: string, settings: TenancySettings, opts: pulumi.CustomResourceOptions): Namespaces {
    const labels = PLATFORM_LABELS;

    new kubernetes.scheduling.v1.PriorityClass(
        `${name}-${PLATFORM_CRITICAL_PRIORITY_CLASS}`,
        {
            metadata: { name: PLATFORM_CRITICAL_PRIORITY_CLASS, labels },
            // Below Kubernetes' own system-* classes (2,000,000,000 and up), above every application.
            value: 1_000_000,
            globalDefault: false,
            description: "Platform controllers and agents (monitoring, logging, delivery): scheduled before applications.",
        },
        opts,
    );
    new kubernetes.scheduling.v1.PriorityClass(
        `${name}-${APPLICATION_PRIORITY_CLASS}`,
        {
            metadata: { name: APPLICATION_PRIORITY_CLASS, labels },
            value: 1_000,
            globalDefault: false,
            description: "The application's pods: above batch and unclassified pods, below the platform.",
        },
        opts,
    );

    const nodeAgents = new kubernetes.core.v1.Namespace(
        `${name}-${settings.nodeAgentNamespace}`,
        {
            metadata: {
                name: settings.nodeAgentNamespace,
                // Host paths and host networking are what node agents are for; audit and warn
                // at baseline keep every privileged pod visible.
                labels: { ...labels, ...podSecurityLabels(PodSecurityLevel.Privileged, settings.kubernetesVersion, PodSecurityLevel.Baseline) },
            },
        },
        opts,
    );

    const applicationNamespaces = settings.applicationNamespaces.map((ns) => {
        const resourceName = `${name}-${ns.name}`;
        const namespace = new kubernetes.core.v1.Namespace(
            resourceName,
            { metadata: { name: ns.name, labels: { ...labels, ...podSecurityLabels(PodSecurityLevel.Restricted, settings.kubernetesVersion), ...ALB_READINESS_GATE } } },
            { ...opts, protect: settings.protectNamespaces },
        );
        const inNamespace = (objectName: string) => ({ name: objectName, namespace: namespace.metadata.name, labels });
        new kubernetes.core.v1.ResourceQuota(`${resourceName}-quota`, { metadata: inNamespace("quota"), spec: resourceQuotaSpec(ns) }, opts);
        new kubernetes.core.v1.LimitRange(`${resourceName}-limits`, { metadata: inNamespace("container-limits"), spec: limitRangeSpec(ns) }, opts);
        new kubernetes.networking.v1.NetworkPolicy(`${resourceName}-default-deny`, { metadata: inNamespace("default-deny"), spec: defaultDenySpec() }, opts);
        new kubernetes.networking.v1.NetworkPolicy(`${resourceName}-allow-dns`, { metadata: inNamespace("allow-dns"), spec: allowDnsSpec() }, opts);
        return namespace.metadata.name;
    });

    return { applicationNamespaces, nodeAgentNamespace: nodeAgents.metadata.name };
}
