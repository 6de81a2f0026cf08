/**
 * Adding a stack is writing its file, and nothing else: the repository's stack files plus a
 * Pulumi.prod-eu.yaml (environment prod, in eu-west-1) in a config dir of their own, then the
 * stack-discovery script the workflows build their matrices from, and one offline plan.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENVIRONMENTS } from "../config";
import { CostEstimate } from "../tools/costTypes";
import { PRICE_TABLES } from "../tools/prices";
import { Plan } from "../tools/report";
import { DEPLOY_ORDER, findStacks, FoundStack } from "../tools/stacks";
import { PROJECT_DIR } from "../tools/synth";
import { shippedStacks } from "./helpers";

const PROD_EU = [
    "# Production in Ireland: the prod profile in its own network, its backups copied to Frankfurt.",
    "config:",
    "  aws:region: eu-west-1",
    "  platform:environment: prod",
    "  platform:tags:",
    "    owner: platform-team",
    "    cost-center: eng-prod-eu",
    "    data-classification: confidential",
    "  platform:network:",
    "    cidrBlock: 10.40.0.0/16",
    "  platform:delivery:",
    "    hostname: api.eu.example.com",
    "    certificateArn: arn:aws:acm:eu-west-1:111122223333:certificate/4c1e8b27-9d3a-4f6e-8b50-2a7d9c3e1f85",
    "  platform:backup:",
    "    drRegion: eu-central-1",
    "",
].join("\n");

const POLICY_CONFIG_DIR = join(PROJECT_DIR, "policies", "config");

/**
 * Preloaded into the plan's process: notes every policy config file it reads, so the test sees
 * which one the plan chose (plan.json does not say).
 */
const RECORD_POLICY_CONFIG_READS = `
const fs = require("node:fs");
const read = fs.readFileSync;
fs.readFileSync = function (path, ...rest) {
    if (typeof path === "string" && path.startsWith(process.env.RECORD_READS_UNDER)) fs.appendFileSync(process.env.RECORD_READS_TO, path + "\\n");
    return read.call(this, path, ...rest);
};
`;

interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
}

function node(args: string[], env: Record<string, string> = {}): Promise<Run> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, args, { cwd: PROJECT_DIR, env: { ...process.env, ...env } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

const REGISTER_TS = join(PROJECT_DIR, "tools", "register-ts.cjs");

describe("a new stack is one file (Pulumi.prod-eu.yaml)", function () {
    const dir = mkdtempSync(join(tmpdir(), "platform-new-stack-"));
    const planJson = join(dir, "plan-prod-eu.json");
    const readsLog = join(dir, "policy-config-reads.log");
    let plan: Run;
    let discovery: Run;
    let planned: Plan;

    before(async function () {
        for (const { stack } of shippedStacks()) copyFileSync(join(PROJECT_DIR, `Pulumi.${stack}.yaml`), join(dir, `Pulumi.${stack}.yaml`));
        writeFileSync(join(dir, "Pulumi.prod-eu.yaml"), PROD_EU);
        writeFileSync(join(dir, "record-reads.cjs"), RECORD_POLICY_CONFIG_READS);
        [plan, discovery] = await Promise.all([
            node(["--require", join(dir, "record-reads.cjs"), "--require", REGISTER_TS, join(PROJECT_DIR, "tools", "plan.ts"), "--stack", "prod-eu", "--config-dir", dir, "--json", planJson], {
                NO_COLOR: "1",
                RECORD_READS_UNDER: POLICY_CONFIG_DIR,
                RECORD_READS_TO: readsLog,
            }),
            // As the workflows run it.
            node(["--require", REGISTER_TS, join(PROJECT_DIR, "tools", "stacks.ts"), "--config-dir", dir, "--github-output"]),
        ]);
        if (existsSync(planJson)) planned = JSON.parse(readFileSync(planJson, "utf8")) as Plan;
    });

    after(function () {
        rmSync(dir, { recursive: true, force: true });
    });

    it("is found by the stack-discovery script: in the prod tier, with environment prod and region eu-west-1", function () {
        assert.equal(discovery.code, 0, discovery.stderr);
        const outputs = new Map(discovery.stdout.trimEnd().split("\n").map((line) => [line.slice(0, line.indexOf("=")), JSON.parse(line.slice(line.indexOf("=") + 1)) as FoundStack[]]));
        const prodEu = { stack: "prod-eu", environment: "prod", region: "eu-west-1" };
        assert.ok(outputs.get("prod")!.some((s) => JSON.stringify(s) === JSON.stringify(prodEu)), `prod tier: ${JSON.stringify(outputs.get("prod"))}`);
        for (const [name, stacks] of outputs) {
            if (name !== "prod" && name !== "stacks") assert.ok(!stacks.some((s) => s.stack === "prod-eu"), `prod-eu in the ${name} tier`);
        }
        // Every shipped stack is still there, each once, and prod-eu after the staging ones.
        const all = outputs.get("stacks")!.map((s) => s.stack);
        assert.deepEqual([...all].sort(), [...new Set([...shippedStacks().map((s) => s.stack), "prod-eu"])].sort());
        assert.ok(all.indexOf("prod-eu") > Math.max(...outputs.get("staging")!.map((s) => all.indexOf(s.stack))));
    });

    it("plans offline with exit 0 and no mandatory policy violation, as environment prod in eu-west-1", function () {
        assert.equal(plan.code, 0, `${plan.stderr}\n${plan.stdout.slice(-3000)}`);
        assert.deepEqual([planned.stack, planned.environment], ["prod-eu", "prod"]);
        assert.equal(planned.summary.mandatoryViolations, 0);
        assert.deepEqual(planned.policies.filter((p) => p.enforcementLevel === "mandatory"), []);
        assert.ok((planned.policyPack?.policies ?? 0) > 30, "the whole pack ran");
        assert.equal(planned.outputs.vpcCidr, "10.40.0.0/16");
        assert.deepEqual(planned.outputs.availabilityZones, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    });

    it("is checked with prod's policy config, chosen by its environment and not by its name", function () {
        assert.equal(plan.code, 0, plan.stderr);
        const read = readFileSync(readsLog, "utf8").trim().split("\n");
        assert.deepEqual([...new Set(read)], [join(POLICY_CONFIG_DIR, "prod.json")]);
        assert.ok(!existsSync(join(POLICY_CONFIG_DIR, "prod-eu.json")), "a config named as the stack would prove nothing");
    });

    it("is priced at eu-west-1's prices (its backups at eu-central-1's), every resource one the estimate prices", function () {
        assert.ok(planned, plan.stderr);
        const cost = planned.cost as CostEstimate | undefined;
        assert.equal(cost?.region, "eu-west-1");
        assert.equal(cost.estimated, true, JSON.stringify(cost));
        assert.deepEqual([...new Set(cost.lines.map((line) => line.region))].sort(), ["eu-central-1", "eu-west-1"]);
        const nodes = cost.lines.find((line) => line.item.startsWith("EC2 m6i.xlarge"));
        assert.equal(nodes?.unitPrice, PRICE_TABLES["eu-west-1"].ec2InstanceHour["m6i.xlarge"], "the workload nodes at eu-west-1's m6i.xlarge price");
        assert.notEqual(nodes?.unitPrice, PRICE_TABLES["us-east-1"].ec2InstanceHour["m6i.xlarge"]);
        // What stays unpriced is a price missing from a table (see its notConfirmed), not a resource.
        assert.deepEqual(cost.unpriced.filter((u) => u.missingPrice === undefined).map((u) => `${u.item}: ${u.reason}`), []);
    });
});

describe("the stack-discovery script (tools/stacks.ts)", function () {
    const dirs: string[] = [];
    /** A config dir holding just these files. */
    const write = (files: Record<string, string>) => {
        const dir = mkdtempSync(join(tmpdir(), "platform-stacks-"));
        dirs.push(dir);
        for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
        return dir;
    };
    const stackFile = (environment: string, region = "us-east-1") => `config:\n  aws:region: ${region}\n  platform:environment: ${environment}\n`;
    const oneOfEach = { "Pulumi.a.yaml": stackFile("dev"), "Pulumi.b.yaml": stackFile("staging"), "Pulumi.c.yaml": stackFile("prod") };
    const problems = (configDir: string): string[] => {
        try {
            findStacks({ configDir });
        } catch (err) {
            return (err as Error).message.split("\n");
        }
        return assert.fail("expected the stack files to be refused");
    };

    after(function () {
        for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it("deploys every environment tier of config/, dev then staging then prod", function () {
        assert.deepEqual([...DEPLOY_ORDER].sort(), [...ENVIRONMENTS].sort());
        assert.deepEqual(DEPLOY_ORDER, ["dev", "staging", "prod"]);
    });

    it("orders the stacks by tier, then by name", function () {
        const configDir = write({ ...oneOfEach, "Pulumi.0-prod.yaml": stackFile("prod", "eu-west-1"), "Pulumi.z-dev.yaml": stackFile("dev", "us-west-2") });
        assert.deepEqual(findStacks({ configDir }).map((s) => `${s.stack} ${s.environment} ${s.region}`), [
            "a dev us-east-1",
            "z-dev dev us-west-2",
            "b staging us-east-1",
            "0-prod prod eu-west-1",
            "c prod us-east-1",
        ]);
    });

    it("refuses, naming each file and key: an unknown or missing environment, a missing region, a name a workflow cannot use or too long for a role session name, a .yml file", function () {
        const configDir = write({
            ...oneOfEach,
            "Pulumi.qa.yaml": stackFile("qa"),
            "Pulumi.nowhere.yaml": "config:\n  platform:environment: dev\n",
            "Pulumi.bare.yaml": "config:\n  aws:region: us-east-1\n",
            "Pulumi.$(id).yaml": stackFile("dev"),
            [`Pulumi.${"x".repeat(33)}.yaml`]: stackFile("dev"),
            [`Pulumi.${"y".repeat(32)}.yaml`]: stackFile("dev"),
            "Pulumi.old.yml": stackFile("dev"),
        });
        assert.deepEqual(problems(configDir), [
            'Pulumi.$(id).yaml: the stack name may hold only letters, digits, "_", "." and "-", starting with a letter or digit, 32 at most',
            "Pulumi.bare.yaml: platform:environment: missing; expected one of dev, staging, prod",
            "Pulumi.nowhere.yaml: aws:region: missing; expected a region such as us-east-1",
            "Pulumi.old.yml: a stack file is named Pulumi.old.yaml",
            'Pulumi.qa.yaml: platform:environment: got "qa"; expected one of dev, staging, prod',
            `Pulumi.${"x".repeat(33)}.yaml: the stack name may hold only letters, digits, "_", "." and "-", starting with a letter or digit, 32 at most`,
        ]);
    });

    it("refuses an environment tier without a stack: the deploy would stop at its empty matrix", function () {
        const configDir = write({ "Pulumi.a.yaml": stackFile("dev"), "Pulumi.c.yaml": stackFile("prod") });
        assert.deepEqual(problems(configDir), [
            `no stack file in ${configDir} sets platform:environment staging: the deploy updates every dev stack, then every staging stack, then every prod stack, and an empty tier would stop it`,
        ]);
    });

    it("exits 2 with the problems on stderr, and on bad usage", function () {
        const configDir = write({ "Pulumi.a.yaml": stackFile("dev") });
        const script = join(PROJECT_DIR, "tools", "stacks.ts");
        const refused = spawnSync(process.execPath, ["--require", REGISTER_TS, script, "--config-dir", configDir], { encoding: "utf8" });
        assert.equal(refused.status, 2);
        assert.match(refused.stderr, /sets platform:environment staging/);
        assert.equal(refused.stdout, "");
        const usage = spawnSync(process.execPath, ["--require", REGISTER_TS, script, "--stack", "prod"], { encoding: "utf8" });
        assert.equal(usage.status, 2);
        assert.match(usage.stderr, /^usage: /m);
    });
});
