import assert from "node:assert/strict";
import { PROFILES } from "../config";
import { DeliveryStrategy } from "../components/delivery/args";
import { credentialsReadPolicy } from "../components/database/policies";
import { OWN_MONITOR_LABEL } from "../components/observability/metrics";
import { podMonitorSpec as namespaceMonitorSpec } from "../components/observability/monitors";
import { REVISION_LABEL } from "../components/delivery/analysis";
import { PLATFORM_ENV_NAMES } from "../components/delivery/rollout";
import { ARGO_ROLLOUTS_CHART } from "../components/delivery/versions";
import { validateKubernetesObjects } from "../tools/kubernetesSchema";
import { CUSTOM_RESOURCE_MODELS, FixtureOutcome, ResourceGraph, policyOf, referenced, synthFixture } from "./helpers";
import { policySession } from "./policyHarness";

const T = {
    rollout: "kubernetes:argoproj.io/v1alpha1:Rollout",
    template: "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate",
    service: "kubernetes:core/v1:Service",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    podMonitor: "kubernetes:monitoring.coreos.com/v1:PodMonitor",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    secretStore: "kubernetes:external-secrets.io/v1:SecretStore",
    externalSecret: "kubernetes:external-secrets.io/v1:ExternalSecret",
    namespace: "kubernetes:core/v1:Namespace",
    release: "kubernetes:helm.sh/v3:Release",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};

const SECRETS = {
    database: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-shop-AbCdEf",
    redis: "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop-cache-auth-GhIjKl",
};
const CREDENTIALS_POLICY = JSON.stringify(credentialsReadPolicy([SECRETS.database, SECRETS.redis], "arn:aws:kms:us-east-1:123456789012:key/credentials", "us-east-1"));
const PUBLIC_CIDRS = ["10.30.0.0/20", "10.30.16.0/20", "10.30.32.0/20"];
const ISOLATED_CIDRS = ["10.30.128.0/22", "10.30.132.0/22", "10.30.136.0/22"];

type Profile = (typeof PROFILES)["prod"]["delivery"];

/** The component's arguments from a profile's delivery settings, as index.ts builds them. */
function argsFrom(profile: Profile, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        ...profile,
        hostname: "shop.example.com",
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/9a3f7e12-6c4b-4d8a-b2e5-7f1c3d9e0a64",
        kubernetesVersion: "1.36",
        oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
        oidcProviderUrl: "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
        database: {
            endpoint: "shop-postgres.abc.us-east-1.rds.amazonaws.com",
            port: 5432,
            databaseName: "app",
            masterUserSecretArn: SECRETS.database,
            redisPrimaryEndpoint: "master.shop-cache.abc.use1.cache.amazonaws.com",
            redisPort: 6379,
            redisAuthSecretArn: SECRETS.redis,
            credentialsReadPolicyJson: CREDENTIALS_POLICY,
        },
        network: { publicSubnetCidrs: PUBLIC_CIDRS, isolatedSubnetCidrs: ISOLATED_CIDRS },
        monitoring: {
            prometheusUrl: "http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090",
            namespace: "monitoring",
            releaseLabel: "kube-prometheus-stack",
            otlpEndpoint: "http://tempo.monitoring.svc.cluster.local:4317",
        },
        tags: { environment: "test", project: "shop", stack: "test", "managed-by": "pulumi" },
        ...overrides,
    };
}

function synthDelivery(args: Record<string, unknown>): Promise<FixtureOutcome> {
    return synthFixture("delivery-program", { "fixture:deliveryArgs": args });
}

interface Step {
    setWeight?: number;
    pause?: { duration?: string };
}
interface CanaryStrategy {
    canaryService: string;
    stableService: string;
    trafficRouting?: { alb: { ingress: string; servicePort: number } };
    steps?: Step[];
    analysis?: { templates: Array<{ templateName: string }>; args: Array<{ name: string; valueFrom: { podTemplateHashValue: string } }>; startingStep: number };
    maxSurge?: number;
    maxUnavailable?: number;
}
interface BlueGreenStrategy {
    activeService: string;
    previewService: string;
    autoPromotionEnabled: boolean;
    scaleDownDelaySeconds: number;
    prePromotionAnalysis: { templates: Array<{ templateName: string }>; args: Array<{ name: string; valueFrom: { podTemplateHashValue: string } }> };
}
interface Container {
    name: string;
    image: string;
    ports: Array<{ name: string; containerPort: number }>;
    env: Array<{ name: string; value: string }>;
    securityContext: Record<string, unknown>;
    volumeMounts: Array<{ name: string; mountPath: string }>;
    livenessProbe: { httpGet: { path: string } };
    readinessProbe: { httpGet: { path: string } };
    startupProbe: { httpGet: { path: string }; periodSeconds: number; failureThreshold: number };
}
interface PodSpec {
    serviceAccountName: string;
    priorityClassName: string;
    securityContext: Record<string, unknown>;
    topologySpreadConstraints: Array<{ topologyKey: string; matchLabelKeys: string[] }>;
    containers: Container[];
    volumes: Array<{ name: string; emptyDir?: unknown; secret?: { secretName: string } }>;
}
interface RolloutSpec {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    progressDeadlineAbort: boolean;
    strategy: { canary?: CanaryStrategy; blueGreen?: BlueGreenStrategy };
}
interface Metric {
    name: string;
    interval?: string;
    count?: number;
    failureLimit?: number;
    successCondition?: string;
    provider: { prometheus?: { address: string; query: string }; job?: { spec: { template: { metadata: { labels: Record<string, string> }; spec: { containers: Array<{ env: Array<{ name: string; value: string }> }> } } } } };
}

const rolloutOf = (graph: ResourceGraph) => graph.ofType(T.rollout)[0].inputs.spec as RolloutSpec;
const metricsOf = (graph: ResourceGraph, name: string) => (graph.get(T.template, `shop-api-${name}`).inputs.spec as { metrics: Metric[] }).metrics;
const serviceNames = (graph: ResourceGraph) => graph.ofType(T.service).map((s) => (s.inputs.metadata as { name: string }).name).sort();

describe("ProgressiveDelivery component", function () {
    let canary: ResourceGraph;
    let blueGreen: ResourceGraph;
    let rolling: ResourceGraph;

    before(async function () {
        const outcomes = await Promise.all([
            synthDelivery(argsFrom(PROFILES.prod.delivery)),
            synthDelivery(argsFrom(PROFILES.prod.delivery, { strategy: DeliveryStrategy.BlueGreen, blueGreen: { autoPromotion: false, autoPromotionSeconds: 0, scaleDownDelaySeconds: 900 } })),
            synthDelivery(argsFrom(PROFILES.dev.delivery)),
        ]);
        for (const outcome of outcomes) {
            assert.ok(outcome.graph, outcome.error);
        }
        [canary, blueGreen, rolling] = outcomes.map((o) => o.graph as ResourceGraph);
    });

    describe("canary (the prod profile)", function () {
        it("steps through the configured weights with their pauses, traffic split by the ALB", function () {
            const strategy = rolloutOf(canary).strategy.canary as CanaryStrategy;
            assert.deepEqual(strategy.steps, [
                { setWeight: 5 },
                { pause: { duration: "120s" } },
                { setWeight: 25 },
                { pause: { duration: "120s" } },
                { setWeight: 50 },
                { pause: { duration: "120s" } },
                { setWeight: 100 },
            ]);
            assert.deepEqual(strategy.trafficRouting, { alb: { ingress: "api", servicePort: 80 } });
            assert.equal(rolloutOf(canary).strategy.blueGreen, undefined);
        });

        it("routes through Services and an Ingress that exist, the Ingress's backend the stable Service on `use-annotation`", function () {
            const strategy = rolloutOf(canary).strategy.canary as CanaryStrategy;
            assert.deepEqual(serviceNames(canary), [strategy.stableService, strategy.canaryService].sort());
            const ingress = canary.ofType(T.ingress)[0];
            assert.equal((ingress.inputs.metadata as { name: string }).name, strategy.trafficRouting?.alb.ingress);
            const spec = ingress.inputs.spec as { ingressClassName: string; rules: Array<{ host: string; http: { paths: Array<{ backend: { service: { name: string; port: { name?: string } } } }> } }> };
            assert.equal(spec.ingressClassName, "alb");
            assert.equal(spec.rules[0].host, "shop.example.com");
            assert.deepEqual(spec.rules[0].http.paths[0].backend.service, { name: strategy.stableService, port: { name: "use-annotation" } });
            // Created before the Rollout whose pods they route to: Pulumi must not wait for those pods.
            for (const resource of [ingress, ...canary.ofType(T.service)]) {
                assert.equal((resource.inputs.metadata as { annotations: Record<string, string> }).annotations["pulumi.com/skipAwait"], "true", resource.name);
            }
            assert.ok(canary.ofType(T.rollout)[0].dependencies.includes(ingress.urn));
        });

        it("serves HTTPS with the configured certificate, redirects HTTP, on pod targets, with a modern TLS policy", function () {
            const annotations = (canary.ofType(T.ingress)[0].inputs.metadata as { annotations: Record<string, string> }).annotations;
            const alb = (key: string) => annotations[`alb.ingress.kubernetes.io/${key}`];
            assert.equal(alb("certificate-arn"), "arn:aws:acm:us-east-1:123456789012:certificate/9a3f7e12-6c4b-4d8a-b2e5-7f1c3d9e0a64");
            assert.deepEqual(JSON.parse(alb("listen-ports")), [{ HTTP: 80 }, { HTTPS: 443 }]);
            assert.equal(alb("ssl-redirect"), "443");
            assert.equal(alb("scheme"), "internet-facing");
            assert.equal(alb("target-type"), "ip");
            assert.match(alb("ssl-policy"), /^ELBSecurityPolicy-TLS13-/);
            assert.equal(alb("healthcheck-path"), "/readyz");
            assert.match(alb("load-balancer-attributes"), /deletion_protection\.enabled=true/);
            assert.match(alb("tags"), /environment=test/);
        });

        it("analyses in the background from the first step's traffic, comparing the latest revision with the stable one", function () {
            const analysis = (rolloutOf(canary).strategy.canary as CanaryStrategy).analysis;
            assert.ok(analysis);
            assert.equal(analysis.startingStep, 1);
            assert.deepEqual(analysis.templates.map((t) => t.templateName).sort(), ["api-error-rate", "api-latency"]);
            const templates = canary.ofType(T.template).map((t) => (t.inputs.metadata as { name: string }).name).sort();
            assert.deepEqual(templates, ["api-error-rate", "api-latency"]);
            assert.deepEqual(
                analysis.args.map((a) => [a.name, a.valueFrom.podTemplateHashValue]),
                [
                    ["candidate-hash", "Latest"],
                    ["stable-hash", "Stable"],
                ],
            );
        });

        it("queries the Observability component's Prometheus, selecting each revision by its pod-template hash", function () {
            for (const name of ["error-rate", "latency"]) {
                const [metric] = metricsOf(canary, name);
                const prometheus = metric.provider.prometheus;
                assert.ok(prometheus);
                assert.equal(prometheus.address, "http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090");
                assert.match(prometheus.query, /rollouts_pod_template_hash="\{\{args\.candidate-hash\}\}"/);
                assert.match(prometheus.query, /rollouts_pod_template_hash="\{\{args\.stable-hash\}\}"/);
                assert.match(prometheus.query, /namespace="api", container="api"/);
                assert.equal(metric.interval, "30s");
                assert.equal(metric.failureLimit, 1);
                // Unbounded: the background analysis measures until the rollout ends.
                assert.equal(metric.count, undefined);
            }
            assert.equal(metricsOf(canary, "error-rate")[0].successCondition, "len(result) == 1 && result[0] <= 0.02");
            assert.equal(metricsOf(canary, "latency")[0].successCondition, "len(result) == 1 && (isNaN(result[0]) || result[0] <= 1.2)");
        });

        it("exports what the issue asks, the time to abort within the prod target", function () {
            assert.deepEqual(canary.outputs, {
                applicationUrl: "https://shop.example.com",
                rolloutName: "api",
                namespace: "api",
                strategy: "canary",
                timeToAbortSeconds: 195,
            });
            assert.ok((canary.outputs.timeToAbortSeconds) <= PROFILES.prod.delivery.analysis.maxTimeToAbortSeconds);
        });
    });

    describe("blue-green", function () {
        it("switches an active Service after pre-promotion analysis, keeping the old version for an instant undo", function () {
            const strategy = rolloutOf(blueGreen).strategy.blueGreen as BlueGreenStrategy;
            assert.equal(rolloutOf(blueGreen).strategy.canary, undefined);
            assert.deepEqual(serviceNames(blueGreen), [strategy.activeService, strategy.previewService].sort());
            assert.equal(strategy.autoPromotionEnabled, false);
            assert.equal(strategy.scaleDownDelaySeconds, 900);
            assert.deepEqual(strategy.prePromotionAnalysis.templates.map((t) => t.templateName).sort(), ["api-error-rate", "api-latency", "api-preview-traffic"]);
            assert.deepEqual(strategy.prePromotionAnalysis.args.map((a) => a.valueFrom.podTemplateHashValue), ["Latest", "Stable"]);
            const backend = (blueGreen.ofType(T.ingress)[0].inputs.spec as { rules: Array<{ http: { paths: Array<{ backend: { service: unknown } }> } }> }).rules[0].http.paths[0].backend.service;
            assert.deepEqual(backend, { name: strategy.activeService, port: { number: 80 } });
        });

        it("drives traffic at the preview while it measures a bounded number of times, the job let through to the preview alone", function () {
            const [traffic] = metricsOf(blueGreen, "preview-traffic");
            const job = traffic.provider.job;
            assert.ok(job);
            const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e) => [e.name, e.value]));
            assert.equal(env.TARGET_URL, "http://api-preview.api.svc.cluster.local:80/");
            for (const name of ["error-rate", "latency"]) {
                const [metric] = metricsOf(blueGreen, name);
                assert.equal(metric.count, PROFILES.prod.delivery.analysis.measurements);
                // The traffic outlasts the last measurement.
                const last = 15 + 120 + (PROFILES.prod.delivery.analysis.measurements - 1) * 30;
                assert.ok(Number(env.DURATION_SECONDS) >= last, `${env.DURATION_SECONDS} < ${last}`);
            }
            const trafficLabels = job.spec.template.metadata.labels;
            const policies = blueGreen.ofType(T.networkPolicy).map((p) => p.inputs.spec as { podSelector: { matchLabels?: Record<string, string> }; ingress?: Array<{ from: Array<{ podSelector?: { matchLabels: Record<string, string> } }> }> });
            const jobEgress = policies.find((p) => p.podSelector.matchLabels?.["app.kubernetes.io/name"] === trafficLabels["app.kubernetes.io/name"]);
            assert.ok(jobEgress, "a policy lets the job out");
            const appPolicy = policies.find((p) => p.podSelector.matchLabels?.["app.kubernetes.io/name"] === "api");
            assert.ok(appPolicy?.ingress?.some((rule) => rule.from.some((f) => f.podSelector?.matchLabels["app.kubernetes.io/name"] === trafficLabels["app.kubernetes.io/name"])));
        });
    });

    describe("rolling (the dev profile)", function () {
        it("replaces pods one at a time with none taken first, without analysis, a canary Service or weighted routing", function () {
            const strategy = rolloutOf(rolling).strategy.canary as CanaryStrategy;
            assert.deepEqual(strategy, { maxSurge: 1, maxUnavailable: 0 });
            assert.deepEqual(serviceNames(rolling), ["api"]);
            assert.deepEqual(rolling.ofType(T.template), []);
            assert.equal(rolling.outputs.strategy, "rolling");
        });
    });

    describe("every strategy", function () {
        it("leaves replicas to the autoscaler, which targets the Rollout with both resources and a scaling behaviour", function () {
            for (const [graph, replicas] of [[canary, 3], [blueGreen, 3], [rolling, 1]] as const) {
                assert.equal(rolloutOf(graph).replicas, undefined);
                const rollout = graph.ofType(T.rollout)[0];
                const [hpa] = graph.ofType(T.hpa);
                const spec = hpa.inputs.spec as { scaleTargetRef: Record<string, string>; minReplicas: number; maxReplicas: number; metrics: Array<{ resource: { name: string } }>; behavior: { scaleUp: unknown; scaleDown: { stabilizationWindowSeconds: number } } };
                assert.deepEqual(spec.scaleTargetRef, { apiVersion: rollout.inputs.apiVersion, kind: rollout.inputs.kind, name: (rollout.inputs.metadata as { name: string }).name });
                assert.equal(spec.minReplicas, replicas);
                assert.ok(spec.maxReplicas > replicas);
                assert.deepEqual(spec.metrics.map((m) => m.resource.name), ["cpu", "memory"]);
                assert.ok(spec.behavior.scaleUp);
                assert.equal(spec.behavior.scaleDown.stabilizationWindowSeconds, 300);
            }
        });

        it("runs restricted: non-root as the configured user, read-only root with /tmp on an emptyDir, nothing escalated, probed, spread across zones", function () {
            const pod = rolloutOf(canary).template.spec;
            const [container] = pod.containers;
            assert.equal(container.image, "ghcr.io/stefanprodan/podinfo:6.14.1");
            assert.deepEqual(pod.securityContext, { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" }, runAsUser: 100, runAsGroup: 100, fsGroup: 100 });
            assert.deepEqual(container.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" }, runAsNonRoot: true });
            const tmp = container.volumeMounts.find((m) => m.mountPath === "/tmp");
            assert.ok(tmp && pod.volumes.find((v) => v.name === tmp.name)?.emptyDir);
            assert.equal(container.livenessProbe.httpGet.path, "/healthz");
            assert.equal(container.readinessProbe.httpGet.path, "/readyz");
            assert.equal(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold, 60);
            assert.equal(pod.priorityClassName, "application");
            assert.deepEqual(pod.topologySpreadConstraints.map((c) => [c.topologyKey, c.matchLabelKeys]), [["topology.kubernetes.io/zone", [REVISION_LABEL]], ["kubernetes.io/hostname", [REVISION_LABEL]]]);
        });

        it("satisfies every Kubernetes rule of the policy pack, in each strategy", async function () {
            const session = await policySession("prod");
            // The application namespace and its default-deny policy are the Cluster component's: the stack tests see them together.
            const namespaceRules = ["k8s-namespace-default-deny"];
            for (const graph of [canary, blueGreen, rolling]) {
                const violations = (await session.analyze(graph.resources)).filter((v) => v.policy.startsWith("k8s-") && !namespaceRules.includes(v.policy));
                assert.deepEqual(violations, [], graph.outputs.strategy as string);
            }
        });

        it("validates against the Kubernetes and CRD schemas (Argo Rollouts, Prometheus operator, External Secrets)", async function () {
            for (const graph of [canary, blueGreen, rolling]) {
                assert.deepEqual(await validateKubernetesObjects(graph.resources, { customResourceModels: CUSTOM_RESOURCE_MODELS }), [], graph.outputs.strategy as string);
            }
        });

        it("keeps a disruption budget over both revisions' pods that lets one go at a time", function () {
            const [pdb] = canary.ofType(T.pdb);
            const spec = pdb.inputs.spec as { maxUnavailable: number; selector: { matchLabels: Record<string, string> } };
            assert.equal(spec.maxUnavailable, 1);
            assert.deepEqual(spec.selector, rolloutOf(canary).selector);
        });
    });

    describe("identity and secrets", function () {
        it("gives the pods a service account whose IRSA role reads exactly the database's two secrets", function () {
            const pod = rolloutOf(canary).template.spec;
            const account = canary.ofType(T.serviceAccount).find((a) => (a.inputs.metadata as { name: string }).name === pod.serviceAccountName);
            assert.ok(account);
            const roleArn = (account.inputs.metadata as { annotations: Record<string, string> }).annotations["eks.amazonaws.com/role-arn"];
            const role = canary.ofType(T.role).find((r) => roleArn.endsWith(`/${r.name}`) || roleArn.includes(r.name));
            assert.ok(role, roleArn);
            const trust = policyOf(role, "assumeRolePolicy");
            assert.deepEqual((trust.Statement[0].Condition as { StringEquals: Record<string, string> }).StringEquals["oidc.eks.us-east-1.amazonaws.com/id/ABC:sub"], "system:serviceaccount:api:api");
            const rolePolicy = canary.ofType(T.rolePolicy).find((p) => referenced(canary, p, "role").urn === role.urn);
            assert.ok(rolePolicy);
            assert.equal(rolePolicy.inputs.policy, CREDENTIALS_POLICY);
            const secretReads = policyOf(rolePolicy).Statement.filter((s) => JSON.stringify(s.Action).includes("secretsmanager:GetSecretValue"));
            assert.deepEqual(secretReads.flatMap((s) => s.Resource as string[]).sort(), [SECRETS.database, SECRETS.redis].sort());
        });

        it("syncs the secrets through a store that authenticates as that service account, mounted as files the pods read", function () {
            const [store] = canary.ofType(T.secretStore);
            const auth = (store.inputs.spec as { provider: { aws: { auth: { jwt: { serviceAccountRef: { name: string } } } } } }).provider.aws.auth.jwt.serviceAccountRef.name;
            assert.equal(auth, rolloutOf(canary).template.spec.serviceAccountName);
            const synced = canary.ofType(T.externalSecret).map((e) => e.inputs.spec as { target: { name: string }; data: Array<{ remoteRef: { key: string } }> });
            assert.deepEqual(synced.map((e) => e.data[0].remoteRef.key).sort(), [SECRETS.database, SECRETS.redis].sort());
            const mounted = rolloutOf(canary).template.spec.volumes.filter((v) => v.secret).map((v) => v.secret?.secretName).sort();
            assert.deepEqual(mounted, synced.map((e) => e.target.name).sort());
            // The names config may not set are exactly the ones the platform adds.
            const env = rolloutOf(canary).template.spec.containers[0].env.map((e) => e.name);
            const platformSet = env.filter((n) => !Object.hasOwn(PROFILES.prod.delivery.env, n));
            assert.deepEqual(platformSet.sort(), [...PLATFORM_ENV_NAMES].sort());
            assert.equal(env.find((n) => n === "DATABASE_HOST") && rolloutOf(canary).template.spec.containers[0].env.find((e) => e.name === "DATABASE_HOST")?.value, "shop-postgres.abc.us-east-1.rds.amazonaws.com");
        });
    });

    describe("network and monitoring", function () {
        it("lets in only the ALB's subnets on the HTTP port and Prometheus on the metrics port; lets out DNS, the database, Redis and HTTPS", function () {
            const policy = canary.ofType(T.networkPolicy).find((p) => (p.inputs.metadata as { name: string }).name === "api-traffic");
            assert.ok(policy);
            const spec = policy.inputs.spec as {
                policyTypes: string[];
                ingress: Array<{ from: Array<{ ipBlock?: { cidr: string }; namespaceSelector?: { matchLabels: Record<string, string> } }>; ports: Array<{ port: string | number }> }>;
                egress: Array<{ to: Array<{ ipBlock?: { cidr: string } }>; ports: Array<{ port: number }> }>;
            };
            assert.deepEqual(spec.policyTypes, ["Ingress", "Egress"]);
            assert.deepEqual(spec.ingress[0].from.map((f) => f.ipBlock?.cidr), PUBLIC_CIDRS);
            assert.deepEqual(spec.ingress[0].ports.map((p) => p.port), [9898]);
            assert.deepEqual(spec.ingress[1].from[0].namespaceSelector?.matchLabels, { "kubernetes.io/metadata.name": "monitoring" });
            assert.deepEqual(spec.ingress[1].ports.map((p) => p.port), [9797]);
            assert.equal(spec.ingress.length, 2);
            const egressPorts = spec.egress.map((rule) => rule.ports.map((p) => p.port).join("/"));
            assert.deepEqual(egressPorts, ["53/53", "5432", "6379", "443"]);
            for (const rule of spec.egress.slice(1, 3)) {
                assert.deepEqual(rule.to.map((t) => t.ipBlock?.cidr), ISOLATED_CIDRS);
            }
        });

        it("scrapes the pods with their revision label kept and podinfo's status label renamed to the contract's `code`", function () {
            const [monitor] = canary.ofType(T.podMonitor);
            const spec = monitor.inputs.spec as { podTargetLabels: string[]; podMetricsEndpoints: Array<{ port: string; metricRelabelings: Array<Record<string, unknown>> }> };
            assert.deepEqual(spec.podTargetLabels, [REVISION_LABEL]);
            assert.equal(spec.podMetricsEndpoints[0].port, "metrics");
            assert.deepEqual(spec.podMetricsEndpoints[0].metricRelabelings[0], { action: "replace", sourceLabels: ["status"], targetLabel: "code" });
            assert.equal((monitor.inputs.metadata as { labels: Record<string, string> }).labels.release, "kube-prometheus-stack");
        });

        it("is left out by the namespace-wide monitor, so no series is scraped twice", function () {
            const labels = rolloutOf(canary).template.metadata.labels;
            assert.ok(OWN_MONITOR_LABEL in labels);
            assert.deepEqual(namespaceMonitorSpec("metrics").selector, { matchExpressions: [{ key: OWN_MONITOR_LABEL, operator: "DoesNotExist" }] });
        });
    });

    describe("the controller", function () {
        it("is the pinned official chart with two replicas in prod, its metrics scraped, target groups verified through its own role", function () {
            const [release] = canary.ofType(T.release);
            assert.equal(release.inputs.chart, "argo-rollouts");
            assert.equal(release.inputs.version, ARGO_ROLLOUTS_CHART.version);
            assert.deepEqual(release.inputs.repositoryOpts, { repo: "https://argoproj.github.io/argo-helm" });
            const values = release.inputs.values as {
                controller: { replicas: number; awsVerifyTargetGroup: boolean; metrics: { enabled: boolean; serviceMonitor: { enabled: boolean; additionalLabels: Record<string, string> } } };
                serviceAccount: { name: string; annotations: Record<string, string> };
            };
            assert.equal(values.controller.replicas, 2);
            assert.equal(values.controller.awsVerifyTargetGroup, true);
            assert.deepEqual(values.controller.metrics, { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { release: "kube-prometheus-stack" } } });
            const roleArn = values.serviceAccount.annotations["eks.amazonaws.com/role-arn"];
            const role = canary.ofType(T.role).find((r) => roleArn.includes(r.name) && r.name.includes("argo-rollouts"));
            assert.ok(role, roleArn);
            const policy = canary.ofType(T.rolePolicy).find((p) => referenced(canary, p, "role").urn === role.urn);
            assert.ok(policy);
            const actions = policyOf(policy).Statement.flatMap((s) => s.Action as string[]);
            assert.ok(actions.length > 0 && actions.every((a) => /^elasticloadbalancing:Describe[A-Za-z]+$/.test(a)), actions.join(", "));
        });

        it("runs without an AWS role in dev, which does not verify target groups, with one replica", function () {
            const values = rolling.ofType(T.release)[0].inputs.values as { controller: { replicas: number; awsVerifyTargetGroup: boolean }; serviceAccount: { annotations: Record<string, string> } };
            assert.equal(values.controller.replicas, 1);
            assert.equal(values.controller.awsVerifyTargetGroup, false);
            assert.deepEqual(values.serviceAccount.annotations, {});
            assert.equal(rolling.ofType(T.role).filter((r) => r.name.includes("argo-rollouts")).length, 0);
        });

        it("lives in its own restricted namespace behind a default-deny policy", function () {
            const namespace = canary.ofType(T.namespace).find((n) => (n.inputs.metadata as { name: string }).name === "argo-rollouts");
            assert.ok(namespace);
            assert.equal((namespace.inputs.metadata as { labels: Record<string, string> }).labels["pod-security.kubernetes.io/enforce"], "restricted");
            const inNamespace = canary.ofType(T.networkPolicy).filter((p) => (p.inputs.metadata as { namespace: string }).namespace === "argo-rollouts");
            const deny = inNamespace.find((p) => (p.inputs.metadata as { name: string }).name === "default-deny");
            assert.deepEqual(deny?.inputs.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        });
    });

    describe("bad arguments", function () {
        it("rejects analysis too slow for its time-to-abort target before creating anything", async function () {
            const outcome = await synthDelivery(argsFrom(PROFILES.prod.delivery, { analysis: { ...PROFILES.prod.delivery.analysis, intervalSeconds: 120 } }));
            assert.ok(outcome.error);
            assert.match(outcome.error, /analysis\.maxTimeToAbortSeconds: the target is 300 s, but a bad version could serve for 375 s before the rollout aborts/);
            assert.deepEqual(outcome.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")), []);
        });
    });
});
