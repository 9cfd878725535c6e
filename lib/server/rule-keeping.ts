import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import type { JobQueue } from "@/lib/jobs/port";
import { logger } from "@/lib/log";
import { evaluateRuleOnCluster, type RuleEvaluationDeps } from "@/lib/rules/evaluation";
import { clusterLabelling, currentClusterLabels } from "@/lib/clusters/labels";
import { ruleAppliesToCluster } from "@/lib/rules/spec";
import { ruleEvents } from "@/lib/rules/notices";
import { startClusterWatching } from "./cluster-watching";
import { serverWorkflowDeps } from "./context";
import { serverRoot } from "./root";

const evaluationPayload = z.object({ ruleId: z.string().min(1).max(100), cluster: z.string().min(1).max(253) });

/** One waiting evaluation per rule and cluster (a burst of changes collapses into it), and one running, across replicas. */
const EVALUATION_JOB = (ruleId: string, cluster: string) => ({ singletonKey: `${ruleId}:${cluster}`, retryLimit: 3, retryDelaySeconds: 5, retryBackoff: true });

export async function ruleEvaluationDeps(): Promise<RuleEvaluationDeps> {
  const root = serverRoot();
  const clusters = await root.clusterStore();
  return {
    rules: await root.rules(),
    workflow: await serverWorkflowDeps(),
    clusterLabels: (cluster) => currentClusterLabels(clusters, cluster),
    observer: (rule, status, previous) => {
      root.metrics().ruleEvaluated(status.state, status.durationMs / 1000);
      for (const event of ruleEvents(rule, status, previous)) void root.notify(event);
    },
    onError: (error, rule, cluster) => logger.error({ rule: rule.name, cluster, err: error instanceof Error ? error.message : String(error) }, "keeping rule evaluation failed"),
  };
}

/**
 * Queues an evaluation of every active rule (or one rule) on every cluster it applies to (or one cluster), judged
 * with the clusters' current labels, and on every cluster it was kept on that has since left its scope (that
 * evaluation lists its copies there for removal). Returns how many were queued.
 */
export async function queueRuleEvaluations(filter: { ruleId?: string; cluster?: string } = {}): Promise<number> {
  const root = serverRoot();
  const [jobs, rules, clusterStore] = await Promise.all([root.jobs(), root.rules(), root.clusterStore()]);
  const clusters = await clusterLabelling(clusterStore, filter.cluster ? [filter.cluster] : root.ports().kube.listClusters().map((info) => info.name));
  let queued = 0;
  for (const rule of await rules.list()) {
    if (rule.paused || (filter.ruleId && rule.id !== filter.ruleId)) continue;
    const applies = clusters.filter((facts) => ruleAppliesToCluster(rule.spec, facts));
    const left = applies.length < clusters.length ? new Set((await rules.statuses(rule.id)).map((status) => status.cluster)) : new Set<string>();
    for (const { name: cluster } of clusters.filter((facts) => applies.includes(facts) || left.has(facts.name))) {
      if (await jobs.send("rule-evaluation", { ruleId: rule.id, cluster }, EVALUATION_JOB(rule.id, cluster))) queued += 1;
    }
  }
  return queued;
}

/**
 * Keeping rules in this process: evaluations as jobs (any replica takes one;
 * never two of the same rule and cluster at once), a scheduled sweep of every
 * rule, and watches of every cluster that queue the evaluations a change calls
 * for within a second. Returns the stop used at shutdown.
 */
export async function startRuleKeeping(jobs: JobQueue): Promise<() => Promise<void>> {
  const config = env();
  await jobs.work(
    "rule-evaluation",
    async (job) => {
      const payload = evaluationPayload.safeParse(job.data);
      if (!payload.success) {
        logger.error({ jobId: job.id }, "rule-evaluation job with a payload this version cannot read; dropped (the next sweep evaluates every rule)");
        return;
      }
      const outcome = await evaluateRuleOnCluster(payload.data.ruleId, payload.data.cluster, await ruleEvaluationDeps());
      if (outcome.evaluated) logger.info({ ruleId: payload.data.ruleId, cluster: payload.data.cluster, state: outcome.status.state, drift: outcome.status.driftCount, conflicts: outcome.status.conflictCount, operationId: outcome.operationId }, "keeping rule evaluated");
    },
    { concurrency: 2 },
  );
  await jobs.work("rule-sweep", async () => void (await queueRuleEvaluations()));
  if (config.PULLKEEPER_RULE_SCHEDULE !== "off") await jobs.schedule("rule-sweep", config.PULLKEEPER_RULE_SCHEDULE);
  const stopWatching = config.PULLKEEPER_WATCH === "on" ? startClusterWatching(config.PULLKEEPER_WATCH_RELIST_SECONDS, (cluster) => queueRuleEvaluations({ cluster })) : async () => {};
  return stopWatching;
}
