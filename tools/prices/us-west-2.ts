/** AWS us-west-2 (US West, Oregon: the shipped stacks' DR Region). A partial table: see notConfirmed, and ../prices.ts for the rules. */
import type { PriceTable } from "../prices";
import { DBCOST_RDS, INFRACOST_DATA_TRANSFER, IPV4_CHARGE, KMS_KEY, SECRETS_MANAGER, SKYPILOT_EC2 } from "./sources";

export const US_WEST_2: PriceTable = {
    date: "2026-12-03",
    region: "us-west-2",
    currency: "USD",
    partial: true,
    sources: [DBCOST_RDS, INFRACOST_DATA_TRANSFER, IPV4_CHARGE, KMS_KEY, SECRETS_MANAGER, SKYPILOT_EC2],
    notConfirmed: [
        "Every other price (EC2 types other than m5, m6a, m6i and m7i .large/.xlarge, EKS, NAT gateway, interface endpoints, " +
            "RDS gp3 and backup storage, RDS db.m7g and db.r7g, ElastiCache nodes, EBS gp3, ALB, S3 Standard, AWS Backup storage, " +
            "CloudWatch Logs and alarms): no source could be read for us-west-2 on 2026-12-03 " +
            "(no network to AWS; no public table found that names this Region's figure). Read them from the Price List API.",
    ],
    hoursPerMonth: 730,
    ec2InstanceHour: {
        "m5.large": 0.096,
        "m5.xlarge": 0.192,
        "m6a.large": 0.0864,
        "m6a.xlarge": 0.1728,
        "m6i.large": 0.096,
        "m6i.xlarge": 0.192,
        "m7i.large": 0.1008,
        "m7i.xlarge": 0.2016,
    },
    publicIpv4Hour: 0.005,
    rdsPostgresInstanceHour: {
        "db.m6i.large": 0.178,
        "db.r6g.large": 0.225,
        "db.r6g.xlarge": 0.45,
        "db.t4g.large": 0.129,
        "db.t4g.medium": 0.065,
        "db.t4g.micro": 0.016,
        "db.t4g.small": 0.032,
    },
    elasticacheNodeHour: {},
    interRegionTransferGb: 0.02,
    kmsKeyMonth: 1,
    secretMonth: 0.4,
};
