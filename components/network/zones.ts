/**
 * Zones EKS cannot place a control plane in, by zone ID (the same physical zone in every
 * account; zone names are shuffled per account). From the EKS User Guide, "View Amazon EKS
 * networking requirements for VPC and subnets": cluster subnets can't reside in these; EKS
 * answers UnsupportedAvailabilityZoneException. The network leaves them out for every tier, so
 * the nodes, the databases and the control plane share the same zones.
 */
export const EKS_UNSUPPORTED_ZONE_IDS: Readonly<Record<string, readonly string[]>> = {
    "us-east-1": ["use1-az3"],
    "us-west-1": ["usw1-az2"],
    "ca-central-1": ["cac1-az3"],
};

/** Every zone ID EKS refuses, whatever the region: excluding another region's IDs matches nothing. */
export const ALL_EKS_UNSUPPORTED_ZONE_IDS: readonly string[] = Object.values(EKS_UNSUPPORTED_ZONE_IDS).flat();
