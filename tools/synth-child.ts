/**
 * One synth, in its own process (a Pulumi program is a module with global state and runs
 * once per process). Runs the program under Pulumi's mock runtime the way the language host
 * runs it under the CLI, and records every RegisterResourceRequest the program sends.
 *
 * Input: PLATFORM_SYNTH_REQUEST (JSON) plus PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS, which
 * @pulumi/pulumi reads when it loads. Output: a SynthOutcome written to request.outFile.
 * Exit code: 0 synthesized, 2 the stack's config was rejected, 1 the program failed.
 */
import { writeFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { awsMocks } from "./mocks";
import { RecordedResource, SynthOutcome, plainValue } from "./record";

interface SynthRequest {
    programPath: string;
    project: string;
    stack: string;
    region: string;
    zoneCounts: Record<string, number>;
    outFile: string;
}

/** The parts of the mock monitor's gRPC-shaped API this recorder wraps. */
interface MonitorLike {
    registerResource(req: RegisterRequest, callback: (err: unknown, response: RegisterResponse) => void): Promise<void>;
    registerResourceOutputs(req: OutputsRequest, callback: (err: unknown, response: unknown) => void): void;
}
interface Struct {
    toJavaScript(): Record<string, unknown>;
}
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): Struct | undefined;
    getProtect(): boolean;
    getDependenciesList(): string[];
    getProvider(): string;
    getPropertydependenciesMap(): { forEach(fn: (deps: { getUrnsList(): string[] }, key: string) => void): void };
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getRetainondelete(): boolean;
}
interface RegisterResponse {
    getUrn(): string;
}
interface OutputsRequest {
    getUrn(): string;
    getOutputs(): Struct | undefined;
}

const request = JSON.parse(process.env.PLATFORM_SYNTH_REQUEST ?? "{}") as SynthRequest;
const resources: RecordedResource[] = [];
let outputs: Record<string, unknown> = {};
const asyncFailures: unknown[] = [];

/** "urn::id" provider references carry the provider's URN first. */
function providerUrn(reference: string): string | null {
    if (!reference) {
        return null;
    }
    return reference.slice(0, reference.lastIndexOf("::"));
}

function record(req: RegisterRequest, urn: string): void {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
        propertyDependencies[key] = deps.getUrnsList();
    });
    resources.push({
        urn,
        type: req.getType(),
        name: req.getName(),
        parent: req.getParent() || null,
        custom: req.getCustom(),
        provider: providerUrn(req.getProvider()),
        inputs: plainValue(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        protect: req.getProtect(),
        retainOnDelete: req.getRetainondelete(),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        ignoreChanges: req.getIgnorechangesList(),
    });
}

function finish(outcome: SynthOutcome, code: number): never {
    writeFileSync(request.outFile, JSON.stringify(outcome));
    process.exit(code);
}

async function main(): Promise<void> {
    await pulumi.runtime.setMocks(awsMocks(request.region, request.zoneCounts), request.project, request.stack, false);
    const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
    const registerResource = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) =>
        registerResource(req, (err, response) => {
            if (!err) {
                record(req, response.getUrn());
            }
            callback(err, response);
        });
    const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, callback) => {
        const registered = plainValue(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
        if (req.getUrn().includes("::pulumi:pulumi:Stack::")) {
            outputs = registered;
        } else {
            // Components' outputs: the graph picture labels the wiring between components with them.
            const component = resources.find((r) => r.urn === req.getUrn());
            if (component) {
                component.outputs = registered;
            }
        }
        registerResourceOutputs(req, callback);
    };

    // Errors raised inside apply callbacks surface as rejections nobody awaits.
    process.on("unhandledRejection", (reason) => asyncFailures.push(reason));

    try {
        // The language host does the same: load the program inside the root stack and make
        // its exports the stack's outputs.
        await pulumi.runtime.runInPulumiStack(() => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const program = require(request.programPath) as Record<string, unknown>;
            return Promise.resolve({ ...program });
        });
        await pulumi.runtime.disconnect();
    } catch (err) {
        fail(err);
    }
    if (asyncFailures.length > 0) {
        fail(asyncFailures[0]);
    }
    finish({ ok: true, resources, outputs }, 0);
}

function fail(err: unknown): never {
    const isConfigError = err instanceof Error && err.name === "StackConfigError";
    const message = err instanceof Error ? (isConfigError ? err.message : (err.stack ?? err.message)) : String(err);
    finish({ ok: false, resources, outputs, error: { kind: isConfigError ? "config" : "program", message } }, isConfigError ? 2 : 1);
}

main().catch(fail);
