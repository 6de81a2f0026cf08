/**
 * The Argo Rollouts controller: its own restricted namespace behind default-deny, the pinned
 * chart with metrics scraped by the platform's Prometheus, and (when it checks the ALB's target
 * groups) an IRSA role that may only describe load balancers.
 */
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceAccountRole } from "../cluster/serviceAccountRole";
import { PLATFORM_CRITICAL_PRIORITY_CLASS, PLATFORM_LABELS, PodSecurityLevel, addonNetworkPolicies, podSecurityLabels } from "../cluster/tenancy";
import { PROMETHEUS_POD_LABELS } from "../observability/monitors";
import { PolicyDocument, policyDocument } from "../shared/aws";
import { helmRelease } from "../shared/helm";
import { DeliverySettings } from "./settings";
import { ARGO_ROLLOUTS_CHART } from "./versions";

/** The release's name, which the chart also gives the controller's service account. */
export const CONTROLLER_RELEASE = "argo-rollouts";
/** The controller's metrics port (the chart's `controller.metrics.service.port`). */
export const CONTROLLER_METRICS_PORT = 8090;
/** Prometheus' port: the controller queries it for every analysis. */
const PROMETHEUS_PORT = 9090;

/** What `--aws-verify-target-group` reads. Describe calls take no resource-level permissions: IAM accepts only "*" for them. */
export function targetGroupVerificationPolicy(): PolicyDocument {
    return policyDocument({
        Sid: "DescribeLoadBalancersAndTargetGroups",
        Effect: "Allow",
        Action: [
            "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeRules",
            "elasticloadbalancing:DescribeTags",
            "elasticloadbalancing:DescribeTargetHealth",
        ],
        Resource: "*",
    });
}

export interface ControllerValuesInputs {
    settings: DeliverySettings;
    region: string;
    releaseLabel: string;
    /** The IRSA role, when target groups are verified. */
    roleArn?: string;
}

export function controllerValues(i: ControllerValuesInputs): Record<string, unknown> {
    const c = i.settings.controller;
    return {
        fullnameOverride: CONTROLLER_RELEASE,
        installCRDs: true,
        // Deleting the release must not delete every Rollout in the cluster with its CRD.
        keepCRDs: true,
        controller: {
            replicas: c.replicas,
            priorityClassName: PLATFORM_CRITICAL_PRIORITY_CLASS,
            resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
            pdb: { enabled: c.replicas > 1, maxUnavailable: 1 },
            topologySpreadConstraints: [
                { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { "app.kubernetes.io/name": CONTROLLER_RELEASE } } },
            ],
            metrics: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { release: i.releaseLabel } } },
            awsVerifyTargetGroup: c.verifyTargetGroups,
            // The controller takes its AWS region from the environment only.
            extraEnv: c.verifyTargetGroups ? [{ name: "AWS_REGION", value: i.region }] : [],
        },
        podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
        serviceAccount: { create: true, name: CONTROLLER_RELEASE, annotations: i.roleArn === undefined ? {} : { "eks.amazonaws.com/role-arn": i.roleArn } },
        dashboard: { enabled: false },
        // Reading the load balancer controller's TargetGroupBindings is how it finds the target groups to verify.
        providerRBAC: { providers: { awsLoadBalancerController: true } },
    };
}

export interface ControllerInputs {
    settings: DeliverySettings;
    kubernetesVersion: string;
    oidcProviderArn: pulumi.Input<string>;
    oidcProviderUrl: pulumi.Input<string>;
    region: pulumi.Input<string>;
    monitoringNamespace: pulumi.Input<string>;
    releaseLabel: pulumi.Input<string>;
    tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Beyond DNS and HTTPS out (the API server; the ELB API and STS when verifying): Prometheus queries out, scrapes in. */
function networkPolicies(name: string, ns: string, monitoringNamespace: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): void {
    const prometheus = {
        namespaceSelector: { matchLabels: pulumi.output(monitoringNamespace).apply((m) => ({ "kubernetes.io/metadata.name": m })) },
        podSelector: { matchLabels: PROMETHEUS_POD_LABELS },
    };
    addonNetworkPolicies(name, ns, {
        "allow-prometheus-queries": { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [prometheus], ports: [{ protocol: "TCP", port: PROMETHEUS_PORT }] }] },
        "allow-prometheus-scrapes": { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [prometheus], ports: [{ protocol: "TCP", port: CONTROLLER_METRICS_PORT }] }] },
    }, opts);
}

/** Installs the controller; returns the release, which everything using its CRDs waits for. */
export function rolloutController(name: string, i: ControllerInputs, parent: pulumi.Resource, dependsOn: pulumi.CustomResourceOptions["dependsOn"]): kubernetes.helm.v3.Release {
    const ns = i.settings.controller.namespace;
    const role = i.settings.controller.verifyTargetGroups
        ? new ServiceAccountRole(
              `${name}-argo-rollouts`,
              {
                  oidcProviderArn: i.oidcProviderArn,
                  oidcProviderUrl: i.oidcProviderUrl,
                  namespace: ns,
                  serviceAccountName: CONTROLLER_RELEASE,
                  policyJson: JSON.stringify(targetGroupVerificationPolicy()),
                  tags: i.tags,
              },
              { parent },
          )
        : undefined;
    const namespace = new kubernetes.core.v1.Namespace(
        `${name}-${ns}`,
        { metadata: { name: ns, labels: { ...PLATFORM_LABELS, ...podSecurityLabels(PodSecurityLevel.Restricted, i.kubernetesVersion) } } },
        { parent, dependsOn },
    );
    networkPolicies(name, ns, i.monitoringNamespace, { parent, dependsOn: [namespace] });
    return helmRelease(`${name}-argo-rollouts`, ARGO_ROLLOUTS_CHART, {
        namespace: ns,
        releaseName: CONTROLLER_RELEASE,
        values: pulumi
            .all([i.region, i.releaseLabel, role?.roleArn])
            .apply(([region, releaseLabel, roleArn]) => controllerValues({ settings: i.settings, region, releaseLabel, roleArn })),
    }, { parent, dependsOn: [namespace] });
}
