import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { fix, statementsOf } from "./util";

/** True when a statement's principal is everyone: "*" or {AWS: "*"}. */
function isOpenPrincipal(principal: unknown): boolean {
    if (principal === "*") {
        return true;
    }
    const aws = (principal as { AWS?: unknown } | undefined)?.AWS;
    return aws === "*" || (Array.isArray(aws) && aws.includes("*"));
}

export const kmsKeyRotationEnabled: ResourceValidationPolicy = {
    name: "kms-key-rotation-enabled",
    description: "Symmetric customer-managed KMS keys rotate their key material yearly.",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateResource: validateResourceOfType(aws.kms.Key, (key, _args, report) => {
        const symmetric = (key.customerMasterKeySpec ?? key.keyUsage === undefined) || key.customerMasterKeySpec === "SYMMETRIC_DEFAULT";
        if (symmetric && key.enableKeyRotation !== true) {
            report(fix("Key rotation is off.", "set enableKeyRotation: true."));
        }
    }),
};

export const kmsKeyPolicyNoOpenPrincipal: ResourceValidationPolicy = {
    name: "kms-key-policy-no-open-principal",
    description: "No KMS key policy statement allows every principal (\"*\") without a condition that narrows it.",
    enforcementLevel: "mandatory",
    severity: "critical",
    validateResource: validateResourceOfType(aws.kms.Key, (key, _args, report) => {
        for (const statement of statementsOf(key.policy)) {
            const allows = (statement.Effect ?? "Allow") === "Allow";
            if (allows && isOpenPrincipal(statement.Principal) && Object.keys(statement.Condition ?? {}).length === 0) {
                report(
                    fix(
                        `Key policy statement ${statement.Sid ?? "(no Sid)"} allows every AWS principal with no condition.`,
                        "name the principals, or add conditions such as aws:PrincipalAccount and aws:PrincipalArn.",
                    ),
                );
            }
        }
    }),
};

export const kmsPolicies = [kmsKeyRotationEnabled, kmsKeyPolicyNoOpenPrincipal];
