import type { DescribedError } from "@/lib/errors";
import type { StepOutputs } from "./execute-step";
import type { PlanStep } from "./plan";

/** Attempts for a step whose failure was transient (the adapters retry inside too). */
export const STEP_ATTEMPTS = 3;

/** Steps that create something: after an unclear failure (5xx, timeout) the object may exist, and a repeat would misreport or duplicate it. */
const CREATING_STEPS: ReadonlySet<PlanStep["op"]["type"]> = new Set(["iam.ensure_service_id", "iam.ensure_policy", "iam.create_api_key", "secret.create", "secret.copy"]);

/** Steps whose outputs later steps read: saved (sealed) as soon as they exist, so a resume reuses them. */
export const PRODUCING_STEPS: ReadonlySet<PlanStep["op"]["type"]> = new Set(["iam.ensure_service_id", "iam.create_api_key", "iam.hold_old_key", "rotation.cancel_retirement"]);

export function mayRepeatAfter(step: PlanStep, error: DescribedError): boolean {
  if (!error.transient) return false;
  if (error.kind === "rate_limited") return true; // 429: the server did not process the request
  return !CREATING_STEPS.has(step.op.type);
}

/**
 * When a step with a grace period (`waitSeconds`) may start: that long after
 * the last of its dependencies ended (epoch ms, from the audit record, so a
 * restarted process computes the same time). Null when it may start now.
 */
export function graceDueAt(step: Pick<PlanStep, "waitSeconds" | "dependsOn">, endedAt: ReadonlyMap<string, number>, now: number): number | null {
  if (!step.waitSeconds) return null;
  const since = Math.max(0, ...step.dependsOn.map((key) => endedAt.get(key) ?? 0));
  const due = since + step.waitSeconds * 1000;
  return now >= due ? null : due;
}

/** A step's audit detail, naming its cluster when the step acts on one other than its operation's (multi-cluster workflows). */
export function withStepCluster(step: Pick<PlanStep, "cluster">, detail: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return step.cluster ? { ...detail, cluster: step.cluster } : detail;
}

/** Steps that write a minted API key into a secret. */
const KEY_CONSUMING_STEPS: ReadonlySet<PlanStep["op"]["type"]> = new Set(["secret.create", "secret.rotate_key"]);

/**
 * The outputs to keep while a run waits out a grace period: without the
 * minted key's value once no step left would write it, so a rotation's
 * new key does not sit (sealed) in the run's row for the whole grace period.
 * Null when nothing is to drop.
 */
export function outputsToKeepWhileWaiting(steps: readonly PlanStep[], ended: (key: string) => boolean, outputs: ReadonlyMap<string, StepOutputs>): Record<string, StepOutputs> | null {
  if (steps.some((step) => step.status === "change" && !ended(step.key) && KEY_CONSUMING_STEPS.has(step.op.type))) return null;
  if (![...outputs.values()].some((output) => output.apiKey !== undefined)) return null;
  return Object.fromEntries([...outputs].map(([key, { apiKey: _dropped, ...rest }]) => [key, rest]));
}
