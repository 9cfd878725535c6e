import type { AuditStore, FinishOperationInput, OperationWithSteps, RecordStepInput, StartOperationInput, StepRecord } from "@/lib/audit/port";

/**
 * The audit store as unit tests need it: every call kept in memory, in order,
 * and told to fail on start ("disk full") or after some step events. Reads
 * back an operation with its steps folded to their latest event, as the real
 * store does (a run's chunks read it to know which steps ended).
 */
export function memoryAudit(options: { failOnStart?: boolean; failAfterEvents?: number } = {}) {
  const log = { started: [] as StartOperationInput[], steps: [] as RecordStepInput[], finished: [] as FinishOperationInput[] };
  const byOperation = new Map<string, { input: StartOperationInput; steps: RecordStepInput[]; finished: FinishOperationInput | null }>();
  const failIfFull = () => {
    if (options.failAfterEvents !== undefined && log.steps.length >= options.failAfterEvents) throw new Error("audit store unavailable");
  };
  const counts = (steps: RecordStepInput[]) => {
    const done = steps.filter((event) => event.phase === "finished");
    const count = (outcome: string) => done.filter((event) => event.outcome === outcome).length;
    return { total: done.length, succeeded: count("succeeded"), failed: count("failed"), skipped: count("skipped") };
  };
  const store = {
    async startOperation(input: StartOperationInput) {
      if (options.failOnStart) throw new Error("disk full");
      log.started.push(input);
      const id = `op-${log.started.length}`;
      byOperation.set(id, { input, steps: [], finished: null });
      return { id, kind: input.kind, actor: input.actor, status: input.status ?? "running" };
    },
    async recordStep(id: string, step: RecordStepInput) {
      failIfFull();
      log.steps.push(step);
      byOperation.get(id)?.steps.push(step);
    },
    async recordSteps(id: string, steps: RecordStepInput[]) {
      failIfFull();
      log.steps.push(...steps);
      byOperation.get(id)?.steps.push(...steps);
    },
    async finishOperation(id: string, input: FinishOperationInput) {
      log.finished.push(input);
      const held = byOperation.get(id);
      if (held) held.finished = input;
      return { counts: counts(log.steps) };
    },
    async getOperation(id: string): Promise<OperationWithSteps | null> {
      const held = byOperation.get(id);
      if (!held) return null;
      const latest = new Map<number, RecordStepInput>();
      for (const step of held.steps) latest.set(step.sequence, step);
      const steps: StepRecord[] = [...latest.values()].map((step) => ({
        sequence: step.sequence, action: step.action, target: step.target ?? null, outcome: step.outcome,
        error: step.error ?? null, beforeFingerprint: null, afterFingerprint: null, detail: null, durationMs: null, startedAt: null, recordedAt: "",
      }));
      return {
        id, kind: held.input.kind, actor: held.input.actor, actorRole: null, cluster: held.input.cluster ?? null, namespaces: [], parameters: {},
        status: held.finished?.status ?? held.input.status ?? "running", summary: held.finished?.summary ?? null, counts: counts(held.steps),
        relatedOperationId: null, startedAt: "", finishedAt: null, steps,
      };
    },
  } as Partial<AuditStore> as AuditStore;
  return { store, log, events: log.steps, finished: log.finished };
}
