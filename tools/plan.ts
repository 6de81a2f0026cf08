/**
 * `npm run plan -- --stack <name> [--json <file>] [--config-dir <dir>]`
 *
 * Synthesizes the program for one stack offline, prints the resource tree and counts, and
 * writes plan.json. Exit codes: 0 planned; 1 the program failed; 2 bad usage or a stack
 * config error (nothing was registered).
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildPlan, renderReport } from "./report";
import { SynthError, synthesizeStack } from "./synth";

const EXIT = { ok: 0, programError: 1, configError: 2 } as const;

const USAGE = "usage: npm run plan -- --stack <name> [--json <file>] [--config-dir <dir>]";

async function main(argv: string[]): Promise<number> {
    let options;
    try {
        options = parseArgs({
            args: argv,
            options: {
                stack: { type: "string" },
                json: { type: "string" },
                "config-dir": { type: "string" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
        }).values;
    } catch (err) {
        console.error(`${(err as Error).message}\n${USAGE}`);
        return EXIT.configError;
    }
    if (options.help) {
        console.log(USAGE);
        return EXIT.ok;
    }
    if (!options.stack) {
        console.error(`--stack is required\n${USAGE}`);
        return EXIT.configError;
    }

    try {
        const result = await synthesizeStack(options.stack, {
            configDir: options["config-dir"] ? resolve(options["config-dir"]) : undefined,
        });
        const plan = buildPlan(result);
        const jsonPath = resolve(options.json ?? "plan.json");
        writeFileSync(jsonPath, `${JSON.stringify(plan, null, 2)}\n`);
        console.log(renderReport(plan));
        console.log(`\nWrote ${jsonPath}`);
        return EXIT.ok;
    } catch (err) {
        if (err instanceof SynthError) {
            console.error(err.message);
            return err.kind === "config" ? EXIT.configError : EXIT.programError;
        }
        throw err;
    }
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
        console.error(err);
        process.exit(EXIT.programError);
    },
);
