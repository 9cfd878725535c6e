import { applyPlan, type ApplyResult } from "./engine/apply";
import type { Actor, WorkflowDeps } from "./engine/deps";
import { WorkflowError } from "./engine/errors";
import type { Plan } from "./engine/plan";
import { recordPreview } from "./engine/preview";
import { workflowDefinition, type WorkflowKind } from "./catalog";

export type InputResult<T> = { ok: true; input: T } | { ok: false; error: string; fieldErrors: Record<string, string[]> };

/** Validates a workflow's input; errors are keyed by field path for the form. */
export function parseWorkflowInput(kind: WorkflowKind, raw: unknown): InputResult<unknown> {
  const parsed = workflowDefinition(kind).schema.safeParse(raw);
  if (parsed.success) return { ok: true, input: parsed.data };
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    // Errors on list items belong to the list's field, naming the item.
    const index = issue.path.findIndex((segment) => typeof segment === "number");
    const fieldPath = index >= 0 ? issue.path.slice(0, index) : issue.path;
    const key = fieldPath.join(".") || "form";
    const item = index >= 0 ? valueAt(raw, issue.path.slice(0, index + 1)) : undefined;
    (fieldErrors[key] ??= []).push(typeof item === "string" ? `"${item}": ${issue.message}` : issue.message);
  }
  return { ok: false, error: "Some fields need attention.", fieldErrors };
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((current, segment) => (current !== null && typeof current === "object" ? (current as Record<PropertyKey, unknown>)[segment] : undefined), value);
}

/** Plans a workflow from live state and records the preview as a dry run. Writes nothing else. */
export async function previewWorkflow(kind: WorkflowKind, input: unknown, deps: WorkflowDeps, actor: Actor): Promise<Plan> {
  const plan = await workflowDefinition(kind).plan(input, deps);
  return recordPreview(plan, deps, actor);
}

export type StartResult =
  | { ok: true; operationId: string; cluster: string; done: Promise<ApplyResult> }
  | { ok: false; reason: "stale_plan" | "already_running"; message: string; plan: Plan };

/**
 * Re-plans from live state and, if the result is the plan the operator
 * previewed (same digest), applies it. Resolves as soon as the operation is
 * recorded, so a caller can show progress while `done` runs to the end.
 */
export async function startWorkflow(
  kind: WorkflowKind,
  input: unknown,
  previewedDigest: string,
  deps: WorkflowDeps,
  actor: Actor,
  options: { signal?: AbortSignal } = {},
): Promise<StartResult> {
  const definition = workflowDefinition(kind);
  const plan = await definition.plan(input, deps);
  if (plan.digest !== previewedDigest) {
    return {
      ok: false,
      reason: "stale_plan",
      message: "The cluster changed since the preview, so nothing was applied. Review the updated preview and apply again.",
      plan: await recordPreview(plan, deps, actor),
    };
  }
  const related = definition.relatedOperationId?.(input);
  // Two clicks on the same preview (two people, two tabs) must not mint two API keys.
  const running = await deps.audit.listOperations({ cluster: plan.cluster, kind: plan.kind, status: "running" }, { limit: 50 });
  const twin = running.items.find((operation) => operation.parameters.planDigest === plan.digest);
  if (twin) {
    return {
      ok: false,
      reason: "already_running",
      message: `This exact plan is already being applied by ${twin.actor} (operation ${twin.id}); follow it in the audit log instead of applying it twice.`,
      plan,
    };
  }
  let started!: (id: string) => void;
  const operationId = new Promise<string>((resolve) => (started = resolve));
  const done = applyPlan(plan, deps, {
    actor,
    failurePolicy: definition.failurePolicy,
    ...(definition.runSecrets ? { secrets: definition.runSecrets(input) } : {}),
    ...(related ? { relatedOperationId: related } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onStarted: started,
  });
  // If the operation could not even be recorded, nothing ran: surface that error to the caller.
  const id = await Promise.race([operationId, done.then((result) => result.operationId)]);
  return { ok: true, operationId: id, cluster: plan.cluster, done };
}

/** Runs a workflow to the end (scripts, tests, benchmarks): preview, then apply that same plan. */
export async function runWorkflowToEnd(kind: WorkflowKind, input: unknown, deps: WorkflowDeps, actor: Actor): Promise<{ plan: Plan; result: ApplyResult }> {
  const plan = await previewWorkflow(kind, input, deps, actor);
  const start = await startWorkflow(kind, input, plan.digest, deps, actor);
  if (!start.ok) throw new WorkflowError("stale_plan", start.message);
  return { plan, result: await start.done };
}
