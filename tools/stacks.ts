/**
 * `node --require ./tools/register-ts.cjs tools/stacks.ts [--config-dir <dir>] [--github-output]`
 *
 * The project's stacks, found from their files: every `Pulumi.<stack>.yaml` beside Pulumi.yaml
 * (or in --config-dir), with the environment tier it sets (`platform:environment`, which picks
 * its profile, its policy config and its deploy tier) and its AWS region (`aws:region`), in
 * deploy order: the dev stacks, then the staging ones, then the prod ones, by name within a
 * tier. Adding a stack is writing its file: the workflows build their matrices from this.
 *
 * Prints the list as JSON. With --github-output, prints the `name=value` lines a workflow step
 * appends to $GITHUB_OUTPUT, each value one line of JSON for `fromJSON`: `stacks`, every stack;
 * and one per environment tier (`dev`, `staging`, `prod`), that tier's stacks.
 *
 * Exit codes: 0 listed; 2 bad usage, or a stack file that names no known environment tier or
 * no region (every problem listed), or an environment tier without any stack.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Environment, ENVIRONMENTS } from "../config/environment";
import { listStacks, readStackConfigFiles, StackFileError } from "./stackFiles";

const PROJECT_DIR = resolve(__dirname, "..");

/**
 * The environment tiers in deploy order, as config/environment.ts declares them: every stack of
 * a tier is updated only after every stack of the tier before it (deploy.yml has one job per tier).
 */
export const DEPLOY_ORDER: readonly Environment[] = ENVIRONMENTS;

export interface FoundStack {
    /** The name in `Pulumi.<stack>.yaml`. */
    stack: string;
    /** `platform:environment`. */
    environment: Environment;
    /** `aws:region`. */
    region: string;
}

/**
 * What the workflows interpolate into commands, session names and paths: Pulumi's stack-name
 * characters, starting with a letter or digit, so a name is never read as an option or by a
 * shell as anything but a word; and short enough for the AWS role session name
 * `platform-preview-<stack>-<run id>`, which may not pass 64 characters.
 */
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

const USAGE = "usage: node --require ./tools/register-ts.cjs tools/stacks.ts [--config-dir <dir>] [--github-output]";

/** Every stack with a stack file in `configDir` (default: the project's), in deploy order. */
export function findStacks(options: { projectDir?: string; configDir?: string } = {}): FoundStack[] {
    const projectDir = options.projectDir ?? PROJECT_DIR;
    const configDir = options.configDir ?? projectDir;
    const found: FoundStack[] = [];
    const problems: string[] = [];
    for (const stack of listStacks(configDir)) {
        const file = `Pulumi.${stack}.yaml`;
        if (!STACK_NAME.test(stack)) {
            problems.push(`${file}: the stack name may hold only letters, digits, "_", "." and "-", starting with a letter or digit, 32 at most`);
            continue;
        }
        if (!existsSync(join(configDir, file))) {
            // listStacks also sees `Pulumi.<stack>.yml`, which the engine does not read.
            problems.push(`Pulumi.${stack}.yml: a stack file is named ${file}`);
            continue;
        }
        let config: Record<string, string>;
        let project: string;
        try {
            ({ config, project } = readStackConfigFiles(projectDir, stack, { configDir }));
        } catch (err) {
            problems.push((err as Error).message);
            continue;
        }
        const environmentKey = `${project}:environment`;
        const environment = config[environmentKey];
        const region = config["aws:region"];
        const tier = DEPLOY_ORDER.find((t) => t.valueOf() === environment);
        if (tier === undefined) {
            problems.push(`${file}: ${environmentKey}: ${environment === undefined ? "missing" : `got ${JSON.stringify(environment)}`}; expected one of ${DEPLOY_ORDER.join(", ")}`);
        }
        if (region === undefined || !REGION.test(region)) {
            problems.push(`${file}: aws:region: ${region === undefined ? "missing" : `got ${JSON.stringify(region)}`}; expected a region such as us-east-1`);
        }
        if (tier !== undefined && region !== undefined && REGION.test(region)) {
            found.push({ stack, environment: tier, region });
        }
    }
    if (problems.length === 0) {
        for (const tier of DEPLOY_ORDER) {
            if (!found.some((s) => s.environment === tier)) {
                problems.push(
                    `no stack file in ${configDir} sets platform:environment ${tier}: the deploy updates every ${DEPLOY_ORDER.join(" stack, then every ")} stack, and an empty tier would stop it`,
                );
            }
        }
    }
    if (problems.length > 0) {
        throw new StackFileError(problems.join("\n"));
    }
    const rank = (s: FoundStack) => DEPLOY_ORDER.indexOf(s.environment);
    return found.sort((a, b) => rank(a) - rank(b) || (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
}

/** The stacks of each environment tier, in deploy order. */
export function stacksByTier(stacks: readonly FoundStack[]): Record<Environment, FoundStack[]> {
    return Object.fromEntries(DEPLOY_ORDER.map((tier) => [tier, stacks.filter((s) => s.environment === tier)])) as Record<Environment, FoundStack[]>;
}

/** The `name=value` lines for $GITHUB_OUTPUT: `stacks`, then one per tier, each value one line of JSON. */
export function githubOutput(stacks: readonly FoundStack[]): string {
    const byTier = stacksByTier(stacks);
    const lines = [`stacks=${JSON.stringify(stacks)}`, ...DEPLOY_ORDER.map((tier) => `${tier}=${JSON.stringify(byTier[tier])}`)];
    return `${lines.join("\n")}\n`;
}

function main(argv: string[]): number {
    let values;
    try {
        values = parseArgs({ args: argv, options: { "config-dir": { type: "string" }, "github-output": { type: "boolean" } }, strict: true }).values;
    } catch (err) {
        console.error(`${(err as Error).message}\n${USAGE}`);
        return 2;
    }
    let stacks: FoundStack[];
    try {
        stacks = findStacks({ configDir: values["config-dir"] ? resolve(values["config-dir"]) : undefined });
    } catch (err) {
        if (err instanceof StackFileError) {
            console.error(err.message);
            return 2;
        }
        throw err;
    }
    process.stdout.write(values["github-output"] ? githubOutput(stacks) : `${JSON.stringify(stacks, null, 2)}\n`);
    return 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
