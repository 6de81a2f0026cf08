/**
 * A monthly cost estimate of a planned stack, from its resources' inputs and the dated price
 * table in prices.ts. What the inputs fix (instance types and counts, volume sizes, hours) is
 * priced; what depends on use (stored bytes, log volume, traffic) is priced from assumptions
 * that every line says it makes. An instance type the table lacks is listed as unpriced, never
 * counted as free.
 */
import { className } from "./graph";
import { PRICES, PriceTable } from "./prices";

/** A resource as the estimate reads it: plan.json's fields it needs. */
export interface CostedResource {
    urn: string;
    type: string;
    name: string;
    parent: string | null;
    custom: boolean;
    inputs: Record<string, unknown>;
    propertyDependencies?: Record<string, string[]>;
}

export interface CostLine {
    /** The resource the cost comes from. */
    urn: string;
    item: string;
    quantity: number;
    unitPrice: number;
    /** quantity × unitPrice, rounded to cents. */
    monthly: number;
}

export interface UnpricedItem {
    urn: string;
    item: string;
    reason: string;
}

/** plan.json's `cost`. */
export interface CostEstimate {
    currency: "USD";
    monthlyTotal: number;
    /** Top-level component class (or "Stack" for what sits at the root) to its monthly cost. */
    byComponent: Record<string, number>;
    lines: CostLine[];
    /** What the usage-driven lines assume, and what the estimate leaves out. */
    assumptions: string[];
    priceTableDate: string;
    region: string;
    /** Resources the table cannot price; the total leaves them out. */
    unpriced: UnpricedItem[];
}

/** Usage the inputs do not fix: stated in the assumptions and in each line that uses it. */
export interface UsageAssumptions {
    /** Stored per S3 bucket (Loki's chunks, Velero's backups, logs). */
    s3GbPerBucket: number;
    /** Ingested per month into each CloudWatch log group. */
    logGbPerGroupMonth: number;
    /** A backup vault holds this many times the protected databases' allocated storage. */
    backupStorageFactor: number;
    /** Load balancer capacity units used on average. */
    albLcus: number;
}

export const DEFAULT_USAGE: UsageAssumptions = { s3GbPerBucket: 50, logGbPerGroupMonth: 5, backupStorageFactor: 1.5, albLcus: 1 };

export interface CostOptions {
    prices?: PriceTable;
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
    "On-demand prices of one region; no Savings Plans, Reserved Instances or free tier.",
    "Everything runs all month: 730 hours.",
    "Node groups run at their desired size; the cluster autoscaler and the HPA may add nodes.",
    "Not included: data transfer out, NAT gateway and VPC endpoint data processing, API and request charges, taxes.",
];

export function estimateCost(resources: readonly CostedResource[], options: CostOptions = {}): CostEstimate {
    const prices = options.prices ?? PRICES;
    const usage = options.usage ?? DEFAULT_USAGE;
    const estimate = new Estimate(resources, prices, usage);
    for (const resource of resources) {
        estimate.price(resource);
    }
    return estimate.result();
}

class Estimate {
    private readonly lines: CostLine[] = [];
    private readonly unpriced: UnpricedItem[] = [];
    private readonly assumptions = new Set<string>(ALWAYS_ASSUMED);
    private readonly byUrn: Map<string, CostedResource>;
    private readonly hours: number;

    constructor(
        private readonly resources: readonly CostedResource[],
        private readonly prices: PriceTable,
        private readonly usage: UsageAssumptions,
    ) {
        this.byUrn = new Map(resources.map((r) => [r.urn, r]));
        this.hours = prices.hoursPerMonth;
    }

    price(r: CostedResource): void {
        const p = this.prices;
        const inputs = r.inputs;
        switch (r.type) {
            case "aws:eks/cluster:Cluster":
                return this.hourly(r, "EKS control plane (standard support), cluster-hours", 1, p.eksClusterHour);
            case "aws:eks/nodeGroup:NodeGroup":
                return this.nodeGroup(r);
            case "aws:ec2/natGateway:NatGateway":
                return this.hourly(r, "NAT gateway-hours", 1, p.natGatewayHour);
            case "aws:ec2/eip:Eip":
                return this.hourly(r, "public IPv4 address-hours (Elastic IP)", 1, p.publicIpv4Hour);
            case "aws:ec2/vpcEndpoint:VpcEndpoint":
                if (inputs.vpcEndpointType === "Interface") {
                    const zones = Array.isArray(inputs.subnetIds) ? inputs.subnetIds.length : 1;
                    return this.hourly(r, `interface endpoint ${(inputs.serviceName as string | undefined) ?? r.name}, endpoint-AZ-hours (${zones} AZ)`, zones, p.interfaceEndpointAzHour);
                }
                return;
            case "aws:rds/instance:Instance":
                return this.database(r);
            case "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication":
                return this.replicatedBackups(r);
            case "aws:elasticache/replicationGroup:ReplicationGroup":
                return this.cache(r);
            case "kubernetes:helm.sh/v3:Release":
                return this.chartVolumes(r);
            case "kubernetes:networking.k8s.io/v1:Ingress":
                return this.loadBalancer(r);
            case "aws:s3/bucket:Bucket":
            case "aws:s3/bucketV2:BucketV2":
                this.assume(`S3: ${this.usage.s3GbPerBucket} GB stored in each bucket, S3 Standard.`);
                return this.monthly(r, `S3 Standard GB-months (assumed ${this.usage.s3GbPerBucket} GB)`, this.usage.s3GbPerBucket, p.s3StandardGbMonth);
            case "aws:backup/vault:Vault":
                return this.vault(r);
            case "aws:cloudwatch/logGroup:LogGroup":
                return this.logGroup(r);
            case "aws:cloudwatch/metricAlarm:MetricAlarm":
                return this.monthly(r, "CloudWatch alarm-months", 1, p.alarmMonth);
            case "aws:kms/key:Key":
                return this.monthly(r, "KMS customer managed key-months", 1, p.kmsKeyMonth);
            case "aws:secretsmanager/secret:Secret":
                return this.monthly(r, "Secrets Manager secret-months", 1, p.secretMonth);
            default:
                return;
        }
    }

    private nodeGroup(r: CostedResource): void {
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
        const rate = type === undefined ? undefined : this.prices.ec2InstanceHour[type];
        if (rate === undefined) {
            this.unknown(r, `EC2 ${type ?? "(no instance type)"} × ${nodesOf(desired)}`, type === undefined ? "the node group names no instance type" : `${type} is not in the price table`);
        } else {
            this.hourly(r, `EC2 ${type} node-hours (${nodesOf(desired)})`, desired, rate);
        }
        for (const mapping of (template?.inputs.blockDeviceMappings as Array<{ ebs?: { volumeSize?: number; volumeType?: string } }> | undefined) ?? []) {
            const size = Number(mapping.ebs?.volumeSize ?? 0);
            if (size > 0) {
                this.volume(r, `EBS ${mapping.ebs?.volumeType ?? "gp3"} node root volumes, GB-months (${desired} × ${size} GB)`, desired * size, mapping.ebs?.volumeType);
            }
        }
    }

    private database(r: CostedResource): void {
        const inputs = r.inputs;
        const instanceClass = String(inputs.instanceClass);
        const multiAz = inputs.multiAz === true;
        const copies = multiAz ? 2 : 1;
        const rate = this.prices.rdsPostgresInstanceHour[instanceClass];
        if (inputs.engine !== undefined && inputs.engine !== "postgres") {
            this.unknown(r, `RDS ${inputs.engine as string} ${instanceClass}`, "the table prices RDS for PostgreSQL only");
        } else if (rate === undefined) {
            this.unknown(r, `RDS ${instanceClass}${multiAz ? " Multi-AZ" : ""}`, `${instanceClass} is not in the price table`);
        } else {
            this.hourly(r, `RDS PostgreSQL ${instanceClass}${multiAz ? " Multi-AZ (primary + standby)" : ""}, instance-hours`, copies, rate);
        }
        const storage = Number(inputs.allocatedStorage ?? 0);
        if (storage > 0) {
            if ((inputs.storageType ?? "gp3") !== "gp3") {
                this.unknown(r, `RDS ${String(inputs.storageType)} storage`, "the table prices gp3 storage only");
            } else {
                this.monthly(r, `RDS gp3 storage GB-months (${storage} GB${multiAz ? " × 2 for Multi-AZ" : ""})`, storage * copies, this.prices.rdsGp3GbMonth);
            }
        }
        if (Number(inputs.backupRetentionPeriod ?? 0) > 0) {
            this.assume("RDS automated backups fit in the free backup storage (100% of the region's provisioned database storage).");
        }
    }

    private replicatedBackups(r: CostedResource): void {
        const source = this.resources.find((s) => s.type === "aws:rds/instance:Instance" && (r.propertyDependencies?.sourceDbInstanceArn ?? []).includes(s.urn));
        const storage = Number(source?.inputs.allocatedStorage ?? 0);
        if (storage === 0) {
            return;
        }
        this.assume("Backups replicated to another region take as much storage as the database's allocation, and that much crosses regions each month.");
        this.monthly(r, `replicated RDS backup storage GB-months in the DR region (assumed ${storage} GB)`, storage, this.prices.rdsBackupGbMonth);
        this.monthly(r, `inter-region transfer of replicated backups, GB (assumed ${storage} GB)`, storage, this.prices.interRegionTransferGb);
    }

    private cache(r: CostedResource): void {
        const inputs = r.inputs;
        const nodeType = String(inputs.nodeType);
        const nodes = inputs.numCacheClusters !== undefined
            ? Number(inputs.numCacheClusters)
            : Number(inputs.numNodeGroups ?? 1) * (Number(inputs.replicasPerNodeGroup ?? 0) + 1);
        const rate = this.prices.elasticacheNodeHour[nodeType];
        if (rate === undefined) {
            this.unknown(r, `ElastiCache ${nodeType} × ${nodesOf(nodes)}`, `${nodeType} is not in the price table`);
        } else {
            this.hourly(r, `ElastiCache ${nodeType} node-hours (${nodesOf(nodes)})`, nodes, rate);
        }
    }

    private chartVolumes(r: CostedResource): void {
        const values = (r.inputs.values ?? {}) as Record<string, unknown>;
        for (const volume of CHART_VOLUMES[String(r.inputs.chart)] ?? []) {
            if (volume.enabled !== undefined && valueAt(values, volume.enabled) !== true) {
                continue;
            }
            const size = gibibytes(valueAt(values, volume.size));
            if (size === undefined) {
                continue;
            }
            const replicas = Number(volume.replicas === undefined ? 1 : (valueAt(values, volume.replicas) ?? 1));
            this.volume(r, `EBS gp3 ${volume.what} volumes, GB-months (${replicas} × ${size} GB)`, replicas * size, "gp3");
        }
    }

    private loadBalancer(r: CostedResource): void {
        const spec = r.inputs.spec as { ingressClassName?: string } | undefined;
        if (spec?.ingressClassName !== "alb") {
            return;
        }
        this.hourly(r, "Application Load Balancer-hours", 1, this.prices.albHour);
        this.assume(`The load balancer uses ${this.usage.albLcus} LCU on average.`);
        this.hourly(r, `ALB LCU-hours (assumed ${this.usage.albLcus} LCU)`, this.usage.albLcus, this.prices.albLcuHour);
        const annotations = ((r.inputs.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {});
        if (annotations["alb.ingress.kubernetes.io/scheme"] === "internet-facing") {
            // An internet-facing ALB holds a public IPv4 address in each public subnet it spans.
            const zones = this.resources.filter((s) => s.type === "aws:ec2/subnet:Subnet" && (s.inputs.tags as Record<string, string> | undefined)?.["kubernetes.io/role/elb"] === "1").length;
            if (zones > 0) {
                this.hourly(r, `ALB public IPv4 address-hours (${zones} public subnets)`, zones, this.prices.publicIpv4Hour);
            }
        }
    }

    private vault(r: CostedResource): void {
        const protectedGb = this.resources
            .filter((s) => s.type === "aws:rds/instance:Instance" && s.inputs.replicateSourceDb === undefined)
            .reduce((sum, s) => sum + Number(s.inputs.allocatedStorage ?? 0), 0);
        if (protectedGb === 0) {
            return;
        }
        const stored = protectedGb * this.usage.backupStorageFactor;
        this.assume(`A backup vault holds ${this.usage.backupStorageFactor} × the databases' allocated storage (a full snapshot and its increments); a vault that receives copies gets the allocated storage across regions each month.`);
        this.monthly(r, `AWS Backup warm storage GB-months (assumed ${stored} GB)`, stored, this.prices.backupWarmGbMonth);
        if (this.receivesCopies(r)) {
            this.monthly(r, `inter-region transfer of backup copies, GB (assumed ${protectedGb} GB)`, protectedGb, this.prices.interRegionTransferGb);
        }
    }

    /** A vault some backup rule copies into (the DR vault): its name ends the rule's destination ARN. */
    private receivesCopies(vault: CostedResource): boolean {
        return this.resources
            .filter((plan) => plan.type === "aws:backup/plan:Plan")
            .flatMap((plan) => (plan.inputs.rules as Array<{ copyActions?: Array<{ destinationVaultArn?: string }> }> | undefined) ?? [])
            .flatMap((rule) => rule.copyActions ?? [])
            .some((copy) => {
                // arn:aws:backup:<region>:<account>:backup-vault:<name>; the name is given, or the logical name auto-named.
                const destination = String(copy.destinationVaultArn ?? "").split(":backup-vault:")[1] ?? "";
                const named = vault.inputs.name as string | undefined;
                return named !== undefined ? destination === named : /^-[0-9a-f]{7}$/.test(destination.slice(vault.name.length)) && destination.startsWith(vault.name);
            });
    }

    private logGroup(r: CostedResource): void {
        const gb = this.usage.logGbPerGroupMonth;
        const vended = this.resources.some((s) => s.type === "aws:ec2/flowLog:FlowLog" && (s.propertyDependencies?.logDestination ?? []).includes(r.urn));
        this.assume(`CloudWatch Logs: ${gb} GB ingested per log group per month, stored uncompressed for its retention (up to a year).`);
        this.monthly(r, `CloudWatch Logs ${vended ? "vended (flow log) " : ""}ingestion GB (assumed ${gb} GB)`, gb, vended ? this.prices.vendedLogsIngestionGb : this.prices.logsIngestionGb);
        const retentionMonths = Math.min(Number(r.inputs.retentionInDays ?? 365), 365) / 30;
        const stored = round(gb * retentionMonths, 1);
        this.monthly(r, `CloudWatch Logs storage GB-months (${stored} GB over the retention)`, stored, this.prices.logsStorageGbMonth);
    }

    private volume(r: CostedResource, item: string, gb: number, volumeType = "gp3"): void {
        if (volumeType !== "gp3") {
            this.unknown(r, item, `EBS ${volumeType} is not in the price table`);
            return;
        }
        this.monthly(r, item, gb, this.prices.ebsGp3GbMonth);
    }

    private referenced(r: CostedResource, property: string): CostedResource | undefined {
        const urn = (r.propertyDependencies?.[property] ?? [])[0];
        return urn === undefined ? undefined : this.byUrn.get(urn);
    }

    private hourly(r: CostedResource, item: string, count: number, hourlyRate: number): void {
        this.monthly(r, item, count * this.hours, hourlyRate);
    }

    private monthly(r: CostedResource, item: string, quantity: number, unitPrice: number): void {
        this.lines.push({ urn: r.urn, item, quantity: round(quantity, 3), unitPrice, monthly: round(quantity * unitPrice, 2) });
    }

    private unknown(r: CostedResource, item: string, reason: string): void {
        this.unpriced.push({ urn: r.urn, item, reason });
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
        return {
            currency: "USD",
            monthlyTotal: round(this.lines.reduce((sum, line) => sum + line.monthly, 0), 2),
            byComponent,
            lines: this.lines,
            assumptions: [...this.assumptions],
            priceTableDate: this.prices.date,
            region: this.prices.region,
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
