/**
 * List prices for the offline monthly cost estimate, one dated table per AWS Region: on-demand,
 * in US dollars, with no Savings Plans, Reserved Instances, free tier, credits or private pricing.
 * The tables themselves are in prices/<region>.ts, each with its date and its sources.
 *
 * Each table is a snapshot, written by hand and checked against public sources, so the
 * estimate never calls AWS. Where AWS prices by volume tier (S3 storage, interface endpoint data,
 * vended logs), a table holds the first tier's price, so usage past that tier is overstated.
 *
 * A price is only written down once it was read from a source the table names; nothing is
 * derived from another Region's price or from a neighbouring size or family. So a table may be
 * partial: a price it lacks (an absent key, or a type missing from a type map) makes the estimate
 * list the line as unpriced with the reason, never price it at zero or at another Region's rate.
 * A Region with no table at all is refused: the estimate says so instead of pricing anything.
 *
 * To refresh a table: read each price again from the AWS Price List API (called in us-east-1,
 * filtered by regionCode), e.g.
 *
 *     aws pricing get-products --region us-east-1 --service-code AmazonEC2 --filters \
 *       Type=TERM_MATCH,Field=regionCode,Value=eu-west-1 \
 *       Type=TERM_MATCH,Field=instanceType,Value=m6i.large \
 *       Type=TERM_MATCH,Field=operatingSystem,Value=Linux \
 *       Type=TERM_MATCH,Field=tenancy,Value=Shared \
 *       Type=TERM_MATCH,Field=preInstalledSw,Value=NA \
 *       Type=TERM_MATCH,Field=capacitystatus,Value=Used
 *
 * (for RDS, service code AmazonRDS with databaseEngine=PostgreSQL and deploymentOption=Single-AZ; for
 * ElastiCache, AmazonElastiCache with cacheEngine=Redis; `aws pricing describe-services` lists the
 * other services' codes), or from the service's aws.amazon.com/<service>/pricing page with the
 * Region selected. Then update the numbers, `date` and `sources` together, and keep keys sorted.
 */
import { EU_CENTRAL_1 } from "./prices/eu-central-1";
import { EU_WEST_1 } from "./prices/eu-west-1";
import { US_EAST_1 } from "./prices/us-east-1";
import { US_WEST_2 } from "./prices/us-west-2";

/** Prices of one Region. Every price is optional: an absent one is unpriced, never zero. */
export interface PriceTable {
    /** Date the table was last checked, YYYY-MM-DD; each source says when its figures were read. */
    date: string;
    /** The AWS Region every price is for. */
    region: string;
    currency: "USD";
    /** Where the prices come from, and the terms they are for: one entry per source. */
    sources: string[];
    /** Prices looked for and not confirmed, so left out (the estimate lists what needs them as unpriced). */
    notConfirmed: string[];
    /**
     * A table that holds only the prices a source could be found for (a Region no shipped stack
     * runs in, or only their DR copies do): what it lacks is listed as unpriced, and the test of
     * the shipped stacks lets that pass. A table without it must price all they need.
     */
    partial?: true;
    /** Hours in a month, as AWS's calculator uses (730). */
    hoursPerMonth: number;
    /** EKS control plane per cluster-hour, Kubernetes version in standard support (extended support costs more). */
    eksClusterHour?: number;
    /** EC2 per instance-hour: Linux, shared tenancy, no pre-installed software. */
    ec2InstanceHour: Record<string, number>;
    /** NAT gateway per gateway-hour; its Elastic IP is charged separately, at publicIpv4Hour. */
    natGatewayHour?: number;
    /** NAT gateway per GB processed, in either direction, on top of any data transfer charge. */
    natGatewayGb?: number;
    /** Per public IPv4 address-hour, in use or idle, including the Elastic IP of each NAT gateway. */
    publicIpv4Hour?: number;
    /** Interface VPC endpoint (PrivateLink) per endpoint per Availability Zone per hour. */
    interfaceEndpointAzHour?: number;
    /** Interface VPC endpoint per GB processed (first tier: the Region's first 1 PB in a month). */
    interfaceEndpointGb?: number;
    /** RDS for PostgreSQL per DB instance-hour, Single-AZ. A Multi-AZ DB instance (one standby) costs twice this. */
    rdsPostgresInstanceHour: Record<string, number>;
    /**
     * RDS gp3 storage per GB-month, Single-AZ (Multi-AZ doubles: the standby has its own copy).
     * Includes a baseline of IOPS and throughput: 3,000 IOPS and 125 MB/s below 400 GB, more above.
     */
    rdsGp3GbMonth?: number;
    /** RDS backup storage per GB-month beyond the free amount (100% of the Region's provisioned DB storage). */
    rdsBackupGbMonth?: number;
    /** ElastiCache node-hour, engine Redis OSS (what engine "redis" runs); Valkey nodes are 20% less. */
    elasticacheNodeHour: Record<string, number>;
    /** EBS gp3 per GB-month; 3,000 IOPS and 125 MB/s per volume are included. */
    ebsGp3GbMonth?: number;
    /** Application Load Balancer per ALB-hour. */
    albHour?: number;
    /** Application Load Balancer per LCU-hour. */
    albLcuHour?: number;
    /** S3 Standard per GB-month, first 50 TB in a month. */
    s3StandardGbMonth?: number;
    /** AWS Backup warm storage per GB-month for RDS snapshots (EBS snapshots are $0.05). */
    backupWarmGbMonth?: number;
    /** Data transfer out of this Region to another AWS Region per GB: what a cross-Region copy pays, where it leaves. */
    interRegionTransferGb?: number;
    /** CloudWatch Logs ingestion per GB, Standard log class. */
    logsIngestionGb?: number;
    /** Vended logs (VPC flow logs) delivered to CloudWatch Logs per GB, first volume tier (up to 10 TB a month). */
    vendedLogsIngestionGb?: number;
    /** CloudWatch Logs storage (archival) per GB-month. */
    logsStorageGbMonth?: number;
    /** CloudWatch standard-resolution metric alarm per alarm-month. */
    alarmMonth?: number;
    /** KMS customer managed key per key-month, before request charges (automatic rotation can add to it). */
    kmsKeyMonth?: number;
    /** Secrets Manager per secret-month. */
    secretMonth?: number;
}

/** The single prices a table may hold (as opposed to its per-type maps). */
export type UnitPrice = {
    [K in keyof PriceTable]-?: PriceTable[K] extends number | undefined ? (K extends "hoursPerMonth" ? never : K) : never;
}[keyof PriceTable];

/** What a missing price is called in an unpriced line's reason. */
export const PRICE_NAMES: Readonly<Record<UnitPrice, string>> = {
    eksClusterHour: "EKS cluster-hour", natGatewayHour: "NAT gateway-hour", natGatewayGb: "NAT gateway GB",
    publicIpv4Hour: "public IPv4 address-hour", interfaceEndpointAzHour: "interface endpoint AZ-hour",
    interfaceEndpointGb: "interface endpoint GB", rdsGp3GbMonth: "RDS gp3 storage GB-month",
    rdsBackupGbMonth: "RDS backup storage GB-month", ebsGp3GbMonth: "EBS gp3 GB-month", albHour: "ALB-hour",
    albLcuHour: "ALB LCU-hour", s3StandardGbMonth: "S3 Standard GB-month", backupWarmGbMonth: "AWS Backup warm storage GB-month",
    interRegionTransferGb: "inter-Region transfer GB", logsIngestionGb: "CloudWatch Logs ingestion GB",
    vendedLogsIngestionGb: "vended logs ingestion GB", logsStorageGbMonth: "CloudWatch Logs storage GB-month",
    alarmMonth: "CloudWatch alarm-month", kmsKeyMonth: "KMS key-month", secretMonth: "Secrets Manager secret-month",
};

/** Every table, by Region. A Region missing here is refused by the estimate. */
export const PRICE_TABLES: Readonly<Record<string, PriceTable>> = {
    [US_EAST_1.region]: US_EAST_1,
    [US_WEST_2.region]: US_WEST_2,
    [EU_WEST_1.region]: EU_WEST_1,
    [EU_CENTRAL_1.region]: EU_CENTRAL_1,
};

/** The us-east-1 table (the shipped stacks' Region). */
export const PRICES: PriceTable = US_EAST_1;

/**
 * Prices the shipped stacks need that no table has: no source that names the figure could be
 * read offline (see each table's notConfirmed). Each is listed as unpriced in the estimate; a
 * test fails when a shipped stack needs a price missing from a complete table and not listed here,
 * and when one listed here is no longer missing, so the list only ever shrinks by fact.
 */
export const KNOWN_PRICE_GAPS: readonly string[] = ["us-east-1: AWS Backup restore testing", "us-east-1: db.r7g.large", "us-east-1: db.r7g.xlarge"];
