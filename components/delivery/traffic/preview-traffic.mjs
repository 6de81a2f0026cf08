// @ts-check
// Sends steady traffic to a blue-green rollout's preview Service while its pre-promotion
// analysis runs, so the preview's error rate and latency are measured on requests rather than
// on silence. The analysis judges those from Prometheus; this job fails only when the preview
// cannot be reached at all. Node.js alone: no dependencies.
//
// Environment: TARGET_URL, DURATION_SECONDS, REQUESTS_PER_SECOND, REQUEST_TIMEOUT_SECONDS.

const MIN_ANSWERED_SHARE = 0.5;

/** @typedef {ReturnType<typeof readSettings>} TrafficSettings */

/** @param {NodeJS.ProcessEnv} env */
function readSettings(env) {
    const number = (/** @type {string} */ name, /** @type {string | undefined} */ fallback = undefined) => {
        const raw = env[name] ?? fallback;
        const value = Number(raw);
        if (!Number.isFinite(value) || value <= 0) {
            throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
        }
        return value;
    };
    if (!env.TARGET_URL) {
        throw new Error("TARGET_URL is not set");
    }
    return {
        url: env.TARGET_URL,
        durationSeconds: number("DURATION_SECONDS"),
        requestsPerSecond: number("REQUESTS_PER_SECOND", "5"),
        timeoutSeconds: number("REQUEST_TIMEOUT_SECONDS", "5"),
    };
}

/**
 * One request: the status class it got ("2xx" ... "5xx"), or "unanswered".
 * @param {string} url @param {number} timeoutSeconds
 */
async function probe(url, timeoutSeconds) {
    try {
        const response = await fetch(url, { signal: AbortSignal.timeout(timeoutSeconds * 1000) });
        await response.arrayBuffer();
        return `${Math.floor(response.status / 100)}xx`;
    } catch {
        return "unanswered";
    }
}

/**
 * Sends the traffic; true when at least half of it was answered.
 * @param {TrafficSettings} settings @param {(line: string) => void} [log]
 */
async function run(settings, log = console.log) {
    /** @type {Record<string, number>} */
    const counts = {};
    const pending = [];
    const total = Math.round(settings.durationSeconds * settings.requestsPerSecond);
    const gapMs = 1000 / settings.requestsPerSecond;
    for (let i = 0; i < total; i++) {
        pending.push(probe(settings.url, settings.timeoutSeconds).then((outcome) => {
            counts[outcome] = (counts[outcome] ?? 0) + 1;
        }));
        await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
    await Promise.all(pending);
    const answered = total - (counts.unanswered ?? 0);
    log(`${settings.url}: ${total} requests, ${JSON.stringify(counts)}`);
    return total > 0 && answered / total >= MIN_ANSWERED_SHARE;
}

Promise.resolve()
    .then(() => run(readSettings(process.env)))
    .then(
        (reachable) => {
            process.exitCode = reachable ? 0 : 1;
        },
        (error) => {
            console.error(error instanceof Error ? error.message : error);
            process.exitCode = 2;
        },
    );
