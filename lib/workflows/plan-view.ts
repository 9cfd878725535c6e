import type { Plan, PlanStep, PlanWarning } from "./engine/plan";

/** What the browser gets of a plan: everything the preview shows, nothing it does not need. */
export interface PlanStepView {
  key: string;
  sequence: number;
  action: string;
  group: string;
  title: string;
  status: PlanStep["status"];
  reason: string | null;
  target: { kind: string; namespace: string | null; name: string };
  before: string[] | string | null;
  after: string[] | string | null;
  beforeFingerprint: string | null;
  afterFingerprint: string | null;
}

export interface PlanView {
  kind: string;
  cluster: string;
  namespaces: string[];
  digest: string;
  readAt: string;
  previewOperationId: string | null;
  counts: Plan["counts"];
  warnings: PlanWarning[];
  steps: PlanStepView[];
}

export function toPlanView(plan: Plan): PlanView {
  return {
    kind: plan.kind,
    cluster: plan.cluster,
    namespaces: plan.namespaces,
    digest: plan.digest,
    readAt: plan.readAt,
    previewOperationId: plan.previewOperationId,
    counts: plan.counts,
    warnings: plan.warnings,
    steps: plan.steps.map((step) => ({
      key: step.key,
      sequence: step.sequence,
      action: step.action,
      group: step.group,
      title: step.title,
      status: step.status,
      reason: step.reason ?? null,
      target: { kind: step.target.kind, namespace: step.target.namespace ?? null, name: step.target.name },
      before: step.before ?? null,
      after: step.after ?? null,
      beforeFingerprint: step.beforeFingerprint ?? null,
      afterFingerprint: step.afterFingerprint ?? null,
    })),
  };
}
