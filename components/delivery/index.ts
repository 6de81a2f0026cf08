/**
 * ProgressiveDelivery: the application and the safe way to change its version. Argo Rollouts
 * runs it as a Rollout behind an ALB; a new version takes traffic step by step (canary) or
 * beside the old one (blue-green) while its error rate and latency are compared with the stable
 * version's in the platform's Prometheus, and the rollout aborts on its own when they are worse.
 */
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceAccountRole } from "../cluster/serviceAccountRole";
import { PLATFORM_LABELS } from "../cluster/tenancy";
import { secretSync } from "../observability/monitors";
import { accountScope } from "../shared/aws";
import { DeliveryStrategy, ProgressiveDeliveryArgs } from "./args";
import { errorRateTemplateSpec, latencyTemplateSpec, previewTrafficTemplateSpec, timeToAbortSeconds } from "./analysis";
import { rolloutController } from "./controller";
import { SERVICE_PORT, objectNames, rolloutSpec } from "./rollout";
import { DeliverySettings, deliverySettings } from "./settings";
import {
    autoscalerSpec,
    disruptionBudgetSpec,
    ingressAnnotations,
    ingressSpec,
    networkPolicySpec,
    podMonitorSpec,
    previewTrafficPolicySpec,
    serviceNames,
    serviceSpec,
} from "./traffic";
import { deliveryProblems } from "./validate";

export {
    AnalysisArgs,
    AutoscalingArgs,
    BlueGreenArgs,
    CanaryArgs,
    CanaryStepArgs,
    ContainerResourcesArgs,
    DeliveryDatabaseArgs,
    DeliveryMonitoringArgs,
    DeliveryNetworkArgs,
    DeliveryStrategy,
    HealthArgs,
    ImageArgs,
    ProgressiveDeliveryArgs,
    RolloutControllerArgs,
} from "./args";

const ROLLOUTS_API = "argoproj.io/v1alpha1";
const MONITORING_API = "monitoring.coreos.com/v1";

function validateDeliveryArgs(args: ProgressiveDeliveryArgs, parent: pulumi.Resource): DeliverySettings {
    const settings = deliverySettings(args);
    // The component knows the namespace it was given; config/ also checks it against the cluster's.
    const problems = deliveryProblems(settings, { applicationNamespaces: [settings.namespace], takenNamespaces: ["default", "kube-system"] });
    if (problems.length > 0) {
        throw new pulumi.ResourceError(`invalid ProgressiveDelivery arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`, parent);
    }
    return settings;
}

export class ProgressiveDelivery extends pulumi.ComponentResource {
    /** The URL users reach the application at. */
    public readonly applicationUrl: pulumi.Output<string>;
    /** The Rollout to watch, promote or abort with `kubectl argo rollouts`. */
    public readonly rolloutName: pulumi.Output<string>;
    /** The namespace the application runs in. */
    public readonly namespace: pulumi.Output<string>;
    public readonly strategy: pulumi.Output<DeliveryStrategy>;
    /**
     * The longest a bad version serves before its rollout aborts on its own: scrape, rate window
     * and the failing measurements. For rolling updates, the progress deadline (pods never ready).
     */
    public readonly timeToAbortSeconds: pulumi.Output<number>;
    /** The ALB's DNS name, for the host name's CNAME or alias record (empty until the controller has made the ALB; `pulumi refresh` reads it). */
    public readonly loadBalancerHostname: pulumi.Output<string>;

    constructor(name: string, args: ProgressiveDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:ProgressiveDelivery", name, {}, opts);
        const s = validateDeliveryArgs(args, this);
        const names = objectNames(s.name);
        const scope = accountScope(this);
        const ns = s.namespace;
        const inNamespace = (objectName: string, labels: Record<string, string> = {}) => ({ name: objectName, namespace: ns, labels: { ...PLATFORM_LABELS, "app.kubernetes.io/name": s.name, ...labels } });
        const k8s: pulumi.CustomResourceOptions = { parent: this, dependsOn: opts?.dependsOn };

        const controller = rolloutController(
            name,
            {
                settings: s,
                kubernetesVersion: args.kubernetesVersion,
                oidcProviderArn: args.oidcProviderArn,
                oidcProviderUrl: args.oidcProviderUrl,
                region: scope.region,
                monitoringNamespace: args.monitoring.namespace,
                releaseLabel: args.monitoring.releaseLabel,
                tags: args.tags ?? {},
            },
            this,
            opts?.dependsOn,
        );
        const afterController: pulumi.CustomResourceOptions = { parent: this, dependsOn: [controller] };

        // --- the application's identity and secrets ----------------------------------------------
        const role = new ServiceAccountRole(
            `${name}-${s.name}`,
            {
                oidcProviderArn: args.oidcProviderArn,
                oidcProviderUrl: args.oidcProviderUrl,
                namespace: ns,
                serviceAccountName: names.serviceAccount,
                policyJson: args.database.credentialsReadPolicyJson,
                tags: args.tags,
            },
            { parent: this },
        );
        // External Secrets Operator reads the secrets as the application's own service account.
        const secrets = secretSync(
            {
                name,
                namespace: ns,
                region: scope.region,
                secretReaderRoleArn: role.roleArn,
                serviceAccountName: names.serviceAccount,
                storeName: names.secretStore,
                postgresSecretName: names.databaseSecret,
                redisSecretName: names.redisSecret,
                database: args.database,
            },
            k8s,
        );

        // --- traffic ---------------------------------------------------------------------------
        // Pulumi would wait for these to reach pods, which only the Rollout created after them makes:
        // the Rollout needs them to exist, not to be ready, and the load balancer controller takes over from there.
        const created = { "pulumi.com/skipAwait": "true" };
        const services = serviceNames(s).map(
            (serviceName) => new kubernetes.core.v1.Service(`${name}-${serviceName}`, { metadata: { ...inNamespace(serviceName), annotations: created }, spec: serviceSpec(s) }, k8s),
        );
        const ingress = new kubernetes.networking.v1.Ingress(
            `${name}-${names.ingress}`,
            {
                metadata: {
                    ...inNamespace(names.ingress),
                    annotations: pulumi.output(args.tags ?? {}).apply((tags) => ({ ...ingressAnnotations(s, tags as Record<string, string>), ...created })),
                },
                spec: ingressSpec(s),
            },
            { parent: this, dependsOn: services },
        );
        new kubernetes.networking.v1.NetworkPolicy(
            `${name}-${s.name}-traffic`,
            {
                metadata: inNamespace(`${s.name}-traffic`),
                spec: pulumi
                    .all([args.network.publicSubnetCidrs, args.network.isolatedSubnetCidrs, args.monitoring.namespace, args.database.port, args.database.redisPort])
                    .apply(([publicSubnetCidrs, isolatedSubnetCidrs, monitoringNamespace, databasePort, redisPort]) =>
                        networkPolicySpec(s, { publicSubnetCidrs, isolatedSubnetCidrs, monitoringNamespace, databasePort, redisPort }),
                    ),
            },
            k8s,
        );

        // --- analysis and the rollout ------------------------------------------------------------
        const templates: pulumi.Resource[] = [];
        if (s.strategy !== DeliveryStrategy.Rolling) {
            const template = (templateName: string, spec: pulumi.Input<Record<string, unknown>>) =>
                new kubernetes.apiextensions.CustomResource(`${name}-${templateName}`, { apiVersion: ROLLOUTS_API, kind: "AnalysisTemplate", metadata: inNamespace(templateName), spec }, afterController);
            const prometheusUrl = pulumi.output(args.monitoring.prometheusUrl);
            templates.push(
                template(names.errorRate, prometheusUrl.apply((url) => errorRateTemplateSpec(s, url))),
                template(names.latency, prometheusUrl.apply((url) => latencyTemplateSpec(s, url))),
            );
        }
        if (s.strategy === DeliveryStrategy.BlueGreen) {
            const previewUrl = `http://${names.previewService}.${ns}.svc.cluster.local:${SERVICE_PORT}/`;
            templates.push(
                new kubernetes.apiextensions.CustomResource(
                    `${name}-${names.previewTraffic}`,
                    { apiVersion: ROLLOUTS_API, kind: "AnalysisTemplate", metadata: inNamespace(names.previewTraffic), spec: previewTrafficTemplateSpec(s, previewUrl) },
                    afterController,
                ),
            );
            new kubernetes.networking.v1.NetworkPolicy(`${name}-${names.previewTraffic}`, { metadata: inNamespace(names.previewTraffic), spec: previewTrafficPolicySpec(s) }, k8s);
        }
        new kubernetes.apiextensions.CustomResource(
            `${name}-${s.name}-pods`,
            {
                apiVersion: MONITORING_API,
                kind: "PodMonitor",
                metadata: pulumi.output(args.monitoring.releaseLabel).apply((release) => inNamespace(s.name, { release })),
                spec: podMonitorSpec(s),
            },
            k8s,
        );
        const rollout = new kubernetes.apiextensions.CustomResource(
            `${name}-${names.rollout}`,
            {
                apiVersion: ROLLOUTS_API,
                kind: "Rollout",
                metadata: inNamespace(names.rollout),
                spec: pulumi
                    .all([args.database.endpoint, args.database.port, args.database.databaseName, args.database.redisPrimaryEndpoint, args.database.redisPort, args.monitoring.otlpEndpoint])
                    .apply(([databaseHost, databasePort, databaseName, redisHost, redisPort, otlpEndpoint]) =>
                        rolloutSpec(s, {
                            DATABASE_HOST: databaseHost,
                            DATABASE_PORT: String(databasePort),
                            DATABASE_NAME: databaseName,
                            REDIS_HOST: redisHost,
                            REDIS_PORT: String(redisPort),
                            OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
                        }),
                    ),
            },
            { parent: this, dependsOn: [controller, ingress, ...services, ...secrets, ...templates] },
        );
        new kubernetes.autoscaling.v2.HorizontalPodAutoscaler(`${name}-${s.name}`, { metadata: inNamespace(s.name), spec: autoscalerSpec(s) }, { parent: this, dependsOn: [rollout] });
        new kubernetes.policy.v1.PodDisruptionBudget(`${name}-${s.name}`, { metadata: inNamespace(s.name), spec: disruptionBudgetSpec(s) }, k8s);

        this.applicationUrl = pulumi.output(`https://${s.hostname}`);
        this.rolloutName = rollout.metadata.name;
        this.namespace = pulumi.output(ns);
        this.strategy = pulumi.output(s.strategy);
        this.timeToAbortSeconds = pulumi.output(timeToAbortSeconds(s));
        this.loadBalancerHostname = ingress.status.apply((status) => status?.loadBalancer?.ingress?.[0]?.hostname ?? "");
        this.registerOutputs({
            applicationUrl: this.applicationUrl,
            rolloutName: this.rolloutName,
            namespace: this.namespace,
            strategy: this.strategy,
            timeToAbortSeconds: this.timeToAbortSeconds,
            loadBalancerHostname: this.loadBalancerHostname,
        });
    }
}
