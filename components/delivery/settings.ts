import { definedOnly } from "../shared/defaults";
import { AnalysisArgs, AutoscalingArgs, BlueGreenArgs, CanaryStepArgs, DeliveryStrategy, HealthArgs, ProgressiveDeliveryArgs, RolloutControllerArgs } from "./args";

export const DELIVERY_DEFAULTS = {
    name: "api",
    port: 9898,
    metricsPort: 9797,
    statusCodeLabel: "code",
    runAsUser: 100,
    health: { livenessPath: "/healthz", readinessPath: "/readyz", startupTimeoutSeconds: 60 },
    strategy: DeliveryStrategy.Canary,
    canarySteps: [
        { weightPercent: 5, pauseSeconds: 120, awaitPromotion: false },
        { weightPercent: 25, pauseSeconds: 120, awaitPromotion: false },
        { weightPercent: 50, pauseSeconds: 120, awaitPromotion: false },
        { weightPercent: 100, pauseSeconds: 0, awaitPromotion: false },
    ],
    blueGreen: { autoPromotion: true, autoPromotionSeconds: 0, scaleDownDelaySeconds: 600 },
    analysis: {
        intervalSeconds: 30,
        measurements: 10,
        failureLimit: 1,
        windowSeconds: 120,
        maxErrorRateIncreasePoints: 2,
        maxLatencyIncreasePercent: 20,
        maxTimeToAbortSeconds: 300,
    },
    autoscaling: { cpuUtilizationPercent: 70, memoryUtilizationPercent: 80, scaleDownStabilizationSeconds: 300 },
    controller: { namespace: "argo-rollouts", replicas: 2, verifyTargetGroups: true },
} as const;

export type CanaryStepSettings = Required<CanaryStepArgs>;

/** Every setting with its default filled in: what validation and the resources read. */
export interface DeliverySettings {
    name: string;
    namespace: string;
    hostname: string;
    certificateArn: string;
    image: { repository: string; tag: string };
    port: number;
    metricsPort: number;
    statusCodeLabel: string;
    runAsUser: number;
    replicas: number;
    resources: { requestsCpu: string; requestsMemory: string; limitsCpu: string; limitsMemory: string };
    health: Required<HealthArgs>;
    env: Record<string, string>;
    strategy: DeliveryStrategy;
    canary: { steps: CanaryStepSettings[] };
    blueGreen: Required<BlueGreenArgs>;
    analysis: Required<AnalysisArgs>;
    autoscaling: Required<AutoscalingArgs>;
    controller: Required<RolloutControllerArgs>;
    loadBalancerDeletionProtection: boolean;
}

/** The component's own settings, without its wiring to other components. */
export type DeliverySettingsArgs = Omit<ProgressiveDeliveryArgs, "kubernetesVersion" | "oidcProviderArn" | "oidcProviderUrl" | "database" | "network" | "monitoring" | "tags">;

/** The settings as configured, defaults filled in, before validation: what config/ also builds and checks. */
export function deliverySettings(args: DeliverySettingsArgs): DeliverySettings {
    const d = DELIVERY_DEFAULTS;
    return {
        name: args.name ?? d.name,
        namespace: args.namespace,
        hostname: args.hostname,
        certificateArn: args.certificateArn,
        image: { repository: args.image.repository, tag: args.image.tag },
        port: args.port ?? d.port,
        metricsPort: args.metricsPort ?? d.metricsPort,
        statusCodeLabel: args.statusCodeLabel ?? d.statusCodeLabel,
        runAsUser: args.runAsUser ?? d.runAsUser,
        replicas: args.replicas,
        resources: { ...args.resources },
        health: {
            livenessPath: args.health?.livenessPath ?? d.health.livenessPath,
            readinessPath: args.health?.readinessPath ?? d.health.readinessPath,
            startupTimeoutSeconds: args.health?.startupTimeoutSeconds ?? d.health.startupTimeoutSeconds,
        },
        env: { ...(args.env ?? {}) },
        strategy: args.strategy ?? d.strategy,
        canary: {
            steps: (args.canary?.steps ?? d.canarySteps).map((step) => ({
                weightPercent: step.weightPercent,
                pauseSeconds: step.pauseSeconds ?? 0,
                awaitPromotion: step.awaitPromotion ?? false,
            })),
        },
        blueGreen: {
            autoPromotion: args.blueGreen?.autoPromotion ?? d.blueGreen.autoPromotion,
            autoPromotionSeconds: args.blueGreen?.autoPromotionSeconds ?? d.blueGreen.autoPromotionSeconds,
            scaleDownDelaySeconds: args.blueGreen?.scaleDownDelaySeconds ?? d.blueGreen.scaleDownDelaySeconds,
        },
        analysis: { ...d.analysis, ...definedOnly(args.analysis ?? {}) },
        autoscaling: {
            maxReplicas: args.autoscaling.maxReplicas,
            cpuUtilizationPercent: args.autoscaling.cpuUtilizationPercent ?? d.autoscaling.cpuUtilizationPercent,
            memoryUtilizationPercent: args.autoscaling.memoryUtilizationPercent ?? d.autoscaling.memoryUtilizationPercent,
            scaleDownStabilizationSeconds: args.autoscaling.scaleDownStabilizationSeconds ?? d.autoscaling.scaleDownStabilizationSeconds,
        },
        controller: { ...d.controller, ...definedOnly(args.controller ?? {}) },
        loadBalancerDeletionProtection: args.loadBalancerDeletionProtection ?? false,
    };
}
