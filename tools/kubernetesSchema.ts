/**
 * Checks the Kubernetes objects a synthesized program registers against the Kubernetes API's
 * OpenAPI schema, with the models of `kubernetes-models` and any custom-resource models the
 * caller registers. What the schema covers: field types, required fields, enums and formats
 * (quantities, int-or-string, base64, date-time). What it does not: the API server's semantic
 * checks (name and label syntax, cross-field rules) and unknown fields (the published schemas
 * allow extra properties, so a misspelt field name passes).
 */
import { createRequire } from "node:module";
import { RecordedResource } from "./record";

export interface KubernetesSchemaProblem {
    urn: string;
    type: string;
    /** The object's apiVersion and kind, then each failing field by JSON pointer. */
    message: string;
}

/**
 * A model class, as `kubernetes-models` and the `@kubernetes-models/*` CRD packages export them:
 * static apiVersion and kind, and instances with a validate() that throws on a schema error.
 * validate() is checked at run time, not typed: under this project's node10 module resolution
 * the packages' shared base class, which declares it, does not resolve.
 */
export interface KubernetesModel {
    readonly apiVersion: string;
    readonly kind: string;
    new (data: Record<string, unknown>): object;
}

interface Validatable {
    validate(): void;
}

export interface KubernetesSchemaOptions {
    /**
     * Models for custom resources: classes, or package specifiers (or absolute paths) of modules
     * whose exported models are all taken, e.g. "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1".
     * A specifier spares the caller the import() an ESM-only CRD package needs in this CommonJS
     * project. A model given here wins over a built-in one of the same apiVersion and kind. @default []
     */
    customResourceModels?: ReadonlyArray<KubernetesModel | string>;
}

/**
 * Kubernetes-provider types that are not API objects (Helm releases and charts, YAML and
 * kustomize groups): their inputs follow the provider's own schema. The provider resource
 * itself is `pulumi:providers:kubernetes`, outside the `kubernetes:` package, so never checked.
 */
const NON_OBJECT_TYPES: ReadonlySet<string> = new Set([
    "kubernetes:helm.sh/v2:Chart",
    "kubernetes:helm.sh/v3:Chart",
    "kubernetes:helm.sh/v3:Release",
    "kubernetes:helm.sh/v4:Chart",
    "kubernetes:kustomize:Directory",
    "kubernetes:kustomize/v2:Directory",
    "kubernetes:yaml:ConfigFile",
    "kubernetes:yaml:ConfigGroup",
    "kubernetes:yaml/v2:ConfigFile",
    "kubernetes:yaml/v2:ConfigGroup",
]);

/** What tools/record.ts writes for values a test cannot see: secrets, and outputs unknown at plan time. */
const MASKED_VALUES: ReadonlySet<unknown> = new Set(["[secret]", "[unknown]"]);

/**
 * Schema problems of every Kubernetes object among `resources`, in their order. Every object is
 * either checked or reported: one whose apiVersion and kind have no model is a problem.
 *
 * `...Patch` types (server-side-apply patches, CustomResourcePatch included) carry only the
 * fields they change, so their missing required fields are not problems; what they do carry is
 * checked like any object.
 *
 * A masked value ("[secret]", "[unknown]") cannot be checked offline, so errors at its own path
 * are dropped and the rest of the object is still checked. The Kubernetes SDK marks a Secret's
 * whole `data` and `stringData` secret, so their base64 and string checks happen only when a
 * test records them unmasked.
 */
export async function validateKubernetesObjects(
    resources: readonly RecordedResource[],
    options: KubernetesSchemaOptions = {},
): Promise<KubernetesSchemaProblem[]> {
    const objects = resources.filter((r) => r.type.startsWith("kubernetes:") && !NON_OBJECT_TYPES.has(r.type));
    const custom = await customModels(options.customResourceModels ?? []);
    const builtIn = new Map(
        await Promise.all([...new Set(objects.map((r) => r.inputs.apiVersion))].map(async (v) => [v, await builtInModels(v)] as const)),
    );
    const problems: KubernetesSchemaProblem[] = [];
    for (const resource of objects) {
        const { apiVersion, kind } = resource.inputs;
        if (typeof apiVersion !== "string" || typeof kind !== "string") {
            problems.push({ urn: resource.urn, type: resource.type, message: "records no apiVersion and kind, so no schema applies" });
            continue;
        }
        const model = custom.get(modelKey(apiVersion, kind)) ?? builtIn.get(apiVersion)?.get(kind);
        if (!model) {
            const message = `no schema for ${apiVersion} ${kind}: register its model in customResourceModels`;
            problems.push({ urn: resource.urn, type: resource.type, message });
            continue;
        }
        const isPatch = resource.type.endsWith(`:${kind}Patch`);
        const errors = schemaErrors(model, resource.inputs).filter((e) => !(isPatch && e.keyword === "required"));
        if (errors.length > 0) {
            problems.push({ urn: resource.urn, type: resource.type, message: `${apiVersion} ${kind}: ${describe(errors, resource.inputs)}` });
        }
    }
    return problems;
}

/** One error as the models' validators (Ajv) report it. */
interface SchemaError {
    instancePath: string;
    keyword: string;
    params: Record<string, unknown>;
    message?: string;
}

function schemaErrors(model: KubernetesModel, inputs: Record<string, unknown>): SchemaError[] {
    try {
        (new model(inputs) as Validatable).validate();
        return [];
    } catch (err) {
        const errors = (err as { errors?: unknown }).errors;
        if (!Array.isArray(errors)) {
            // A hand-written model may throw a plain error: keep its words, at the root.
            return [{ instancePath: "", keyword: "model", params: {}, message: err instanceof Error ? err.message : String(err) }];
        }
        return (errors as SchemaError[]).filter((e) => !MASKED_VALUES.has(valueAt(inputs, e.instancePath)));
    }
}

/** Errors grouped by field; a failed oneOf reads as the alternatives it had. */
function describe(errors: readonly SchemaError[], inputs: Record<string, unknown>): string {
    const byPath = new Map<string, SchemaError[]>();
    for (const e of errors) {
        const path = e.keyword === "required" ? `${e.instancePath}/${String(e.params.missingProperty)}` : e.instancePath;
        byPath.set(path, [...(byPath.get(path) ?? []), e]);
    }
    return [...byPath]
        .map(([path, group]) => {
            if (group.some((e) => e.keyword === "required")) {
                return `${path} is required`;
            }
            const alternatives = group.some((e) => e.keyword === "oneOf" || e.keyword === "anyOf");
            const reasons = [...new Set(group.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf").map(reason))];
            const value = valueAt(inputs, path);
            // Objects and lists would bury the message; scalars say what was given.
            const got = typeof value === "object" || value === undefined ? "" : `, got ${JSON.stringify(value)}`;
            return `${path ? `${path} ` : ""}${reasons.join(alternatives ? " or " : " and ")}${got}`;
        })
        .join("; ");
}

function reason(e: SchemaError): string {
    if (e.keyword === "enum" && Array.isArray(e.params.allowedValues)) {
        return `must be one of ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    }
    return e.message ?? e.keyword;
}

/** The value at a JSON pointer (as Ajv writes instance paths), or undefined. */
function valueAt(root: unknown, pointer: string): unknown {
    if (pointer === "") {
        return root;
    }
    let value = root;
    for (const token of pointer.slice(1).split("/")) {
        const key = token.replace(/~1/g, "/").replace(/~0/g, "~");
        value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    }
    return value;
}

function modelKey(apiVersion: string, kind: string): string {
    return `${apiVersion}/${kind}`;
}

/** A class that names an apiVersion and kind and whose instances can validate. */
function isModel(value: unknown): value is KubernetesModel {
    return (
        typeof value === "function" &&
        typeof (value as Partial<KubernetesModel>).apiVersion === "string" &&
        typeof (value as Partial<KubernetesModel>).kind === "string" &&
        typeof (value.prototype as Partial<Validatable> | undefined)?.validate === "function"
    );
}

/**
 * A module named by specifier: a TypeScript file through the CommonJS loader that compiles
 * it (tools/register-ts.cjs: import() would skip that hook), anything else through import(),
 * which ESM-only CRD packages need.
 */
function loadModule(specifier: string): Promise<unknown> {
    return specifier.endsWith(".ts") ? Promise.resolve(createRequire(__filename)(specifier)) : import(specifier);
}

function modelsIn(module: unknown): KubernetesModel[] {
    return Object.values(module as Record<string, unknown>).filter(isModel);
}

async function customModels(sources: ReadonlyArray<KubernetesModel | string>): Promise<Map<string, KubernetesModel>> {
    const models = new Map<string, KubernetesModel>();
    for (const source of sources) {
        const found = typeof source === "string" ? modelsIn(await loadModule(source)) : [source].filter(isModel);
        if (found.length === 0) {
            const what = typeof source === "string" ? `module ${source} exports no Kubernetes model` : `${source.name} is not a Kubernetes model`;
            throw new Error(`customResourceModels: ${what} (a class with static apiVersion and kind, and a validate method)`);
        }
        for (const model of found) {
            models.set(modelKey(model.apiVersion, model.kind), model);
        }
    }
    return models;
}

/** "v1" is the core group; "group/version" anything else. Anything else cannot name a module. */
const API_VERSION = /^(?:[a-z0-9.-]+\/)?v[0-9]+(?:(?:alpha|beta)[0-9]+)?$/;

const builtInCache = new Map<string, Promise<ReadonlyMap<string, KubernetesModel>>>();

/**
 * The built-in models of one API version, by kind; empty for a version kubernetes-models does
 * not publish (a custom resource's). The package is ESM-only with import-only exports, so this
 * CommonJS project can load it through import() alone, which is why the validator is async.
 */
function builtInModels(apiVersion: unknown): Promise<ReadonlyMap<string, KubernetesModel>> {
    if (typeof apiVersion !== "string" || !API_VERSION.test(apiVersion)) {
        return Promise.resolve(new Map());
    }
    if (!builtInCache.has(apiVersion)) {
        const loading = import(`kubernetes-models/${apiVersion}`).then(
            (module) => new Map(modelsIn(module).filter((m) => m.apiVersion === apiVersion).map((m) => [m.kind, m])),
            (err: unknown) => {
                if ((err as { code?: string }).code === "ERR_PACKAGE_PATH_NOT_EXPORTED") {
                    return new Map<string, KubernetesModel>();
                }
                throw err;
            },
        );
        builtInCache.set(apiVersion, loading);
    }
    return builtInCache.get(apiVersion)!;
}
