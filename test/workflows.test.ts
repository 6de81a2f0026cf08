/**
 * The CI/CD workflows in .github/workflows, read as GitHub reads them (YAML 1.2) and with each
 * matrix expanded into the jobs GitHub would start: what runs, in which order, with which
 * credentials. Offline: no GitHub, no Pulumi CLI, no child process.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

interface Step { uses?: string; run?: string; if?: string; with?: Record<string, unknown> }
interface Concurrency { group: string; "cancel-in-progress"?: unknown }
type Permissions = string | Record<string, string>;
interface Job {
    "runs-on"?: unknown; needs?: string | string[]; if?: string; environment?: string | { name: string }; permissions?: Permissions;
    concurrency?: string | Concurrency; strategy?: { "fail-fast"?: unknown; matrix?: Record<string, unknown> }; steps?: Step[];
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

/** Stacks are the `Pulumi.<stack>.yaml` files in the repository root. */
const STACKS = readdirSync(ROOT).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []).sort();
function environmentOf(stack: string): string {
    const file = parse(readFileSync(join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
    return scalar(file.config?.["platform:environment"]);
}
/** The Node.js major the Pulumi SDK declares (`engines.node` in the lock file), which the CLI runs the program with. */
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { engines?: { node?: string } }> };
const SDK_NODE_MAJOR = Number(/>=\s*(\d+)/.exec(lock.packages["node_modules/@pulumi/pulumi"]?.engines?.node ?? "")?.[1] ?? 0);

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
    for (const entry of include) {
        // An entry extends every combination whose original values it keeps; otherwise it is a new one.
        const extended = combos.filter((c) => agrees(c, entry, Object.keys(axes)));
        if (extended.length) extended.forEach((c) => Object.assign(c, entry));
        else combos.push({ ...entry });
    }
    return combos;
}

function jobRuns(file: string): JobRun[] {
    return Object.entries(workflow(file).jobs ?? {}).flatMap(([id, job]) =>
        expandMatrix(job.strategy?.matrix).map((combo) => {
            const text = JSON.stringify(job).replace(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g, (_, key: string) =>
                combo[key] ?? assert.fail(`${file} ${id}: matrix.${key} is not in the matrix`));
            return { file, id, job: JSON.parse(text) as Job };
        }));
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
/** Every job run that calls pulumi/actions, in every workflow that parses (the others fail their own tests). */
const pulumiRuns = files.flatMap((f) => {
    const runs = attempt(() => jobRuns(f));
    return runs instanceof Error ? [] : runs.filter((r) => pulumiStep(r.job));
});

/** The test job of both workflows: a clean install, then the same checks as `.ci/run`, in order. */
function assertTestsBeforeAnythingElse(file: string): void {
    const test = workflow(file).jobs.test ?? assert.fail(`${file}: no job "test"`);
    const order = [/^npm ci\b/, /^npm run typecheck$/, /^npm run lint$/, /^npm test$/].map((cmd) => stepIndex(test, (s) => runsLine(s, cmd)));
    assert.ok(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1])), `${file}: npm ci, typecheck, lint, test at steps ${order.join(", ")}`);
}

describe("CI/CD workflows", function () {
    it("include the pull-request and deploy workflows, both running Pulumi on the repository's stacks", function () {
        assert.ok(workflows.has(PR) && workflows.has(DEPLOY), `found ${files.join(", ")}`);
        assert.ok(STACKS.length > 0);
        assert.ok(pulumiRuns.some((r) => r.file === PR) && pulumiRuns.some((r) => r.file === DEPLOY));
    });

    for (const file of files) {
        describe(file, function () {
            it("parses, and every `${{ matrix.* }}` it uses is defined by its job's matrix", function () {
                jobRuns(file);
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
        });
    }

    describe("every job that runs Pulumi", function () {
        for (const run of pulumiRuns) {
            const label = `${run.file} ${run.id} (${stackOf(run)})`;

            it(`${label}: installs with npm ci, then gets AWS and Pulumi Cloud credentials through OIDC`, function () {
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
                assert.ok(awsInputs["aws-region"], "aws-region");
                const authInputs = job.steps![auth].with ?? {};
                assert.match(scalar(authInputs["requested-token-type"]), /^urn:pulumi:token-type:access_token:(organization|team|personal)$/);
                assert.equal(pulumiInput(job, "stack-name"), `${scalar(authInputs.organization)}/${stackOf(run)}`, "the token's organization owns the stack");
            });

            it(`${label}: runs a stack with a stack file, with the policy pack and its environment's policy config`, function () {
                const stack = stackOf(run);
                assert.ok(STACKS.includes(stack), `no Pulumi.${stack}.yaml`);
                assert.ok(pulumiInput(run.job, "command"), "command");
                assert.equal(pulumiInput(run.job, "policyPacks"), "policies");
                const config = `policies/config/${environmentOf(stack)}.json`;
                assert.equal(pulumiInput(run.job, "policyPackConfigs"), config);
                assert.ok(existsSync(join(ROOT, config)), `${config} does not exist`);
            });

            it(`${label}: sets up a Node.js the Pulumi SDK supports before installing`, function () {
                const setup = stepIndex(run.job, (s) => usesAction(s, "actions/setup-node"));
                assert.ok(setup >= 0 && setup < stepIndex(run.job, (s) => runsLine(s, /^npm ci\b/)));
                assert.ok(SDK_NODE_MAJOR > 0, "engines.node of @pulumi/pulumi not found in package-lock.json");
                assert.ok(Number(run.job.steps![setup].with?.["node-version"]) >= SDK_NODE_MAJOR, `Node.js ${SDK_NODE_MAJOR} or newer`);
            });
        }

        it("runs `pulumi up` (or anything but preview) only in deploy.yml", function () {
            for (const run of pulumiRuns.filter((r) => r.file !== DEPLOY)) assert.equal(pulumiInput(run.job, "command"), "preview", `${run.file} ${run.id}`);
        });
    });

    describe(PR, function () {
        const runs = () => jobRuns(PR);
        const PLAN = /npm run (?:--silent )?plan -- /;
        const planRuns = () => runs().filter((r) => r.job.steps?.some((s) => PLAN.test(s.run ?? "")));
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
            const planned = planRuns().map((r) => /--stack (\S+) --json (\S+)/.exec(planScript(r.job)) ?? assert.fail(`${r.id}: --stack and --json`));
            for (const [, stack, json] of planned) assert.equal(json, `plan-${stack}.json`);
            assert.deepEqual(planned.map(([, stack]) => stack).sort(), STACKS);
        });

        it("writes each plan's report to the job summary under a heading per stack, then fails on the plan's exit code", function () {
            for (const run of planRuns()) {
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
            const names = planRuns().map((r) => {
                const stack = /--stack (\S+)/.exec(planScript(r.job))![1];
                const upload = r.job.steps!.find((s) => usesAction(s, "actions/upload-artifact")) ?? assert.fail(`no upload for ${stack}`);
                assert.match(scalar(upload.if), /always\(\)|!cancelled\(\)/);
                assert.equal(upload.with?.path, `plan-${stack}.json`);
                return scalar(upload.with?.name);
            });
            assert.equal(new Set(names).size, names.length, "artifact names must differ per stack");
        });

        it("previews every stack after the tests and plans pass, commenting on the pull request", function () {
            const previews = runs().filter((r) => pulumiStep(r.job));
            assert.deepEqual(previews.map(stackOf).sort(), STACKS);
            for (const run of previews) {
                assert.deepEqual(needsOf(run.job).sort(), ["plan", "test"]);
                assert.equal(run.job.strategy?.["fail-fast"], false);
                assert.equal(pulumiInput(run.job, "command"), "preview");
                assert.equal(pulumiInput(run.job, "comment-on-pr"), "true");
                assert.ok(pulumiInput(run.job, "github-token"));
                assert.equal(permissionsOf(run)["pull-requests"], "write");
            }
        });
    });

    describe(DEPLOY, function () {
        const ups = () => jobRuns(DEPLOY).filter((r) => pulumiInput(r.job, "command") === "up");
        const upOf = (stack: string) => ups().find((r) => stackOf(r) === stack) ?? assert.fail(`no up for ${stack}`);

        it("runs on pushes to main and by hand, and updates only from main", function () {
            const wf = workflow(DEPLOY);
            assert.deepEqual(triggersOf(wf), ["push", "workflow_dispatch"]);
            assert.deepEqual((wf.on as { push: { branches: string[] } }).push.branches, ["main"]);
            for (const run of ups()) assert.match(scalar(run.job.if), /github\.ref == 'refs\/heads\/main'/, run.id);
        });

        it("updates every stack that has a stack file, each in the GitHub environment of its name", function () {
            assert.deepEqual(ups().map(stackOf).sort(), STACKS);
            for (const run of ups()) {
                const env = run.job.environment;
                assert.equal(typeof env === "string" ? env : env?.name, stackOf(run), run.id);
            }
        });

        it("tests first, then updates dev, then staging, then prod, each only after the one before", function () {
            assertTestsBeforeAnythingElse(DEPLOY);
            assert.deepEqual(needsOf(upOf("dev").job), ["test"]);
            assert.deepEqual(needsOf(upOf("staging").job), [upOf("dev").id]);
            assert.deepEqual(needsOf(upOf("prod").job), [upOf("staging").id]);
        });

        it("never cancels a running update: one concurrency group per stack, cancel-in-progress false", function () {
            const top = workflow(DEPLOY).concurrency;
            assert.ok(top === undefined || (typeof top === "object" && top["cancel-in-progress"] === false), "workflow-level concurrency");
            const groups = ups().map((run) => {
                const c = run.job.concurrency;
                assert.ok(typeof c === "object" && c["cancel-in-progress"] === false, `${run.id}: cancel-in-progress must be false`);
                assert.ok(c.group.includes(stackOf(run)), `${run.id}: group names its stack`);
                return c.group;
            });
            assert.equal(new Set(groups).size, groups.length);
        });
    });
});
