/**
 * How one stack differs from another: the effective config (stack file over profile), the
 * resource types each registers, the inputs that size and protect the platform, and the cost.
 * For a reviewer asking "what does prod have that staging does not" on one screen.
 */
import { Cost } from "./cost";
import { countByType, shortType } from "./graph";
import { RecordedResource } from "./record";
import { PLAIN, REPORT_WIDTH, Style, fit, money, wrap } from "./terminal";

export interface DiffSide {
    project: string;
    stack: string;
    environment: string;
    /** The effective config, as config/ hands it to index.ts. */
    config: Record<string, unknown>;
    resources: readonly Pick<RecordedResource, "type" | "name" | "inputs">[];
    cost: Cost;
}

export interface ValueChange {
    key: string;
    from: unknown;
    to: unknown;
}

export interface StackDiff {
    from: { stack: string; environment: string; resources: number };
    to: { stack: string; environment: string; resources: number };
    /** Config paths whose effective values differ (absent on one side: undefined). */
    config: ValueChange[];
    /** Resource types whose count differs; 0 on the side that has none. */
    types: Array<{ type: string; from: number; to: number }>;
    /** Key inputs of resources both stacks register under the same name (the stack's part masked). */
    inputs: Array<{ type: string; name: string; changes: ValueChange[] }>;
    /** Monthly totals (null: no estimate made); `unpriced` counts what each side's estimate could not price (left out of its total). */
    cost: { from: number | null; to: number | null; unpriced: { from: number; to: number }; byComponent: Array<{ component: string; from: number; to: number }> };
}

/** The inputs that say how big, how redundant and how long-lived a resource is. */
export const KEY_INPUTS: Readonly<Record<string, readonly string[]>> = {
    "aws:ec2/vpc:Vpc": ["cidrBlock"],
    "aws:eks/cluster:Cluster": ["version", "vpcConfig.endpointPublicAccess"],
    "aws:eks/nodeGroup:NodeGroup": ["instanceTypes", "capacityType", "scalingConfig.desiredSize", "scalingConfig.minSize", "scalingConfig.maxSize"],
    "aws:rds/instance:Instance": ["instanceClass", "multiAz", "allocatedStorage", "maxAllocatedStorage", "backupRetentionPeriod", "deletionProtection"],
    "aws:elasticache/replicationGroup:ReplicationGroup": ["nodeType", "numCacheClusters", "multiAzEnabled", "automaticFailoverEnabled", "snapshotRetentionLimit"],
    "aws:cloudwatch/logGroup:LogGroup": ["retentionInDays"],
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": ["minRetentionDays", "maxRetentionDays", "changeableForDays"],
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": ["retentionPeriod"],
};

export function diffStacks(from: DiffSide, to: DiffSide): StackDiff {
    return {
        from: { stack: from.stack, environment: from.environment, resources: from.resources.length },
        to: { stack: to.stack, environment: to.environment, resources: to.resources.length },
        config: changes(flatten(from.config), flatten(to.config)),
        types: typeChanges(from, to),
        inputs: inputChanges(from, to),
        cost: costChange(from.cost, to.cost),
    };
}

function costChange(from: Cost, to: Cost): StackDiff["cost"] {
    const byComponent = (c: Cost) => (c.estimated ? c.byComponent : {});
    const [a, b] = [byComponent(from), byComponent(to)];
    return {
        from: from.estimated ? from.monthlyTotal : null,
        to: to.estimated ? to.monthlyTotal : null,
        unpriced: { from: from.estimated ? from.unpriced.length : 0, to: to.estimated ? to.unpriced.length : 0 },
        byComponent: [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().map((component) => ({ component, from: a[component] ?? 0, to: b[component] ?? 0 })),
    };
}

/** Leaf values by dotted path; arrays of plain values stay whole (a list of instance types is one setting). */
export function flatten(value: unknown, prefix = ""): Record<string, unknown> {
    if (value === null || typeof value !== "object" || (Array.isArray(value) && value.every((v) => v === null || typeof v !== "object"))) {
        return prefix === "" ? {} : { [prefix]: value };
    }
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    return Object.assign({}, ...entries.map(([key, child]) => flatten(child, prefix === "" ? key : `${prefix}.${key}`))) as Record<string, unknown>;
}

function changes(from: Record<string, unknown>, to: Record<string, unknown>): ValueChange[] {
    return [...new Set([...Object.keys(from), ...Object.keys(to)])]
        .sort()
        .filter((key) => JSON.stringify(from[key]) !== JSON.stringify(to[key]))
        .map((key) => ({ key, from: from[key], to: to[key] }));
}

function typeChanges(from: DiffSide, to: DiffSide): StackDiff["types"] {
    const a = countByType(from.resources as RecordedResource[]);
    const b = countByType(to.resources as RecordedResource[]);
    return [...new Set([...Object.keys(a), ...Object.keys(b)])]
        .sort()
        .filter((type) => (a[type] ?? 0) !== (b[type] ?? 0))
        .map((type) => ({ type, from: a[type] ?? 0, to: b[type] ?? 0 }));
}

/** Names carry `<project>-<stack>`: masked, the same resource in two stacks has one name. */
function stackFreeName(side: DiffSide, name: string): string {
    return name.split(`${side.project}-${side.stack}`).join(`${side.project}-*`);
}

function inputChanges(from: DiffSide, to: DiffSide): StackDiff["inputs"] {
    const keyed = (side: DiffSide) =>
        new Map(side.resources.filter((r) => KEY_INPUTS[r.type] !== undefined).map((r) => [`${r.type}\u0000${stackFreeName(side, r.name)}`, r]));
    const a = keyed(from);
    const b = keyed(to);
    const result: StackDiff["inputs"] = [];
    for (const [key, left] of [...a].sort(([x], [y]) => x.localeCompare(y))) {
        const right = b.get(key);
        if (right === undefined) {
            continue;
        }
        const paths = KEY_INPUTS[left.type];
        const found = changes(pick(left.inputs, paths), pick(right.inputs, paths));
        if (found.length > 0) {
            result.push({ type: left.type, name: stackFreeName(from, left.name), changes: found });
        }
    }
    return result;
}

function pick(inputs: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
    return Object.fromEntries(
        paths.map((path) => [path, path.split(".").reduce<unknown>((v, key) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), inputs)]),
    );
}

/** Settings whose difference the heading already says. */
const SAID_IN_HEADING = new Set(["environment", "stackFile", "tags.environment", "tags.stack"]);

/**
 * One screen: config changes run on, grouped by section; resource types by kind of change;
 * resources with the same change in one line. `--json` keeps every entry apart.
 */
export function renderDiff(diff: StackDiff, style: Style = PLAIN): string[] {
    const lines = [
        style.bold(`${diff.from.stack} → ${diff.to.stack}`) +
            ` (environments ${diff.from.environment} → ${diff.to.environment}): ${diff.from.resources} → ${diff.to.resources} resources, ` +
            `${total(diff.cost.from)} → ${total(diff.cost.to)} per month`,
    ];

    const settings = diff.config.filter((c) => !SAID_IN_HEADING.has(c.key));
    lines.push("", style.bold(`Effective config (${settings.length} settings differ):`));
    const sections = new Map<string, string[]>();
    for (const change of settings) {
        const [section, ...rest] = change.key.split(".");
        sections.set(section, [...(sections.get(section) ?? []), `${rest.join(".") || section} ${arrow(change)}`]);
    }
    for (const [section, entries] of sections) {
        lines.push(...runOn(`  ${section}: `, entries));
    }

    lines.push("", style.bold(`Resources (${diff.from.resources} → ${diff.to.resources}):`));
    const only = (side: "from" | "to") =>
        diff.types.filter((t) => t[side === "from" ? "to" : "from"] === 0).map((t) => `${shortType(t.type)} ${t[side]}`);
    const onlyFrom = only("from");
    const onlyTo = only("to");
    if (onlyTo.length > 0) {
        lines.push(...runOn(`  ${style.green("+")} only in ${diff.to.stack}: `, onlyTo));
    }
    if (onlyFrom.length > 0) {
        lines.push(...runOn(`  ${style.red("-")} only in ${diff.from.stack}: `, onlyFrom));
    }
    const counted = diff.types.filter((t) => t.from > 0 && t.to > 0).map((t) => `${shortType(t.type)} ${t.from} → ${t.to}`);
    if (counted.length > 0) {
        lines.push(...runOn(`  ${style.yellow("~")} in both, counts differ: `, counted));
    }

    lines.push("", style.bold("Key inputs:"));
    const groups = new Map<string, { type: string; names: string[]; changes: ValueChange[] }>();
    for (const resource of diff.inputs) {
        const key = `${resource.type}\u0000${JSON.stringify(resource.changes)}`;
        const group = groups.get(key) ?? { type: resource.type, names: [], changes: resource.changes };
        group.names.push(resource.name);
        groups.set(key, group);
    }
    for (const group of groups.values()) {
        const changed = group.changes.map((c) => `${c.key} ${arrow(c)}`);
        if (group.names.length === 1) {
            lines.push(...runOn(`  ${shortType(group.type)} ${group.names[0]}: `, changed));
        } else {
            lines.push(...runOn(`  ${group.names.length} × ${shortType(group.type)}: `, changed), ...wrap(group.names.join(", "), "      "));
        }
    }

    const unpriced = (stack: string, count: number) => (count > 0 ? [`${stack}: ${count} ${count === 1 ? "item" : "items"} not priced`] : []);
    const gaps = [...unpriced(diff.from.stack, diff.cost.unpriced.from), ...unpriced(diff.to.stack, diff.cost.unpriced.to)];
    lines.push("", style.bold(`Cost per month: ${total(diff.cost.from)} → ${total(diff.cost.to)}`) + (gaps.length > 0 ? style.yellow(` (${gaps.join("; ")})`) : ""));
    const width = Math.max(0, ...diff.cost.byComponent.map((c) => c.component.length));
    for (const c of diff.cost.byComponent) {
        lines.push(`  ${c.component.padEnd(width)}  ${money(c.from).padStart(11)} → ${money(c.to).padStart(11)}`);
    }
    return lines;
}

function total(amount: number | null): string {
    return amount === null ? "not estimated" : money(amount);
}

function show(value: unknown): string {
    return value === undefined ? "(unset)" : typeof value === "string" ? value : JSON.stringify(value);
}

function arrow(change: { from: unknown; to: unknown }): string {
    return `${show(change.from)} → ${show(change.to)}`;
}

/** Entries joined with "; " after `head`, wrapped at the report width under an indent. */
function runOn(head: string, entries: string[]): string[] {
    const lines: string[] = [];
    let line = head;
    const indent = "      ";
    for (const [i, entry] of entries.entries()) {
        const piece = `${entry}${i < entries.length - 1 ? ";" : ""}`;
        if (line !== head && line !== indent && visibleLength(line) + 1 + piece.length > REPORT_WIDTH) {
            lines.push(line);
            line = indent;
        }
        line = line === head || line === indent ? `${line}${piece}` : `${line} ${piece}`;
    }
    lines.push(line);
    return lines.map((l) => (visibleLength(l) > REPORT_WIDTH ? fit(l) : l));
}

function visibleLength(text: string): number {
    return [...text.replace(/\x1b\[\d+m/g, "")].length;
}
