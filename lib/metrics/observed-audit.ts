import { RUN_OPERATION_KINDS, type AuditStore, type OperationKind } from "@/lib/audit/port";
import { STEP_ACTION_OF } from "@/lib/workflows/engine/step-actions";
import type { PullkeeperMetrics } from "./metrics";

/** Operation kinds that are workflow runs (previews are dry runs; sign-ins and exports are not runs). */
const RUN_KINDS: ReadonlySet<string> = new Set(RUN_OPERATION_KINDS);
/** The actions workflow steps are recorded under (user changes and sign-ins record other ones). */
const STEP_ACTIONS: ReadonlySet<string> = new Set(Object.values(STEP_ACTION_OF));

type RunMetrics = Pick<PullkeeperMetrics, "runStarted" | "runFinished" | "runAbandoned" | "stepFinished">;

/**
 * The audit store with the run metrics taken where runs are recorded. A run
 * is a job that any replica may take chunk by chunk: each step's final outcome
 * and each run's final status are counted by the replica that records them; a
 * run is "in progress" on the replica that opened it, until it closes there
 * (a run closed elsewhere leaves this replica's gauge when the replica restarts;
 * pullkeeper_jobs_waiting/active give the fleet-wide view).
 * A write that fails is not counted (the run did not proceed past it).
 */
export function observedAuditStore(store: AuditStore, metrics: RunMetrics): AuditStore {
  const live = new Map<string, { kind: OperationKind; startedAt: number }>();
  return {
    ...store,
    async startOperation(input) {
      const operation = await store.startOperation(input);
      if (RUN_KINDS.has(input.kind) && (input.status === "running" || input.status === "planned")) {
        live.set(operation.id, { kind: input.kind, startedAt: performance.now() });
        metrics.runStarted(input.kind);
      }
      return operation;
    },
    async recordStep(operationId, step) {
      await store.recordStep(operationId, step);
      if (STEP_ACTIONS.has(step.action) && step.phase === "finished" && (step.outcome === "succeeded" || step.outcome === "failed" || step.outcome === "skipped")) {
        metrics.stepFinished(step.action, step.outcome);
      }
    },
    async finishOperation(operationId, input) {
      const run = live.get(operationId);
      live.delete(operationId);
      try {
        const finished = await store.finishOperation(operationId, input);
        if (run) metrics.runFinished(run.kind, input.status, (performance.now() - run.startedAt) / 1000);
        else if (RUN_KINDS.has(finished.kind)) {
          // Opened by another replica (or before a restart): counted here, where it closed.
          metrics.runFinished(finished.kind, input.status, (Date.now() - new Date(finished.startedAt).getTime()) / 1000, { openedHere: false });
        }
        return finished;
      } catch (error) {
        // The run is over here either way; its status is whatever the store holds (the sweep closes it).
        if (run) metrics.runAbandoned(run.kind);
        throw error;
      }
    },
  };
}
