/** plan.json (the contract in ARCHITECTURE.md) and the text report `npm run plan` prints. */
import { countByType } from "./graph";
import { RecordedResource } from "./record";
import { SynthResult } from "./synth";

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
}

export type PlanResource = Pick<
    RecordedResource,
    "urn" | "type" | "name" | "parent" | "custom" | "provider" | "inputs" | "dependencies" | "protect" | "retainOnDelete"
>;

export function buildPlan(result: SynthResult, policies: PolicyVerdict[] = [], policyPack?: Plan["policyPack"]): Plan {
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
    };
}

/** The resource tree, parents before children, like `pulumi preview`. */
export function renderTree(resources: readonly PlanResource[]): string[] {
    const children = new Map<string | null, PlanResource[]>();
    const known = new Set(resources.map((r) => r.urn));
    for (const r of resources) {
        const parent = r.parent !== null && known.has(r.parent) ? r.parent : null;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const typeWidth = Math.max(4, ...resources.map((r) => r.type.length + 2 * depthOf(r, resources) + 3));
    const lines = [`     ${"Type".padEnd(typeWidth)} Name`];
    const walk = (parent: string | null, prefix: string): void => {
        // Components first, then by type and name: stable output whatever the registration order.
        const list = [...(children.get(parent) ?? [])].sort(
            (a, b) => Number(a.custom) - Number(b.custom) || a.type.localeCompare(b.type) || a.name.localeCompare(b.name),
        );
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            const branch = parent === null ? "" : last ? "└─ " : "├─ ";
            const flags = [r.protect ? "protected" : "", r.retainOnDelete ? "retained" : ""].filter(Boolean).join(", ");
            lines.push(` +   ${(prefix + branch + r.type).padEnd(typeWidth)} ${r.name}${flags ? `  [${flags}]` : ""}`);
            walk(r.urn, parent === null ? prefix : prefix + (last ? "   " : "│  "));
        });
    };
    walk(null, "");
    return lines;
}

function depthOf(resource: PlanResource, resources: readonly PlanResource[]): number {
    let depth = 0;
    let parent = resource.parent;
    while (parent) {
        depth++;
        parent = resources.find((r) => r.urn === parent)?.parent ?? null;
    }
    return depth;
}

export function renderReport(plan: Plan): string {
    const lines = [`Plan of stack ${plan.project}/${plan.stack} (environment ${plan.environment}), offline under the mock runtime`, ""];
    lines.push(...renderTree(plan.resources), "");
    lines.push("Resources:", `    + ${plan.summary.resources} to create`, "");
    lines.push("By type:");
    for (const [type, count] of Object.entries(plan.summary.byType)) {
        lines.push(`  ${String(count).padStart(4)}  ${type}`);
    }
    lines.push("", "Outputs:");
    for (const [key, value] of Object.entries(plan.outputs).sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(`    ${key}: ${JSON.stringify(value)}`);
    }
    lines.push("", policyLine(plan), ...renderPolicies(plan));
    return lines.join("\n");
}

function policyLine(plan: Plan): string {
    if (plan.policyPack === undefined) {
        return "Policies: the policy pack did not run.";
    }
    const { name, version, policies } = plan.policyPack;
    return `Policies: ${name} ${version}, ${policies} policies: ${plan.summary.mandatoryViolations} mandatory, ${plan.summary.advisoryViolations} advisory violations`;
}

/** Violations grouped by level, mandatory first, each with the resource it names. */
function renderPolicies(plan: Plan): string[] {
    const names = new Map(plan.resources.map((r) => [r.urn, `${r.name} (${r.type})`]));
    const lines: string[] = [];
    for (const level of ["mandatory", "advisory"]) {
        const found = plan.policies.filter((p) => p.enforcementLevel === level);
        if (found.length === 0) {
            continue;
        }
        lines.push("", `${level[0].toUpperCase()}${level.slice(1)}:`);
        for (const v of [...found].sort((a, b) => a.policy.localeCompare(b.policy) || a.urn.localeCompare(b.urn))) {
            lines.push(`  ${v.policy}  ${v.urn ? (names.get(v.urn) ?? v.urn) : "(the stack)"}`, `      ${v.message}`);
        }
    }
    return lines;
}
