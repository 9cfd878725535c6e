import type { OperationWithSteps, StepRecord } from "@/lib/audit/port";
import type { AccessChecker } from "../engine/access";
import type { WorkflowDeps } from "../engine/deps";
import type { PlanBuilder } from "../engine/plan-builder";
import type { StepStatus } from "../engine/plan";
import type { InventoryIndex } from "./inventory-index";

/** What an undo plan is built from: the recorded operation, and the cluster as it is now. */
export interface UndoContext {
  operation: OperationWithSteps;
  deps: WorkflowDeps;
  index: InventoryIndex;
  access: AccessChecker;
  builder: PlanBuilder;
  /** The operation's succeeded steps, newest first. */
  done: StepRecord[];
  /** Keys of the planned detach steps, per namespace: secrets there are deleted after them. */
  detachKeysByNamespace: Map<string, string[]>;
  /** `namespace/serviceAccount/secret` references the planned detach steps remove. */
  detachedReferences: Set<string>;
  /** `namespace/name` → the undo step planned for each secret the operation wrote, with its status. */
  secretRemovals: Map<string, { key: string; status: StepStatus }>;
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

export const undoKey = (step: Pick<StepRecord, "sequence">) => `undo:${step.sequence}`;

/** `change` when the cluster identity may do it, else `refused` with why. */
export async function allowedStatus(context: UndoContext, need: Parameters<AccessChecker["check"]>[0]) {
  const allowed = await context.access.check(need);
  return allowed.allowed ? { status: "change" as const } : { status: "refused" as const, reason: allowed.reason ?? "Not allowed." };
}
