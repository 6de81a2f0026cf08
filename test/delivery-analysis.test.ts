import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { AddressInfo } from "node:net";
import { createServer } from "node:http";
import { PROFILES } from "../config";
import { DeliveryStrategy } from "../components/delivery/args";
import { PREVIEW_TRAFFIC_SCRIPT, errorRateQuery, latencyRatioQuery, previewTrafficTemplateSpec, timeToAbortSeconds } from "../components/delivery/analysis";
import { DeliverySettings } from "../components/delivery/settings";
import { deliveryProblems } from "../components/delivery/validate";
import { METRICS_BY_SOURCE } from "../components/observability/metrics";
import { checkPromql } from "./promql";

const SETTINGS: DeliverySettings = { ...PROFILES.prod.delivery, hostname: "shop.example.com", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/9a3f7e12-6c4b-4d8a-b2e5-7f1c3d9e0a64" };
const CONTEXT = { region: "us-east-1", applicationNamespaces: ["api"], takenNamespaces: ["monitoring", "velero"] };

/** The query as Prometheus receives it, Argo Rollouts having filled in the two revisions. */
function filled(query: string): string {
    return query.replace("{{args.candidate-hash}}", "7d9f8c6b5").replace("{{args.stable-hash}}", "5c4b3a2f1");
}

describe("delivery analysis: the queries", function () {
    const application = new Set(METRICS_BY_SOURCE.application.flatMap((m) => [m, `${m}_bucket`]));

    for (const [name, query] of [["error rate", errorRateQuery(SETTINGS)], ["latency", latencyRatioQuery(SETTINGS)]] as const) {
        it(`${name}: parses as PromQL and reads only the application's contract metrics`, function () {
            const { syntaxErrors, metrics } = checkPromql(filled(query));
            assert.deepEqual(syntaxErrors, []);
            assert.ok(metrics.length >= 2);
            assert.deepEqual(metrics.filter((m) => !application.has(m)), []);
        });
    }

    it("error rate: each revision's 5xx share, with an empty 5xx vector read as zero and no traffic never divided by", function () {
        const query = errorRateQuery(SETTINGS);
        const revisions = [...query.matchAll(/rollouts_pod_template_hash="\{\{args\.([a-z-]+)\}\}"/g)].map((m) => m[1]);
        // Errors and all requests, of the candidate and then of the stable revision.
        assert.deepEqual(revisions, ["candidate-hash", "candidate-hash", "stable-hash", "stable-hash"]);
        assert.equal(query.match(/code=~"5\.\."\}\[120s\]\)\) or vector\(0\)\)/g)?.length, 2);
        assert.equal(query.match(/\[120s\]\)\) > 0 or vector\(1\)\)/g)?.length, 2);
        assert.ok(query.indexOf("candidate-hash") < query.indexOf(" - "), "candidate minus stable");
    });

    it("latency: the candidate's p95 over the stable one's, an empty result read as no worse", function () {
        const query = latencyRatioQuery(SETTINGS);
        const [ratio, fallback] = query.split(" or ");
        assert.equal(fallback, "vector(1)");
        const [candidate, stable] = ratio.slice(1, -1).split(" / ");
        for (const [side, arg] of [[candidate, "candidate-hash"], [stable, "stable-hash"]]) {
            assert.ok(side.startsWith("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{"), side);
            assert.ok(side.includes(`{{args.${arg}}}`) && side.endsWith("[120s])))"), side);
        }
    });
});

describe("delivery analysis: time to abort", function () {
    it("adds a scrape, the rate window and failureLimit + 1 measurement intervals", function () {
        assert.equal(timeToAbortSeconds(SETTINGS), 15 + 120 + 2 * 30);
        assert.equal(timeToAbortSeconds({ strategy: DeliveryStrategy.Canary, analysis: { ...SETTINGS.analysis, failureLimit: 0, intervalSeconds: 60, windowSeconds: 60 } }), 15 + 60 + 60);
    });

    it("is the progress deadline for rolling updates, which are not analysed", function () {
        assert.equal(timeToAbortSeconds({ ...SETTINGS, strategy: DeliveryStrategy.Rolling }), 600);
    });

    it("meets the 5-minute target in staging and prod by default", function () {
        for (const env of ["staging", "prod"] as const) {
            const delivery = PROFILES[env].delivery;
            assert.equal(delivery.analysis.maxTimeToAbortSeconds, 300);
            assert.ok(timeToAbortSeconds(delivery) <= 300, env);
        }
    });

    it("rejects settings that would let a bad version serve longer than the target, naming what to change", function () {
        const slow = { ...SETTINGS, analysis: { ...SETTINGS.analysis, failureLimit: 5 } };
        assert.deepEqual(deliveryProblems(slow, CONTEXT), [
            "analysis.maxTimeToAbortSeconds: the target is 300 s, but a bad version could serve for 315 s before the rollout aborts (scrape 15 s + window 120 s + 6 measurements × 30 s); shorten intervalSeconds or windowSeconds, or lower failureLimit",
        ]);
        assert.deepEqual(deliveryProblems({ ...slow, strategy: DeliveryStrategy.Rolling }, CONTEXT), [], "rolling updates are not analysed");
    });
});

describe("delivery analysis: the preview traffic job", function () {
    /** Runs the script as the Job does (`node --eval`), against `url`. */
    function runJob(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
        const script = readFileSync(PREVIEW_TRAFFIC_SCRIPT, "utf8");
        const child = spawn(process.execPath, ["--eval", script], { env: { PATH: process.env.PATH ?? "", ...env } });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
    }

    it("is the repository's script, run by the pinned Node.js image with the analysis' duration", function () {
        const spec = previewTrafficTemplateSpec({ ...SETTINGS, strategy: DeliveryStrategy.BlueGreen }, "http://api-preview.api.svc.cluster.local:80/");
        const container = spec.metrics[0].provider.job.spec.template.spec.containers[0];
        assert.deepEqual(container.command, ["node", "--eval", readFileSync(PREVIEW_TRAFFIC_SCRIPT, "utf8")]);
        assert.match(container.image, /^docker\.io\/library\/node:\d+\.\d+\.\d+-alpine$/);
        assert.equal(container.env.find((e) => e.name === "DURATION_SECONDS")?.value, String(15 + 120 + 10 * 30));
    });

    it("succeeds when the preview answers, whatever its status codes (Prometheus judges those)", async function () {
        let requests = 0;
        const server = createServer((_request, response) => {
            requests++;
            response.statusCode = requests % 2 === 0 ? 500 : 200;
            response.end("ok");
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const { port } = server.address() as AddressInfo;
        try {
            const { code, output } = await runJob({ TARGET_URL: `http://127.0.0.1:${port}/`, DURATION_SECONDS: "1", REQUESTS_PER_SECOND: "20" });
            assert.equal(code, 0, output);
            assert.equal(requests, 20);
            assert.match(output, /"2xx":10/);
            assert.match(output, /"5xx":10/);
        } finally {
            server.close();
        }
    });

    it("fails when the preview cannot be reached, and on missing settings", async function () {
        const unreachable = await runJob({ TARGET_URL: "http://127.0.0.1:9/", DURATION_SECONDS: "1", REQUESTS_PER_SECOND: "5", REQUEST_TIMEOUT_SECONDS: "1" });
        assert.equal(unreachable.code, 1, unreachable.output);
        assert.match(unreachable.output, /"unanswered":5/);
        const misconfigured = await runJob({ DURATION_SECONDS: "1" });
        assert.equal(misconfigured.code, 2);
        assert.match(misconfigured.output, /TARGET_URL is not set/);
    });
});
