/** How a config problem is said: "<key path>: got <value>; expected <what is allowed>". */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { valueAt } from "./values";

/**
 * A stack file that does not describe a valid stack. Thrown before any resource is registered;
 * a RunError, so the CLI prints the message alone, without a stack trace.
 */
export class StackConfigError extends pulumi.RunError {
    public readonly problems: readonly string[];

    constructor(stackFile: string, problems: string[]) {
        const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
        super(`${stackFile}: invalid stack configuration (${count}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "StackConfigError";
        this.problems = problems;
    }
}

/** A schema's complaint in the stack file's terms: the key path, what was given, what is allowed. */
export function describeIssue(issue: z.core.$ZodIssue, merged: Record<string, unknown>, schema: z.ZodType): string[] {
    const at = displayPath(issue.path);
    const given = show(valueAt(merged, issue.path));
    switch (issue.code) {
        case "unrecognized_keys": {
            const known = schemaKeysAt(schema, issue.path);
            return issue.keys.map((key) => `${displayPath([...issue.path, key])}: unknown key${didYouMean(key, known)} (allowed: ${known.join(", ")})`);
        }
        case "invalid_key":
            return issue.issues.map((inner) => `${at}: key not allowed; ${inner.message}`);
        case "invalid_type":
            return [`${at}: got ${given}; expected ${article(issue.expected)}`];
        case "invalid_value":
            return [`${at}: got ${given}; expected one of ${quoteList(issue.values.map(String))}`];
        case "too_small":
            return [`${at}: got ${given}; expected at least ${String(issue.minimum)}${unitOf(issue.origin)}`];
        case "too_big":
            return [`${at}: got ${given}; expected at most ${String(issue.maximum)}${unitOf(issue.origin)}`];
        default:
            return [`${at}: got ${given}; ${issue.message}`];
    }
}

/** The keys a schema allows at `path`. */
export function schemaKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
    let node: z.ZodType | undefined = schema;
    for (const key of path) {
        if (node instanceof z.ZodObject) {
            node = (node.shape as Record<PropertyKey, z.ZodType>)[key];
        } else if (node instanceof z.ZodRecord) {
            // A map keyed by name (node groups, namespaces): every entry has the value's shape.
            node = node.valueType as z.ZodType;
        } else {
            node = undefined;
        }
    }
    return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

export function displayPath(path: readonly PropertyKey[]): string {
    return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`)).join("");
}

export function show(value: unknown): string {
    if (value === undefined) {
        return "nothing";
    }
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function quoteList(values: readonly string[]): string {
    return values.map((v) => JSON.stringify(v)).join(", ");
}

function article(expected: string): string {
    const names: Record<string, string> = { int: "an integer", object: "an object (a YAML mapping)", array: "a list" };
    return names[expected] ?? `a ${expected}`;
}

function unitOf(origin: string): string {
    return origin === "string" ? " characters" : origin === "array" ? " items" : "";
}

/** `; did you mean "x"?` for the allowed name nearest a mistyped one, or nothing when none is near. */
export function didYouMean(key: string, allowed: readonly string[]): string {
    const guess = closest(key, allowed);
    return guess ? `; did you mean ${show(guess)}?` : "";
}

/** The allowed name nearest to a mistyped one (edit distance at most 2, or same letters ignoring case). */
export function closest(key: string, allowed: readonly string[]): string | undefined {
    const scored = allowed.map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }));
    scored.sort((a, b) => a.distance - b.distance);
    return scored.length > 0 && scored[0].distance <= 2 ? scored[0].candidate : undefined;
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}
