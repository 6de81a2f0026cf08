// @ts-check
/**
 * `node --require ./tools/register-ts.cjs program.ts`: runs the project's TypeScript in a
 * child process for the cost of loading JavaScript.
 *
 * Only `.ts` files go through here: each is transpiled once by esbuild (no type-checking:
 * `npm run typecheck` does that) and kept in node_modules/.cache by content hash, so the
 * hundreds of synth and policy processes a test run starts compile nothing after the first.
 * A general loader (tsx) also intercepts every JavaScript file in node_modules, which doubles
 * the time @pulumi/pulumi and the providers take to load.
 */
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "platform-ts");
const ESBUILD_VERSION = require("esbuild/package.json").version;

/** @type {import("esbuild") | undefined} */
let esbuild;

/**
 * @param {string} source
 * @param {string} filename
 * @returns {string}
 */
function compiled(source, filename) {
    const key = createHash("sha256").update(`${ESBUILD_VERSION}\0${filename}\0${source}`).digest("hex");
    const cached = path.join(CACHE_DIR, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        // Not compiled yet.
    }
    esbuild ??= require("esbuild");
    const { code } = esbuild.transformSync(source, {
        loader: "ts",
        format: "cjs",
        target: "node20",
        sourcefile: filename,
        sourcemap: "inline",
    });
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Another process may compile the same file at the same moment: write aside, then rename.
    const partial = `${cached}.${process.pid}`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, cached);
    return code;
}

// Stack traces point into the TypeScript, through the inline source maps.
if (process.env.PLATFORM_TS_SOURCE_MAPS) process.setSourceMapsEnabled(true);

/**
 * @param {NodeJS.Module & { _compile(code: string, filename: string): void }} module
 * @param {string} filename
 */
function loadTypeScript(module, filename) {
    module._compile(compiled(fs.readFileSync(filename, "utf8"), filename), filename);
}

require.extensions[".ts"] = /** @type {(module: NodeJS.Module, filename: string) => void} */ (loadTypeScript);
