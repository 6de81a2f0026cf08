/**
 * Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI hands config to a program:
 * the CLI's project-config rules applied (config/project.ts), then a flat map of namespaced keys
 * to strings (objects as JSON), with `secure:` values replaced by placeholders and their keys
 * listed as secret.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { applyProjectConfig, isSecure, readProjectConfig } from "../config/project";

export interface StackFileConfig {
    project: string;
    stack: string;
    stackFile: string;
    /** PULUMI_CONFIG: namespaced key -> string. */
    config: Record<string, string>;
    /** PULUMI_CONFIG_SECRET_KEYS. */
    secretKeys: string[];
    /** What the Pulumi CLI would refuse before running the program (Pulumi.yaml's declarations); `config` holds what it would apply. */
    cliProblems: string[];
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

/** Stacks that have a stack file in `dir` (`Pulumi.<stack>.yaml`, or `.yml`, which readStackConfigFiles does not read). */
export function listStacks(dir: string): string[] {
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

    const projectPath = join(projectDir, "Pulumi.yaml");
    const declared = readProjectConfig(project, (parseYamlFile(projectPath) as { config?: unknown }).config);
    if (declared.problems.length > 0) {
        // The CLI stops at a project it cannot load, before any stack is read.
        throw new StackFileError(`${projectPath}: the Pulumi CLI would refuse it:\n${declared.problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    const document = parseYamlFile(stackPath) as { config?: unknown } | null;
    const stackConfig = document?.config ?? {};
    if (typeof stackConfig !== "object" || stackConfig === null || Array.isArray(stackConfig)) {
        throw new StackFileError(`${stackFile}: "config" must be a mapping of keys to values`);
    }
    const withOverrides = { ...(stackConfig as Record<string, unknown>), ...options.overrides };
    const { values, problems } = applyProjectConfig(project, stack, declared.declarations, withOverrides);

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(values)) {
        const { plain, secret } = withoutSecrets(value);
        config[key] = encodeConfigValue(plain);
        if (secret) {
            secretKeys.push(key);
        }
    }
    return { project, stack, stackFile, config, secretKeys, cliProblems: problems };
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

/** Replaces `{ secure: … }` anywhere in a value by a placeholder, reporting whether one was found. */
function withoutSecrets(value: unknown): { plain: unknown; secret: boolean } {
    if (Array.isArray(value)) {
        const parts = value.map(withoutSecrets);
        return { plain: parts.map((p) => p.plain), secret: parts.some((p) => p.secret) };
    }
    if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        if (isSecure(record)) {
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
