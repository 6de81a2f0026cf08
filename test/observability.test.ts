import assert from "node:assert/strict";
import { PROFILES } from "../config";
import { validateKubernetesObjects } from "../tools/kubernetesSchema";
import { RecordedResource } from "../tools/record";
import { CUSTOM_RESOURCE_MODELS, FixtureOutcome, ResourceGraph, UNTAGGABLE_TYPES, policyOf, referenced, synthFixture } from "./helpers";

const T = {
    release: "kubernetes:helm.sh/v3:Release",
    namespace: "kubernetes:core/v1:Namespace",
    secret: "kubernetes:core/v1:Secret",
    configMap: "kubernetes:core/v1:ConfigMap",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    rule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    serviceMonitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
    podMonitor: "kubernetes:monitoring.coreos.com/v1:PodMonitor",
    probe: "kubernetes:monitoring.coreos.com/v1:Probe",
    externalSecret: "kubernetes:external-secrets.io/v1:ExternalSecret",
    secretStore: "kubernetes:external-secrets.io/v1:SecretStore",
    bucket: "aws:s3/bucket:Bucket",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    topic: "aws:sns/topic:Topic",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    key: "aws:kms/key:Key",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    password: "random:index/randomPassword:RandomPassword",
};

const CREDENTIALS_POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "Read", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:db"] }],
});

const ARGS = {
    clusterName: "shop-cluster",
    oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
    oidcProviderUrl: "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
    kubernetesVersion: "1.36",
    nodeAgentNamespace: "node-agents",
    applicationNamespaces: ["api", "jobs"],
    applicationUrl: "https://shop.example.com/healthz",
    runbookBaseUrl: "https://runbooks.example.com/platform",
    prometheus: { replicas: 2, retentionDays: 15, storageGiB: 200 },
    alertmanager: { replicas: 3, storageGiB: 5 },
    logs: { retentionDays: 30 },
    traces: { retentionDays: 14, storageGiB: 100 },
    alerts: PROFILES.prod.observability.alerts,
    alertSubscriptions: [
        { protocol: "email", endpoint: "oncall@example.com" },
        { protocol: "https", endpoint: "https://events.pagerduty.com/integration/abc/enqueue" },
    ],
    database: {
        endpoint: "shop-postgres.c1.us-east-1.rds.amazonaws.com",
        port: 5432,
        databaseName: "app",
        masterUserSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-abc",
        instanceIdentifier: "shop-postgres",
        replicaIdentifiers: ["shop-postgres-replica-1"],
        allocatedStorageGiB: 100,
        redisPrimaryEndpoint: "master.shop-cache.abc.use1.cache.amazonaws.com",
        redisPort: 6379,
        redisAuthSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop-cache-auth",
        redisNodeIds: ["shop-cache-001", "shop-cache-002"],
        credentialsReadPolicyJson: CREDENTIALS_POLICY,
    },
    natGatewayIds: ["nat-0aaaaaaaaaaaaaaaa", "nat-0bbbbbbbbbbbbbbbb", "nat-0cccccccccccccccc"],
    protectStatefulResources: true,
    tags: { environment: "test", project: "fixture" },
};

async function observability(args: Record<string, unknown>): Promise<FixtureOutcome> {
    return synthFixture("observability-program", { "fixture:observabilityArgs": args });
}

function graphOf(outcome: FixtureOutcome): ResourceGraph {
    assert.equal(outcome.error, undefined, outcome.error);
    return outcome.graph!;
}

/** Helm values as recorded, read at any depth (what a chart does with them is not typed). */
interface Tree {
    readonly [key: string]: Tree;
}

function releaseNamed(graph: ResourceGraph, releaseName: string): RecordedResource {
    const found = graph.ofType(T.release).filter((r) => r.inputs.name === releaseName);
    assert.equal(found.length, 1, `one release named ${releaseName}`);
    return found[0];
}

function valuesOf(release: RecordedResource): Tree {
    return release.inputs.values as Tree;
}

/** A leaf of the values that must be a string. */
function text(leaf: Tree): string {
    assert.equal(typeof leaf, "string");
    return leaf as unknown as string;
}

describe("Observability component (alone, plain inputs)", function () {
    let graph: ResourceGraph;

    before(async function () {
        graph = graphOf(await observability(ARGS));
    });

    it("pins every chart to an exact version from its official repository, under an explicit release name", function () {
        const releases = graph.ofType(T.release);
        assert.deepEqual(releases.map((r) => r.inputs.name).sort(), [
            "blackbox-exporter", "fluent-bit", "kube-prometheus-stack", "loki", "postgres-exporter", "redis-exporter", "tempo",
        ]);
        for (const release of releases) {
            assert.match(String(release.inputs.version), /^\d+\.\d+\.\d+$/, `${release.name} version`);
            assert.match(String((release.inputs.repositoryOpts as { repo: string }).repo), /^https:\/\/[a-z-]+\.github\.io\/helm-charts$/, `${release.name} repo`);
            assert.equal(release.inputs.atomic, true);
        }
    });

    it("puts no secret in any chart's values: the Grafana password reaches it only through a Secret", function () {
        const [password] = graph.ofType(T.password);
        const secret = graph.get(T.secret, "shop-grafana-admin");
        assert.ok(secret.propertyDependencies.stringData.includes(password.urn));
        assert.equal(secret.inputs.stringData, "[secret]");
        for (const release of graph.ofType(T.release)) {
            const text = JSON.stringify(release.inputs.values);
            assert.ok(!text.includes("[secret]") && !text.includes("offline-plan-password"), `${release.name} carries a secret in its values`);
            assert.ok(!release.propertyDependencies.values?.includes(password.urn), `${release.name} depends on the password`);
        }
        const grafana = valuesOf(releaseNamed(graph, "kube-prometheus-stack")).grafana;
        assert.deepEqual(grafana.admin, { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
        assert.equal(grafana.adminPassword, undefined);
    });

    it("labels its rules, monitors and probe with the release the operator selects by", function () {
        const stack = valuesOf(releaseNamed(graph, "kube-prometheus-stack"));
        assert.equal(stack.prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues, true);
        assert.equal(stack.prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues, true);
        const selected = [...graph.ofType(T.rule), ...graph.ofType(T.serviceMonitor), ...graph.ofType(T.podMonitor), ...graph.ofType(T.probe)];
        assert.equal(selected.length, 1 + 2 + 2 + 1);
        for (const object of selected) {
            assert.equal((object.inputs.metadata as { labels: Record<string, string> }).labels.release, "kube-prometheus-stack", object.name);
        }
    });

    it("sizes Prometheus and Alertmanager from the arguments, on encrypted gp3 volumes", function () {
        const stack = valuesOf(releaseNamed(graph, "kube-prometheus-stack"));
        const spec = stack.prometheus.prometheusSpec;
        assert.deepEqual([spec.replicas, spec.retention, spec.retentionSize], [2, "15d", "170GB"]);
        assert.deepEqual(spec.storageSpec.volumeClaimTemplate.spec.resources.requests, { storage: "200Gi" });
        assert.equal(spec.storageSpec.volumeClaimTemplate.spec.storageClassName, "gp3");
        const alertmanager = stack.alertmanager.alertmanagerSpec;
        assert.deepEqual([alertmanager.replicas, alertmanager.storage.volumeClaimTemplate.spec.resources.requests.storage], [3, "5Gi"]);
    });

    it("routes critical alerts to the topic through Alertmanager's own IRSA role, which may only publish there", function () {
        const [topic] = graph.ofType(T.topic);
        const release = releaseNamed(graph, "kube-prometheus-stack");
        const stack = valuesOf(release);
        const routes = stack.alertmanager.config.route.routes as unknown as Array<{ matchers: string[]; receiver: string }>;
        const critical = routes.find((r) => r.matchers.includes('severity = "critical"'))!;
        const receivers = stack.alertmanager.config.receivers as unknown as Array<{ name: string; sns_configs?: Array<{ topic_arn: string; sigv4: unknown }> }>;
        const [sns] = receivers.find((r) => r.name === critical.receiver)!.sns_configs!;
        // Alertmanager and the CloudWatch alarms notify the same topic.
        for (const alarm of graph.ofType(T.alarm)) {
            assert.deepEqual(alarm.inputs.alarmActions, [sns.topic_arn], alarm.name);
        }
        assert.deepEqual(sns.sigv4, { region: "us-east-1" });
        assert.equal(stack.alertmanager.config.route.receiver, "none", "warnings stay in Alertmanager");

        const role = graph.get(T.role, "shop-alertmanager");
        assert.ok(release.propertyDependencies.values.includes(topic.urn));
        assert.ok(release.propertyDependencies.values.includes(role.urn));
        // Its own role: not the one Loki's service account carries.
        const roleArn = text(stack.alertmanager.serviceAccount.annotations["eks.amazonaws.com/role-arn"]);
        assert.notEqual(roleArn, text(valuesOf(releaseNamed(graph, "loki")).serviceAccount.annotations["eks.amazonaws.com/role-arn"]));
        assert.equal(stack.alertmanager.serviceAccount.name, "alertmanager");
        const trust = JSON.parse(role.inputs.assumeRolePolicy as string) as { Statement: Array<{ Condition: { StringEquals: Record<string, string> } }> };
        assert.ok(Object.values(trust.Statement[0].Condition.StringEquals).includes("system:serviceaccount:monitoring:alertmanager"));
        const policy = policyOf(graph.get(T.rolePolicy, "shop-alertmanager"));
        assert.deepEqual(policy.Statement.map((s) => s.Action), ["sns:Publish", ["kms:GenerateDataKey*", "kms:Decrypt"]]);
        assert.equal(policy.Statement[0].Resource, sns.topic_arn);
    });

    it("encrypts the topic with its own key, which CloudWatch may use for this account only, and subscribes who was asked", function () {
        const [topic] = graph.ofType(T.topic);
        const key = referenced(graph, topic, "kmsMasterKeyId");
        const statements = policyOf(key).Statement;
        const cloudwatch = statements.find((s) => (s.Principal as { Service?: string }).Service === "cloudwatch.amazonaws.com")!;
        assert.deepEqual(cloudwatch.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
        assert.deepEqual(graph.ofType(T.subscription).map((s) => [s.inputs.protocol, s.inputs.endpoint]), [
            ["email", "oncall@example.com"],
            ["https", "https://events.pagerduty.com/integration/abc/enqueue"],
        ]);
        assert.equal(key.protect, true);
    });

    it("raises a CloudWatch alarm per watched resource, each notifying the topic when it fires and clears", function () {
        const [topic] = graph.ofType(T.topic);
        const alarms = graph.ofType(T.alarm);
        const count = (alarm: string) => alarms.filter((a) => (a.inputs.tags as Record<string, string>).alarm === alarm).length;
        assert.deepEqual(
            ["RdsCpuHigh", "RdsFreeStorageLow", "RdsFreeableMemoryLow", "RdsConnectionsHigh", "RdsReplicaLagHigh", "ElastiCacheMemoryHigh", "ElastiCacheEvictions", "NatGatewayPortAllocationErrors"].map(count),
            [1, 1, 1, 1, 1, 2, 2, 3],
        );
        for (const alarm of alarms) {
            assert.ok(alarm.propertyDependencies.alarmActions.includes(topic.urn), alarm.name);
            assert.ok(alarm.propertyDependencies.okActions.includes(topic.urn), alarm.name);
            assert.match(String(alarm.inputs.alarmDescription), /Runbook: https:\/\/runbooks\.example\.com\/platform#[a-z]+$/);
        }
        const lag = alarms.find((a) => (a.inputs.dimensions as Record<string, string>).DBInstanceIdentifier === "shop-postgres-replica-1")!;
        assert.deepEqual([lag.inputs.metricName, lag.inputs.threshold], ["ReplicaLag", 30]);
    });

    it("keeps Loki's logs in a private, versioned bucket encrypted with its own key, expiring with the retention", function () {
        const [bucket] = graph.ofType(T.bucket);
        const companion = (type: string) => graph.ofType(type).find((r) => r.propertyDependencies.bucket?.includes(bucket.urn))!;
        const rule = (companion(T.lifecycle).inputs.rules as Array<{ expiration: { days: number }; noncurrentVersionExpiration: { noncurrentDays: number } }>)[0];
        assert.equal(rule.expiration.days, 30);
        assert.equal(rule.noncurrentVersionExpiration.noncurrentDays, 1);
        assert.deepEqual((companion(T.versioning).inputs.versioningConfiguration as { status: string }).status, "Enabled");
        assert.deepEqual(
            ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].map((k) => companion(T.publicAccess).inputs[k]),
            [true, true, true, true],
        );
        const encryption = companion(T.encryption);
        const key = referenced(graph, encryption, "rules");
        assert.equal(key.type, T.key);
        assert.equal(bucket.protect, true);
        assert.equal((bucket.inputs.tags as Record<string, string>)["data-kind"], "logs");

        const loki = valuesOf(releaseNamed(graph, "loki"));
        assert.equal(loki.deploymentMode, "Monolithic");
        assert.equal(loki.loki.limits_config.retention_period, "720h");
        assert.equal(loki.loki.compactor.retention_enabled, true);
        assert.equal(loki.loki.storage.bucketNames.ruler, loki.loki.storage.bucketNames.chunks);
        assert.ok(releaseNamed(graph, "loki").propertyDependencies.values.includes(bucket.urn));
    });

    it("lets Loki's role touch only its bucket's objects, through its key and S3", function () {
        const [bucket] = graph.ofType(T.bucket);
        const loki = valuesOf(releaseNamed(graph, "loki"));
        const role = graph.get(T.role, "shop-loki");
        assert.ok(releaseNamed(graph, "loki").propertyDependencies.values.includes(role.urn));
        const policy = policyOf(graph.get(T.rolePolicy, "shop-loki"));
        const bucketArn = `arn:aws:s3:::${text(loki.loki.storage.bucketNames.chunks)}`;
        assert.deepEqual(policy.Statement.map((s) => s.Resource), [bucketArn, `${bucketArn}/*`, policy.Statement[2].Resource]);
        assert.match(String(policy.Statement[2].Resource), /^arn:aws:kms:us-east-1:123456789012:key\//);
        assert.deepEqual(policy.Statement[2].Condition, { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } });
        for (const statement of policy.Statement) {
            assert.notEqual(statement.Resource, "*");
            assert.ok(![statement.Action].flat().some((a) => String(a).endsWith(":*")));
        }
        assert.ok(graph.get(T.rolePolicy, "shop-loki").propertyDependencies.policy.includes(bucket.urn));
        assert.ok(role.inputs.assumeRolePolicy);
    });

    it("runs host agents in the node-agent namespace and everything else in a restricted namespace of its own", function () {
        const monitoring = graph.get(T.namespace, "shop-monitoring");
        const labels = (monitoring.inputs.metadata as { labels: Record<string, string> }).labels;
        assert.equal(labels["pod-security.kubernetes.io/enforce"], "restricted");
        assert.equal(labels["pod-security.kubernetes.io/enforce-version"], "v1.36");
        for (const release of graph.ofType(T.release)) {
            const expected = release.inputs.name === "fluent-bit" ? "node-agents" : "monitoring";
            assert.equal(release.inputs.namespace, expected, String(release.inputs.name));
        }
        const stack = valuesOf(releaseNamed(graph, "kube-prometheus-stack"));
        assert.equal(stack["prometheus-node-exporter"].namespaceOverride, "node-agents");
        assert.deepEqual(valuesOf(releaseNamed(graph, "fluent-bit")).tolerations, [{ operator: "Exists" }]);
    });

    it("gives pods in the restricted namespace the security contexts their charts leave out", function () {
        const redis = valuesOf(releaseNamed(graph, "redis-exporter"));
        assert.deepEqual(redis.podSecurityContext.seccompProfile, { type: "RuntimeDefault" });
        assert.deepEqual(redis.securityContext.capabilities, { drop: ["ALL"] });
        assert.equal(redis.securityContext.allowPrivilegeEscalation, false);
        const tempo = valuesOf(releaseNamed(graph, "tempo"));
        assert.deepEqual(tempo.securityContext.seccompProfile, { type: "RuntimeDefault" });
        assert.deepEqual(tempo.tempo.securityContext.capabilities, { drop: ["ALL"] });
        assert.deepEqual(valuesOf(releaseNamed(graph, "blackbox-exporter")).podSecurityContext.seccompProfile, { type: "RuntimeDefault" });
        assert.equal(valuesOf(releaseNamed(graph, "kube-prometheus-stack")).grafana.initChownData.enabled, false);
    });

    it("receives traces over OTLP only, kept as long as asked", function () {
        const tempo = valuesOf(releaseNamed(graph, "tempo"));
        assert.equal(tempo.tempo.retention, "336h");
        assert.deepEqual(Object.keys(tempo.tempo.receivers.otlp.protocols).sort(), ["grpc", "http"]);
        assert.equal(tempo.tempo.receivers.jaeger, null);
        assert.deepEqual(tempo.persistence, { enabled: true, storageClassName: "gp3", size: "100Gi" });
    });

    it("feeds the exporters from Secrets Manager through a store that reads as its own IRSA role", function () {
        const store = graph.ofType(T.secretStore)[0];
        const spec = store.inputs.spec as { provider: { aws: { service: string; region: string; auth: { jwt: { serviceAccountRef: { name: string } } } } } };
        assert.deepEqual(spec.provider.aws, { service: "SecretsManager", region: "us-east-1", auth: { jwt: { serviceAccountRef: { name: "secret-reader" } } } });
        const synced = graph.ofType(T.externalSecret).map((e) => {
            const s = e.inputs.spec as { target: { name: string }; data: Array<{ secretKey: string; remoteRef: { key: string; property: string } }> };
            return [s.target.name, s.data.map((d) => `${d.secretKey}<-${d.remoteRef.key}:${d.remoteRef.property}`)];
        }).sort(([a], [b]) => String(a).localeCompare(String(b)));
        assert.deepEqual(synced, [
            ["postgres-exporter-credentials", ["username<-arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-abc:username", "password<-arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-abc:password"]],
            ["redis-exporter-credentials", ["authToken<-arn:aws:secretsmanager:us-east-1:123456789012:secret:shop-cache-auth:authToken"]],
        ]);
        assert.equal(graph.get(T.rolePolicy, "shop-secret-reader").inputs.policy, CREDENTIALS_POLICY);
        const postgres = valuesOf(releaseNamed(graph, "postgres-exporter")).config.datasource;
        assert.deepEqual([postgres.host, postgres.sslmode, postgres.passwordSecret], ["shop-postgres.c1.us-east-1.rds.amazonaws.com", "require", { name: "postgres-exporter-credentials", key: "password" }]);
        const redis = valuesOf(releaseNamed(graph, "redis-exporter"));
        assert.equal(redis.redisAddress, "rediss://master.shop-cache.abc.use1.cache.amazonaws.com:6379");
        assert.deepEqual(redis.auth.secret, { name: "redis-exporter-credentials", key: "authToken" });
    });

    it("probes the application's URL over HTTPS and scrapes each application namespace through its default-deny", function () {
        const [probe] = graph.ofType(T.probe);
        const spec = probe.inputs.spec as { jobName: string; module: string; targets: { staticConfig: { static: string[] } } };
        assert.deepEqual([spec.jobName, spec.module, spec.targets.staticConfig.static], ["application-probe", "https_2xx", ["https://shop.example.com/healthz"]]);
        const modules = valuesOf(releaseNamed(graph, "blackbox-exporter")).config.modules;
        assert.equal(modules[spec.module].http.fail_if_not_ssl, true as unknown as Tree);
        for (const namespace of ["api", "jobs"]) {
            const policies = graph.ofType(T.networkPolicy).filter((p) => (p.inputs.metadata as { namespace: string }).namespace === namespace);
            assert.deepEqual(policies.map((p) => (p.inputs.metadata as { name: string }).name).sort(), ["allow-prometheus-scrape", "allow-traces-to-tempo"]);
            const monitor = graph.ofType(T.podMonitor).find((p) => (p.inputs.metadata as { namespace: string }).namespace === namespace)!;
            assert.equal((monitor.inputs.spec as { podMetricsEndpoints: Array<{ port: string }> }).podMetricsEndpoints[0].port, "metrics");
        }
    });

    it("provisions the three dashboards as ConfigMaps the Grafana sidecar picks up", function () {
        const maps = graph.ofType(T.configMap);
        assert.deepEqual(maps.map((m) => (m.inputs.metadata as { name: string }).name).sort(), ["dashboard-application-red", "dashboard-cluster-overview", "dashboard-postgresql"]);
        for (const map of maps) {
            assert.equal((map.inputs.metadata as { labels: Record<string, string> }).labels.grafana_dashboard, "1");
            const [json] = Object.values(map.inputs.data as Record<string, string>);
            assert.ok((JSON.parse(json) as { panels: unknown[] }).panels.length > 5);
        }
        const sidecar = valuesOf(releaseNamed(graph, "kube-prometheus-stack")).grafana.sidecar.dashboards;
        assert.deepEqual([sidecar.label, sidecar.labelValue, sidecar.searchNamespace], ["grafana_dashboard", "1", "monitoring"]);
    });

    it("waits for the operator's CRDs before its custom resources, and for the synced secrets before the exporters", function () {
        const operator = releaseNamed(graph, "kube-prometheus-stack");
        for (const object of [...graph.ofType(T.rule), ...graph.ofType(T.serviceMonitor), ...graph.ofType(T.podMonitor), ...graph.ofType(T.probe)]) {
            assert.ok(object.dependencies.includes(operator.urn), object.name);
        }
        const secrets = graph.ofType(T.externalSecret).map((e) => e.urn);
        for (const exporter of ["postgres-exporter", "redis-exporter"]) {
            const deps = releaseNamed(graph, exporter).dependencies;
            assert.ok(secrets.every((urn) => deps.includes(urn)), exporter);
        }
    });

    it("registers only objects valid against the Kubernetes and CRD schemas", async function () {
        assert.deepEqual(await validateKubernetesObjects(graph.resources, { customResourceModels: CUSTOM_RESOURCE_MODELS }), []);
    });

    it("tags every taggable AWS resource and parents every child to the component", function () {
        const component = graph.ofType("platform:index:Observability")[0];
        for (const resource of graph.resources.filter((r) => r.type.startsWith("aws:") && !UNTAGGABLE_TYPES.has(r.type))) {
            assert.equal((resource.inputs.tags as Record<string, string> | undefined)?.project, "fixture", `${resource.type} ${resource.name}`);
        }
        const ancestors = (r: RecordedResource): string[] => (r.parent ? [r.parent, ...ancestors(graph.urn(r.parent)!)] : []);
        for (const resource of graph.resources.filter((r) => r !== component && r.type !== "pulumi:pulumi:Stack" && r.name !== "cluster")) {
            assert.ok(ancestors(resource).includes(component.urn), `${resource.type} ${resource.name}`);
        }
    });
});

describe("Observability component: bad arguments", function () {
    it("rejects them all at once, each named, before creating anything", async function () {
        const outcome = await observability({
            ...ARGS,
            applicationUrl: "http://shop.example.com",
            prometheus: { replicas: 0, retentionDays: 15, storageGiB: 200 },
            alerts: { ...ARGS.alerts, errorRatePercent: 150 },
            alertSubscriptions: [{ protocol: "email", endpoint: "not-an-address" }],
            namespace: "node-agents",
        });
        assert.ok(outcome.error, "expected the program to fail");
        for (const expected of [
            'applicationUrl: got "http://shop.example.com"; expected the application\'s public https:// URL',
            "prometheus.replicas: got 0; expected a whole number from 1 to 3",
            "alerts.errorRatePercent: got 150; expected a percentage from 1 to 99",
            'alertSubscriptions[0].endpoint: got "not-an-address"; expected an email address for protocol "email"',
            'namespace: got "node-agents"; expected a namespace of its own',
        ]) {
            assert.ok(outcome.error.includes(expected), `${expected}\nnot in\n${outcome.error}`);
        }
        assert.deepEqual(outcome.resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && r.type !== "platform:index:Observability" && r.name !== "cluster"), []);
    });
});
