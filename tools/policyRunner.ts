/**
 * Runs the CrossGuard policy pack on a recorded resource graph the way the Pulumi CLI does:
 * the pack runs in a child process whose working directory is the pack, prints the port of
 * its gRPC server, and is driven over the public analyzer protocol (GetAnalyzerInfo,
 * Configure, ConfigureStack, Analyze for every resource, AnalyzeStack once). The pack's
 * PolicyPack is never constructed in this process: its constructor starts a server.
 */
import { ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { RecordedResource } from "./record";
import { PROJECT_DIR } from "./synth";

export const POLICY_PACK_DIR = join(PROJECT_DIR, "policies");

/**
 * A resource as plan.json lists it: what the synth records, where the options plan.json leaves
 * out (property dependencies, ignoreChanges, deleteBeforeReplace) are optional.
 */
export type PolicyInputResource = Pick<RecordedResource, "urn" | "type" | "name" | "parent" | "provider" | "inputs" | "dependencies" | "protect"> &
    Partial<Pick<RecordedResource, "propertyDependencies" | "ignoreChanges" | "deleteBeforeReplace" | "retainOnDelete" | "custom">>;

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";

/** One policy diagnostic: the shape of plan.json's `policies` entries. */
export interface PolicyViolation {
    policy: string;
    enforcementLevel: EnforcementLevel;
    /** The resource it names; empty for a stack-wide finding without one. */
    urn: string;
    message: string;
}

/** What the pack says of one of its policies, with the level this run gave it. */
export interface PolicySummary {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity: string;
}

export interface PolicyRun {
    pack: { name: string; version: string };
    policies: PolicySummary[];
    violations: PolicyViolation[];
}

/** A `--policy-pack-config` file: a level per policy, or a level and that policy's settings. */
export type PolicyConfigFile = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface PolicyRunOptions {
    /** Selects `policies/config/<environment>.json` unless `config` is given. */
    environment: string;
    config?: PolicyConfigFile;
    project?: string;
    stack?: string;
    packDir?: string;
    /** How long the pack may take to start, in milliseconds. @default 60000 */
    startTimeoutMs?: number;
    /** How the pack's TypeScript is loaded. @default PackLoader.Transpile */
    loader?: PackLoader;
}

/**
 * The CLI's runner registers ts-node with type-checking on, which costs about five seconds
 * a start on two cores; `npm run typecheck` checks the pack's types anyway, so the offline
 * engine loads it through register-ts.cjs (transpiled once, cached): the same process shape,
 * gRPC server and rules. A test keeps the CLI's way working.
 */
export enum PackLoader {
    /** `node --require tools/register-ts.cjs <main>`: transpile only, cached. */
    Transpile = "transpile",
    /** The SDK's run-policy-pack, which `pulumi preview --policy-pack` runs: type-checks. */
    PulumiCli = "pulumi-cli",
}

/** The pack failed to start or answer: distinct from the violations it reports. */
export class PolicyRunError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyRunError";
    }
}

const LEVELS: Record<number, EnforcementLevel> = {
    [analyzer.EnforcementLevel.ADVISORY]: "advisory",
    [analyzer.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzer.EnforcementLevel.DISABLED]: "disabled",
    [analyzer.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_CODES = Object.fromEntries(Object.entries(LEVELS).map(([code, level]) => [level, Number(code)])) as Record<EnforcementLevel, number>;
const SEVERITIES: Record<number, string> = {
    [analyzer.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED]: "unspecified",
    [analyzer.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
    [analyzer.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
    [analyzer.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
    [analyzer.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

/** The environment's policy config file, as `pulumi preview --policy-pack-config` reads it. */
export function readPolicyConfig(environment: string, packDir = POLICY_PACK_DIR): PolicyConfigFile {
    const file = join(packDir, "config", `${environment}.json`);
    try {
        return JSON.parse(readFileSync(file, "utf8")) as PolicyConfigFile;
    } catch (err) {
        throw new PolicyRunError(`cannot read policy config ${file}: ${(err as Error).message}`);
    }
}

/** A started, configured pack: analyze any number of resource sets, then close it. */
export interface PolicySession {
    pack: { name: string; version: string };
    policies: PolicySummary[];
    /** Analyze for every resource, then AnalyzeStack over them all; their diagnostics. */
    analyze(resources: readonly PolicyInputResource[]): Promise<PolicyViolation[]>;
    close(): void;
}

/** Runs the pack once over one stack's resources. */
export async function runPolicyPack(resources: readonly PolicyInputResource[], options: PolicyRunOptions): Promise<PolicyRun> {
    const session = await openPolicySession(options);
    try {
        return { pack: session.pack, policies: session.policies, violations: await session.analyze(resources) };
    } finally {
        session.close();
    }
}

/**
 * Starts the pack and configures it for the environment. Each `analyze` is independent (the
 * analyzer protocol keeps no state between stacks), so tests run many small stacks through
 * one process instead of paying for a start each.
 */
export async function openPolicySession(options: PolicyRunOptions): Promise<PolicySession> {
    const packDir = options.packDir ?? POLICY_PACK_DIR;
    const configFile = options.config ?? readPolicyConfig(options.environment, packDir);
    const { child, port } = await startPack(packDir, options.loader ?? PackLoader.Transpile, options.startTimeoutMs ?? 60_000);
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": 400 * 1024 * 1024,
        "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    const close = () => {
        client.close();
        child.kill();
    };
    try {
        const info = await call<Empty, analyzer.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
        const policies = info.getPoliciesList();
        const levels = await configure(client, policies, configFile);
        const stackRequest = new analyzer.AnalyzerStackConfigureRequest()
            .setProject(options.project ?? "platform")
            .setStack(options.stack ?? options.environment)
            .setDryRun(true);
        await call(client.configureStack.bind(client), stackRequest);
        return {
            pack: { name: info.getName(), version: info.getVersion() },
            policies: policies.map((p) => ({
                name: p.getName(),
                description: p.getDescription(),
                enforcementLevel: levels.get(p.getName()) ?? LEVELS[p.getEnforcementlevel()],
                severity: SEVERITIES[p.getSeverity()] ?? "unspecified",
            })),
            analyze: (resources) => analyzeAll(client, resources),
            close,
        };
    } catch (err) {
        close();
        throw err;
    }
}

async function analyzeAll(client: AnalyzerClient, resources: readonly PolicyInputResource[]): Promise<PolicyViolation[]> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const perResource = await Promise.all(
        resources.map(async (resource) => {
            const request = new analyzer.AnalyzeRequest()
                .setType(resource.type)
                .setUrn(resource.urn)
                .setName(resource.name)
                .setProperties(toStruct(resource.inputs))
                .setOptions(resourceOptions(resource));
            const provider = providerOf(resource, byUrn);
            if (provider) {
                request.setProvider(provider);
            }
            return diagnostics(await call(client.analyze.bind(client), request), resource.urn);
        }),
    );
    const stack = await call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(
        client.analyzeStack.bind(client),
        new analyzer.AnalyzeStackRequest().setResourcesList(resources.map((r) => analyzerResource(r, byUrn))),
    );
    return [...perResource.flat(), ...diagnostics(stack, "")];
}

/** Inputs as a protobuf Struct; a JSON round trip drops undefined values, which Struct rejects. */
function toStruct(value: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(JSON.parse(JSON.stringify(value)) as Parameters<typeof Struct.fromJavaScript>[0]);
}

/** Pack processes still running: stopped when this process exits, so none outlives it unclosed. */
const runningPacks = new Set<ChildProcess>();
process.once("exit", () => runningPacks.forEach((child) => child.kill()));

/** The pack's process, once it has printed its port. */
function startPack(packDir: string, loader: PackLoader, timeoutMs: number): Promise<{ child: ChildProcess; port: number }> {
    const child = spawn(process.execPath, packCommand(packDir, loader), { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
    runningPacks.add(child);
    child.once("exit", () => runningPacks.delete(child));
    return new Promise((resolve, reject) => {
        let stdout = "";
        let stderr = "";
        const fail = (why: string) => {
            clearTimeout(timer);
            child.kill();
            reject(new PolicyRunError(`the policy pack in ${packDir} ${why}${stderr ? `:\n${stderr.trim()}` : ""}`));
        };
        const timer = setTimeout(() => fail(`did not print its port within ${timeoutMs} ms`), timeoutMs);
        child.stdout.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            const line = stdout.split("\n")[0];
            if (stdout.includes("\n") && /^\d+$/.test(line.trim())) {
                clearTimeout(timer);
                resolve({ child, port: Number(line.trim()) });
            }
        });
        child.stderr.on("data", (chunk: Buffer) => {
            stderr += chunk.toString();
        });
        child.on("exit", (code) => fail(`exited (code ${String(code)}) before serving`));
        child.on("error", (err) => fail(`could not start: ${err.message}`));
    });
}

function packCommand(packDir: string, loader: PackLoader): string[] {
    if (loader === PackLoader.PulumiCli) {
        // What the CLI's `pulumi-analyzer-policy` shim runs: the SDK's policy-pack runner, with the
        // engine's address first (unused offline) and the pack's directory as the program.
        const runner = join(dirname(require.resolve("@pulumi/pulumi/package.json")), "cmd", "run-policy-pack", "index.js");
        return [runner, "127.0.0.1:0", "."];
    }
    const manifest = JSON.parse(readFileSync(join(packDir, "package.json"), "utf8")) as { main?: string };
    return ["--require", join(PROJECT_DIR, "tools", "register-ts.cjs"), manifest.main ?? "index.js"];
}

/** A policy's level and settings as a run sends them. */
export interface ResolvedPolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

/**
 * Each policy's level and settings as the CLI derives them: the file's value for the policy,
 * else the file's `all`, else the policy's own level; settings are the schema's defaults with
 * the file's values over them. Unknown policy names and settings are errors, as in the CLI.
 */
export function resolvePolicyConfig(policies: readonly analyzer.PolicyInfo[], file: PolicyConfigFile): Map<string, ResolvedPolicyConfig> {
    const known = new Set(policies.map((p) => p.getName()));
    const unknown = Object.keys(file).filter((name) => name !== "all" && !known.has(name));
    if (unknown.length > 0) {
        throw new PolicyRunError(`policy config names policies the pack does not have: ${unknown.join(", ")}`);
    }
    const all = typeof file.all === "string" ? file.all : undefined;
    const resolved = new Map<string, ResolvedPolicyConfig>();
    for (const policy of policies) {
        const name = policy.getName();
        const entry = file[name];
        const { enforcementLevel: entryLevel, ...settings } = typeof entry === "object" ? entry : { enforcementLevel: entry };
        const level = entryLevel ?? all ?? LEVELS[policy.getEnforcementlevel()];
        if (!(level in LEVEL_CODES)) {
            throw new PolicyRunError(`policy config: ${name}: enforcement level ${JSON.stringify(level)} is not one of ${Object.keys(LEVEL_CODES).join(", ")}`);
        }
        const schema = (policy.getConfigschema()?.getProperties()?.toJavaScript() ?? {}) as Record<string, { default?: unknown }>;
        for (const key of Object.keys(settings)) {
            if (!Object.hasOwn(schema, key)) {
                throw new PolicyRunError(`policy config: ${name}.${key} is not a setting of that policy (settings: ${Object.keys(schema).join(", ") || "none"})`);
            }
        }
        const defaults = Object.fromEntries(Object.entries(schema).filter(([, s]) => s.default !== undefined).map(([key, s]) => [key, s.default]));
        resolved.set(name, { enforcementLevel: level, properties: { ...defaults, ...settings } });
    }
    return resolved;
}

/** Sends each policy its resolved level and settings; returns the levels. */
async function configure(client: AnalyzerClient, policies: analyzer.PolicyInfo[], file: PolicyConfigFile): Promise<Map<string, EnforcementLevel>> {
    const resolved = resolvePolicyConfig(policies, file);
    const request = new analyzer.ConfigureAnalyzerRequest();
    for (const [name, { enforcementLevel, properties }] of resolved) {
        request.getPolicyconfigMap().set(name, new analyzer.PolicyConfig().setEnforcementlevel(LEVEL_CODES[enforcementLevel]).setProperties(toStruct(properties)));
    }
    await call(client.configure.bind(client), request);
    return new Map([...resolved].map(([name, r]) => [name, r.enforcementLevel]));
}

function resourceOptions(resource: PolicyInputResource): analyzer.AnalyzerResourceOptions {
    return new analyzer.AnalyzerResourceOptions()
        .setProtect(resource.protect)
        .setIgnorechangesList(resource.ignoreChanges ?? [])
        .setDeletebeforereplace(resource.deleteBeforeReplace ?? false)
        .setDeletebeforereplacedefined(resource.deleteBeforeReplace !== undefined)
        .setParent(resource.parent ?? "");
}

function providerOf(resource: PolicyInputResource, byUrn: Map<string, PolicyInputResource>): analyzer.AnalyzerProviderResource | undefined {
    const provider = resource.provider ? byUrn.get(resource.provider) : undefined;
    if (!provider) {
        return undefined;
    }
    return new analyzer.AnalyzerProviderResource()
        .setType(provider.type)
        .setUrn(provider.urn)
        .setName(provider.name)
        .setProperties(toStruct(provider.inputs));
}

function analyzerResource(resource: PolicyInputResource, byUrn: Map<string, PolicyInputResource>): analyzer.AnalyzerResource {
    const result = new analyzer.AnalyzerResource()
        .setType(resource.type)
        .setUrn(resource.urn)
        .setName(resource.name)
        .setProperties(toStruct(resource.inputs))
        .setOptions(resourceOptions(resource))
        .setParent(resource.parent ?? "")
        .setDependenciesList(resource.dependencies);
    const provider = providerOf(resource, byUrn);
    if (provider) {
        result.setProvider(provider);
    }
    const dependencies = result.getPropertydependenciesMap();
    for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
        dependencies.set(property, new analyzer.AnalyzerPropertyDependencies().setUrnsList(urns));
    }
    return result;
}

function diagnostics(response: analyzer.AnalyzeResponse, fallbackUrn: string): PolicyViolation[] {
    return response.getDiagnosticsList().map((d) => ({
        policy: d.getPolicyname(),
        enforcementLevel: LEVELS[d.getEnforcementlevel()],
        urn: d.getUrn() || fallbackUrn,
        message: d.getMessage(),
    }));
}

type Unary<Req, Res> = (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => grpc.ClientUnaryCall;

function call<Req, Res>(method: Unary<Req, Res>, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
        method(request, (error, response) => {
            if (error) {
                reject(new PolicyRunError(`policy pack call failed: ${error.details || error.message}`));
            } else {
                resolve(response);
            }
        });
    });
}
