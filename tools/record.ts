/** The resource graph the offline engine records: the shape plan.json's `resources` carry. */

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    parent: string | null;
    custom: boolean;
    /** URN of the explicit provider, or null for the default provider. */
    provider: string | null;
    /** Inputs as sent to the engine; secrets replaced by "[secret]". */
    inputs: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    /** What a component registered as its outputs (secrets masked); absent on custom resources. */
    outputs?: Record<string, unknown>;
}

export interface SynthOutcome {
    ok: boolean;
    resources: RecordedResource[];
    /** Stack outputs; secrets replaced by "[secret]". */
    outputs: Record<string, unknown>;
    error?: { kind: "config" | "program"; message: string };
}

const SECRET_MARK = "[secret]";

// Signatures Pulumi's wire format uses to tag special values.
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Serialized property values to plain JSON: secrets masked, resource references as URNs. */
export function plainValue(value: unknown): unknown {
    if (value === UNKNOWN) {
        return "[unknown]";
    }
    if (Array.isArray(value)) {
        return value.map(plainValue);
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const record = value as Record<string, unknown>;
    switch (record[SIG_KEY]) {
        case SECRET_SIG:
            return SECRET_MARK;
        case RESOURCE_SIG:
            return record.urn;
        case ASSET_SIG:
        case ARCHIVE_SIG:
            return "[asset]";
        case OUTPUT_SIG:
            return record.secret ? SECRET_MARK : plainValue(record.value);
        default:
            return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plainValue(v)]));
    }
}
