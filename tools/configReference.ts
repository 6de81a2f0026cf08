/**
 * The configuration reference, docs/CONFIGURATION.md: every key a stack file may set, its type,
 * its default in each environment tier and what it does, rendered from the schemas
 * (config/load.ts PROJECT_KEYS) and the tiers' profiles (config/profiles.ts PROFILES).
 * `npm run docs:config` writes it (tools/writeConfigReference.ts); a test fails when it is stale.
 */
import { stringify } from "yaml";
import { z } from "zod";
import { ADDON_VERSIONS } from "../components/cluster/versions";
import { ENVIRONMENTS, Environment, PROFILES, PROJECT_KEYS, REGION_KEY, REGION_ZONE_COUNTS, StackConfigError, loadStackConfig } from "../config";

/** The Pulumi project, the namespace of the project's own keys. */
export const CONFIG_PROJECT = "platform";

/** Where the reference is written, relative to the project directory. */
export const CONFIG_REFERENCE_FILE = "docs/CONFIGURATION.md";

/** A value longer than this (as written in YAML) is cut short, keeping whole list entries. */
const MAX_VALUE_LENGTH = 80;

/** The width prose is wrapped at. */
const WIDTH = 96;

/** What a cell says for a key that has no default and that every stack file sets. */
export const SET_PER_STACK = "set per stack";
/** What a cell says for an optional key that the tier leaves unset. */
export const NOT_SET = "not set";

/** One table row: a key path (relative to its section), its type, each tier's default and its description. */
export interface ReferenceRow {
    path: string;
    type: string;
    values: Record<Environment, string>;
    description: string;
}

/** A schema with its optional and default wrappers taken off, and what they said. */
interface Unwrapped {
    schema: z.ZodType;
    optional: boolean;
    hasDefault: boolean;
    defaultValue?: unknown;
    description?: string;
}

/** The schema's description: its own, or that of a schema it wraps. */
export function schemaDescription(schema: z.ZodType): string | undefined {
    return unwrap(schema).description;
}

function unwrap(schema: z.ZodType): Unwrapped {
    let node = schema;
    let optional = false;
    let hasDefault = false;
    let defaultValue: unknown;
    let description: string | undefined;
    for (;;) {
        description ??= z.globalRegistry.get(node)?.description ?? node.description;
        if (node instanceof z.ZodOptional) {
            optional = true;
            node = node.unwrap() as z.ZodType;
        } else if (node instanceof z.ZodDefault) {
            hasDefault = true;
            defaultValue = node.def.defaultValue;
            node = node.unwrap() as z.ZodType;
        } else {
            return { schema: node, optional, hasDefault, defaultValue, description };
        }
    }
}

/** A map keyed by name whose entries are objects: its entries' keys get rows of their own. */
function isRecordOfObjects(schema: z.ZodType): schema is z.ZodRecord {
    return schema instanceof z.ZodRecord && unwrap(schema.valueType as z.ZodType).schema instanceof z.ZodObject;
}

/** A list of objects: its entries' keys get rows of their own. */
function isArrayOfObjects(schema: z.ZodType): schema is z.ZodArray {
    return schema instanceof z.ZodArray && unwrap(schema.element as z.ZodType).schema instanceof z.ZodObject;
}

/** A key a stack sets as a whole: anything but an object, a map of objects or a list of objects. */
export function isLeaf(schema: z.ZodType): boolean {
    const inner = unwrap(schema).schema;
    return !(inner instanceof z.ZodObject) && !isRecordOfObjects(inner) && !isArrayOfObjects(inner);
}

/** The type column: the kind of value, its allowed values or range, and whether it may be left out. */
function typeText(schema: z.ZodType, where: string): string {
    const { schema: inner, optional, hasDefault, defaultValue } = unwrap(schema);
    let text = kindText(inner, where);
    if (hasDefault) {
        text += `, default ${code(yamlValue(defaultValue))}`;
    } else if (optional) {
        text += ", optional";
    }
    return text;
}

function kindText(schema: z.ZodType, where: string): string {
    if (schema instanceof z.ZodString) {
        return "string";
    }
    if (schema instanceof z.ZodNumber) {
        const kind = schema.format === "safeint" || schema.format === "int32" ? "integer" : "number";
        const min = schema.minValue ?? -Infinity;
        const max = schema.maxValue ?? Infinity;
        const bounded = (bound: number) => Number.isFinite(bound) && Math.abs(bound) < Number.MAX_SAFE_INTEGER;
        if (bounded(min) && bounded(max)) {
            return `${kind}, ${min}-${max}`;
        }
        if (bounded(min)) {
            return `${kind}, at least ${min}`;
        }
        return bounded(max) ? `${kind}, at most ${max}` : kind;
    }
    if (schema instanceof z.ZodBoolean) {
        return "boolean";
    }
    if (schema instanceof z.ZodEnum) {
        return `one of ${schema.options.map((option) => code(String(option))).join(", ")}`;
    }
    if (schema instanceof z.ZodObject) {
        return "object";
    }
    if (schema instanceof z.ZodArray) {
        return `list of ${plural(unwrap(schema.element as z.ZodType).schema, where)}`;
    }
    if (schema instanceof z.ZodRecord) {
        const value = unwrap(schema.valueType as z.ZodType).schema;
        // A map of objects is keyed by the entries' names; a map of values by its own keys (tags, labels, variables).
        return value instanceof z.ZodObject ? "map of objects, by name" : `map of ${plural(value, where)}`;
    }
    throw new Error(`configReference: ${where}: no rendering for a zod ${schema.def.type}; teach tools/configReference.ts its type`);
}

function plural(schema: z.ZodType, where: string): string {
    if (schema instanceof z.ZodEnum) {
        return `values (${kindText(schema, where)})`;
    }
    const kind = kindText(schema, where).split(",")[0];
    return `${kind}s`;
}

/** A value as a stack file writes it: YAML, collections in flow style, on one line. */
function yamlValue(value: unknown): string {
    return stringify(value, { collectionStyle: "flow", flowCollectionPadding: false, lineWidth: 0 }).trim();
}

/** A value for a cell, cut short (keeping whole entries) when long. */
function shortValue(value: unknown): string {
    const full = yamlValue(value);
    if (full.length <= MAX_VALUE_LENGTH) {
        return full;
    }
    if (Array.isArray(value) || (typeof value === "object" && value !== null)) {
        const entries = Array.isArray(value) ? value : Object.entries(value);
        for (let kept = entries.length - 1; kept >= 1; kept--) {
            const part = Array.isArray(value) ? value.slice(0, kept) : Object.fromEntries(entries.slice(0, kept) as Array<[string, unknown]>);
            const text = yamlValue(part);
            const shortened = `${text.slice(0, -1)}, … ${entries.length - kept} more${text.slice(-1)}`;
            if (shortened.length <= MAX_VALUE_LENGTH) {
                return shortened;
            }
        }
        return `${Array.isArray(value) ? "[" : "{"}… ${entries.length} entries${Array.isArray(value) ? "]" : "}"}`;
    }
    return `${full.slice(0, MAX_VALUE_LENGTH - 1)}…`;
}

/** Inline code that holds any text. */
function code(text: string): string {
    const fence = text.includes("`") ? "``" : "`";
    return `${fence}${text}${fence}`;
}

/** A value where a key path leads, per tier: one, or one per entry of the maps and lists on the way. */
interface Instance {
    /** The names of the map entries on the way, e.g. ["system"] for `nodeGroups.<name>.minSize`. */
    labels: string[];
    value: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One tier's cell: each instance's value, prefixed by its entry's name when it came from a map. */
function cell(schema: z.ZodType, instances: readonly Instance[], absent: string): string {
    const inner = unwrap(schema).schema;
    const nested = instances.some((instance) => instance.labels.length > 0);
    if (inner instanceof z.ZodObject) {
        return "";
    }
    if (instances.length === 0) {
        return "none";
    }
    const parts = instances.map(({ labels, value }) => {
        let text: string;
        if (value === undefined) {
            text = absent;
        } else if (isRecordOfObjects(inner)) {
            const names = Object.keys(value as object);
            text = names.length === 0 ? "none" : names.map(code).join(", ");
        } else if (isArrayOfObjects(inner)) {
            const entries = value as unknown[];
            const whole = yamlValue(entries);
            text = whole.length <= MAX_VALUE_LENGTH ? code(whole) : `${entries.length} entries`;
        } else {
            text = code(shortValue(value));
        }
        return nested ? `${labels.join(" ")} ${text}`.trim() : text;
    });
    // A map of objects inside a map: each entry's names, said once per entry.
    return parts.join(isRecordOfObjects(inner) && nested ? "; " : ", ");
}

/**
 * The rows of one object: its keys in schema order, a nested object's keys after its own row,
 * a map's entries' keys under `<name>`, a list's entries' keys under `[]`.
 */
function objectRows(
    schema: z.ZodObject,
    prefix: string,
    instances: Record<Environment, Instance[]>,
    section: string,
    required: ReadonlySet<string>,
): ReferenceRow[] {
    const rows: ReferenceRow[] = [];
    const shape = schema.shape as Record<string, z.ZodType>;
    for (const [key, child] of Object.entries(shape)) {
        const path = prefix === "" ? key : `${prefix}.${key}`;
        const where = `${section}.${path}`;
        const childInstances = mapTiers(instances, (instance) => [{ labels: instance.labels, value: isPlainObject(instance.value) ? instance.value[key] : undefined }]);
        const absent = required.has(where) ? SET_PER_STACK : NOT_SET;
        rows.push({
            path,
            type: typeText(child, where),
            values: mapCells(childInstances, (tierInstances) => cell(child, tierInstances, absent)),
            description: schemaDescription(child) ?? "",
        });
        rows.push(...childRows(unwrap(child).schema, path, childInstances, section, required));
    }
    return rows;
}

function childRows(schema: z.ZodType, path: string, instances: Record<Environment, Instance[]>, section: string, required: ReadonlySet<string>): ReferenceRow[] {
    if (schema instanceof z.ZodObject) {
        return objectRows(schema, path, instances, section, required);
    }
    if (isRecordOfObjects(schema)) {
        const entries = mapTiers(instances, (instance) =>
            Object.entries(isPlainObject(instance.value) ? instance.value : {}).map(([name, value]) => ({ labels: [...instance.labels, name], value })),
        );
        return objectRows(unwrap(schema.valueType as z.ZodType).schema as z.ZodObject, `${path}.<name>`, entries, section, required);
    }
    if (isArrayOfObjects(schema)) {
        const entries = mapTiers(instances, (instance) => (Array.isArray(instance.value) ? (instance.value as unknown[]).map((value) => ({ labels: instance.labels, value })) : []));
        return objectRows(unwrap(schema.element as z.ZodType).schema as z.ZodObject, `${path}[]`, entries, section, required);
    }
    return [];
}

/** A value for each tier. */
function perTier<T>(each: (tier: Environment) => T): Record<Environment, T> {
    return Object.fromEntries(ENVIRONMENTS.map((tier) => [tier, each(tier)])) as Record<Environment, T>;
}

function mapTiers(instances: Record<Environment, Instance[]>, each: (instance: Instance) => Instance[]): Record<Environment, Instance[]> {
    return perTier((tier) => instances[tier].flatMap(each));
}

function mapCells(instances: Record<Environment, Instance[]>, render: (instances: Instance[]) => string): Record<Environment, string> {
    return perTier((tier) => render(instances[tier]));
}

/**
 * Each tier's defaults as the loader builds them (config/load.ts): the profile, no extra tags,
 * and the add-on builds pinned for the profile's Kubernetes version.
 */
export function tierDefaults(tier: Environment): Record<string, unknown> {
    const profile = PROFILES[tier];
    return {
        ...profile,
        tags: {},
        cluster: { ...profile.cluster, addonVersions: ADDON_VERSIONS[profile.cluster.kubernetesVersion] },
    };
}

/**
 * The keys every stack file must set, as the loader reports them missing from a stack file that
 * sets nothing, then from one that sets only the tier and the region: `aws:region`,
 * `platform:environment`, `platform:delivery.hostname`, ….
 */
export function requiredKeys(): ReadonlySet<string> {
    const region = Object.keys(REGION_ZONE_COUNTS)[0];
    const stackFiles: Array<Record<string, string>> = [
        {},
        ...ENVIRONMENTS.map((tier) => ({ [`${CONFIG_PROJECT}:environment`]: tier, [REGION_KEY]: region })),
    ];
    const keys = new Set<string>();
    for (const raw of stackFiles) {
        try {
            loadStackConfig(raw, "reference", CONFIG_PROJECT);
        } catch (err) {
            if (!(err instanceof StackConfigError)) {
                throw err;
            }
            for (const problem of err.problems) {
                const missing = /^(\S+): missing;/.exec(problem);
                if (missing) {
                    keys.add(missing[1]);
                }
            }
        }
    }
    return keys;
}

/** Every section's rows: the project's keys that hold objects, in PROJECT_KEYS' order. */
export function referenceSections(): Array<{ key: string; description?: string; rows: ReferenceRow[] }> {
    const required = requiredKeys();
    return Object.entries(PROJECT_KEYS as Record<string, z.ZodType>)
        .filter(([, schema]) => unwrap(schema).schema instanceof z.ZodObject)
        .map(([name, schema]) => {
            const key = `${CONFIG_PROJECT}:${name}`;
            const instances = perTier<Instance[]>((tier) => [{ labels: [], value: tierDefaults(tier)[name] }]);
            return { key, description: schemaDescription(schema), rows: objectRows(unwrap(schema).schema as z.ZodObject, "", instances, key, required) };
        });
}

/** The top-level keys: the region, then the project's keys in PROJECT_KEYS' order. */
function topLevelRows(required: ReadonlySet<string>): ReferenceRow[] {
    const perStack = (key: string) => (required.has(key) ? SET_PER_STACK : NOT_SET);
    const rows: ReferenceRow[] = [
        {
            path: REGION_KEY,
            type: "string: a region listed below",
            values: perTier(() => perStack(REGION_KEY)),
            description: "The AWS region the stack deploys to: one whose availability zones the platform knows (`config/regions.ts`).",
        },
    ];
    for (const [name, schema] of Object.entries(PROJECT_KEYS as Record<string, z.ZodType>)) {
        const key = `${CONFIG_PROJECT}:${name}`;
        const inner = unwrap(schema).schema;
        if (inner instanceof z.ZodObject) {
            const description = schemaDescription(schema);
            const link = `[the ${name} keys](#${anchor(key)})`;
            rows.push({
                path: key,
                type: "object",
                values: perTier(() => ""),
                description: description ? `${description} See ${link}.` : `See ${link}.`,
            });
            continue;
        }
        const instances = perTier<Instance[]>((tier) => [{ labels: [], value: tierDefaults(tier)[name] }]);
        rows.push({
            path: key,
            type: typeText(schema, key),
            values: mapCells(instances, (tierInstances) => cell(schema, tierInstances, perStack(key))),
            description: schemaDescription(schema) ?? "",
        });
    }
    return rows;
}

/** GitHub's anchor for a heading that is the key in inline code. */
function anchor(key: string): string {
    return key.toLowerCase().replace(/[^a-z0-9 _-]/g, "").replace(/ /g, "-");
}

/** A table cell: one line, its pipes escaped. */
function tableCell(text: string): string {
    return text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
}

function table(rows: readonly ReferenceRow[]): string[] {
    const header = ["key", "type", ...ENVIRONMENTS, "what it does"];
    return [
        `| ${header.join(" | ")} |`,
        `| ${header.map(() => "---").join(" | ")} |`,
        ...rows.map((row) => `| ${[code(row.path), row.type, ...ENVIRONMENTS.map((tier) => row.values[tier]), row.description].map(tableCell).join(" | ")} |`),
    ];
}

/** The example stack file the preamble shows; a test loads it. */
export function exampleStackFile(): string {
    const region = "us-east-1";
    return [
        "config:",
        `  ${REGION_KEY}: ${region}`,
        `  ${CONFIG_PROJECT}:environment: prod`,
        `  ${CONFIG_PROJECT}:network:`,
        "    cidrBlock: 10.40.0.0/16          # the rest of platform:network stays prod's",
        `  ${CONFIG_PROJECT}:cluster:`,
        "    nodeGroups:",
        "      workload:",
        "        maxSize: 20                  # one key of one node group; the rest stays prod's",
        "        instanceTypes: [m7i.xlarge]  # a list replaces prod's whole list",
        `  ${CONFIG_PROJECT}:delivery:`,
        "    hostname: api.example.com",
        `    certificateArn: arn:aws:acm:${region}:111122223333:certificate/0b6c1a4e-3f2d-4c8e-9a71-5d2e8f4b6c10`,
        `  ${CONFIG_PROJECT}:backup:`,
        "    drRegion: us-west-2",
    ].join("\n");
}

/** The whole reference, as docs/CONFIGURATION.md holds it. */
export function configReference(): string {
    const required = requiredKeys();
    const sections = referenceSections();
    const tiers = ENVIRONMENTS.map(code).join(", ");
    const stackFileKeys = [`${CONFIG_PROJECT}:environment`, REGION_KEY];
    const perStackKeys = [...required].filter((key) => !stackFileKeys.includes(key)).map(code).join(", ");
    const lines: string[] = [
        "# Configuration reference",
        "",
        ...wrap(
            "Every key a stack file may set: its type, its default in each environment tier, and what it does. " +
                "This file is generated from the schemas and profiles in `config/` by `npm run docs:config`; do not edit it by hand " +
                "(a test fails when it is stale). How the pieces fit together, and the rules that span several keys, " +
                "are in [CONFIGURATION_GUIDE.md](CONFIGURATION_GUIDE.md).",
        ),
        "",
        "## How configuration works",
        "",
        ...bullet(
            `A stack file, \`Pulumi.<stack>.yaml\`, sets \`${CONFIG_PROJECT}:environment\`, the tier (${tiers}), and \`${REGION_KEY}\`. ` +
                `The keys no tier can know have no default either, so every stack file sets them too: ${perStackKeys}.`,
        ),
        ...bullet("Every other key defaults to its tier's value: the dev, staging and prod columns below."),
        ...bullet(
            "A stack overrides any key. Objects merge key by key, at any depth, so a stack sets only the keys it changes. " +
                "Maps keyed by name (node groups, namespaces, backup rules) merge entry by entry: a stack adds an entry " +
                "or changes some of an entry's keys, and cannot remove one the tier defines. Lists replace the tier's list whole.",
        ),
        ...bullet(
            "A key the schema does not know is an error that names the keys allowed there (and the nearest, for a typo); " +
                "so is a value of the wrong type. Every problem is reported at once, before anything is deployed.",
        ),
        "",
        "For example, a prod stack with its own VPC range and more workload nodes:",
        "",
        "```yaml",
        exampleStackFile(),
        "```",
        "",
        "Reading the tables:",
        "",
        ...bullet(
            `A section's keys are written relative to it: \`cidrBlock\` under \`${CONFIG_PROJECT}:network\` is ` +
                `\`${CONFIG_PROJECT}:network.cidrBlock\`, set in YAML as \`cidrBlock:\` under \`${CONFIG_PROJECT}:network:\`.`,
        ),
        ...bullet(
            "`<name>` stands for the name of an entry of a map (`nodeGroups.<name>.minSize` is the `minSize` of each node group); " +
                "a tier's cell names each of its entries with the entry's value, e.g. system `1`, workload `1`. " +
                "`[]` stands for each entry of a list, listed in order.",
        ),
        ...bullet('Values are written as in a stack file: a string YAML would read as a number is quoted (`"1.36"`, `"4"`).'),
        ...bullet(`*${SET_PER_STACK}*: no default, and every stack file sets it. *${NOT_SET}*: optional, and the tier leaves it unset.`),
        "",
        "## Top-level keys",
        "",
        ...table(topLevelRows(required)),
        "",
        `The regions \`${REGION_KEY}\` may name, each with its availability zones (the most`,
        "`platform:network.availabilityZoneCount` may be there):",
        "",
        ...regionLines(),
    ];
    for (const section of sections) {
        lines.push("", `## ${code(section.key)}`, "");
        if (section.description) {
            lines.push(section.description, "");
        }
        lines.push(...table(section.rows));
    }
    return `${lines.join("\n")}\n`;
}

/** Text as lines of at most WIDTH characters, broken at spaces outside inline code. */
function wrap(text: string, indent = ""): string[] {
    const lines: string[] = [];
    let line = "";
    let inCode = false;
    for (const word of text.split(" ")) {
        const canBreak = !inCode;
        if (canBreak && line !== "" && indent.length + line.length + 1 + word.length > WIDTH) {
            lines.push(line);
            line = word;
        } else {
            line = line === "" ? word : `${line} ${word}`;
        }
        if ((word.match(/`/g)?.length ?? 0) % 2 === 1) {
            inCode = !inCode;
        }
    }
    lines.push(line);
    return lines.map((l) => `${indent}${l}`);
}

/** A list item, wrapped, its continuation lines indented under the first. */
function bullet(text: string): string[] {
    const [first, ...rest] = wrap(text, "  ");
    return [`- ${first.slice(2)}`, ...rest];
}

/** The known regions with their zone counts, wrapped at a sane width. */
function regionLines(): string[] {
    const items = Object.entries(REGION_ZONE_COUNTS).map(([region, zones]) => `${code(region)} (${zones})`);
    const lines: string[] = [];
    let line = "";
    for (const item of items) {
        const next = line === "" ? item : `${line}, ${item}`;
        if (next.length > WIDTH && line !== "") {
            lines.push(`${line},`);
            line = item;
        } else {
            line = next;
        }
    }
    lines.push(`${line}.`);
    return lines;
}
