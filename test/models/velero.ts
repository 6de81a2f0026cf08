// Velero publishes no TypeScript models of its CRDs (no @kubernetes-models/velero on npm), so
// this is a model of the Schedule fields the platform writes, with the types and required
// fields of Velero 1.18's CRD (config/crd/v1/bases/velero.io_schedules.yaml). Unknown fields
// are errors here: the API server would prune them silently, losing a setting without a word.

interface FieldError {
    instancePath: string;
    keyword: string;
    params: Record<string, unknown>;
    message: string;
}

type FieldType = "string" | "boolean" | "string[]";

/** The BackupSpec fields a schedule's template may carry, as far as the platform uses them. */
const TEMPLATE_FIELDS: Readonly<Record<string, FieldType>> = {
    ttl: "string",
    storageLocation: "string",
    includedNamespaces: "string[]",
    excludedNamespaces: "string[]",
    includedResources: "string[]",
    excludedResources: "string[]",
    includeClusterResources: "boolean",
    snapshotVolumes: "boolean",
    defaultVolumesToFsBackup: "boolean",
    volumeSnapshotLocations: "string[]",
};
const SPEC_FIELDS: Readonly<Record<string, FieldType | "object">> = {
    schedule: "string",
    template: "object",
    useOwnerReferencesInBackup: "boolean",
    paused: "boolean",
    skipImmediately: "boolean",
};

function typeErrors(value: unknown, type: FieldType, path: string): FieldError[] {
    const fits =
        type === "string[]" ? Array.isArray(value) && value.every((v) => typeof v === "string") : typeof value === type;
    return fits ? [] : [{ instancePath: path, keyword: "type", params: { type }, message: `must be ${type}` }];
}

function unknownFields(object: Record<string, unknown>, known: Readonly<Record<string, unknown>>, path: string): FieldError[] {
    return Object.keys(object)
        .filter((field) => !(field in known))
        .map((field) => ({ instancePath: path, keyword: "additionalProperties", params: { additionalProperty: field }, message: "must NOT have additional properties" }));
}

export class Schedule {
    static readonly apiVersion = "velero.io/v1";
    static readonly kind = "Schedule";

    constructor(private readonly data: Record<string, unknown>) {}

    validate(): void {
        const spec = this.data.spec as Record<string, unknown> | undefined;
        const errors: FieldError[] = [];
        if (spec === undefined) {
            errors.push({ instancePath: "", keyword: "required", params: { missingProperty: "spec" }, message: "must have required property 'spec'" });
        } else {
            for (const required of ["schedule", "template"]) {
                if (spec[required] === undefined) {
                    errors.push({ instancePath: "/spec", keyword: "required", params: { missingProperty: required }, message: `must have required property '${required}'` });
                }
            }
            errors.push(...unknownFields(spec, SPEC_FIELDS, "/spec"));
            for (const [field, type] of Object.entries(SPEC_FIELDS)) {
                if (spec[field] !== undefined && type !== "object") {
                    errors.push(...typeErrors(spec[field], type, `/spec/${field}`));
                }
            }
            const template = spec.template as Record<string, unknown> | undefined;
            if (template !== undefined) {
                errors.push(...unknownFields(template, TEMPLATE_FIELDS, "/spec/template"));
                for (const [field, type] of Object.entries(TEMPLATE_FIELDS)) {
                    if (template[field] !== undefined && template[field] !== null) {
                        errors.push(...typeErrors(template[field], type, `/spec/template/${field}`));
                    }
                }
                // metav1.Duration: Go's time.ParseDuration form, as Velero writes it ("720h0m0s").
                if (typeof template.ttl === "string" && !/^(\d+h)?(\d+m)?(\d+s)?$/.test(template.ttl)) {
                    errors.push({ instancePath: "/spec/template/ttl", keyword: "format", params: { format: "duration" }, message: "must be a duration such as 720h0m0s" });
                }
            }
        }
        if (errors.length > 0) {
            throw Object.assign(new Error("Schedule does not match its schema"), { errors });
        }
    }
}
