import { createHash } from "node:crypto";
import type { PlanCounts, PlanStep } from "./plan";

/** JSON with object keys sorted, so equal values always hash alike. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/**
 * Hash of what a plan would do: the whole validated (credential-free) input and
 * every step's identity, status, operation and before/after content, so
 * anything that changes what is written changes the digest. Equal for equal
 * plans regardless of when they were read.
 */
export function planDigest(steps: readonly PlanStep[], input: Record<string, unknown>): string {
  const material = steps.map((step) => [
    step.key,
    step.status,
    step.op,
    step.target,
    step.dependsOn,
    step.stage,
    step.before ?? null,
    step.after ?? null,
    step.beforeFingerprint ?? null,
    step.afterFingerprint ?? null,
    // Only where set, so plans of single-cluster workflows hash as before.
    ...(step.cluster !== undefined ? [{ cluster: step.cluster }] : []),
    ...(step.waitSeconds !== undefined ? [{ waitSeconds: step.waitSeconds }] : []),
  ]);
  return createHash("sha256").update(canonical({ input, steps: material })).digest("hex").slice(0, 16);
}

export function countSteps(steps: readonly PlanStep[]): PlanCounts {
  return {
    change: steps.filter((step) => step.status === "change").length,
    skip: steps.filter((step) => step.status === "skip").length,
    refused: steps.filter((step) => step.status === "refused").length,
  };
}
