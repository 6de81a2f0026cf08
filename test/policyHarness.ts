/**
 * Drives the policy pack through the analyzer protocol for tests: one pack process per
 * environment for the whole run, and each case analyzed as a small stack of its own, so a
 * stack rule sees only that case's resources.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EnforcementLevel, POLICY_PACK_DIR, PolicyConfigFile, PolicyInputResource, PolicySession, PolicyViolation, openPolicySession } from "../tools/policyRunner";

export type { PolicyViolation } from "../tools/policyRunner";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type PolicyEnvironment = (typeof ENVIRONMENTS)[number];

const sessions = new Map<string, Promise<PolicySession>>();

/** The pack configured with `policies/config/<environment>.json`, started once per run. */
export function policySession(environment: PolicyEnvironment): Promise<PolicySession> {
    if (!sessions.has(environment)) {
        sessions.set(environment, openPolicySession({ environment }));
    }
    return sessions.get(environment)!;
}

// Start every environment's pack as soon as a test file imports this module, while mocha is
// still loading files: each start type-checks the pack for seconds, and so they overlap with
// the first tests instead of running one after another. A failed start surfaces when awaited.
for (const environment of ENVIRONMENTS) {
    policySession(environment).catch(() => undefined);
}

/**
 * One config that changes a setting of several policies, for the tests of those settings
 * (eks, tags and kubernetes). One pack serves them all: each start costs seconds.
 */
export const OVERRIDDEN_SETTINGS: PolicyConfigFile = {
    "launch-template-imdsv2": { maxHopLimit: 2 },
    "aws-required-tags": { requiredTags: ["owner", "cost-center"] },
    "k8s-no-host-access": { hostAccessNamespaces: ["monitoring-agents"] },
    "k8s-no-loadbalancer-or-nodeport-services": { allowedNamespaces: ["ingress-nginx"] },
};

let overridden: Promise<PolicySession> | undefined;

/** The violations of one policy under prod's levels with OVERRIDDEN_SETTINGS. */
export async function violationsWithOverriddenSettings(policy: string, caseId: string, resources: FixtureResource[]): Promise<PolicyViolation[]> {
    overridden ??= openPolicySession({ environment: "prod", config: OVERRIDDEN_SETTINGS });
    const all = await (await overridden).analyze(fixtureStack(caseId, resources));
    return all.filter((v) => v.policy === policy);
}

/** The environment's policy config file as written. */
export function policyConfig(environment: PolicyEnvironment): PolicyConfigFile {
    return JSON.parse(readFileSync(join(POLICY_PACK_DIR, "config", `${environment}.json`), "utf8")) as PolicyConfigFile;
}

// Mocha runs this after every test file; the pack processes must not outlive the run.
after(async function () {
    const started = await Promise.allSettled([...sessions.values(), ...(overridden ? [overridden] : [])]);
    for (const result of started) {
        if (result.status === "fulfilled") {
            result.value.close();
        }
    }
    sessions.clear();
    overridden = undefined;
});

/** A resource of a fixture stack; options default to an unprotected resource with no parent. */
export interface FixtureResource {
    type: string;
    /** Logical name, unique in the case. @default "<type's last part>-<index>" */
    name?: string;
    inputs: Record<string, unknown>;
    protect?: boolean;
    retainOnDelete?: boolean;
    /** Index of the parent resource in the same case. */
    parent?: number;
    /** Index of the explicit provider resource in the same case. */
    provider?: number;
    /** Indexes of resources this one depends on. */
    dependsOn?: number[];
    /** Inputs that refer to other resources of the case: input name to their indexes. */
    propertyDependencies?: Record<string, number[]>;
}

/** The case's resources with URNs of a stack named after the case, so cases never mix. */
export function fixtureStack(caseId: string, resources: FixtureResource[]): PolicyInputResource[] {
    const stack = caseId.replace(/[^A-Za-z0-9-]/g, "-");
    const named = resources.map((r, i) => ({ ...r, name: r.name ?? `${r.type.split(":").pop()!.toLowerCase()}-${i}` }));
    const urns = named.map((r) => `urn:pulumi:${stack}::fixture::${r.type}::${r.name}`);
    return named.map((r, i) => ({
        urn: urns[i],
        type: r.type,
        name: r.name,
        parent: r.parent === undefined ? null : urns[r.parent],
        provider: r.provider === undefined ? null : urns[r.provider],
        custom: !r.type.startsWith("platform:"),
        inputs: r.inputs,
        dependencies: [...new Set([...(r.dependsOn ?? []), ...Object.values(r.propertyDependencies ?? {}).flat()])].map((d) => urns[d]),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([input, ids]) => [input, ids.map((d) => urns[d])])),
        protect: r.protect ?? false,
        retainOnDelete: r.retainOnDelete ?? false,
    }));
}

/** The violations of one policy when the pack analyzes the case as a stack of its own. */
export async function violationsOf(
    policy: string,
    caseId: string,
    resources: FixtureResource[],
    environment: PolicyEnvironment = "prod",
): Promise<PolicyViolation[]> {
    const session = await policySession(environment);
    if (!session.policies.some((p) => p.name === policy)) {
        throw new Error(`the pack has no policy named ${policy}`);
    }
    const all = await session.analyze(fixtureStack(caseId, resources));
    return all.filter((v) => v.policy === policy);
}

/** The level the environment's session gave a policy. */
export async function levelOf(policy: string, environment: PolicyEnvironment): Promise<EnforcementLevel> {
    const found = (await policySession(environment)).policies.find((p) => p.name === policy);
    if (!found) {
        throw new Error(`the pack has no policy named ${policy}`);
    }
    return found.enforcementLevel;
}
