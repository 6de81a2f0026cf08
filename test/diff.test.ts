import assert from "node:assert/strict";
import { CostEstimate } from "../tools/cost";
import { DiffSide, diffStacks, flatten, renderDiff } from "../tools/diff";

function cost(byComponent: Record<string, number>): CostEstimate {
    const monthlyTotal = Object.values(byComponent).reduce((a, b) => a + b, 0);
    return { estimated: true, currency: "USD", monthlyTotal, byComponent, lines: [], assumptions: [], priceTableDate: "2000-01-01", region: "us-east-1", priceTables: [], unpriced: [] };
}

/** Two fixtures of the same program: a small one-zone stack and a bigger two-zone one. */
const SMALL: DiffSide = {
    project: "platform",
    stack: "small",
    environment: "dev",
    config: { network: { availabilityZoneCount: 1, natMode: "single" }, database: { postgres: { instanceClass: "db.t4g.small", multiAz: false } }, tags: { owner: "a" } },
    resources: [
        { type: "aws:ec2/natGateway:NatGateway", name: "platform-small-nat-az1", inputs: {} },
        { type: "aws:rds/instance:Instance", name: "platform-small-postgres", inputs: { instanceClass: "db.t4g.small", multiAz: false, allocatedStorage: 20 } },
        { type: "aws:cloudwatch/logGroup:LogGroup", name: "platform-small-flow-logs", inputs: { retentionInDays: 30 } },
        { type: "aws:cloudwatch/logGroup:LogGroup", name: "platform-small-control-plane", inputs: { retentionInDays: 30 } },
        { type: "aws:s3/bucket:Bucket", name: "platform-small-scratch", inputs: {} },
    ],
    cost: cost({ Network: 36.5, Database: 25 }),
};
const BIG: DiffSide = {
    project: "platform",
    stack: "big",
    environment: "prod",
    config: { network: { availabilityZoneCount: 2, natMode: "perAz" }, database: { postgres: { instanceClass: "db.m7g.large", multiAz: true } }, tags: { owner: "a" } },
    resources: [
        { type: "aws:ec2/natGateway:NatGateway", name: "platform-big-nat-az1", inputs: {} },
        { type: "aws:ec2/natGateway:NatGateway", name: "platform-big-nat-az2", inputs: {} },
        { type: "aws:rds/instance:Instance", name: "platform-big-postgres", inputs: { instanceClass: "db.m7g.large", multiAz: true, allocatedStorage: 20 } },
        { type: "aws:cloudwatch/logGroup:LogGroup", name: "platform-big-flow-logs", inputs: { retentionInDays: 365 } },
        { type: "aws:cloudwatch/logGroup:LogGroup", name: "platform-big-control-plane", inputs: { retentionInDays: 365 } },
        { type: "aws:backup/vault:Vault", name: "platform-big-backup", inputs: {} },
    ],
    cost: cost({ Network: 73, Database: 245.28, Backup: 10 }),
};

describe("the environment diff", function () {
    const diff = diffStacks(SMALL, BIG);

    it("lists the effective settings that differ, and only those", function () {
        assert.deepEqual(diff.config, [
            { key: "database.postgres.instanceClass", from: "db.t4g.small", to: "db.m7g.large" },
            { key: "database.postgres.multiAz", from: false, to: true },
            { key: "network.availabilityZoneCount", from: 1, to: 2 },
            { key: "network.natMode", from: "single", to: "perAz" },
        ]);
    });

    it("counts resource types added, removed and changed in number", function () {
        assert.deepEqual(diff.types, [
            { type: "aws:backup/vault:Vault", from: 0, to: 1 },
            { type: "aws:ec2/natGateway:NatGateway", from: 1, to: 2 },
            { type: "aws:s3/bucket:Bucket", from: 1, to: 0 },
        ]);
        assert.deepEqual([diff.from.resources, diff.to.resources], [5, 6]);
    });

    it("compares key inputs of the same resource in both stacks, the stack's part of the name masked", function () {
        assert.deepEqual(diff.inputs, [
            { type: "aws:cloudwatch/logGroup:LogGroup", name: "platform-*-control-plane", changes: [{ key: "retentionInDays", from: 30, to: 365 }] },
            { type: "aws:cloudwatch/logGroup:LogGroup", name: "platform-*-flow-logs", changes: [{ key: "retentionInDays", from: 30, to: 365 }] },
            {
                type: "aws:rds/instance:Instance",
                name: "platform-*-postgres",
                changes: [
                    { key: "instanceClass", from: "db.t4g.small", to: "db.m7g.large" },
                    { key: "multiAz", from: false, to: true },
                ],
            },
        ]);
    });

    it("compares cost per component, a component on one side only counting 0 on the other", function () {
        assert.deepEqual(diff.cost, {
            from: 61.5,
            to: 328.28,
            unpriced: { from: 0, to: 0 },
            byComponent: [
                { component: "Backup", from: 0, to: 10 },
                { component: "Database", from: 25, to: 245.28 },
                { component: "Network", from: 36.5, to: 73 },
            ],
        });
    });

    it("prints it on one screen: grouped settings, types by kind of change, like changes together", function () {
        const text = renderDiff(diff).join("\n");
        assert.match(text, /^small → big \(environments dev → prod\): 5 → 6 resources, \$61\.50 → \$328\.28 per month$/m);
        assert.match(text, /^ {2}network: availabilityZoneCount 1 → 2; natMode single → perAz$/m);
        assert.match(text, /^ {2}\+ only in big: backup\.Vault 1$/m);
        assert.match(text, /^ {2}- only in small: s3\.Bucket 1$/m);
        assert.match(text, /^ {2}~ in both, counts differ: ec2\.NatGateway 1 → 2$/m);
        assert.match(text, /^ {2}2 × cloudwatch\.LogGroup: retentionInDays 30 → 365\n {6}platform-\*-control-plane, platform-\*-flow-logs$/m);
        assert.ok(text.split("\n").every((line) => [...line].length <= 100));
    });

    it("flattens config to dotted paths, keeping lists of plain values whole", function () {
        assert.deepEqual(flatten({ a: { b: 1, c: ["x", "y"] }, d: [{ e: true }] }), { "a.b": 1, "a.c": ["x", "y"], "d.0.e": true });
    });
});
