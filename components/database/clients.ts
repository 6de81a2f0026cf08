import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Context } from "../shared/context";

/**
 * A security group for a data store that admits one TCP port from each client group and
 * nothing else. It has no egress rule: a database or cache never opens a connection.
 */
export function clientOnlySecurityGroup(
    groupName: string,
    settings: { vpcId: pulumi.Input<string>; service: string; port: number; clientSecurityGroupIds: pulumi.Input<string>[] },
    ctx: Context,
): aws.ec2.SecurityGroup {
    const { parent, tags } = ctx;
    const group = new aws.ec2.SecurityGroup(
        groupName,
        { vpcId: settings.vpcId, description: `${settings.service}: clients on ${settings.port} only`, tags: tags({ Name: groupName }) },
        { parent },
    );
    settings.clientSecurityGroupIds.forEach((clientGroupId, i) => {
        const ruleName = `${groupName}-client-${i + 1}`;
        new aws.vpc.SecurityGroupIngressRule(
            ruleName,
            {
                securityGroupId: group.id,
                description: `${settings.service} from an allowed client group`,
                ipProtocol: "tcp",
                fromPort: settings.port,
                toPort: settings.port,
                referencedSecurityGroupId: clientGroupId,
                tags: tags({ Name: ruleName }),
            },
            { parent },
        );
    });
    return group;
}
