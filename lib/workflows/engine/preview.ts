import type { Actor, WorkflowDeps } from "./deps";
import type { Plan } from "./plan";

/**
 * Records a plan in the audit log as a dry run (what was previewed, by whom,
 * with every change, skip and refusal) and returns it with the record's id.
 */
export async function recordPreview(plan: Plan, deps: WorkflowDeps, actor: Actor): Promise<Plan> {
  const operation = await deps.audit.startOperation({
    kind: plan.kind,
    actor: actor.email,
    actorRole: actor.role,
    cluster: plan.cluster,
    namespaces: plan.namespaces,
    parameters: { ...plan.input, planDigest: plan.digest },
    status: "dry_run",
    summary: `Preview: ${plan.counts.change} change${plan.counts.change === 1 ? "" : "s"}, ${plan.counts.skip} already in place, ${plan.counts.refused} refused.`,
  });
  await deps.audit.recordSteps(
    operation.id,
    plan.steps.map((step) => ({
      sequence: step.sequence,
      phase: "planned" as const,
      action: step.action,
      outcome: step.status === "change" ? ("planned" as const) : step.status === "skip" ? ("skipped" as const) : ("refused" as const),
      target: step.target,
      beforeFingerprint: step.beforeFingerprint ?? undefined,
      afterFingerprint: step.afterFingerprint ?? undefined,
      detail: {
        title: step.title,
        ...(step.reason ? { reason: step.reason } : {}),
        ...(step.before !== undefined ? { before: step.before } : {}),
        ...(step.after !== undefined ? { after: step.after } : {}),
      },
    })),
  );
  return { ...plan, previewOperationId: operation.id };
}
