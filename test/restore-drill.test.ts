import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { IncomingMessage, ServerResponse, createServer } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const SCRIPT = resolve(__dirname, "..", "components", "backup", "drill", "restore-drill.mjs");
const TOKEN = "drill-token-7f3a";
const ENV = {
    VELERO_NAMESPACE: "velero",
    SCHEDULE_NAME: "daily-api",
    SOURCE_NAMESPACE: "api",
    SCRATCH_NAMESPACE: "restore-drill-api",
    RESOURCE_MODIFIER_CONFIGMAP: "restore-drill-scale-to-zero",
    POLL_SECONDS: "0.01",
    TIMEOUT_SECONDS: "5",
};
const SCRATCH_PATH = `/api/v1/namespaces/${ENV.SCRATCH_NAMESPACE}`;
const RESTORES_PATH = "/apis/velero.io/v1/namespaces/velero/restores";

interface RestoreStatus {
    phase?: string;
    errors?: number;
    warnings?: number;
    progress?: { totalItems: number; itemsRestored: number };
}
/** How the fake Velero finishes a Restore; `stuck` never leaves InProgress. */
type Outcome = (RestoreStatus & { createsNamespace?: boolean }) | "stuck";
interface Backup { metadata: { name: string; labels: Record<string, string> }; status: { phase: string; completionTimestamp?: string } }
interface RecordedRequest { method: string; path: string; status: number; authorization?: string; body?: { metadata: Record<string, unknown>; spec: unknown } }

const COMPLETED: RestoreStatus = { phase: "Completed", warnings: 3, progress: { totalItems: 40, itemsRestored: 40 } };

function backup(name: string, schedule: string, phase: string, hoursAgo: number): Backup {
    return {
        metadata: { name, labels: { "velero.io/schedule-name": schedule } },
        status: { phase, completionTimestamp: new Date(Date.now() - hoursAgo * 3_600_000).toISOString() },
    };
}

/** A fake Kubernetes API holding namespaces, Velero backups and restores in memory. */
class FakeCluster {
    readonly requests: RecordedRequest[] = [];
    readonly restores = new Map<string, { body: object; gets: number }>();
    /** Namespaces by name; a deleted one answers GET once more while it terminates. */
    readonly namespaces = new Map<string, "Active" | "Terminating">();

    constructor(
        readonly backups: Backup[],
        readonly outcome: Outcome = COMPLETED,
    ) {}

    handle(method: string, url: URL, body: RecordedRequest["body"]): [number, object] {
        const path = url.pathname;
        if (path.startsWith("/api/v1/namespaces/")) return this.namespace(method, path.split("/")[4]);
        if (method === "GET" && path === "/apis/velero.io/v1/namespaces/velero/backups") {
            const [key, value] = (url.searchParams.get("labelSelector") ?? "").split("=");
            return [200, { items: this.backups.filter((b) => !key || b.metadata.labels[key] === value) }];
        }
        if (method === "POST" && path === RESTORES_PATH && body) {
            this.restores.set(String(body.metadata.name), { body, gets: 0 });
            return [201, body];
        }
        const restore = path.startsWith(`${RESTORES_PATH}/`) ? this.restores.get(path.split("/").pop()!) : undefined;
        if (restore && method === "GET") return [200, { ...restore.body, status: this.advance(restore) }];
        if (restore && method === "DELETE") {
            this.restores.delete(path.split("/").pop()!);
            return [200, restore.body];
        }
        return [404, { kind: "Status", message: `${path} not found` }];
    }

    /** Velero creates the target namespace as it starts restoring into it. */
    private advance(restore: { gets: number }): RestoreStatus {
        restore.gets += 1;
        if (restore.gets === 1) {
            if (this.outcome === "stuck" || this.outcome.createsNamespace !== false) this.namespaces.set(ENV.SCRATCH_NAMESPACE, "Active");
            return { phase: "InProgress" };
        }
        return this.outcome === "stuck" ? { phase: "InProgress" } : this.outcome;
    }

    private namespace(method: string, name: string): [number, object] {
        const phase = this.namespaces.get(name);
        if (phase === undefined) return [404, { kind: "Status", message: `namespaces "${name}" not found` }];
        if (method === "DELETE") this.namespaces.set(name, "Terminating");
        else if (phase === "Terminating") this.namespaces.delete(name);
        return [200, { metadata: { name }, status: { phase } }];
    }

    async serve<T>(use: (url: string) => Promise<T>): Promise<T> {
        const server = createServer((request, response) => void this.record(request, response));
        await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
        try {
            return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        } finally {
            server.closeAllConnections();
            await new Promise((done) => server.close(done));
        }
    }

    private async record(request: IncomingMessage, response: ServerResponse): Promise<void> {
        let text = "";
        for await (const chunk of request) text += String(chunk);
        const body = text ? (JSON.parse(text) as RecordedRequest["body"]) : undefined;
        const url = new URL(request.url ?? "/", "http://fake");
        const [status, answer] = this.handle(request.method ?? "GET", url, body);
        this.requests.push({ method: request.method ?? "", path: url.pathname, status, authorization: request.headers.authorization, body });
        response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(answer));
    }

    indexOf(method: string, path: string, status?: number): number {
        return this.requests.findIndex((r) => r.method === method && r.path === path && (status === undefined || r.status === status));
    }
}

interface LogLine { level: string; msg: string; reason?: string; backup?: string }
interface DrillRun { code: number | null; lines: LogLine[]; last: LogLine }

let tokenDir: string;
before(() => {
    tokenDir = mkdtempSync(join(tmpdir(), "restore-drill-"));
    writeFileSync(join(tokenDir, "token"), `${TOKEN}\n`);
});
after(() => rmSync(tokenDir, { recursive: true, force: true }));

/** Runs the script against `cluster`; `env` overrides ENV, and an undefined value removes a variable. */
function runDrill(cluster: FakeCluster, env: Record<string, string | undefined> = {}): Promise<DrillRun> {
    return cluster.serve(async (url) => {
        const merged = { ...ENV, KUBERNETES_API_URL: url, TOKEN_FILE: join(tokenDir, "token"), ...env };
        const child = spawn(process.execPath, [SCRIPT], { env: Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) });
        let stdout = "";
        child.stdout.on("data", (chunk) => (stdout += String(chunk)));
        child.stderr.on("data", (chunk) => process.stderr.write(chunk as Buffer));
        const code = await new Promise<number | null>((done) => child.on("close", done));
        const lines = stdout.trim().split("\n").map((line) => JSON.parse(line) as LogLine);
        return { code, lines, last: lines[lines.length - 1] };
    });
}

const scheduleBackups = () => [
    backup("daily-api-older", "daily-api", "Completed", 20),
    backup("daily-api-newest", "daily-api", "Completed", 3),
    backup("daily-api-failed", "daily-api", "Failed", 1),
    backup("weekly-api-latest", "weekly-api", "Completed", 0.5),
];

function assertCleanedUp(cluster: FakeCluster): void {
    assert.equal(cluster.namespaces.has(ENV.SCRATCH_NAMESPACE), false, "scratch namespace left behind");
    assert.deepEqual([...cluster.restores.keys()], [], "Restore left behind");
    const afterRestore = cluster.requests.slice(cluster.indexOf("POST", RESTORES_PATH));
    assert.ok(afterRestore.some((r) => r.method === "DELETE" && r.path === SCRATCH_PATH), "scratch namespace not deleted after the restore");
}

describe("restore drill", function () {
    it("restores the newest completed backup of the schedule into the scratch namespace and cleans up", async function () {
        const cluster = new FakeCluster(scheduleBackups());
        const run = await runDrill(cluster);
        assert.equal(run.code, 0, JSON.stringify(run.lines));
        assert.deepEqual({ msg: run.last.msg, backup: run.last.backup }, { msg: "restore drill passed", backup: "daily-api-newest" });
        const post = cluster.requests[cluster.indexOf("POST", RESTORES_PATH)].body!;
        assert.match(String(post.metadata.name), /^restore-drill-\d{14}$/);
        assert.deepEqual(post.metadata.labels, { "app.kubernetes.io/name": "restore-drill" });
        assert.deepEqual(post.spec, {
            backupName: "daily-api-newest",
            includedNamespaces: ["api"],
            namespaceMapping: { api: "restore-drill-api" },
            restorePVs: true,
            existingResourcePolicy: "none",
            resourceModifier: { kind: "ConfigMap", name: "restore-drill-scale-to-zero" },
        });
        assert.ok(cluster.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
        assert.ok(cluster.indexOf("DELETE", `${RESTORES_PATH}/${String(post.metadata.name)}`, 200) >= 0);
        assertCleanedUp(cluster);
    });

    it("deletes a scratch namespace left by an interrupted drill, and waits for it to go, before restoring", async function () {
        const cluster = new FakeCluster(scheduleBackups());
        cluster.namespaces.set(ENV.SCRATCH_NAMESPACE, "Active");
        const run = await runDrill(cluster);
        assert.equal(run.code, 0, JSON.stringify(run.lines));
        const deleted = cluster.indexOf("DELETE", SCRATCH_PATH, 200);
        const gone = cluster.indexOf("GET", SCRATCH_PATH, 404);
        assert.ok(deleted >= 0 && deleted < cluster.indexOf("GET", SCRATCH_PATH, 200), "did not wait while the namespace terminated");
        assert.ok(gone > deleted && gone < cluster.indexOf("POST", RESTORES_PATH), "restored before the leftover namespace had gone");
    });

    it("fails without creating a Restore when the schedule has no completed backup", async function () {
        const cluster = new FakeCluster([backup("daily-api-failed", "daily-api", "Failed", 1), backup("weekly-api-latest", "weekly-api", "Completed", 1)]);
        const run = await runDrill(cluster);
        assert.equal(run.code, 1);
        assert.match(run.last.reason!, /no completed backup of schedule daily-api/);
        assert.equal(cluster.indexOf("POST", RESTORES_PATH), -1);
    });

    it("fails without creating a Restore when the newest completed backup is older than MAX_BACKUP_AGE_HOURS", async function () {
        const cluster = new FakeCluster([backup("daily-api-stale", "daily-api", "Completed", 20)]);
        const run = await runDrill(cluster, { MAX_BACKUP_AGE_HOURS: "12" });
        assert.equal(run.code, 1);
        assert.match(run.last.reason!, /daily-api-stale .* 20\.0h old, more than MAX_BACKUP_AGE_HOURS=12/);
        assert.equal(cluster.indexOf("POST", RESTORES_PATH), -1);
    });

    const failedRestores: Array<{ title: string; outcome: Outcome; env?: Record<string, string>; reason: RegExp }> = [
        { title: "ends PartiallyFailed", outcome: { ...COMPLETED, phase: "PartiallyFailed", errors: 2 }, reason: /phase is PartiallyFailed, not Completed.*2 error/ },
        { title: "completes with errors", outcome: { ...COMPLETED, errors: 1 }, reason: /reported 1 error/ },
        { title: "restores fewer items than it found", outcome: { ...COMPLETED, progress: { totalItems: 40, itemsRestored: 37 } }, reason: /restored 37 of 40 items/ },
        { title: "restores nothing", outcome: { ...COMPLETED, progress: { totalItems: 0, itemsRestored: 0 } }, reason: /totalItems 0/ },
        { title: "completes without creating the scratch namespace", outcome: { ...COMPLETED, createsNamespace: false }, reason: /restore-drill-api does not exist/ },
        { title: "never finishes within TIMEOUT_SECONDS", outcome: "stuck", env: { TIMEOUT_SECONDS: "0.3" }, reason: /timed out after 0.3s waiting for restore/ },
    ];
    for (const { title, outcome, env, reason } of failedRestores) {
        it(`fails, and still cleans up, when the restore ${title}`, async function () {
            const cluster = new FakeCluster(scheduleBackups(), outcome);
            const run = await runDrill(cluster, env);
            assert.equal(run.code, 1, JSON.stringify(run.lines));
            assert.equal(run.last.msg, "restore drill failed");
            assert.match(run.last.reason!, reason);
            assertCleanedUp(cluster);
        });
    }

    it("exits 2 naming a missing required variable, before calling the API", async function () {
        const cluster = new FakeCluster(scheduleBackups());
        const run = await runDrill(cluster, { SCHEDULE_NAME: undefined });
        assert.equal(run.code, 2);
        assert.match(run.last.reason!, /SCHEDULE_NAME/);
        assert.deepEqual(cluster.requests, []);
    });

    it("exits 2, before calling the API, when the scratch namespace is the source namespace", async function () {
        const cluster = new FakeCluster(scheduleBackups());
        const run = await runDrill(cluster, { SCRATCH_NAMESPACE: "api" });
        assert.equal(run.code, 2);
        assert.match(run.last.reason!, /SCRATCH_NAMESPACE "api".*must differ from SOURCE_NAMESPACE/);
        assert.deepEqual(cluster.requests, []);
    });
});
