import "server-only";
import type { QueueDepth } from "@/lib/jobs/port";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { KubeRequestEvent } from "@/lib/kube/port";
import type { ClusterScan } from "@/lib/queries/cluster-scan";
import { clusterSamples } from "./coverage-samples";
import { ruleGauges, type RuleMetricSources } from "./rule-gauges";

/** What the workflow engine reports that the audit log does not record (lib/workflows/engine/deps.ts). */
export interface WorkflowObserver {
  stepRetried(action: string): void;
}

export interface PullkeeperMetrics extends WorkflowObserver {
  readonly registry: Registry;
  kubeRequest(event: KubeRequestEvent): void;
  scanFinished(scan: ClusterScan): void;
  runStarted(kind: string): void;
  /** `openedHere: false`: a run another replica opened (not in this replica's in-progress gauge). */
  runFinished(kind: string, outcome: string, durationSeconds: number, options?: { openedHere: boolean }): void;
  /** A run whose final status could not be written: no longer in progress here, outcome unknown. */
  runAbandoned(kind: string): void;
  stepFinished(action: string, outcome: "succeeded" | "failed" | "skipped"): void;
  registryVerified(registry: string, result: string): void;
  /** `outcome`: the evaluation's state (ok, drift, conflict, error). */
  ruleEvaluated(outcome: string, durationSeconds: number): void;
  /** The text a scrape receives. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsSources extends RuleMetricSources {
  /** The newest scan of each configured cluster, read from the cache at scrape time (never scans). */
  scans(): ClusterScan[];
  /** Waiting and running jobs per queue, across every replica (the queue's own tables); absent: no job series. */
  jobDepth?(): Promise<QueueDepth[]>;
}

const PREFIX = "pullkeeper_";

/**
 * Every series Pullkeeper exports, on its own registry (not prom-client's
 * global one, which a second module graph would fill twice). Built once per
 * process by the composition root. Label values come from closed sets or from
 * configuration (cluster names, registry hosts capped per cluster); never a
 * namespace, user, secret name or operation id.
 */
export function createPullkeeperMetrics(sources: MetricsSources): PullkeeperMetrics {
  const registry = new Registry();
  // Standard names (process_*, nodejs_*), unprefixed, so the usual Node.js dashboards and alerts apply as they are.
  collectDefaultMetrics({ register: registry });
  const refreshClusterGauges = clusterGauges(registry, sources);
  const refreshJobGauges = jobGauges(registry, sources);
  const refreshRuleGauges = ruleGauges(registry, sources);
  const ruleEvaluations = new Histogram({ name: `${PREFIX}rule_evaluation_duration_seconds`, help: "Time to evaluate a keeping rule on a cluster (read, compare, queue its fix), by outcome.", labelNames: ["outcome"], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry] });
  const kubeRequests = new Counter({ name: `${PREFIX}kube_requests_total`, help: "Kubernetes API requests by cluster, method and HTTP status (or error kind when no answer came), retries included.", labelNames: ["cluster", "method", "code"], registers: [registry] });
  const kubeLatency = new Histogram({ name: `${PREFIX}kube_request_duration_seconds`, help: "Kubernetes API request time, queueing for the per-cluster concurrency limit included.", labelNames: ["cluster", "method"], buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15], registers: [registry] });
  const scanDuration = new Histogram({ name: `${PREFIX}cluster_scan_duration_seconds`, help: "Time to probe a cluster and read its pull-secret inventory.", labelNames: ["cluster", "outcome"], buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120], registers: [registry] });
  const runs = new Counter({ name: `${PREFIX}workflow_runs_total`, help: "Workflow runs finished in this process, by kind and final status.", labelNames: ["kind", "outcome"], registers: [registry] });
  const runsInProgress = new Gauge({ name: `${PREFIX}workflow_runs_in_progress`, help: "Workflow runs this process is applying now.", labelNames: ["kind"], registers: [registry] });
  const runDuration = new Histogram({ name: `${PREFIX}workflow_run_duration_seconds`, help: "Time from a run's start to its final status.", labelNames: ["kind"], buckets: [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800], registers: [registry] });
  const steps = new Counter({ name: `${PREFIX}workflow_steps_total`, help: "Workflow steps applied, by audit action and outcome.", labelNames: ["action", "outcome"], registers: [registry] });
  const retries = new Counter({ name: `${PREFIX}workflow_step_retries_total`, help: "Repeated attempts of a workflow step after a transient failure.", labelNames: ["action"], registers: [registry] });
  const verifications = new Counter({ name: `${PREFIX}registry_verifications_total`, help: "Registry credential checks by registry and result.", labelNames: ["registry", "result"], registers: [registry] });
  return {
    registry,
    contentType: registry.contentType,
    async render() {
      refreshClusterGauges();
      await refreshJobGauges();
      await refreshRuleGauges();
      return registry.metrics();
    },
    kubeRequest(event) {
      kubeRequests.inc({ cluster: event.cluster, method: event.method, code: event.code });
      kubeLatency.observe({ cluster: event.cluster, method: event.method }, event.durationSeconds);
    },
    scanFinished(scan) {
      scanDuration.observe({ cluster: scan.cluster, outcome: scan.inventory ? "success" : "failure" }, scan.durationMs / 1000);
    },
    runStarted: (kind) => runsInProgress.inc({ kind }),
    runFinished(kind, outcome, durationSeconds, options = { openedHere: true }) {
      if (options.openedHere) runsInProgress.dec({ kind });
      runs.inc({ kind, outcome });
      runDuration.observe({ kind }, durationSeconds);
    },
    runAbandoned: (kind) => runsInProgress.dec({ kind }),
    stepFinished: (action, outcome) => steps.inc({ action, outcome }),
    stepRetried: (action) => retries.inc({ action }),
    registryVerified: (host, result) => verifications.inc({ registry: host, result }),
    ruleEvaluated: (outcome, seconds) => ruleEvaluations.observe({ outcome }, seconds),
  };
}

/** Queue depth and the age of the oldest waiting job, per queue, read at each scrape (a failed read leaves no series: absent, not zero). */
function jobGauges(registry: Registry, sources: MetricsSources): () => Promise<void> {
  const waiting = new Gauge({ name: `${PREFIX}jobs_waiting`, help: "Jobs waiting to run (created or waiting for a retry), by queue, across all replicas.", labelNames: ["queue"], registers: [registry] });
  const active = new Gauge({ name: `${PREFIX}jobs_active`, help: "Jobs running now, by queue, across all replicas.", labelNames: ["queue"], registers: [registry] });
  const oldest = new Gauge({ name: `${PREFIX}jobs_oldest_waiting_seconds`, help: "Age of the oldest waiting job, by queue (0 when none waits).", labelNames: ["queue"], registers: [registry] });
  return async () => {
    for (const metric of [waiting, active, oldest]) metric.reset();
    if (!sources.jobDepth) return;
    const depth = await sources.jobDepth().catch(() => []);
    for (const row of depth) {
      waiting.set({ queue: row.queue }, row.waiting);
      active.set({ queue: row.queue }, row.active);
      oldest.set({ queue: row.queue }, row.oldestWaitingSeconds);
    }
  };
}

/**
 * Gauges refilled from the scan cache at each scrape (the returned function):
 * they say what each cluster's newest scan saw, and when. A cluster whose scan
 * was never taken has no series rather than a zero.
 */
function clusterGauges(registry: Registry, sources: MetricsSources): () => void {
  const gauge = (name: string, help: string, labelNames: string[]) => new Gauge({ name: `${PREFIX}${name}`, help, labelNames, registers: [registry] });
  const up = gauge("cluster_up", "1 when the newest scan reached the cluster's API server with working credentials, else 0.", ["cluster"]);
  const success = gauge("cluster_scan_success", "1 when the newest scan read the cluster's inventory, else 0.", ["cluster"]);
  const scannedAt = gauge("cluster_last_scan_timestamp_seconds", "When the newest scan of the cluster finished (Unix time).", ["cluster"]);
  const namespaces = gauge("cluster_namespaces", "Namespaces in the cluster, when the newest scan read its inventory.", ["cluster"]);
  const coverage = gauge("coverage_namespaces", "Namespaces per cluster, registry and coverage state of the default service account (covered, not_attached, legacy_only, rejected, missing where needed, not_needed).", ["cluster", "registry", "state"]);
  const pulls = gauge("pods_pull_failures", "Pods whose images fail to pull now (state=failing: ErrImagePull/ImagePullBackOff) or would when rescheduled (state=latent), per cluster, registry and cause (no_credential, credential_rejected, image_not_found, registry_unreachable, unknown).", ["cluster", "registry", "cause", "state"]);
  const findings = gauge("coverage_findings", "Coverage findings per cluster and kind, when the newest scan read the inventory.", ["cluster", "finding"]);
  return () => {
    for (const metric of [up, success, scannedAt, namespaces, coverage, findings, pulls]) metric.reset();
    for (const sample of clusterSamples(sources.scans())) {
      up.set({ cluster: sample.cluster }, sample.up);
      success.set({ cluster: sample.cluster }, sample.scanSuccess);
      scannedAt.set({ cluster: sample.cluster }, sample.lastScanSeconds);
      if (sample.namespaces !== undefined) namespaces.set({ cluster: sample.cluster }, sample.namespaces);
      for (const row of sample.coverage) coverage.set({ cluster: sample.cluster, registry: row.registry, state: row.state }, row.namespaces);
      for (const row of sample.findings) findings.set({ cluster: sample.cluster, finding: row.finding }, row.count);
      for (const row of sample.pulls) pulls.set({ cluster: sample.cluster, registry: row.registry, cause: row.cause, state: row.state }, row.pods);
    }
  };
}
