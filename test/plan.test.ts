import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Plan } from "../tools/report";
import { PROJECT_DIR } from "../tools/synth";
import { money } from "../tools/terminal";
import { shippedStacks } from "./helpers";

function plan(...args: string[]) {
    const run = spawnSync(process.execPath, ["--require", join(PROJECT_DIR, "tools", "register-ts.cjs"), join(PROJECT_DIR, "tools", "plan.ts"), ...args], {
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
        const child = spawn(process.execPath, ["--require", join(PROJECT_DIR, "tools", "register-ts.cjs"), join(PROJECT_DIR, "tools", "plan.ts"), ...args], { cwd: PROJECT_DIR });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

/** The stacks the repository ships besides prod, the one whose plan is examined in detail. */
const OTHER_STACKS = shippedStacks().filter((s) => s.stack !== "prod");

describe("npm run plan", function () {
    const dir = mkdtempSync(join(tmpdir(), "platform-plan-"));
    const runs = new Map<string, PlanRun>();

    before(async function () {
        const prodFile = readFileSync(join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8");
        writeFileSync(join(dir, "Pulumi.unprotected.yaml"), prodFile.replace(/^config:\n/m, "config:\n  platform:protectStatefulResources: false\n"));
        const stacks: Array<[string, string[]]> = [
            ["prod", ["--stack", "prod", "--json", join(dir, "prod.json"), "--graph", join(dir, "prod.svg")]],
            // Every other stack file's stack, as CI plans them.
            ...OTHER_STACKS.map(({ stack }): [string, string[]] => [stack, ["--stack", stack, "--json", join(dir, `${stack}.json`)]]),
            ["unprotected", ["--stack", "unprotected", "--config-dir", dir, "--json", join(dir, "unprotected.json")]],
        ];
        stacks.push(["diff", ["--diff", "dev", "prod", "--json", join(dir, "diff.json")]]);
        const results = await Promise.all(stacks.map(([, args]) => planAsync(...args)));
        stacks.forEach(([name], i) => runs.set(name, results[i]));
    });

    it("plans a stack: prints the tree, the components, the outputs and a summary, writes plan.json in the documented shape, exits 0", function () {
        const jsonPath = join(dir, "prod.json");
        const run = runs.get("prod")!;
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /^ \+ {3}pulumi:pulumi:Stack +platform-prod {2}\(280 resources\)$/m);
        assert.match(run.stdout, /^ \+ {3}[├└]─ platform:index:Network +platform-prod {2}\(\d+ resources\)$/m);
        assert.match(run.stdout, /├─ aws:ec2\/natGateway:NatGateway +platform-prod-nat-az3$/m);
        assert.match(run.stdout, /^ +9 {2}aws:ec2\/subnet:Subnet$/m);
        assert.match(run.stdout, /aws:kms\/key:Key +platform-prod-flow-logs {2}\(protected\)/);
        assert.match(run.stdout, /^ {2}Network +\d+ {2}9 ec2\.RouteTableAssociation, 9 ec2\.Subnet, 6 ec2\.VpcEndpoint/m);
        assert.match(run.stdout, /^ {4}kubeconfig: +\[secret\]$/m, "a secret output is masked");
        assert.match(run.stdout, /^ {4}vpcCidr: +10\.30\.0\.0\/16$/m);

        const summary = run.stdout.slice(run.stdout.lastIndexOf("Summary:"));
        assert.match(summary, /^ {2}Resources {2}\+ 281 to create \(\d+ components; \d+ protected, 0 retained on delete\)$/m);
        assert.match(summary, /^ {2}Policies {3}platform-guardrails 0\.1\.0: 0 mandatory, 0 advisory$/m);
        assert.match(summary, /^ {2}Cost {7}\$[\d,]+\.\d\d per month/m);
        assert.ok(summary.split("\n").length <= 12, "the summary fits a screen");

        const lines = run.stdout.split("\n");
        const wide = lines.filter((line) => [...line].length > 100);
        assert.deepEqual(wide, [], "every line fits 100 columns");
        assert.doesNotMatch(run.stdout, /\x1b\[/, "no colour when stdout is not a terminal");
        assert.equal(run.stderr, "", "no progress line when stderr is not a terminal");

        const written = JSON.parse(readFileSync(jsonPath, "utf8")) as Plan;
        // The contract's keys in its order; later additions (cost) only at the top level, after them.
        assert.deepEqual(Object.keys(written), ["project", "stack", "environment", "resources", "outputs", "policies", "policyPack", "summary", "cost"]);
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
        assert.equal(written.outputs.kubeconfig, "[secret]");

        const cost = written.cost!;
        assert.ok(cost.estimated, "prod's Regions have price tables");
        assert.deepEqual(Object.keys(cost).slice(0, 7), ["estimated", "currency", "monthlyTotal", "byComponent", "lines", "assumptions", "priceTableDate"]);
        assert.equal(cost.currency, "USD");
        assert.match(cost.priceTableDate, /^\d{4}-\d{2}-\d{2}$/);
        assert.deepEqual(Object.keys(cost.byComponent).sort(), ["Backup", "Cluster", "Database", "Network", "Observability", "ProgressiveDelivery"]);
        assert.deepEqual(Object.keys(cost.lines[0]), ["urn", "item", "quantity", "unitPrice", "monthly", "region"]);
        assert.ok(cost.lines.every((line) => written.resources.some((r) => r.urn === line.urn)), "every line names a planned resource");
        const total = cost.lines.reduce((sum, line) => sum + line.monthly, 0);
        assert.ok(Math.abs(total - cost.monthlyTotal) < 0.01, `${total} vs ${cost.monthlyTotal}`);
        // The table has no confirmed price for RDS for PostgreSQL on r7g: reported, not counted as free.
        assert.ok(cost.unpriced.some((u) => u.item.startsWith("RDS PostgreSQL db.r7g.xlarge Multi-AZ")), JSON.stringify(cost.unpriced));
        assert.match(summary, new RegExp(`\\+ ${cost.unpriced.length} items? not priced`));
        assert.ok(run.stdout.includes(`\nCost estimate: ${money(cost.monthlyTotal)} per month`), "the printed total is plan.json's");

        const svg = readFileSync(join(dir, "prod.svg"), "utf8");
        assert.match(svg, /^<\?xml|^<svg/);
        for (const component of ["Network", "Cluster", "Database", "Observability", "Backup", "ProgressiveDelivery"]) {
            assert.ok(svg.includes(component), `the picture names ${component}`);
        }
    });

    for (const { stack, environment } of OTHER_STACKS) {
        it(`plans ${stack} with exit 0 and its environment (${environment})`, function () {
            const jsonPath = join(dir, `${stack}.json`);
            const run = runs.get(stack)!;
            assert.equal(run.code, 0, run.stderr);
            assert.match(run.stdout, new RegExp(`[├└]─ platform:index:Network +platform-${stack} {2}\\(\\d+ resources\\)$`, "m"));
            const written = JSON.parse(readFileSync(jsonPath, "utf8")) as Plan;
            assert.deepEqual([written.stack, written.environment], [stack, environment]);
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

    it("--diff shows how two stacks' effective config, resources, key inputs and cost differ", function () {
        const run = runs.get("diff")!;
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /^dev → prod \(environments dev → prod\): \d+ → 281 resources/m);
        assert.match(run.stdout, /^ {2}network: availabilityZoneCount 2 → 3; cidrBlock 10\.10\.0\.0\/16 → 10\.30\.0\.0\/16;$/m);
        assert.match(run.stdout, /natMode single → perAz/);
        assert.match(run.stdout, /NatGateway 1 → 3/);
        assert.match(run.stdout, /^ {2}rds\.Instance platform-\*-postgres: .*instanceClass db\.t4g\.medium → db\.r7g\.xlarge/ms);
        assert.match(run.stdout, /multiAz false → true/);
        assert.match(run.stdout, /retentionInDays 30 → 365/);
        assert.ok(run.stdout.split("\n").length <= 100, "about a screen");
        assert.ok(run.stdout.split("\n").every((line) => [...line].length <= 100));
        const written = JSON.parse(readFileSync(join(dir, "diff.json"), "utf8")) as { config: Array<{ key: string }>; types: unknown[] };
        assert.ok(written.config.some((c) => c.key === "database.postgres.multiAz"));
    });

    it("exits 2 on bad usage: --diff with one stack, an unknown --graph-detail", function () {
        const one = plan("--diff", "dev");
        assert.equal(one.code, 2);
        assert.match(one.stderr, /--diff takes two stacks/);
        const detail = plan("--stack", "prod", "--graph", join(dir, "x.svg"), "--graph-detail", "everything");
        assert.equal(detail.code, 2);
        assert.match(detail.stderr, /--graph-detail: got "everything"; expected one of components, resources/);
    });

    it("exits 2 on an unknown stack and on a missing --stack", function () {
        const unknown = plan("--stack", "nowhere");
        assert.equal(unknown.code, 2);
        const known = shippedStacks().map((s) => s.stack).sort().join(", ");
        assert.ok(unknown.stderr.includes(`(stacks there: ${known})`), unknown.stderr);
        assert.match(unknown.stderr, /Pulumi\.nowhere\.yaml: no such stack file /);
        const missing = plan();
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /--stack \(or --diff\) is required/);
    });
});
