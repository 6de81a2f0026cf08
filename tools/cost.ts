/**
 * A monthly cost estimate of a planned stack, each resource priced at the dated table of the
 * Region it is created in (prices.ts): the stack's Region, or that of the explicit provider it
 * is made through (the DR Region's). What the inputs fix (instance types and counts, volume
 * sizes, hours) is priced; what depends on use (stored bytes, log volume, traffic) is priced
 * from assumptions that every line says it makes. A price a table lacks, and a resource type
 * neither priced here nor free in costScope.ts, is listed as unpriced, never counted as free;
 * a Region with no table at all makes the estimate refuse, with the reason.
 */
import { className } from "./graph";
import { CHARTS_WITHOUT_AWS_RESOURCES, FREE_KUBERNETES_TYPES, FREE_TYPES, isStructural, Regions } from "./costScope";
import { Cost, CostedResource, CostEstimate, CostLine, DEFAULT_USAGE, UnpricedItem, UsageAssumptions } from "./costTypes";
import { PRICE_NAMES, PRICE_TABLES, PriceTable, UnitPrice } from "./prices";

export * from "./costTypes";

export interface CostOptions {
    /** The stack's Region (config `aws:region`): resources made through the default provider are there. */
    region: string;
    /** Price tables by Region; the dated ones in prices/ by default. */
    tables?: Readonly<Record<string, PriceTable>>;
    usage?: UsageAssumptions;
}

/** Persistent volumes the platform's charts claim, by chart: where each size and replica count sits in the values. */
const CHART_VOLUMES: Readonly<Record<string, ReadonlyArray<{ what: string; size: string; replicas?: string; enabled?: string }>>> = {
    "kube-prometheus-stack": [
        { what: "Prometheus", size: "prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage", replicas: "prometheus.prometheusSpec.replicas" },
        { what: "Alertmanager", size: "alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.resources.requests.storage", replicas: "alertmanager.alertmanagerSpec.replicas" },
        { what: "Grafana", size: "grafana.persistence.size", enabled: "grafana.persistence.enabled", replicas: "grafana.replicas" },
    ],
    loki: [{ what: "Loki", size: "singleBinary.persistence.size", enabled: "singleBinary.persistence.enabled", replicas: "singleBinary.replicas" }],
    tempo: [{ what: "Tempo", size: "persistence.size", enabled: "persistence.enabled", replicas: "replicas" }],
};

const ALWAYS_ASSUMED = [
    "On-demand prices of each resource's Region; no Savings Plans, Reserved Instances or free tier.",
    "Everything runs all month: 730 hours.",
    "Node groups run at their desired size; the cluster autoscaler and the HPA may add nodes.",
    "Not included: data transfer out, NAT gateway and VPC endpoint data processing, API and request charges, taxes.",
];

/**
 * The monthly cost of a planned stack, each resource at the prices of the Region it is created
 * in; or a refusal, with its reason, when one of those Regions has no price table.
 */
export function estimateCost(resources: readonly CostedResource[], options: CostOptions): Cost {
    const tables = options.tables ?? PRICE_TABLES;
    const regions = new Regions(resources, options.region);
    const billable = resources.filter((r) => !isStructural(r) && !FREE_TYPES.has(r.type) && !FREE_KUBERNETES_TYPES.has(r.type));
    const needed = [...new Set([options.region, ...billable.map((r) => regions.of(r)).filter((region) => region !== undefined)])];
    const missing = needed.filter((region) => tables[region] === undefined);
    if (missing.length > 0) {
        const known = Object.keys(tables).sort();
        return {
            estimated: false,
            currency: "USD",
            region: options.region,
            reason: `no price table for ${missing.join(", ")} (tables: ${known.join(", ")})`,
            regionsWithoutTable: missing,
            tables: known,
        };
    }
    const estimate = new Estimate(resources, tables, regions, options.usage ?? DEFAULT_USAGE);
    for (const resource of billable) {
        estimate.price(resource);
    }
    return estimate.result();
}

class Estimate {
    private readonly lines: CostLine[] = [];
    private readonly unpriced: UnpricedItem[] = [];
    private readonly assumptions = new Set<string>(ALWAYS_ASSUMED);
    private readonly byUrn: Map<string, CostedResource>;

    constructor(
        private readonly resources: readonly CostedResource[],
        private readonly tables: Readonly<Record<string, PriceTable>>,
        private readonly regions: Regions,
        private readonly usage: UsageAssumptions,
    ) {
        this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    }

    price(r: CostedResource): void {
        const region = this.regions.of(r);
        if (region === undefined) {
            return this.unknown(r, shortName(r), "its aws provider sets no region, so the price table to use is unknown");
        }
        const inputs = r.inputs;
        switch (r.type) {
            case "aws:eks/cluster:Cluster":
                return this.hourly(r, region, "EKS control plane (standard support), cluster-hours", 1, "eksClusterHour");
            case "aws:eks/nodeGroup:NodeGroup":
                return this.nodeGroup(r, region);
            case "aws:ec2/natGateway:NatGateway":
                return this.hourly(r, region, "NAT gateway-hours", 1, "natGatewayHour");
            case "aws:ec2/eip:Eip":
                return this.hourly(r, region, "public IPv4 address-hours (Elastic IP)", 1, "publicIpv4Hour");
            case "aws:ec2/vpcEndpoint:VpcEndpoint":
                if (inputs.vpcEndpointType === "Interface") {
                    const zones = Array.isArray(inputs.subnetIds) ? inputs.subnetIds.length : 1;
                    return this.hourly(r, region, `interface endpoint ${(inputs.serviceName as string | undefined) ?? r.name}, endpoint-AZ-hours (${zones} AZ)`, zones, "interfaceEndpointAzHour");
                }
                return; // Gateway endpoints (S3, DynamoDB) are free.
            case "aws:rds/instance:Instance":
                return this.database(r, region);
            case "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication":
                return this.replicatedBackups(r, region);
            case "aws:elasticache/replicationGroup:ReplicationGroup":
                return this.cache(r, region);
            case "kubernetes:helm.sh/v3:Release":
                return this.chart(r, region);
            case "kubernetes:networking.k8s.io/v1:Ingress":
                return this.loadBalancer(r, region);
            case "kubernetes:core/v1:Service":
                if ((r.inputs.spec as { type?: string } | undefined)?.type === "LoadBalancer") {
                    return this.unknown(r, `load balancer of Service ${r.name}`, "a LoadBalancer Service creates a load balancer the estimate does not price");
                }
                return;
            case "aws:s3/bucket:Bucket":
            case "aws:s3/bucketV2:BucketV2":
                this.assume(`S3: ${this.usage.s3GbPerBucket} GB stored in each bucket, S3 Standard.`);
                return this.charge(r, region, `S3 Standard GB-months (assumed ${this.usage.s3GbPerBucket} GB)`, this.usage.s3GbPerBucket, "s3StandardGbMonth");
            case "aws:s3/bucketReplicationConfig:BucketReplicationConfig":
                this.assume(`A replicated bucket's contents (the assumed ${this.usage.s3GbPerBucket} GB) cross Regions once a month.`);
                return this.charge(r, region, `inter-Region transfer of replicated objects, GB (assumed ${this.usage.s3GbPerBucket} GB)`, this.usage.s3GbPerBucket, "interRegionTransferGb");
            case "aws:backup/vault:Vault":
                return this.vault(r, region);
            case "aws:backup/restoreTestingPlan:RestoreTestingPlan":
                return this.unknown(r, "AWS Backup restore testing", "restore testing jobs and the hours of the instances they restore are not in the price tables", `${region}: AWS Backup restore testing`);
            case "aws:cloudwatch/logGroup:LogGroup":
                return this.logGroup(r, region);
            case "aws:cloudwatch/metricAlarm:MetricAlarm":
                return this.charge(r, region, "CloudWatch alarm-months", 1, "alarmMonth");
            case "aws:kms/key:Key":
                return this.charge(r, region, "KMS customer managed key-months", 1, "kmsKeyMonth");
            case "aws:secretsmanager/secret:Secret":
                return this.charge(r, region, "Secrets Manager secret-months", 1, "secretMonth");
            default:
                return this.unknown(r, shortName(r), `the estimate does not know ${r.type}: price it in cost.ts or list it as free in costScope.ts`);
        }
    }

    private nodeGroup(r: CostedResource, region: string): void {
        const inputs = r.inputs;
        const desired = Number((inputs.scalingConfig as { desiredSize?: number } | undefined)?.desiredSize ?? 0);
        const template = this.referenced(r, "launchTemplate");
        const types = Array.isArray(inputs.instanceTypes) ? (inputs.instanceTypes as string[]) : [];
        // On-Demand managed node groups launch the first listed type while it has capacity.
        const type = types[0] ?? (template?.inputs.instanceType as string | undefined);
        if (inputs.capacityType === "SPOT") {
            this.assume("Spot node groups are priced at the on-demand price, their upper bound.");
        }
        if (types.length > 1) {
            this.assume("A node group listing several instance types is priced at its first (EKS launches on-demand nodes in the listed order).");
        }
        if (type === undefined) {
            this.unknown(r, `EC2 (no instance type) × ${nodesOf(desired)}`, "the node group names no instance type");
        } else {
            this.typed(r, region, `EC2 ${type} node-hours (${nodesOf(desired)})`, desired * this.hours(region), "ec2InstanceHour", type);
        }
        for (const mapping of (template?.inputs.blockDeviceMappings as Array<{ ebs?: { volumeSize?: number; volumeType?: string } }> | undefined) ?? []) {
            const size = Number(mapping.ebs?.volumeSize ?? 0);
            if (size > 0) {
                this.volume(r, region, `EBS ${mapping.ebs?.volumeType ?? "gp3"} node root volumes, GB-months (${desired} × ${size} GB)`, desired * size, mapping.ebs?.volumeType);
            }
        }
    }

    private database(r: CostedResource, region: string): void {
        const inputs = r.inputs;
        const instanceClass = String(inputs.instanceClass);
        const multiAz = inputs.multiAz === true;
        const copies = multiAz ? 2 : 1;
        if (inputs.engine !== undefined && inputs.engine !== "postgres") {
            this.unknown(r, `RDS ${inputs.engine as string} ${instanceClass}`, "the tables price RDS for PostgreSQL only");
        } else {
            const item = `RDS PostgreSQL ${instanceClass}${multiAz ? " Multi-AZ (primary + standby)" : ""}, instance-hours`;
            this.typed(r, region, item, copies * this.hours(region), "rdsPostgresInstanceHour", instanceClass);
        }
        const storage = Number(inputs.allocatedStorage ?? 0);
        if (storage > 0) {
            if ((inputs.storageType ?? "gp3") !== "gp3") {
                this.unknown(r, `RDS ${String(inputs.storageType)} storage`, "the tables price gp3 storage only");
            } else {
                this.charge(r, region, `RDS gp3 storage GB-months (${storage} GB${multiAz ? " × 2 for Multi-AZ" : ""})`, storage * copies, "rdsGp3GbMonth");
            }
        }
        if (Number(inputs.backupRetentionPeriod ?? 0) > 0) {
            this.assume("RDS automated backups fit in the free backup storage (100% of the region's provisioned database storage).");
        }
    }

    /** Stored in the DR Region, at its price; the crossing is paid where the data leaves, at the source's. */
    private replicatedBackups(r: CostedResource, region: string): void {
        const source = this.resources.find((s) => s.type === "aws:rds/instance:Instance" && (r.propertyDependencies?.sourceDbInstanceArn ?? []).includes(s.urn));
        const storage = Number(source?.inputs.allocatedStorage ?? 0);
        if (source === undefined || storage === 0) {
            return;
        }
        this.assume("Backups replicated to another region take as much storage as the database's allocation, and that much crosses regions each month.");
        this.charge(r, region, `replicated RDS backup storage GB-months in ${region} (assumed ${storage} GB)`, storage, "rdsBackupGbMonth");
        const from = this.regions.of(source) ?? this.regions.stack;
        this.charge(r, from, `inter-region transfer of replicated backups from ${from}, GB (assumed ${storage} GB)`, storage, "interRegionTransferGb");
    }

    private cache(r: CostedResource, region: string): void {
        const inputs = r.inputs;
        const nodeType = String(inputs.nodeType);
        const nodes = inputs.numCacheClusters !== undefined
            ? Number(inputs.numCacheClusters)
            : Number(inputs.numNodeGroups ?? 1) * (Number(inputs.replicasPerNodeGroup ?? 0) + 1);
        this.typed(r, region, `ElastiCache ${nodeType} node-hours (${nodesOf(nodes)})`, nodes * this.hours(region), "elasticacheNodeHour", nodeType);
    }

    private chart(r: CostedResource, region: string): void {
        const chart = String(r.inputs.chart);
        const volumes = CHART_VOLUMES[chart];
        if (volumes === undefined) {
            if (!CHARTS_WITHOUT_AWS_RESOURCES.has(chart)) {
                this.unknown(r, `Helm chart ${chart}`, `the estimate does not know what chart ${chart} creates: list its volumes in cost.ts or it in costScope.ts`);
            }
            return;
        }
        const values = (r.inputs.values ?? {}) as Record<string, unknown>;
        for (const volume of volumes) {
            if (volume.enabled !== undefined && valueAt(values, volume.enabled) !== true) {
                continue;
            }
            const size = gibibytes(valueAt(values, volume.size));
            if (size === undefined) {
                continue;
            }
            const replicas = Number(volume.replicas === undefined ? 1 : (valueAt(values, volume.replicas) ?? 1));
            this.volume(r, region, `EBS gp3 ${volume.what} volumes, GB-months (${replicas} × ${size} GB)`, replicas * size, "gp3");
        }
    }

    private loadBalancer(r: CostedResource, region: string): void {
        const spec = r.inputs.spec as { ingressClassName?: string } | undefined;
        if (spec?.ingressClassName !== "alb") {
            return;
        }
        this.hourly(r, region, "Application Load Balancer-hours", 1, "albHour");
        this.assume(`The load balancer uses ${this.usage.albLcus} LCU on average.`);
        this.hourly(r, region, `ALB LCU-hours (assumed ${this.usage.albLcus} LCU)`, this.usage.albLcus, "albLcuHour");
        const annotations = ((r.inputs.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {});
        if (annotations["alb.ingress.kubernetes.io/scheme"] === "internet-facing") {
            // An internet-facing ALB holds a public IPv4 address in each public subnet it spans.
            const zones = this.resources.filter((s) => s.type === "aws:ec2/subnet:Subnet" && (s.inputs.tags as Record<string, string> | undefined)?.["kubernetes.io/role/elb"] === "1").length;
            if (zones > 0) {
                this.hourly(r, region, `ALB public IPv4 address-hours (${zones} public subnets)`, zones, "publicIpv4Hour");
            }
        }
    }

    private vault(r: CostedResource, region: string): void {
        const protectedGb = this.resources
            .filter((s) => s.type === "aws:rds/instance:Instance" && s.inputs.replicateSourceDb === undefined)
            .reduce((sum, s) => sum + Number(s.inputs.allocatedStorage ?? 0), 0);
        if (protectedGb === 0) {
            return;
        }
        const stored = protectedGb * this.usage.backupStorageFactor;
        this.assume(`A backup vault holds ${this.usage.backupStorageFactor} × the databases' allocated storage (a full snapshot and its increments); a vault that receives copies gets the allocated storage across regions each month.`);
        this.charge(r, region, `AWS Backup warm storage GB-months (assumed ${stored} GB)`, stored, "backupWarmGbMonth");
        const copier = this.copyingPlan(r);
        if (copier !== undefined) {
            // The copy job runs in the source vault's Region, which pays the transfer out.
            const from = this.regions.of(copier) ?? this.regions.stack;
            this.charge(r, from, `inter-region transfer of backup copies from ${from}, GB (assumed ${protectedGb} GB)`, protectedGb, "interRegionTransferGb");
        }
    }

    /** The backup plan with a rule that copies into this vault (the DR vault): its name ends the rule's destination ARN. */
    private copyingPlan(vault: CostedResource): CostedResource | undefined {
        return this.resources
            .filter((plan) => plan.type === "aws:backup/plan:Plan")
            .find((plan) =>
                ((plan.inputs.rules as Array<{ copyActions?: Array<{ destinationVaultArn?: string }> }> | undefined) ?? [])
                    .flatMap((rule) => rule.copyActions ?? [])
                    .some((copy) => {
                        // arn:aws:backup:<region>:<account>:backup-vault:<name>; the name is given, or the logical name auto-named.
                        const destination = String(copy.destinationVaultArn ?? "").split(":backup-vault:")[1] ?? "";
                        const named = vault.inputs.name as string | undefined;
                        return named !== undefined ? destination === named : /^-[0-9a-f]{7}$/.test(destination.slice(vault.name.length)) && destination.startsWith(vault.name);
                    }),
            );
    }

    private logGroup(r: CostedResource, region: string): void {
        const gb = this.usage.logGbPerGroupMonth;
        const vended = this.resources.some((s) => s.type === "aws:ec2/flowLog:FlowLog" && (s.propertyDependencies?.logDestination ?? []).includes(r.urn));
        this.assume(`CloudWatch Logs: ${gb} GB ingested per log group per month, stored uncompressed for its retention (up to a year).`);
        this.charge(r, region, `CloudWatch Logs ${vended ? "vended (flow log) " : ""}ingestion GB (assumed ${gb} GB)`, gb, vended ? "vendedLogsIngestionGb" : "logsIngestionGb");
        const retentionMonths = Math.min(Number(r.inputs.retentionInDays ?? 365), 365) / 30;
        const stored = round(gb * retentionMonths, 1);
        this.charge(r, region, `CloudWatch Logs storage GB-months (${stored} GB over the retention)`, stored, "logsStorageGbMonth");
    }

    private volume(r: CostedResource, region: string, item: string, gb: number, volumeType = "gp3"): void {
        if (volumeType !== "gp3") {
            return this.unknown(r, item, `EBS ${volumeType} is not in the price tables`);
        }
        this.charge(r, region, item, gb, "ebsGp3GbMonth");
    }

    private referenced(r: CostedResource, property: string): CostedResource | undefined {
        const urn = (r.propertyDependencies?.[property] ?? [])[0];
        return urn === undefined ? undefined : this.byUrn.get(urn);
    }

    private hours(region: string): number {
        return this.tables[region].hoursPerMonth;
    }

    private hourly(r: CostedResource, region: string, item: string, count: number, price: UnitPrice): void {
        this.charge(r, region, item, count * this.hours(region), price);
    }

    /** A line at one of the Region's unit prices, or an unpriced item when its table lacks that price. */
    private charge(r: CostedResource, region: string, item: string, quantity: number, price: UnitPrice): void {
        const unitPrice = this.tables[region][price];
        if (unitPrice === undefined) {
            return this.unknown(r, item, `the ${region} price table has no confirmed ${PRICE_NAMES[price]} price`, `${region}: ${PRICE_NAMES[price]}`);
        }
        this.lines.push({ urn: r.urn, item, quantity: round(quantity, 3), unitPrice, monthly: round(quantity * unitPrice, 2), region });
    }

    /** A line at the Region's price for an instance, DB or cache node type; unpriced when the table lacks the type. */
    private typed(r: CostedResource, region: string, item: string, quantity: number, map: "ec2InstanceHour" | "rdsPostgresInstanceHour" | "elasticacheNodeHour", type: string): void {
        const unitPrice = this.tables[region][map][type];
        if (unitPrice === undefined) {
            return this.unknown(r, item, `${type} is not in the ${region} price table`, `${region}: ${type}`);
        }
        this.lines.push({ urn: r.urn, item, quantity: round(quantity, 3), unitPrice, monthly: round(quantity * unitPrice, 2), region });
    }

    private unknown(r: CostedResource, item: string, reason: string, missingPrice?: string): void {
        this.unpriced.push({ urn: r.urn, item, reason, ...(missingPrice ? { missingPrice } : {}) });
    }

    private assume(text: string): void {
        this.assumptions.add(text);
    }

    result(): CostEstimate {
        const byComponent: Record<string, number> = {};
        for (const line of this.lines) {
            const component = componentOf(line.urn, this.byUrn);
            byComponent[component] = round((byComponent[component] ?? 0) + line.monthly, 2);
        }
        const used = [...new Set([this.regions.stack, ...this.lines.map((line) => line.region)])];
        return {
            estimated: true,
            currency: "USD",
            monthlyTotal: round(this.lines.reduce((sum, line) => sum + line.monthly, 0), 2),
            byComponent,
            lines: this.lines,
            assumptions: [...this.assumptions],
            priceTableDate: this.tables[this.regions.stack].date,
            region: this.regions.stack,
            priceTables: used.map((region) => ({ region, date: this.tables[region].date, sources: this.tables[region].sources })),
            unpriced: this.unpriced,
        };
    }
}

/** The class of the top-level component a resource belongs to; "Stack" for the root's own children. */
export function componentOf(urn: string, byUrn: ReadonlyMap<string, Pick<CostedResource, "type" | "parent">>): string {
    let current = byUrn.get(urn);
    while (current !== undefined) {
        const parent = current.parent === null ? undefined : byUrn.get(current.parent);
        if (parent === undefined || parent.type === "pulumi:pulumi:Stack") {
            return current.type.startsWith("platform:index:") ? className(current.type) : "Stack";
        }
        current = parent;
    }
    return "Stack";
}

function shortName(r: CostedResource): string {
    return `${r.type.split(":").pop()} ${r.name}`;
}

function nodesOf(count: number): string {
    return `${count} ${count === 1 ? "node" : "nodes"}`;
}

/** A Kubernetes quantity ("200Gi", "10G") in GiB; undefined when absent or not a size. */
export function gibibytes(quantity: unknown): number | undefined {
    const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(typeof quantity === "string" || typeof quantity === "number" ? String(quantity) : "");
    if (!match) {
        return undefined;
    }
    const scale: Record<string, number> = { Ki: 2 ** -20, Mi: 2 ** -10, Gi: 1, Ti: 1024, K: 1e3 / 2 ** 30, M: 1e6 / 2 ** 30, G: 1e9 / 2 ** 30, T: 1e12 / 2 ** 30 };
    return round(Number(match[1]) * scale[match[2] ?? "Gi"], 3);
}

function valueAt(root: Record<string, unknown>, path: string): unknown {
    return path.split(".").reduce<unknown>((value, key) => (value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined), root);
}

function round(value: number, digits: number): number {
    const factor = 10 ** digits;
    return Math.round(value * factor) / factor;
}
