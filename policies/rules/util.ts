/** Small helpers the rule families share. */

/** A violation message: what is wrong, then how to fix it. */
export function fix(problem: string, remedy: string): string {
    return `${problem} Fix: ${remedy}`;
}

export interface Statement {
    Sid?: string;
    Effect?: string;
    Principal?: unknown;
    NotPrincipal?: unknown;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, unknown>;
}

/** The statements of a policy document given as JSON text or as an object; none when unreadable. */
export function statementsOf(document: unknown): Statement[] {
    let parsed: unknown = document;
    if (typeof document === "string") {
        try {
            parsed = JSON.parse(document);
        } catch {
            return [];
        }
    }
    const statements = (parsed as { Statement?: unknown } | undefined)?.Statement;
    if (Array.isArray(statements)) {
        return statements as Statement[];
    }
    return statements && typeof statements === "object" ? [statements] : [];
}

export function asList<T>(value: T | T[] | undefined): T[] {
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
