/**
 * The platform's Grafana dashboards, kept as JSON files beside this module and provisioned as
 * ConfigMaps that Grafana's sidecar loads (it watches for the label below).
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const DASHBOARD_DIRECTORY = join(__dirname, "dashboards");
/** The label (and value) kube-prometheus-stack's Grafana sidecar looks for. */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;

export interface Dashboard {
    /** File name without `.json`: also the ConfigMap's name suffix. */
    name: string;
    /** The dashboard model, re-serialized compactly (ConfigMaps hold at most 1 MiB). */
    json: string;
}

export function dashboards(directory = DASHBOARD_DIRECTORY): Dashboard[] {
    return readdirSync(directory)
        .filter((file) => file.endsWith(".json"))
        .sort()
        .map((file) => ({ name: file.slice(0, -".json".length), json: JSON.stringify(JSON.parse(readFileSync(join(directory, file), "utf8"))) }));
}
