import assert from "node:assert/strict";
import { Cost, CostEstimate, CostedResource, CostOptions, estimateCost, gibibytes } from "../tools/cost";
import { PRICES, PriceTable } from "../tools/prices";

const STACK = "urn:pulumi:t::platform::pulumi:pulumi:Stack::platform-t";

/** Round prices, so the expected figures below can be worked out by hand. */
const ROUND_PRICES: PriceTable = {
    ...PRICES,
    date: "2000-01-01",
    region: "us-east-1",
    hoursPerMonth: 730,
    eksClusterHour: 0.1,
    ec2InstanceHour: { "t3.medium": 0.04 },
    natGatewayHour: 0.05,
    publicIpv4Hour: 0.005,
    interfaceEndpointAzHour: 0.01,
    rdsPostgresInstanceHour: { "db.t4g.micro": 0.02 },
    rdsGp3GbMonth: 0.1,
    ebsGp3GbMonth: 0.08,
    elasticacheNodeHour: { "cache.t4g.micro": 0.02 },
};

/** An estimate that must have been made (fails the test on a refusal). */
function estimated(cost: Cost): CostEstimate {
    assert.ok(cost.estimated, cost.estimated ? "" : cost.reason);
    return cost;
}

/** The estimate of resources in us-east-1 at the round prices (or others given). */
function estimate(resources: readonly CostedResource[], options: Partial<CostOptions> = {}): CostEstimate {
    return estimated(estimateCost(resources, { region: "us-east-1", tables: { "us-east-1": ROUND_PRICES }, ...options }));
}

let counter = 0;
function resource(type: string, parent: string, inputs: Record<string, unknown> = {}, extra: Partial<CostedResource> = {}): CostedResource {
    const name = extra.name ?? `r${++counter}`;
    return { urn: `${parent}$${type}::${name}`, type, name, parent, custom: !type.startsWith("platform:"), inputs, ...extra };
}

/** A small stack: a network, a cluster with two node groups (one of an unknown type) and Prometheus, a database. */
function smallStack(): CostedResource[] {
    const stack: CostedResource = { urn: STACK, type: "pulumi:pulumi:Stack", name: "platform-t", parent: null, custom: false, inputs: {} };
    const network = resource("platform:index:Network", STACK, {}, { name: "net" });
    const cluster = resource("platform:index:Cluster", STACK, {}, { name: "k8s" });
    const database = resource("platform:index:Database", STACK, {}, { name: "db" });
    const template = resource("aws:ec2/launchTemplate:LaunchTemplate", cluster.urn, {
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 20, volumeType: "gp3" } }],
    });
    return [
        stack,
        network,
        resource("aws:ec2/natGateway:NatGateway", network.urn),
        resource("aws:ec2/eip:Eip", network.urn),
        resource("aws:ec2/vpcEndpoint:VpcEndpoint", network.urn, { vpcEndpointType: "Interface", serviceName: "com.amazonaws.us-east-1.sts", subnetIds: ["a", "b"] }),
        resource("aws:ec2/vpcEndpoint:VpcEndpoint", network.urn, { vpcEndpointType: "Gateway", serviceName: "com.amazonaws.us-east-1.s3" }),
        cluster,
        resource("aws:eks/cluster:Cluster", cluster.urn),
        template,
        resource("aws:eks/nodeGroup:NodeGroup", cluster.urn, { instanceTypes: ["t3.medium", "t3.large"], scalingConfig: { desiredSize: 2 } }, { propertyDependencies: { launchTemplate: [template.urn] } }),
        resource("aws:eks/nodeGroup:NodeGroup", cluster.urn, { instanceTypes: ["x9.huge"], scalingConfig: { desiredSize: 1 } }, { name: "odd" }),
        resource("kubernetes:helm.sh/v3:Release", cluster.urn, {
            chart: "kube-prometheus-stack",
            values: {
                prometheus: { prometheusSpec: { replicas: 2, storageSpec: { volumeClaimTemplate: { spec: { resources: { requests: { storage: "50Gi" } } } } } } },
                alertmanager: { alertmanagerSpec: { storage: { volumeClaimTemplate: { spec: { resources: { requests: { storage: "2Gi" } } } } } } },
                grafana: { persistence: { enabled: false, size: "10Gi" } },
            },
        }),
        database,
        resource("aws:rds/instance:Instance", database.urn, { engine: "postgres", instanceClass: "db.t4g.micro", multiAz: true, allocatedStorage: 20, storageType: "gp3" }),
        resource("aws:elasticache/replicationGroup:ReplicationGroup", database.urn, { nodeType: "cache.t4g.micro", numCacheClusters: 2 }),
    ];
}

describe("the cost estimate", function () {
    it("prices a small stack as worked out by hand", function () {
        const cost = estimate(smallStack());
        // Network: NAT 730 h × 0.05 = 36.50; its address 730 × 0.005 = 3.65; an interface endpoint in 2 AZs
        // 2 × 730 × 0.01 = 14.60; the gateway endpoint is free. 54.75.
        // Cluster: control plane 730 × 0.10 = 73.00; 2 t3.medium 2 × 730 × 0.04 = 58.40; their 20 GB roots
        // 40 × 0.08 = 3.20; Prometheus 2 × 50 GB × 0.08 = 8.00; Alertmanager 2 GB × 0.08 = 0.16;
        // Grafana's volume is off. 142.76.
        // Database: Multi-AZ db.t4g.micro 2 × 730 × 0.02 = 29.20; 20 GB × 2 × 0.10 = 4.00; two cache nodes
        // 2 × 730 × 0.02 = 29.20. 62.40.
        assert.deepEqual(cost.byComponent, { Network: 54.75, Cluster: 142.76, Database: 62.4 });
        assert.equal(cost.monthlyTotal, 259.91);
        assert.equal(cost.currency, "USD");
        assert.equal(cost.priceTableDate, "2000-01-01");

        const nodes = cost.lines.find((line) => line.item.startsWith("EC2 t3.medium"))!;
        assert.deepEqual(
            { quantity: nodes.quantity, unitPrice: nodes.unitPrice, monthly: nodes.monthly },
            { quantity: 1460, unitPrice: 0.04, monthly: 58.4 },
            "2 nodes × 730 h, priced at the first listed type",
        );
        const database = cost.lines.find((line) => line.item.startsWith("RDS PostgreSQL"))!;
        assert.match(database.item, /Multi-AZ/);
        assert.equal(database.quantity, 1460, "Multi-AZ bills the standby's hours too");
    });

    it("reports an instance type the table lacks instead of pricing it at zero", function () {
        const cost = estimate(smallStack());
        assert.deepEqual(
            cost.unpriced.map((u) => [u.urn.split("::").pop(), u.reason]),
            [["odd", "x9.huge is not in the us-east-1 price table"]],
        );
        assert.ok(!cost.lines.some((line) => line.urn.endsWith("::odd")), "no zero line for it");

        const unknownClass = estimate([resource("aws:rds/instance:Instance", STACK, { instanceClass: "db.z9.mega", allocatedStorage: 10 })]);
        assert.equal(unknownClass.unpriced[0].reason, "db.z9.mega is not in the us-east-1 price table");
        assert.equal(unknownClass.monthlyTotal, 1, "its storage is still priced: 10 GB × 0.10, single-AZ");
    });

    it("labels usage it cannot know as an assumption, in the line and in the list", function () {
        const logs = resource("aws:cloudwatch/logGroup:LogGroup", STACK, { retentionInDays: 90 });
        const bucket = resource("aws:s3/bucket:Bucket", STACK);
        const cost = estimate([logs, bucket], { tables: undefined, usage: { s3GbPerBucket: 10, logGbPerGroupMonth: 2, backupStorageFactor: 1, albLcus: 1 } });
        const items = cost.lines.map((line) => line.item);
        assert.ok(items.includes("S3 Standard GB-months (assumed 10 GB)"), items.join("\n"));
        assert.ok(items.includes("CloudWatch Logs ingestion GB (assumed 2 GB)"), items.join("\n"));
        // Two GB a month kept 90 days: three months' worth stored.
        assert.ok(items.includes("CloudWatch Logs storage GB-months (6 GB over the retention)"), items.join("\n"));
        assert.ok(cost.assumptions.some((a) => a.startsWith("S3: 10 GB stored in each bucket")));
        assert.ok(cost.assumptions.some((a) => a.startsWith("CloudWatch Logs: 2 GB ingested per log group")));
        assert.deepEqual(cost.byComponent, { Stack: cost.monthlyTotal }, "what sits at the root is the Stack's");
    });

    it("stores backups in every vault and charges the crossing to the vault that receives copies", function () {
        const database = resource("aws:rds/instance:Instance", STACK, { instanceClass: "db.t4g.micro", allocatedStorage: 10 });
        const primary = resource("aws:backup/vault:Vault", STACK, {}, { name: "platform-t-backup" });
        const dr = resource("aws:backup/vault:Vault", STACK, {}, { name: "platform-t-backup-dr" });
        const plan = resource("aws:backup/plan:Plan", STACK, {
            rules: [{ ruleName: "daily", copyActions: [{ destinationVaultArn: "arn:aws:backup:us-west-2:123456789012:backup-vault:platform-t-backup-dr-1a2b3c4" }] }],
        });
        const cost = estimate([database, primary, dr, plan], { tables: undefined, usage: { s3GbPerBucket: 0, logGbPerGroupMonth: 0, backupStorageFactor: 2, albLcus: 1 } });
        const vaultLines = (vault: CostedResource) => cost.lines.filter((line) => line.urn === vault.urn).map((line) => [line.item, line.quantity]);
        assert.deepEqual(vaultLines(primary), [["AWS Backup warm storage GB-months (assumed 20 GB)", 20]]);
        assert.deepEqual(vaultLines(dr), [
            ["AWS Backup warm storage GB-months (assumed 20 GB)", 20],
            ["inter-region transfer of backup copies from us-east-1, GB (assumed 10 GB)", 10],
        ]);
    });

    it("uses the dated table by default", function () {
        const cost = estimated(estimateCost([resource("aws:eks/cluster:Cluster", STACK)], { region: "us-east-1" }));
        assert.equal(cost.priceTableDate, PRICES.date);
        assert.equal(cost.monthlyTotal, Math.round(PRICES.eksClusterHour! * PRICES.hoursPerMonth * 100) / 100);
        assert.match(PRICES.date, /^\d{4}-\d{2}-\d{2}$/);
        assert.equal(PRICES.region, "us-east-1");
    });

    it("reads Kubernetes storage quantities in GiB", function () {
        assert.equal(gibibytes("200Gi"), 200);
        assert.equal(gibibytes("1Ti"), 1024);
        assert.equal(gibibytes("512Mi"), 0.5);
        assert.equal(gibibytes("lots"), undefined);
        assert.equal(gibibytes(undefined), undefined);
    });
});
