import * as pulumi from "@pulumi/pulumi";
import { ObservabilityArgs } from "./args";
import { observabilityProblems } from "./validate";

export const OBSERVABILITY_DEFAULTS = {
    namespace: "monitoring",
    protectStatefulResources: false,
};

export type ObservabilitySettings = Required<Omit<ObservabilityArgs, "tags" | "oidcProviderArn" | "oidcProviderUrl" | "database" | "clusterName" | "restoreDrill">>;

/** Fills defaults and rejects bad arguments before any resource is created. */
export function validateObservabilityArgs(args: ObservabilityArgs, resource: pulumi.Resource): ObservabilitySettings {
    const settings: ObservabilitySettings = {
        kubernetesVersion: args.kubernetesVersion,
        nodeAgentNamespace: args.nodeAgentNamespace,
        applicationNamespaces: args.applicationNamespaces,
        namespace: args.namespace ?? OBSERVABILITY_DEFAULTS.namespace,
        applicationUrl: args.applicationUrl,
        runbookBaseUrl: args.runbookBaseUrl,
        prometheus: args.prometheus,
        alertmanager: args.alertmanager,
        logs: args.logs,
        traces: args.traces,
        alerts: args.alerts,
        alertSubscriptions: args.alertSubscriptions ?? [],
        natGatewayIds: args.natGatewayIds ?? [],
        protectStatefulResources: args.protectStatefulResources ?? OBSERVABILITY_DEFAULTS.protectStatefulResources,
    };
    const problems = observabilityProblems(settings, [...settings.applicationNamespaces, settings.nodeAgentNamespace], "");
    if (!Number.isInteger(args.database.allocatedStorageGiB) || args.database.allocatedStorageGiB <= 0) {
        problems.push(`database.allocatedStorageGiB: got ${JSON.stringify(args.database.allocatedStorageGiB)}; expected the instance's storage in GiB`);
    }
    if (problems.length > 0) {
        throw new pulumi.ResourceError(`invalid Observability arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`, resource);
    }
    return settings;
}
