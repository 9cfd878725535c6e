import "server-only";
import { Counter, Gauge, type Registry } from "prom-client";
import type { WatchHealth } from "@/lib/kube/watch/port";

const PREFIX = "pullkeeper_";

/** A keeping rule's newest status on one cluster, as the metrics need it (from the database: the same on every replica). */
export interface RuleStatusSample {
  rule: string;
  cluster: string;
  mode: string;
  state: string;
  driftNamespaces: number;
  conflicts: number;
  removals: number;
  lastSuccessSeconds: number | null;
}

export interface RuleMetricSources {
  ruleStatuses?(): Promise<RuleStatusSample[]>;
  /** This process's watches (absent when watching is off). */
  watchHealth?(): WatchHealth[];
}

const RULE_STATES = ["ok", "drift", "conflict", "error"] as const;

/**
 * Keeping-rule gauges refilled from the stored statuses at each scrape, and the
 * watches' restart counts. Labels are rule and cluster names (configuration,
 * bounded by what admins create), never a namespace.
 */
export function ruleGauges(registry: Registry, sources: RuleMetricSources): () => Promise<void> {
  const gauge = (name: string, help: string, labelNames: string[]) => new Gauge({ name: `${PREFIX}${name}`, help, labelNames, registers: [registry] });
  const drift = gauge("rule_drift_namespaces", "Namespaces a keeping rule matches that drift from it (a copy or an attachment missing), per rule and cluster.", ["rule", "cluster", "mode"]);
  const conflicts = gauge("rule_conflicts", "Conflicts a keeping rule is waiting on a person for, per rule and cluster.", ["rule", "cluster"]);
  const removals = gauge("rule_out_of_scope_copies", "Copies a keeping rule made in namespaces it no longer matches, per rule and cluster.", ["rule", "cluster"]);
  const state = gauge("rule_state", "1 for the state of a keeping rule's newest evaluation on a cluster (ok, drift, conflict, error), 0 for the others.", ["rule", "cluster", "state"]);
  const lastSuccess = gauge("rule_last_success_timestamp_seconds", "When a keeping rule was last evaluated successfully on a cluster (Unix time).", ["rule", "cluster"]);
  const watchRestarts = new Counter({
    name: `${PREFIX}watch_restarts_total`,
    help: "Watches this process restarted, by cluster, resource and reason (stalled: silent past the stall threshold; expired: 410 Gone; error: failed list or watch).",
    labelNames: ["cluster", "resource", "reason"],
    registers: [registry],
  });
  const watchUp = gauge("watch_up", "1 when this process's watch of a cluster's resource is receiving events or bookmarks, else 0.", ["cluster", "resource"]);
  return async () => {
    for (const metric of [drift, conflicts, removals, state, lastSuccess, watchUp]) metric.reset();
    watchRestarts.reset();
    for (const row of sources.ruleStatuses ? await sources.ruleStatuses().catch(() => []) : []) {
      const labels = { rule: row.rule, cluster: row.cluster };
      drift.set({ ...labels, mode: row.mode }, row.driftNamespaces);
      conflicts.set(labels, row.conflicts);
      removals.set(labels, row.removals);
      for (const name of RULE_STATES) state.set({ ...labels, state: name }, row.state === name ? 1 : 0);
      if (row.lastSuccessSeconds !== null) lastSuccess.set(labels, row.lastSuccessSeconds);
    }
    for (const health of sources.watchHealth?.() ?? []) {
      const resource = health.secretType ? `secrets:${health.secretType === "kubernetes.io/dockercfg" ? "dockercfg" : "dockerconfigjson"}` : health.resource;
      // Counts since this process started: a counter, reset only by a restart, as Prometheus expects.
      watchRestarts.inc({ cluster: health.cluster, resource, reason: "stalled" }, health.stalls);
      watchRestarts.inc({ cluster: health.cluster, resource, reason: "expired" }, health.expired);
      watchRestarts.inc({ cluster: health.cluster, resource, reason: "error" }, health.errors);
      watchUp.set({ cluster: health.cluster, resource }, health.state === "watching" ? 1 : 0);
    }
  };
}
