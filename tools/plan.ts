/**
 * `npm run plan -- --stack <name> [--json <file>] [--config-dir <dir>] [--graph <file.svg> [--graph-detail resources]]`
 * `npm run plan -- --diff <stack> <stack> [--config-dir <dir>] [--json <file>]`
 *
 * Synthesizes the program for one stack offline, runs the policy pack on it with the
 * environment's policy config, estimates its monthly cost, prints the resource tree, the
 * verdicts, the cost and a summary, and writes plan.json (and the SVG picture when asked).
 * With --diff, synthesizes two stacks and prints how they differ.
 *
 * Exit codes: 0 planned; 1 the program failed, or the pack could not run; 2 bad usage or a
 * stack config error (nothing was registered); 3 planned, with mandatory policy violations.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadStackConfig } from "../config";
import { estimateCost } from "./cost";
import { diffStacks, DiffSide, renderDiff } from "./diff";
import { componentDot, renderSvg, resourceDot } from "./graphPicture";
import { openPolicySession, PolicyRunError, PolicySession } from "./policyRunner";
import { buildPlan, renderReport } from "./report";
import { readStackConfigFiles, StackFileConfig } from "./stackFiles";
import { PROJECT_DIR, SynthError, synthesizeStack } from "./synth";
import { Progress, styleFor } from "./terminal";

const EXIT = { ok: 0, programError: 1, configError: 2, mandatoryViolations: 3 } as const;

const USAGE = [
    "usage: npm run plan -- --stack <name> [--json <file>] [--config-dir <dir>] [--graph <file.svg> [--graph-detail components|resources]]",
    "       npm run plan -- --diff <stack> <other-stack> [--config-dir <dir>] [--json <file>]",
].join("\n");

const GRAPH_DETAILS = ["components", "resources"];

class UsageError extends Error {}

interface Options {
    stack?: string;
    diff?: [string, string];
    json?: string;
    configDir?: string;
    graph?: string;
    graphDetail: string;
    help: boolean;
}

function parse(argv: string[]): Options {
    const { values, positionals } = parseArgs({
        args: argv,
        options: {
            stack: { type: "string" },
            diff: { type: "string" },
            json: { type: "string" },
            "config-dir": { type: "string" },
            graph: { type: "string" },
            "graph-detail": { type: "string" },
            help: { type: "boolean", short: "h" },
        },
        allowPositionals: true,
        strict: true,
    });
    const options: Options = {
        stack: values.stack,
        json: values.json,
        configDir: values["config-dir"] ? resolve(values["config-dir"]) : undefined,
        graph: values.graph,
        graphDetail: values["graph-detail"] ?? "components",
        help: values.help ?? false,
    };
    if (values.diff !== undefined) {
        if (positionals.length !== 1 || values.stack !== undefined || values.graph !== undefined) {
            throw new UsageError("--diff takes two stacks (--diff dev prod) and no --stack or --graph");
        }
        options.diff = [values.diff, positionals[0]];
    } else if (positionals.length > 0) {
        throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    }
    if (!GRAPH_DETAILS.includes(options.graphDetail)) {
        throw new UsageError(`--graph-detail: got ${JSON.stringify(options.graphDetail)}; expected one of ${GRAPH_DETAILS.join(", ")}`);
    }
    if (!options.help && options.stack === undefined && options.diff === undefined) {
        throw new UsageError("--stack (or --diff) is required");
    }
    return options;
}

async function main(argv: string[]): Promise<number> {
    let options: Options;
    try {
        options = parse(argv);
    } catch (err) {
        console.error(`${(err as Error).message}\n${USAGE}`);
        return EXIT.configError;
    }
    if (options.help) {
        console.log(USAGE);
        return EXIT.ok;
    }
    const progress = new Progress();
    try {
        return options.diff ? await diff(options, options.diff, progress) : await plan(options, options.stack!, progress);
    } catch (err) {
        progress.done();
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

/** The stack's files, read before anything starts: a bad stack name fails in milliseconds. */
function stackFiles(stack: string, configDir: string | undefined): StackFileConfig {
    try {
        return readStackConfigFiles(PROJECT_DIR, stack, { configDir });
    } catch (err) {
        throw new SynthError("config", (err as Error).message);
    }
}

async function plan(options: Options, stack: string, progress: Progress): Promise<number> {
    const files = stackFiles(stack, options.configDir);
    const environment = files.config[`${files.project}:environment`] ?? "";
    progress.update(`Synthesizing ${stack} and starting the policy pack`);
    // The pack starts while the program synthesizes: neither needs the other until analysis.
    const session = openPolicySession({ environment, project: files.project, stack });
    session.catch(() => undefined);
    let result;
    try {
        result = await synthesizeStack(stack, { configDir: options.configDir });
    } catch (err) {
        // The pack may still be starting: wait for it and stop it, or exiting now would leave it running.
        await session.then((s) => s.close(), () => undefined);
        throw err;
    }
    progress.update(`Analyzing ${result.resources.length} resources with the policy pack`);
    let pack: PolicySession;
    let violations;
    try {
        pack = await session;
        // The synth's records, not plan.json's subset: stack rules need property dependencies.
        violations = await pack.analyze(result.resources);
    } finally {
        void session.then((s) => s.close(), () => undefined);
    }
    const cost = estimateCost(result.resources, { region: files.config["aws:region"] ?? "" });
    const planned = buildPlan(result, violations, { ...pack.pack, policies: pack.policies.length }, cost);
    const jsonPath = resolve(options.json ?? "plan.json");
    writeFileSync(jsonPath, `${JSON.stringify(planned, null, 2)}\n`);
    let graphPath: string | undefined;
    if (options.graph) {
        progress.update("Drawing the graph");
        graphPath = resolve(options.graph);
        const dot = options.graphDetail === "resources" ? resourceDot(result.resources) : componentDot(result.resources);
        writeFileSync(graphPath, await renderSvg(dot));
    }
    progress.done();
    console.log(renderReport(planned, { style: styleFor(process.stdout), jsonPath }));
    if (graphPath) {
        console.log(`  Picture    ${graphPath} (${options.graphDetail})`);
    }
    return planned.summary.mandatoryViolations > 0 ? EXIT.mandatoryViolations : EXIT.ok;
}

async function diff(options: Options, stacks: [string, string], progress: Progress): Promise<number> {
    const files = stacks.map((stack) => stackFiles(stack, options.configDir));
    const configs = stacks.map((stack, i) => {
        try {
            return loadStackConfig(files[i].config, stack, files[i].project, files[i].secretKeys);
        } catch (err) {
            throw new SynthError("config", (err as Error).message);
        }
    });
    progress.update(`Synthesizing ${stacks.join(" and ")}`);
    const results = await Promise.all(stacks.map((stack) => synthesizeStack(stack, { configDir: options.configDir })));
    const sides = results.map(
        (result, i): DiffSide => ({
            project: result.project,
            stack: result.stack,
            environment: result.environment,
            config: { ...configs[i], project: undefined, stack: undefined },
            resources: result.resources,
            cost: estimateCost(result.resources, { region: files[i].config["aws:region"] ?? "" }),
        }),
    );
    const difference = diffStacks(sides[0], sides[1]);
    progress.done();
    if (options.json) {
        writeFileSync(resolve(options.json), `${JSON.stringify(difference, null, 2)}\n`);
    }
    console.log(renderDiff(difference, styleFor(process.stdout)).join("\n"));
    return EXIT.ok;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
        console.error(err);
        process.exit(EXIT.programError);
    },
);
