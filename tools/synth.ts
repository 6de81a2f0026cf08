/**
 * The offline engine's synth: runs a Pulumi program for one stack in a child process under
 * the mock runtime and returns the resource graph it registered.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { REGION_ZONE_COUNTS, StackConfigError, loadStackConfig } from "../config";
import { RecordedResource, SynthOutcome } from "./record";
import { StackFileConfig, readStackConfigFiles } from "./stackFiles";
import { readCachedSynth, synthCacheEnabled, synthCacheKey, writeCachedSynth } from "./synthCache";

export const PROJECT_DIR = resolve(__dirname, "..");

export interface SynthResult {
    project: string;
    stack: string;
    environment: string;
    resources: RecordedResource[];
    outputs: Record<string, unknown>;
}

export class SynthError extends Error {
    constructor(
        /** "config": the stack's config was rejected; "program": the program failed. */
        public readonly kind: "config" | "program",
        message: string,
        /** Resources registered before the failure, the root stack included. */
        public readonly resources: RecordedResource[] = [],
    ) {
        super(message);
        this.name = "SynthError";
    }
}

export interface ProgramRun {
    programPath: string;
    project: string;
    stack: string;
    /** PULUMI_CONFIG: namespaced key -> string. */
    config: Record<string, string>;
    secretKeys?: string[];
    timeoutMs?: number;
}

/** Runs any Pulumi program under mocks in a child process (used for the stack and for component fixtures). */
export async function synthesizeProgram(run: ProgramRun): Promise<SynthOutcome> {
    const cacheKey = synthCacheEnabled()
        ? synthCacheKey(PROJECT_DIR, { programPath: resolve(run.programPath), project: run.project, stack: run.stack, config: run.config, secretKeys: run.secretKeys ?? [] })
        : undefined;
    const cached = cacheKey ? readCachedSynth(PROJECT_DIR, cacheKey) : undefined;
    if (cached) {
        return cached;
    }
    const workDir = mkdtempSync(join(tmpdir(), "platform-synth-"));
    const outFile = join(workDir, "outcome.json");
    const request = {
        programPath: resolve(run.programPath),
        project: run.project,
        stack: run.stack,
        region: run.config["aws:region"] ?? "us-east-1",
        zoneCounts: REGION_ZONE_COUNTS,
        outFile,
    };
    try {
        const { code, stderr } = await runChild(request, run);
        let outcome: SynthOutcome;
        try {
            outcome = JSON.parse(readFileSync(outFile, "utf8")) as SynthOutcome;
        } catch {
            throw new SynthError("program", `the synth process exited with code ${code} and no result:\n${stderr}`);
        }
        if (cacheKey) {
            writeCachedSynth(PROJECT_DIR, cacheKey, outcome);
        }
        return outcome;
    } finally {
        rmSync(workDir, { recursive: true, force: true });
    }
}

function runChild(request: object, run: ProgramRun): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolvePromise, reject) => {
        const child = spawn(process.execPath, ["--require", join(__dirname, "register-ts.cjs"), join(__dirname, "synth-child.ts")], {
            cwd: PROJECT_DIR,
            env: {
                ...process.env,
                PLATFORM_SYNTH_REQUEST: JSON.stringify(request),
                PULUMI_CONFIG: JSON.stringify(run.config),
                PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(run.secretKeys ?? []),
                PULUMI_NODEJS_STACK: run.stack,
                PULUMI_NODEJS_PROJECT: run.project,
            },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stdout.on("data", () => undefined);
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new SynthError("program", `synth of ${run.stack} did not finish in ${run.timeoutMs ?? 120_000} ms`));
        }, run.timeoutMs ?? 120_000);
        child.on("error", reject);
        child.on("close", (code) => {
            clearTimeout(timer);
            resolvePromise({ code, stderr });
        });
    });
}

export interface StackSynthOptions {
    projectDir?: string;
    /** Directory holding the stack files. @default projectDir */
    configDir?: string;
    /** Stack-file values to replace, by config key (tests use it for one-change variants). */
    overrides?: Record<string, unknown>;
}

/**
 * A stack file the Pulumi CLI would refuse before running the program: its refusals and the
 * program's own problems with the same values, in one message, so one run shows everything.
 */
export function refusedByTheCli(files: StackFileConfig): StackConfigError {
    let programProblems: readonly string[] = [];
    try {
        loadStackConfig(files.config, files.stack, files.project, files.secretKeys);
    } catch (err) {
        if (!(err instanceof StackConfigError)) {
            throw err;
        }
        programProblems = err.problems;
    }
    return new StackConfigError(files.stackFile, [...files.cliProblems.map((p) => `the Pulumi CLI refuses it: ${p}`), ...programProblems]);
}

/** Synthesizes the project's program for one stack from its stack file. */
export async function synthesizeStack(stack: string, options: StackSynthOptions = {}): Promise<SynthResult> {
    const projectDir = options.projectDir ?? PROJECT_DIR;
    let files;
    try {
        files = readStackConfigFiles(projectDir, stack, { configDir: options.configDir, overrides: options.overrides });
    } catch (err) {
        throw new SynthError("config", (err as Error).message);
    }
    if (files.cliProblems.length > 0) {
        throw new SynthError("config", refusedByTheCli(files).message);
    }
    const outcome = await synthesizeProgram({
        programPath: join(projectDir, "index.ts"),
        project: files.project,
        stack,
        config: files.config,
        secretKeys: files.secretKeys,
    });
    if (!outcome.ok) {
        throw new SynthError(outcome.error!.kind, outcome.error!.message, outcome.resources);
    }
    return {
        project: files.project,
        stack,
        environment: files.config[`${files.project}:environment`] ?? "",
        resources: outcome.resources,
        outputs: outcome.outputs,
    };
}
