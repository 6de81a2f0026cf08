/**
 * The reference's rows, walked from the zod schemas (config/load.ts PROJECT_KEYS): each key's
 * path, its type as the schema allows it, its description, and each tier's value where the path
 * leads (cells from tools/configReference/tierValues.ts).
 */
import { z } from "zod";
import { Environment, PROJECT_KEYS } from "../../config";
import { CONFIG_PROJECT, Instance, NOT_SET, SET_PER_STACK, ValueShape, cell, code, perTier, projectKeyInstances, requiredKeys, yamlValue } from "./tierValues";

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

/** The shape of the value a schema allows, which decides how a tier's cell shows it. */
export function valueShape(schema: z.ZodType): ValueShape {
    const inner = unwrap(schema).schema;
    if (inner instanceof z.ZodObject) {
        return "object";
    }
    if (isRecordOfObjects(inner)) {
        return "map of objects";
    }
    return isArrayOfObjects(inner) ? "list of objects" : "value";
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
    throw new Error(`configReference: ${where}: no rendering for a zod ${schema.def.type}; teach tools/configReference/schemaRows.ts its type`);
}

function plural(schema: z.ZodType, where: string): string {
    if (schema instanceof z.ZodEnum) {
        return `values (${kindText(schema, where)})`;
    }
    const kind = kindText(schema, where).split(",")[0];
    return `${kind}s`;
}

/**
 * A key's row: its path, its type (`where` is its full key, for errors), each tier's cell (`absent`
 * where the tier leaves it unset) and its description.
 */
export function keyRow(path: string, where: string, schema: z.ZodType, instances: Record<Environment, Instance[]>, absent: string): ReferenceRow {
    const shape = valueShape(schema);
    return {
        path,
        type: typeText(schema, where),
        values: perTier((tier) => cell(shape, instances[tier], absent)),
        description: schemaDescription(schema) ?? "",
    };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function mapTiers(instances: Record<Environment, Instance[]>, each: (instance: Instance) => Instance[]): Record<Environment, Instance[]> {
    return perTier((tier) => instances[tier].flatMap(each));
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
        rows.push(keyRow(path, where, child, childInstances, required.has(where) ? SET_PER_STACK : NOT_SET));
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

/** Every section's rows: the project's keys that hold objects, in PROJECT_KEYS' order. */
export function referenceSections(): Array<{ key: string; description?: string; rows: ReferenceRow[] }> {
    const required = requiredKeys();
    return Object.entries(PROJECT_KEYS as Record<string, z.ZodType>)
        .filter(([, schema]) => valueShape(schema) === "object")
        .map(([name, schema]) => {
            const key = `${CONFIG_PROJECT}:${name}`;
            const rows = objectRows(unwrap(schema).schema as z.ZodObject, "", projectKeyInstances(name), key, required);
            return { key, description: schemaDescription(schema), rows };
        });
}
