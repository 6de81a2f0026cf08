/**
 * The application's Rollout: its pod (restricted, probed, spread across zones) and the strategy
 * that replaces it. Pure functions, so tests read the specs without Pulumi.
 */
import { APPLICATION_PRIORITY_CLASS, RESTRICTED_CONTAINER, RESTRICTED_POD } from "../cluster/tenancy";
import { APPLICATION_METRICS_PORT, OWN_MONITOR_LABEL } from "../observability/metrics";
import { DeliveryStrategy } from "./args";
import { PROGRESS_DEADLINE_SECONDS, REVISION_LABEL, analysisArgs, templateNames } from "./analysis";
import { DeliverySettings } from "./settings";

/** Seconds the ALB takes to stop sending a deregistered pod requests: its target groups' deregistration delay. */
export const DEREGISTRATION_DELAY_SECONDS = 30;
/** A stopping pod keeps serving this long, so the ALB has deregistered it before it closes its listener. */
const SHUTDOWN_DELAY_SECONDS = 15;
/** Where the synced connection secrets are mounted; files follow a rotated password, environment variables would not. */
export const SECRET_MOUNTS = { database: "/var/run/secrets/platform/database", redis: "/var/run/secrets/platform/redis" } as const;

/** Names of the objects that make up the application. */
export function objectNames(app: string) {
    return {
        rollout: app,
        serviceAccount: app,
        /** The stable Service (blue-green's active one); the Ingress sends traffic to it. */
        stableService: app,
        canaryService: `${app}-canary`,
        previewService: `${app}-preview`,
        ingress: app,
        secretStore: `${app}-secrets`,
        databaseSecret: `${app}-database`,
        redisSecret: `${app}-redis`,
        ...templateNames(app),
    };
}

/** The labels every pod of the application carries, whatever its revision. */
export function podLabels(app: string): Record<string, string> {
    return { "app.kubernetes.io/name": app, "app.kubernetes.io/part-of": "platform", [OWN_MONITOR_LABEL]: app };
}

export function selectorLabels(app: string): Record<string, string> {
    return { "app.kubernetes.io/name": app };
}

/** The endpoints the platform hands the application, known once the other components exist. */
const ENDPOINT_NAMES = ["DATABASE_HOST", "DATABASE_PORT", "DATABASE_NAME", "REDIS_HOST", "REDIS_PORT", "OTEL_EXPORTER_OTLP_ENDPOINT"] as const;
export type PlatformEnvironment = Record<(typeof ENDPOINT_NAMES)[number], string>;

/** What the platform adds from the settings alone. */
function derivedEnvironment(app: string): Record<string, string> {
    return {
        DATABASE_CREDENTIALS_DIR: SECRET_MOUNTS.database,
        // ElastiCache encrypts in transit and asks for the AUTH token.
        REDIS_TLS: "true",
        REDIS_AUTH_TOKEN_FILE: `${SECRET_MOUNTS.redis}/authToken`,
        OTEL_SERVICE_NAME: app,
    };
}

/** Every variable the platform sets; config may not redefine these. */
export const PLATFORM_ENV_NAMES: readonly string[] = [...ENDPOINT_NAMES, ...Object.keys(derivedEnvironment(""))];

function environment(s: DeliverySettings, platform: PlatformEnvironment) {
    return Object.entries({ ...s.env, ...platform, ...derivedEnvironment(s.name) }).map(([name, value]) => ({ name, value }));
}

function httpProbe(path: string, periodSeconds: number, failureThreshold: number) {
    return { httpGet: { path, port: "http" }, periodSeconds, failureThreshold, timeoutSeconds: 2 };
}

export function podTemplate(s: DeliverySettings, platform: PlatformEnvironment) {
    const names = objectNames(s.name);
    const startupPeriod = 5;
    const metricsOnOwnPort = s.metricsPort !== s.port;
    return {
        metadata: { labels: podLabels(s.name) },
        spec: {
            serviceAccountName: names.serviceAccount,
            // The application calls AWS with its IRSA token, mounted on its own; it has no use for the Kubernetes API.
            automountServiceAccountToken: false,
            priorityClassName: APPLICATION_PRIORITY_CLASS,
            securityContext: { ...RESTRICTED_POD, runAsUser: s.runAsUser, runAsGroup: s.runAsUser, fsGroup: s.runAsUser },
            terminationGracePeriodSeconds: SHUTDOWN_DELAY_SECONDS + 30,
            topologySpreadConstraints: [
                // Each revision spreads on its own, so a canary's few pods do not pile into one zone.
                { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: selectorLabels(s.name) }, matchLabelKeys: [REVISION_LABEL] },
                { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selectorLabels(s.name) }, matchLabelKeys: [REVISION_LABEL] },
            ],
            containers: [
                {
                    name: s.name,
                    image: imageReference(s.image),
                    ports: [
                        { name: "http", containerPort: s.port, protocol: "TCP" },
                        ...(metricsOnOwnPort ? [{ name: APPLICATION_METRICS_PORT, containerPort: s.metricsPort, protocol: "TCP" }] : []),
                    ],
                    env: environment(s, platform),
                    resources: {
                        requests: { cpu: s.resources.requestsCpu, memory: s.resources.requestsMemory },
                        limits: { cpu: s.resources.limitsCpu, memory: s.resources.limitsMemory },
                    },
                    startupProbe: httpProbe(s.health.livenessPath, startupPeriod, Math.ceil(s.health.startupTimeoutSeconds / startupPeriod)),
                    livenessProbe: httpProbe(s.health.livenessPath, 10, 3),
                    readinessProbe: httpProbe(s.health.readinessPath, 5, 2),
                    lifecycle: { preStop: { sleep: { seconds: SHUTDOWN_DELAY_SECONDS } } },
                    securityContext: { ...RESTRICTED_CONTAINER, runAsNonRoot: true },
                    volumeMounts: [
                        { name: "tmp", mountPath: "/tmp" },
                        { name: "database-credentials", mountPath: SECRET_MOUNTS.database, readOnly: true },
                        { name: "redis-credentials", mountPath: SECRET_MOUNTS.redis, readOnly: true },
                    ],
                },
            ],
            volumes: [
                { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
                { name: "database-credentials", secret: { secretName: names.databaseSecret, defaultMode: 0o440 } },
                { name: "redis-credentials", secret: { secretName: names.redisSecret, defaultMode: 0o440 } },
            ],
        },
    };
}

export function imageReference(image: { repository: string; tag: string }): string {
    return image.tag.startsWith("sha256:") ? `${image.repository}@${image.tag}` : `${image.repository}:${image.tag}`;
}

/** The service port the Services and the Ingress use. */
export const SERVICE_PORT = 80;

function canaryStrategy(s: DeliverySettings, ingressName: string) {
    const names = objectNames(s.name);
    const steps = s.canary.steps.flatMap((step) => [
        { setWeight: step.weightPercent },
        ...(step.awaitPromotion ? [{ pause: {} }] : step.pauseSeconds > 0 ? [{ pause: { duration: `${step.pauseSeconds}s` } }] : []),
    ]);
    return {
        canary: {
            canaryService: names.canaryService,
            stableService: names.stableService,
            // Weights are set on the ALB's target groups, exact whatever the replica count.
            trafficRouting: { alb: { ingress: ingressName, servicePort: SERVICE_PORT } },
            steps,
            // From the first step's traffic until the rollout ends; a failure aborts it and sends all traffic back.
            analysis: { templates: [{ templateName: names.errorRate }, { templateName: names.latency }], args: analysisArgs(), startingStep: 1 },
            // The previous revision keeps its pods for a while after promotion, so an abort has somewhere to go at once.
            scaleDownDelaySeconds: DEREGISTRATION_DELAY_SECONDS + SHUTDOWN_DELAY_SECONDS,
            abortScaleDownDelaySeconds: DEREGISTRATION_DELAY_SECONDS + SHUTDOWN_DELAY_SECONDS,
        },
    };
}

function blueGreenStrategy(s: DeliverySettings) {
    const names = objectNames(s.name);
    const bg = s.blueGreen;
    return {
        blueGreen: {
            activeService: names.stableService,
            previewService: names.previewService,
            prePromotionAnalysis: {
                templates: [{ templateName: names.previewTraffic }, { templateName: names.errorRate }, { templateName: names.latency }],
                args: analysisArgs(),
            },
            autoPromotionEnabled: bg.autoPromotion,
            ...(bg.autoPromotion && bg.autoPromotionSeconds > 0 ? { autoPromotionSeconds: bg.autoPromotionSeconds } : {}),
            scaleDownDelaySeconds: bg.scaleDownDelaySeconds,
            abortScaleDownDelaySeconds: DEREGISTRATION_DELAY_SECONDS + SHUTDOWN_DELAY_SECONDS,
        },
    };
}

/** Without steps, Argo Rollouts' canary strategy is Kubernetes' rolling update. */
function rollingStrategy() {
    return { canary: { maxSurge: 1, maxUnavailable: 0 } };
}

/**
 * The Rollout's spec. `replicas` is left to the autoscaler: a value here would be reapplied by
 * every `pulumi up` and undo its scaling.
 */
export function rolloutSpec(s: DeliverySettings, platform: PlatformEnvironment) {
    const names = objectNames(s.name);
    const strategy = {
        [DeliveryStrategy.Canary]: () => canaryStrategy(s, names.ingress),
        [DeliveryStrategy.BlueGreen]: () => blueGreenStrategy(s),
        [DeliveryStrategy.Rolling]: () => rollingStrategy(),
    }[s.strategy]();
    return {
        selector: { matchLabels: selectorLabels(s.name) },
        template: podTemplate(s, platform),
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: PROGRESS_DEADLINE_SECONDS,
        progressDeadlineAbort: true,
        strategy,
    };
}
