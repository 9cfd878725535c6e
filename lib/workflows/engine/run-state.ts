import { z } from "zod";
import { PullkeeperError } from "@/lib/errors";
import type { OperationKind } from "@/lib/audit/port";
import type { Actor, RunSecrets } from "./deps";
import type { StepOutputs } from "./execute-step";
import type { Plan } from "./plan";

/** What a run needs besides its plan, as given when it opened. Credential-free. */
export interface RunOptions {
  actor: Actor;
  failurePolicy: "continue" | "stop";
  relatedOperationId?: string;
}

/** A run still to finish: enough for any process to go on with it. */
export interface StoredRun {
  operationId: string;
  kind: OperationKind;
  plan: Plan;
  options: RunOptions;
  /** Held sealed at rest (lib/sealing); in memory only while a chunk runs. */
  secrets: RunSecrets;
  /** Values earlier steps produced, by step key (service ID ids, the minted API key). */
  outputs: Record<string, StepOutputs>;
  cancelRequestedBy: string | null;
}

/**
 * Where runs live between their chunks (the WorkflowRun table on the server;
 * memory in tests and scripts). A row exists from the moment a run opens until
 * it closes; `touchedAt` is the lease: a run not touched for longer than a
 * job's expiry belongs to a process that is gone.
 */
export interface RunStateStore {
  save(run: StoredRun): Promise<void>;
  /** Null when the run is closed (or never existed). Throws when the stored run can no longer be read (an upgrade, another AUTH_SECRET). */
  load(operationId: string): Promise<StoredRun | null>;
  saveOutputs(operationId: string, outputs: Record<string, StepOutputs>): Promise<void>;
  /** Renews the lease. */
  touch(operationId: string): Promise<void>;
  /** False when the run is not (or no longer) open. */
  requestCancel(operationId: string, by: string): Promise<boolean>;
  cancelRequestedBy(operationId: string): Promise<string | null>;
  remove(operationId: string): Promise<void>;
  /** Open runs not touched since `before`. */
  idleSince(before: Date): Promise<string[]>;
}

/** A stored run that this Pullkeeper cannot read (another version's shape, another AUTH_SECRET): the run is closed, never guessed at. */
export class RunStateError extends PullkeeperError {
  declare readonly kind: "invalid";
  constructor(message: string) {
    super("workflow", "invalid", message);
    this.name = "RunStateError";
  }
}

/** The parts of a stored run checked on load: a row written by an older Pullkeeper that no longer fits is refused, not guessed at. */
export const storedPlanSchema = z.looseObject({
  kind: z.string(),
  cluster: z.string(),
  digest: z.string(),
  steps: z.array(z.looseObject({ key: z.string(), sequence: z.number().int(), op: z.looseObject({ type: z.string() }), status: z.enum(["change", "skip", "refused"]), stage: z.number(), dependsOn: z.array(z.string()) })),
});

export const runOptionsSchema = z.object({
  actor: z.object({ email: z.string(), role: z.string() }),
  failurePolicy: z.enum(["continue", "stop"]),
  relatedOperationId: z.string().optional(),
});

/** For tests, scripts and benchmarks: runs held in this process only (not resumable after it exits). */
export function createMemoryRunStateStore(): RunStateStore & { size(): number } {
  const runs = new Map<string, { run: StoredRun; touchedAt: number }>();
  const copy = (run: StoredRun): StoredRun => structuredClone(run);
  return {
    size: () => runs.size,
    async save(run) {
      runs.set(run.operationId, { run: copy(run), touchedAt: Date.now() });
    },
    async load(operationId) {
      const held = runs.get(operationId);
      return held ? copy(held.run) : null;
    },
    async saveOutputs(operationId, outputs) {
      const held = runs.get(operationId);
      if (held) held.run.outputs = structuredClone(outputs);
    },
    async touch(operationId) {
      const held = runs.get(operationId);
      if (held) held.touchedAt = Date.now();
    },
    async requestCancel(operationId, by) {
      const held = runs.get(operationId);
      if (!held) return false;
      held.run.cancelRequestedBy ??= by;
      return true;
    },
    async cancelRequestedBy(operationId) {
      return runs.get(operationId)?.run.cancelRequestedBy ?? null;
    },
    async remove(operationId) {
      runs.delete(operationId);
    },
    async idleSince(before) {
      return [...runs.entries()].filter(([, held]) => held.touchedAt < before.getTime()).map(([id]) => id);
    },
  };
}
