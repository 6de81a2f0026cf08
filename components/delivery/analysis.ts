/**
 * The analysis that decides whether a new version stays: Argo Rollouts AnalysisTemplates that
 * compare the new revision's error rate and latency with the stable revision's, in the
 * Prometheus of the Observability component, and the arithmetic of how long a bad version can
 * serve before the rollout aborts. Pure functions: tests read the queries without Pulumi.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { APPLICATION_METRICS } from "../observability/metrics";
import { RESTRICTED_CONTAINER, RESTRICTED_POD } from "../cluster/tenancy";
import { NODE_RUNTIME } from "../shared/images";
import { DeliveryStrategy } from "./args";
import { DeliverySettings } from "./settings";

/** The label Argo Rollouts puts on every pod of a revision. */
export const REVISION_LABEL = "rollouts-pod-template-hash";
/** The same label on the application's series (Prometheus label names take no "-"). */
export const REVISION_METRIC_LABEL = "rollouts_pod_template_hash";
/** How often Prometheus scrapes the application: the first delay in noticing a bad version. */
export const SCRAPE_INTERVAL_SECONDS = 15;
/** Rollouts that make no progress (pods never ready) for this long abort. */
export const PROGRESS_DEADLINE_SECONDS = 600;

/** The analysis arguments the Rollout fills in with the two revisions' hashes. */
export const ANALYSIS_ARGS = { candidate: "candidate-hash", stable: "stable-hash" } as const;

export const PREVIEW_TRAFFIC_SCRIPT = join(__dirname, "traffic", "preview-traffic.mjs");

export function templateNames(app: string) {
    return { errorRate: `${app}-error-rate`, latency: `${app}-latency`, previewTraffic: `${app}-preview-traffic` };
}

/** The application's series of one revision: `{{args.…}}` is filled in by Argo Rollouts. */
function revision(s: DeliverySettings, arg: string, extra = ""): string {
    return `{namespace="${s.namespace}", container="${s.name}", ${REVISION_METRIC_LABEL}="{{args.${arg}}}"${extra}}`;
}

/**
 * The share of a revision's requests answered 5xx over the window. A revision without errors
 * has no 5xx series at all (an empty vector, not zero) and one without requests has nothing to
 * divide by: both read as 0, so the expression always yields one number.
 */
function errorShare(s: DeliverySettings, arg: string): string {
    const window = `[${s.analysis.windowSeconds}s]`;
    const errors = `sum(rate(${APPLICATION_METRICS.requests}${revision(s, arg, ', code=~"5.."')}${window}))`;
    const all = `sum(rate(${APPLICATION_METRICS.requests}${revision(s, arg)}${window}))`;
    return `((${errors} or vector(0)) / (${all} > 0 or vector(1)))`;
}

/** Candidate's 5xx share minus the stable revision's, as a fraction (0.02 is two percentage points). */
export function errorRateQuery(s: DeliverySettings): string {
    return `${errorShare(s, ANALYSIS_ARGS.candidate)} - ${errorShare(s, ANALYSIS_ARGS.stable)}`;
}

function p95(s: DeliverySettings, arg: string): string {
    return `histogram_quantile(0.95, sum by (le) (rate(${APPLICATION_METRICS.duration}_bucket${revision(s, arg)}[${s.analysis.windowSeconds}s])))`;
}

/**
 * Candidate's p95 latency over the stable revision's. With no requests a quantile is NaN and
 * without series the quotient is empty; `or vector(1)` turns the empty case into "no worse", and
 * the success condition accepts NaN, so only measured slowness fails.
 */
export function latencyRatioQuery(s: DeliverySettings): string {
    return `(${p95(s, ANALYSIS_ARGS.candidate)} / ${p95(s, ANALYSIS_ARGS.stable)}) or vector(1)`;
}

/** `30s`: Argo Rollouts durations. */
function seconds(value: number): string {
    return `${value}s`;
}

/**
 * The worst case from a bad version taking traffic to the rollout's abort: its responses reach
 * Prometheus within a scrape, the rate window fills with them, the next measurement comes within
 * an interval, and `failureLimit` more measurements must fail after it. Rolling updates are not
 * analysed: only the progress deadline stops one, and only when its pods never become ready.
 */
export function timeToAbortSeconds(s: Pick<DeliverySettings, "strategy" | "analysis">): number {
    if (s.strategy === DeliveryStrategy.Rolling) {
        return PROGRESS_DEADLINE_SECONDS;
    }
    const a = s.analysis;
    return SCRAPE_INTERVAL_SECONDS + a.windowSeconds + (a.failureLimit + 1) * a.intervalSeconds;
}

/** Blue-green measures the preview once traffic has filled a window, a bounded number of times. */
function bounded(s: DeliverySettings) {
    return s.strategy === DeliveryStrategy.BlueGreen
        ? { initialDelay: seconds(SCRAPE_INTERVAL_SECONDS + s.analysis.windowSeconds), count: s.analysis.measurements }
        : {};
}

function prometheusMetric(s: DeliverySettings, prometheusUrl: string, name: string, query: string, successCondition: string) {
    return {
        name,
        interval: seconds(s.analysis.intervalSeconds),
        ...bounded(s),
        failureLimit: s.analysis.failureLimit,
        successCondition,
        provider: { prometheus: { address: prometheusUrl, query, timeout: 20 } },
    };
}

const TEMPLATE_ARGS = [{ name: ANALYSIS_ARGS.candidate }, { name: ANALYSIS_ARGS.stable }];

export function errorRateTemplateSpec(s: DeliverySettings, prometheusUrl: string) {
    const limit = s.analysis.maxErrorRateIncreasePoints / 100;
    return {
        args: TEMPLATE_ARGS,
        metrics: [prometheusMetric(s, prometheusUrl, "error-rate-increase", errorRateQuery(s), `len(result) == 1 && result[0] <= ${limit}`)],
    };
}

export function latencyTemplateSpec(s: DeliverySettings, prometheusUrl: string) {
    const limit = 1 + s.analysis.maxLatencyIncreasePercent / 100;
    return {
        args: TEMPLATE_ARGS,
        metrics: [prometheusMetric(s, prometheusUrl, "p95-latency-ratio", latencyRatioQuery(s), `len(result) == 1 && (isNaN(result[0]) || result[0] <= ${limit})`)],
    };
}

/** How long the preview traffic runs: until the last measurement of the pre-promotion analysis. */
export function previewTrafficSeconds(s: DeliverySettings): number {
    return SCRAPE_INTERVAL_SECONDS + s.analysis.windowSeconds + s.analysis.measurements * s.analysis.intervalSeconds;
}

export const PREVIEW_TRAFFIC_LABELS = (app: string) => ({ "app.kubernetes.io/name": `${app}-preview-traffic`, "app.kubernetes.io/part-of": "platform" });

/** A Job metric: steady requests to the preview Service for the analysis' whole length. */
export function previewTrafficTemplateSpec(s: DeliverySettings, previewUrl: string) {
    const duration = previewTrafficSeconds(s);
    return {
        metrics: [
            {
                name: "preview-traffic",
                provider: {
                    job: {
                        spec: {
                            backoffLimit: 0,
                            activeDeadlineSeconds: duration + 120,
                            ttlSecondsAfterFinished: 24 * 3600,
                            template: {
                                metadata: { labels: PREVIEW_TRAFFIC_LABELS(s.name) },
                                spec: {
                                    restartPolicy: "Never",
                                    automountServiceAccountToken: false,
                                    securityContext: { ...RESTRICTED_POD, runAsUser: NODE_RUNTIME.user, runAsGroup: NODE_RUNTIME.user },
                                    containers: [
                                        {
                                            name: "traffic",
                                            image: NODE_RUNTIME.image,
                                            command: ["node", "--eval", readFileSync(PREVIEW_TRAFFIC_SCRIPT, "utf8")],
                                            env: [
                                                { name: "TARGET_URL", value: previewUrl },
                                                { name: "DURATION_SECONDS", value: String(duration) },
                                                { name: "REQUESTS_PER_SECOND", value: "5" },
                                            ],
                                            resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
                                            securityContext: { ...RESTRICTED_CONTAINER, runAsNonRoot: true },
                                        },
                                    ],
                                },
                            },
                        },
                    },
                },
            },
        ],
    };
}

/** The Rollout's side of the templates' arguments: which revision is which. */
export function analysisArgs() {
    return [
        { name: ANALYSIS_ARGS.candidate, valueFrom: { podTemplateHashValue: "Latest" } },
        { name: ANALYSIS_ARGS.stable, valueFrom: { podTemplateHashValue: "Stable" } },
    ];
}
