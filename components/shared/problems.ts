/** How argument checks show what they were given, the same in every component's messages. */
export function got(value: unknown): string {
    return value === undefined ? "nothing" : JSON.stringify(value);
}

export const WHOLE = "a whole number";

/** `value` within [min, max] (and whole when `what` says so), or the line that says it is not. */
export function between(value: number, min: number, max: number, path: string, what = "a number"): string[] {
    const whole = what.startsWith("a whole");
    const fits = typeof value === "number" && Number.isFinite(value) && value >= min && value <= max && (!whole || Number.isInteger(value));
    return fits ? [] : [`${path}: got ${got(value)}; expected ${what} from ${min} to ${max}`];
}
