/**
 * What delivery pins: the Argo Rollouts chart and the default application image. Chart 2.41.0
 * ships Argo Rollouts v1.9.0 (the newest chart in argoproj/argo-helm as of 2026-07); podinfo
 * 6.14.1 is its newest release (2026-07-22). Raised by a reviewed change to this file.
 */
import { HelmChart } from "../shared/helm";

export const ARGO_ROLLOUTS_CHART = { chart: "argo-rollouts", version: "2.41.0", repo: "https://argoproj.github.io/argo-helm" } as const satisfies HelmChart;

/**
 * The default application: podinfo, a small Go service with Prometheus HTTP metrics
 * (`http_requests_total` labelled `status`), health and readiness endpoints, run as uid 100.
 */
export const DEFAULT_APPLICATION_IMAGE = { repository: "ghcr.io/stefanprodan/podinfo", tag: "6.14.1" } as const;
