/** The AWS service endpoints the network puts in the VPC, so that calls to them need no NAT. */

/** Interface endpoints in the private subnets, when `interfaceEndpoints` is on. */
export const INTERFACE_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr", "sts", "logs", "secretsmanager"] as const;

/** Gateway endpoints on the private route tables, always (they cost nothing). */
export const GATEWAY_ENDPOINT_SERVICES = ["s3"] as const;

/** The services private subnets reach without a NAT gateway. */
export function servicesReachedPrivately(interfaceEndpoints: boolean): string[] {
    return [...GATEWAY_ENDPOINT_SERVICES, ...(interfaceEndpoints ? INTERFACE_ENDPOINT_SERVICES : [])];
}
