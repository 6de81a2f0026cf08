/**
 * `npm run policy-check -- --resources <file.json> --environment <env>`
 *
 * Runs the policy pack on a JSON array of resources in plan.json's `resources` shape (or on a
 * whole plan.json) with the environment's policy config, and prints the violations as JSON.
 * Exit 0 whatever it finds; 1 when the pack could not run; 2 on bad usage or an unreadable file.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { PolicyInputResource, PolicyRunError, runPolicyPack } from "./policyRunner";

const USAGE = "usage: npm run policy-check -- --resources <file.json> --environment <dev|staging|prod>";

function readResources(file: string): PolicyInputResource[] {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
    const list = Array.isArray(parsed) ? parsed : (parsed as { resources?: unknown }).resources;
    if (!Array.isArray(list)) {
        throw new Error(`${file}: expected a JSON array of resources, or a plan.json with a "resources" array`);
    }
    list.forEach((r: Partial<PolicyInputResource>, i) => {
        if (typeof r.urn !== "string" || typeof r.type !== "string" || typeof r.inputs !== "object" || r.inputs === null) {
            throw new Error(`${file}: resource [${i}] needs at least "urn", "type" and "inputs"`);
        }
    });
    return (list as Array<Partial<PolicyInputResource> & Pick<PolicyInputResource, "urn" | "type" | "inputs">>).map((r) => ({
        name: r.urn.split("::").pop()!,
        parent: null,
        provider: null,
        dependencies: [],
        protect: false,
        ...r,
    }));
}

async function main(argv: string[]): Promise<number> {
    let options;
    try {
        options = parseArgs({ args: argv, options: { resources: { type: "string" }, environment: { type: "string" } }, strict: true }).values;
    } catch (err) {
        console.error(`${(err as Error).message}\n${USAGE}`);
        return 2;
    }
    if (!options.resources || !options.environment) {
        console.error(USAGE);
        return 2;
    }
    let resources: PolicyInputResource[];
    try {
        resources = readResources(options.resources);
    } catch (err) {
        console.error((err as Error).message);
        return 2;
    }
    try {
        const run = await runPolicyPack(resources, { environment: options.environment });
        console.log(JSON.stringify(run.violations, null, 2));
        return 0;
    } catch (err) {
        if (err instanceof PolicyRunError) {
            console.error(err.message);
            return 1;
        }
        throw err;
    }
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
        console.error(err);
        process.exit(1);
    },
);
