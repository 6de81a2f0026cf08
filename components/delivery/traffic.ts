/**
 * How requests reach the application and what it may reach: the Services the rollout moves
 * traffic between, the ALB Ingress, the network policy, and the objects that keep the
 * application sized and watched (autoscaler, disruption budget, pod monitor). Pure functions.
 */
import { PROMETHEUS_POD_LABELS } from "../observability/monitors";
import { APPLICATION_METRICS_PORT } from "../observability/metrics";
import { DeliveryStrategy } from "./args";
import { REVISION_LABEL, SCRAPE_INTERVAL_SECONDS, PREVIEW_TRAFFIC_LABELS } from "./analysis";
import { DEREGISTRATION_DELAY_SECONDS, SERVICE_PORT, objectNames, selectorLabels } from "./rollout";
import { DeliverySettings } from "./settings";

/** TLS 1.3 and 1.2 only, AWS's recommended policy for HTTPS listeners. */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** The Services of the strategy: Argo Rollouts adds each one's revision to its selector. */
export function serviceNames(s: Pick<DeliverySettings, "name" | "strategy">): string[] {
    const names = objectNames(s.name);
    return {
        [DeliveryStrategy.Canary]: [names.stableService, names.canaryService],
        [DeliveryStrategy.BlueGreen]: [names.stableService, names.previewService],
        [DeliveryStrategy.Rolling]: [names.stableService],
    }[s.strategy];
}

export function serviceSpec(s: DeliverySettings) {
    return {
        type: "ClusterIP",
        selector: selectorLabels(s.name),
        ports: [{ name: "http", port: SERVICE_PORT, targetPort: "http", protocol: "TCP" }],
    };
}

/** `key=value,key=value`, as the load balancer controller's list annotations take them. */
function pairs(values: Record<string, string>): string {
    return Object.entries(values)
        .map(([key, value]) => `${key}=${value}`)
        .join(",");
}

/** Tags the annotation can carry: a "," or "=" inside one would split it. */
export function loadBalancerTags(tags: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(tags).filter(([key, value]) => !/[,=]/.test(key) && !/[,=]/.test(value)));
}

export function ingressAnnotations(s: DeliverySettings, tags: Record<string, string>): Record<string, string> {
    const prefix = "alb.ingress.kubernetes.io";
    return {
        [`${prefix}/scheme`]: "internet-facing",
        // Pods are the targets: weights apply per pod, not per node, and the ALB skips kube-proxy.
        [`${prefix}/target-type`]: "ip",
        [`${prefix}/listen-ports`]: JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
        [`${prefix}/ssl-redirect`]: "443",
        [`${prefix}/certificate-arn`]: s.certificateArn,
        [`${prefix}/ssl-policy`]: ALB_SSL_POLICY,
        [`${prefix}/healthcheck-path`]: s.health.readinessPath,
        [`${prefix}/success-codes`]: "200",
        [`${prefix}/target-group-attributes`]: pairs({ "deregistration_delay.timeout_seconds": String(DEREGISTRATION_DELAY_SECONDS) }),
        [`${prefix}/load-balancer-attributes`]: pairs({
            "deletion_protection.enabled": String(s.loadBalancerDeletionProtection),
            "routing.http.drop_invalid_header_fields.enabled": "true",
        }),
        [`${prefix}/tags`]: pairs(loadBalancerTags(tags)),
    };
}

/**
 * One rule for the host. Under canary the backend is the stable Service with the port
 * `use-annotation`: Argo Rollouts writes the weighted action of that name onto the Ingress.
 */
export function ingressSpec(s: DeliverySettings) {
    const names = objectNames(s.name);
    const port = s.strategy === DeliveryStrategy.Canary ? { name: "use-annotation" } : { number: SERVICE_PORT };
    return {
        ingressClassName: "alb",
        rules: [{ host: s.hostname, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: names.stableService, port } } }] } }],
    };
}

export interface Reachable {
    publicSubnetCidrs: string[];
    isolatedSubnetCidrs: string[];
    monitoringNamespace: string;
    databasePort: number;
    redisPort: number;
}

function metricsPortName(s: DeliverySettings): string {
    return s.metricsPort === s.port ? "http" : APPLICATION_METRICS_PORT;
}

// Network policies name ports by number: a named port means whatever each pod calls by that name.

/**
 * The application's pods take requests from the ALB (its addresses in the public subnets),
 * scrapes from Prometheus and, in blue-green, the preview traffic job; they reach DNS, the
 * database and cache in the isolated subnets, and HTTPS (AWS APIs, STS for IRSA) and nothing else.
 */
export function networkPolicySpec(s: DeliverySettings, r: Reachable) {
    const tcp = (port: number | string) => ({ protocol: "TCP", port });
    const isolated = r.isolatedSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } }));
    return {
        podSelector: { matchLabels: selectorLabels(s.name) },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
            { from: r.publicSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(s.port)] },
            {
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": r.monitoringNamespace } }, podSelector: { matchLabels: PROMETHEUS_POD_LABELS } }],
                ports: [tcp(s.metricsPort)],
            },
            ...(s.strategy === DeliveryStrategy.BlueGreen ? [{ from: [{ podSelector: { matchLabels: PREVIEW_TRAFFIC_LABELS(s.name) } }], ports: [tcp(s.port)] }] : []),
        ],
        egress: [
            {
                to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                ports: [{ protocol: "UDP", port: 53 }, tcp(53)],
            },
            { to: isolated, ports: [tcp(r.databasePort)] },
            { to: isolated, ports: [tcp(r.redisPort)] },
            { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(443)] },
        ],
    };
}

/** Lets the preview traffic job reach the application's pods, and nothing else. */
export function previewTrafficPolicySpec(s: DeliverySettings) {
    return {
        podSelector: { matchLabels: PREVIEW_TRAFFIC_LABELS(s.name) },
        policyTypes: ["Egress"],
        egress: [{ to: [{ podSelector: { matchLabels: selectorLabels(s.name) } }], ports: [{ protocol: "TCP", port: s.port }] }],
    };
}

/**
 * Scrapes the application's pods with their revision label kept, which the analysis compares by.
 * A status label named other than the contract's `code` is renamed to it here, once, for the
 * analysis and the platform's alerts alike.
 */
export function podMonitorSpec(s: DeliverySettings) {
    const renameStatus =
        s.statusCodeLabel === "code"
            ? []
            : [
                  { action: "replace", sourceLabels: [s.statusCodeLabel], targetLabel: "code" },
                  { action: "labeldrop", regex: s.statusCodeLabel },
              ];
    return {
        selector: { matchLabels: selectorLabels(s.name) },
        podTargetLabels: [REVISION_LABEL],
        podMetricsEndpoints: [
            {
                port: metricsPortName(s),
                path: "/metrics",
                interval: `${SCRAPE_INTERVAL_SECONDS}s`,
                ...(renameStatus.length > 0 ? { metricRelabelings: renameStatus } : {}),
            },
        ],
    };
}

/** Scales the Rollout on CPU and memory: up at once, down slowly and by a quarter at most per minute. */
export function autoscalerSpec(s: DeliverySettings) {
    const a = s.autoscaling;
    const utilization = (name: string, averageUtilization: number) => ({ type: "Resource", resource: { name, target: { type: "Utilization", averageUtilization } } });
    return {
        scaleTargetRef: { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: objectNames(s.name).rollout },
        minReplicas: s.replicas,
        maxReplicas: a.maxReplicas,
        metrics: [utilization("cpu", a.cpuUtilizationPercent), utilization("memory", a.memoryUtilizationPercent)],
        behavior: {
            scaleUp: {
                stabilizationWindowSeconds: 0,
                selectPolicy: "Max",
                policies: [
                    { type: "Percent", value: 100, periodSeconds: 60 },
                    { type: "Pods", value: 4, periodSeconds: 60 },
                ],
            },
            scaleDown: {
                stabilizationWindowSeconds: a.scaleDownStabilizationSeconds,
                selectPolicy: "Min",
                policies: [{ type: "Percent", value: 25, periodSeconds: 60 }],
            },
        },
    };
}

/** One pod of the application may be evicted at a time, whichever revision it belongs to. */
export function disruptionBudgetSpec(s: DeliverySettings) {
    return { maxUnavailable: 1, selector: { matchLabels: selectorLabels(s.name) } };
}
