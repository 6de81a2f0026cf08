/**
 * What each environment tier sets a key to, and how the reference's cells say it: the tiers'
 * defaults as the loader builds them, the keys no tier sets, and values written as a stack file
 * writes them (YAML, in inline code, cut short when long). Knows nothing of the schemas: the
 * caller says what shape a key's value has (tools/configReference/schemaRows.ts).
 */
import { stringify } from "yaml";
import { ADDON_VERSIONS } from "../../components/cluster/versions";
import { ENVIRONMENTS, Environment, PROFILES, REGION_KEY, REGION_ZONE_COUNTS, StackConfigError, loadStackConfig } from "../../config";

/** The Pulumi project, the namespace of the project's own keys. */
export const CONFIG_PROJECT = "platform";

/** What a cell says for a key that has no default and that every stack file sets. */
export const SET_PER_STACK = "set per stack";
/** What a cell says for an optional key that the tier leaves unset. */
export const NOT_SET = "not set";

/** A value longer than this (as written in YAML) is cut short, keeping whole list entries. */
const MAX_VALUE_LENGTH = 80;

/** A value where a key path leads, per tier: one, or one per entry of the maps and lists on the way. */
export interface Instance {
    /** The names of the map entries on the way, e.g. ["system"] for `nodeGroups.<name>.minSize`. */
    labels: string[];
    value: unknown;
}

/**
 * The shape of a key's value, which decides its cell: an object has none of its own (its keys have
 * rows), a map of objects shows its entries' names, a list of objects its entries, anything else its value.
 */
export type ValueShape = "object" | "map of objects" | "list of objects" | "value";

/** A value for each tier. */
export function perTier<T>(each: (tier: Environment) => T): Record<Environment, T> {
    return Object.fromEntries(ENVIRONMENTS.map((tier) => [tier, each(tier)])) as Record<Environment, T>;
}

/**
 * Each tier's defaults as the loader builds them (config/load.ts): the profile, no extra tags,
 * and the add-on builds pinned for the profile's Kubernetes version.
 */
export function tierDefaults(tier: Environment): Record<string, unknown> {
    const profile = PROFILES[tier];
    return {
        ...profile,
        tags: {},
        cluster: { ...profile.cluster, addonVersions: ADDON_VERSIONS[profile.cluster.kubernetesVersion] },
    };
}

/** Each tier's default for one of the project's keys, e.g. `network`: a single instance, unlabelled. */
export function projectKeyInstances(name: string): Record<Environment, Instance[]> {
    return perTier<Instance[]>((tier) => [{ labels: [], value: tierDefaults(tier)[name] }]);
}

/**
 * The keys every stack file must set, as the loader reports them missing from a stack file that
 * sets nothing, then from one that sets only the tier and the region: `aws:region`,
 * `platform:environment`, `platform:delivery.hostname`, ….
 */
export function requiredKeys(): ReadonlySet<string> {
    const region = Object.keys(REGION_ZONE_COUNTS)[0];
    const stackFiles: Array<Record<string, string>> = [
        {},
        ...ENVIRONMENTS.map((tier) => ({ [`${CONFIG_PROJECT}:environment`]: tier, [REGION_KEY]: region })),
    ];
    const keys = new Set<string>();
    for (const raw of stackFiles) {
        try {
            loadStackConfig(raw, "reference", CONFIG_PROJECT);
        } catch (err) {
            if (!(err instanceof StackConfigError)) {
                throw err;
            }
            for (const problem of err.problems) {
                const missing = /^(\S+): missing;/.exec(problem);
                if (missing) {
                    keys.add(missing[1]);
                }
            }
        }
    }
    return keys;
}

/** Inline code that holds any text. */
export function code(text: string): string {
    const fence = text.includes("`") ? "``" : "`";
    return `${fence}${text}${fence}`;
}

/** A value as a stack file writes it: YAML, collections in flow style, on one line. */
export function yamlValue(value: unknown): string {
    return stringify(value, { collectionStyle: "flow", flowCollectionPadding: false, lineWidth: 0 }).trim();
}

/** A value for a cell, cut short (keeping whole entries) when long. */
function shortValue(value: unknown): string {
    const full = yamlValue(value);
    if (full.length <= MAX_VALUE_LENGTH) {
        return full;
    }
    if (Array.isArray(value) || (typeof value === "object" && value !== null)) {
        const entries = Array.isArray(value) ? value : Object.entries(value);
        for (let kept = entries.length - 1; kept >= 1; kept--) {
            const part = Array.isArray(value) ? value.slice(0, kept) : Object.fromEntries(entries.slice(0, kept) as Array<[string, unknown]>);
            const text = yamlValue(part);
            const shortened = `${text.slice(0, -1)}, … ${entries.length - kept} more${text.slice(-1)}`;
            if (shortened.length <= MAX_VALUE_LENGTH) {
                return shortened;
            }
        }
        return `${Array.isArray(value) ? "[" : "{"}… ${entries.length} entries${Array.isArray(value) ? "]" : "}"}`;
    }
    return `${full.slice(0, MAX_VALUE_LENGTH - 1)}…`;
}

/** One tier's cell: each instance's value, prefixed by its entry's name when it came from a map. */
export function cell(shape: ValueShape, instances: readonly Instance[], absent: string): string {
    const nested = instances.some((instance) => instance.labels.length > 0);
    if (shape === "object") {
        return "";
    }
    if (instances.length === 0) {
        return "none";
    }
    const parts = instances.map(({ labels, value }) => {
        let text: string;
        if (value === undefined) {
            text = absent;
        } else if (shape === "map of objects") {
            const names = Object.keys(value as object);
            text = names.length === 0 ? "none" : names.map(code).join(", ");
        } else if (shape === "list of objects") {
            const entries = value as unknown[];
            const whole = yamlValue(entries);
            text = whole.length <= MAX_VALUE_LENGTH ? code(whole) : `${entries.length} entries`;
        } else {
            text = code(shortValue(value));
        }
        return nested ? `${labels.join(" ")} ${text}`.trim() : text;
    });
    // A map of objects inside a map: each entry's names, said once per entry.
    return parts.join(shape === "map of objects" && nested ? "; " : ", ");
}
