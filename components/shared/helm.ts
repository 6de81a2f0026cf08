/** Helm releases the way every component installs them: pinned, atomic, with bounded history. */
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface HelmChart {
    chart: string;
    version: string;
    repo: string;
}

export interface ReleaseSettings {
    namespace: pulumi.Input<string>;
    values: pulumi.Input<Record<string, unknown>>;
    /** The release's name in the cluster. @default the chart's name */
    releaseName?: string;
}

export function helmRelease(resourceName: string, chart: HelmChart, settings: ReleaseSettings, opts: pulumi.CustomResourceOptions): kubernetes.helm.v3.Release {
    return new kubernetes.helm.v3.Release(
        resourceName,
        {
            // Set, not generated: chart labels, selectors and service names derive from it.
            name: settings.releaseName ?? chart.chart,
            chart: chart.chart,
            version: chart.version,
            repositoryOpts: { repo: chart.repo },
            namespace: settings.namespace,
            values: settings.values,
            // A failed upgrade rolls back rather than leaving a half-applied release.
            atomic: true,
            cleanupOnFail: true,
            timeout: 600,
            maxHistory: 10,
        },
        opts,
    );
}
