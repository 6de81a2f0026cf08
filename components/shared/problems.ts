/** How argument checks show what they were given, the same in every component's messages. */
export function got(value: unknown): string {
    return value === undefined ? "nothing" : JSON.stringify(value);
}
