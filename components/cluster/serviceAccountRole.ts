import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tagger } from "../shared/aws";
import { serviceAccountTrustPolicy } from "./policies";
import { DNS_LABEL } from "./validate";

export interface ServiceAccountRoleArgs {
    /** ARN of the cluster's IAM OIDC provider. */
    oidcProviderArn: pulumi.Input<string>;
    /** Issuer URL of the cluster's OIDC provider (`https://oidc.eks.<region>.amazonaws.com/id/<id>`). */
    oidcProviderUrl: pulumi.Input<string>;
    /** Namespace of the one service account that may assume the role. */
    namespace: string;
    /** Name of that service account. */
    serviceAccountName: string;
    /** The role's own permissions, as a JSON policy document. @default none */
    policyJson?: pulumi.Input<string>;
    /** AWS-managed policies to attach (full ARNs). @default [] */
    managedPolicyArns?: pulumi.Input<string>[];
    /** @default {} */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/**
 * An IAM role for one Kubernetes service account (IRSA): trusted by the cluster's OIDC
 * provider for exactly `namespace/serviceAccountName`, holding only the permissions given.
 * Every in-cluster workload that calls AWS gets its own.
 */
export class ServiceAccountRole extends pulumi.ComponentResource {
    /** ARN to put in the service account's `eks.amazonaws.com/role-arn` annotation. */
    public readonly roleArn: pulumi.Output<string>;
    public readonly roleName: pulumi.Output<string>;

    constructor(name: string, args: ServiceAccountRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:ServiceAccountRole", name, {}, opts);
        for (const [arg, value] of [["namespace", args.namespace], ["serviceAccountName", args.serviceAccountName]]) {
            // A DNS label has no wildcard: the trust policy names exactly one service account.
            if (!DNS_LABEL.test(value)) {
                throw new pulumi.ResourceError(`${arg} must name one Kubernetes object (a DNS label), got ${JSON.stringify(value)}`, this);
            }
        }
        const tags = tagger(args.tags);

        const role = new aws.iam.Role(
            name,
            {
                description: `IRSA role of service account ${args.namespace}/${args.serviceAccountName}`,
                assumeRolePolicy: pulumi
                    .all([args.oidcProviderArn, args.oidcProviderUrl])
                    .apply(([arn, url]) => JSON.stringify(serviceAccountTrustPolicy(arn, url, args.namespace, args.serviceAccountName))),
                maxSessionDuration: 3600,
                tags: tags({ Name: name, "kubernetes-service-account": `${args.namespace}.${args.serviceAccountName}` }),
            },
            { parent: this },
        );
        if (args.policyJson !== undefined) {
            new aws.iam.RolePolicy(name, { role: role.id, policy: args.policyJson }, { parent: this });
        }
        (args.managedPolicyArns ?? []).forEach((policyArn, i) => {
            new aws.iam.RolePolicyAttachment(`${name}-${i + 1}`, { role: role.name, policyArn }, { parent: this });
        });

        this.roleArn = role.arn;
        this.roleName = role.name;
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
    }
}
