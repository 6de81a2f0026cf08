/** `platform:delivery`: the application, its traffic, and how a new version is rolled out. */
import { z } from "zod";
import { DeliveryStrategy } from "../components/delivery/args";
import { DELIVERY_DEFAULTS, DeliverySettings } from "../components/delivery/settings";
import { deliveryProblems } from "../components/delivery/validate";
import { DEFAULT_APPLICATION_IMAGE } from "../components/delivery/versions";
import { byEnvironment } from "./environment";

/** The application and how it is delivered; the profile supplies every setting but `hostname` and `certificateArn`. */
export type DeliveryConfig = DeliverySettings;

const quantity = (what: string) => z.string().min(1).describe(`${what} (a Kubernetes quantity).`);

// Types and key names only: components/delivery/validate.ts checks the values.
export const deliverySchema = z.strictObject({
    name: z.string().describe("The application's name: a DNS label of at most 40 characters."),
    namespace: z.string().describe("One of the cluster's application namespaces."),
    // No profile can know these: left optional here so a missing one is reported with what it must be.
    hostname: z.string().optional().describe("The public host name users reach the application at; every stack file sets its own."),
    certificateArn: z.string().optional().describe("The ACM certificate for `hostname`, in `aws:region`; every stack file sets its own."),
    image: z
        .strictObject({ repository: z.string().describe("The image repository."), tag: z.string().describe("A release tag or `sha256:<digest>`; never `latest` or another moving tag.") })
        .describe("The application's container image."),
    port: z.int().describe("The port the application serves on, 1024-65535."),
    metricsPort: z.int().describe("The port of its `/metrics` (may equal `port`)."),
    statusCodeLabel: z.string().describe("The label of `http_requests_total` that holds the HTTP status; renamed to `code` at scrape time when it differs."),
    runAsUser: z.int().describe("The non-root uid the container runs as."),
    replicas: z.int().describe("Pods when idle and the autoscaler's minimum, 1-50."),
    resources: z
        .strictObject({
            requestsCpu: quantity("CPU request"),
            requestsMemory: quantity("Memory request"),
            limitsCpu: quantity("CPU limit"),
            limitsMemory: quantity("Memory limit"),
        })
        .describe("Per pod; requests no larger than limits."),
    health: z
        .strictObject({
            livenessPath: z.string().describe("HTTP path of the liveness probe; the platform's blackbox probe checks it through the ALB."),
            readinessPath: z.string().describe("HTTP path of the readiness probe."),
            startupTimeoutSeconds: z.int().describe("Seconds a new pod has to start, 5-600."),
        })
        .describe("The application's probes."),
    env: z.record(z.string(), z.string()).describe("Environment variables; the names the platform sets (`DATABASE_*`, `REDIS_*`, `OTEL_*`) are refused."),
    strategy: z.enum(DeliveryStrategy).describe("`canary` (weighted steps through the ALB), `blueGreen` (preview, then all at once) or `rolling` (no analysis)."),
    canary: z
        .strictObject({
            steps: z
                .array(
                    z.strictObject({
                        weightPercent: z.int().describe("Share of traffic, 1-100, increasing."),
                        pauseSeconds: z.int().default(0).describe("Seconds held at this weight."),
                        awaitPromotion: z.boolean().default(false).describe("Wait for a person's promotion at this step."),
                    }),
                )
                .describe("The canary's steps."),
        })
        .describe("The canary strategy."),
    blueGreen: z
        .strictObject({
            autoPromotion: z.boolean().describe("Promote the preview once its analysis passes."),
            autoPromotionSeconds: z.int().describe("Seconds to wait before promoting."),
            scaleDownDelaySeconds: z.int().describe("Seconds the old version keeps running after promotion, 60 or more."),
        })
        .describe("The blue-green strategy."),
    analysis: z
        .strictObject({
            intervalSeconds: z.int().describe("Seconds between measurements, 10-600."),
            measurements: z.int().describe("Measurements of a blue-green pre-promotion run."),
            failureLimit: z.int().describe("Failed measurements tolerated, 0-10."),
            windowSeconds: z.int().describe("The query window, 30 seconds or more."),
            maxErrorRateIncreasePoints: z.number().describe("Most the new version's 5xx share may exceed the stable one's, in percentage points."),
            maxLatencyIncreasePercent: z.number().describe("Most the new version's p95 latency may exceed the stable one's, in percent."),
            maxTimeToAbortSeconds: z.int().describe("The worst-case time from a bad release to its abort that the settings must meet."),
        })
        .describe("The automatic analysis that aborts a bad release."),
    autoscaling: z
        .strictObject({
            maxReplicas: z.int().describe("Most pods, at least `replicas`."),
            cpuUtilizationPercent: z.int().describe("CPU use against requests the autoscaler aims at."),
            memoryUtilizationPercent: z.int().describe("Memory use against requests the autoscaler aims at."),
            scaleDownStabilizationSeconds: z.int().describe("Seconds of lower load before it scales down."),
        })
        .describe("The horizontal pod autoscaler."),
    controller: z
        .strictObject({
            namespace: z.string().describe("The Argo Rollouts controller's namespace."),
            replicas: z.int().describe("Controller replicas, 1-5."),
            verifyTargetGroups: z.boolean().describe("The controller checks the ALB's target groups before it shifts traffic."),
        })
        .describe("The Argo Rollouts controller."),
    loadBalancerDeletionProtection: z.boolean().describe("The ALB refuses deletion at the AWS API."),
}).describe("The application, its public endpoint, and how a new version is rolled out.");

/**
 * The application every tier delivers: podinfo until the team's own image replaces it. Its
 * metrics come on a port of their own (9797), its status label is `status`, and it writes only
 * under /tmp; it runs as podinfo's uid 100.
 */
export const DELIVERY_PROFILES = byEnvironment<Omit<DeliveryConfig, "hostname" | "certificateArn">>(
    {
        name: DELIVERY_DEFAULTS.name,
        namespace: "api",
        image: { ...DEFAULT_APPLICATION_IMAGE },
        port: DELIVERY_DEFAULTS.port,
        metricsPort: DELIVERY_DEFAULTS.metricsPort,
        statusCodeLabel: "status",
        runAsUser: DELIVERY_DEFAULTS.runAsUser,
        replicas: 2,
        resources: { requestsCpu: "100m", requestsMemory: "128Mi", limitsCpu: "1", limitsMemory: "512Mi" },
        health: { ...DELIVERY_DEFAULTS.health },
        env: { PODINFO_PORT_METRICS: String(DELIVERY_DEFAULTS.metricsPort), PODINFO_DATA_PATH: "/tmp", PODINFO_LEVEL: "info" },
        // Canary, as in prod, so a release meets the same analysis before prod: 5%, 25% and 50%
        // held two minutes each, then 100%.
        strategy: DELIVERY_DEFAULTS.strategy,
        canary: { steps: DELIVERY_DEFAULTS.canarySteps.map((step) => ({ ...step })) },
        blueGreen: { ...DELIVERY_DEFAULTS.blueGreen },
        // Worst case to abort: 15 s scrape + 120 s window + 2 measurements of 30 s = 195 s, inside 300.
        analysis: { ...DELIVERY_DEFAULTS.analysis },
        autoscaling: { maxReplicas: 6, ...DELIVERY_DEFAULTS.autoscaling },
        controller: { ...DELIVERY_DEFAULTS.controller, replicas: 1 },
        loadBalancerDeletionProtection: false,
    },
    {
        // One replica, replaced in place: dev has no traffic worth a canary.
        dev: {
            strategy: DeliveryStrategy.Rolling,
            replicas: 1,
            resources: { requestsCpu: "50m", requestsMemory: "64Mi", limitsCpu: "500m", limitsMemory: "256Mi" },
            autoscaling: { maxReplicas: 3 },
            controller: { verifyTargetGroups: false },
        },
        staging: {},
        // A replica per zone at least; two controllers, so a rollout goes on through a node's loss.
        prod: {
            replicas: 3,
            resources: { requestsCpu: "250m", requestsMemory: "256Mi", limitsCpu: "1", limitsMemory: "512Mi" },
            autoscaling: { maxReplicas: 12 },
            controller: { replicas: 2 },
            loadBalancerDeletionProtection: true,
        },
    },
);

/** The keys no profile can know, when the stack file leaves them out: checked whatever else is wrong. */
export function missingDeliveryProblems(delivery: z.infer<typeof deliverySchema>, region: string | undefined, prefix: string): string[] {
    const problems: string[] = [];
    if (delivery.hostname === undefined) {
        problems.push(`${prefix}hostname: missing; expected the host name users reach the application at, such as "api.example.com" (each stack file sets its own)`);
    }
    if (delivery.certificateArn === undefined) {
        problems.push(`${prefix}certificateArn: missing; expected the ARN of the ACM certificate for the host name, in ${region ?? "aws:region"} (each stack file sets its own)`);
    }
    return problems;
}

/** What the delivery component would reject, said in the stack file's terms (a missing key is missingDeliveryProblems'). */
export function deliveryConfigProblems(
    delivery: z.infer<typeof deliverySchema>,
    region: string,
    applicationNamespaces: string[],
    takenNamespaces: string[],
    prefix: string,
): string[] {
    const settings = { ...delivery, hostname: delivery.hostname ?? "", certificateArn: delivery.certificateArn ?? "" };
    const missing = ["hostname", "certificateArn"].filter((key) => delivery[key as "hostname" | "certificateArn"] === undefined);
    // A missing value is reported once, as missing.
    return deliveryProblems(settings, { region, applicationNamespaces, takenNamespaces }, prefix).filter((p) => !missing.some((key) => p.startsWith(`${prefix}${key}:`)));
}

/** The URL the platform's blackbox probe checks: the application's liveness path, through the ALB. */
export function applicationProbeUrl(delivery: Pick<DeliveryConfig, "hostname" | "health">): string {
    return `https://${delivery.hostname}${delivery.health.livenessPath}`;
}
