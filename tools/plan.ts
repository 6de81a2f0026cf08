/**
 * `npm run plan -- --stack <name> [--json <file>] [--config-dir <dir>]`
 *
 * Synthesizes the program for one stack offline, runs the policy pack on it with the
 * environment's policy config, prints the resource tree, counts and violations, and writes
 * plan.json. Exit codes: 0 planned; 1 the program failed, or the pack could not run; 2 bad
 * usage or a stack config error (nothing was registered); 3 planned, with mandatory policy
 * violations.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { PolicyRunError, runPolicyPack } from "./policyRunner";
import { buildPlan, renderReport } from "./report";
import { SynthError, synthesizeStack } from "./synth";

const EXIT = { ok: 0, programError: 1, configError: 2, mandatoryViolations: 3 } as const;

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
        // The synth's records, not plan.json's subset: stack rules need property dependencies.
        const run = await runPolicyPack(result.resources, { environment: result.environment, project: result.project, stack: result.stack });
        const plan = buildPlan(result, run.violations, { ...run.pack, policies: run.policies.length });
        const jsonPath = resolve(options.json ?? "plan.json");
        writeFileSync(jsonPath, `${JSON.stringify(plan, null, 2)}\n`);
        console.log(renderReport(plan));
        console.log(`\nWrote ${jsonPath}`);
        return plan.summary.mandatoryViolations > 0 ? EXIT.mandatoryViolations : EXIT.ok;
    } catch (err) {
        if (err instanceof SynthError) {
            console.error(err.message);
            return err.kind === "config" ? EXIT.configError : EXIT.programError;
        }
        if (err instanceof PolicyRunError) {
            console.error(err.message);
            return EXIT.programError;
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
