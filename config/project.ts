/**
 * The Pulumi CLI's rules for a project's `config:` block and a stack's values against it,
 * applied before the program runs (pulumi/pulumi: `Project.Validate` and `ValidateConfigValue`
 * in sdk/go/common/workspace/project.go; `ValidateStackConfigAndApplyProjectConfig` in
 * pkg/workspace/config.go; CLI 3.260). Messages are the CLI's own. Two departures, both to
 * report more in one run: every problem is collected (the CLI stops at the first failing key,
 * and skips type checks while a key is missing), and a `secure:` value's type is not checked
 * (its plaintext is not known offline; the CLI decrypts it first).
 */

/** A declaration of Pulumi.yaml's `config:` block, after the CLI's shorthand rewrite. */
export interface ConfigDeclaration {
    type?: string;
    items?: ItemsType;
    description?: string;
    secret?: boolean;
    default?: unknown;
    value?: unknown;
}

export interface ItemsType {
    type: string;
    items?: ItemsType;
}

/** The declared types project.json allows (`simpleConfigType`). */
export const CONFIG_TYPES = ["string", "integer", "boolean", "array", "object"] as const;
const DECLARATION_ATTRIBUTES = ["type", "items", "description", "secret", "default", "value"];
const SECURE = Symbol("a secure value's plaintext");

export interface ProjectConfigResult {
    /** Pulumi.yaml's declarations by the key as written there. */
    declarations: Record<string, ConfigDeclaration>;
    problems: string[];
}

/** The `config:` block as the CLI reads it: schema, shorthand rewrite, then `Project.Validate`. */
export function readProjectConfig(project: string, block: unknown): ProjectConfigResult {
    const problems: string[] = [];
    const declarations: Record<string, ConfigDeclaration> = {};
    if (block === undefined || block === null) {
        return { declarations, problems };
    }
    if (typeof block !== "object" || Array.isArray(block)) {
        return { declarations, problems: ["#/config: expected object, but got " + jsonType(block)] };
    }
    for (const [key, entry] of Object.entries(block as Record<string, unknown>)) {
        const declaration = declarationOf(project, key, entry, problems);
        if (declaration) {
            declarations[key] = declaration;
            problems.push(...declarationProblems(project, key, declaration));
        }
    }
    return { declarations, problems };
}

/** The schema's `oneOf` and the shorthand rewrite: a scalar or list is a default (own key) or a value (another's). */
function declarationOf(project: string, key: string, entry: unknown, problems: string[]): ConfigDeclaration | undefined {
    const where = `#/config/${key}`;
    if (typeof entry === "string" || typeof entry === "boolean" || Number.isInteger(entry) || Array.isArray(entry)) {
        return isOwnKey(project, key) ? { default: entry } : { value: entry };
    }
    if (typeof entry !== "object" || entry === null) {
        problems.push(`${where}: oneOf failed (expected a string, an integer, a boolean, a list or a declaration; got ${jsonType(entry)})`);
        return undefined;
    }
    const declaration = entry as Record<string, unknown>;
    let valid = true;
    for (const attribute of Object.keys(declaration)) {
        if (!DECLARATION_ATTRIBUTES.includes(attribute)) {
            problems.push(`${where}: additionalProperties '${attribute}' not allowed; the allowed attributes are ${formatList(DECLARATION_ATTRIBUTES)}`);
            valid = false;
        }
    }
    if (declaration.type !== undefined && !(CONFIG_TYPES as readonly unknown[]).includes(declaration.type)) {
        problems.push(`${where}/type: value must be one of ${CONFIG_TYPES.map((t) => `"${t}"`).join(", ")}`);
        valid = false;
    }
    if (declaration.items !== undefined && !itemsValid(declaration.items)) {
        problems.push(`${where}/items: expected { type: ${CONFIG_TYPES.join(" | ")}, items? }, with items when the type is array`);
        valid = false;
    }
    for (const attribute of ["description", "secret"] as const) {
        const expected = attribute === "secret" ? "boolean" : "string";
        if (declaration[attribute] !== undefined && typeof declaration[attribute] !== expected) {
            problems.push(`${where}/${attribute}: expected ${expected}, but got ${jsonType(declaration[attribute])}`);
            valid = false;
        }
    }
    return valid ? declaration : undefined;
}

function itemsValid(items: unknown): items is ItemsType {
    if (typeof items !== "object" || items === null || Array.isArray(items)) {
        return false;
    }
    const { type, items: inner } = items as Record<string, unknown>;
    if (!(CONFIG_TYPES as readonly unknown[]).includes(type)) {
        return false;
    }
    return inner === undefined ? type !== "array" : itemsValid(inner);
}

/** `Project.Validate` for one key. */
function declarationProblems(project: string, key: string, d: ConfigDeclaration): string[] {
    if (d.default !== undefined && d.value !== undefined) {
        return [`project config '${key}' cannot have both a 'default' and 'value' attribute`];
    }
    if (isOwnKey(project, key)) {
        if (d.type === "array" && d.items === undefined) {
            return [`The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`];
        }
        if (d.type !== undefined && d.default !== undefined && !valueHasType(d.type, d.items, d.default)) {
            return [`The default value specified for configuration key '${key}' is not of the expected type '${fullTypeName(d.type, d.items)}'`];
        }
        return [];
    }
    if (d.type !== undefined) {
        return [`Configuration key '${key}' is not namespaced by the project and should not define a type`];
    }
    if (d.default !== undefined) {
        return [`Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`];
    }
    if (d.value === undefined) {
        return [`Configuration key '${key}' is namespaced and must provide an attribute 'value'`];
    }
    return [];
}

export interface StackConfigResult {
    /** The stack's values by namespaced key, the project's defaults and values applied. */
    values: Record<string, unknown>;
    problems: string[];
}

/**
 * A stack file's `config:` against the project's declarations: keys namespaced, required keys
 * present, defaults and values applied where the stack sets nothing, secrets and types checked.
 */
export function applyProjectConfig(project: string, stack: string, declarations: Record<string, ConfigDeclaration>, stackConfig: Record<string, unknown>): StackConfigResult {
    const problems: string[] = [];
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(stackConfig)) {
        const parsed = namespacedKey(project, key);
        if (parsed.problem) {
            problems.push(parsed.problem);
        } else {
            values[parsed.key] = value;
        }
    }
    const keys = Object.keys(declarations).sort(byteOrder);
    const missing: string[] = [];
    for (const rawKey of keys) {
        const { key, problem } = namespacedKey(project, rawKey);
        if (problem) {
            problems.push(problem);
            continue;
        }
        const d = declarations[rawKey];
        if (Object.hasOwn(values, key)) {
            continue;
        }
        if (d.value === undefined && d.default === undefined) {
            if (key.startsWith(`${project}:`)) {
                missing.push(rawKey);
            }
            continue;
        }
        values[key] = d.value !== undefined ? d.value : d.default;
    }
    if (missing.length > 0) {
        problems.push(`Stack '${stack}' is missing configuration ${missing.length === 1 ? "value" : "values"} ${formatList(missing)}`);
    }
    for (const rawKey of keys) {
        const d = declarations[rawKey];
        const { key } = namespacedKey(project, rawKey);
        if (d.type === undefined || !Object.hasOwn(values, key)) {
            continue;
        }
        const value = values[key];
        if (d.secret && !containsSecure(value)) {
            problems.push(`Stack '${stack}' with configuration key '${rawKey}' must be encrypted as it's secret`);
        } else if (!isSecure(value) && !valueHasType(d.type, d.items, asTheCliSeesIt(value))) {
            problems.push(`Stack '${stack}' with configuration key '${rawKey}' must be of type '${fullTypeName(d.type, d.items)}'`);
        }
    }
    return { values, problems };
}

/** `ValidateConfigValue`: whether a value (as the CLI holds it) has the declared type. */
export function valueHasType(type: string, items: ItemsType | undefined, value: unknown): boolean {
    if (value === SECURE) {
        return true;
    }
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return (typeof value === "number" && Number.isInteger(value)) || (typeof value === "string" && isGoInt(value));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return typeof value === "object" && value !== null && !Array.isArray(value);
        default:
            return Array.isArray(value) && items !== undefined && value.every((item) => valueHasType(items.type, items.items, item));
    }
}

/** `InferFullTypeName`: `array<array<string>>` and the like. */
export function fullTypeName(type: string, items: ItemsType | undefined): string {
    return items ? `array<${fullTypeName(items.type, items.items)}>` : type;
}

/**
 * A stack value as the CLI type-checks it: a scalar is held as text (`20` as "20", a null as
 * ""); a list or mapping as its JSON, nested secrets as their (unknown) plaintext.
 */
function asTheCliSeesIt(value: unknown): unknown {
    if (value === null || value === undefined) {
        return "";
    }
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
        return String(value);
    }
    const walk = (node: unknown): unknown => {
        if (isSecure(node)) {
            return SECURE;
        }
        if (Array.isArray(node)) {
            return node.map(walk);
        }
        if (typeof node === "object" && node !== null) {
            return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
        }
        return node;
    };
    return walk(value);
}

/** Go's `strconv.Atoi`: an optional sign, decimal digits, within 64 bits. */
function isGoInt(text: string): boolean {
    if (!/^[+-]?[0-9]+$/.test(text)) {
        return false;
    }
    const n = BigInt(text);
    return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** `{ secure: <ciphertext> }`: a map with exactly that one key, holding a string. */
export function isSecure(value: unknown): boolean {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return false;
    }
    const keys = Object.keys(value);
    return keys.length === 1 && keys[0] === "secure" && typeof (value as { secure: unknown }).secure === "string";
}

function containsSecure(value: unknown): boolean {
    if (isSecure(value)) {
        return true;
    }
    if (typeof value === "object" && value !== null) {
        return Object.values(value).some(containsSecure);
    }
    return false;
}

/** A key without a namespace is the project's; `ns:name` and the legacy `ns:config:name` parse. */
function namespacedKey(project: string, key: string): { key: string; problem?: string } {
    if (!key.includes(":")) {
        return { key: `${project}:${key}` };
    }
    const parts = key.split(":");
    if (parts.length === 2 && parts[0] !== "" && parts[1] !== "") {
        return { key };
    }
    if (parts.length === 3 && parts[1] === "config" && parts[0] !== "" && parts[2] !== "") {
        return { key: `${parts[0]}:${parts[2]}` };
    }
    return { key, problem: `could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)` };
}

/** `configKeyIsNamespacedByProject`. */
function isOwnKey(project: string, key: string): boolean {
    return !key.includes(":") || key.startsWith(`${project}:`);
}

/** 'a'; 'a' and 'b'; 'a', 'b' and 'c' — sorted, as the CLI lists keys. */
function formatList(keys: readonly string[]): string {
    const quoted = [...keys].sort(byteOrder).map((k) => `'${k}'`);
    return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

function byteOrder(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

function jsonType(value: unknown): string {
    return value === null ? "null" : Array.isArray(value) ? "array" : typeof value === "number" ? "number" : typeof value;
}
