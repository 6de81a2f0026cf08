import * as pulumi from "@pulumi/pulumi";

/** How private subnets reach the internet. */
export enum NatMode {
    /** No NAT gateway: private subnets reach AWS only through VPC endpoints. */
    None = "none",
    /** One NAT gateway in the first zone for every private subnet (cheaper; one zone's outage cuts egress). */
    Single = "single",
    /** One NAT gateway per zone, each zone's private subnet routed to its own. */
    PerAz = "perAz",
}

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export interface NetworkArgs {
    /**
     * IPv4 CIDR of the VPC: a private (RFC 1918) range with a prefix length of /16 to /20.
     * Subnets are carved from it at fixed positions (see `cidr.ts`), so it must never change.
     */
    cidrBlock: string;
    /** Availability zones to spread subnets over (2-4, and no more than the region has). @default 3 */
    availabilityZoneCount?: number;
    /** NAT gateways for the private subnets. @default NatMode.PerAz */
    natMode?: NatMode;
    /** Days to keep VPC flow logs; one of the values CloudWatch Logs accepts. @default 365 */
    flowLogRetentionDays?: number;
    /** Interface endpoints (ECR api/dkr, STS, CloudWatch Logs, Secrets Manager) in the private subnets. @default true */
    interfaceEndpoints?: boolean;
    /**
     * Protect the resources that hold data (the flow-log KMS key and log group) against deletion
     * with Pulumi's `protect`. @default false
     */
    protectStatefulResources?: boolean;
    /** Tags for every taggable resource, merged under each resource's own `Name`. @default {} */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}
