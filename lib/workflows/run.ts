import type { OperationRecord } from "@/lib/audit/port";
import { setTimeout as sleep } from "node:timers/promises";
import { applyPlan, openRun, type ApplyOptions, type ApplyResult } from "./engine/apply";
import { resultFromRecord } from "./engine/run-result";
import type { Actor, WorkflowDeps } from "./engine/deps";
import { WorkflowError } from "./engine/errors";
import type { Plan } from "./engine/plan";
import { recordPreview } from "./engine/preview";
import { changesStillAllowed } from "./engine/access";
import { observingKube, witnessFromInventory, witnessHolds, type PlanWitness } from "./engine/freshness";
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

/**
 * Plans a workflow from live state and records the preview as a dry run. Writes
 * nothing else. The plan is kept (deps.previews) with a witness of the objects
 * it depends on, as the planner read them, for apply to run.
 */
export async function previewWorkflow(kind: WorkflowKind, input: unknown, deps: WorkflowDeps, actor: Actor): Promise<Plan> {
  return recordAndKeep(kind, input, await planObserved(kind, input, deps), deps, actor);
}

interface ObservedPlan {
  plan: Plan;
  witness: PlanWitness | null;
}

async function planObserved(kind: WorkflowKind, input: unknown, deps: WorkflowDeps): Promise<ObservedPlan> {
  const observed = observingKube(deps.kube);
  const plan = await workflowDefinition(kind).plan(input, { ...deps, kube: observed.kube });
  const inventory = observed.inventoryOf(plan.cluster);
  // The witness covers the plan's own cluster only: a plan with steps on other clusters is always planned again at apply.
  const singleCluster = plan.steps.every((step) => !step.cluster || step.cluster === plan.cluster);
  return { plan, witness: inventory && singleCluster ? witnessFromInventory(plan, inventory) : null };
}

async function recordAndKeep(kind: WorkflowKind, input: unknown, { plan, witness }: ObservedPlan, deps: WorkflowDeps, actor: Actor): Promise<Plan> {
  const recorded = await recordPreview(plan, deps, actor);
  if (witness) deps.previews?.remember(kind, input, recorded, witness);
  return recorded;
}

/**
 * The plan apply runs: the previewed one when this process still holds it and
 * neither the objects it touches nor the permissions its changes need moved
 * since (a few GETs and access reviews); otherwise a new plan from live state,
 * whose digest the caller compares with the preview's.
 */
async function planForApply(kind: WorkflowKind, input: unknown, previewedDigest: string, deps: WorkflowDeps): Promise<ObservedPlan> {
  const previewed = deps.previews?.find(kind, input, previewedDigest);
  if (previewed && (await witnessHolds(deps.kube, previewed.plan.cluster, previewed.witness)) && (await changesStillAllowed(previewed.plan, deps.kube))) {
    return previewed;
  }
  return planObserved(kind, input, deps);
}

export type StartResult =
  | { ok: true; operationId: string; cluster: string; done: Promise<ApplyResult> }
  | { ok: false; reason: "stale_plan" | "already_running"; message: string; plan: Plan };

/**
 * Applies the plan the operator previewed (same digest) if the cluster still
 * matches it (see planForApply), else refuses with the new plan. Resolves as soon as the operation is
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
  const asked = new Date();
  // A second click while the first run of this preview is going: said as such, before the objects are read again
  // (by then the first run may have written them, and the second would read as a stale preview).
  const held = deps.previews?.find(kind, input, previewedDigest);
  const cluster = held?.plan.cluster ?? (input as { cluster?: unknown }).cluster;
  const running = typeof cluster === "string" ? await twinRun({ cluster, kind, digest: previewedDigest }, asked, deps) : undefined;
  const planned = running ? null : await planForApply(kind, input, previewedDigest, deps);
  if (!planned) return alreadyRunning(running!, held?.plan ?? (await planObserved(kind, input, deps)).plan);
  const plan = planned.plan;
  if (plan.digest !== previewedDigest) {
    return {
      ok: false,
      reason: "stale_plan",
      message: "The cluster changed since the preview, so nothing was applied. Review the updated preview and apply again.",
      plan: await recordAndKeep(kind, input, planned, deps, actor),
    };
  }
  const related = definition.relatedOperationId?.(input);
  const twin = await twinRun(plan, asked, deps);
  if (twin) return alreadyRunning(twin, plan);
  const applyOptions: ApplyOptions = {
    actor,
    failurePolicy: definition.failurePolicy,
    ...(definition.runSecrets ? { secrets: definition.runSecrets(input) } : {}),
    ...(related ? { relatedOperationId: related } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  if (deps.runQueue && deps.runs) {
    // Durable: any replica runs it, and goes on with it if this process dies.
    const operationId = await openRun(plan, deps, deps.runs, applyOptions);
    await deps.runQueue.enqueue(operationId);
    return { ok: true, operationId, cluster: plan.cluster, get done() { return waitForClose(operationId, deps); } };
  }
  let started!: (id: string) => void;
  const operationId = new Promise<string>((resolve) => (started = resolve));
  const done = applyPlan(plan, deps, { ...applyOptions, onStarted: started });
  // If the operation could not even be recorded, nothing ran: surface that error to the caller.
  const id = await Promise.race([operationId, done.then((result) => result.operationId)]);
  return { ok: true, operationId: id, cluster: plan.cluster, done };
}

function alreadyRunning(twin: OperationRecord, plan: Plan): StartResult {
  return {
    ok: false,
    reason: "already_running",
    message:
      twin.status === "running"
        ? `This exact plan is already being applied by ${twin.actor} (operation ${twin.id}); follow it in the audit log instead of applying it twice.`
        : `This exact plan was just applied by ${twin.actor} (operation ${twin.id}) while this request was being checked; see the audit log before applying it again.`,
    plan,
  };
}

/** The result of a queued run once some replica closed it, read from the audit log. */
async function waitForClose(operationId: string, deps: WorkflowDeps, pollMs = 250): Promise<ApplyResult> {
  for (;;) {
    const operation = await deps.audit.getOperation(operationId);
    if (!operation) throw new WorkflowError("invalid", `operation ${operationId} is not in the audit log`);
    if (operation.status !== "running" && operation.status !== "planned") return resultFromRecord(operation, null);
    await sleep(pollMs);
  }
}

/**
 * Two clicks on the same preview (two people, two tabs, two replicas) must not
 * apply it twice (nor mint two API keys): a run of the same plan that is still
 * going, or that ended after this request started (its plan was read before
 * that run wrote anything), is a twin.
 */
async function twinRun(plan: Pick<Plan, "cluster" | "kind" | "digest">, asked: Date, deps: WorkflowDeps): Promise<OperationRecord | undefined> {
  const recent = await deps.audit.listOperations({ cluster: plan.cluster, kind: plan.kind }, { limit: 50 });
  return recent.items.find(
    (operation) =>
      operation.parameters.planDigest === plan.digest &&
      (operation.status === "running" || (operation.status !== "dry_run" && operation.finishedAt !== null && new Date(operation.finishedAt) >= asked)),
  );
}

/** Runs a workflow to the end (scripts, tests, benchmarks): preview, then apply that same plan. */
export async function runWorkflowToEnd(kind: WorkflowKind, input: unknown, deps: WorkflowDeps, actor: Actor): Promise<{ plan: Plan; result: ApplyResult }> {
  const plan = await previewWorkflow(kind, input, deps, actor);
  const start = await startWorkflow(kind, input, plan.digest, deps, actor);
  if (!start.ok) throw new WorkflowError("stale_plan", start.message);
  return { plan, result: await start.done };
}
