// Pure rules of the Cluster component: its IAM and KMS policy documents, its argument checks,
// its kubeconfig and its tenancy manifests. No Pulumi program runs here.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
    AmiType,
    ApplicationNamespaceArgs,
    CapacityType,
    NodeGroupArgs,
    TaintEffect,
} from "../components/cluster/args";
import { kubeconfig } from "../components/cluster/kubeconfig";
import {
    autoScalingServiceRoleArn,
    clusterAutoscalerPolicy,
    loadBalancerControllerPolicy,
    secretsKeyUsePolicy,
    serviceAccountTrustPolicy,
    serviceTrustPolicy,
    volumeKeyPolicy,
    volumeKeyUsePolicy,
} from "../components/cluster/policies";
import {
    PodSecurityLevel,
    allowDnsSpec,
    defaultDenySpec,
    limitRangeSpec,
    podSecurityLabels,
    resourceQuotaSpec,
} from "../components/cluster/tenancy";
import {
    NODE_GROUP_LABEL,
    addonVersionProblems,
    adminRoleArnProblems,
    isArmInstanceType,
    kubernetesVersionProblems,
    logRetentionProblems,
    namespaceProblems,
    nodeGroupProblems,
    nodeGroupSetProblems,
    parseQuantity,
    publicAccessCidrProblems,
} from "../components/cluster/validate";
import { ADDON_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS } from "../components/cluster/versions";
import { AccountScope, PolicyDocument, PolicyStatement, accountAdministersKey, logGroupKeyPolicy } from "../components/shared/aws";

// --- policy helpers ----------------------------------------------------------------------------

/** A partition other than "aws", so a hard-coded "arn:aws:" shows. */
const SCOPE: AccountScope = { partition: "aws-cn", region: "cn-north-1", accountId: "210987654321" };
const CLUSTER = "platform-prod";
const KEY_ARN = `arn:aws-cn:kms:cn-north-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ISSUER_ID = "5C6B1E0F2A8D4C3B9E7F1A2B3C4D5E6F";
const ISSUER_URL = `https://oidc.eks.cn-north-1.amazonaws.com.cn/id/${ISSUER_ID}`;
const OIDC_PROVIDER_ARN = `arn:aws-cn:iam::210987654321:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/${ISSUER_ID}`;

function asList(value: string | string[] | undefined): string[] {
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
const actionsOf = (s: PolicyStatement) => asList(s.Action);
const resourcesOf = (s: PolicyStatement) => asList(s.Resource);
const principalsOf = (s: PolicyStatement) => asList(s.Principal?.AWS);

/** The statements of a document that grant `action`, asserting there is at least one. */
function granting(doc: PolicyDocument, action: string): PolicyStatement[] {
    const found = doc.Statement.filter((s) => actionsOf(s).includes(action));
    assert.ok(found.length > 0, `no statement grants ${action}`);
    return found;
}

/** "*" or a whole service ("kms:*"): every action of something. */
function isWildcardAction(action: string): boolean {
    return action === "*" || /^[^:*]+:\*$/.test(action);
}

/** arn:partition:service:region:account:resource */
function arnParts(arn: string): { partition: string; service: string; region: string; account: string; resource: string } {
    const [prefix, partition, service, region, account, ...rest] = arn.split(":");
    assert.equal(prefix, "arn", `${arn} is not an ARN`);
    return { partition, service, region, account, resource: rest.join(":") };
}

/** Every ARN resource carries the scope's partition, region and account. */
function assertArnsInScope(doc: PolicyDocument, scope: AccountScope): number {
    const arns = doc.Statement.flatMap(resourcesOf).filter((r) => r !== "*");
    for (const arn of arns) {
        const parts = arnParts(arn);
        assert.equal(parts.partition, scope.partition, arn);
        assert.equal(parts.region, scope.region, arn);
        assert.equal(parts.account, scope.accountId, arn);
    }
    return arns.length;
}

const scopeArb: fc.Arbitrary<AccountScope> = fc.record({
    partition: fc.constantFrom("aws", "aws-cn", "aws-us-gov"),
    region: fc.constantFrom("us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1"),
    accountId: fc.stringMatching(/^[0-9]{12}$/),
});
const dnsLabelArb = fc.stringMatching(/^[a-z]([-a-z0-9]{0,18}[a-z0-9])?$/);
const issuerIdArb = fc.stringMatching(/^[0-9A-F]{32}$/);

// --- policies ----------------------------------------------------------------------------------

describe("cluster rules: service-account trust policy", () => {
    it("lets only the cluster's OIDC provider assume the role, for one service account, audience STS", () => {
        const doc = serviceAccountTrustPolicy(OIDC_PROVIDER_ARN, ISSUER_URL, "kube-system", "aws-load-balancer-controller");
        const host = `oidc.eks.cn-north-1.amazonaws.com.cn/id/${ISSUER_ID}`;
        assert.equal(doc.Version, "2012-10-17");
        assert.deepEqual(doc.Statement, [
            {
                Sid: "OneServiceAccountAssumesRole",
                Effect: "Allow",
                Principal: { Federated: OIDC_PROVIDER_ARN },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${host}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller",
                        [`${host}:aud`]: "sts.amazonaws.com",
                    },
                },
            },
        ]);
    });

    it("for any issuer, namespace and service account: exact-match conditions keyed by host/path, no wildcard", () => {
        fc.assert(
            fc.property(scopeArb, issuerIdArb, dnsLabelArb, dnsLabelArb, (scope, id, namespace, serviceAccount) => {
                const host = `oidc.eks.${scope.region}.amazonaws.com/id/${id}`;
                const providerArn = `arn:${scope.partition}:iam::${scope.accountId}:oidc-provider/${host}`;
                const doc = serviceAccountTrustPolicy(providerArn, `https://${host}`, namespace, serviceAccount);
                assert.equal(doc.Statement.length, 1);
                const [statement] = doc.Statement;
                assert.equal(statement.Effect, "Allow");
                assert.deepEqual(statement.Principal, { Federated: providerArn });
                assert.deepEqual(actionsOf(statement), ["sts:AssumeRoleWithWebIdentity"]);
                assert.equal(statement.Resource, undefined, "IAM rejects Resource in a trust policy");
                // Only StringEquals: a StringLike would let a pattern through.
                assert.deepEqual(Object.keys(statement.Condition ?? {}), ["StringEquals"]);
                const equals = statement.Condition!.StringEquals;
                assert.deepEqual(Object.keys(equals).sort(), [`${host}:aud`, `${host}:sub`]);
                assert.ok(Object.keys(equals).every((key) => !key.includes("://")), "the scheme is not part of the key");
                const sub = equals[`${host}:sub`];
                assert.equal(sub, `system:serviceaccount:${namespace}:${serviceAccount}`);
                assert.ok(!/[*?]/.test(asList(sub).join()), `wildcard in ${JSON.stringify(sub)}`);
                assert.equal(equals[`${host}:aud`], "sts.amazonaws.com");
            }),
            { numRuns: 200 },
        );
    });
});

describe("cluster rules: volume key policy", () => {
    const doc = volumeKeyPolicy(SCOPE);
    const anyPrincipal = doc.Statement.filter((s) => principalsOf(s).includes("*"));
    const autoScalingRole = "arn:aws-cn:iam::210987654321:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";

    it("starts with the account administering the key through IAM", () => {
        assert.deepEqual(doc.Statement[0], accountAdministersKey(SCOPE));
        assert.equal(doc.Statement[0].Principal?.AWS, "arn:aws-cn:iam::210987654321:root");
    });

    it('every AWS "*" principal is narrowed to Auto Scaling\'s service-linked role in this account', () => {
        assert.equal(autoScalingServiceRoleArn(SCOPE), autoScalingRole);
        assert.ok(anyPrincipal.length >= 2, "the key-use and grant statements");
        for (const statement of anyPrincipal) {
            assert.equal(statement.Condition?.StringEquals?.["aws:PrincipalAccount"], SCOPE.accountId, statement.Sid);
            assert.equal(statement.Condition?.ArnEquals?.["aws:PrincipalArn"], autoScalingRole, statement.Sid);
        }
    });

    it("gives Auto Scaling key use and grants only, never administration", () => {
        const allowed = new Set(["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"]);
        for (const statement of anyPrincipal) {
            for (const action of actionsOf(statement)) {
                assert.ok(allowed.has(action), `${statement.Sid} grants ${action}`);
            }
        }
        // What an instance launch with an encrypted root volume needs.
        const granted = new Set(anyPrincipal.flatMap(actionsOf));
        for (const action of ["kms:Decrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:CreateGrant", "kms:DescribeKey"]) {
            assert.ok(granted.has(action), `Auto Scaling lacks ${action}`);
        }
    });

    it("allows CreateGrant only for AWS resources", () => {
        for (const statement of granting(doc, "kms:CreateGrant")) {
            assert.equal(statement.Condition?.Bool?.["kms:GrantIsForAWSResource"], "true", statement.Sid);
        }
    });

    it("names the scope's partition and account for any scope", () => {
        fc.assert(
            fc.property(scopeArb, (scope) => {
                const policy = volumeKeyPolicy(scope);
                const role = `arn:${scope.partition}:iam::${scope.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
                const open = policy.Statement.filter((s) => principalsOf(s).includes("*"));
                assert.ok(open.length > 0);
                for (const statement of open) {
                    assert.equal(statement.Condition?.StringEquals?.["aws:PrincipalAccount"], scope.accountId);
                    assert.equal(statement.Condition?.ArnEquals?.["aws:PrincipalArn"], role);
                }
                for (const statement of policy.Statement.filter((s) => actionsOf(s).includes("kms:CreateGrant"))) {
                    assert.equal(statement.Condition?.Bool?.["kms:GrantIsForAWSResource"], "true");
                }
            }),
        );
    });
});

describe("cluster rules: key-use policies", () => {
    const administrative = /^kms:(\*|Put|Schedule|Cancel|Delete|Disable|Enable|Update|Create(Key|Alias)|Replicate|Import|Tag|Untag|Retire)/;

    it("volumeKeyUsePolicy: every statement on exactly the key, grants only for AWS resources, no administration", () => {
        const doc = volumeKeyUsePolicy(KEY_ARN);
        assert.ok(doc.Statement.length > 0);
        for (const statement of doc.Statement) {
            assert.equal(statement.Resource, KEY_ARN, statement.Sid);
            assert.equal(statement.Principal, undefined, "an identity policy names no principal");
            for (const action of actionsOf(statement)) {
                assert.ok(!administrative.test(action), `${statement.Sid} grants ${action}`);
            }
        }
        for (const statement of granting(doc, "kms:CreateGrant")) {
            assert.equal(statement.Condition?.Bool?.["kms:GrantIsForAWSResource"], "true", statement.Sid);
        }
        // What the EBS CSI driver needs to create and attach encrypted volumes.
        for (const action of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey"]) {
            granting(doc, action);
        }
    });

    it("secretsKeyUsePolicy: envelope encryption on exactly the key, nothing more", () => {
        const doc = secretsKeyUsePolicy(KEY_ARN);
        assert.equal(doc.Statement.length, 1);
        const [statement] = doc.Statement;
        assert.equal(statement.Effect, "Allow");
        assert.equal(statement.Resource, KEY_ARN);
        assert.deepEqual(actionsOf(statement).sort(), ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:ListGrants"]);
    });

    it("any key ARN is used verbatim as the only resource", () => {
        fc.assert(
            fc.property(scopeArb, fc.uuid(), (scope, id) => {
                const arn = `arn:${scope.partition}:kms:${scope.region}:${scope.accountId}:key/${id}`;
                for (const doc of [volumeKeyUsePolicy(arn), secretsKeyUsePolicy(arn)]) {
                    assert.deepEqual([...new Set(doc.Statement.flatMap(resourcesOf))], [arn]);
                }
            }),
        );
    });
});

describe("cluster rules: cluster autoscaler policy", () => {
    const doc = clusterAutoscalerPolicy(SCOPE, CLUSTER);
    const ownedTag = `aws:ResourceTag/k8s.io/cluster-autoscaler/${CLUSTER}`;

    for (const action of ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]) {
        it(`${action} only on Auto Scaling groups tagged as owned by this cluster`, () => {
            for (const statement of granting(doc, action)) {
                assert.deepEqual(statement.Condition, { StringEquals: { [ownedTag]: "owned" } }, statement.Sid);
                for (const resource of resourcesOf(statement)) {
                    assert.ok(resource.startsWith("arn:aws-cn:autoscaling:cn-north-1:210987654321:autoScalingGroup:"), resource);
                }
            }
        });
    }

    it("eks:DescribeNodegroup only on this cluster's node groups", () => {
        for (const statement of granting(doc, "eks:DescribeNodegroup")) {
            assert.deepEqual(resourcesOf(statement), [`arn:aws-cn:eks:cn-north-1:210987654321:nodegroup/${CLUSTER}/*`]);
        }
    });

    it('on "*" only reads (Describe/Get)', () => {
        const unscoped = doc.Statement.filter((s) => resourcesOf(s).includes("*"));
        assert.ok(unscoped.length > 0);
        for (const action of unscoped.flatMap(actionsOf)) {
            assert.match(action, /^[a-z0-9-]+:(Describe|Get)[A-Za-z]+$/);
        }
    });

    it("for any scope and cluster name: ARNs in scope, scale actions conditioned on that cluster's tag", () => {
        fc.assert(
            fc.property(scopeArb, dnsLabelArb, (scope, cluster) => {
                const policy = clusterAutoscalerPolicy(scope, cluster);
                assert.ok(assertArnsInScope(policy, scope) >= 2);
                const scaling = policy.Statement.filter((s) => actionsOf(s).some((a) => /^autoscaling:(Set|Terminate|Update|Delete|Create)/.test(a)));
                assert.ok(scaling.length > 0);
                for (const statement of scaling) {
                    assert.deepEqual(statement.Condition, { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${cluster}`]: "owned" } });
                }
                const nodegroups = policy.Statement.filter((s) => actionsOf(s).some((a) => a.startsWith("eks:")));
                assert.deepEqual(nodegroups.flatMap(resourcesOf), [`arn:${scope.partition}:eks:${scope.region}:${scope.accountId}:nodegroup/${cluster}/*`]);
            }),
        );
    });
});

describe("cluster rules: load balancer controller policy", () => {
    const doc = loadBalancerControllerPolicy(SCOPE);
    const CLUSTER_TAG = "elbv2.k8s.aws/cluster";
    const nulls = (s: PolicyStatement) => s.Condition?.Null ?? {};
    /** The resource must already carry the cluster tag. */
    const ownsResource = (s: PolicyStatement) => nulls(s)[`aws:ResourceTag/${CLUSTER_TAG}`] === "false";
    /** The request must set the cluster tag. */
    const tagsRequest = (s: PolicyStatement) => nulls(s)[`aws:RequestTag/${CLUSTER_TAG}`] === "false";
    /** Tags of an owned resource change, but never the cluster tag itself. */
    const retagsOwn = (s: PolicyStatement) => ownsResource(s) && nulls(s)[`aws:RequestTag/${CLUSTER_TAG}`] === "true";
    const securityGroupArn = "arn:aws-cn:ec2:cn-north-1:210987654321:security-group/*";

    it("binds every resource ARN to the given partition, region and account", () => {
        assert.ok(assertArnsInScope(doc, SCOPE) >= 10);
        fc.assert(
            fc.property(scopeArb, (scope) => {
                assert.ok(assertArnsInScope(loadBalancerControllerPolicy(scope), scope) >= 10);
            }),
        );
    });

    it('grants no "*" and no whole service', () => {
        for (const statement of doc.Statement) {
            for (const action of actionsOf(statement)) {
                assert.ok(!isWildcardAction(action), `${statement.Sid} grants ${action}`);
            }
        }
    });

    it("creates the ELB service-linked role and no other", () => {
        for (const statement of granting(doc, "iam:CreateServiceLinkedRole")) {
            assert.deepEqual(statement.Condition, { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } });
        }
        const iam = doc.Statement.flatMap(actionsOf).filter((a) => a.startsWith("iam:"));
        assert.deepEqual(iam.filter((a) => !/^iam:(Get|List)/.test(a)), ["iam:CreateServiceLinkedRole"]);
    });

    for (const action of [
        "ec2:DeleteSecurityGroup",
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetIpAddressType",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:DeleteTargetGroup",
    ]) {
        it(`${action} only on resources carrying the ${CLUSTER_TAG} tag`, () => {
            for (const statement of granting(doc, action)) {
                assert.ok(ownsResource(statement), `${statement.Sid}: ${JSON.stringify(statement.Condition)}`);
            }
        });
    }

    for (const action of ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"]) {
        it(`${action} only when the request sets the ${CLUSTER_TAG} tag`, () => {
            for (const statement of granting(doc, action)) {
                assert.ok(tagsRequest(statement), `${statement.Sid}: ${JSON.stringify(statement.Condition)}`);
            }
        });
    }

    it("tags security groups only at creation (with the cluster tag) or while owned", () => {
        for (const statement of [...granting(doc, "ec2:CreateTags"), ...granting(doc, "ec2:DeleteTags")]) {
            assert.deepEqual(resourcesOf(statement), [securityGroupArn], statement.Sid);
            const onCreate = statement.Condition?.StringEquals?.["ec2:CreateAction"] === "CreateSecurityGroup" && tagsRequest(statement);
            assert.ok(onCreate || retagsOwn(statement), `${statement.Sid}: ${JSON.stringify(statement.Condition)}`);
            if (actionsOf(statement).includes("ec2:DeleteTags")) {
                assert.ok(retagsOwn(statement), statement.Sid);
            }
        }
    });

    it("tags load balancers and target groups only at their creation or while owned; listeners and rules by ARN", () => {
        const owned = /:(loadbalancer|targetgroup)\//;
        for (const statement of [...granting(doc, "elasticloadbalancing:AddTags"), ...granting(doc, "elasticloadbalancing:RemoveTags")]) {
            const resources = resourcesOf(statement);
            assert.ok(!resources.includes("*"), statement.Sid);
            if (resources.some((r) => owned.test(r))) {
                const creates = asList(statement.Condition?.StringEquals?.["elasticloadbalancing:CreateAction"]);
                const onCreate = creates.length > 0 && creates.every((c) => ["CreateLoadBalancer", "CreateTargetGroup"].includes(c)) && tagsRequest(statement);
                assert.ok(onCreate || retagsOwn(statement), `${statement.Sid}: ${JSON.stringify(statement.Condition)}`);
            } else {
                for (const resource of resources) {
                    assert.match(arnParts(resource).resource, /^(listener|listener-rule)\/(net|app)\//);
                }
            }
        }
    });

    it("changes security groups by ARN only, never on *", () => {
        for (const action of ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup", "ec2:CreateSecurityGroup"]) {
            for (const statement of granting(doc, action)) {
                const resources = resourcesOf(statement);
                assert.ok(resources.includes(securityGroupArn), statement.Sid);
                assert.deepEqual(resources.filter((r) => !r.endsWith(":security-group/*") && !r.endsWith(":vpc/*")), [], statement.Sid);
            }
        }
    });

    it('on "*" without a condition: reads, plus only the listener, rule and edge-protection calls it documents', () => {
        const documented = new Set([
            "elasticloadbalancing:CreateListener",
            "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:CreateRule",
            "elasticloadbalancing:DeleteRule",
            "elasticloadbalancing:SetWebAcl",
            "elasticloadbalancing:ModifyListener",
            "elasticloadbalancing:AddListenerCertificates",
            "elasticloadbalancing:RemoveListenerCertificates",
            "elasticloadbalancing:ModifyRule",
            "elasticloadbalancing:SetRulePriorities",
            "waf-regional:AssociateWebACL",
            "waf-regional:DisassociateWebACL",
            "wafv2:AssociateWebACL",
            "wafv2:DisassociateWebACL",
            "shield:CreateProtection",
            "shield:DeleteProtection",
        ]);
        const open = doc.Statement.filter((s) => resourcesOf(s).includes("*") && s.Condition === undefined);
        assert.ok(open.length > 0);
        for (const action of open.flatMap(actionsOf)) {
            assert.ok(/^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]+$/.test(action) || documented.has(action), `unconditioned ${action} on "*"`);
        }
    });
});

describe("cluster rules: no document grants a whole service except the key admin statement", () => {
    it("over every document the cluster's policy functions produce, for any scope", () => {
        fc.assert(
            fc.property(scopeArb, dnsLabelArb, dnsLabelArb, dnsLabelArb, issuerIdArb, fc.uuid(), (scope, cluster, namespace, serviceAccount, issuerId, keyId) => {
                const keyArn = `arn:${scope.partition}:kms:${scope.region}:${scope.accountId}:key/${keyId}`;
                const host = `oidc.eks.${scope.region}.amazonaws.com/id/${issuerId}`;
                const providerArn = `arn:${scope.partition}:iam::${scope.accountId}:oidc-provider/${host}`;
                const documents: Record<string, PolicyDocument> = {
                    serviceTrustPolicy: serviceTrustPolicy("eks.amazonaws.com"),
                    serviceAccountTrustPolicy: serviceAccountTrustPolicy(providerArn, `https://${host}`, namespace, serviceAccount),
                    secretsKeyUsePolicy: secretsKeyUsePolicy(keyArn),
                    volumeKeyPolicy: volumeKeyPolicy(scope),
                    volumeKeyUsePolicy: volumeKeyUsePolicy(keyArn),
                    clusterAutoscalerPolicy: clusterAutoscalerPolicy(scope, cluster),
                    loadBalancerControllerPolicy: loadBalancerControllerPolicy(scope),
                    logGroupKeyPolicy: logGroupKeyPolicy(scope, `/aws/eks/${cluster}/cluster`),
                };
                const wildcards = Object.entries(documents).flatMap(([name, doc]) =>
                    doc.Statement.filter((s) => actionsOf(s).some(isWildcardAction)).map((statement) => ({ name, statement })),
                );
                const admin = accountAdministersKey(scope);
                assert.deepEqual(wildcards, [
                    { name: "volumeKeyPolicy", statement: admin },
                    { name: "logGroupKeyPolicy", statement: admin },
                ]);
                assert.equal(admin.Principal?.AWS, `arn:${scope.partition}:iam::${scope.accountId}:root`);
                assert.deepEqual(actionsOf(admin), ["kms:*"]);
                assert.deepEqual(resourcesOf(admin), ["*"], "in a key policy * is the key itself");
            }),
            { numRuns: 100 },
        );
    });
});

// --- validate.ts -------------------------------------------------------------------------------

/** One expected problem: where, and what it must say. */
interface Expected {
    path: string;
    includes: string[];
}

/** Asserts the problems are exactly the expected ones, each named by its path and saying what it must. */
function assertProblems(problems: string[], expected: Expected[]): void {
    assert.equal(problems.length, expected.length, JSON.stringify(problems, null, 1));
    for (const { path, includes } of expected) {
        const matching = problems.filter((p) => p.startsWith(`${path}: `));
        assert.equal(matching.length, 1, `expected one problem at ${path} in ${JSON.stringify(problems)}`);
        for (const text of includes) {
            assert.ok(matching[0].includes(text), `expected "${matching[0]}" to include ${JSON.stringify(text)}`);
        }
    }
}

describe("cluster rules: isArmInstanceType", () => {
    for (const type of ["m7g.large", "c7gn.xlarge", "t4g.small", "r8g.2xlarge", "m6gd.large", "x2gd.xlarge", "im4gn.large", "g5g.xlarge"]) {
        it(`${type} is arm64`, () => assert.equal(isArmInstanceType(type), true));
    }
    for (const type of ["m6i.large", "g5.xlarge", "inf2.xlarge", "m7i-flex.large", "c5n.large", "p5en.48xlarge", "g4dn.xlarge", "m7a.large"]) {
        it(`${type} is not arm64`, () => assert.equal(isArmInstanceType(type), false));
    }
});

describe("cluster rules: parseQuantity", () => {
    const valid: Array<[string, number]> = [
        ["500m", 0.5],
        ["2", 2],
        ["1.5", 1.5],
        ["100m", 0.1],
        ["1Gi", 2 ** 30],
        ["512Mi", 512 * 2 ** 20],
        ["1G", 1e9],
        ["8k", 8000],
        ["1Ti", 2 ** 40],
        ["0", 0],
    ];
    for (const [text, amount] of valid) {
        it(`${JSON.stringify(text)} is ${amount}`, () => {
            const parsed = parseQuantity(text);
            assert.ok(parsed !== undefined && Math.abs(parsed - amount) <= amount * 1e-12, `got ${parsed}`);
        });
    }
    for (const text of ["", "abc", "Gi", "1gi", "1 Gi", "-1", "1.2.3", "2cores", "500mi", "1GB", " 1"]) {
        it(`${JSON.stringify(text)} is malformed`, () => assert.equal(parseQuantity(text), undefined));
    }
    it("binary suffixes are 1024 times the previous one; decimal ones 1000", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 100_000 }), (n) => {
                assert.equal(parseQuantity(`${n}Mi`), parseQuantity(`${n}Ki`)! * 1024);
                assert.equal(parseQuantity(`${n}Gi`), parseQuantity(`${n}Mi`)! * 1024);
                assert.equal(parseQuantity(`${n}M`), parseQuantity(`${n}k`)! * 1000);
                assert.equal(parseQuantity(String(n)), n);
            }),
        );
    });
});

describe("cluster rules: nodeGroupProblems", () => {
    const valid: NodeGroupArgs = {
        name: "workload",
        instanceTypes: ["m6i.xlarge", "m7i.xlarge"],
        capacityType: CapacityType.Spot,
        amiType: AmiType.Al2023X86,
        minSize: 2,
        maxSize: 6,
        desiredSize: 2,
        diskSizeGiB: 50,
        labels: { team: "api", "example.com/tier": "web" },
        taints: [],
        maxUnavailablePercent: 33,
    };
    const at = "nodeGroups[1]";

    it("accepts a realistic group, an arm group and a group relying on every default", () => {
        assert.deepEqual(nodeGroupProblems(valid, at), []);
        assert.deepEqual(nodeGroupProblems({ ...valid, amiType: AmiType.Al2023Arm, instanceTypes: ["m7g.xlarge", "c7g.xlarge", "m6gd.large"] }, at), []);
        assert.deepEqual(nodeGroupProblems({ name: "system", instanceTypes: ["m6i.large"], minSize: 0, maxSize: 1, desiredSize: 0 }, at), []);
        assert.deepEqual(
            nodeGroupProblems({ ...valid, taints: [{ key: "CriticalAddonsOnly", value: "true", effect: TaintEffect.NoSchedule }] }, at),
            [],
        );
    });

    const cases: Array<{ name: string; change: Partial<NodeGroupArgs>; expected: Expected[] }> = [
        { name: "an upper-case name", change: { name: "Workload" }, expected: [{ path: at, includes: ['"Workload"', "lower-case"] }] },
        { name: "a 21-character name", change: { name: "w".repeat(21) }, expected: [{ path: at, includes: [`"${"w".repeat(21)}"`, "at most 20"] }] },
        { name: "no instance types", change: { instanceTypes: [] }, expected: [{ path: `${at}.instanceTypes`, includes: ["empty list"] }] },
        {
            name: "an arm type in an x86 group",
            change: { instanceTypes: ["m6i.xlarge", "m7g.xlarge"] },
            expected: [{ path: `${at}.instanceTypes[1]`, includes: ['got "m7g.xlarge"', "arm64", "AL2023_x86_64_STANDARD"] }],
        },
        {
            name: "the arm AMI for x86 types",
            change: { amiType: AmiType.Al2023Arm },
            expected: [
                { path: `${at}.instanceTypes[0]`, includes: ['got "m6i.xlarge"', "x86_64", "AL2023_ARM_64_STANDARD"] },
                { path: `${at}.instanceTypes[1]`, includes: ['got "m7i.xlarge"', "x86_64", "AL2023_ARM_64_STANDARD"] },
            ],
        },
        {
            name: "a malformed instance type",
            change: { instanceTypes: ["m6i.xlarge", "m6i-xlarge"] },
            expected: [{ path: `${at}.instanceTypes[1]`, includes: ['got "m6i-xlarge"', "EC2 instance type"] }],
        },
        {
            name: "a repeated instance type",
            change: { instanceTypes: ["m6i.xlarge", "m6i.xlarge"] },
            expected: [{ path: `${at}.instanceTypes`, includes: ['got ["m6i.xlarge","m6i.xlarge"]', "each type once"] }],
        },
        {
            name: 'capacityType "spot"',
            change: { capacityType: "spot" as CapacityType },
            expected: [{ path: `${at}.capacityType`, includes: ['got "spot"', '"ON_DEMAND", "SPOT"'] }],
        },
        {
            name: 'amiType "AL2_x86_64"',
            change: { amiType: "AL2_x86_64" as AmiType },
            expected: [{ path: `${at}.amiType`, includes: ['got "AL2_x86_64"', '"AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD"'] }],
        },
        {
            name: "minSize above maxSize",
            change: { minSize: 7 },
            expected: [
                { path: `${at}.minSize`, includes: ["got 7", "at most maxSize (6)"] },
                { path: `${at}.desiredSize`, includes: ["got 2", "between minSize (7) and maxSize (6)"] },
            ],
        },
        { name: "desiredSize above maxSize", change: { desiredSize: 7 }, expected: [{ path: `${at}.desiredSize`, includes: ["got 7", "between minSize (2) and maxSize (6)"] }] },
        { name: "desiredSize below minSize", change: { desiredSize: 1 }, expected: [{ path: `${at}.desiredSize`, includes: ["got 1", "between minSize (2) and maxSize (6)"] }] },
        { name: "maxSize above EKS's limit", change: { maxSize: 451 }, expected: [{ path: `${at}.maxSize`, includes: ["got 451", "0-450"] }] },
        { name: "a fractional minSize", change: { minSize: 1.5 }, expected: [{ path: `${at}.minSize`, includes: ["got 1.5", "integer"] }] },
        { name: "a negative minSize", change: { minSize: -1 }, expected: [{ path: `${at}.minSize`, includes: ["got -1", "0-450"] }] },
        {
            name: "maxSize 0",
            change: { maxSize: 0 },
            expected: [
                { path: `${at}.maxSize`, includes: ["got 0", "at least 1"] },
                { path: `${at}.minSize`, includes: ["got 2", "at most maxSize (0)"] },
                { path: `${at}.desiredSize`, includes: ["got 2", "maxSize (0)"] },
            ],
        },
        { name: "a 10 GiB disk", change: { diskSizeGiB: 10 }, expected: [{ path: `${at}.diskSizeGiB`, includes: ["got 10", "20-16384"] }] },
        { name: "maxUnavailablePercent 0", change: { maxUnavailablePercent: 0 }, expected: [{ path: `${at}.maxUnavailablePercent`, includes: ["got 0", "1-100"] }] },
        {
            name: `the platform's own ${NODE_GROUP_LABEL} label`,
            change: { labels: { [NODE_GROUP_LABEL]: "other" } },
            expected: [{ path: `${at}.labels.${NODE_GROUP_LABEL}`, includes: ["set by the platform"] }],
        },
        {
            name: "a label value with a space",
            change: { labels: { team: "api team" } },
            expected: [{ path: `${at}.labels.team`, includes: ['got "api team"', "Kubernetes label"] }],
        },
        {
            name: "a taint with a bad key",
            change: { taints: [{ key: "dedicated to", value: "api", effect: TaintEffect.NoSchedule }] },
            expected: [{ path: `${at}.taints[0]`, includes: ['"dedicated to"', "taint key"] }],
        },
        {
            name: 'a taint effect spelled "NoSchedule"',
            change: { taints: [{ key: "dedicated", value: "api", effect: "NoSchedule" as TaintEffect }] },
            expected: [{ path: `${at}.taints[0].effect`, includes: ['got "NoSchedule"', '"NO_SCHEDULE", "PREFER_NO_SCHEDULE", "NO_EXECUTE"'] }],
        },
    ];
    for (const c of cases) {
        it(`rejects ${c.name}`, () => assertProblems(nodeGroupProblems({ ...valid, ...c.change }, at), c.expected));
    }
});

describe("cluster rules: nodeGroupSetProblems", () => {
    const base = { instanceTypes: ["m6i.large"], minSize: 1, maxSize: 3, desiredSize: 1 };
    const system: NodeGroupArgs = { ...base, name: "system", taints: [{ key: "CriticalAddonsOnly", value: "true", effect: TaintEffect.NoSchedule }] };
    const workload: NodeGroupArgs = { ...base, name: "workload", taints: [] };

    it("accepts a tainted system group next to an untainted workload group", () => {
        assert.deepEqual(nodeGroupSetProblems([system, workload], "nodeGroups"), []);
    });

    it("accepts a PreferNoSchedule taint as somewhere ordinary pods can run", () => {
        const soft = { ...workload, taints: [{ key: "spot", value: "true", effect: TaintEffect.PreferNoSchedule }] };
        assert.deepEqual(nodeGroupSetProblems([system, soft], "nodeGroups"), []);
    });

    const cases: Array<{ name: string; groups: NodeGroupArgs[]; expected: Expected[] }> = [
        { name: "a repeated name", groups: [system, workload, { ...workload }], expected: [{ path: "nodeGroups", includes: ['"workload"', "more than once"] }] },
        { name: "no groups", groups: [], expected: [{ path: "nodeGroups", includes: ["no node groups", "at least one"] }] },
        {
            name: "every group tainted NoSchedule or NoExecute",
            groups: [system, { ...workload, taints: [{ key: "dedicated", value: "api", effect: TaintEffect.NoExecute }] }],
            expected: [{ path: "nodeGroups", includes: ["every node group", "ordinary pods"] }],
        },
    ];
    for (const c of cases) {
        it(`rejects ${c.name}`, () => assertProblems(nodeGroupSetProblems(c.groups, "nodeGroups"), c.expected));
    }
});

describe("cluster rules: namespaceProblems", () => {
    const api: ApplicationNamespaceArgs = {
        name: "api",
        quota: {
            requestsCpu: "8",
            requestsMemory: "16Gi",
            limitsCpu: "16",
            limitsMemory: "32Gi",
            pods: 100,
            persistentVolumeClaims: 10,
            requestsStorage: "100Gi",
        },
        limits: {
            defaultRequestCpu: "100m",
            defaultRequestMemory: "128Mi",
            defaultLimitCpu: "500m",
            defaultLimitMemory: "512Mi",
            maxCpu: "2",
            maxMemory: "4Gi",
        },
    };
    const path = (i: number) => `applicationNamespaces[${i}]`;
    const check = (namespaces: ApplicationNamespaceArgs[], agents = "node-agents") => namespaceProblems(namespaces, agents, path, "nodeAgentNamespace");
    const withQuota = (change: Partial<ApplicationNamespaceArgs["quota"]>) => ({ ...api, quota: { ...api.quota, ...change } });
    const withLimits = (change: Partial<ApplicationNamespaceArgs["limits"]>) => ({ ...api, limits: { ...api.limits, ...change } });

    it("accepts a realistic namespace, and two distinct ones", () => {
        assert.deepEqual(check([api]), []);
        assert.deepEqual(check([api, { ...api, name: "worker" }]), []);
    });

    const cases: Array<{ name: string; namespaces: ApplicationNamespaceArgs[]; agents?: string; expected: Expected[] }> = [
        { name: 'the name "kube-system"', namespaces: [{ ...api, name: "kube-system" }], expected: [{ path: path(0), includes: ['"kube-system"', "reserved"] }] },
        { name: 'the name "kube-tools" (kube- prefix)', namespaces: [{ ...api, name: "kube-tools" }], expected: [{ path: path(0), includes: ['"kube-tools"', "reserved"] }] },
        { name: 'the name "default"', namespaces: [{ ...api, name: "default" }], expected: [{ path: path(0), includes: ['"default"', "reserved"] }] },
        { name: "the node-agent namespace's name", namespaces: [{ ...api, name: "node-agents" }], expected: [{ path: path(0), includes: ['"node-agents"', "reserved"] }] },
        { name: "a name that is not a DNS label", namespaces: [{ ...api, name: "Api_v2" }], expected: [{ path: path(0), includes: ['"Api_v2"', "DNS label"] }] },
        { name: "a repeated name", namespaces: [api, { ...api }], expected: [{ path: path(1), includes: ['"api"', "more than once"] }] },
        {
            name: "a malformed quota quantity",
            namespaces: [withQuota({ requestsCpu: "8 cores" })],
            expected: [{ path: `${path(0)}.quota.requestsCpu`, includes: ['got "8 cores"', "Kubernetes quantity"] }],
        },
        { name: "a negative pod count", namespaces: [withQuota({ pods: -1 })], expected: [{ path: `${path(0)}.quota.pods`, includes: ["got -1", "whole number"] }] },
        {
            name: "a fractional PVC count",
            namespaces: [withQuota({ persistentVolumeClaims: 2.5 })],
            expected: [{ path: `${path(0)}.quota.persistentVolumeClaims`, includes: ["got 2.5", "whole number"] }],
        },
        {
            name: "a malformed limit quantity",
            namespaces: [withLimits({ maxMemory: "4GB" })],
            expected: [{ path: `${path(0)}.limits.maxMemory`, includes: ['got "4GB"', "Kubernetes quantity"] }],
        },
        {
            name: "defaultLimitCpu above maxCpu",
            namespaces: [withLimits({ defaultLimitCpu: "3" })],
            expected: [{ path: `${path(0)}.limits.defaultLimitCpu`, includes: ['got "3"', "at most maxCpu (2)"] }],
        },
        {
            name: "defaultRequestCpu above defaultLimitCpu",
            namespaces: [withLimits({ defaultRequestCpu: "1" })],
            expected: [{ path: `${path(0)}.limits.defaultRequestCpu`, includes: ['got "1"', "at most defaultLimitCpu (500m)"] }],
        },
        {
            name: "defaultRequestMemory above defaultLimitMemory",
            namespaces: [withLimits({ defaultRequestMemory: "1Gi" })],
            expected: [{ path: `${path(0)}.limits.defaultRequestMemory`, includes: ['got "1Gi"', "at most defaultLimitMemory (512Mi)"] }],
        },
        {
            name: "defaultLimitMemory above maxMemory",
            namespaces: [withLimits({ defaultLimitMemory: "5Gi" })],
            expected: [{ path: `${path(0)}.limits.defaultLimitMemory`, includes: ['got "5Gi"', "at most maxMemory (4Gi)"] }],
        },
        { name: 'node-agent namespace "kube-system"', namespaces: [api], agents: "kube-system", expected: [{ path: "nodeAgentNamespace", includes: ['got "kube-system"'] }] },
        { name: 'node-agent namespace "Node_Agents"', namespaces: [api], agents: "Node_Agents", expected: [{ path: "nodeAgentNamespace", includes: ['got "Node_Agents"', "DNS label"] }] },
    ];
    for (const c of cases) {
        it(`rejects ${c.name}`, () => assertProblems(check(c.namespaces, c.agents), c.expected));
    }
});

describe("cluster rules: publicAccessCidrProblems", () => {
    it("accepts public ranges of /16 or narrower, and no ranges at all", () => {
        assert.deepEqual(publicAccessCidrProblems(["203.0.113.0/24", "198.51.100.7/32", "52.94.0.0/16"], "publicAccessCidrs"), []);
        assert.deepEqual(publicAccessCidrProblems([], "publicAccessCidrs"), []);
    });

    const cases: Array<{ cidrs: string[]; expected: Expected }> = [
        { cidrs: ["0.0.0.0/0"], expected: { path: "publicAccessCidrs[0]", includes: ['got "0.0.0.0/0"', "/16 or narrower"] } },
        { cidrs: ["203.0.113.0/24", "52.0.0.0/8"], expected: { path: "publicAccessCidrs[1]", includes: ['got "52.0.0.0/8"', "/16 or narrower"] } },
        { cidrs: ["203.0.113.0/24", "10.8.0.0/16"], expected: { path: "publicAccessCidrs[1]", includes: ['got "10.8.0.0/16"', "public range"] } },
        { cidrs: ["192.168.1.0/24"], expected: { path: "publicAccessCidrs[0]", includes: ['got "192.168.1.0/24"', "public range"] } },
        { cidrs: ["172.20.5.5/32"], expected: { path: "publicAccessCidrs[0]", includes: ['got "172.20.5.5/32"', "public range"] } },
        { cidrs: ["203.0.113.9/24"], expected: { path: "publicAccessCidrs[0]", includes: ['got "203.0.113.9/24"', "host bits", "203.0.113.0/24"] } },
        { cidrs: ["203.0.113.9"], expected: { path: "publicAccessCidrs[0]", includes: ['got "203.0.113.9"', "CIDR notation"] } },
    ];
    for (const c of cases) {
        it(`rejects ${JSON.stringify(c.cidrs)}`, () => assertProblems(publicAccessCidrProblems(c.cidrs, "publicAccessCidrs"), [c.expected]));
    }
});

describe("cluster rules: addonVersionProblems and kubernetesVersionProblems", () => {
    for (const version of SUPPORTED_KUBERNETES_VERSIONS) {
        it(`accepts Kubernetes ${version} and its pinned add-ons`, () => {
            assert.deepEqual(kubernetesVersionProblems(version, "kubernetesVersion"), []);
            assert.deepEqual(addonVersionProblems(ADDON_VERSIONS[version], version, "addonVersions"), []);
        });
    }

    it("every supported version has add-on pins, and another version's pins fail on kube-proxy alone", () => {
        for (const version of SUPPORTED_KUBERNETES_VERSIONS) {
            for (const other of SUPPORTED_KUBERNETES_VERSIONS.filter((v) => v !== version)) {
                assertProblems(addonVersionProblems(ADDON_VERSIONS[other], version, "addonVersions"), [
                    { path: "addonVersions.kubeProxy", includes: [`got "${ADDON_VERSIONS[other].kubeProxy}"`, `v${version}.x`] },
                ]);
            }
        }
    });

    const pins = ADDON_VERSIONS["1.36"];
    const addonCases: Array<{ name: string; change: Partial<typeof pins>; expected: Expected[] }> = [
        {
            name: "a kube-proxy build of another minor",
            change: { kubeProxy: "v1.34.1-eksbuild.2" },
            expected: [{ path: "addonVersions.kubeProxy", includes: ['got "v1.34.1-eksbuild.2"', "v1.36.x"] }],
        },
        { name: "a version without the eksbuild suffix", change: { coredns: "v1.14.3" }, expected: [{ path: "addonVersions.coredns", includes: ['got "v1.14.3"', "v1.2.3-eksbuild.1"] }] },
        { name: '"latest"', change: { vpcCni: "latest" }, expected: [{ path: "addonVersions.vpcCni", includes: ['got "latest"', "EKS add-on version"] }] },
        {
            name: "a malformed kube-proxy version (reported once, as malformed)",
            change: { kubeProxy: "1.36.0" },
            expected: [{ path: "addonVersions.kubeProxy", includes: ['got "1.36.0"', "EKS add-on version"] }],
        },
    ];
    for (const c of addonCases) {
        it(`rejects ${c.name}`, () => assertProblems(addonVersionProblems({ ...pins, ...c.change }, "1.36", "addonVersions"), c.expected));
    }

    for (const version of ["1.30", "1.37", "v1.36", "1.36.0", ""]) {
        it(`rejects Kubernetes ${JSON.stringify(version)} and lists the supported versions`, () => {
            assertProblems(kubernetesVersionProblems(version, "kubernetesVersion"), [
                { path: "kubernetesVersion", includes: [`got ${JSON.stringify(version)}`, '"1.36", "1.35"'] },
            ]);
        });
    }
});

describe("cluster rules: adminRoleArnProblems and logRetentionProblems", () => {
    it("accepts role ARNs, with paths, in any partition", () => {
        assert.deepEqual(
            adminRoleArnProblems(["arn:aws:iam::123456789012:role/platform-admin", "arn:aws-us-gov:iam::123456789012:role/teams/sre/oncall"], "adminRoleArns"),
            [],
        );
    });

    for (const arn of ["arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:root", "arn:aws:iam::12345:role/x", "platform-admin"]) {
        it(`rejects ${JSON.stringify(arn)} as an admin role`, () => {
            assertProblems(adminRoleArnProblems(["arn:aws:iam::123456789012:role/platform-admin", arn], "adminRoleArns"), [
                { path: "adminRoleArns[1]", includes: [`got ${JSON.stringify(arn)}`, "IAM role ARN"] },
            ]);
        });
    }

    it("accepts the retentions CloudWatch Logs offers and rejects others", () => {
        for (const days of [1, 30, 365, 3653]) {
            assert.deepEqual(logRetentionProblems(days, "days"), []);
        }
        for (const days of [0, 42, 366, -1]) {
            assertProblems(logRetentionProblems(days, "days"), [{ path: "days", includes: [`got ${days}`, "CloudWatch Logs"] }]);
        }
    });
});

// --- kubeconfig --------------------------------------------------------------------------------

describe("cluster rules: kubeconfig", () => {
    const CA = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=";
    const ENDPOINT = "https://9F2C4A7B3D.gr7.eu-west-1.eks.amazonaws.com";
    /** Keys a kubeconfig carries static or bearer credentials under. */
    const CREDENTIAL_KEYS = ["token", "tokenFile", "password", "username", "client-key-data", "client-key", "client-certificate-data", "client-certificate", "auth-provider", "env"];

    function keysOf(value: unknown): string[] {
        if (Array.isArray(value)) {
            return value.flatMap(keysOf);
        }
        if (typeof value === "object" && value !== null) {
            return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
        }
        return [];
    }

    it("authenticates through `aws eks get-token` for the given cluster and region, and holds no credentials", () => {
        const config = kubeconfig("platform-prod", ENDPOINT, CA, "eu-west-1");
        const keys = keysOf(config);
        for (const key of CREDENTIAL_KEYS) {
            assert.ok(!keys.includes(key), `kubeconfig has a "${key}"`);
        }
        assert.ok(!/AKIA|ASIA|aws_secret|BEGIN .*PRIVATE KEY/i.test(JSON.stringify(config)));
        assert.equal(config.users.length, 1);
        const exec = config.users[0].user.exec;
        assert.deepEqual(Object.keys(config.users[0].user), ["exec"]);
        assert.equal(exec.command, "aws");
        assert.equal(exec.apiVersion, "client.authentication.k8s.io/v1beta1");
        assert.equal(exec.interactiveMode, "Never");
        assert.deepEqual(exec.args.slice(0, 2), ["eks", "get-token"]);
        assert.equal(exec.args[exec.args.indexOf("--cluster-name") + 1], "platform-prod");
        assert.equal(exec.args[exec.args.indexOf("--region") + 1], "eu-west-1");
    });

    it("for any cluster, endpoint and region: current-context names a context whose cluster and user exist", () => {
        fc.assert(
            fc.property(dnsLabelArb, fc.constantFrom("us-east-1", "eu-west-1", "ap-south-2"), fc.stringMatching(/^[0-9A-F]{10}$/), (name, region, id) => {
                const endpoint = `https://${id}.gr7.${region}.eks.amazonaws.com`;
                const config = kubeconfig(name, endpoint, CA, region);
                const context = config.contexts.find((c) => c.name === config["current-context"]);
                assert.ok(context, "current-context names no context");
                const cluster = config.clusters.find((c) => c.name === context.context.cluster);
                const user = config.users.find((u) => u.name === context.context.user);
                assert.ok(cluster && user);
                assert.deepEqual(cluster.cluster, { server: endpoint, "certificate-authority-data": CA });
                const args = user.user.exec.args;
                assert.equal(args[args.indexOf("--cluster-name") + 1], name);
                assert.equal(args[args.indexOf("--region") + 1], region);
                assert.equal(args.filter((a) => a === "--cluster-name" || a === "--region").length, 2);
            }),
        );
    });
});

// --- tenancy manifests -------------------------------------------------------------------------

/** The spec as the API server receives it: plain JSON (no Outputs to look through). */
function plain<T>(value: unknown): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

interface PlainPeer {
    namespaceSelector?: { matchLabels?: Record<string, string> };
    podSelector?: { matchLabels?: Record<string, string> };
    ipBlock?: unknown;
}
interface PlainNetworkPolicySpec {
    podSelector: Record<string, unknown>;
    policyTypes: string[];
    ingress?: unknown[];
    egress?: Array<{ to?: PlainPeer[]; ports?: Array<{ protocol: string; port: number }> }>;
}

describe("cluster rules: tenancy manifests", () => {
    const ns: ApplicationNamespaceArgs = {
        name: "api",
        quota: { requestsCpu: "16", requestsMemory: "32Gi", limitsCpu: "32", limitsMemory: "64Gi", pods: 200, persistentVolumeClaims: 10, requestsStorage: "100Gi" },
        limits: { defaultRequestCpu: "100m", defaultRequestMemory: "128Mi", defaultLimitCpu: "500m", defaultLimitMemory: "512Mi", maxCpu: "4", maxMemory: "8Gi" },
    };

    it("podSecurityLabels: enforce, audit and warn at the level, pinned to the cluster's version", () => {
        assert.deepEqual(podSecurityLabels(PodSecurityLevel.Restricted, "1.36"), {
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "v1.36",
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/audit-version": "v1.36",
            "pod-security.kubernetes.io/warn": "restricted",
            "pod-security.kubernetes.io/warn-version": "v1.36",
        });
    });

    it("podSecurityLabels: with a report level, audit and warn use it while enforce keeps the level", () => {
        assert.deepEqual(podSecurityLabels(PodSecurityLevel.Privileged, "1.35", PodSecurityLevel.Baseline), {
            "pod-security.kubernetes.io/enforce": "privileged",
            "pod-security.kubernetes.io/enforce-version": "v1.35",
            "pod-security.kubernetes.io/audit": "baseline",
            "pod-security.kubernetes.io/audit-version": "v1.35",
            "pod-security.kubernetes.io/warn": "baseline",
            "pod-security.kubernetes.io/warn-version": "v1.35",
        });
    });

    it("resourceQuotaSpec: the namespace's limits, and no load balancer or node port services", () => {
        assert.deepEqual(plain(resourceQuotaSpec(ns)), {
            hard: {
                "requests.cpu": "16",
                "requests.memory": "32Gi",
                "limits.cpu": "32",
                "limits.memory": "64Gi",
                "requests.storage": "100Gi",
                pods: "200",
                persistentvolumeclaims: "10",
                "services.loadbalancers": "0",
                "services.nodeports": "0",
            },
        });
    });

    it("limitRangeSpec: container defaults and ceilings from the arguments", () => {
        assert.deepEqual(plain(limitRangeSpec(ns)), {
            limits: [
                {
                    type: "Container",
                    defaultRequest: { cpu: "100m", memory: "128Mi" },
                    default: { cpu: "500m", memory: "512Mi" },
                    max: { cpu: "4", memory: "8Gi" },
                },
            ],
        });
    });

    it("defaultDenySpec: every pod, both directions, no rule lets anything through", () => {
        const spec = plain<PlainNetworkPolicySpec>(defaultDenySpec());
        assert.deepEqual(spec.podSelector, {});
        assert.deepEqual([...spec.policyTypes].sort(), ["Egress", "Ingress"]);
        assert.equal(spec.ingress, undefined);
        assert.equal(spec.egress, undefined);
    });

    it("allowDnsSpec: egress only, only to kube-dns in kube-system, only port 53 over UDP and TCP", () => {
        const spec = plain<PlainNetworkPolicySpec>(allowDnsSpec());
        assert.deepEqual(spec.podSelector, {}, "applies to every pod of the namespace");
        assert.deepEqual(spec.policyTypes, ["Egress"]);
        assert.equal(spec.ingress, undefined);
        const rules = spec.egress ?? [];
        assert.ok(rules.length > 0);
        for (const rule of rules) {
            const peers = rule.to ?? [];
            assert.ok(peers.length > 0, "a rule without `to` allows every destination");
            for (const peer of peers) {
                assert.equal(peer.ipBlock, undefined);
                assert.deepEqual(peer.namespaceSelector, { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } });
                assert.deepEqual(peer.podSelector, { matchLabels: { "k8s-app": "kube-dns" } });
            }
            const ports = rule.ports ?? [];
            assert.deepEqual(ports.map((p) => `${p.protocol}/${p.port}`).sort(), ["TCP/53", "UDP/53"]);
        }
    });
});
