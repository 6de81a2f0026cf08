// @ts-check
// Restore drill: a backup counts only once it has been restored. Restores the newest completed
// backup of one Velero schedule into a scratch namespace, checks that Velero restored every item
// without errors, then removes what it created. It runs in the plain `node` image, so it uses
// Node built-ins and global fetch only. Exit codes: 0 passed, 1 drill failed, 2 bad configuration.
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const TERMINAL_PHASES = new Set(["Completed", "PartiallyFailed", "Failed", "FailedValidation"]);
const REQUIRED_ENV = ["VELERO_NAMESPACE", "SCHEDULE_NAME", "SOURCE_NAMESPACE", "SCRATCH_NAMESPACE", "RESOURCE_MODIFIER_CONFIGMAP"];
// The drill deletes SCRATCH_NAMESPACE, so a slip in the CronJob must not point it at one of these.
const PROTECTED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];
// One hung connection must not silently eat the whole TIMEOUT_SECONDS budget.
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * @typedef {ReturnType<typeof readConfig>} DrillConfig
 * @typedef {{ metadata: { name: string }, status?: { phase?: string, completionTimestamp?: string } }} Backup
 * @typedef {{ phase?: string, errors?: number, warnings?: number, failureReason?: string, validationErrors?: string[],
 *   progress?: { totalItems?: number, itemsRestored?: number } }} RestoreStatus
 * @typedef {(method: string, path: string, options?: { body?: object, allowNotFound?: boolean }) => Promise<unknown>} KubernetesApi
 */

class ConfigurationError extends Error {}

/** @param {"info" | "error"} level @param {string} msg @param {Record<string, unknown>} [fields] */
function log(level, msg, fields = {}) {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
}

/** @param {unknown} error */
function messageOf(error) {
    return error instanceof Error ? error.message : String(error);
}

/** @param {NodeJS.ProcessEnv} env */
function readConfig(env) {
    const optional = (/** @type {string} */ name) => (env[name] === "" ? undefined : env[name]);
    const missing = REQUIRED_ENV.filter((name) => optional(name) === undefined);
    if (missing.length > 0) throw new ConfigurationError(`missing required environment variable(s): ${missing.join(", ")}`);
    const required = (/** @type {string} */ name) => /** @type {string} */ (optional(name));
    const positive = (/** @type {string} */ name, /** @type {number} */ fallback) => {
        const value = Number(optional(name) ?? fallback);
        if (!Number.isFinite(value) || value <= 0) throw new ConfigurationError(`${name} must be a positive number, got "${env[name]}"`);
        return value;
    };
    const [veleroNamespace, sourceNamespace, scratchNamespace] = ["VELERO_NAMESPACE", "SOURCE_NAMESPACE", "SCRATCH_NAMESPACE"].map(required);
    if ([sourceNamespace, veleroNamespace, ...PROTECTED_NAMESPACES].includes(scratchNamespace)) {
        throw new ConfigurationError(`SCRATCH_NAMESPACE "${scratchNamespace}" is deleted by the drill, so it must differ from SOURCE_NAMESPACE, VELERO_NAMESPACE and ${PROTECTED_NAMESPACES.join(", ")}`);
    }
    return {
        veleroNamespace,
        scheduleName: required("SCHEDULE_NAME"),
        sourceNamespace,
        scratchNamespace,
        resourceModifierConfigMap: required("RESOURCE_MODIFIER_CONFIGMAP"),
        maxBackupAgeHours: positive("MAX_BACKUP_AGE_HOURS", 26),
        // Bounds each wait separately: the leftover namespace's deletion, the restore, the cleanup.
        timeoutSeconds: positive("TIMEOUT_SECONDS", 3600),
        pollSeconds: positive("POLL_SECONDS", 10),
        apiUrl: optional("KUBERNETES_API_URL") ?? inClusterApiUrl(env),
        token: readToken(optional("TOKEN_FILE") ?? "/var/run/secrets/kubernetes.io/serviceaccount/token"),
    };
}

/** @param {NodeJS.ProcessEnv} env */
function inClusterApiUrl(env) {
    const host = env.KUBERNETES_SERVICE_HOST;
    if (!host) throw new ConfigurationError("KUBERNETES_API_URL is not set and KUBERNETES_SERVICE_HOST is missing: not running in a pod?");
    // An IPv6 cluster gives a bare address, which a URL needs in brackets.
    return `https://${host.includes(":") ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT ?? "443"}`;
}

/** @param {string} file */
function readToken(file) {
    try {
        return readFileSync(file, "utf8").trim();
    } catch (error) {
        throw new ConfigurationError(`cannot read the service-account token from TOKEN_FILE ${file}: ${messageOf(error)}`);
    }
}

/** Resolves to the parsed body, or to null for a 404 when the caller allows it. @returns {KubernetesApi} */
function kubernetesApi(/** @type {string} */ apiUrl, /** @type {string} */ token) {
    return async (method, path, { body, allowNotFound = false } = {}) => {
        const response = await fetch(apiUrl + path, {
            method,
            headers: { Authorization: `Bearer ${token}`, Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
            body: body ? JSON.stringify(body) : undefined,
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        }).catch((/** @type {unknown} */ error) => {
            // fetch says only "fetch failed"; the cause (refused, DNS, TLS, timeout) is what helps.
            const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
            throw new Error(`${method} ${path} failed: ${messageOf(cause)}`);
        });
        const text = await response.text();
        if (response.status === 404 && allowNotFound) return null;
        if (!response.ok) throw new Error(`${method} ${path} returned ${response.status}${apiMessage(text)}`);
        return text ? /** @type {unknown} */ (JSON.parse(text)) : null;
    };
}

/** The `message` of a Kubernetes Status body, which says why far better than the status code. */
function apiMessage(/** @type {string} */ text) {
    try {
        const status = /** @type {unknown} */ (JSON.parse(text));
        return typeof status === "object" && status !== null && "message" in status && typeof status.message === "string" ? `: ${status.message}` : "";
    } catch {
        return "";
    }
}

/** Everything about a finished restore that fails the drill, each naming what it saw. */
function restoreProblems(/** @type {RestoreStatus} */ status) {
    const problems = [];
    if (status.phase !== "Completed") {
        const why = [status.failureReason, ...(status.validationErrors ?? [])].filter(Boolean).join("; ");
        problems.push(`restore phase is ${status.phase}, not Completed${why ? ` (${why})` : ""}`);
    }
    if ((status.errors ?? 0) !== 0) problems.push(`restore reported ${status.errors} error(s)`);
    const total = status.progress?.totalItems ?? 0;
    const restored = status.progress?.itemsRestored ?? 0;
    if (total <= 0) problems.push(`restore reported totalItems ${total}: nothing was restored`);
    else if (restored !== total) problems.push(`restore restored ${restored} of ${total} items`);
    return problems;
}

class RestoreDrill {
    /** @param {DrillConfig} config @param {KubernetesApi} api */
    constructor(config, api) {
        this.config = config;
        this.api = api;
        this.namespacePath = `/api/v1/namespaces/${config.scratchNamespace}`;
        this.restoresPath = `/apis/velero.io/v1/namespaces/${config.veleroNamespace}/restores`;
    }

    /** Calls `isDone` every POLL_SECONDS until it returns true, for at most TIMEOUT_SECONDS. */
    async pollUntil(/** @type {string} */ what, /** @type {() => Promise<boolean>} */ isDone) {
        const deadline = Date.now() + this.config.timeoutSeconds * 1000;
        while (!(await isDone())) {
            if (Date.now() >= deadline) throw new Error(`timed out after ${this.config.timeoutSeconds}s waiting for ${what}`);
            await sleep(this.config.pollSeconds * 1000);
        }
    }

    /** Deletes the scratch namespace if present and waits until its objects, then it, have gone. */
    async deleteScratchNamespace() {
        const existed = (await this.api("DELETE", this.namespacePath, { allowNotFound: true })) !== null;
        await this.pollUntil(`namespace ${this.config.scratchNamespace} to be deleted`, async () => !(await this.scratchNamespaceExists()));
        return existed;
    }

    async scratchNamespaceExists() {
        return (await this.api("GET", this.namespacePath, { allowNotFound: true })) !== null;
    }

    async newestCompletedBackup() {
        const { veleroNamespace, scheduleName, maxBackupAgeHours } = this.config;
        const selector = encodeURIComponent(`velero.io/schedule-name=${scheduleName}`);
        const list = /** @type {{ items: Backup[] }} */ (await this.api("GET", `/apis/velero.io/v1/namespaces/${veleroNamespace}/backups?labelSelector=${selector}`));
        const [newest] = list.items
            .flatMap((b) => (b.status?.phase === "Completed" && b.status.completionTimestamp ? [{ name: b.metadata.name, completedAt: new Date(b.status.completionTimestamp) }] : []))
            .sort((a, b) => b.completedAt.getTime() - a.completedAt.getTime());
        if (!newest) throw new Error(`no completed backup of schedule ${scheduleName} in namespace ${veleroNamespace}`);
        const ageHours = (Date.now() - newest.completedAt.getTime()) / 3_600_000;
        if (ageHours > maxBackupAgeHours) {
            throw new Error(`newest completed backup ${newest.name} of schedule ${scheduleName} is ${ageHours.toFixed(1)}h old, more than MAX_BACKUP_AGE_HOURS=${maxBackupAgeHours}`);
        }
        log("info", "chose backup", { backup: newest.name, completedAt: newest.completedAt.toISOString(), ageHours: Number(ageHours.toFixed(2)) });
        return newest.name;
    }

    async createRestore(/** @type {string} */ backupName) {
        const { veleroNamespace, sourceNamespace, scratchNamespace, resourceModifierConfigMap } = this.config;
        const name = `restore-drill-${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}`;
        await this.api("POST", this.restoresPath, {
            body: {
                apiVersion: "velero.io/v1",
                kind: "Restore",
                metadata: { name, namespace: veleroNamespace, labels: { "app.kubernetes.io/name": "restore-drill" } },
                spec: {
                    backupName,
                    includedNamespaces: [sourceNamespace],
                    namespaceMapping: { [sourceNamespace]: scratchNamespace },
                    restorePVs: true,
                    existingResourcePolicy: "none",
                    resourceModifier: { kind: "ConfigMap", name: resourceModifierConfigMap },
                },
            },
        });
        return name;
    }

    async waitForRestore(/** @type {string} */ name) {
        /** @type {RestoreStatus} */
        let status = {};
        await this.pollUntil(`restore ${name} to finish`, async () => {
            const previousPhase = status.phase;
            status = /** @type {{ status?: RestoreStatus }} */ (await this.api("GET", `${this.restoresPath}/${name}`)).status ?? {};
            if (status.phase !== previousPhase) log("info", "restore phase changed", { restore: name, phase: status.phase ?? "(none yet)" });
            return TERMINAL_PHASES.has(status.phase ?? "");
        });
        const { phase, errors = 0, warnings = 0, progress } = status;
        log("info", "restore finished", { restore: name, phase, errors, warnings, progress });
        return status;
    }

    /** Never throws: what it could not remove becomes a reason the drill failed. */
    async cleanUp(/** @type {string | undefined} */ restoreName) {
        const problems = [];
        try {
            await this.deleteScratchNamespace();
        } catch (error) {
            problems.push(`cleanup of namespace ${this.config.scratchNamespace}: ${messageOf(error)}`);
        }
        try {
            if (restoreName) await this.api("DELETE", `${this.restoresPath}/${restoreName}`, { allowNotFound: true });
        } catch (error) {
            problems.push(`cleanup of restore ${restoreName}: ${messageOf(error)}`);
        }
        return problems;
    }

    async run() {
        const { scheduleName, sourceNamespace, scratchNamespace } = this.config;
        /** @type {Record<string, unknown>} */
        const summary = { schedule: scheduleName, sourceNamespace, scratchNamespace };
        const problems = [];
        /** @type {string | undefined} Only a Restore this run created is ours to delete. */
        let restoreName;
        try {
            if (await this.deleteScratchNamespace()) log("info", "deleted scratch namespace left by an earlier drill", { namespace: scratchNamespace });
            const backupName = await this.newestCompletedBackup();
            summary.backup = backupName;
            restoreName = await this.createRestore(backupName);
            summary.restore = restoreName;
            const status = await this.waitForRestore(restoreName);
            summary.itemsRestored = status.progress?.itemsRestored;
            problems.push(...restoreProblems(status));
            if (!(await this.scratchNamespaceExists())) problems.push(`scratch namespace ${scratchNamespace} does not exist after the restore`);
        } catch (error) {
            problems.push(messageOf(error));
        } finally {
            problems.push(...(await this.cleanUp(restoreName)));
        }
        if (problems.length > 0) {
            log("error", "restore drill failed", { ...summary, reason: problems.join("; ") });
            return 1;
        }
        log("info", "restore drill passed", summary);
        return 0;
    }
}

async function main() {
    let config;
    try {
        config = readConfig(process.env);
    } catch (error) {
        if (!(error instanceof ConfigurationError)) throw error;
        log("error", "restore drill misconfigured", { reason: error.message });
        return 2;
    }
    return new RestoreDrill(config, kubernetesApi(config.apiUrl, config.token)).run();
}

main().then(
    (code) => { process.exitCode = code; },
    (error) => {
        log("error", "restore drill failed", { reason: messageOf(error) });
        process.exitCode = 1;
    },
);
