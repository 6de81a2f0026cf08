/**
 * The stack's configuration: read once, merged over the environment's profile, validated by
 * one schema and the components' own rules, frozen. Components never read `pulumi.Config`;
 * index.ts hands each its section. Every problem of a stack file is reported in one run.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ADDON_VERSIONS } from "../components/cluster/versions";
import { databaseNameProblems } from "../components/database/validate";
import { observabilityProblems } from "../components/observability/validate";
import { BackupConfig, backupConfigProblems, backupSchema, missingBackupProblems } from "./backup";
import { ClusterConfig, clusterProblems, clusterSchema } from "./cluster";
import { DatabaseConfig, databaseProblems, databaseSchema } from "./database";
import { DeliveryConfig, deliveryConfigProblems, deliverySchema, missingDeliveryProblems } from "./delivery";
import { ENVIRONMENTS, Environment } from "./environment";
import { feasibilityProblems } from "./feasibility";
import { StackConfigError, describeIssue, quoteList, show } from "./messages";
import { unknownKeyProblems } from "./namespaces";
import { NetworkConfig, networkSchema } from "./network";
import { ObservabilityConfig, observabilitySchema } from "./observability";
import { PROFILES } from "./profiles";
import { REGION_ZONE_COUNTS } from "./regions";
import { decode, deepFreeze, deepMerge, valueAt } from "./values";

export interface StackConfig {
    project: string;
    stack: string;
    /** The stack file the values came from, for messages. */
    stackFile: string;
    environment: Environment;
    region: string;
    protectStatefulResources: boolean;
    /** The platform's tags plus the stack's own `platform:tags`. */
    tags: Readonly<Record<string, string>>;
    network: Readonly<NetworkConfig>;
    cluster: Readonly<ClusterConfig>;
    database: Readonly<DatabaseConfig>;
    observability: Readonly<ObservabilityConfig>;
    backup: Readonly<BackupConfig>;
    delivery: Readonly<DeliveryConfig>;
}

/** Tags the platform sets on every resource; a stack's own tags may not redefine them. */
const RESERVED_TAG_KEYS = ["environment", "stack", "project", "managed-by"] as const;

export const REGION_KEY = "aws:region";

const tagsSchema = z
    .record(
        z
            .string()
            .min(1)
            .max(128)
            .refine((key) => !key.toLowerCase().startsWith("aws:"), { message: 'tag keys may not start with "aws:"' })
            .refine((key) => !(RESERVED_TAG_KEYS as readonly string[]).includes(key), { message: `tag keys ${RESERVED_TAG_KEYS.join(", ")} are set by the platform` }),
        z.string().max(256),
    )
    .describe(`Extra tags on every resource. The platform sets ${RESERVED_TAG_KEYS.join(", ")} itself; keys may not start with "aws:".`);

/** The project's own keys (without the namespace) and their schemas; the sections are objects. */
export const PROJECT_KEYS = {
    environment: z.enum(Environment).describe("The environment tier whose profile of defaults the stack starts from."),
    protectStatefulResources: z.boolean().describe("Pulumi `protect` on resources that hold data (keys, log groups, the cluster, databases, cache, buckets, vaults) and `Retain` on the default storage class."),
    tags: tagsSchema,
    network: networkSchema,
    cluster: clusterSchema,
    database: databaseSchema,
    observability: observabilitySchema,
    backup: backupSchema,
    delivery: deliverySchema,
} as const;

/** The project's top-level config keys, without namespace (what Pulumi.yaml may declare). */
export const CONFIG_KEYS: readonly string[] = Object.keys(PROJECT_KEYS);

function stackSchema(project: string) {
    return z.strictObject(Object.fromEntries(Object.entries(PROJECT_KEYS).map(([key, schema]) => [`${project}:${key}`, schema])));
}

/**
 * Turns a stack's raw config (Pulumi's `key -> string` map, objects as JSON) into a validated
 * `StackConfig`, or throws a `StackConfigError` listing every problem.
 */
export function loadStackConfig(raw: Readonly<Record<string, string>>, stack: string, project = "platform", secretKeys: readonly string[] = []): StackConfig {
    const stackFile = `Pulumi.${stack}.yaml`;
    const ours = Object.fromEntries(
        Object.entries(raw)
            .filter(([key]) => key.startsWith(`${project}:`))
            .map(([key, value]) => [key, decode(value)]),
    );
    const k = (key: string) => `${project}:${key}`;
    const problems: string[] = unknownKeyProblems(raw, project, secretKeys);

    // What picks the profile and the region comes first; without them only the types are checked.
    const environment = ours[k("environment")] as Environment | undefined;
    const knownEnvironment = environment !== undefined && ENVIRONMENTS.includes(environment);
    if (!knownEnvironment) {
        problems.push(`${k("environment")}: ${environment === undefined ? "missing" : `got ${show(environment)}`}; expected one of ${quoteList(ENVIRONMENTS)}`);
    }
    const region = raw[REGION_KEY];
    const knownRegion = region !== undefined && Object.hasOwn(REGION_ZONE_COUNTS, region);
    if (region === undefined) {
        problems.push(`${REGION_KEY}: missing; expected an AWS region such as "us-east-1"`);
    } else if (!knownRegion) {
        problems.push(`${REGION_KEY}: got ${show(region)}; expected a region whose availability zones this platform knows: ${Object.keys(REGION_ZONE_COUNTS).join(", ")}`);
    }

    // An unknown tier still gets its keys and types checked, over the first tier's profile.
    const tier = knownEnvironment ? environment : ENVIRONMENTS[0];
    const profile = PROFILES[tier];
    // Add-on builds follow the Kubernetes version the stack asks for, unless it pins its own.
    const requestedVersion = valueAt(ours, [k("cluster"), "kubernetesVersion"]);
    const addonDefaults = typeof requestedVersion === "string" && Object.hasOwn(ADDON_VERSIONS, requestedVersion) ? ADDON_VERSIONS[requestedVersion] : ADDON_VERSIONS[profile.cluster.kubernetesVersion];
    const defaults: Record<string, unknown> = {
        [k("protectStatefulResources")]: profile.protectStatefulResources,
        [k("tags")]: {},
        [k("network")]: profile.network,
        [k("cluster")]: { ...profile.cluster, addonVersions: addonDefaults },
        [k("database")]: profile.database,
        [k("observability")]: profile.observability,
        [k("backup")]: profile.backup,
        [k("delivery")]: profile.delivery,
    };
    // The environment was reported above; the schema checks everything else.
    const merged = deepMerge(defaults, { ...ours, [k("environment")]: tier }) as Record<string, unknown>;
    const schema = stackSchema(project);
    const result = schema.safeParse(merged);
    if (!result.success) {
        problems.push(...result.error.issues.flatMap((issue) => describeIssue(issue, merged, schema)));
    }
    if (knownEnvironment) {
        problems.push(...sectionProblems(merged, project, stack, knownRegion ? region : undefined));
    }
    if (problems.length > 0) {
        throw new StackConfigError(stackFile, problems);
    }

    const userTags = merged[k("tags")] as Record<string, string>;
    return deepFreeze({
        project,
        stack,
        stackFile,
        environment: environment as Environment,
        region,
        protectStatefulResources: merged[k("protectStatefulResources")] as boolean,
        tags: { ...userTags, environment: environment as string, stack, project, "managed-by": "pulumi" },
        network: merged[k("network")] as NetworkConfig,
        cluster: merged[k("cluster")] as ClusterConfig,
        database: merged[k("database")] as DatabaseConfig,
        observability: merged[k("observability")] as ObservabilityConfig,
        backup: merged[k("backup")] as BackupConfig,
        // Parsed, so the steps' defaults (no pause, no manual gate) are filled in.
        delivery: deliverySchema.parse(merged[k("delivery")]) as DeliveryConfig,
    });
}

/** The components' own rules over each section that parsed, and the rules that span sections. */
function sectionProblems(merged: Record<string, unknown>, project: string, stack: string, region: string | undefined): string[] {
    const k = (key: string) => `${project}:${key}`;
    const problems: string[] = [];
    const cluster = clusterSchema.safeParse(merged[k("cluster")]);
    if (cluster.success) {
        problems.push(...clusterProblems(cluster.data, k("cluster")));
    }
    const database = databaseSchema.safeParse(merged[k("database")]);
    if (database.success) {
        problems.push(...databaseProblems(database.data, k("database")));
    }
    const observability = observabilitySchema.safeParse(merged[k("observability")]);
    if (observability.success && cluster.success) {
        const taken = [...Object.keys(cluster.data.applicationNamespaces), cluster.data.nodeAgentNamespace];
        problems.push(...observabilityProblems(observability.data, taken, `${k("observability")}.`));
    }
    const backup = backupSchema.safeParse(merged[k("backup")]);
    if (backup.success) {
        problems.push(...missingBackupProblems(backup.data, `${k("backup")}.`));
    }
    if (region !== undefined && backup.success && cluster.success && observability.success && database.success) {
        const taken = [...Object.keys(cluster.data.applicationNamespaces), cluster.data.nodeAgentNamespace, observability.data.namespace, "default", "kube-system"];
        problems.push(...backupConfigProblems(backup.data, region, cluster.data, database.data, taken, `${k("backup")}.`));
    }
    const delivery = deliverySchema.safeParse(merged[k("delivery")]);
    if (delivery.success) {
        problems.push(...missingDeliveryProblems(delivery.data, region, `${k("delivery")}.`));
    }
    if (region !== undefined && delivery.success && cluster.success && observability.success) {
        const taken = [cluster.data.nodeAgentNamespace, observability.data.namespace, "default", "kube-system"];
        if (backup.success) {
            taken.push(backup.data.velero.namespace);
        }
        problems.push(...deliveryConfigProblems(delivery.data, region, Object.keys(cluster.data.applicationNamespaces), taken, `${k("delivery")}.`));
    }
    if (region !== undefined) {
        const network = networkSchema.safeParse(merged[k("network")]);
        const stringAt = (section: string, key: string) => {
            const value = valueAt(merged, [k(section), key]);
            return typeof value === "string" ? value : undefined;
        };
        const sections = {
            region,
            network: network.success ? network.data : undefined,
            vpcCidr: stringAt("network", "cidrBlock"),
            serviceIpv4Cidr: stringAt("cluster", "serviceIpv4Cidr"),
            delivery: delivery.success ? delivery.data : undefined,
        };
        problems.push(...feasibilityProblems(sections, k));
    }
    // Physical names (the RDS instance, the cache) start with "<project>-<stack>".
    problems.push(...databaseNameProblems(`${project}-${stack}`, `the project and stack name "${project}-${stack}"`));
    return problems;
}

/** The running stack's config, as the Pulumi CLI (or the offline engine's mocks) provides it. */
export function readStackConfig(): StackConfig {
    // The Node.js SDK takes the secret keys' names from the same variable; it offers no call for them.
    const secretKeys = JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS ?? "[]") as string[];
    return loadStackConfig(pulumi.runtime.allConfig(), pulumi.getStack(), pulumi.getProject(), secretKeys);
}
