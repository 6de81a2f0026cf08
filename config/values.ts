/** Plain-value plumbing the loader and the profiles share: decoding, merging, freezing, walking. */

/** Pulumi hands objects, numbers and booleans over as JSON text and strings as themselves. */
export function decode(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; anything else in `override` (lists included) replaces. */
export function deepMerge(base: unknown, override: unknown): unknown {
    if (!isPlainObject(base) || !isPlainObject(override)) {
        return override === undefined ? base : override;
    }
    // Built with fromEntries so a "__proto__" key stays an ordinary (and so unknown) key.
    const keys = [...new Set([...Object.keys(base), ...Object.keys(override)])];
    return Object.fromEntries(keys.map((key) => [key, deepMerge(Object.hasOwn(base, key) ? base[key] : undefined, override[key])]));
}

export function deepFreeze<T>(value: T): T {
    if (typeof value === "object" && value !== null) {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
    }
    return value;
}

export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    return path.reduce<unknown>((node, key) => (isPlainObject(node) || Array.isArray(node) ? (node as Record<PropertyKey, unknown>)[key] : undefined), root);
}
