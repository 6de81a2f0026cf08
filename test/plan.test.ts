import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Plan } from "../tools/report";
import { PROJECT_DIR } from "../tools/synth";

function plan(...args: string[]) {
    const run = spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_DIR, "tools", "plan.ts"), ...args], {
        cwd: PROJECT_DIR,
        encoding: "utf8",
        timeout: 120_000,
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface PlanRun {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** The plan CLI, run without blocking, so several plans share the machine's cores. */
function planAsync(...args: string[]): Promise<PlanRun> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", join(PROJECT_DIR, "tools", "plan.ts"), ...args], { cwd: PROJECT_DIR });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

describe("npm run plan", function () {
    const dir = mkdtempSync(join(tmpdir(), "platform-plan-"));
    const runs = new Map<string, PlanRun>();

    before(async function () {
        const prodFile = readFileSync(join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8");
        writeFileSync(join(dir, "Pulumi.unprotected.yaml"), prodFile.replace(/^config:\n/m, "config:\n  platform:protectStatefulResources: false\n"));
        const stacks: Array<[string, string[]]> = [
            ["prod", ["--stack", "prod", "--json", join(dir, "prod.json")]],
            ["dev", ["--stack", "dev", "--json", join(dir, "dev.json")]],
            ["staging", ["--stack", "staging", "--json", join(dir, "staging.json")]],
            ["unprotected", ["--stack", "unprotected", "--config-dir", dir, "--json", join(dir, "unprotected.json")]],
        ];
        const results = await Promise.all(stacks.map(([, args]) => planAsync(...args)));
        stacks.forEach(([name], i) => runs.set(name, results[i]));
    });

    it("plans a stack: prints the tree and counts, writes plan.json in the documented shape, exits 0", function () {
        const jsonPath = join(dir, "prod.json");
        const run = runs.get("prod")!;
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /^ \+ {3}pulumi:pulumi:Stack +platform-prod$/m);
        assert.match(run.stdout, /^ \+ {3}[├└]─ platform:index:Network +platform-prod$/m);
        assert.match(run.stdout, /├─ aws:ec2\/natGateway:NatGateway +platform-prod-nat-az3$/m);
        assert.match(run.stdout, /^ +9 {2}aws:ec2\/subnet:Subnet$/m);
        assert.match(run.stdout, /aws:kms\/key:Key +platform-prod-flow-logs {2}\[protected\]/);

        const written = JSON.parse(readFileSync(jsonPath, "utf8")) as Plan;
        assert.deepEqual(Object.keys(written), ["project", "stack", "environment", "resources", "outputs", "policies", "policyPack", "summary"]);
        assert.deepEqual([written.project, written.stack, written.environment], ["platform", "prod", "prod"]);
        assert.deepEqual(Object.keys(written.resources[0]), [
            "urn", "type", "name", "parent", "custom", "provider", "inputs", "dependencies", "protect", "retainOnDelete",
        ]);
        assert.equal(written.summary.resources, written.resources.length);
        assert.equal(written.summary.byType["aws:ec2/natGateway:NatGateway"], 3);
        assert.equal(written.policyPack?.name, "platform-guardrails");
        assert.ok((written.policyPack?.policies ?? 0) > 30, "the whole pack ran");
        assert.equal(written.summary.mandatoryViolations, 0);
        assert.equal(written.summary.advisoryViolations, written.policies.filter((p) => p.enforcementLevel === "advisory").length);
        assert.match(run.stdout, /^Policies: platform-guardrails 0\.1\.0, \d+ policies: 0 mandatory, \d+ advisory violations$/m);
        assert.equal(written.outputs.vpcCidr, "10.30.0.0/16");
    });

    for (const stack of ["dev", "staging"]) {
        it(`plans ${stack} with exit 0 and its own environment`, function () {
            const jsonPath = join(dir, `${stack}.json`);
            const run = runs.get(stack)!;
            assert.equal(run.code, 0, run.stderr);
            assert.match(run.stdout, new RegExp(`[├└]─ platform:index:Network +platform-${stack}$`, "m"));
            const written = JSON.parse(readFileSync(jsonPath, "utf8")) as Plan;
            assert.deepEqual([written.stack, written.environment], [stack, stack]);
        });
    }

    it("exits 3 and lists the violation with its resource when a mandatory policy fails", function () {
        const jsonPath = join(dir, "unprotected.json");
        const run = runs.get("unprotected")!;
        assert.equal(run.code, 3, run.stderr);
        assert.match(run.stdout, /^Mandatory:$/m);
        assert.match(run.stdout, /^ {2}stateful-resources-protected {2}platform-unprotected-secrets \(aws:kms\/key:Key\)$/m);
        const written = JSON.parse(readFileSync(jsonPath, "utf8")) as Plan;
        const unprotected = written.policies.filter((p) => p.policy === "stateful-resources-protected");
        // Fourteen KMS keys, five log groups, the database, the cache, the cache's secret, two backup vaults,
        // and the log, Velero and Velero DR buckets: none protected.
        assert.equal(unprotected.length, 27);
        assert.ok(unprotected.every((p) => p.enforcementLevel === "mandatory" && written.resources.some((r) => r.urn === p.urn)));
        assert.equal(written.summary.mandatoryViolations, written.policies.filter((p) => p.enforcementLevel === "mandatory").length);
    });

    it("exits 2 naming the key when the stack file has a bad value", function () {
        writeFileSync(
            join(dir, "Pulumi.broken.yaml"),
            ["config:", "  aws:region: us-east-1", "  platform:environment: staging", "  platform:network:", "    natMode: dual", ""].join("\n"),
        );
        const run = plan("--stack", "broken", "--config-dir", dir, "--json", join(dir, "broken.json"));
        assert.equal(run.code, 2);
        assert.match(run.stderr, /Pulumi\.broken\.yaml: invalid stack configuration/);
        assert.match(run.stderr, /platform:network\.natMode: got "dual"; expected one of "none", "single", "perAz"/);
        assert.equal(run.stdout, "", "no tree for a stack that did not synthesize");
    });

    it("exits 2 on an unknown stack and on a missing --stack", function () {
        const unknown = plan("--stack", "nowhere");
        assert.equal(unknown.code, 2);
        assert.match(unknown.stderr, /Pulumi\.nowhere\.yaml: no such stack file .* \(stacks there: dev, prod, staging\)/);
        const missing = plan();
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /--stack is required/);
    });
});
