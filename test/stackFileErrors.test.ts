// A stack file with many mistakes, as a new user writes one: the offline plan refuses it with
// exit 2 and names every mistake in one run, the Pulumi CLI's refusals among them.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readStackConfigFiles } from "../tools/stackFiles";
import { PROJECT_DIR, refusedByTheCli } from "../tools/synth";

const MANY_MISTAKES = `config:
  aws:regoin: us-east-1
  aws:region: us-east-1
  platfrom:tags:
    owner: me
  platform:environment: prod
  platform:network:
    cidrBlock: 172.20.0.0/16
    natMode: nope
    availabiltyZoneCount: 2
  platform:cluster:
    kubernetesVersion: 1.36
  platform:database:
    postgres:
      instanceClass: 42
  platform:delivery:
    hostname: api.example.com
  kubernetes:kubeconfg: ~/.kube/config
`;

/** Each mistake, by the key path its message starts with and a word of what it says. */
const EXPECTED: Array<[string, string]> = [
    ["aws:regoin", 'did you mean "aws:region"'],
    ["kubernetes:kubeconfg", 'did you mean "kubernetes:kubeconfig"'],
    ["platfrom:tags", 'unknown namespace "platfrom"; did you mean "platform"'],
    ["platform:network.natMode", 'expected one of "none", "single", "perAz"'],
    ["platform:network.availabiltyZoneCount", 'did you mean "availabilityZoneCount"'],
    ["platform:cluster.kubernetesVersion", "got 1.36; expected a string"],
    ["platform:database.postgres.instanceClass", "got 42; expected a string"],
    ["platform:delivery.certificateArn", "missing"],
    ["platform:backup.drRegion", "missing"],
    ["platform:cluster.serviceIpv4Cidr", 'overlaps platform:network.cidrBlock "172.20.0.0/16"'],
];

function plan(stackFile: string): { status: number | null; stderr: string } {
    const dir = mkdtempSync(join(tmpdir(), "platform-mistakes-"));
    writeFileSync(join(dir, "Pulumi.oops.yaml"), stackFile);
    const run = spawnSync(process.execPath, ["--require", "./tools/register-ts.cjs", "tools/plan.ts", "--stack", "oops", "--config-dir", dir, "--json", join(dir, "plan.json")], {
        cwd: PROJECT_DIR,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
    });
    return { status: run.status, stderr: run.stderr };
}

describe("a stack file with many mistakes", function () {
    this.timeout(60_000);

    it("is refused with exit 2, every mistake named in one run", function () {
        const { status, stderr } = plan(MANY_MISTAKES);
        assert.equal(status, 2, stderr);
        const problems = stderr.split("\n").filter((line) => line.startsWith("  - ")).map((line) => line.slice(4));
        assert.ok(stderr.startsWith(`Pulumi.oops.yaml: invalid stack configuration (${problems.length} problems):`), stderr);
        for (const [key, says] of EXPECTED) {
            assert.ok(problems.some((p) => p.startsWith(`${key}: `) && p.includes(says)), `no problem "${key}: … ${says}" in:\n${stderr}`);
        }
        assert.equal(problems.length, EXPECTED.length, stderr);
    });

    it("without an environment: the CLI's refusal, and still every key and type mistake", function () {
        // The same path as the plan's, in this process: the stack file read under the CLI's rules, then the program's.
        const dir = mkdtempSync(join(tmpdir(), "platform-mistakes-"));
        writeFileSync(join(dir, "Pulumi.oops.yaml"), MANY_MISTAKES.replace("  platform:environment: prod\n", ""));
        const message = refusedByTheCli(readStackConfigFiles(PROJECT_DIR, "oops", { configDir: dir })).message;
        assert.ok(message.includes("the Pulumi CLI refuses it: Stack 'oops' is missing configuration value 'environment'"), message);
        assert.ok(message.includes('platform:environment: missing; expected one of "dev", "staging", "prod"'), message);
        // Without a tier, the values' meaning is not checked: the keys and types are.
        for (const [key] of EXPECTED.filter(([, says]) => says !== "missing" && !says.startsWith("overlaps"))) {
            assert.ok(message.includes(`  - ${key}: `), `${key} is not named:\n${message}`);
        }
    });
});
