/**
 * A synth's outcome kept on disk, for the test suite only (PLATFORM_SYNTH_CACHE=1, which
 * test/helpers.ts sets): its worker processes and the plans it starts synthesize the same stack
 * with the same config many times, and under mocks the same code and config give the same
 * resources. The key covers the request, the config, the PLATFORM_* environment (the mocks'
 * stand-ins) and the content of every source file of the project and its lock file, so any
 * change to code, mocks or config is a miss.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SynthOutcome } from "./record";

const SOURCE_DIRS = ["components", "config", "tools", "policies"];
const CACHE_DIR_NAME = join("node_modules", ".cache", "platform-synth");

export function synthCacheEnabled(): boolean {
    return process.env.PLATFORM_SYNTH_CACHE === "1";
}

let sourceFingerprint: string | undefined;

/** The hash of every .ts file the program or the engine is made of, and the lock file. */
function fingerprint(projectDir: string): string {
    if (sourceFingerprint === undefined) {
        const hash = createHash("sha256");
        const files = [join(projectDir, "index.ts"), join(projectDir, "package-lock.json"), ...SOURCE_DIRS.flatMap((dir) => tsFiles(join(projectDir, dir)))];
        for (const file of files.sort()) {
            hash.update(file).update("\0").update(readFileSync(file)).update("\0");
        }
        sourceFingerprint = hash.digest("hex");
    }
    return sourceFingerprint;
}

function tsFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
            return entry.name === "node_modules" ? [] : tsFiles(path);
        }
        return entry.name.endsWith(".ts") ? [path] : [];
    });
}

export function synthCacheKey(projectDir: string, request: object): string {
    const environment = Object.entries(process.env)
        .filter(([name]) => name.startsWith("PLATFORM_") && name !== "PLATFORM_SYNTH_CACHE")
        .sort(([a], [b]) => (a < b ? -1 : 1));
    return createHash("sha256").update(JSON.stringify([fingerprint(projectDir), request, environment])).digest("hex");
}

export function readCachedSynth(projectDir: string, key: string): SynthOutcome | undefined {
    try {
        return JSON.parse(readFileSync(join(projectDir, CACHE_DIR_NAME, `${key}.json`), "utf8")) as SynthOutcome;
    } catch {
        return undefined;
    }
}

export function writeCachedSynth(projectDir: string, key: string, outcome: SynthOutcome): void {
    const dir = join(projectDir, CACHE_DIR_NAME);
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed, so a concurrent reader never sees half a file.
    const part = join(dir, `${key}.${process.pid}.part`);
    writeFileSync(part, JSON.stringify(outcome));
    renameSync(part, join(dir, `${key}.json`));
}
