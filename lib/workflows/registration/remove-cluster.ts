import { z } from "zod";
import type { AuditStore } from "@/lib/audit/port";
import type { RegistrationTarget } from "@/lib/kube/registration";
import { clusterNameSchema } from "./register-cluster";
import { describeRef } from "./objects";
import type { RegisteredClusterObject, RegisteredClusterStore } from "./port";

/**
 * Removing a registered cluster: Pullkeeper forgets its token, and, when the admin provides a context that may
 * delete them, deletes the objects the registration recorded, each only while it is still the object recorded (same
 * uid); one replaced or gone since is left alone and said so. Audited as `remove_cluster`.
 */

export const removalInputSchema = z.object({ name: clusterNameSchema, deleteObjects: z.boolean() });
export type RemovalInput = z.infer<typeof removalInputSchema>;

export interface RemovalPlanStep {
  action: "delete" | "keep" | "gone";
  object: RegisteredClusterObject;
  detail: string;
}

export interface RemovalPlan {
  name: string;
  server: string;
  steps: RemovalPlanStep[];
  refusals: string[];
}

/** Deleting goes binding first, the account last, so the role never stays bound to nothing nameable. */
const ORDER = ["ClusterRoleBinding", "ClusterRole", "Secret", "ServiceAccount"];

export async function planClusterRemoval(input: RemovalInput, clusters: RegisteredClusterStore, target: RegistrationTarget | null): Promise<RemovalPlan> {
  const cluster = await clusters.get(input.name);
  if (!cluster) return { name: input.name, server: "", steps: [], refusals: [`No registered cluster is named "${input.name}".`] };
  const objects = [...cluster.objects].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  const refusals: string[] = [];
  if (input.deleteObjects && !target) refusals.push("Deleting the objects needs a kubeconfig context that may delete them.");
  if (input.deleteObjects && target && new URL(target.server).origin !== new URL(cluster.server).origin) {
    refusals.push(`The context's server (${target.server}) is not the registered cluster's (${cluster.server}).`);
  }
  const steps: RemovalPlanStep[] = [];
  for (const object of objects) {
    if (!input.deleteObjects || !target || refusals.length > 0) {
      steps.push({ action: "keep", object, detail: `Leave ${describeRef(object)} in the cluster` });
      continue;
    }
    const now = await target.read(object);
    if (!now) steps.push({ action: "gone", object, detail: `${describeRef(object)} is already gone` });
    else if (now.uid !== object.uid) steps.push({ action: "keep", object, detail: `${describeRef(object)} was replaced since the registration (another uid); left alone` });
    else steps.push({ action: "delete", object, detail: `Delete ${describeRef(object)}${object.created ? "" : " (made by an earlier registration and reused by this one)"}` });
  }
  return { name: input.name, server: cluster.server, steps, refusals };
}

export async function applyClusterRemoval(
  input: RemovalInput,
  target: RegistrationTarget | null,
  deps: { audit: AuditStore; clusters: RegisteredClusterStore; actor: { email: string; role: string }; now?: () => Date },
): Promise<{ ok: true; operationId: string; summary: string; leftInCluster: string[] } | { ok: false; message: string }> {
  const plan = await planClusterRemoval(input, deps.clusters, target);
  if (plan.refusals.length > 0) return { ok: false, message: plan.refusals.join(" ") };
  const now = deps.now ?? (() => new Date());
  const operation = await deps.audit.startOperation({
    kind: "remove_cluster",
    actor: deps.actor.email,
    actorRole: deps.actor.role,
    cluster: input.name,
    parameters: { name: input.name, deleteObjects: input.deleteObjects, steps: plan.steps.map((s) => ({ action: s.action, object: describeRef(s.object) })) },
    status: "running",
  });
  let sequence = 0;
  const leftInCluster: string[] = [];
  let failed = 0;
  for (const step of plan.steps) {
    const targetRef = { kind: step.object.kind, ...(step.object.namespace ? { namespace: step.object.namespace } : {}), name: step.object.name };
    if (step.action !== "delete") {
      if (step.action === "keep") leftInCluster.push(describeRef(step.object));
      continue;
    }
    sequence += 1;
    try {
      const outcome = await target!.remove(step.object, step.object.uid);
      if (outcome === "changed") leftInCluster.push(describeRef(step.object));
      await deps.audit.recordStep(operation.id, { sequence, phase: "finished", action: "cluster_object.deleted", outcome: outcome === "changed" ? "skipped" : "succeeded", target: targetRef, detail: { uid: step.object.uid, outcome }, recordedAt: now() });
    } catch (e) {
      failed += 1;
      leftInCluster.push(describeRef(step.object));
      await deps.audit.recordStep(operation.id, { sequence, phase: "finished", action: "cluster_object.deleted", outcome: "failed", target: targetRef, error: { kind: "failed", message: e instanceof Error ? e.message : String(e) }, recordedAt: now() });
    }
  }
  const forgotten = await deps.clusters.forget(input.name);
  await deps.audit.recordStep(operation.id, { sequence: sequence + 1, phase: "finished", action: "cluster_credential.forgotten", outcome: forgotten ? "succeeded" : "skipped", detail: { name: input.name }, recordedAt: now() });
  const left = leftInCluster.length > 0 ? `; left in the cluster: ${leftInCluster.join(", ")}` : "";
  const summary = `${deps.actor.email} removed cluster ${input.name}${left}`;
  await deps.audit.finishOperation(operation.id, { status: failed > 0 ? "partially_failed" : "succeeded", summary, finishedAt: now() });
  return { ok: true, operationId: operation.id, summary, leftInCluster };
}
