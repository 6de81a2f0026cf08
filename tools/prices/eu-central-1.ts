/** AWS eu-central-1 (Europe, Frankfurt: the prod-eu test stack's DR Region). A partial table: see notConfirmed, and ../prices.ts for the rules. */
import type { PriceTable } from "../prices";
import { DBCOST_RDS, INFRACOST_DATA_TRANSFER, IPV4_CHARGE, KMS_KEY, SECRETS_MANAGER, SKYPILOT_EC2 } from "./sources";

export const EU_CENTRAL_1: PriceTable = {
    date: "2026-12-03",
    region: "eu-central-1",
    currency: "USD",
    partial: true,
    sources: [DBCOST_RDS, INFRACOST_DATA_TRANSFER, IPV4_CHARGE, KMS_KEY, SECRETS_MANAGER, SKYPILOT_EC2],
    notConfirmed: [
        "Every other price (EC2 m7i.large and types other than m5, m6a, m6i and m7i .large/.xlarge, EKS, NAT gateway, " +
            "interface endpoints, RDS gp3 and backup storage, RDS db.m7g and db.r7g, ElastiCache nodes, EBS gp3, ALB, S3 Standard, " +
            "AWS Backup storage, CloudWatch Logs and alarms): no source could be read for eu-central-1 on 2026-12-03 " +
            "(no network to AWS; no public table found that names this Region's figure). Read them from the Price List API.",
    ],
    hoursPerMonth: 730,
    ec2InstanceHour: {
        "m5.large": 0.115,
        "m5.xlarge": 0.23,
        "m6a.large": 0.1035,
        "m6a.xlarge": 0.207,
        "m6i.large": 0.115,
        "m6i.xlarge": 0.23,
        "m7i.xlarge": 0.2415,
    },
    publicIpv4Hour: 0.005,
    rdsPostgresInstanceHour: {
        "db.m6i.large": 0.212,
        "db.r6g.large": 0.274,
        "db.r6g.xlarge": 0.549,
        "db.t4g.large": 0.149,
        "db.t4g.medium": 0.074,
        "db.t4g.micro": 0.019,
        "db.t4g.small": 0.037,
    },
    elasticacheNodeHour: {},
    interRegionTransferGb: 0.02,
    kmsKeyMonth: 1,
    secretMonth: 0.4,
};
