import assert from "node:assert/strict";
import { FixtureResource, policySession, violationsOf } from "../policyHarness";

const ROLE = "aws:iam/role:Role";
const ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";

type Statement = Record<string, unknown>;

function document(...statements: Statement[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

const READ_STATE: Statement = {
    Sid: "ReadState",
    Effect: "Allow",
    Action: ["s3:GetObject", "s3:ListBucket"],
    Resource: ["arn:aws:s3:::platform-prod-state", "arn:aws:s3:::platform-prod-state/*"],
};
const DESCRIBE_EVERYTHING: Statement = { Sid: "Describe", Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:DescribeSubnets"], Resource: "*" };
const ADMIN: Statement = { Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" };

const ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/4172EF30F17A77DDA1B43DC36238EEE7";
const OIDC_PROVIDER = `arn:aws:iam::123456789012:oidc-provider/${ISSUER}`;

/** A trust statement for one service account, as the platform's ServiceAccountRole writes it. */
function irsaTrust(change: Statement = {}, conditions: Record<string, unknown> = {}): Statement {
    return {
        Sid: "OneServiceAccountAssumesRole",
        Effect: "Allow",
        Principal: { Federated: OIDC_PROVIDER },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
            StringEquals: { [`${ISSUER}:sub`]: "system:serviceaccount:kube-system:cluster-autoscaler", [`${ISSUER}:aud`]: "sts.amazonaws.com" },
            ...conditions,
        },
        ...change,
    };
}

function role(name: string, trust: Statement, change: Record<string, unknown> = {}): FixtureResource {
    return { type: ROLE, name, inputs: { assumeRolePolicy: document(trust), maxSessionDuration: 3600, ...change } };
}

const NODE_TRUST: Statement = { Sid: "ServiceAssumesRole", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" };

/** Roles, policies and attachments as the platform creates them: least privilege, IRSA scoped to one service account. */
function compliantIam(): FixtureResource[] {
    return [
        role("cluster-autoscaler", irsaTrust(), { inlinePolicies: [{ name: "describe", policy: document(DESCRIBE_EVERYTHING) }] }),
        role("nodes", NODE_TRUST, { managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"] }),
        role("deploy", { Sid: "GitHubActions", Effect: "Allow", Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRoleWithWebIdentity" }),
        { type: "aws:iam/policy:Policy", name: "read-state", inputs: { policy: document(READ_STATE, { Sid: "NoDeletes", Effect: "Deny", Action: "*", Resource: "*" }) } },
        { type: "aws:iam/rolePolicy:RolePolicy", name: "nodes-describe", inputs: { role: "nodes-ce03abd", policy: document(DESCRIBE_EVERYTHING) } },
        { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: "nodes-cni", inputs: { role: "nodes-ce03abd", policyArn: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy" } },
    ];
}

async function assertOneViolation(policy: string, caseId: string, resources: FixtureResource[], culprit: FixtureResource, problem: RegExp): Promise<void> {
    const violations = await violationsOf(policy, caseId, resources);
    assert.equal(violations.length, 1, JSON.stringify(violations, null, 2));
    assert.match(violations[0].message, problem);
    assert.match(violations[0].message, /Fix: \S/);
    assert.ok(violations[0].urn.endsWith(`::${culprit.type}::${culprit.name}`), violations[0].urn);
}

describe("policies: IAM", function () {
    it("has every rule in the pack with its severity", async function () {
        const pack = (await policySession("prod")).policies;
        assert.equal(pack.find((p) => p.name === "iam-no-admin-statement")?.severity, "critical");
        assert.equal(pack.find((p) => p.name === "iam-irsa-trust-scoped")?.severity, "high");
    });

    for (const policy of ["iam-no-admin-statement", "iam-irsa-trust-scoped"]) {
        it(`${policy}: passes the platform's roles, policies and attachments`, async function () {
            assert.deepEqual(await violationsOf(policy, `iam-compliant-${policy}`, compliantIam()), []);
        });
    }

    describe("iam-no-admin-statement", function () {
        const policy = "iam-no-admin-statement";

        for (const [type, extra] of [
            ["aws:iam/policy:Policy", {}],
            ["aws:iam/rolePolicy:RolePolicy", { role: "app" }],
            ["aws:iam/userPolicy:UserPolicy", { user: "ci" }],
            ["aws:iam/groupPolicy:GroupPolicy", { group: "operators" }],
        ] as const) {
            it(`flags "*" on "*" in ${type.split(":").pop()}`, async function () {
                const admin: FixtureResource = { type, name: "admin", inputs: { ...extra, policy: document(READ_STATE, ADMIN) } };
                await assertOneViolation(policy, `iam-admin-${type.split(":").pop()}`, [admin], admin, /Statement Everything of the .*policy allows every action \("\*"\) on every resource/);
            });
        }

        it('flags an action list holding "*", with Resource as a list, in a document given as an object', async function () {
            const admin: FixtureResource = {
                type: "aws:iam/policy:Policy",
                name: "broad",
                inputs: { policy: { Version: "2012-10-17", Statement: [{ Sid: "Broad", Effect: "Allow", Action: ["s3:GetObject", "*"], Resource: ["*"] }] } },
            };
            await assertOneViolation(policy, "iam-admin-list", [admin], admin, /Statement Broad/);
        });

        it("passes \"*\" on named resources, and a statement with a Principal (a resource policy)", async function () {
            const scoped: FixtureResource = { type: "aws:iam/policy:Policy", name: "scoped", inputs: { policy: document({ ...ADMIN, Resource: "arn:aws:s3:::platform-prod-state/*" }) } };
            const keyLike: FixtureResource = { type: "aws:iam/policy:Policy", name: "principal", inputs: { policy: document({ ...ADMIN, Principal: { AWS: "arn:aws:iam::123456789012:root" } }) } };
            assert.deepEqual(await violationsOf(policy, "iam-admin-scoped", [scoped, keyLike]), []);
        });

        it("flags a role's inline policy", async function () {
            const admin = role("app", NODE_TRUST, { inlinePolicies: [{ name: "everything", policy: document(ADMIN) }] });
            await assertOneViolation(policy, "iam-admin-inline", [admin], admin, /of inline policy everything allows every action/);
        });

        it("flags AdministratorAccess in a role's managedPolicyArns", async function () {
            const admin = role("app", NODE_TRUST, { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", ADMIN_ARN] });
            await assertOneViolation(policy, "iam-admin-managed-arns", [admin], admin, /Attaches the AWS managed policy arn:aws:iam::aws:policy\/AdministratorAccess/);
        });

        for (const [i, [type, inputs]] of ([
            ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "app", policyArn: ADMIN_ARN }],
            ["aws:iam/userPolicyAttachment:UserPolicyAttachment", { user: "ci", policyArn: ADMIN_ARN }],
            ["aws:iam/groupPolicyAttachment:GroupPolicyAttachment", { group: "operators", policyArn: ADMIN_ARN }],
            ["aws:iam/policyAttachment:PolicyAttachment", { roles: ["app"], policyArn: ADMIN_ARN }],
            ["aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", { roleName: "app", policyArns: [ADMIN_ARN] }],
            ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "app", policyArn: "arn:aws-us-gov:iam::aws:policy/AdministratorAccess" }],
        ] as const).entries()) {
            const arn = "policyArn" in inputs ? inputs.policyArn : inputs.policyArns[0];
            it(`flags ${arn} attached by ${type.split(":").pop()}`, async function () {
                const attachment: FixtureResource = { type, name: "admin", inputs };
                await assertOneViolation(policy, `iam-admin-attachment-${i}`, [attachment], attachment, /Attaches the AWS managed policy arn:aws[-a-z]*:iam::aws:policy\/AdministratorAccess/);
            });
        }
    });

    describe("iam-irsa-trust-scoped", function () {
        const policy = "iam-irsa-trust-scoped";
        const withEquals = (equals: Record<string, unknown>) => irsaTrust({}, { StringEquals: equals });

        it("passes condition keys written in another case (IAM compares them case-insensitively)", async function () {
            const upper = withEquals({ [`${ISSUER.toUpperCase()}:SUB`]: "system:serviceaccount:api:orders", [`${ISSUER}:Aud`]: "sts.amazonaws.com" });
            assert.deepEqual(await violationsOf(policy, "iam-irsa-key-case", [role("orders", upper)]), []);
        });

        it("flags a subject matched with StringLike", async function () {
            const broad = role("autoscaler", irsaTrust({}, { StringEquals: { [`${ISSUER}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${ISSUER}:sub`]: "system:serviceaccount:kube-system:*" } }));
            await assertOneViolation(policy, "iam-irsa-string-like", [broad], broad, /matches .*:sub with StringLike/);
        });

        it("flags a trust with no subject condition", async function () {
            const open = role("autoscaler", withEquals({ [`${ISSUER}:aud`]: "sts.amazonaws.com" }));
            await assertOneViolation(policy, "iam-irsa-no-sub", [open], open, /lets any service account of the cluster .* no StringEquals condition on .*:sub/);
        });

        for (const [what, subject] of [
            ["two service accounts", ["system:serviceaccount:api:orders", "system:serviceaccount:api:billing"]],
            ["a wildcard service account", "system:serviceaccount:api:*"],
            ["a whole namespace's group", "system:serviceaccounts:api"],
        ] as const) {
            it(`flags a subject of ${what}`, async function () {
                const broad = role("orders", withEquals({ [`${ISSUER}:sub`]: subject, [`${ISSUER}:aud`]: "sts.amazonaws.com" }));
                await assertOneViolation(policy, `iam-irsa-sub-${what.replace(/ /g, "-")}`, [broad], broad, /not exactly one system:serviceaccount:<namespace>:<name> without wildcards/);
            });
        }

        for (const [what, audience] of [["no audience condition", undefined], ["an audience other than STS", "api.example.com"]] as const) {
            it(`flags ${what}`, async function () {
                const broad = role("orders", withEquals({ [`${ISSUER}:sub`]: "system:serviceaccount:api:orders", [`${ISSUER}:aud`]: audience }));
                await assertOneViolation(policy, `iam-irsa-aud-${audience ?? "missing"}`, [broad], broad, /does not require .*:aud to equal sts\.amazonaws\.com/);
            });
        }

        it("checks a statement whose action is a wildcard covering AssumeRoleWithWebIdentity", async function () {
            const open = role("autoscaler", irsaTrust({ Action: ["sts:AssumeRole*"], Condition: { StringEquals: { [`${ISSUER}:aud`]: "sts.amazonaws.com" } } }));
            await assertOneViolation(policy, "iam-irsa-action-wildcard", [open], open, /no StringEquals condition on .*:sub/);
        });
    });
});
