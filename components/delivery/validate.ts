/**
 * Checks of the delivery settings, shared by the component (which fails with a ResourceError)
 * and config/ (which names the stack file and key). Each returns "path: got X; expected Y"
 * lines, empty when all is well.
 */
import { DNS_LABEL, parseQuantity } from "../cluster/validate";
import { WHOLE, between, got } from "../shared/problems";
import { DeliveryStrategy } from "./args";
import { SCRAPE_INTERVAL_SECONDS, timeToAbortSeconds } from "./analysis";
import { DEREGISTRATION_DELAY_SECONDS, PLATFORM_ENV_NAMES } from "./rollout";
import { CanaryStepSettings, DeliverySettings } from "./settings";

/** Tags that move under a running deployment: a pinned image never uses them. */
const MOVING_TAGS = ["latest", "stable", "main", "master", "edge", "nightly", "dev"];
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** A repository reference without tag or digest: lower-case path components, an optional registry host and port. */
const REPOSITORY = /^([a-z0-9.-]+(:\d+)?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const CERTIFICATE_ARN = /^arn:aws(-[a-z]+)*:acm:([a-z]{2}(-[a-z]+)+-\d):(\d{12}):certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PROMETHEUS_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** The longest derived name, `<name>-preview-traffic`, must stay a DNS label. */
const MAX_NAME_LENGTH = 40;
const DAY_SECONDS = 86400;

function imageProblems(image: DeliverySettings["image"], path: string): string[] {
    const problems = REPOSITORY.test(image.repository)
        ? []
        : [`${path}.repository: got ${got(image.repository)}; expected a repository without tag or digest, such as "ghcr.io/stefanprodan/podinfo"`];
    if (MOVING_TAGS.includes(image.tag)) {
        problems.push(`${path}.tag: got ${got(image.tag)}, a tag that moves; expected a release tag such as "6.14.1" or a digest "sha256:…"`);
    } else if (!DIGEST.test(image.tag) && !(TAG.test(image.tag) && !image.tag.startsWith("sha256"))) {
        problems.push(`${path}.tag: got ${got(image.tag)}; expected a release tag such as "6.14.1" or a digest "sha256:" followed by 64 hex digits`);
    }
    return problems;
}

function resourceProblems(r: DeliverySettings["resources"], path: string): string[] {
    const problems: string[] = [];
    const pairs: Array<[keyof typeof r, keyof typeof r]> = [
        ["requestsCpu", "limitsCpu"],
        ["requestsMemory", "limitsMemory"],
    ];
    for (const [request, limit] of pairs) {
        const requested = parseQuantity(r[request]);
        const limited = parseQuantity(r[limit]);
        for (const [key, value] of [[request, requested], [limit, limited]] as const) {
            if (value === undefined || value <= 0) {
                problems.push(`${path}.${key}: got ${got(r[key])}; expected a positive Kubernetes quantity such as "250m" or "256Mi"`);
            }
        }
        if (requested !== undefined && limited !== undefined && requested > limited) {
            problems.push(`${path}.${request}: got ${got(r[request])}, more than ${limit} ${got(r[limit])}; expected a request no larger than its limit`);
        }
    }
    return problems;
}

function stepProblems(steps: CanaryStepSettings[], path: string): string[] {
    if (steps.length === 0) {
        return [`${path}: got none; expected at least one step, such as weights 5, 25, 50, 100`];
    }
    return steps.flatMap((step, i) => {
        const at = `${path}[${i}]`;
        const problems = [...between(step.weightPercent, 1, 100, `${at}.weightPercent`, WHOLE), ...between(step.pauseSeconds, 0, DAY_SECONDS, `${at}.pauseSeconds`, `${WHOLE} of seconds`)];
        if (i > 0 && step.weightPercent <= steps[i - 1].weightPercent) {
            problems.push(`${at}.weightPercent: got ${step.weightPercent} after ${steps[i - 1].weightPercent}; expected weights that only increase`);
        }
        if (step.awaitPromotion && step.pauseSeconds > 0) {
            problems.push(`${at}: got both pauseSeconds ${step.pauseSeconds} and awaitPromotion; expected one way to leave the step`);
        }
        return problems;
    });
}

function analysisProblems(s: DeliverySettings, path: string): string[] {
    const a = s.analysis;
    const problems = [
        ...between(a.intervalSeconds, 10, 600, `${path}.intervalSeconds`, `${WHOLE} of seconds`),
        ...between(a.measurements, 1, 100, `${path}.measurements`, WHOLE),
        ...between(a.failureLimit, 0, 10, `${path}.failureLimit`, WHOLE),
        // A rate needs two samples in its window.
        ...between(a.windowSeconds, 2 * SCRAPE_INTERVAL_SECONDS, 3600, `${path}.windowSeconds`, `${WHOLE} of seconds (at least two scrapes of ${SCRAPE_INTERVAL_SECONDS} s)`),
        ...between(a.maxErrorRateIncreasePoints, 0.1, 100, `${path}.maxErrorRateIncreasePoints`, "a number of percentage points"),
        ...between(a.maxLatencyIncreasePercent, 1, 1000, `${path}.maxLatencyIncreasePercent`),
        ...between(a.maxTimeToAbortSeconds, 60, 3600, `${path}.maxTimeToAbortSeconds`, `${WHOLE} of seconds`),
    ];
    if (problems.length > 0 || s.strategy === DeliveryStrategy.Rolling) {
        return problems;
    }
    if (s.strategy === DeliveryStrategy.BlueGreen && a.measurements <= a.failureLimit) {
        problems.push(`${path}.measurements: got ${a.measurements} with failureLimit ${a.failureLimit}; expected more measurements than the failure limit, or no measurement could ever fail the analysis`);
    }
    const worst = timeToAbortSeconds(s);
    if (worst > a.maxTimeToAbortSeconds) {
        problems.push(
            `${path}.maxTimeToAbortSeconds: the target is ${a.maxTimeToAbortSeconds} s, but a bad version could serve for ${worst} s before the rollout aborts ` +
                `(scrape ${SCRAPE_INTERVAL_SECONDS} s + window ${a.windowSeconds} s + ${a.failureLimit + 1} measurements × ${a.intervalSeconds} s); ` +
                "shorten intervalSeconds or windowSeconds, or lower failureLimit",
        );
    }
    return problems;
}

/** Every problem with the settings; `region` is the stack's, which the certificate must be in. */
export function deliveryProblems(s: DeliverySettings, context: { region?: string; applicationNamespaces: readonly string[]; takenNamespaces: readonly string[] }, prefix = ""): string[] {
    const problems: string[] = [];
    if (!DNS_LABEL.test(s.name) || s.name.length > MAX_NAME_LENGTH) {
        problems.push(`${prefix}name: got ${got(s.name)}; expected a DNS label of at most ${MAX_NAME_LENGTH} characters (lower-case letters, digits, "-")`);
    }
    if (!context.applicationNamespaces.includes(s.namespace)) {
        problems.push(`${prefix}namespace: got ${got(s.namespace)}; expected one of the application namespaces: ${context.applicationNamespaces.map((n) => `"${n}"`).join(", ")}`);
    }
    if (!HOSTNAME.test(s.hostname)) {
        problems.push(`${prefix}hostname: got ${got(s.hostname)}; expected the public host name users reach, such as "api.example.com"`);
    }
    const arn = CERTIFICATE_ARN.exec(s.certificateArn);
    if (arn === null) {
        problems.push(`${prefix}certificateArn: got ${got(s.certificateArn)}; expected an ACM certificate ARN, "arn:aws:acm:<region>:<account>:certificate/<id>"`);
    } else if (context.region !== undefined && arn[2] !== context.region) {
        problems.push(`${prefix}certificateArn: got a certificate in ${arn[2]}; an ALB in ${context.region} can only use a certificate from ${context.region}`);
    }
    problems.push(...imageProblems(s.image, `${prefix}image`));
    // Unprivileged containers cannot bind below 1024.
    problems.push(...between(s.port, 1024, 65535, `${prefix}port`, WHOLE), ...between(s.metricsPort, 1024, 65535, `${prefix}metricsPort`, WHOLE));
    if (!PROMETHEUS_LABEL.test(s.statusCodeLabel)) {
        problems.push(`${prefix}statusCodeLabel: got ${got(s.statusCodeLabel)}; expected a Prometheus label name such as "code"`);
    }
    problems.push(...between(s.runAsUser, 1, 2147483647, `${prefix}runAsUser`, `${WHOLE} other than 0 (root)`));
    problems.push(...between(s.replicas, 1, 50, `${prefix}replicas`, WHOLE));
    problems.push(...resourceProblems(s.resources, `${prefix}resources`));
    for (const key of ["livenessPath", "readinessPath"] as const) {
        if (!/^\/\S*$/.test(s.health[key])) {
            problems.push(`${prefix}health.${key}: got ${got(s.health[key])}; expected a path starting with "/"`);
        }
    }
    problems.push(...between(s.health.startupTimeoutSeconds, 5, 600, `${prefix}health.startupTimeoutSeconds`, `${WHOLE} of seconds`));
    for (const name of Object.keys(s.env)) {
        if (!ENV_NAME.test(name)) {
            problems.push(`${prefix}env.${name}: not an environment variable name; expected letters, digits and "_", not starting with a digit`);
        } else if (PLATFORM_ENV_NAMES.includes(name)) {
            problems.push(`${prefix}env.${name}: set by the platform (${PLATFORM_ENV_NAMES.join(", ")}); expected another name`);
        }
    }
    const strategies = Object.values(DeliveryStrategy) as string[];
    if (!strategies.includes(s.strategy)) {
        problems.push(`${prefix}strategy: got ${got(s.strategy)}; expected one of ${strategies.map((v) => `"${v}"`).join(", ")}`);
    }
    problems.push(...stepProblems(s.canary.steps, `${prefix}canary.steps`));
    problems.push(...between(s.blueGreen.autoPromotionSeconds, 0, DAY_SECONDS, `${prefix}blueGreen.autoPromotionSeconds`, `${WHOLE} of seconds`));
    // The old version must outlive the ALB's draining of it, or an undo would find it gone.
    problems.push(...between(s.blueGreen.scaleDownDelaySeconds, 2 * DEREGISTRATION_DELAY_SECONDS, DAY_SECONDS, `${prefix}blueGreen.scaleDownDelaySeconds`, `${WHOLE} of seconds`));
    problems.push(...analysisProblems(s, `${prefix}analysis`));
    const a = s.autoscaling;
    problems.push(
        ...between(a.maxReplicas, Math.max(1, s.replicas), 100, `${prefix}autoscaling.maxReplicas`, `${WHOLE} (at least replicas, ${s.replicas})`),
        ...between(a.cpuUtilizationPercent, 10, 95, `${prefix}autoscaling.cpuUtilizationPercent`, WHOLE),
        ...between(a.memoryUtilizationPercent, 10, 95, `${prefix}autoscaling.memoryUtilizationPercent`, WHOLE),
        ...between(a.scaleDownStabilizationSeconds, 0, 3600, `${prefix}autoscaling.scaleDownStabilizationSeconds`, `${WHOLE} of seconds`),
    );
    const c = s.controller;
    if (!DNS_LABEL.test(c.namespace)) {
        problems.push(`${prefix}controller.namespace: got ${got(c.namespace)}; expected a DNS label`);
    } else if ([...context.applicationNamespaces, ...context.takenNamespaces].includes(c.namespace)) {
        problems.push(`${prefix}controller.namespace: got ${got(c.namespace)}; expected a namespace of its own`);
    }
    problems.push(...between(c.replicas, 1, 5, `${prefix}controller.replicas`, WHOLE));
    return problems;
}
