import { createHash } from "node:crypto";
import type { PlanCounts, PlanStep } from "./plan";

/** Hash of what a plan would do; equal for equal plans regardless of when they were read. */
export function planDigest(steps: readonly PlanStep[]): string {
  const material = steps.map((step) => [
    step.key,
    step.status,
    step.before ?? null,
    step.after ?? null,
    step.beforeFingerprint ?? null,
    step.afterFingerprint ?? null,
  ]);
  return createHash("sha256").update(JSON.stringify(material)).digest("hex").slice(0, 16);
}

export function countSteps(steps: readonly PlanStep[]): PlanCounts {
  return {
    change: steps.filter((step) => step.status === "change").length,
    skip: steps.filter((step) => step.status === "skip").length,
    refused: steps.filter((step) => step.status === "refused").length,
  };
}
