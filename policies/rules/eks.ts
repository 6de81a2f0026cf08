/**
 * EKS guard rails: envelope-encrypted secrets, every control-plane log, no API endpoint open
 * to the internet, IMDSv2 on node launch templates with a hop limit pods cannot cross, and no
 * SSH into nodes.
 */
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { asList, fix } from "./util";

/** Every control-plane log type EKS offers. */
const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export const eksSecretsEncrypted: ResourceValidationPolicy = {
    name: "eks-secrets-encrypted",
    description: "EKS clusters envelope-encrypt Kubernetes secrets with a KMS key (encryptionConfig with resources [\"secrets\"] and a provider keyArn).",
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: validateResourceOfType(aws.eks.Cluster, (cluster, _args, report) => {
        // A single block since provider v6; a list before: accept either.
        const configs = asList(cluster.encryptionConfig);
        const encryptsSecrets = configs.some((c) => asList(c.resources).includes("secrets") && typeof c.provider?.keyArn === "string" && c.provider.keyArn !== "");
        if (!encryptsSecrets) {
            const problem =
                configs.length === 0
                    ? "The cluster has no encryptionConfig: Kubernetes secrets are stored in etcd under AWS-managed encryption only."
                    : "The cluster's encryptionConfig does not cover \"secrets\" with a KMS keyArn.";
            report(fix(problem, "set encryptionConfig: { provider: { keyArn: <customer-managed KMS key ARN> }, resources: [\"secrets\"] } (it cannot be removed once set)."));
        }
    }),
};

export const eksControlPlaneLogging: ResourceValidationPolicy = {
    name: "eks-control-plane-logging",
    description: `EKS clusters send every control-plane log type to CloudWatch Logs: ${CONTROL_PLANE_LOG_TYPES.join(", ")}.`,
    enforcementLevel: "mandatory",
    severity: "medium",
    validateResource: validateResourceOfType(aws.eks.Cluster, (cluster, _args, report) => {
        const enabled = new Set(asList(cluster.enabledClusterLogTypes));
        const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !enabled.has(t));
        if (missing.length > 0) {
            report(fix(`Control-plane logs not enabled: ${missing.join(", ")}.`, `set enabledClusterLogTypes to ${JSON.stringify(CONTROL_PLANE_LOG_TYPES)}.`));
        }
    }),
};

export const eksEndpointNotPublic: ResourceValidationPolicy = {
    name: "eks-endpoint-not-public",
    description:
        "The EKS API endpoint is private (endpointPublicAccess: false), or public only to listed CIDRs none of which is 0.0.0.0/0. " +
        "Unset counts as public: EKS turns public access on, open to 0.0.0.0/0, when these are left out.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: validateResourceOfType(aws.eks.Cluster, (cluster, _args, report) => {
        const vpc: Partial<typeof cluster.vpcConfig> = cluster.vpcConfig ?? {};
        if (vpc.endpointPublicAccess === false) {
            return;
        }
        const why = vpc.endpointPublicAccess === undefined ? "endpointPublicAccess is unset, which EKS treats as true" : "endpointPublicAccess is true";
        const remedy = "set vpcConfig.endpointPublicAccess: false (with endpointPrivateAccess: true), or list the operators' CIDRs in vpcConfig.publicAccessCidrs.";
        const cidrs = asList(vpc.publicAccessCidrs);
        if (cidrs.length === 0) {
            report(fix(`The API endpoint is open to the internet: ${why} and publicAccessCidrs is empty, which EKS reads as 0.0.0.0/0.`, remedy));
        }
        const open = cidrs.filter((c) => /\/0$/.test(c.trim()));
        if (open.length > 0) {
            report(fix(`The API endpoint is open to the internet: ${why} and publicAccessCidrs includes ${open.join(", ")}.`, remedy));
        }
    }),
};

interface ImdsConfig {
    maxHopLimit: number;
}

const DEFAULT_MAX_HOP_LIMIT = 1;

export const launchTemplateImdsv2: ResourceValidationPolicy = {
    name: "launch-template-imdsv2",
    description:
        "Launch templates require IMDSv2 session tokens (metadataOptions.httpTokens \"required\") and set httpPutResponseHopLimit to at most maxHopLimit, " +
        "so pods cannot reach the node's instance credentials. A template with the metadata endpoint disabled passes.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            maxHopLimit: {
                type: "integer",
                minimum: 1,
                maximum: 64,
                default: DEFAULT_MAX_HOP_LIMIT,
                description: "Highest httpPutResponseHopLimit allowed: 1 keeps the metadata service away from pods, 2 lets every pod reach it.",
            },
        },
    },
    validateResource: validateResourceOfType(aws.ec2.LaunchTemplate, (template, args, report) => {
        const maxHopLimit = args.getConfig<Partial<ImdsConfig>>().maxHopLimit ?? DEFAULT_MAX_HOP_LIMIT;
        const options: NonNullable<typeof template.metadataOptions> = template.metadataOptions ?? {};
        if (options.httpEndpoint === "disabled") {
            return;
        }
        if (options.httpTokens !== "required") {
            const was = options.httpTokens === undefined ? "unset (the AMI decides, and may allow IMDSv1)" : `"${options.httpTokens}"`;
            report(fix(`metadataOptions.httpTokens is ${was}: instances answer IMDSv1 requests without a session token.`, "set metadataOptions.httpTokens: \"required\"."));
        }
        const hops = options.httpPutResponseHopLimit;
        if (hops === undefined) {
            report(fix("metadataOptions.httpPutResponseHopLimit is unset: the AMI's default applies (2 on the EKS AL2023 images), letting pods reach the node's credentials.", `set metadataOptions.httpPutResponseHopLimit to ${maxHopLimit}.`));
        } else if (hops > maxHopLimit) {
            report(fix(`metadataOptions.httpPutResponseHopLimit is ${hops}, above the allowed ${maxHopLimit}: pods can reach the node's credentials.`, `set it to ${maxHopLimit} and give pods their own IAM roles (IRSA or Pod Identity).`));
        }
    }),
};

export const eksNodeGroupNoSsh: ResourceValidationPolicy = {
    name: "eks-node-group-no-ssh",
    description: "Nodes take no SSH: EKS node groups have no remoteAccess, and launch templates have no keyName. Use SSM Session Manager to reach a node.",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateResource: [
        validateResourceOfType(aws.eks.NodeGroup, (group, _args, report) => {
            if (group.remoteAccess !== undefined && group.remoteAccess !== null) {
                report(fix("The node group sets remoteAccess, opening SSH to its nodes.", "remove remoteAccess; reach nodes through SSM Session Manager (the node role's AmazonSSMManagedInstanceCore) if ever needed."));
            }
        }),
        validateResourceOfType(aws.ec2.LaunchTemplate, (template, _args, report) => {
            if (typeof template.keyName === "string" && template.keyName !== "") {
                report(fix(`The launch template installs SSH key pair "${template.keyName}" on its instances.`, "remove keyName; reach instances through SSM Session Manager if ever needed."));
            }
        }),
    ],
};

export const eksPolicies = [eksSecretsEncrypted, eksControlPlaneLogging, eksEndpointNotPublic, launchTemplateImdsv2, eksNodeGroupNoSsh];
