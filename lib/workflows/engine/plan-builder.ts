import type { OperationKind } from "@/lib/audit/port";
import { countSteps, planDigest } from "./digest";
import type { Plan, PlanStep, PlanWarning } from "./plan";
import { stepAction } from "./step-actions";

/** A step as a planner describes it: its audit action is derived from its operation (step-actions.ts), never named. */
type NewStep = Omit<PlanStep, "sequence" | "dependsOn" | "stage" | "action"> & { dependsOn?: string[]; stage?: number };

/** Collects steps in order, numbering them and keeping keys unique. */
export class PlanBuilder {
  private readonly steps: PlanStep[] = [];
  private readonly warnings: PlanWarning[] = [];
  private readonly keys = new Set<string>();

  add(step: NewStep): PlanStep {
    if (this.keys.has(step.key)) throw new Error(`duplicate plan step ${step.key}`);
    this.keys.add(step.key);
    const full: PlanStep = { ...step, action: stepAction(step.op), dependsOn: step.dependsOn ?? [], stage: step.stage ?? 0, sequence: this.steps.length + 1 };
    this.steps.push(full);
    return full;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  warn(warning: PlanWarning): void {
    this.warnings.push(warning);
  }

  build(meta: { kind: OperationKind; cluster: string; input: Record<string, unknown>; readAt: string; namespaces?: string[] }): Plan {
    // Steps run by stage; number them in that order so the audit log reads top to bottom.
    const ordered = [...this.steps].sort((a, b) => a.stage - b.stage || a.sequence - b.sequence);
    const steps = ordered.map((step, index) => ({ ...step, sequence: index + 1 }));
    // A change that depends on a refused step cannot happen either: say so in the preview.
    const byKey = new Map(steps.map((step) => [step.key, step]));
    for (const step of steps) {
      if (step.status !== "change") continue;
      const refused = step.dependsOn.map((key) => byKey.get(key)).find((dependency) => dependency?.status === "refused");
      if (refused) {
        step.status = "refused";
        step.reason = `Depends on step ${refused.sequence} (${refused.title}), which is refused.`;
      }
    }
    const namespaces =
      meta.namespaces ??
      [...new Set(steps.map((step) => step.target.namespace).filter((ns): ns is string => Boolean(ns)))].sort();
    if (!steps.some((step) => step.status === "change") && !this.warnings.some((w) => w.code === "nothing_to_do")) {
      this.warnings.push({ code: "nothing_to_do", message: "Everything this workflow would do is already in place: applying changes nothing." });
    }
    return {
      kind: meta.kind,
      cluster: meta.cluster,
      namespaces,
      input: meta.input,
      steps,
      warnings: this.warnings,
      counts: countSteps(steps),
      digest: planDigest(steps, meta.input),
      readAt: meta.readAt,
      previewOperationId: null,
    };
  }
}
