/**
 * List prices for the offline monthly cost estimate: AWS us-east-1 (US East, N. Virginia), on-demand,
 * in US dollars, with no Savings Plans, Reserved Instances, free tier, credits or private pricing.
 *
 * The table is a dated snapshot, written by hand and checked against public sources, so the
 * estimate never calls AWS. Where AWS prices by volume tier (S3 storage, interface endpoint data,
 * vended logs), the table holds the first tier's price, so usage past that tier is overstated.
 *
 * An instance, DB or cache node type that is not a key of its table is unknown on purpose: a type
 * is only listed once its price was confirmed, and the estimator reports unknown types rather than
 * guessing one from a neighbouring size or family.
 *
 * To refresh: read each price again from the AWS Price List API, called in us-east-1, e.g.
 *
 *     aws pricing get-products --region us-east-1 --service-code AmazonEC2 --filters \
 *       Type=TERM_MATCH,Field=regionCode,Value=us-east-1 \
 *       Type=TERM_MATCH,Field=instanceType,Value=m7g.large \
 *       Type=TERM_MATCH,Field=operatingSystem,Value=Linux \
 *       Type=TERM_MATCH,Field=tenancy,Value=Shared \
 *       Type=TERM_MATCH,Field=preInstalledSw,Value=NA \
 *       Type=TERM_MATCH,Field=capacitystatus,Value=Used
 *
 * (for RDS, service code AmazonRDS with databaseEngine=PostgreSQL and deploymentOption=Single-AZ; for
 * ElastiCache, AmazonElastiCache with cacheEngine=Redis; `aws pricing describe-services` lists the
 * other services' codes), or from the service's aws.amazon.com/<service>/pricing page. Then update
 * the numbers, `date` and `source` together, and keep the type keys sorted.
 */
export interface PriceTable {
    /** Date the prices were read, YYYY-MM-DD. */
    date: string;
    /** The AWS Region every price is for: "us-east-1". */
    region: string;
    currency: "USD";
    /** Where the prices come from, and the terms they are for. */
    source: string;
    /** Hours in a month, as AWS's calculator uses (730). */
    hoursPerMonth: number;
    /** EKS control plane per cluster-hour, Kubernetes version in standard support (extended support costs more). */
    eksClusterHour: number;
    /** EC2 per instance-hour: Linux, shared tenancy, no pre-installed software. */
    ec2InstanceHour: Record<string, number>;
    /** NAT gateway per gateway-hour; its Elastic IP is charged separately, at publicIpv4Hour. */
    natGatewayHour: number;
    /** NAT gateway per GB processed, in either direction, on top of any data transfer charge. */
    natGatewayGb: number;
    /** Per public IPv4 address-hour, in use or idle, including the Elastic IP of each NAT gateway. */
    publicIpv4Hour: number;
    /** Interface VPC endpoint (PrivateLink) per endpoint per Availability Zone per hour. */
    interfaceEndpointAzHour: number;
    /** Interface VPC endpoint per GB processed (first tier: the Region's first 1 PB in a month). */
    interfaceEndpointGb: number;
    /** RDS for PostgreSQL per DB instance-hour, Single-AZ. A Multi-AZ DB instance (one standby) costs twice this. */
    rdsPostgresInstanceHour: Record<string, number>;
    /**
     * RDS gp3 storage per GB-month, Single-AZ (Multi-AZ doubles: the standby has its own copy).
     * Includes a baseline of IOPS and throughput: 3,000 IOPS and 125 MB/s below 400 GB, more above.
     */
    rdsGp3GbMonth: number;
    /** RDS backup storage per GB-month beyond the free amount (100% of the Region's provisioned DB storage). */
    rdsBackupGbMonth: number;
    /** ElastiCache node-hour, engine Redis OSS (what engine "redis" runs); Valkey nodes are 20% less. */
    elasticacheNodeHour: Record<string, number>;
    /** EBS gp3 per GB-month; 3,000 IOPS and 125 MB/s per volume are included. */
    ebsGp3GbMonth: number;
    /** Application Load Balancer per ALB-hour. */
    albHour: number;
    /** Application Load Balancer per LCU-hour. */
    albLcuHour: number;
    /** S3 Standard per GB-month, first 50 TB in a month. */
    s3StandardGbMonth: number;
    /** AWS Backup warm storage per GB-month for RDS snapshots (EBS snapshots are $0.05). */
    backupWarmGbMonth: number;
    /** Data transfer out of us-east-1 to us-west-2 per GB, which a cross-Region backup copy pays. */
    interRegionTransferGb: number;
    /** CloudWatch Logs ingestion per GB, Standard log class. */
    logsIngestionGb: number;
    /** Vended logs (VPC flow logs) delivered to CloudWatch Logs per GB, first volume tier (up to 10 TB a month). */
    vendedLogsIngestionGb: number;
    /** CloudWatch Logs storage (archival) per GB-month. */
    logsStorageGbMonth: number;
    /** CloudWatch standard-resolution metric alarm per alarm-month. */
    alarmMonth: number;
    /** KMS customer managed key per key-month, before request charges (automatic rotation can add to it). */
    kmsKeyMonth: number;
    /** Secrets Manager per secret-month. */
    secretMonth: number;
}

export const PRICES: PriceTable = {
    date: "2026-10-02",
    region: "us-east-1",
    currency: "USD",
    source:
        "AWS Price List API / aws.amazon.com/<service>/pricing, region us-east-1, on-demand list prices: " +
        "EC2 Linux shared tenancy, RDS for PostgreSQL Single-AZ, ElastiCache Redis OSS; as of 2026-10-02 " +
        "(ElastiCache read from the Price List API on that date; the other items confirmed against " +
        "published price listings dated April to June 2026).",
    hoursPerMonth: 730,
    eksClusterHour: 0.1,
    ec2InstanceHour: {
        "c6i.large": 0.085,
        "c6i.xlarge": 0.17,
        "m5.large": 0.096,
        "m5.xlarge": 0.192,
        "m6a.large": 0.0864,
        "m6a.xlarge": 0.1728,
        "m6i.large": 0.096,
        "m6i.xlarge": 0.192,
        "m7g.large": 0.0816,
        "m7g.xlarge": 0.1632,
        "m7i.large": 0.1008,
        "m7i.xlarge": 0.2016,
        "r6i.large": 0.126,
        "r6i.xlarge": 0.252,
        "t3.large": 0.0832,
        "t3.medium": 0.0416,
    },
    natGatewayHour: 0.045,
    natGatewayGb: 0.045,
    publicIpv4Hour: 0.005,
    interfaceEndpointAzHour: 0.01,
    interfaceEndpointGb: 0.01,
    // db.r7g.large and db.r7g.xlarge are left out: no PostgreSQL-specific price for them could be confirmed.
    rdsPostgresInstanceHour: {
        "db.m6i.large": 0.178,
        "db.m7g.large": 0.168,
        "db.m7g.xlarge": 0.337,
        "db.r6g.large": 0.225,
        "db.r6g.xlarge": 0.45,
        "db.t4g.large": 0.129,
        "db.t4g.medium": 0.065,
        "db.t4g.micro": 0.016,
        "db.t4g.small": 0.032,
    },
    rdsGp3GbMonth: 0.115,
    rdsBackupGbMonth: 0.095,
    elasticacheNodeHour: {
        "cache.m7g.large": 0.158,
        "cache.r6g.large": 0.206,
        "cache.r7g.large": 0.219,
        "cache.r7g.xlarge": 0.437,
        "cache.t4g.medium": 0.065,
        "cache.t4g.micro": 0.016,
        "cache.t4g.small": 0.032,
    },
    ebsGp3GbMonth: 0.08,
    albHour: 0.0225,
    albLcuHour: 0.008,
    s3StandardGbMonth: 0.023,
    backupWarmGbMonth: 0.095,
    interRegionTransferGb: 0.02,
    logsIngestionGb: 0.5,
    vendedLogsIngestionGb: 0.5,
    logsStorageGbMonth: 0.03,
    alarmMonth: 0.1,
    kmsKeyMonth: 1,
    secretMonth: 0.4,
};
