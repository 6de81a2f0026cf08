/**
 * Pictures of a synthesized stack: Graphviz DOT of the components and their wiring, or of
 * every resource, and SVG rendered from it by Graphviz compiled to WebAssembly (no system
 * package needed).
 */
import { instance, type Viz } from "@viz-js/viz";
import { className, shortType } from "./graph";
import { RecordedResource } from "./record";

const STACK_TYPE = "pulumi:pulumi:Stack";
const PROVIDER_PREFIX = "pulumi:providers:";
/** What the recorder puts in place of values it may not show, or does not know yet. */
const MASKED = new Set(["[secret]", "[unknown]", "[asset]"]);
/** Output strings shorter than this are too generic to say where a value came from ("api", "app"). */
const MIN_MATCH_LENGTH = 4;

/** A top-level node of the component picture: a component, or a resource outside any component. */
export interface WiringNode {
    urn: string;
    type: string;
    name: string;
    /** Resources under it, all levels (nested components and their children included). */
    resourceCount: number;
}

/** Resources under `to` depend on resources under `from`. */
export interface Wire {
    from: string;
    to: string;
    /** Names of `from`'s registered outputs whose values occur in the inputs that depend on it, sorted. */
    outputs: string[];
    /** Providers under `from` that resources under `to` use, as "<package> provider", sorted. */
    providers: string[];
}

export interface ComponentWiring {
    /** Sorted by class, then name. */
    nodes: WiringNode[];
    /** Sorted by `from`, then `to`. */
    wires: Wire[];
}

export interface ComponentDotOptions {
    /** Graph title. @default "<project>/<stack> (<n> resources)" from the root stack's URN; none without one */
    title?: string;
    /** Layout direction: top to bottom, or left to right. @default "TB" for components, "LR" for resources */
    direction?: "LR" | "TB";
}

/** A DOT quoted string: backslashes and quotes escaped, line breaks as centred `\n` lines. */
export function dotString(text: string): string {
    const escaped = text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, "\\n");
    return `"${escaped}"`;
}

/** Components and top-level resources of a stack, and which outputs of one feed another. */
export function componentWiring(resources: readonly RecordedResource[]): ComponentWiring {
    const tree = new Tree(resources);
    const nodes = tree.topLevel
        .map((r) => ({ urn: r.urn, type: r.type, name: r.name, resourceCount: tree.descendants(r.urn).length }))
        .sort((a, b) => compare(className(a.type), className(b.type)) || compare(a.name, b.name) || compare(a.urn, b.urn));

    // Pairs (from, to) where a resource under `to` depends on one under `from`, or uses its provider.
    const pairs = new Map<string, { from: string; to: string; providers: Set<string> }>();
    const pairOf = (from: string, to: string) => {
        const key = `${from}\u0000${to}`;
        let pair = pairs.get(key);
        if (!pair) {
            pair = { from, to, providers: new Set() };
            pairs.set(key, pair);
        }
        return pair;
    };
    for (const r of resources) {
        const to = tree.topOf(r.urn);
        if (to === undefined) {
            continue;
        }
        for (const urn of new Set([...r.dependencies, ...Object.values(r.propertyDependencies).flat()])) {
            const from = tree.topOf(urn);
            if (from !== undefined && from !== to) {
                pairOf(from, to);
            }
        }
        const provider = r.provider === null ? undefined : tree.get(r.provider);
        const from = provider && tree.topOf(provider.urn);
        if (provider && from !== undefined && from !== to) {
            pairOf(from, to).providers.add(`${className(provider.type)} provider`);
        }
    }

    const instanceNames = new Set(tree.topLevel.map((r) => r.name));
    const inputsUnder = new Map<string, InputString[]>();
    const inputStrings = (top: string): InputString[] => {
        if (!inputsUnder.has(top)) {
            inputsUnder.set(top, [tree.get(top)!, ...tree.descendants(top)].flatMap((r) => inputStringsOf(r, tree)));
        }
        return inputsUnder.get(top)!;
    };
    const wires = [...pairs.values()]
        .map(({ from, to, providers }) => ({
            from,
            to,
            outputs: feedingOutputs(from, tree.get(from)?.outputs, inputStrings(to), instanceNames),
            providers: [...providers].sort(compare),
        }))
        .sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
    return { nodes, wires };
}

/**
 * Graphviz DOT of the components and their wiring: one node per top-level component (class,
 * instance name, resources under it) or top-level resource (such as an explicit provider),
 * one edge per pair where resources under one depend on resources under the other, labelled
 * with the outputs (and providers) that carry the dependency, or "depends on" when none does.
 */
export function componentDot(resources: readonly RecordedResource[], options: ComponentDotOptions = {}): string {
    const { nodes, wires } = componentWiring(resources);
    const title = options.title ?? defaultTitle(resources);
    const lines = [
        "digraph components {",
        `  graph [rankdir=${options.direction ?? "TB"}, fontname="Helvetica", fontsize=16, labelloc=t, nodesep=0.5, ranksep=1.2, pad=0.3${
            title ? `, label=${dotString(title)}` : ""
        }];`,
        '  node [fontname="Helvetica", fontsize=12, margin="0.2,0.1"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ];
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    for (const node of nodes) {
        const r = byUrn.get(node.urn)!;
        lines.push(`  ${dotString(node.urn)} [${attributes(componentNodeAttributes(r, node))}];`);
    }
    // Edges and their labels take the colour of where they start, so a label reads with its edge.
    const sources = [...new Set(wires.map((w) => w.from))];
    for (const wire of wires) {
        const named = [...wire.providers, ...wire.outputs];
        const colour = EDGE_COLOURS[sources.indexOf(wire.from) % EDGE_COLOURS.length];
        const attrs = {
            label: named.length > 0 ? wrap(named, 34) : "depends on",
            color: colour,
            fontcolor: colour,
            ...(named.length > 0 ? {} : { style: "dashed" }),
        };
        lines.push(`  ${dotString(wire.from)} -> ${dotString(wire.to)} [${attributes(attrs)}];`);
    }
    lines.push("}");
    return `${lines.join("\n")}\n`;
}

/**
 * Graphviz DOT of every resource (short type and name), grouped in one cluster per component
 * (nested components nested), with one edge per dependency (explicit, property or provider;
 * provider edges dashed). Parent links are the clusters, not edges. A dependency on every
 * resource of a component (what `dependsOn: [component]` records) is one edge from that
 * component's cluster; a component's own dependencies end at its cluster.
 */
export function resourceDot(resources: readonly RecordedResource[], options: ComponentDotOptions = {}): string {
    const tree = new Tree(resources);
    const title = options.title ?? defaultTitle(resources);
    const lines = [
        "digraph resources {",
        `  graph [rankdir=${options.direction ?? "LR"}, fontname="Helvetica", fontsize=14, labelloc=t, compound=true, ranksep=1.2${
            title ? `, label=${dotString(title)}` : ""
        }];`,
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, fillcolor="#ffffff"];',
        '  edge [color="#00000055", arrowsize=0.5];',
    ];
    // Components at an end of an edge get a point inside their cluster, to anchor it.
    const anchored = new Set<string>();
    const edges = new Set<string>();
    const components = resources
        .filter((r) => !r.custom && tree.drawn(r.urn))
        .map((r) => ({ urn: r.urn, custom: tree.descendants(r.urn).filter((d) => d.custom).map((d) => d.urn) }))
        .filter((c) => c.custom.length >= 2)
        .sort((a, b) => b.custom.length - a.custom.length || compare(a.urn, b.urn));
    const edge = (from: string, to: string, attrs: Record<string, string> = {}): void => {
        for (const [urn, end] of [
            [from, "ltail"],
            [to, "lhead"],
        ]) {
            if (!tree.get(urn)!.custom) {
                anchored.add(urn);
                attrs = { [end]: `cluster_${urn}`, ...attrs };
            }
        }
        edges.add(`  ${dotString(from)} -> ${dotString(to)}${Object.keys(attrs).length > 0 ? ` [${attributes(attrs)}]` : ""};`);
    };
    for (const r of resources) {
        if (!tree.drawn(r.urn)) {
            continue;
        }
        const related = (urn: string) => urn === r.urn || tree.isUnder(urn, r.urn) || tree.isUnder(r.urn, urn);
        const remaining = new Set([...r.dependencies, ...Object.values(r.propertyDependencies).flat()].filter((u) => tree.drawn(u) && !related(u)));
        for (const component of components) {
            if (!related(component.urn) && component.custom.every((u) => remaining.has(u))) {
                component.custom.forEach((u) => remaining.delete(u));
                edge(component.urn, r.urn, { style: "bold" });
            }
        }
        remaining.forEach((urn) => edge(urn, r.urn));
        if (r.provider !== null && tree.drawn(r.provider)) {
            edge(r.provider, r.urn, { style: "dashed" });
        }
    }
    const emit = (urn: string | null, indent: string): void => {
        for (const child of tree.childrenOf(urn)) {
            if (child.custom) {
                lines.push(`${indent}${dotString(child.urn)} [${attributes(resourceNodeAttributes(child))}];`);
                continue;
            }
            lines.push(`${indent}subgraph ${dotString(`cluster_${child.urn}`)} {`);
            lines.push(`${indent}  graph [${attributes(clusterAttributes(child, tree, urn === tree.rootUrn))}];`);
            if (anchored.has(child.urn)) {
                lines.push(`${indent}  ${dotString(child.urn)} [shape=point, width=0.05, label=""];`);
            }
            emit(child.urn, `${indent}  `);
            lines.push(`${indent}}`);
        }
    };
    emit(tree.rootUrn, "  ");
    lines.push(...[...edges].sort(compare), "}");
    return `${lines.join("\n")}\n`;
}

let vizInstance: Promise<Viz> | undefined;

/** SVG of a DOT graph; throws with Graphviz's messages when it cannot render it. */
export async function renderSvg(dot: string): Promise<string> {
    vizInstance ??= instance().catch((err: unknown) => {
        vizInstance = undefined;
        throw err;
    });
    const result = (await vizInstance).render(dot, { format: "svg" });
    if (result.status !== "success") {
        throw new Error(`Graphviz could not render the graph: ${result.errors.map((e) => e.message.trim()).join("; ")}`);
    }
    return result.output;
}

/** The parent tree of a stack's resources. */
class Tree {
    readonly rootUrn: string | null;
    readonly topLevel: RecordedResource[];
    private readonly byUrn: Map<string, RecordedResource>;
    private readonly children = new Map<string | null, RecordedResource[]>();
    private readonly tops = new Map<string, string | undefined>();

    constructor(resources: readonly RecordedResource[]) {
        this.byUrn = new Map(resources.map((r) => [r.urn, r]));
        this.rootUrn = resources.find((r) => r.type === STACK_TYPE && r.parent === null)?.urn ?? null;
        for (const r of resources) {
            if (r.urn === this.rootUrn) {
                continue;
            }
            const parent = r.parent !== null && this.byUrn.has(r.parent) ? r.parent : this.rootUrn;
            this.children.set(parent, [...(this.children.get(parent) ?? []), r]);
        }
        for (const list of this.children.values()) {
            list.sort((a, b) => compare(a.type, b.type) || compare(a.name, b.name) || compare(a.urn, b.urn));
        }
        this.topLevel = this.childrenOf(this.rootUrn);
    }

    get(urn: string): RecordedResource | undefined {
        return this.byUrn.get(urn);
    }

    childrenOf(urn: string | null): RecordedResource[] {
        return this.children.get(urn) ?? [];
    }

    descendants(urn: string): RecordedResource[] {
        return this.childrenOf(urn).flatMap((child) => [child, ...this.descendants(child.urn)]);
    }

    /** Whether `urn` is a descendant of `ancestor`. */
    isUnder(urn: string, ancestor: string): boolean {
        for (let parent = this.byUrn.get(urn)?.parent ?? null; parent !== null; parent = this.byUrn.get(parent)?.parent ?? null) {
            if (parent === ancestor) {
                return true;
            }
        }
        return false;
    }

    /** Whether the resource is a node or cluster of the picture (known, and not the root stack). */
    drawn(urn: string): boolean {
        return this.byUrn.has(urn) && urn !== this.rootUrn;
    }

    /** The top-level resource `urn` is, or is under; undefined for the root stack and unknown URNs. */
    topOf(urn: string): string | undefined {
        if (!this.tops.has(urn)) {
            let top: string | undefined;
            if (this.drawn(urn)) {
                const parent = this.byUrn.get(urn)!.parent;
                top = parent === null || parent === this.rootUrn || !this.byUrn.has(parent) ? urn : this.topOf(parent);
            }
            this.tops.set(urn, top);
        }
        return this.tops.get(urn);
    }
}

/** A string in a resource's inputs, with the strings of the JSON document it holds, if any. */
interface StringNode {
    text: string;
    inner: StringNode[];
}

/** A string input (at any depth) and the top-level nodes its property depends on. */
interface InputString {
    node: StringNode;
    dependsOn: Set<string>;
}

function inputStringsOf(r: RecordedResource, tree: Tree): InputString[] {
    return Object.entries(r.inputs).flatMap(([property, value]) => {
        const dependsOn = new Set((r.propertyDependencies[property] ?? []).map((urn) => tree.topOf(urn)).filter((top) => top !== undefined));
        return valueStrings(value).map((text) => ({ node: stringNode(text), dependsOn }));
    });
}

/** A string, and when it holds a JSON document (an IAM policy, a serialized config), the strings inside. */
function stringNode(text: string): StringNode {
    const trimmed = text.trim();
    let inner: StringNode[] = [];
    if ((trimmed.startsWith("{") && trimmed.endsWith("}")) || (trimmed.startsWith("[") && trimmed.endsWith("]"))) {
        try {
            inner = valueStrings(JSON.parse(trimmed)).map(stringNode);
        } catch {
            // Not JSON after all: the text is all there is.
        }
    }
    return { text, inner };
}

/** The strings of a value: itself, or the elements of an array or values of an object, at any depth. */
function valueStrings(value: unknown): string[] {
    if (typeof value === "string") {
        return [value];
    }
    if (Array.isArray(value)) {
        return value.flatMap(valueStrings);
    }
    if (typeof value === "object" && value !== null) {
        return Object.values(value).flatMap(valueStrings);
    }
    return [];
}

/**
 * The names of the outputs of `from` that feed a node whose input strings are `inputs`: those
 * with a string value (array elements too) that occurs in them. A value occurs where an input
 * string, or a string in the JSON document it holds, equals it; a value with a digit in it (an
 * id, ARN, endpoint or CIDR, which the mocks make unique) also occurs inside a longer string,
 * with or without its URL scheme (an OIDC issuer in a trust policy's condition key, a bucket
 * name in a config file). Masked values, numbers, booleans and strings shorter than 4
 * characters say nothing; a value equal to an instance name (the naming base of everything)
 * counts only in an input Pulumi records as depending on `from`. An output that occurs only
 * inside the value of another output that occurs (a key ARN inside a policy document that is
 * itself an output) is left to that one.
 */
function feedingOutputs(from: string, outputs: Record<string, unknown> | undefined, inputs: InputString[], instanceNames: Set<string>): string[] {
    if (!outputs) {
        return [];
    }
    const found = new Map<string, { values: string[]; at: InputString[] }>();
    for (const [name, value] of Object.entries(outputs)) {
        const values = valueStrings(value).filter((s) => s.length >= MIN_MATCH_LENGTH && !MASKED.has(s));
        const at = inputs.filter((input) =>
            values.some((v) => (!instanceNames.has(v) || input.dependsOn.has(from)) && occursUnder(v, input.node, [])),
        );
        if (at.length > 0) {
            found.set(name, { values, at });
        }
    }
    const names = [...found].filter(([name, { values, at }]) => {
        // The values of the other outputs found that contain one of this output's values.
        const containers = [...found]
            .filter(([other]) => other !== name)
            .flatMap(([, o]) => o.values)
            .filter((o) => values.some((v) => o !== v && occursIn(v, o)));
        return containers.length === 0 || at.some((input) => values.some((v) => occursUnder(v, input.node, containers)));
    });
    return names.map(([name]) => name).sort(compare);
}

/** Whether `value` occurs in a string or the JSON inside it, outside the `containers` texts. */
function occursUnder(value: string, node: StringNode, containers: string[]): boolean {
    if (containers.includes(node.text)) {
        return false;
    }
    const text = containers.reduce((t, c) => t.split(c).join("\u0000"), node.text);
    return occursIn(value, text) || node.inner.some((inner) => occursUnder(value, inner, containers));
}

function occursIn(value: string, text: string): boolean {
    if (text === value) {
        return true;
    }
    if (!/[0-9]/.test(value)) {
        return false;
    }
    const bare = value.replace(/^[a-z][a-z0-9+.-]*:\/\//, "");
    return text.includes(value) || (bare.length >= MIN_MATCH_LENGTH && text.includes(bare));
}

function componentNodeAttributes(r: RecordedResource, node: WiringNode): Record<string, string> {
    if (r.type.startsWith(PROVIDER_PREFIX)) {
        const region = typeof r.inputs.region === "string" ? `\nregion ${r.inputs.region}` : "";
        return { label: `${className(r.type)} provider\n${r.name}${region}`, shape: "box", style: "filled,dashed", fillcolor: "#f2f2f2", tooltip: r.urn };
    }
    if (r.custom) {
        return { label: `${shortType(r.type)}\n${r.name}`, shape: "box", style: "filled", fillcolor: "#f2f2f2", tooltip: r.urn };
    }
    const count = `${node.resourceCount} resource${node.resourceCount === 1 ? "" : "s"}`;
    return { label: `${className(r.type)}\n${r.name}\n${count}`, shape: "box", style: "rounded,filled,bold", fillcolor: "#e8f0fe", tooltip: r.urn };
}

/** Dark enough for text on white, apart enough to tell edges apart. */
const EDGE_COLOURS = ["#1f5fa8", "#b3470c", "#2e7d32", "#7b3fa0", "#a0153e", "#00747a", "#6d5b00"];

const PACKAGE_COLOURS: Record<string, string> = { aws: "#fff2e0", kubernetes: "#e6efff", random: "#eeeeee", pulumi: "#f2f2f2" };

function resourceNodeAttributes(r: RecordedResource): Record<string, string> {
    const pkg = r.type.split(":")[0];
    return {
        label: `${shortType(r.type)}\n${r.name}`,
        fillcolor: PACKAGE_COLOURS[pkg] ?? "#ffffff",
        tooltip: r.type,
        ...(r.type.startsWith(PROVIDER_PREFIX) ? { style: "filled,dashed" } : {}),
    };
}

function clusterAttributes(r: RecordedResource, tree: Tree, topLevel: boolean): Record<string, string> {
    const count = tree.descendants(r.urn).length;
    return {
        label: `${className(r.type)} ${r.name} (${count} resource${count === 1 ? "" : "s"})`,
        style: "rounded,filled",
        fillcolor: topLevel ? "#f7f9fc" : "#edf1f7",
        color: "#8899aa",
        fontsize: topLevel ? "14" : "11",
    };
}

function attributes(attrs: Record<string, string>): string {
    return Object.entries(attrs)
        .map(([key, value]) => `${key}=${dotString(value)}`)
        .join(", ");
}

/** Names joined by ", " in lines of about `width` characters. */
function wrap(names: string[], width: number): string {
    const lines: string[] = [];
    for (const name of names) {
        const last = lines.length - 1;
        if (last >= 0 && lines[last].length + 2 + name.length <= width) {
            lines[last] += `, ${name}`;
        } else {
            lines.push(name);
        }
    }
    return lines.join("\n");
}

/** `<project>/<stack> (<n> resources)` from the root stack's URN (`urn:pulumi:<stack>::<project>::…`). */
function defaultTitle(resources: readonly RecordedResource[]): string | undefined {
    const root = resources.find((r) => r.type === STACK_TYPE && r.parent === null);
    const match = root ? /^urn:pulumi:([^:]+)::([^:]+)::/.exec(root.urn) : null;
    return match ? `${match[2]}/${match[1]} (${resources.length - 1} resources)` : undefined;
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
