/** plan.json (the contract in ARCHITECTURE.md) and the text report `npm run plan` prints. */
import { Cost, componentOf } from "./cost";
import { countByType, shortType } from "./graph";
import { RecordedResource } from "./record";
import { SynthResult } from "./synth";
import { PLAIN, Style, fit, money, wrap } from "./terminal";

export interface PolicyVerdict {
    policy: string;
    enforcementLevel: string;
    urn: string;
    message: string;
}

export interface Plan {
    project: string;
    stack: string;
    environment: string;
    resources: PlanResource[];
    outputs: Record<string, unknown>;
    policies: PolicyVerdict[];
    /** The pack that produced `policies`; absent when none ran. */
    policyPack?: { name: string; version: string; policies: number };
    summary: { resources: number; byType: Record<string, number>; mandatoryViolations: number; advisoryViolations: number };
    /** The monthly estimate (cost.ts); a key added after the contract's first version, like any new one: at the top level. */
    cost?: Cost;
}

export type PlanResource = Pick<
    RecordedResource,
    "urn" | "type" | "name" | "parent" | "custom" | "provider" | "inputs" | "dependencies" | "protect" | "retainOnDelete"
>;

export function buildPlan(result: SynthResult, policies: PolicyVerdict[] = [], policyPack?: Plan["policyPack"], cost?: Cost): Plan {
    return {
        project: result.project,
        stack: result.stack,
        environment: result.environment,
        resources: result.resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent,
            custom: r.custom,
            provider: r.provider,
            inputs: r.inputs,
            dependencies: r.dependencies,
            protect: r.protect,
            retainOnDelete: r.retainOnDelete,
        })),
        outputs: result.outputs,
        policies,
        ...(policyPack ? { policyPack } : {}),
        summary: {
            resources: result.resources.length,
            byType: countByType(result.resources),
            mandatoryViolations: policies.filter((p) => p.enforcementLevel === "mandatory").length,
            advisoryViolations: policies.filter((p) => p.enforcementLevel === "advisory").length,
        },
        ...(cost ? { cost } : {}),
    };
}


/** The resource tree, parents before children, like `pulumi preview`; a component's info is how many resources it holds. */
export function renderTree(resources: readonly PlanResource[], style: Style = PLAIN): string[] {
    const children = new Map<string | null, PlanResource[]>();
    const known = new Set(resources.map((r) => r.urn));
    for (const r of resources) {
        const parent = r.parent !== null && known.has(r.parent) ? r.parent : null;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const held = (urn: string): number => (children.get(urn) ?? []).reduce((sum, child) => sum + 1 + held(child.urn), 0);
    const rows: Array<{ tree: string; type: string; name: string; info: string; component: boolean }> = [];
    const walk = (parent: string | null, prefix: string): void => {
        // Components first, then by type and name: stable output whatever the registration order.
        const list = [...(children.get(parent) ?? [])].sort(
            (a, b) => Number(a.custom) - Number(b.custom) || a.type.localeCompare(b.type) || a.name.localeCompare(b.name),
        );
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            const branch = parent === null ? "" : last ? "└─ " : "├─ ";
            const info = r.custom
                ? [r.protect ? "protected" : "", r.retainOnDelete ? "retained on delete" : ""].filter(Boolean).join(", ")
                : `${held(r.urn)} resources`;
            rows.push({ tree: prefix + branch, type: r.type, name: r.name, info, component: !r.custom });
            walk(r.urn, parent === null ? prefix : prefix + (last ? "   " : "│  "));
        });
    };
    walk(null, "");
    // The name column starts where most rows' types end; a longer type pushes only its own name.
    const widths = rows.map((row) => row.tree.length + row.type.length).sort((a, b) => a - b);
    const typeWidth = Math.min(widths[Math.floor(widths.length * 0.9)] ?? 4, 58);
    const lines = [style.bold(`     ${"Type".padEnd(typeWidth)}  Name  (Info)`)];
    for (const row of rows) {
        const text = fit(` +   ${`${row.tree}${row.type}`.padEnd(typeWidth)}  ${row.name}${row.info ? `  (${row.info})` : ""}`);
        lines.push(colourTreeLine(text, row.component, style));
    }
    return lines;
}

function colourTreeLine(line: string, component: boolean, style: Style): string {
    const body = line.slice(5);
    return ` ${style.green("+")}   ${component ? style.bold(body) : body}`;
}

/** Per top-level component: how many resources, and of which kinds most. */
export function renderComponents(resources: readonly PlanResource[], style: Style = PLAIN): string[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const groups = new Map<string, PlanResource[]>();
    for (const r of resources) {
        if (r.type === "pulumi:pulumi:Stack") {
            continue;
        }
        const component = componentOf(r.urn, byUrn);
        groups.set(component, [...(groups.get(component) ?? []), r]);
    }
    const lines = [style.bold("Resources by component:")];
    const width = Math.max(...[...groups.keys()].map((name) => name.length));
    for (const [component, members] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
        const kinds = Object.entries(countByType(members as RecordedResource[]))
            .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
            .map(([type, count]) => `${count} ${shortType(type)}`);
        lines.push(fit(`  ${component.padEnd(width)}  ${String(members.length).padStart(4)}  ${kinds.join(", ")}`));
    }
    return lines;
}

export interface RenderOptions {
    style?: Style;
    /** Where plan.json went, for the summary. */
    jsonPath?: string;
}

export function renderReport(plan: Plan, options: RenderOptions = {}): string {
    const style = options.style ?? PLAIN;
    const lines = [style.bold(`Plan of stack ${plan.project}/${plan.stack} (environment ${plan.environment}), offline under Pulumi's mock runtime`), ""];
    lines.push(...renderTree(plan.resources, style), "");
    lines.push(...renderComponents(plan.resources, style), "");
    lines.push(style.bold("By type:"));
    for (const [type, count] of Object.entries(plan.summary.byType)) {
        lines.push(`  ${String(count).padStart(4)}  ${type}`);
    }
    lines.push("", style.bold("Outputs:"), ...renderOutputs(plan.outputs));
    lines.push("", policyLine(plan), ...renderPolicies(plan, style));
    if (plan.cost) {
        lines.push("", ...renderCost(plan.cost, plan.resources, style));
    }
    lines.push("", ...renderSummary(plan, style, options.jsonPath));
    return lines.join("\n");
}

function renderOutputs(outputs: Record<string, unknown>): string[] {
    const entries = Object.entries(outputs).sort(([a], [b]) => a.localeCompare(b));
    const width = Math.max(0, ...entries.map(([key]) => key.length));
    // plan.json and this list both carry "[secret]" for secret values: the synth never sees them in clear.
    return entries.map(([key, value]) => fit(`    ${`${key}:`.padEnd(width + 1)} ${typeof value === "string" ? value : JSON.stringify(value)}`));
}

function policyLine(plan: Plan): string {
    if (plan.policyPack === undefined) {
        return "Policies: the policy pack did not run.";
    }
    const { name, version, policies } = plan.policyPack;
    return `Policies: ${name} ${version}, ${policies} policies: ${plan.summary.mandatoryViolations} mandatory, ${plan.summary.advisoryViolations} advisory violations`;
}

/** Violations grouped by level, mandatory first, each with the resource it names. */
function renderPolicies(plan: Plan, style: Style): string[] {
    const names = new Map(plan.resources.map((r) => [r.urn, `${r.name} (${r.type})`]));
    const lines: string[] = [];
    for (const level of ["mandatory", "advisory"]) {
        const found = plan.policies.filter((p) => p.enforcementLevel === level);
        if (found.length === 0) {
            continue;
        }
        const colour = level === "mandatory" ? style.red : style.yellow;
        lines.push("", colour(`${level[0].toUpperCase()}${level.slice(1)}:`));
        for (const v of [...found].sort((a, b) => a.policy.localeCompare(b.policy) || a.urn.localeCompare(b.urn))) {
            lines.push(fit(`  ${v.policy}  ${v.urn ? (names.get(v.urn) ?? v.urn) : "(the stack)"}`), ...wrap(v.message, "      "));
        }
    }
    return lines;
}

/** The estimate by component, its largest lines, what it could not price and what it assumes. */
export function renderCost(cost: Cost, resources: readonly PlanResource[], style: Style = PLAIN): string[] {
    if (!cost.estimated) {
        return [style.bold("Cost estimate: none made.") + style.yellow(" No monthly figure for this stack:"), ...wrap(cost.reason, "  ")];
    }
    const tables = cost.priceTables.map((t) => `${t.region} of ${t.date}`).join(", ");
    const lines = [style.bold(`Cost estimate: ${money(cost.monthlyTotal)} per month`) + ` (${cost.currency}, on-demand)`, `  Price tables: ${tables}`];
    const components = Object.entries(cost.byComponent).sort(([, a], [, b]) => b - a);
    const width = Math.max(5, ...components.map(([name]) => name.length));
    const amountWidth = money(cost.monthlyTotal).length;
    for (const [component, amount] of components) {
        lines.push(`  ${component.padEnd(width)}  ${money(amount).padStart(amountWidth)}`);
    }
    lines.push(`  ${"Total".padEnd(width)}  ${money(cost.monthlyTotal).padStart(amountWidth)}`);
    const names = new Map(resources.map((r) => [r.urn, r.name]));
    lines.push("", "  Largest items:");
    for (const line of [...cost.lines].sort((a, b) => b.monthly - a.monthly).slice(0, 6)) {
        const where = line.region === cost.region ? "" : ` (${line.region})`;
        lines.push(fit(`    ${money(line.monthly).padStart(amountWidth)}  ${line.item}, ${names.get(line.urn) ?? line.urn}${where}`));
    }
    if (cost.unpriced.length > 0) {
        lines.push("", style.yellow(`  Not priced (${cost.unpriced.length}; the total leaves them out):`));
        for (const item of cost.unpriced) {
            lines.push(fit(`    ${item.item}, ${names.get(item.urn) ?? item.urn}:`), ...wrap(item.reason, "        "));
        }
    }
    lines.push("", "  Assumptions:");
    for (const assumption of cost.assumptions) {
        lines.push(...wrap(assumption, "      ").map((line, i) => (i === 0 ? `    - ${line.slice(6)}` : line)));
    }
    return lines;
}

/** The last screen: everything a reviewer needs without scrolling up. */
function renderSummary(plan: Plan, style: Style, jsonPath?: string): string[] {
    const components = plan.resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack").length;
    const protectedCount = plan.resources.filter((r) => r.protect).length;
    const retained = plan.resources.filter((r) => r.retainOnDelete).length;
    const secrets = Object.values(plan.outputs).filter((v) => v === "[secret]").length;
    const { mandatoryViolations: mandatory, advisoryViolations: advisory } = plan.summary;
    const lines = [
        style.bold("Summary:"),
        `  Resources  ${style.green(`+ ${plan.summary.resources} to create`)} (${components} components; ${protectedCount} protected, ${retained} retained on delete)`,
        `  Policies   ${plan.policyPack ? `${plan.policyPack.name} ${plan.policyPack.version}: ` : "not run"}${plan.policyPack ? `${mandatory > 0 ? style.red(`${mandatory} mandatory`) : `${mandatory} mandatory`}, ${advisory > 0 ? style.yellow(`${advisory} advisory`) : `${advisory} advisory`}` : ""}`,
    ];
    if (plan.cost && !plan.cost.estimated) {
        lines.push(`  Cost       ${style.yellow("not estimated")}: ${plan.cost.reason}`);
    } else if (plan.cost) {
        const unpriced = plan.cost.unpriced.length;
        lines.push(`  Cost       ${money(plan.cost.monthlyTotal)} per month${unpriced > 0 ? style.yellow(` + ${unpriced} ${unpriced === 1 ? "item" : "items"} not priced`) : ""} (estimate: see assumptions)`);
    }
    lines.push(`  Outputs    ${Object.keys(plan.outputs).length}, ${secrets} of them secret`);
    if (jsonPath) {
        lines.push(`  Written    ${jsonPath}`);
    }
    return lines;
}
