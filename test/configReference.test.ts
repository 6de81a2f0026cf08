import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { ADDON_VERSIONS } from "../components/cluster/versions";
import { ENVIRONMENTS, Environment, PROFILES, PROJECT_KEYS, REGION_KEY, loadStackConfig } from "../config";
import { CONFIG_PROJECT, CONFIG_REFERENCE_FILE, NOT_SET, SET_PER_STACK, configReference, exampleStackFile, requiredKeys } from "../tools/configReference";

const REFERENCE_PATH = join(__dirname, "..", CONFIG_REFERENCE_FILE);
const TOP_LEVEL = "Top-level keys";

/** A schema without its optional and default wrappers, and the first description found on the way in. */
function unwrapped(schema: z.ZodType): { inner: z.ZodType; description?: string } {
    let node = schema;
    let description: string | undefined;
    for (;;) {
        description ??= z.globalRegistry.get(node)?.description;
        if (node instanceof z.ZodOptional || node instanceof z.ZodDefault) {
            node = node.unwrap() as z.ZodType;
        } else {
            return { inner: node, description };
        }
    }
}

interface KeyPath {
    /** `platform:network`, … */
    section: string;
    /** Relative to the section: `cidrBlock`, `nodeGroups.<name>.minSize`, `canary.steps[].weightPercent`. */
    path: string;
    leaf: boolean;
    description?: string;
}

/**
 * Every key path a stack may set under a section, walked here independently of the renderer:
 * objects by key, maps of objects under `<name>`, lists of objects under `[]`; anything else is a leaf.
 */
function keyPaths(section: string, schema: z.ZodType, prefix = ""): KeyPath[] {
    const { inner } = unwrapped(schema);
    const paths: KeyPath[] = [];
    const children = (child: z.ZodType, path: string) => {
        const { inner: childInner, description } = unwrapped(child);
        const nested = (node: z.ZodType) => unwrapped(node).inner instanceof z.ZodObject;
        if (childInner instanceof z.ZodObject) {
            paths.push({ section, path, leaf: false, description }, ...keyPaths(section, childInner, path));
        } else if (childInner instanceof z.ZodRecord && nested(childInner.valueType as z.ZodType)) {
            paths.push({ section, path, leaf: false, description }, ...keyPaths(section, childInner.valueType as z.ZodType, `${path}.<name>`));
        } else if (childInner instanceof z.ZodArray && nested(childInner.element as z.ZodType)) {
            paths.push({ section, path, leaf: false, description }, ...keyPaths(section, childInner.element as z.ZodType, `${path}[]`));
        } else {
            paths.push({ section, path, leaf: true, description });
        }
    };
    const shape = (inner as z.ZodObject).shape as Record<string, z.ZodType>;
    for (const [key, child] of Object.entries(shape)) {
        children(child, prefix === "" ? key : `${prefix}.${key}`);
    }
    return paths;
}

const SECTIONS = Object.entries(PROJECT_KEYS as Record<string, z.ZodType>).filter(([, schema]) => unwrapped(schema).inner instanceof z.ZodObject);
const ALL_PATHS = SECTIONS.flatMap(([name, schema]) => keyPaths(`${CONFIG_PROJECT}:${name}`, schema));

type Row = Record<"path" | "type" | Environment | "description", string>;

/** The document's tables: heading (`platform:network`, or "Top-level keys") -> key path -> row. */
function tables(markdown: string): Map<string, Map<string, Row>> {
    const result = new Map<string, Map<string, Row>>();
    let heading = "";
    for (const line of markdown.split("\n")) {
        const title = /^## (.+)$/.exec(line);
        if (title) {
            heading = title[1].replace(/^`(.*)`$/, "$1");
            result.set(heading, new Map());
            continue;
        }
        if (!line.startsWith("| `")) {
            continue;
        }
        const cells = line
            .slice(2, -2)
            .split(/(?<!\\) \| /)
            .map((text) => text.replace(/\\\|/g, "|").trim());
        const [path, type, ...rest] = cells;
        const values = Object.fromEntries(ENVIRONMENTS.map((tier, i) => [tier, rest[i]]));
        const row = { path: path.replace(/^`(.*)`$/, "$1"), type, ...values, description: rest[ENVIRONMENTS.length] } as Row;
        result.get(heading)!.set(row.path, row);
    }
    return result;
}

/** A cell's values: ``system `1`, workload `2` `` -> [{label: "system", value: 1}, …]. */
function cellValues(text: string): Array<{ label?: string; value: unknown }> {
    return [...text.matchAll(/(?:([\w-]+) )?`([^`]*)`/g)].map((match) => ({ label: match[1], value: parse(match[2]) as unknown }));
}

/** A cell that holds one value. */
function single(text: string): unknown {
    const values = cellValues(text);
    assert.equal(values.length, 1, `expected one value in ${JSON.stringify(text)}`);
    return values[0].value;
}

/** Each tier's defaults as the loader builds them: the profile, and the add-on builds its Kubernetes version pins. */
function defaultsOf(tier: Environment, section: string): unknown {
    const name = section.slice(CONFIG_PROJECT.length + 1);
    const profile = PROFILES[tier] as unknown as Record<string, unknown>;
    if (name === "cluster") {
        return { ...PROFILES[tier].cluster, addonVersions: ADDON_VERSIONS[PROFILES[tier].cluster.kubernetesVersion] };
    }
    return profile[name];
}

function at(value: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((node, key) => (typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined), value);
}

describe("configuration reference (docs/CONFIGURATION.md)", () => {
    const document = configReference();
    const parsed = tables(document);

    it("is up to date with the schemas and profiles", () => {
        const written = readFileSync(REFERENCE_PATH, "utf8");
        assert.ok(written === document, `${CONFIG_REFERENCE_FILE} is stale: run \`npm run docs:config\` and commit the result`);
    });

    it("is the same text on every run", () => {
        assert.equal(configReference(), document);
    });

    it("has a description for every key a stack sets whole", () => {
        const missing = ALL_PATHS.filter((key) => key.leaf && !key.description).map((key) => `${key.section}.${key.path}`);
        const topLevel = Object.entries(PROJECT_KEYS as Record<string, z.ZodType>)
            .filter(([, schema]) => !(unwrapped(schema).inner instanceof z.ZodObject) && !unwrapped(schema).description)
            .map(([name]) => `${CONFIG_PROJECT}:${name}`);
        const all = [...topLevel, ...missing];
        assert.deepEqual(all, [], `schema leaves without .describe(…): ${all.join(", ")}`);
    });

    it("has a row for every key path a stack may set", () => {
        const topLevel = parsed.get(TOP_LEVEL);
        assert.ok(topLevel, `no "## ${TOP_LEVEL}" table`);
        for (const key of [REGION_KEY, ...Object.keys(PROJECT_KEYS).map((name) => `${CONFIG_PROJECT}:${name}`)]) {
            assert.ok(topLevel.has(key), `no row for ${key} under "${TOP_LEVEL}"`);
        }
        const absent = ALL_PATHS.filter((key) => !parsed.get(key.section)?.has(key.path)).map((key) => `${key.section}.${key.path}`);
        assert.deepEqual(absent, [], `key paths missing from ${CONFIG_REFERENCE_FILE}: ${absent.join(", ")}`);
    });

    it("prints each tier's defaults as the profiles hold them", () => {
        const network = parsed.get(`${CONFIG_PROJECT}:network`)!.get("cidrBlock")!;
        const instanceClass = parsed.get(`${CONFIG_PROJECT}:database`)!.get("postgres.instanceClass")!;
        const protect = parsed.get(TOP_LEVEL)!.get(`${CONFIG_PROJECT}:protectStatefulResources`)!;
        for (const tier of ENVIRONMENTS) {
            assert.equal(single(network[tier]), PROFILES[tier].network.cidrBlock, `network.cidrBlock in ${tier}`);
            assert.equal(single(instanceClass[tier]), PROFILES[tier].database.postgres.instanceClass, `database.postgres.instanceClass in ${tier}`);
            assert.equal(single(protect[tier]), PROFILES[tier].protectStatefulResources, `protectStatefulResources in ${tier}`);
        }
    });

    it("prints every plain key's value in every tier as the profiles hold it", () => {
        let compared = 0;
        for (const key of ALL_PATHS.filter((k) => k.leaf && !k.path.includes("<name>") && !k.path.includes("[]"))) {
            const row = parsed.get(key.section)!.get(key.path)!;
            for (const tier of ENVIRONMENTS) {
                const expected = at(defaultsOf(tier, key.section), key.path);
                const where = `${key.section}.${key.path} in ${tier}`;
                if (expected === undefined) {
                    assert.ok([SET_PER_STACK, NOT_SET].includes(row[tier]), `${where}: got ${JSON.stringify(row[tier])}; expected "${SET_PER_STACK}" or "${NOT_SET}"`);
                } else if (row[tier].includes("…")) {
                    assert.ok(row[tier].includes("more"), `${where}: cut short without saying how much`);
                } else {
                    assert.deepEqual(single(row[tier]), expected, where);
                    compared++;
                }
            }
        }
        assert.ok(compared > 100, `compared only ${compared} values`);
    });

    it("names each map entry with its value: node groups, backup rules", () => {
        const cluster = parsed.get(`${CONFIG_PROJECT}:cluster`)!;
        const backup = parsed.get(`${CONFIG_PROJECT}:backup`)!;
        for (const tier of ENVIRONMENTS) {
            const groups = PROFILES[tier].cluster.nodeGroups;
            for (const key of ["minSize", "maxSize", "instanceTypes"] as const) {
                const printed = cellValues(cluster.get(`nodeGroups.<name>.${key}`)![tier]);
                assert.deepEqual(
                    printed.map(({ label, value }) => [label, value]),
                    Object.entries(groups).map(([name, group]) => [name, group[key]]),
                    `nodeGroups.<name>.${key} in ${tier}`,
                );
            }
            assert.deepEqual(
                cellValues(cluster.get("nodeGroups")![tier]).map(({ value }) => value),
                Object.keys(groups),
                `nodeGroups in ${tier}`,
            );
            const rules = PROFILES[tier].backup.plan.rules;
            assert.deepEqual(
                cellValues(backup.get("plan.rules.<name>.retentionDays")![tier]).map(({ label, value }) => [label, value]),
                Object.entries(rules).map(([name, rule]) => [name, rule.retentionDays]),
                `backup.plan.rules.<name>.retentionDays in ${tier}`,
            );
        }
    });

    it("lists a list's entries in order: the canary steps", () => {
        const delivery = parsed.get(`${CONFIG_PROJECT}:delivery`)!;
        for (const tier of ENVIRONMENTS) {
            assert.deepEqual(
                cellValues(delivery.get("canary.steps[].weightPercent")![tier]).map(({ value }) => value),
                PROFILES[tier].delivery.canary.steps.map((step) => step.weightPercent),
                `canary.steps[].weightPercent in ${tier}`,
            );
        }
    });

    it("marks as set per stack exactly the keys a stack file without them is refused for, none of which a profile holds", () => {
        const required = [...requiredKeys()];
        for (const key of [REGION_KEY, `${CONFIG_PROJECT}:environment`]) {
            assert.ok(required.includes(key), `${key} should be required`);
        }
        const inSections = required.filter((key) => key.includes("."));
        assert.ok(inSections.length > 0, "expected keys no profile holds, such as the DR region");
        for (const key of inSections) {
            const [section, ...rest] = key.split(".");
            const path = rest.join(".");
            const row = parsed.get(section)?.get(path);
            assert.ok(row, `no row for ${key}`);
            for (const tier of ENVIRONMENTS) {
                assert.equal(at(defaultsOf(tier, section), path), undefined, `${key} has a default in ${tier}`);
                assert.equal(row[tier], SET_PER_STACK, `${key} in ${tier}`);
            }
        }
        const marked = [...parsed.values()].flatMap((rows) => [...rows.values()]).filter((row) => ENVIRONMENTS.some((tier) => row[tier] === SET_PER_STACK));
        assert.equal(marked.length, required.length, `rows marked "${SET_PER_STACK}": ${marked.map((row) => row.path).join(", ")}`);
    });

    it("shows an example stack file that loads, merged over its tier's profile", () => {
        assert.ok(document.includes(`\`\`\`yaml\n${exampleStackFile()}\n\`\`\``));
        const file = parse(exampleStackFile()) as { config: Record<string, unknown> };
        // As the Pulumi CLI hands config over: strings as they are, anything else as JSON.
        const raw = Object.fromEntries(Object.entries(file.config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
        const config = loadStackConfig(raw, "example", CONFIG_PROJECT);
        const tier = config.environment;
        const workload = config.cluster.nodeGroups.workload;
        assert.notEqual(config.network.cidrBlock, PROFILES[tier].network.cidrBlock);
        assert.equal(config.network.natMode, PROFILES[tier].network.natMode);
        assert.equal(workload.minSize, PROFILES[tier].cluster.nodeGroups.workload.minSize);
        assert.notDeepEqual(workload.instanceTypes, PROFILES[tier].cluster.nodeGroups.workload.instanceTypes);
    });

    it("keeps its cells and lines to a readable length", () => {
        for (const line of document.split("\n")) {
            const cells = line.startsWith("|") ? line.split(/(?<!\\)\|/) : [line];
            for (const text of cells) {
                assert.ok(text.length <= 250, `a cell or line of ${text.length} characters: ${text.slice(0, 120)}…`);
            }
        }
    });
});
