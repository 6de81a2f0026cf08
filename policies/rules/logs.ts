/** CloudWatch Logs groups: how long they keep events, and with which key they encrypt them. */
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { fix } from "./util";
import { customerKeyProblem } from "./values";

interface MinimumDays {
    minimumDays?: number;
}

export const logGroupRetention: ResourceValidationPolicy = {
    name: "log-group-retention",
    description: "Log groups expire their events (retentionInDays set, not 0 = never) after at least `minimumDays` days (default 30).",
    enforcementLevel: "mandatory",
    severity: "low",
    configSchema: {
        properties: {
            minimumDays: { type: "integer", minimum: 1, default: 30, description: "Fewest days a log group keeps its events." },
        },
    },
    validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, report) => {
        const minimum = args.getConfig<MinimumDays>().minimumDays ?? 30;
        const remedy = `set retentionInDays to a value CloudWatch Logs accepts of at least ${minimum} (e.g. 30, 90, 365, 731).`;
        const days = group.retentionInDays;
        if (days === undefined || days <= 0) {
            report(fix(`retentionInDays is ${days === undefined ? "unset" : String(days)}: events never expire.`, remedy));
        } else if (days < minimum) {
            report(fix(`retentionInDays is ${days}, below the minimum of ${minimum} days.`, remedy));
        }
    }),
};

export const logGroupEncrypted: ResourceValidationPolicy = {
    name: "log-group-encrypted",
    description: "Log groups encrypt their events with a customer-managed KMS key (kmsKeyId).",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, _args, report) => {
        const keyProblem = customerKeyProblem(group, "kmsKeyId");
        if (keyProblem) {
            report(
                fix(
                    `Events are not encrypted with a customer-managed key: ${keyProblem}.`,
                    "set kmsKeyId to the ARN of a customer-managed KMS key whose policy lets logs.<region>.amazonaws.com use it for this log group (see logGroupKeyPolicy in components/shared/aws.ts).",
                ),
            );
        }
    }),
};

export const logsPolicies = [logGroupRetention, logGroupEncrypted];
