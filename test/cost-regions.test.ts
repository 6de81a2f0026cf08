import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REGION_ZONE_COUNTS } from "../config";
import { Cost, CostEstimate, CostedResource, estimateCost } from "../tools/cost";
import { KNOWN_PRICE_GAPS, PRICE_TABLES } from "../tools/prices";
import { PROJECT_DIR } from "../tools/synth";
import { shippedStacks, synthStack } from "./helpers";

const STACK = "urn:pulumi:t::platform::pulumi:pulumi:Stack::platform-t";
const DR = `${STACK}$pulumi:providers:aws::platform-t-dr`;

function estimated(cost: Cost): CostEstimate {
    assert.ok(cost.estimated, cost.estimated ? "" : cost.reason);
    return cost;
}

function resource(type: string, name: string, inputs: Record<string, unknown> = {}, extra: Partial<CostedResource> = {}): CostedResource {
    return { urn: `${STACK}$${type}::${name}`, type, name, parent: STACK, custom: true, inputs, ...extra };
}

/** The stack root and a DR-Region aws provider, as the synth records them. */
function stackWithDrProvider(drRegion: string): CostedResource[] {
    return [
        { urn: STACK, type: "pulumi:pulumi:Stack", name: "platform-t", parent: null, custom: false, inputs: {} },
        { urn: DR, type: "pulumi:providers:aws", name: "platform-t-dr", parent: STACK, custom: true, inputs: { region: drRegion } },
    ];
}

const lineOf = (cost: CostEstimate, name: string, prefix: string) => cost.lines.find((l) => l.urn.endsWith(`::${name}`) && l.item.startsWith(prefix));

describe("the cost estimate's Regions", function () {
    it("prices a resource in eu-west-1 at eu-west-1 rates", function () {
        const db = resource("aws:rds/instance:Instance", "db", { engine: "postgres", instanceClass: "db.t4g.medium", multiAz: true });
        const cost = estimated(estimateCost([...stackWithDrProvider("eu-central-1"), db], { region: "eu-west-1" }));
        // Multi-AZ db.t4g.medium in eu-west-1: 2 × 730 h × $0.069 = $100.74 (us-east-1 would be $94.90).
        const line = lineOf(cost, "db", "RDS PostgreSQL db.t4g.medium")!;
        assert.deepEqual([line.region, line.quantity, line.unitPrice, line.monthly], ["eu-west-1", 1460, 0.069, 100.74]);
        assert.equal(cost.monthlyTotal, 100.74);
        assert.equal(cost.region, "eu-west-1");
        assert.equal(cost.priceTableDate, PRICE_TABLES["eu-west-1"].date);
    });

    it("prices what a DR-Region provider creates at the DR Region's rate, and a crossing where the data leaves", function () {
        const primary = resource("aws:rds/instance:Instance", "db", { engine: "postgres", instanceClass: "db.t4g.medium", allocatedStorage: 10 });
        const drDb = resource("aws:rds/instance:Instance", "dr-db", { engine: "postgres", instanceClass: "db.t4g.medium" }, { provider: DR });
        const key = resource("aws:kms/key:Key", "dr-key", {}, { provider: DR });
        const replication = resource(
            "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
            "replica",
            {},
            { provider: DR, propertyDependencies: { sourceDbInstanceArn: [primary.urn] } },
        );
        const cost = estimateCost([...stackWithDrProvider("eu-central-1"), primary, drDb, key, replication], { region: "us-east-1" });
        const made = estimated(cost);
        // The same class: 730 × $0.065 in us-east-1 = $47.45; 730 × $0.074 in eu-central-1 = $54.02.
        assert.deepEqual([lineOf(made, "db", "RDS PostgreSQL")!.monthly, lineOf(made, "db", "RDS PostgreSQL")!.region], [47.45, "us-east-1"]);
        assert.deepEqual([lineOf(made, "dr-db", "RDS PostgreSQL")!.monthly, lineOf(made, "dr-db", "RDS PostgreSQL")!.region], [54.02, "eu-central-1"]);
        assert.equal(lineOf(made, "dr-key", "KMS")!.region, "eu-central-1");
        // Replicated backups: the crossing is paid in us-east-1 (10 GB × $0.02); eu-central-1's table has no backup storage price.
        assert.deepEqual([lineOf(made, "replica", "inter-region")!.region, lineOf(made, "replica", "inter-region")!.monthly], ["us-east-1", 0.2]);
        assert.deepEqual(
            made.unpriced.filter((u) => u.urn === replication.urn).map((u) => u.reason),
            ["the eu-central-1 price table has no confirmed RDS backup storage GB-month price"],
        );
        assert.deepEqual(made.priceTables.map((t) => t.region), ["us-east-1", "eu-central-1"]);
    });

    it("refuses, with the reason, a Region it has no table for: the stack's or a provider's", function () {
        const key = resource("aws:kms/key:Key", "key");
        const tables = Object.keys(PRICE_TABLES).sort().join(", ");
        assert.deepEqual(estimateCost([key], { region: "ap-south-2" }), {
            estimated: false,
            currency: "USD",
            region: "ap-south-2",
            reason: `no price table for ap-south-2 (tables: ${tables})`,
            regionsWithoutTable: ["ap-south-2"],
            tables: Object.keys(PRICE_TABLES).sort(),
        });
        const drKey = resource("aws:kms/key:Key", "dr-key", {}, { provider: DR });
        const refused = estimateCost([...stackWithDrProvider("ap-southeast-5"), drKey], { region: "us-east-1" });
        assert.equal(refused.estimated, false);
        assert.equal(!refused.estimated && refused.reason, `no price table for ap-southeast-5 (tables: ${tables})`);
    });

    it("has a table for, or refuses, every Region the config accepts; each table dated and sourced", function () {
        for (const region of Object.keys(REGION_ZONE_COUNTS)) {
            const cost = estimateCost([resource("aws:kms/key:Key", "key")], { region });
            assert.equal(cost.estimated, PRICE_TABLES[region] !== undefined, region);
        }
        for (const region of ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"]) {
            const table = PRICE_TABLES[region];
            assert.equal(table?.region, region);
            assert.match(table.date, /^\d{4}-\d{2}-\d{2}$/);
            assert.ok(table.sources.length > 0 && table.sources.every((s) => s.length > 20), `${region} names its sources`);
        }
    });

    it("lists what it does not know as unpriced, and free types as nothing", function () {
        const cost = estimated(
            estimateCost(
                [
                    resource("aws:iam/role:Role", "role"),
                    resource("kubernetes:core/v1:ConfigMap", "config"),
                    resource("aws:dynamodb/table:Table", "table"),
                    resource("kubernetes:core/v1:Service", "lb", { spec: { type: "LoadBalancer" } }),
                    resource("kubernetes:helm.sh/v3:Release", "mystery", { chart: "mystery-chart" }),
                ],
                { region: "us-east-1" },
            ),
        );
        assert.deepEqual(cost.lines, []);
        assert.deepEqual(cost.unpriced.map((u) => u.urn.split("::").pop()), ["table", "lb", "mystery"]);
        assert.match(cost.unpriced[0].reason, /does not know aws:dynamodb\/table:Table/);
    });
});

const SHIPPED = shippedStacks().map((s) => s.stack);

describe("the cost estimate of every shipped stack", function () {
    const gapsSeen: string[] = [];
    this.timeout(240_000);

    it("finds the stack files", function () {
        assert.ok(SHIPPED.includes("prod"), SHIPPED.join(", "));
    });

    for (const stack of SHIPPED) {
        it(`${stack}: estimated, every resource priced but for the known price gaps`, async function () {
            const file = parse(readFileSync(join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, string | undefined> };
            const region = file.config?.["aws:region"] ?? "";
            // The synth is shared with every other test of the run that synthesizes the stack.
            const graph = await synthStack(stack);
            const cost = estimateCost(graph.resources, { region });
            assert.ok(cost.estimated, cost.estimated ? "" : `${stack}: no estimate: ${cost.reason}`);
            // Every resource the program creates is one the estimate prices; what stays unpriced is a
            // price its Region's table lacks (named in the table's notConfirmed), never a resource it cannot price.
            const unmodelled = cost.unpriced.filter((u) => u.missingPrice === undefined).map((u) => `${u.item} (${u.urn.split("::").pop()}): ${u.reason}`);
            assert.deepEqual(unmodelled, [], `${stack} has resources the estimate cannot price:\n  ${unmodelled.join("\n  ")}`);
            const gaps = [...new Set(cost.unpriced.map((u) => u.missingPrice!))];
            const unknown = gaps.filter((gap) => !KNOWN_PRICE_GAPS.includes(gap) && !PRICE_TABLES[gap.split(": ")[0]].partial);
            assert.deepEqual(unknown, [], `${stack} needs prices no table has: add them (with their source)`);
            gapsSeen.push(...gaps);
        });
    }

    it("needs every price KNOWN_PRICE_GAPS lists as missing (a price found is taken off the list)", function () {
        assert.deepEqual(KNOWN_PRICE_GAPS.filter((gap) => !gapsSeen.includes(gap)), []);
    });
});
