/** AWS us-east-1 (US East, N. Virginia): the shipped stacks' Region. See ../prices.ts for the rules. */
import type { PriceTable } from "../prices";
import { DBCOST_RDS } from "./sources";

export const US_EAST_1: PriceTable = {
    date: "2026-10-02",
    region: "us-east-1",
    currency: "USD",
    sources: [
        "AWS Price List API / aws.amazon.com/<service>/pricing, region us-east-1, on-demand list prices: " +
            "EC2 Linux shared tenancy, RDS for PostgreSQL Single-AZ, ElastiCache Redis OSS; as of 2026-10-02 " +
            "(ElastiCache read from the Price List API on that date; the other items confirmed against " +
            "published price listings dated April to June 2026).",
        `RDS for PostgreSQL classes cross-checked 2026-12-03 against ${DBCOST_RDS}`,
    ],
    notConfirmed: [
        "RDS for PostgreSQL db.r7g.large and db.r7g.xlarge: the public tables found (2026-12-03) disagree " +
            "($0.227 to $0.276 an hour for db.r7g.large) or do not tell PostgreSQL from MySQL; none could be " +
            "traced to a PostgreSQL price in the Price List. Read them from the Price List API.",
    ],
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
