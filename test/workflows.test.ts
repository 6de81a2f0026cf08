/**
 * The CI/CD workflows in .github/workflows, read as GitHub reads them (YAML 1.2) and with each
 * matrix expanded into the jobs GitHub would start: what runs, in which order, with which
 * credentials. The matrices come from the stack-discovery job (tools/stacks.ts): its output is
 * computed here in-process, for the repository's stack files and again for those files plus two
 * stacks whose names are not their environment tier and whose regions are not us-east-1, so a
 * stack list, a region or a policy config written into a workflow by hand shows.
 * Offline: no GitHub, no Pulumi CLI, no child process.
 */
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { findStacks, FoundStack, githubOutput } from "../tools/stacks";

interface Step { id?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> }
interface Concurrency { group: string; "cancel-in-progress"?: unknown }
type Permissions = string | Record<string, string>;
interface Job {
    "runs-on"?: unknown; needs?: string | string[]; if?: string; environment?: string | { name: string }; permissions?: Permissions;
    concurrency?: string | Concurrency; strategy?: { "fail-fast"?: unknown; matrix?: Record<string, unknown> | string }; steps?: Step[];
    outputs?: Record<string, string>;
}
interface Workflow { on: unknown; permissions?: Permissions; concurrency?: string | Concurrency; jobs: Record<string, Job> }
/** One job as GitHub starts it: a job, or one combination of its matrix with `${{ matrix.* }}` filled in. */
interface JobRun { file: string; id: string; job: Job }
type Combination = Record<string, string>;

const ROOT = join(__dirname, "..");
const WORKFLOW_DIR = join(ROOT, ".github", "workflows");
const PR = "pull-request.yml";
const DEPLOY = "deploy.yml";

const files = readdirSync(WORKFLOW_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const texts = new Map(files.map((f) => [f, readFileSync(join(WORKFLOW_DIR, f), "utf8")]));
/** Each workflow, or the error that kept it from parsing (a test reports it; the other files still get tested). */
const workflows = new Map(files.map((f) => [f, attempt(() => parse(texts.get(f)!) as Workflow)]));
function workflow(file: string): Workflow {
    const parsed = workflows.get(file) ?? assert.fail(`${file} is missing from .github/workflows`);
    if (parsed instanceof Error) throw parsed;
    return parsed;
}
function attempt<T>(fn: () => T): T | Error {
    try {
        return fn();
    } catch (err) {
        return err as Error;
    }
}

/** A value as the workflow text gives it: `true` and `"true"` alike. */
const scalar = (value: unknown): string => (value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value));

/** The deploy order of the environment tiers: every stack of a tier only after every stack of the tier before. */
const TIER_ORDER = ["dev", "staging", "prod"];

/** What a stack file says, read here on its own (not through tools/stacks.ts). */
interface StackFacts { environment: string; region: string }
/** The `Pulumi.<stack>.yaml` files of a directory, each with its `platform:environment` and `aws:region`. */
function stackFilesIn(dir: string): Map<string, StackFacts> {
    const stacks = readdirSync(dir).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []).sort();
    return new Map(stacks.map((stack) => {
        const file = parse(readFileSync(join(dir, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
        return [stack, { environment: scalar(file.config?.["platform:environment"]), region: scalar(file.config?.["aws:region"]) }];
    }));
}

/**
 * A set of stack files and what the discovery script finds in them. The workflows are expanded
 * for each: the repository's files, and those plus two stacks named unlike their tiers.
 */
interface Scenario { name: string; stacks: Map<string, StackFacts>; found: FoundStack[] | Error }
/** Stacks are the `Pulumi.<stack>.yaml` files in the repository root. */
const SHIPPED = stackFilesIn(ROOT);
const STACKS = [...SHIPPED.keys()];
const EXTRA_STACKS: Record<string, StackFacts> = { "prod-eu": { environment: "prod", region: "eu-west-1" }, sandbox: { environment: "dev", region: "us-west-2" } };
const extendedDir = mkdtempSync(join(tmpdir(), "platform-workflows-"));
for (const stack of STACKS) copyFileSync(join(ROOT, `Pulumi.${stack}.yaml`), join(extendedDir, `Pulumi.${stack}.yaml`));
for (const [stack, { environment, region }] of Object.entries(EXTRA_STACKS)) {
    writeFileSync(join(extendedDir, `Pulumi.${stack}.yaml`), `config:\n  aws:region: ${region}\n  platform:environment: ${environment}\n`);
}
const SCENARIOS: Scenario[] = [
    { name: "the stack files", stacks: SHIPPED, found: attempt(() => findStacks()) },
    { name: `with ${Object.keys(EXTRA_STACKS).join(" and ")} added`, stacks: stackFilesIn(extendedDir), found: attempt(() => findStacks({ configDir: extendedDir })) },
];
const factsOf = (scenario: Scenario, stack: string) => scenario.stacks.get(stack) ?? assert.fail(`${scenario.name}: no Pulumi.${stack}.yaml`);
const stacksOfTier = (scenario: Scenario, tier: string) => [...scenario.stacks].filter(([, f]) => f.environment === tier).map(([stack]) => stack).sort();

/** The Node.js major the Pulumi SDK declares (`engines.node` in the lock file), which the CLI runs the program with. */
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { engines?: { node?: string } }> };
const SDK_NODE_MAJOR = Number(/>=\s*(\d+)/.exec(lock.packages["node_modules/@pulumi/pulumi"]?.engines?.node ?? "")?.[1] ?? 0);

/** The step that lists the stacks into the job's outputs, as the workflows must run it. */
const DISCOVER = /^node --require \.\/tools\/register-ts\.cjs tools\/stacks\.ts --github-output >> "\$GITHUB_OUTPUT"$/;
const discoveryStep = (job: Job) => job.steps?.find((s) => runsLine(s, DISCOVER));
/** The ids of a workflow's stack-discovery jobs. */
const discoveryJobs = (file: string) => Object.entries(workflow(file).jobs).filter(([, job]) => discoveryStep(job)).map(([id]) => id);

/** A job's outputs as GitHub sets them, when the job is the discovery job: each `${{ steps.<id>.outputs.<name> }}` from what the script prints. */
function discoveryOutputs(file: string, id: string, scenario: Scenario): Record<string, string> {
    const job = workflow(file).jobs[id] ?? assert.fail(`${file}: no job ${id}`);
    const step = discoveryStep(job) ?? assert.fail(`${file} ${id}: its outputs are not the stack-discovery script's`);
    if (scenario.found instanceof Error) throw scenario.found;
    const printed = new Map(githubOutput(scenario.found).trimEnd().split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
    return Object.fromEntries(Object.entries(job.outputs ?? {}).map(([name, value]) => {
        const ref = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$/.exec(scalar(value)) ?? assert.fail(`${file} ${id}: outputs.${name} is not a step's output`);
        assert.equal(ref[1], step.id, `${file} ${id}: outputs.${name} must come from the discovery step`);
        return [name, printed.get(ref[2]) ?? assert.fail(`${file} ${id}: outputs.${name}: tools/stacks.ts prints no ${ref[2]}`)];
    }));
}

/** `${{ fromJSON(needs.<job>.outputs.<name>) }}`, the only expression a matrix here may hold. */
const FROM_NEEDS = /^\$\{\{\s*fromJSON\(\s*needs\.([\w-]+)\.outputs\.([\w-]+)\s*\)\s*\}\}$/;
/** A matrix value as GitHub evaluates it: literal, or the JSON a needed job's output holds. */
function evaluate(file: string, id: string, job: Job, value: unknown, scenario: Scenario): unknown {
    if (typeof value !== "string" || !value.includes("${{")) return value;
    const ref = FROM_NEEDS.exec(value.trim()) ?? assert.fail(`${file} ${id}: cannot evaluate ${value}`);
    assert.ok(needsOf(job).includes(ref[1]), `${file} ${id}: reads needs.${ref[1]} but does not need ${ref[1]}`);
    const output = discoveryOutputs(file, ref[1], scenario)[ref[2]] ?? assert.fail(`${file} ${id}: ${ref[1]} has no output ${ref[2]}`);
    return JSON.parse(output);
}

/** GitHub's matrix expansion: the product of the list-valued keys, minus `exclude`, plus `include`. */
function expandMatrix(matrix: Record<string, unknown> | undefined): Combination[] {
    if (!matrix) return [{}];
    const { include = [], exclude = [], ...axes } = matrix as { include?: Combination[]; exclude?: Combination[] };
    let combos: Combination[] = Object.keys(axes).length ? [{}] : [];
    for (const [key, values] of Object.entries(axes)) {
        assert.ok(Array.isArray(values), `matrix.${key} must be a list`);
        combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: String(v) })));
    }
    const agrees = (c: Combination, entry: Combination, keys: string[]) => keys.every((k) => !(k in entry) || String(entry[k]) === c[k]);
    combos = combos.filter((c) => !exclude.some((e) => agrees(c, e, Object.keys(e))));
    const added: Combination[] = [];
    for (const entry of include) {
        // An entry extends every combination of the axes whose original values it keeps; otherwise
        // it is a new one (so with no axes, as here, each entry is a job of its own).
        const extended = combos.filter((c) => agrees(c, entry, Object.keys(axes)));
        if (extended.length) extended.forEach((c) => Object.assign(c, entry));
        else added.push({ ...entry });
    }
    return [...combos, ...added];
}

/** The matrix with its expressions evaluated: the whole matrix, `include`, `exclude` or an axis may come from a needed job. */
function evaluatedMatrix(file: string, id: string, job: Job, scenario: Scenario): Record<string, unknown> | undefined {
    const raw = job.strategy?.matrix;
    if (raw === undefined) return undefined;
    const matrix = evaluate(file, id, job, raw, scenario) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(matrix).map(([key, value]) => [key, evaluate(file, id, job, value, scenario)]));
}

const runCache = new Map<string, JobRun[]>();
function jobRuns(file: string, scenario: Scenario = SCENARIOS[0]): JobRun[] {
    const key = `${file}\0${scenario.name}`;
    if (!runCache.has(key)) {
        runCache.set(key, Object.entries(workflow(file).jobs ?? {}).flatMap(([id, job]) => {
            const matrix = evaluatedMatrix(file, id, job, scenario);
            const combos = expandMatrix(matrix);
            // GitHub fails a job whose matrix has no combination.
            assert.ok(combos.length > 0, `${file} ${id}: the matrix is empty`);
            return combos.map((combo) => {
                const text = JSON.stringify(job).replace(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g, (_, key: string) =>
                    combo[key] ?? assert.fail(`${file} ${id}: matrix.${key} is not in the matrix`));
                return { file, id, job: JSON.parse(text) as Job };
            });
        }));
    }
    return runCache.get(key)!;
}

const usesAction = (step: Step, action: string) => step.uses?.split("@")[0] === action;
const runsLine = (step: Step, line: RegExp) => (step.run ?? "").split("\n").some((l) => line.test(l.trim()));
const stepIndex = (job: Job, test: (s: Step) => boolean) => (job.steps ?? []).findIndex(test);
const pulumiStep = (job: Job) => job.steps?.find((s) => usesAction(s, "pulumi/actions"));
const pulumiInput = (job: Job, input: string) => scalar(pulumiStep(job)?.with?.[input]);
const stackOf = (run: JobRun) => pulumiInput(run.job, "stack-name").split("/").pop()!;
const needsOf = (job: Job) => [job.needs ?? []].flat();
const permissionsOf = (run: JobRun) => (run.job.permissions ?? workflow(run.file).permissions ?? {}) as Record<string, string>;
const triggersOf = (wf: Workflow) => (typeof wf.on === "string" ? [wf.on] : Array.isArray(wf.on) ? wf.on.map(String) : Object.keys(wf.on as object)).sort();
/** Every job run that calls pulumi/actions, in every workflow that parses and expands (the others fail their own tests). */
const pulumiRunsOf = (scenario: Scenario) => files.flatMap((f) => {
    const runs = attempt(() => jobRuns(f, scenario));
    return runs instanceof Error ? [] : runs.filter((r) => pulumiStep(r.job));
});

/** The test job of both workflows: a clean install, then the same checks as `.ci/run`, in order. */
function assertTestsBeforeAnythingElse(file: string): void {
    const test = workflow(file).jobs.test ?? assert.fail(`${file}: no job "test"`);
    const order = [/^npm ci\b/, /^npm run typecheck$/, /^npm run lint$/, /^npm test$/].map((cmd) => stepIndex(test, (s) => runsLine(s, cmd)));
    assert.ok(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1])), `${file}: npm ci, typecheck, lint, test at steps ${order.join(", ")}`);
}

describe("CI/CD workflows", function () {
    after(function () {
        rmSync(extendedDir, { recursive: true, force: true });
    });

    it("include the pull-request and deploy workflows, both running Pulumi on the repository's stacks", function () {
        assert.ok(workflows.has(PR) && workflows.has(DEPLOY), `found ${files.join(", ")}`);
        assert.ok(STACKS.length > 0);
        const runs = pulumiRunsOf(SCENARIOS[0]);
        assert.ok(runs.some((r) => r.file === PR) && runs.some((r) => r.file === DEPLOY));
    });

    for (const file of files) {
        describe(file, function () {
            it("parses, and every `${{ matrix.* }}` it uses is defined by its job's matrix", function () {
                for (const scenario of SCENARIOS) jobRuns(file, scenario);
            });

            it("has triggers and jobs, each job with a runner and steps that either use an action or run a command", function () {
                const wf = workflow(file);
                assert.ok(wf.on, "no `on`");
                assert.ok(Object.keys(wf.jobs ?? {}).length > 0, "no jobs");
                for (const [id, job] of Object.entries(wf.jobs)) {
                    assert.ok(job["runs-on"], `${id}: no runs-on`);
                    assert.ok((job.steps ?? []).length > 0, `${id}: no steps`);
                    for (const step of job.steps!) assert.ok(!step.uses !== !step.run, `${id}: step ${JSON.stringify(step)} needs exactly one of uses/run`);
                }
            });

            it("pins every action to a version tag or a full commit SHA", function () {
                for (const job of Object.values(workflow(file).jobs)) {
                    for (const { uses } of job.steps ?? []) {
                        if (uses) assert.match(uses, /^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
                    }
                }
            });

            it("holds no long-lived AWS keys or Pulumi token, and lets the workflow only read the repository", function () {
                assert.doesNotMatch(texts.get(file)!, /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|PULUMI_ACCESS_TOKEN|aws-access-key-id|aws-secret-access-key/i);
                assert.deepEqual(workflow(file).permissions, { contents: "read" });
            });

            it("finds the stacks in one job: tools/stacks.ts after a clean install, its outputs the script's, no credentials", function () {
                const ids = discoveryJobs(file);
                assert.equal(ids.length, 1, `discovery jobs: ${ids.join(", ") || "none"}`);
                const job = workflow(file).jobs[ids[0]];
                const find = stepIndex(job, (s) => runsLine(s, DISCOVER));
                assert.ok(stepIndex(job, (s) => runsLine(s, /^npm ci\b/)) < find && stepIndex(job, (s) => runsLine(s, /^npm ci\b/)) >= 0, "npm ci before the script");
                assert.ok(job.steps![find].id, "the discovery step needs an id for its outputs");
                assert.equal(job.strategy, undefined);
                assert.ok(Object.keys(job.outputs ?? {}).length > 0, "no outputs");
                for (const scenario of SCENARIOS) discoveryOutputs(file, ids[0], scenario);
                const [run] = jobRuns(file).filter((r) => r.id === ids[0]);
                assert.equal(permissionsOf(run)["id-token"], undefined, "no OIDC token to list files");
                assert.ok(!job.steps!.some((s) => usesAction(s, "aws-actions/configure-aws-credentials") || usesAction(s, "pulumi/auth-actions")));
            });

            it("builds every matrix from the discovery job's output, never from a list of stacks written here", function () {
                const [discovery] = discoveryJobs(file);
                for (const [id, job] of Object.entries(workflow(file).jobs)) {
                    const runsStacks = Boolean(pulumiStep(job) || job.steps?.some((s) => /npm run (?:--silent )?plan -- /.test(s.run ?? "")));
                    if (!runsStacks) {
                        assert.equal(job.strategy?.matrix, undefined, `${id}: a matrix outside the stack jobs`);
                        continue;
                    }
                    const matrix = job.strategy?.matrix as Record<string, unknown> | undefined;
                    assert.deepEqual(Object.keys(matrix ?? {}), ["include"], `${id}: the matrix is only \`include\` from the discovery job`);
                    const ref = FROM_NEEDS.exec(scalar(matrix!.include).trim()) ?? assert.fail(`${id}: matrix.include is not fromJSON(needs.<job>.outputs.<name>)`);
                    assert.equal(ref[1], discovery, `${id}: matrix.include from ${ref[1]}`);
                }
            });
        });
    }

    describe("the stack-discovery script", function () {
        for (const scenario of SCENARIOS) {
            it(`${scenario.name}: finds every stack file with its environment and region, the tiers in deploy order`, function () {
                if (scenario.found instanceof Error) throw scenario.found;
                const rank = (stack: string) => TIER_ORDER.indexOf(factsOf(scenario, stack).environment);
                const expected = [...scenario.stacks.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))
                    .map((stack) => ({ stack, ...factsOf(scenario, stack) }));
                assert.deepEqual(scenario.found, expected);
            });
        }
    });

    for (const scenario of SCENARIOS) {
        describe(`every job that runs Pulumi (${scenario.name})`, function () {
            for (const run of pulumiRunsOf(scenario)) {
                const label = `${run.file} ${run.id} (${stackOf(run)})`;

                it(`${label}: installs with npm ci, then gets AWS (in the stack's region) and Pulumi Cloud credentials through OIDC`, function () {
                    const { job } = run;
                    assert.equal(permissionsOf(run)["id-token"], "write");
                    const install = stepIndex(job, (s) => runsLine(s, /^npm ci\b/));
                    const aws = stepIndex(job, (s) => usesAction(s, "aws-actions/configure-aws-credentials"));
                    const auth = stepIndex(job, (s) => usesAction(s, "pulumi/auth-actions"));
                    const pulumi = stepIndex(job, (s) => usesAction(s, "pulumi/actions"));
                    assert.ok(install >= 0 && aws > install && auth > install, "npm ci must run before any credential exists");
                    assert.ok(pulumi > aws && pulumi > auth, "credentials must come before the Pulumi step");
                    const awsInputs = job.steps![aws].with ?? {};
                    assert.match(scalar(awsInputs["role-to-assume"]), /^\$\{\{\s*vars\.\w+\s*\}\}$/);
                    assert.equal(scalar(awsInputs["aws-region"]), factsOf(scenario, stackOf(run)).region, "aws-region is the stack's aws:region");
                    const authInputs = job.steps![auth].with ?? {};
                    assert.match(scalar(authInputs["requested-token-type"]), /^urn:pulumi:token-type:access_token:(organization|team|personal)$/);
                    assert.equal(pulumiInput(job, "stack-name"), `${scalar(authInputs.organization)}/${stackOf(run)}`, "the token's organization owns the stack");
                });

                it(`${label}: runs a stack with a stack file, with the policy pack and its environment's policy config`, function () {
                    const { environment } = factsOf(scenario, stackOf(run));
                    assert.ok(pulumiInput(run.job, "command"), "command");
                    assert.equal(pulumiInput(run.job, "policyPacks"), "policies");
                    const config = `policies/config/${environment}.json`;
                    assert.equal(pulumiInput(run.job, "policyPackConfigs"), config, "the config of the stack's platform:environment, not of its name");
                    assert.ok(existsSync(join(ROOT, config)), `${config} does not exist`);
                });

                it(`${label}: sets up a Node.js the Pulumi SDK supports before installing`, function () {
                    const setup = stepIndex(run.job, (s) => usesAction(s, "actions/setup-node"));
                    assert.ok(setup >= 0 && setup < stepIndex(run.job, (s) => runsLine(s, /^npm ci\b/)));
                    assert.ok(SDK_NODE_MAJOR > 0, "engines.node of @pulumi/pulumi not found in package-lock.json");
                    assert.ok(Number(run.job.steps![setup].with?.["node-version"]) >= SDK_NODE_MAJOR, `Node.js ${SDK_NODE_MAJOR} or newer`);
                });
            }
        });
    }

    it("runs `pulumi up` (or anything but preview) only in deploy.yml", function () {
        for (const run of pulumiRunsOf(SCENARIOS[0]).filter((r) => r.file !== DEPLOY)) assert.equal(pulumiInput(run.job, "command"), "preview", `${run.file} ${run.id}`);
    });

    describe(PR, function () {
        const PLAN = /npm run (?:--silent )?plan -- /;
        const planRuns = (scenario: Scenario) => jobRuns(PR, scenario).filter((r) => r.job.steps?.some((s) => PLAN.test(s.run ?? "")));
        const planScript = (j: Job) => j.steps!.find((s) => PLAN.test(s.run ?? ""))!.run!;

        it("runs on pull requests to main, and a new push cancels the run of the previous one", function () {
            const wf = workflow(PR);
            assert.deepEqual(triggersOf(wf), ["pull_request"]);
            assert.deepEqual((wf.on as { pull_request: { branches: string[] } }).pull_request.branches, ["main"]);
            const concurrency = wf.concurrency as Concurrency;
            assert.match(concurrency.group, /github\.event\.pull_request\.number|github\.head_ref/);
            assert.equal(concurrency["cancel-in-progress"], true);
        });

        it("type-checks, lints and tests after a clean install, in that order", function () {
            assertTestsBeforeAnythingElse(PR);
        });

        it("plans every stack that has a stack file, writing plan-<stack>.json", function () {
            for (const scenario of SCENARIOS) {
                const planned = planRuns(scenario).map((r) => /--stack (\S+) --json (\S+)/.exec(planScript(r.job)) ?? assert.fail(`${r.id}: --stack and --json`));
                for (const [, stack, json] of planned) assert.equal(json, `plan-${stack}.json`);
                assert.deepEqual(planned.map(([, stack]) => stack).sort(), [...scenario.stacks.keys()], scenario.name);
            }
        });

        it("writes each plan's report to the job summary under a heading per stack, then fails on the plan's exit code", function () {
            for (const run of SCENARIOS.flatMap(planRuns)) {
                const script = planScript(run.job);
                const stack = /--stack (\S+)/.exec(script)![1];
                const planAt = script.search(PLAN);
                assert.ok(script.lastIndexOf("set +e", planAt) >= 0, "-e would end the step before the summary");
                const saved = /(\w+)=\$\{PIPESTATUS\[0\]\}/.exec(script) ?? assert.fail("the plan's exit code is not kept");
                assert.ok(script.indexOf(">> \"$GITHUB_STEP_SUMMARY\"") > planAt, "no summary after the plan");
                assert.match(script, new RegExp(`echo "#{2,4} [^"]*\\b${stack}\\b`), "a heading naming the stack");
                assert.match(script, /echo '```text'/);
                assert.equal(script.trim().split("\n").pop()!.trim(), `exit "$${saved[1]}"`);
            }
        });

        it("uploads each stack's plan JSON as its own artifact, also when the plan failed", function () {
            for (const scenario of SCENARIOS) {
                const names = planRuns(scenario).map((r) => {
                    const stack = /--stack (\S+)/.exec(planScript(r.job))![1];
                    const upload = r.job.steps!.find((s) => usesAction(s, "actions/upload-artifact")) ?? assert.fail(`no upload for ${stack}`);
                    assert.match(scalar(upload.if), /always\(\)|!cancelled\(\)/);
                    assert.equal(upload.with?.path, `plan-${stack}.json`);
                    return scalar(upload.with?.name);
                });
                assert.equal(new Set(names).size, names.length, `${scenario.name}: artifact names must differ per stack`);
            }
        });

        it("previews every stack after the tests and plans pass, commenting on the pull request", function () {
            const [discovery] = discoveryJobs(PR);
            for (const scenario of SCENARIOS) {
                const previews = jobRuns(PR, scenario).filter((r) => pulumiStep(r.job));
                assert.deepEqual(previews.map(stackOf).sort(), [...scenario.stacks.keys()], scenario.name);
                for (const run of previews) {
                    assert.deepEqual(needsOf(run.job).sort(), [discovery, "plan", "test"].sort());
                    assert.equal(run.job.strategy?.["fail-fast"], false);
                    assert.equal(pulumiInput(run.job, "command"), "preview");
                    assert.equal(pulumiInput(run.job, "comment-on-pr"), "true");
                    assert.ok(pulumiInput(run.job, "github-token"));
                    assert.equal(permissionsOf(run)["pull-requests"], "write");
                }
            }
        });
    });

    describe(DEPLOY, function () {
        const ups = (scenario: Scenario) => jobRuns(DEPLOY, scenario).filter((r) => pulumiInput(r.job, "command") === "up");
        const environmentOf = (run: JobRun) => (typeof run.job.environment === "string" ? run.job.environment : run.job.environment?.name);

        it("runs on pushes to main and by hand, and updates only from main", function () {
            const wf = workflow(DEPLOY);
            assert.deepEqual(triggersOf(wf), ["push", "workflow_dispatch"]);
            assert.deepEqual((wf.on as { push: { branches: string[] } }).push.branches, ["main"]);
            for (const run of ups(SCENARIOS[0])) assert.match(scalar(run.job.if), /github\.ref == 'refs\/heads\/main'/, run.id);
        });

        it("updates every stack that has a stack file, each in the GitHub environment of its environment tier", function () {
            for (const scenario of SCENARIOS) {
                assert.deepEqual(ups(scenario).map(stackOf).sort(), [...scenario.stacks.keys()], scenario.name);
                for (const run of ups(scenario)) {
                    // For the repository's stacks, the tier is also the stack's name: dev, staging, prod.
                    assert.equal(environmentOf(run), factsOf(scenario, stackOf(run)).environment, `${scenario.name}: ${run.id} (${stackOf(run)})`);
                }
            }
        });

        it("tests first, then updates every dev stack, then every staging stack, then every prod stack, each tier only after the one before", function () {
            assertTestsBeforeAnythingElse(DEPLOY);
            const [discovery] = discoveryJobs(DEPLOY);
            for (const scenario of SCENARIOS) {
                const runs = ups(scenario);
                const tierJobs = TIER_ORDER.map((tier) => {
                    const ids = [...new Set(runs.filter((r) => factsOf(scenario, stackOf(r)).environment === tier).map((r) => r.id))];
                    assert.equal(ids.length, 1, `${scenario.name}: the ${tier} stacks are updated by one job, not by ${ids.join(", ") || "none"}`);
                    const updated = runs.filter((r) => r.id === ids[0]).map(stackOf).sort();
                    assert.deepEqual(updated, stacksOfTier(scenario, tier), `${scenario.name}: ${ids[0]} updates the ${tier} stacks and only them`);
                    return ids[0];
                });
                tierJobs.forEach((id, i) => {
                    const job = workflow(DEPLOY).jobs[id];
                    const before = i === 0 ? "test" : tierJobs[i - 1];
                    assert.deepEqual(needsOf(job).sort(), [before, discovery].sort(), `${id} (${TIER_ORDER[i]}) needs ${before}`);
                });
            }
        });

        it("never cancels a running update: one concurrency group per stack, cancel-in-progress false, no fail-fast", function () {
            const top = workflow(DEPLOY).concurrency;
            assert.ok(top === undefined || (typeof top === "object" && top["cancel-in-progress"] === false), "workflow-level concurrency");
            for (const scenario of SCENARIOS) {
                const groups = ups(scenario).map((run) => {
                    const c = run.job.concurrency;
                    assert.ok(typeof c === "object" && c["cancel-in-progress"] === false, `${run.id}: cancel-in-progress must be false`);
                    assert.ok(c.group.includes(stackOf(run)), `${run.id}: group names its stack`);
                    // A failed stack must not cancel the running updates of its tier's other stacks.
                    assert.equal(run.job.strategy?.["fail-fast"], false, `${run.id}: fail-fast must be false`);
                    return c.group;
                });
                assert.equal(new Set(groups).size, groups.length, scenario.name);
            }
        });
    });
});
