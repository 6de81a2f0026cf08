import assert from "node:assert/strict";
import { RecordedResource } from "../tools/record";
import { FixtureOutcome, ResourceGraph, UNTAGGABLE_TYPES, policyOf, referenced, synthFixture } from "./helpers";

const T = {
    cluster: "aws:eks/cluster:Cluster",
    key: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    addon: "aws:eks/addon:Addon",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    accessEntry: "aws:eks/accessEntry:AccessEntry",
    accessPolicy: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    oidc: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    release: "kubernetes:helm.sh/v3:Release",
    k8sProvider: "pulumi:providers:kubernetes",
    namespace: "kubernetes:core/v1:Namespace",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
    storageClassPatch: "kubernetes:storage.k8s.io/v1:StorageClassPatch",
    serviceAccountRole: "platform:index:ServiceAccountRole",
};

const ADMIN_ROLE = "arn:aws:iam::123456789012:role/platform-admin";

/** A production-like cluster: three private subnets, a tainted system group and a spot group. */
const BASE = {
    vpcId: "vpc-0123456789abcdef0",
    privateSubnetIds: ["subnet-00000000000000001", "subnet-00000000000000002", "subnet-00000000000000003"],
    kubernetesVersion: "1.36",
    adminRoleArns: [ADMIN_ROLE],
    controlPlaneLogRetentionDays: 90,
    nodeGroups: [
        {
            name: "system",
            instanceTypes: ["m6i.large"],
            minSize: 2,
            maxSize: 3,
            desiredSize: 2,
            taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
        },
        { name: "workload", instanceTypes: ["m6i.xlarge", "m6a.xlarge"], capacityType: "SPOT", minSize: 2, maxSize: 6, desiredSize: 2, diskSizeGiB: 80 },
    ],
    addonVersions: {
        vpcCni: "v1.22.4-eksbuild.3",
        coredns: "v1.14.3-eksbuild.3",
        kubeProxy: "v1.36.0-eksbuild.14",
        ebsCsiDriver: "v1.66.0-eksbuild.1",
        podIdentityAgent: "v1.3.10-eksbuild.3",
    },
    applicationNamespaces: [
        {
            name: "api",
            quota: { requestsCpu: "4", requestsMemory: "8Gi", limitsCpu: "8", limitsMemory: "16Gi", pods: 50, persistentVolumeClaims: 5, requestsStorage: "50Gi" },
            limits: { defaultRequestCpu: "100m", defaultRequestMemory: "128Mi", defaultLimitCpu: "500m", defaultLimitMemory: "512Mi", maxCpu: "2", maxMemory: "4Gi" },
        },
    ],
    tags: { environment: "test", stack: "test", project: "fixture", "managed-by": "pulumi" },
};

async function cluster(overrides: Record<string, unknown> = {}): Promise<FixtureOutcome> {
    return synthFixture("cluster-program", { "fixture:clusterArgs": { ...BASE, ...overrides } });
}

async function clusterGraph(overrides: Record<string, unknown> = {}): Promise<ResourceGraph> {
    const outcome = await cluster(overrides);
    assert.equal(outcome.error, undefined, outcome.error);
    return outcome.graph!;
}

/** The IAM role a ServiceAccountRole component created. */
function roleOf(graph: ResourceGraph, componentName: string): RecordedResource {
    const component = graph.get(T.serviceAccountRole, componentName);
    return graph.childrenOf(component).find((r) => r.type === T.role)!;
}

function trustedSubject(role: RecordedResource): string[] {
    const statements = policyOf(role, "assumeRolePolicy").Statement;
    return statements.map((s) => {
        const equals = (s.Condition as { StringEquals: Record<string, string> }).StringEquals;
        const subKeys = Object.keys(equals).filter((k) => k.endsWith(":sub"));
        assert.equal(subKeys.length, 1);
        return equals[subKeys[0]];
    });
}

describe("Cluster component (alone, plain inputs)", function () {
    let graph: ResourceGraph;
    let eks: RecordedResource;

    before(async function () {
        graph = await clusterGraph();
        eks = graph.get(T.cluster, "eks");
    });

    describe("control plane", function () {
        it("encrypts secrets with its own rotating customer-managed key", function () {
            const encryption = eks.inputs.encryptionConfig as { provider: { keyArn: string }; resources: string[] };
            assert.deepEqual(encryption.resources, ["secrets"]);
            const key = referenced(graph, eks, "encryptionConfig");
            assert.equal(key.type, T.key);
            assert.equal(key.name, "eks-secrets");
            assert.equal(key.inputs.enableKeyRotation, true);
            assert.ok(encryption.provider.keyArn.startsWith("arn:aws:kms:"));
        });

        it("sends every control-plane log type to a log group it created first, with retention and a key", function () {
            assert.deepEqual(eks.inputs.enabledClusterLogTypes, ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
            const group = graph.get(T.logGroup, "eks-control-plane");
            assert.equal(group.inputs.name, "/aws/eks/eks/cluster");
            assert.equal(group.inputs.retentionInDays, 90);
            assert.equal(referenced(graph, group, "kmsKeyId").type, T.key);
            assert.ok(eks.dependencies.includes(group.urn), "the cluster must wait for its log group");
        });

        it("keeps the API endpoint private when no public CIDRs are given", function () {
            const vpc = eks.inputs.vpcConfig as Record<string, unknown>;
            assert.equal(vpc.endpointPrivateAccess, true);
            assert.equal(vpc.endpointPublicAccess, false);
            assert.equal(vpc.publicAccessCidrs, undefined);
            assert.deepEqual(vpc.subnetIds, BASE.privateSubnetIds);
        });

        it("authenticates through access entries only, without a hidden creator grant", function () {
            assert.deepEqual(eks.inputs.accessConfig, { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false });
            assert.equal(eks.inputs.bootstrapSelfManagedAddons, false);
            const configMaps = graph.resources.filter((r) => r.type === "kubernetes:core/v1:ConfigMap" && (r.inputs.metadata as { name?: string })?.name === "aws-auth");
            assert.deepEqual(configMaps, []);
        });

        it("gives cluster admin to each configured role and to the deployer", function () {
            const principals = graph.ofType(T.accessEntry).map((e) => e.inputs.principalArn).sort();
            // The mock caller is an IAM user, which is its own session issuer.
            assert.deepEqual(principals, [ADMIN_ROLE, "arn:aws:iam::123456789012:user/offline-plan"].sort());
            for (const association of graph.ofType(T.accessPolicy)) {
                assert.equal(association.inputs.policyArn, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
                assert.deepEqual(association.inputs.accessScope, { type: "cluster" });
            }
            assert.equal(graph.ofType(T.accessPolicy).length, 2);
        });

        it("the cluster role carries AmazonEKSClusterPolicy and its secrets-key use, nothing else", function () {
            const role = referenced(graph, eks, "roleArn");
            const attached = graph.ofType(T.attachment).filter((a) => referenced(graph, a, "role").urn === role.urn);
            assert.deepEqual(attached.map((a) => a.inputs.policyArn), ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]);
            const inline = graph.ofType(T.rolePolicy).filter((p) => referenced(graph, p, "role").urn === role.urn);
            assert.equal(inline.length, 1);
            const statement = policyOf(inline[0]).Statement[0];
            assert.deepEqual(statement.Action, ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]);
            assert.equal(statement.Resource, (eks.inputs.encryptionConfig as { provider: { keyArn: string } }).provider.keyArn);
        });

        it("sets the upgrade policy, zonal shift and a fixed service CIDR", function () {
            assert.deepEqual(eks.inputs.upgradePolicy, { supportType: "STANDARD" });
            assert.deepEqual(eks.inputs.zonalShiftConfig, { enabled: true });
            assert.equal((eks.inputs.kubernetesNetworkConfig as { serviceIpv4Cidr: string }).serviceIpv4Cidr, "172.20.0.0/16");
            assert.equal(eks.inputs.version, "1.36");
            assert.equal(eks.inputs.deletionProtection, false);
        });

        it("trusts the cluster's OIDC issuer for STS", function () {
            const oidc = graph.get(T.oidc, "eks-oidc");
            assert.match(String(oidc.inputs.url), /^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
            assert.deepEqual(oidc.inputs.clientIdLists, ["sts.amazonaws.com"]);
            assert.equal(graph.outputs.oidcProviderUrl, oidc.inputs.url);
        });
    });

    describe("nodes", function () {
        it("launch templates require IMDSv2 with one hop, encrypt a gp3 root volume and set no SSH key", function () {
            const templates = graph.ofType(T.launchTemplate);
            assert.equal(templates.length, 2);
            for (const template of templates) {
                assert.deepEqual(template.inputs.metadataOptions, {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: 1,
                    instanceMetadataTags: "disabled",
                });
                assert.equal(template.inputs.keyName, undefined);
                const [root] = template.inputs.blockDeviceMappings as Array<{ deviceName: string; ebs: Record<string, unknown> }>;
                assert.equal(root.deviceName, "/dev/xvda");
                assert.equal(root.ebs.volumeType, "gp3");
                assert.equal(root.ebs.encrypted, "true");
                assert.equal(referenced(graph, template, "blockDeviceMappings").name, "eks-volumes");
            }
            assert.equal((graph.get(T.launchTemplate, "eks-workload").inputs.blockDeviceMappings as Array<{ ebs: { volumeSize: number } }>)[0].ebs.volumeSize, 80);
            assert.equal((graph.get(T.launchTemplate, "eks-system").inputs.blockDeviceMappings as Array<{ ebs: { volumeSize: number } }>)[0].ebs.volumeSize, 50);
        });

        it("puts the cluster security group and the node security group on every node", function () {
            for (const template of graph.ofType(T.launchTemplate)) {
                const groups = template.inputs.vpcSecurityGroupIds as string[];
                assert.deepEqual(groups, [graph.outputs.clusterSecurityGroupId, graph.outputs.nodeSecurityGroupId]);
            }
            const nodeGroup = graph.get("aws:ec2/securityGroup:SecurityGroup", "eks-nodes");
            // The load balancer controller wants exactly one group per node with the cluster tag: EKS's own.
            assert.equal(Object.keys(nodeGroup.inputs.tags as object).some((k) => k.startsWith("kubernetes.io/cluster/")), false);
        });

        it("node groups follow their arguments: capacity, sizes, labels, taints; the autoscaler owns the count", function () {
            const system = graph.get(T.nodeGroup, "eks-system");
            const workload = graph.get(T.nodeGroup, "eks-workload");
            assert.equal(system.inputs.capacityType, "ON_DEMAND");
            assert.equal(workload.inputs.capacityType, "SPOT");
            assert.deepEqual(workload.inputs.instanceTypes, ["m6i.xlarge", "m6a.xlarge"]);
            assert.deepEqual(system.inputs.scalingConfig, { minSize: 2, maxSize: 3, desiredSize: 2 });
            assert.deepEqual(system.inputs.taints, [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }]);
            assert.deepEqual(workload.inputs.taints, []);
            assert.deepEqual(system.inputs.labels, { "platform/node-group": "system" });
            assert.equal(system.inputs.amiType, "AL2023_x86_64_STANDARD");
            assert.equal(system.inputs.version, "1.36");
            for (const group of [system, workload]) {
                assert.deepEqual(group.ignoreChanges, ["scalingConfig.desiredSize"]);
                assert.equal(referenced(graph, group, "launchTemplate").type, T.launchTemplate);
                assert.deepEqual(group.inputs.subnetIds, BASE.privateSubnetIds);
            }
        });

        it("the node role holds only the worker and image-pull policies", function () {
            const system = graph.get(T.nodeGroup, "eks-system");
            const role = referenced(graph, system, "nodeRoleArn");
            const attached = graph.ofType(T.attachment).filter((a) => referenced(graph, a, "role").urn === role.urn);
            assert.deepEqual(attached.map((a) => a.inputs.policyArn).sort(), [
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
                "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
            ]);
            assert.equal(graph.ofType(T.rolePolicy).filter((p) => referenced(graph, p, "role").urn === role.urn).length, 0);
        });

        it("networking add-ons come before the nodes, DNS and storage after them", function () {
            const addon = (name: string) => graph.get(T.addon, `eks-${name}`);
            const nodeGroups = graph.ofType(T.nodeGroup);
            for (const group of nodeGroups) {
                for (const before of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) {
                    assert.ok(group.dependencies.includes(addon(before).urn), `${group.name} must wait for ${before}`);
                }
            }
            for (const after of ["coredns", "aws-ebs-csi-driver"]) {
                for (const group of nodeGroups) {
                    assert.ok(addon(after).dependencies.includes(group.urn), `${after} must wait for ${group.name}`);
                }
            }
        });
    });

    describe("add-ons and identity", function () {
        it("pins every managed add-on to the configured version; vpc-cni enforces network policy", function () {
            const versions = Object.fromEntries(graph.ofType(T.addon).map((a) => [String(a.inputs.addonName), String(a.inputs.addonVersion)]));
            assert.deepEqual(versions, {
                "vpc-cni": BASE.addonVersions.vpcCni,
                coredns: BASE.addonVersions.coredns,
                "kube-proxy": BASE.addonVersions.kubeProxy,
                "aws-ebs-csi-driver": BASE.addonVersions.ebsCsiDriver,
                "eks-pod-identity-agent": BASE.addonVersions.podIdentityAgent,
            });
            assert.deepEqual(JSON.parse(String(graph.get(T.addon, "eks-vpc-cni").inputs.configurationValues)), { enableNetworkPolicy: "true" });
        });

        it("each service-account role trusts only the service account that uses it", function () {
            const cni = graph.get(T.addon, "eks-vpc-cni");
            const ebs = graph.get(T.addon, "eks-aws-ebs-csi-driver");
            assert.equal(referenced(graph, cni, "serviceAccountRoleArn").urn, roleOf(graph, "eks-vpc-cni").urn);
            assert.equal(referenced(graph, ebs, "serviceAccountRoleArn").urn, roleOf(graph, "eks-ebs-csi").urn);
            assert.deepEqual(trustedSubject(roleOf(graph, "eks-vpc-cni")), ["system:serviceaccount:kube-system:aws-node"]);
            assert.deepEqual(trustedSubject(roleOf(graph, "eks-ebs-csi")), ["system:serviceaccount:kube-system:ebs-csi-controller-sa"]);

            const releaseValues = (chart: string) => graph.get(T.release, `eks-${chart}`).inputs.values as Record<string, Record<string, unknown>>;
            const lb = releaseValues("aws-load-balancer-controller").serviceAccount as { name: string; annotations: Record<string, string> };
            const lbRole = roleOf(graph, "eks-aws-load-balancer-controller");
            assert.deepEqual(trustedSubject(lbRole), [`system:serviceaccount:kube-system:${lb.name}`]);
            // The annotation is wired to that role, and to no other add-on's.
            const lbRelease = graph.get(T.release, "eks-aws-load-balancer-controller");
            assert.ok(lbRelease.propertyDependencies.values.includes(lbRole.urn));
            assert.ok(!lbRelease.propertyDependencies.values.includes(roleOf(graph, "eks-cluster-autoscaler").urn));
            assert.match(lb.annotations["eks.amazonaws.com/role-arn"], /^arn:aws:iam::123456789012:role\//);
            const ca = (releaseValues("cluster-autoscaler").rbac as { serviceAccount: { name: string } }).serviceAccount;
            assert.deepEqual(trustedSubject(roleOf(graph, "eks-cluster-autoscaler")), [`system:serviceaccount:kube-system:${ca.name}`]);

            const oidcArn = graph.outputs.oidcProviderArn;
            for (const component of graph.ofType(T.serviceAccountRole)) {
                const role = roleOf(graph, component.name);
                const statements = policyOf(role, "assumeRolePolicy").Statement;
                assert.deepEqual(statements.map((s) => s.Principal), [{ Federated: oidcArn }], component.name);
                assert.deepEqual(statements.map((s) => s.Action), ["sts:AssumeRoleWithWebIdentity"], component.name);
            }
        });

        it("every Helm release is pinned to an exact chart version from an official HTTPS repository", function () {
            const releases = graph.ofType(T.release);
            assert.deepEqual(releases.map((r) => r.inputs.chart).sort(), ["aws-load-balancer-controller", "cluster-autoscaler", "external-secrets", "metrics-server"]);
            const official = [
                "https://kubernetes-sigs.github.io/metrics-server/",
                "https://aws.github.io/eks-charts",
                "https://kubernetes.github.io/autoscaler",
                "https://charts.external-secrets.io",
            ];
            for (const release of releases) {
                assert.match(String(release.inputs.version), /^\d+\.\d+\.\d+$/, `${release.name} version`);
                assert.ok(official.includes((release.inputs.repositoryOpts as { repo: string }).repo), `${release.name} repo`);
                assert.equal(release.inputs.atomic, true);
            }
        });

        it("platform add-ons run on the system nodes, tolerating their taint", function () {
            type Placement = { nodeSelector: Record<string, string>; tolerations: Array<Record<string, string>> };
            for (const release of graph.ofType(T.release)) {
                // External Secrets places its controller, webhook and certificate controller through `global`.
                const values = release.inputs.values as Placement & { global?: Placement };
                const placement = values.global ?? values;
                assert.deepEqual(placement.nodeSelector, { "platform/node-group": "system" }, release.name);
                assert.deepEqual(placement.tolerations, [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }], release.name);
            }
        });

        it("External Secrets installs its CRDs and holds no AWS role: each SecretStore brings its own", function () {
            const eso = graph.get(T.release, "eks-external-secrets");
            const values = eso.inputs.values as Record<string, unknown>;
            assert.equal(values.installCRDs, true);
            assert.equal(JSON.stringify(values).includes("eks.amazonaws.com/role-arn"), false);
            assert.equal(graph.ofType(T.role).some((r) => r.name.includes("external-secrets")), false);
            assert.deepEqual([values.replicaCount, values.leaderElect], [2, true]);
        });

        it("the load balancer controller and the autoscaler get the cluster, region and VPC explicitly", function () {
            const lb = graph.get(T.release, "eks-aws-load-balancer-controller").inputs.values as Record<string, unknown>;
            assert.deepEqual([lb.clusterName, lb.region, lb.vpcId], ["eks", "us-east-1", BASE.vpcId]);
            const ca = graph.get(T.release, "eks-cluster-autoscaler").inputs.values as { autoDiscovery: { clusterName: string }; awsRegion: string; image: { tag: string } };
            assert.deepEqual([ca.autoDiscovery.clusterName, ca.awsRegion, ca.image.tag], ["eks", "us-east-1", "v1.36.1"]);
        });

        it("every Kubernetes object and release uses the cluster's provider, built from its kubeconfig", function () {
            const [provider] = graph.ofType(T.k8sProvider);
            assert.equal(provider.inputs.kubeconfig, "[secret]");
            const inCluster = graph.resources.filter((r) => r.type.startsWith("kubernetes:"));
            assert.ok(inCluster.length >= 12);
            for (const r of inCluster) {
                assert.equal(r.provider, provider.urn, `${r.name} (${r.type})`);
            }
            assert.equal(graph.outputs.kubeconfig, "[secret]");
        });

        it("the provider waits for the admin access entries", function () {
            const [provider] = graph.ofType(T.k8sProvider);
            for (const association of graph.ofType(T.accessPolicy)) {
                assert.ok(provider.dependencies.includes(association.urn));
            }
        });

        it("gp3 is the encrypted default storage class; gp2 is marked not default", function () {
            const gp3 = graph.get(T.storageClass, "eks-gp3");
            assert.deepEqual((gp3.inputs.metadata as { annotations: object }).annotations, { "storageclass.kubernetes.io/is-default-class": "true" });
            assert.equal(gp3.inputs.provisioner, "ebs.csi.aws.com");
            const parameters = gp3.inputs.parameters as Record<string, string>;
            assert.equal(parameters.type, "gp3");
            assert.equal(parameters.encrypted, "true");
            assert.equal(referenced(graph, gp3, "parameters").name, "eks-volumes");
            assert.equal(gp3.inputs.volumeBindingMode, "WaitForFirstConsumer");
            assert.equal(gp3.inputs.reclaimPolicy, "Delete");
            const gp2 = graph.get(T.storageClassPatch, "eks-gp2-not-default");
            assert.deepEqual(gp2.inputs.metadata, { name: "gp2", annotations: { "storageclass.kubernetes.io/is-default-class": "false" } });
        });
    });

    describe("tenancy", function () {
        it("application namespaces enforce the restricted pod security profile; node agents get their own", function () {
            const labels = (name: string) => (graph.get(T.namespace, name).inputs.metadata as { labels: Record<string, string> }).labels;
            assert.equal(labels("eks-api")["pod-security.kubernetes.io/enforce"], "restricted");
            assert.equal(labels("eks-api")["pod-security.kubernetes.io/enforce-version"], "v1.36");
            // The ALB's target health gates the application pods' readiness; node agents sit behind no ALB.
            assert.equal(labels("eks-api")["elbv2.k8s.aws/pod-readiness-gate-inject"], "enabled");
            assert.equal(labels("eks-node-agents")["elbv2.k8s.aws/pod-readiness-gate-inject"], undefined);
            assert.equal(labels("eks-node-agents")["pod-security.kubernetes.io/enforce"], "privileged");
            assert.equal(labels("eks-node-agents")["pod-security.kubernetes.io/warn"], "baseline");
            assert.deepEqual(graph.outputs.namespaceNames, ["api", "node-agents"]);
            assert.equal(graph.outputs.nodeAgentNamespace, "node-agents");
        });

        it("each application namespace has a quota, container limits, default-deny and a DNS allowance", function () {
            const inApi = graph.resources.filter((r) => (r.inputs.metadata as { namespace?: string } | undefined)?.namespace === "api");
            assert.deepEqual(inApi.map((r) => `${String(r.inputs.kind)}/${(r.inputs.metadata as { name: string }).name}`).sort(), [
                "LimitRange/container-limits",
                "NetworkPolicy/allow-dns",
                "NetworkPolicy/default-deny",
                "ResourceQuota/quota",
            ]);
            const quota = inApi.find((r) => r.inputs.kind === "ResourceQuota")!;
            assert.equal((quota.inputs.spec as { hard: Record<string, string> }).hard["requests.cpu"], "4");
            const deny = inApi.find((r) => (r.inputs.metadata as { name: string }).name === "default-deny")!;
            assert.deepEqual(deny.inputs.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        });

        it("priority classes for the platform and the application, neither the global default", function () {
            const classes = graph.ofType("kubernetes:scheduling.k8s.io/v1:PriorityClass");
            const byName = Object.fromEntries(classes.map((c) => [(c.inputs.metadata as { name: string }).name, c.inputs]));
            assert.deepEqual(Object.keys(byName).sort(), ["application", "platform-critical"]);
            assert.ok((byName["platform-critical"].value as number) > (byName.application.value as number));
            assert.ok((byName["platform-critical"].value as number) < 1_000_000_000, "user classes must stay below the system range");
            assert.equal(byName.application.globalDefault, false);
        });
    });

    it("tags every taggable AWS resource and protects nothing when not asked to", function () {
        for (const r of graph.resources.filter((x) => x.custom && x.type.startsWith("aws:") && !UNTAGGABLE_TYPES.has(x.type))) {
            assert.equal((r.inputs.tags as Record<string, string> | undefined)?.["managed-by"], "pulumi", `${r.name} (${r.type})`);
        }
        assert.deepEqual(graph.resources.filter((r) => r.protect), []);
    });
});

describe("Cluster component variants", function () {
    const rejected: Array<[string, Record<string, unknown>, RegExp]> = [
        ["the whole internet on the public endpoint", { publicAccessCidrs: ["0.0.0.0/0"] }, /publicAccessCidrs\[0\]: got "0\.0\.0\.0\/0"/],
        ["an unsupported Kubernetes version", { kubernetesVersion: "1.29" }, /kubernetesVersion: got "1\.29"; expected one of "1\.36", "1\.35"/],
        ["a kube-proxy of another minor", { addonVersions: { ...BASE.addonVersions, kubeProxy: "v1.35.3-eksbuild.13" } }, /addonVersions\.kubeProxy: got "v1\.35\.3-eksbuild\.13"; expected a v1\.36\.x build/],
        ["a user ARN as admin", { adminRoleArns: ["arn:aws:iam::123456789012:user/alice"] }, /adminRoleArns\[0\]: got "arn:aws:iam::123456789012:user\/alice"/],
        ["only tainted node groups", { nodeGroups: [BASE.nodeGroups[0]] }, /every node group has a NoSchedule or NoExecute taint/],
        ["no system node group", { nodeGroups: [BASE.nodeGroups[1]] }, /systemNodeGroupName: got "system"; expected the name of one of the node groups/],
        ["an application namespace named kube-system", { applicationNamespaces: [{ ...BASE.applicationNamespaces[0], name: "kube-system" }] }, /applicationNamespaces\[0\]: namespace name "kube-system" is reserved/],
    ];
    const outcomes = new Map<string, FixtureOutcome>();

    before(async function () {
        // Each synth is a process of its own: start them together.
        const results = await Promise.all(rejected.map(([, overrides]) => cluster(overrides)));
        rejected.forEach(([what], i) => outcomes.set(what, results[i]));
    });

    for (const [what, , message] of rejected) {
        it(`rejects ${what} before creating anything`, function () {
            const outcome = outcomes.get(what)!;
            assert.match(outcome.error ?? "", message);
            assert.deepEqual(outcome.resources.filter((r) => r.custom), []);
        });
    }

    it("protected: keys, log group, cluster and application namespaces are protected, deletion protection on, volumes retained", async function () {
        const graph = await clusterGraph({ protectStatefulResources: true, deletionProtection: true });
        const protectedTypes = graph.resources.filter((r) => r.protect).map((r) => `${r.type}:${r.name}`).sort();
        assert.deepEqual(protectedTypes, [
            "aws:cloudwatch/logGroup:LogGroup:eks-control-plane",
            "aws:eks/cluster:Cluster:eks",
            "aws:kms/key:Key:eks-control-plane-logs",
            "aws:kms/key:Key:eks-secrets",
            "aws:kms/key:Key:eks-volumes",
            // Deleting an application namespace deletes its volume claims and secrets.
            "kubernetes:core/v1:Namespace:eks-api",
        ]);
        assert.equal(graph.get(T.cluster, "eks").inputs.deletionProtection, true);
        assert.equal(graph.get(T.storageClass, "eks-gp3").inputs.reclaimPolicy, "Retain");
    });

    it("public endpoint: on only for the given CIDRs", async function () {
        const graph = await clusterGraph({ publicAccessCidrs: ["198.51.100.0/24"], deployerAdmin: false, adminRoleArns: [] });
        const vpc = graph.get(T.cluster, "eks").inputs.vpcConfig as Record<string, unknown>;
        assert.equal(vpc.endpointPublicAccess, true);
        assert.deepEqual(vpc.publicAccessCidrs, ["198.51.100.0/24"]);
        assert.deepEqual(graph.ofType(T.accessEntry), []);
    });

    describe("the deployer named twice", function () {
        // The deployer here: a CI session of the role that is also listed as an admin (with a path).
        before(() => (process.env.PLATFORM_OFFLINE_CALLER_ARN = "arn:aws:sts::123456789012:assumed-role/platform-admin/ci-1234"));
        after(() => delete process.env.PLATFORM_OFFLINE_CALLER_ARN);

        it("is refused at preview, before EKS would refuse the second access entry for one principal", async function () {
            const outcome = await cluster({ adminRoleArns: ["arn:aws:iam::123456789012:role/teams/platform-admin"] });
            assert.match(outcome.error ?? "", /adminRoleArns: arn:aws:iam::123456789012:role\/teams\/platform-admin is the role running this deployment/);
            assert.match(outcome.error ?? "", /remove it from adminRoleArns, or set deployerAdmin to false/);
        });

        it("is one access entry when deployerAdmin is off", async function () {
            const graph = await clusterGraph({ adminRoleArns: [ADMIN_ROLE], deployerAdmin: false });
            assert.deepEqual(graph.ofType(T.accessEntry).map((entry) => entry.inputs.principalArn), [ADMIN_ROLE]);
        });
    });
});
