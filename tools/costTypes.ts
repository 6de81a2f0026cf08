/** The cost estimate's shapes: what it reads, and plan.json's `cost`. */

/** A resource as the estimate reads it: plan.json's fields it needs. */
export interface CostedResource {
    urn: string;
    type: string;
    name: string;
    parent: string | null;
    custom: boolean;
    inputs: Record<string, unknown>;
    /** URN of its explicit provider (null: the default provider, in the stack's Region). */
    provider?: string | null;
    dependencies?: string[];
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
    /** The Region whose price table the unit price comes from. */
    region: string;
}

export interface UnpricedItem {
    urn: string;
    item: string;
    reason: string;
    /**
     * Set when the estimate knows how to price the item but the Region's table lacks the price
     * (a gap in the data, e.g. "us-east-1: db.r7g.xlarge"); absent when the resource itself is
     * one the estimate cannot price (a gap in cost.ts).
     */
    missingPrice?: string;
}

/** plan.json's `cost` when the stack could be priced. */
export interface CostEstimate {
    estimated: true;
    currency: "USD";
    monthlyTotal: number;
    /** Top-level component class (or "Stack" for what sits at the root) to its monthly cost. */
    byComponent: Record<string, number>;
    lines: CostLine[];
    /** What the usage-driven lines assume, and what the estimate leaves out. */
    assumptions: string[];
    /** The date of the stack Region's table. */
    priceTableDate: string;
    /** The stack's Region (config `aws:region`). */
    region: string;
    /** Every table the lines use: the stack's Region and any other provider's (the DR Region). */
    priceTables: Array<{ region: string; date: string; sources: string[] }>;
    /** What the tables cannot price, or the estimate does not know; the total leaves them out. */
    unpriced: UnpricedItem[];
}

/** plan.json's `cost` when no estimate was made: a Region the stack creates resources in has no price table. */
export interface CostRefusal {
    estimated: false;
    currency: "USD";
    region: string;
    /** One sentence for the report, e.g. "no price table for ap-south-2 (tables: eu-central-1, …)". */
    reason: string;
    /** The Regions with resources to price and no table. */
    regionsWithoutTable: string[];
    /** The Regions that have tables. */
    tables: string[];
}

export type Cost = CostEstimate | CostRefusal;

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

