/**
 * IAM: no identity policy grants everything, and every IRSA role is assumable by exactly one
 * Kubernetes service account. Key policies and trust policies (statements with a Principal)
 * are resource policies, not identity policies: KMS key policies are kms.ts's business.
 */
import * as aws from "@pulumi/aws";
import { ReportViolation, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { Statement, asList, fix, statementsOf } from "./util";

const ADMINISTRATOR_ACCESS = /^arn:[^:]+:iam::aws:policy\/AdministratorAccess$/;

const LEAST_PRIVILEGE_FIX =
    "grant only the actions the principal needs, on the resources it needs (IAM Access Analyzer can generate a policy from CloudTrail activity).";

/** Reports every Allow statement of an identity policy that grants "*" on "*". */
function reportAdminStatements(document: unknown, where: string, report: ReportViolation): void {
    for (const statement of statementsOf(document)) {
        if (statement.Principal !== undefined || statement.NotPrincipal !== undefined || (statement.Effect ?? "Allow") !== "Allow") {
            continue;
        }
        if (asList(statement.Action).includes("*") && asList(statement.Resource).includes("*")) {
            report(fix(`Statement ${statement.Sid ?? "(no Sid)"} of ${where} allows every action ("*") on every resource ("*"): full administrator access.`, LEAST_PRIVILEGE_FIX));
        }
    }
}

/** Reports each attachment of the AWS managed AdministratorAccess policy. */
function reportAdminAttachments(policyArns: readonly unknown[], report: ReportViolation): void {
    for (const arn of policyArns) {
        if (typeof arn === "string" && ADMINISTRATOR_ACCESS.test(arn)) {
            report(fix(`Attaches the AWS managed policy ${arn}: full administrator access.`, `attach a narrower policy instead; ${LEAST_PRIVILEGE_FIX}`));
        }
    }
}

export const iamNoAdminStatement: ResourceValidationPolicy = {
    name: "iam-no-admin-statement",
    description:
        "No IAM identity policy (managed, inline on a role, user or group) allows Action \"*\" on Resource \"*\", and no role, user or group gets the AWS managed AdministratorAccess policy.",
    enforcementLevel: "mandatory",
    severity: "critical",
    validateResource: [
        validateResourceOfType(aws.iam.Policy, (policy, _args, report) => reportAdminStatements(policy.policy, "the policy", report)),
        validateResourceOfType(aws.iam.RolePolicy, (policy, _args, report) => reportAdminStatements(policy.policy, "the role policy", report)),
        validateResourceOfType(aws.iam.UserPolicy, (policy, _args, report) => reportAdminStatements(policy.policy, "the user policy", report)),
        validateResourceOfType(aws.iam.GroupPolicy, (policy, _args, report) => reportAdminStatements(policy.policy, "the group policy", report)),
        validateResourceOfType(aws.iam.Role, (role, _args, report) => {
            for (const inline of role.inlinePolicies ?? []) {
                reportAdminStatements(inline.policy, `inline policy ${inline.name ?? "(unnamed)"}`, report);
            }
            reportAdminAttachments(role.managedPolicyArns ?? [], report);
        }),
        validateResourceOfType(aws.iam.RolePolicyAttachment, (attachment, _args, report) => reportAdminAttachments([attachment.policyArn], report)),
        validateResourceOfType(aws.iam.UserPolicyAttachment, (attachment, _args, report) => reportAdminAttachments([attachment.policyArn], report)),
        validateResourceOfType(aws.iam.GroupPolicyAttachment, (attachment, _args, report) => reportAdminAttachments([attachment.policyArn], report)),
        validateResourceOfType(aws.iam.PolicyAttachment, (attachment, _args, report) => reportAdminAttachments([attachment.policyArn], report)),
        validateResourceOfType(aws.iam.RolePolicyAttachmentsExclusive, (attachments, _args, report) => reportAdminAttachments(attachments.policyArns, report)),
        validateResourceOfType(aws.iam.UserPolicyAttachmentsExclusive, (attachments, _args, report) => reportAdminAttachments(attachments.policyArns, report)),
        validateResourceOfType(aws.iam.GroupPolicyAttachmentsExclusive, (attachments, _args, report) => reportAdminAttachments(attachments.policyArns, report)),
    ],
};

/** The federated principal of an EKS cluster's IAM OIDC provider. */
const EKS_OIDC_PROVIDER = ":oidc-provider/oidc.eks.";
/** One service account, no wildcard: `system:serviceaccount:<namespace>:<name>`. */
const ONE_SERVICE_ACCOUNT = /^system:serviceaccount:[^:*?]+:[^:*?]+$/;
const WEB_IDENTITY = "sts:assumerolewithwebidentity";

/** True when an IAM action pattern (case-insensitive, `*` and `?` wildcards) covers the action. */
function actionCovers(pattern: string, action: string): boolean {
    const regex = pattern
        .toLowerCase()
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${regex}$`).test(action);
}

/** The EKS OIDC providers a statement trusts for web-identity role assumption. */
function eksProvidersTrusted(statement: Statement): string[] {
    if ((statement.Effect ?? "Allow") !== "Allow" || !asList(statement.Action).some((action) => actionCovers(action, WEB_IDENTITY))) {
        return [];
    }
    const federated = (statement.Principal as { Federated?: string | string[] } | undefined)?.Federated;
    return asList(federated).filter((principal) => typeof principal === "string" && principal.includes(EKS_OIDC_PROVIDER));
}

/** The values of condition key `key` under `operator` (condition keys compare case-insensitively). */
function conditionValues(statement: Statement, operator: string, key: string): unknown[] | undefined {
    const block = statement.Condition?.[operator] as Record<string, unknown> | undefined;
    const found = Object.keys(block ?? {}).find((k) => k.toLowerCase() === key.toLowerCase());
    return found === undefined ? undefined : asList(block![found]);
}

/** What makes the statement's trust in one EKS OIDC provider broader than one service account. */
function irsaTrustProblems(statement: Statement, provider: string): string[] {
    const issuer = provider.slice(provider.indexOf(EKS_OIDC_PROVIDER) + ":oidc-provider/".length);
    const sid = statement.Sid ?? "(no Sid)";
    const problems: string[] = [];
    const subject = conditionValues(statement, "StringEquals", `${issuer}:sub`);
    if (subject === undefined) {
        const like = conditionValues(statement, "StringLike", `${issuer}:sub`);
        problems.push(
            like === undefined
                ? `Statement ${sid} lets any service account of the cluster with issuer ${issuer} assume the role: it has no StringEquals condition on ${issuer}:sub.`
                : `Statement ${sid} matches ${issuer}:sub with StringLike (${JSON.stringify(like)}), which lets every matching service account assume the role.`,
        );
    } else if (subject.length !== 1 || typeof subject[0] !== "string" || !ONE_SERVICE_ACCOUNT.test(subject[0])) {
        problems.push(`Statement ${sid} trusts ${issuer}:sub = ${JSON.stringify(subject)}, not exactly one system:serviceaccount:<namespace>:<name> without wildcards.`);
    }
    const audience = conditionValues(statement, "StringEquals", `${issuer}:aud`);
    if (audience === undefined || audience.length !== 1 || audience[0] !== "sts.amazonaws.com") {
        problems.push(`Statement ${sid} does not require ${issuer}:aud to equal sts.amazonaws.com (found ${JSON.stringify(audience ?? "no StringEquals condition")}), so tokens minted for other audiences are accepted.`);
    }
    return problems;
}

export const iamIrsaTrustScoped: ResourceValidationPolicy = {
    name: "iam-irsa-trust-scoped",
    description:
        "A role trusted by an EKS cluster's OIDC provider (IRSA) is assumable by exactly one service account: StringEquals on <issuer>:sub = one system:serviceaccount:<namespace>:<name> without wildcards, and on <issuer>:aud = sts.amazonaws.com.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: validateResourceOfType(aws.iam.Role, (role, _args, report) => {
        for (const statement of statementsOf(role.assumeRolePolicy)) {
            for (const provider of eksProvidersTrusted(statement)) {
                for (const problem of irsaTrustProblems(statement, provider)) {
                    report(
                        fix(
                            problem,
                            'set Condition.StringEquals to {"<issuer>:sub": "system:serviceaccount:<namespace>:<name>", "<issuer>:aud": "sts.amazonaws.com"} (the platform\'s ServiceAccountRole component writes exactly this).',
                        ),
                    );
                }
            }
        }
    }),
};

export const iamPolicies = [iamNoAdminStatement, iamIrsaTrustScoped];
