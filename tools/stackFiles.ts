/**
 * Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI hands config to a program:
 * a flat map of namespaced keys to strings (objects as JSON), with `secure:` values replaced
 * by placeholders and their keys listed as secret.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export interface StackFileConfig {
    project: string;
    stack: string;
    stackFile: string;
    /** PULUMI_CONFIG: namespaced key -> string. */
    config: Record<string, string>;
    /** PULUMI_CONFIG_SECRET_KEYS. */
    secretKeys: string[];
}

/** A stack file that cannot be read or parsed: reported like a config error. */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackConfigError";
    }
}

export const OFFLINE_SECRET_PLACEHOLDER = "offline-placeholder-secret";

function readProjectName(projectDir: string): string {
    const project = parseYamlFile(join(projectDir, "Pulumi.yaml")) as { name?: unknown } | null;
    if (!project || typeof project.name !== "string") {
        throw new StackFileError(`${join(projectDir, "Pulumi.yaml")}: no project name`);
    }
    return project.name;
}

/** Stacks that have a stack file in `dir`. */
function listStacks(dir: string): string[] {
    return readdirSync(dir)
        .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

export function readStackConfigFiles(
    projectDir: string,
    stack: string,
    options: { configDir?: string; overrides?: Record<string, unknown> } = {},
): StackFileConfig {
    const project = readProjectName(projectDir);
    const configDir = options.configDir ?? projectDir;
    const stackFile = `Pulumi.${stack}.yaml`;
    const stackPath = join(configDir, stackFile);
    if (!existsSync(stackPath)) {
        const known = listStacks(configDir);
        throw new StackFileError(`${stackFile}: no such stack file in ${configDir} (stacks there: ${known.join(", ") || "none"})`);
    }

    const values: Record<string, unknown> = {};
    const projectConfig = (parseYamlFile(join(projectDir, "Pulumi.yaml")) as { config?: Record<string, unknown> }).config ?? {};
    for (const [key, declaration] of Object.entries(projectConfig)) {
        const value = projectDefault(declaration);
        if (value !== undefined) {
            values[namespaced(key, project)] = value;
        }
    }

    const document = parseYamlFile(stackPath) as { config?: unknown } | null;
    const stackConfig = document?.config ?? {};
    if (typeof stackConfig !== "object" || stackConfig === null || Array.isArray(stackConfig)) {
        throw new StackFileError(`${stackFile}: "config" must be a mapping of keys to values`);
    }
    for (const [key, value] of Object.entries(stackConfig)) {
        values[namespaced(key, project)] = value;
    }
    for (const [key, value] of Object.entries(options.overrides ?? {})) {
        values[namespaced(key, project)] = value;
    }

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(values)) {
        const { plain, secret } = withoutSecrets(value);
        config[key] = encodeConfigValue(plain);
        if (secret) {
            secretKeys.push(key);
        }
    }
    return { project, stack, stackFile, config, secretKeys };
}

/** The CLI's encoding: strings as they are, scalars as text, objects and lists as JSON. */
function encodeConfigValue(value: unknown): string {
    if (typeof value === "string") {
        return value;
    }
    if (typeof value === "number" || typeof value === "boolean") {
        return String(value);
    }
    return value === null || value === undefined ? "" : JSON.stringify(value);
}

function parseYamlFile(path: string): unknown {
    try {
        return parse(readFileSync(path, "utf8"));
    } catch (err) {
        throw new StackFileError(`${path}: ${(err as Error).message}`);
    }
}

/** Keys without a namespace belong to the project, as in the CLI. */
function namespaced(key: string, project: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** A project-level entry is a plain value, `{ value: … }`, or a typed declaration with an optional default. */
function projectDefault(entry: unknown): unknown {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
        return entry;
    }
    const record = entry as Record<string, unknown>;
    if ("value" in record) {
        return record.value;
    }
    return "type" in record ? record.default : entry;
}

/** Replaces `{ secure: … }` anywhere in a value by a placeholder, reporting whether one was found. */
function withoutSecrets(value: unknown): { plain: unknown; secret: boolean } {
    if (Array.isArray(value)) {
        const parts = value.map(withoutSecrets);
        return { plain: parts.map((p) => p.plain), secret: parts.some((p) => p.secret) };
    }
    if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        if (Object.keys(record).length === 1 && typeof record.secure === "string") {
            return { plain: OFFLINE_SECRET_PLACEHOLDER, secret: true };
        }
        let secret = false;
        const plain = Object.fromEntries(
            Object.entries(record).map(([k, v]) => {
                const part = withoutSecrets(v);
                secret ||= part.secret;
                return [k, part.plain];
            }),
        );
        return { plain, secret };
    }
    return { plain: value, secret: false };
}
