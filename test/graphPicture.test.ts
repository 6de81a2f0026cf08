import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { className, shortType } from "../tools/graph";
import { componentDot, componentWiring, dotString, renderSvg, resourceDot } from "../tools/graphPicture";
import { README_GRAPH_PATH, readmeGraphSvg } from "../tools/readmeGraph";
import { RecordedResource } from "../tools/record";
import { PROJECT_DIR } from "../tools/synth";
import { ResourceGraph, recordedResource, synthStack } from "./helpers";

/** Text as Graphviz writes it into SVG: `&`, `<`, `>`, quotes and `-` as entities. */
function unescapeXml(text: string): string {
    return text
        .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
        .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&amp;/g, "&");
}

/** The SVG's parts, one per node, edge or cluster (a node's part includes its link group). */
function svgParts(svg: string): string[] {
    return svg.split(/<g id="(?=(?:node|edge|clust)\d+" class=)/);
}

/** The `<text>` lines of an SVG fragment. */
function texts(svg: string): string[] {
    return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => unescapeXml(m[1]));
}

/** The edges Graphviz drew: tail and head node names (here URNs) and the label's lines. */
function svgEdges(svg: string): Array<{ from: string; to: string; label: string[] }> {
    return svgParts(svg)
        .filter((part) => /^edge\d+" class="edge"/.test(part))
        .map((part) => {
            const [from, to] = unescapeXml(/<title>([^<]*)<\/title>/.exec(part)![1]).split("->");
            return { from, to, label: texts(part) };
        });
}

/** The `<text>` lines of each node Graphviz drew, by node name. */
function svgNodes(svg: string): Map<string, string[]> {
    return new Map(
        svgParts(svg)
            .filter((part) => /^node\d+" class="node"/.test(part))
            .map((part) => [unescapeXml(/<title>([^<]*)<\/title>/.exec(part)![1]), texts(part)]),
    );
}

/**
 * A stack of two components: `Store` (a bucket, a kubernetes provider) and `Reader`, whose
 * role's policy document names the bucket and whose config map uses Store's provider; plus a
 * `Late` component that only waits on Store, and an explicit provider at the top.
 */
function fixtureStack(storeName = "data"): RecordedResource[] {
    const root = "urn:pulumi:test::fixture::pulumi:pulumi:Stack::fixture-test";
    const urn = (type: string, name: string, parents = "") => `urn:pulumi:test::fixture::pulumi:pulumi:Stack${parents}$${type}::${name}`;
    const store = urn("fixture:index:Store", storeName);
    const reader = urn("fixture:index:Reader", "reader");
    const late = urn("fixture:index:Late", "late");
    const bucket = urn("aws:s3/bucket:Bucket", `${storeName}-bucket`, "$fixture:index:Store");
    const k8s = urn("pulumi:providers:kubernetes", `${storeName}-k8s`, "$fixture:index:Store");
    const dr = urn("pulumi:providers:aws", "dr");
    const bucketName = `${storeName}-bucket-4f2a9c1`;
    return [
        recordedResource({ urn: root, type: "pulumi:pulumi:Stack", name: "fixture-test", custom: false }),
        recordedResource({
            urn: store,
            type: "fixture:index:Store",
            name: storeName,
            parent: root,
            custom: false,
            // A secret, a number, a flag and a short word: none of them can say what feeds what.
            outputs: { bucketName, bucketArn: `arn:aws:s3:::${bucketName}`, queueName: "orders-queue", token: "[secret]", replicas: 3, versioned: true, tier: "hot" },
        }),
        recordedResource({ urn: bucket, type: "aws:s3/bucket:Bucket", name: `${storeName}-bucket`, parent: store, inputs: { bucket: bucketName } }),
        recordedResource({ urn: k8s, type: "pulumi:providers:kubernetes", name: `${storeName}-k8s`, parent: store }),
        recordedResource({ urn: dr, type: "pulumi:providers:aws", name: "dr", parent: root, inputs: { region: "us-west-2" } }),
        recordedResource({ urn: reader, type: "fixture:index:Reader", name: "reader", parent: root, custom: false, outputs: {} }),
        recordedResource({
            urn: urn("aws:iam/rolePolicy:RolePolicy", "reader-read", "$fixture:index:Reader"),
            type: "aws:iam/rolePolicy:RolePolicy",
            name: "reader-read",
            parent: reader,
            provider: dr,
            inputs: {
                policy: JSON.stringify({
                    Statement: [
                        { Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucketName}/*` },
                        // A value without a digit counts only where a string equals it: here, inside the document.
                        { Effect: "Allow", Action: "sqs:SendMessage", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/queue": "orders-queue" } } },
                    ],
                }),
                tier: "hot",
            },
            dependencies: [bucket],
            propertyDependencies: { policy: [bucket] },
        }),
        recordedResource({
            urn: urn("kubernetes:core/v1:ConfigMap", "reader-config", "$fixture:index:Reader"),
            type: "kubernetes:core/v1:ConfigMap",
            name: "reader-config",
            parent: reader,
            provider: k8s,
            inputs: { data: { bucket: bucketName, replicas: "3" } },
        }),
        recordedResource({ urn: late, type: "fixture:index:Late", name: "late", parent: root, custom: false, outputs: {} }),
        recordedResource({
            urn: urn("aws:sns/topic:Topic", "late-topic", "$fixture:index:Late"),
            type: "aws:sns/topic:Topic",
            name: "late-topic",
            parent: late,
            dependencies: [bucket],
        }),
    ];
}

describe("stack pictures", function () {
    let graph: ResourceGraph;
    let componentSvg: string;
    let byClass: Map<string, string>;
    /** How many resources are under a resource, all levels. */
    const under = (urn: string): number => graph.childrenOf(urn).reduce((n, child) => n + 1 + under(child.urn), 0);

    before(async function () {
        graph = await synthStack("prod");
        componentSvg = await renderSvg(componentDot(graph.resources));
        const root = graph.resources.find((r) => r.parent === null)!;
        byClass = new Map(graph.resources.filter((r) => r.parent === root.urn && !r.custom).map((r) => [className(r.type), r.urn]));
    });

    describe("the component picture of prod", function () {
        it("is an SVG with one node per top-level component: class, instance name and resources under it", function () {
            assert.match(componentSvg, /^<\?xml[^]*<svg\b[^]*<\/svg>\s*$/);
            assert.deepEqual([...byClass.keys()].sort(), ["Backup", "Cluster", "Database", "Network", "Observability", "ProgressiveDelivery"]);
            const nodes = svgNodes(componentSvg);
            for (const [name, urn] of byClass) {
                assert.deepEqual(nodes.get(urn), [name, graph.urn(urn)!.name, `${under(urn)} resources`], name);
            }
            const drProvider = graph.get("pulumi:providers:aws", "platform-prod-dr");
            assert.deepEqual(nodes.get(drProvider.urn), ["aws provider", "platform-prod-dr", "region us-west-2"]);
            // The kubernetes provider lives in Cluster: no node of its own.
            assert.equal(nodes.size, byClass.size + 1);
        });

        it("labels each wire with the outputs, and providers, that carry it", function () {
            const edges = svgEdges(componentSvg);
            const label = (from: string, to: string): string[] => {
                const edge = edges.find((e) => e.from === (byClass.get(from) ?? from) && e.to === byClass.get(to));
                assert.ok(edge, `no edge ${from} -> ${to}`);
                return edge.label.join(", ").split(", ");
            };
            assert.deepEqual(label("Network", "Cluster"), ["privateSubnetIds", "vpcId"]);
            assert.ok(label("Network", "Database").includes("databaseSubnetGroupName"));
            assert.ok(label("Cluster", "Database").includes("nodeSecurityGroupId"));
            for (const to of ["Observability", "Backup", "ProgressiveDelivery"]) {
                assert.equal(label("Cluster", to)[0], "kubernetes provider", to);
                assert.ok(label("Cluster", to).includes("oidcProviderArn"), to);
                // The issuer URL reaches the trust policies without its scheme.
                assert.ok(label("Cluster", to).includes("oidcProviderUrl"), to);
            }
            assert.deepEqual(label("Database", "Backup"), ["instanceArn", "securityGroupId"]);
            // From inside an IAM policy document; the key ARN inside it is the read policy's own.
            assert.ok(label("Database", "ProgressiveDelivery").includes("credentialsReadPolicyJson"));
            assert.ok(!label("Database", "ProgressiveDelivery").includes("credentialsKmsKeyArn"));
            assert.ok(label("Observability", "ProgressiveDelivery").includes("prometheusUrl"));
            assert.deepEqual(label(graph.get("pulumi:providers:aws", "platform-prod-dr").urn, "Backup"), ["aws provider"]);
            // The stack-wide naming base is no evidence: Backup gets no cluster name.
            assert.ok(!label("Cluster", "Backup").includes("clusterName"));
            // Nothing flows upstream.
            assert.ok(!edges.some((e) => e.to === byClass.get("Network")));
        });

        it("is the same DOT whatever order the resources were recorded in", function () {
            const reversed = [...graph.resources].reverse();
            assert.equal(componentDot(reversed), componentDot(graph.resources));
        });

        it("is what docs/platform-prod.svg shows", async function () {
            const expected = await readmeGraphSvg(graph.result);
            const actual = readFileSync(README_GRAPH_PATH, "utf8");
            assert.ok(actual === expected, `${relative(PROJECT_DIR, README_GRAPH_PATH)} is stale: run \`npm run graph:readme\` and commit the result`);
        });
    });

    describe("the resource picture of prod", function () {
        it("names every resource in its component's cluster and draws the dependencies", async function () {
            const svg = await renderSvg(resourceDot(graph.resources));
            const nodes = svgNodes(svg);
            for (const r of graph.resources.filter((x) => x.custom)) {
                assert.deepEqual(nodes.get(r.urn), [shortType(r.type), r.name], r.urn);
            }
            const clusters = texts(svgParts(svg).filter((part) => /^clust\d+" class="cluster"/.test(part)).join(""));
            for (const [name, urn] of byClass) {
                assert.ok(clusters.includes(`${name} ${graph.urn(urn)!.name} (${under(urn)} resources)`), name);
            }
            const vpc = graph.get("aws:ec2/vpc:Vpc", "platform-prod-vpc");
            const edges = svgEdges(svg);
            const subnets = graph.ofType("aws:ec2/subnet:Subnet");
            assert.ok(subnets.length > 0);
            for (const subnet of subnets) {
                assert.ok(edges.some((e) => e.from === vpc.urn && e.to === subnet.urn), subnet.name);
            }
        });
    });

    describe("wiring labels", function () {
        it("come from output values found in inputs, JSON documents included, and provider use", function () {
            const resources = fixtureStack();
            const { nodes, wires } = componentWiring(resources);
            assert.deepEqual(
                nodes.map((n) => [className(n.type), n.resourceCount]),
                [["Late", 1], ["Reader", 2], ["Store", 2], ["aws", 0]],
            );
            const short = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
            assert.deepEqual(
                wires.map((w) => [short(w.from), short(w.to), w.providers, w.outputs]),
                [
                    ["data", "late", [], []],
                    ["data", "reader", ["kubernetes provider"], ["bucketArn", "bucketName", "queueName"]],
                    ["dr", "reader", ["aws provider"], []],
                ],
            );
            const dot = componentDot(resources);
            assert.match(dot, /-> "[^"]*::late" \[label="depends on"/);
            assert.match(dot, /-> "[^"]*::reader" \[label="kubernetes provider, bucketArn\\nbucketName, queueName"/);
        });
    });

    describe("DOT text", function () {
        it("escapes quotes, backslashes and line breaks in labels", async function () {
            assert.equal(dotString('say "hi" \\ bye\nnext'), '"say \\"hi\\" \\\\ bye\\nnext"');
            const name = 'data "primary" \\ eu';
            const dot = componentDot(fixtureStack(name), { title: 'the "fixture" stack' });
            const svg = await renderSvg(dot);
            assert.ok([...svgNodes(svg).values()].some((lines) => lines.join("\n") === `Store\n${name}\n2 resources`));
            assert.ok(texts(svg).includes('the "fixture" stack'));
            const resourceSvg = await renderSvg(resourceDot(fixtureStack(name)));
            assert.ok(texts(resourceSvg).includes(`${name}-bucket`));
        });

        it("reports what Graphviz could not render", async function () {
            await assert.rejects(renderSvg("digraph { a -> }"), /Graphviz could not render the graph: .*syntax error/);
        });
    });
});
