/**
 * The environment tiers and how a section's profile is written: one base (what every tier
 * shares, usually the component's own defaults) plus each tier's differences.
 */
import { deepFreeze, deepMerge } from "./values";

/** The tiers, declared in deploy order: the pipeline updates every stack of one before the next. */
export enum Environment {
    Dev = "dev",
    Staging = "staging",
    Prod = "prod",
}

export const ENVIRONMENTS: readonly Environment[] = Object.values(Environment);

/** What a tier may change: any key, at any depth; lists are replaced whole. */
export type Difference<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: Difference<T[K]> } : T;

/** Each tier's values: the base with that tier's differences merged in, frozen. */
export function byEnvironment<T>(base: T, differences: Readonly<Record<Environment, Difference<T>>>): Readonly<Record<Environment, T>> {
    return deepFreeze(Object.fromEntries(ENVIRONMENTS.map((tier) => [tier, deepMerge(base, differences[tier]) as T])) as Record<Environment, T>);
}
