import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
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

describe("npm run plan", function () {
    const dir = mkdtempSync(join(tmpdir(), "platform-plan-"));

    it("plans a stack: prints the tree and counts, writes plan.json in the documented shape, exits 0", function () {
        const jsonPath = join(dir, "plan.json");
        const run = plan("--stack", "prod", "--json", jsonPath);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /^ \+ {3}pulumi:pulumi:Stack +platform-prod$/m);
        assert.match(run.stdout, /^ \+ {3}└─ platform:index:Network +platform-prod$/m);
        assert.match(run.stdout, /├─ aws:ec2\/natGateway:NatGateway +platform-prod-nat-az3$/m);
        assert.match(run.stdout, /^ +9 {2}aws:ec2\/subnet:Subnet$/m);
        assert.match(run.stdout, /aws:kms\/key:Key +platform-prod-flow-logs {2}\[protected\]/);

        const written = JSON.parse(readFileSync(jsonPath, "utf8")) as Plan;
        assert.deepEqual(Object.keys(written), ["project", "stack", "environment", "resources", "outputs", "policies", "summary"]);
        assert.deepEqual([written.project, written.stack, written.environment], ["platform", "prod", "prod"]);
        assert.deepEqual(Object.keys(written.resources[0]), [
            "urn", "type", "name", "parent", "custom", "provider", "inputs", "dependencies", "protect", "retainOnDelete",
        ]);
        assert.equal(written.summary.resources, written.resources.length);
        assert.equal(written.summary.byType["aws:ec2/natGateway:NatGateway"], 3);
        assert.deepEqual(written.policies, []);
        assert.deepEqual([written.summary.mandatoryViolations, written.summary.advisoryViolations], [0, 0]);
        assert.equal(written.outputs.vpcCidr, "10.30.0.0/16");
    });

    for (const stack of ["dev", "staging"]) {
        it(`plans ${stack} with exit 0 and its own environment`, function () {
            const jsonPath = join(dir, `${stack}.json`);
            const run = plan("--stack", stack, "--json", jsonPath);
            assert.equal(run.code, 0, run.stderr);
            assert.match(run.stdout, new RegExp(`└─ platform:index:Network +platform-${stack}$`, "m"));
            const written = JSON.parse(readFileSync(jsonPath, "utf8")) as Plan;
            assert.deepEqual([written.stack, written.environment], [stack, stack]);
        });
    }

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
