import * as pulumi from "@pulumi/pulumi";

/** How a new version replaces the running one. */
export enum DeliveryStrategy {
    /** Traffic moves to the new version in weighted steps through the ALB, analysed from the first step. */
    Canary = "canary",
    /** The new version runs beside the old behind a preview Service, is analysed, then takes all traffic at once. */
    BlueGreen = "blueGreen",
    /** Kubernetes' rolling update: one new pod at a time, none taken away first. No analysis. */
    Rolling = "rolling",
}

export interface ImageArgs {
    /** Registry and repository, such as `ghcr.io/stefanprodan/podinfo`. */
    repository: string;
    /** A release tag (`6.14.1`) or a digest (`sha256:…`); never a moving tag such as `latest`. */
    tag: string;
}

export interface ContainerResourcesArgs {
    /** CPU the scheduler reserves, such as `250m`. */
    requestsCpu: string;
    /** Memory the scheduler reserves, such as `256Mi`. */
    requestsMemory: string;
    /** CPU the container is throttled at. */
    limitsCpu: string;
    /** Memory the container is killed at. */
    limitsMemory: string;
}

export interface HealthArgs {
    /** Path the kubelet restarts the container on failure of; also the startup probe's. @default "/healthz" */
    livenessPath?: string;
    /** Path that says the pod can take traffic: the readiness probe's and the ALB health check's. @default "/readyz" */
    readinessPath?: string;
    /** Seconds a new container may take to pass its first liveness check. @default 60 */
    startupTimeoutSeconds?: number;
}

export interface CanaryStepArgs {
    /** Percent of requests the new version receives from this step on (1-100). */
    weightPercent: number;
    /** Seconds to hold this weight before the next step; 0 moves on at once. @default 0 */
    pauseSeconds?: number;
    /** Hold this weight until someone runs `kubectl argo rollouts promote`. @default false */
    awaitPromotion?: boolean;
}

export interface CanaryArgs {
    /** Weights in increasing order. @default 5%, 25%, 50% held two minutes each, then 100% */
    steps?: CanaryStepArgs[];
}

export interface BlueGreenArgs {
    /** Promote on its own once the pre-promotion analysis passes. @default true */
    autoPromotion?: boolean;
    /** Seconds to wait after the analysis passes before promoting on its own; 0 promotes at once. @default 0 */
    autoPromotionSeconds?: number;
    /**
     * Seconds the previous version keeps running after promotion, so `kubectl argo rollouts undo`
     * switches back at once. Must outlast the ALB's deregistration delay. @default 600
     */
    scaleDownDelaySeconds?: number;
}

export interface AnalysisArgs {
    /** Seconds between measurements. @default 30 */
    intervalSeconds?: number;
    /** Measurements of a bounded analysis (blue-green's pre-promotion); canary analysis runs until the rollout ends. @default 10 */
    measurements?: number;
    /** Failed measurements tolerated; one more aborts the rollout. @default 1 */
    failureLimit?: number;
    /** Seconds of traffic each measurement's rates cover (at least two scrapes). @default 120 */
    windowSeconds?: number;
    /** Abort when the new version's 5xx share exceeds the stable version's by more than this many percentage points. @default 2 */
    maxErrorRateIncreasePoints?: number;
    /** Abort when the new version's p95 latency exceeds the stable version's by more than this percentage. @default 20 */
    maxLatencyIncreasePercent?: number;
    /** The longest a bad version may serve before the rollout aborts; settings that would take longer are rejected. @default 300 */
    maxTimeToAbortSeconds?: number;
}

export interface AutoscalingArgs {
    /** Most replicas the autoscaler may run. */
    maxReplicas: number;
    /** Average CPU use, as a percentage of requests, the autoscaler keeps pods at. @default 70 */
    cpuUtilizationPercent?: number;
    /** Average memory use, as a percentage of requests, the autoscaler keeps pods at. @default 80 */
    memoryUtilizationPercent?: number;
    /** Seconds load must stay low before pods are removed. @default 300 */
    scaleDownStabilizationSeconds?: number;
}

export interface RolloutControllerArgs {
    /** Namespace of the Argo Rollouts controller. @default "argo-rollouts" */
    namespace?: string;
    /** Controller replicas; more than one elect a leader. @default 2 */
    replicas?: number;
    /**
     * Have the controller confirm in the ALB's target groups that the new pods are registered and
     * the weights applied before each step (`--aws-verify-target-group`), through an IRSA role
     * allowed to describe load balancers. @default true
     */
    verifyTargetGroups?: boolean;
}

/** What the application reaches in the Database component, and the secrets it may read. */
export interface DeliveryDatabaseArgs {
    endpoint: pulumi.Input<string>;
    port: pulumi.Input<number>;
    databaseName: pulumi.Input<string>;
    /** Secrets Manager secret with the PostgreSQL user's `username` and `password`. */
    masterUserSecretArn: pulumi.Input<string>;
    redisPrimaryEndpoint: pulumi.Input<string>;
    redisPort: pulumi.Input<number>;
    /** Secrets Manager secret with Redis's `authToken`. */
    redisAuthSecretArn: pulumi.Input<string>;
    /** IAM policy (JSON) that reads exactly those two secrets: the application's role holds it. */
    credentialsReadPolicyJson: pulumi.Input<string>;
}

export interface DeliveryNetworkArgs {
    /** CIDRs of the public subnets: the ALB's addresses, the only source of user traffic. */
    publicSubnetCidrs: pulumi.Input<string[]>;
    /** CIDRs of the isolated subnets the database and cache live in. */
    isolatedSubnetCidrs: pulumi.Input<string[]>;
}

export interface DeliveryMonitoringArgs {
    /** Prometheus' in-cluster URL, which the analysis queries. */
    prometheusUrl: pulumi.Input<string>;
    /** Namespace Prometheus runs in, let through to the metrics port. */
    namespace: pulumi.Input<string>;
    /** `release` label the Prometheus operator selects monitors by. */
    releaseLabel: pulumi.Input<string>;
    /** Tempo's OTLP gRPC endpoint, handed to the application. */
    otlpEndpoint: pulumi.Input<string>;
}

export interface ProgressiveDeliveryArgs {
    /** The application's name: its Rollout, Services, service account and labels. @default "api" */
    name?: string;
    /** Application namespace it runs in (one the Cluster component made). */
    namespace: string;
    /** Host name users reach it at, such as `api.example.com`. */
    hostname: string;
    /** ARN of the ACM certificate for `hostname`, in the stack's region. */
    certificateArn: string;
    image: ImageArgs;
    /** Port the container serves HTTP on. @default 9898 */
    port?: number;
    /** Port the container serves `/metrics` on, named `metrics`; the same as `port` is allowed. @default 9797 */
    metricsPort?: number;
    /**
     * Label of `http_requests_total` that holds the HTTP status. The platform's metric contract
     * names it `code`; another name (podinfo's is `status`) is renamed to `code` at scrape time. @default "code"
     */
    statusCodeLabel?: string;
    /** User id the container runs as; images that name their user cannot be proven non-root otherwise. @default 100 (podinfo's) */
    runAsUser?: number;
    /** Replicas when idle: the autoscaler's minimum. */
    replicas: number;
    resources: ContainerResourcesArgs;
    /** @default the defaults of each field */
    health?: HealthArgs;
    /** Environment variables for the container; names the platform sets are refused. @default {} */
    env?: Record<string, string>;
    /** @default DeliveryStrategy.Canary */
    strategy?: DeliveryStrategy;
    /** @default the defaults of each field */
    canary?: CanaryArgs;
    /** @default the defaults of each field */
    blueGreen?: BlueGreenArgs;
    /** @default the defaults of each field */
    analysis?: AnalysisArgs;
    autoscaling: AutoscalingArgs;
    /** @default the defaults of each field */
    controller?: RolloutControllerArgs;
    /** Refuse deletion of the ALB at the AWS API (turn off before removing the Ingress). @default false */
    loadBalancerDeletionProtection?: boolean;

    kubernetesVersion: string;
    oidcProviderArn: pulumi.Input<string>;
    oidcProviderUrl: pulumi.Input<string>;
    database: DeliveryDatabaseArgs;
    network: DeliveryNetworkArgs;
    monitoring: DeliveryMonitoringArgs;
    /** @default {} */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}
