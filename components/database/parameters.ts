/**
 * The PostgreSQL settings the platform changes from RDS's defaults. Every one is dynamic, so a
 * change applies without a reboot.
 */

export interface DatabaseParameter {
    name: string;
    value: string;
    applyMethod: "immediate" | "pending-reboot";
}

/** The parameter group family of a PostgreSQL major version. */
export function postgresFamily(majorVersion: string): string {
    return `postgres${majorVersion}`;
}

/** Settings for every PostgreSQL major the platform supports (16 and 17). */
export function postgresParameters(slowQueryThresholdMs: number): DatabaseParameter[] {
    const settings: Array<[string, string]> = [
        // Clients without TLS are refused.
        ["rds.force_ssl", "1"],
        ["ssl_min_protocol_version", "TLSv1.2"],
        ["log_min_duration_statement", String(slowQueryThresholdMs)],
        // Who connected from where, and for how long: the trail of an incident.
        ["log_connections", "1"],
        ["log_disconnections", "1"],
        // Schema changes are rare and worth a line each; data statements would flood the log.
        ["log_statement", "ddl"],
        ["log_lock_waits", "1"],
        // Queries spilling more than 10 MB to disk are the ones that need an index or work_mem.
        ["log_temp_files", "10240"],
        ["log_autovacuum_min_duration", "10000"],
    ];
    return settings.map(([name, value]) => ({ name, value, applyMethod: "immediate" }));
}
