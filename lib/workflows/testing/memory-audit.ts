import type { AuditStore, FinishOperationInput, RecordStepInput, StartOperationInput } from "@/lib/audit/port";

/**
 * The audit store as unit tests need it: every call kept in memory, in order,
 * and told to fail on start ("disk full") or after some step events.
 */
export function memoryAudit(options: { failOnStart?: boolean; failAfterEvents?: number } = {}) {
  const log = { started: [] as StartOperationInput[], steps: [] as RecordStepInput[], finished: [] as FinishOperationInput[] };
  const failIfFull = () => {
    if (options.failAfterEvents !== undefined && log.steps.length >= options.failAfterEvents) throw new Error("audit store unavailable");
  };
  const store = {
    async startOperation(input: StartOperationInput) {
      if (options.failOnStart) throw new Error("disk full");
      log.started.push(input);
      return { id: `op-${log.started.length}`, kind: input.kind, actor: input.actor, status: input.status ?? "running" };
    },
    async recordStep(_id: string, step: RecordStepInput) {
      failIfFull();
      log.steps.push(step);
    },
    async recordSteps(_id: string, steps: RecordStepInput[]) {
      failIfFull();
      log.steps.push(...steps);
    },
    async finishOperation(_id: string, input: FinishOperationInput) {
      log.finished.push(input);
      const done = log.steps.filter((event) => event.phase === "finished");
      const count = (outcome: string) => done.filter((event) => event.outcome === outcome).length;
      return { counts: { total: done.length, succeeded: count("succeeded"), failed: count("failed"), skipped: count("skipped") } };
    },
  } as Partial<AuditStore> as AuditStore;
  return { store, log, events: log.steps, finished: log.finished };
}
