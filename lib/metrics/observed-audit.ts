import { RUN_OPERATION_KINDS, type AuditStore, type OperationKind } from "@/lib/audit/port";
import type { PullkeeperMetrics } from "./metrics";

/** Operation kinds that are workflow runs (previews are dry runs; sign-ins and exports are not runs). */
const RUN_KINDS: ReadonlySet<OperationKind> = new Set(RUN_OPERATION_KINDS);

type RunMetrics = Pick<PullkeeperMetrics, "runStarted" | "runFinished" | "runAbandoned" | "stepFinished">;

/**
 * The audit store with the run metrics taken where runs are recorded: a run
 * is counted in progress from the moment its operation is written until its
 * final status is, and each step's final outcome is counted as it is recorded.
 * Only what this process writes is seen, so each replica reports its own runs.
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
      if (live.has(operationId) && step.phase === "finished" && (step.outcome === "succeeded" || step.outcome === "failed" || step.outcome === "skipped")) {
        metrics.stepFinished(step.action, step.outcome);
      }
    },
    async finishOperation(operationId, input) {
      const run = live.get(operationId);
      live.delete(operationId);
      try {
        const finished = await store.finishOperation(operationId, input);
        if (run) metrics.runFinished(run.kind, input.status, (performance.now() - run.startedAt) / 1000);
        return finished;
      } catch (error) {
        // The run is over here either way; its status is whatever the store holds (the sweep closes it).
        if (run) metrics.runAbandoned(run.kind);
        throw error;
      }
    },
  };
}
