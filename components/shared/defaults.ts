/** The object without its undefined values, so `{ ...defaults, ...given }` keeps a default the caller left out. */
export function definedOnly<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
