import { z } from "zod";
import type { AuditStore } from "@/lib/audit/port";
import type { ObservedRegistrationObject, RegistrationTarget } from "@/lib/kube/registration";
import { clusterNameSchema } from "./register-cluster";
import { describeRef, isOurs, possibleRegistrationRefs, REGISTERED_AS_ANNOTATION } from "./objects";
import type { RegisteredClusterStore } from "./port";

/**
 * Removing a registered cluster: Pullkeeper forgets its token and, when the admin provides a context for the same
 * server that may delete them, deletes what a registration made there: the objects at a registration's names that
 * carry its labels and were made for this cluster (`pullkeeper.io/registered-as`), or for an earlier registration
 * Pullkeeper no longer knows (this one reused them). Objects of another registration still known, or without the
 * labels, are left alone and said so. Each delete carries the uid read in the plan. Audited as `remove_cluster`.
 */

export const removalInputSchema = z.object({ name: clusterNameSchema, deleteObjects: z.boolean() });
export type RemovalInput = z.infer<typeof removalInputSchema>;

export interface RemovalPlanStep {
  action: "delete" | "keep";
  object: ObservedRegistrationObject;
  detail: string;
}

export interface RemovalPlan {
  name: string;
  server: string;
  steps: RemovalPlanStep[];
  refusals: string[];
}

export async function planClusterRemoval(input: RemovalInput, clusters: RegisteredClusterStore, target: RegistrationTarget | null): Promise<RemovalPlan> {
  const cluster = await clusters.get(input.name);
  if (!cluster) return { name: input.name, server: "", steps: [], refusals: [`No registered cluster is named "${input.name}".`] };
  if (!input.deleteObjects) return { name: input.name, server: cluster.server, steps: [], refusals: [] };
  if (!target) return { name: input.name, server: cluster.server, steps: [], refusals: ["Deleting the objects needs a kubeconfig context that may delete them."] };
  if (new URL(target.server).origin !== new URL(cluster.server).origin) {
    return { name: input.name, server: cluster.server, steps: [], refusals: [`The context's server (${target.server}) is not the registered cluster's (${cluster.server}).`] };
  }
  const sameServer = new Set((await clusters.list()).filter((c) => c.name !== input.name && new URL(c.server).origin === new URL(cluster.server).origin).map((c) => c.name));
  const steps: RemovalPlanStep[] = [];
  for (const ref of possibleRegistrationRefs()) {
    const object = await target.read(ref);
    if (!object) continue;
    const owner = object.annotations[REGISTERED_AS_ANNOTATION];
    if (!isOurs(object)) steps.push({ action: "keep", object, detail: `${describeRef(ref)} is not labelled as made by a registration; left alone` });
    else if (owner && owner !== input.name && sameServer.has(owner)) steps.push({ action: "keep", object, detail: `${describeRef(ref)} belongs to the registration "${owner}"; left alone` });
    else steps.push({ action: "delete", object, detail: `Delete ${describeRef(ref)}${owner && owner !== input.name ? ` (made by an earlier registration "${owner}", reused by this one)` : ""}` });
  }
  return { name: input.name, server: cluster.server, steps, refusals: [] };
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
  const leftInCluster = plan.steps.filter((s) => s.action === "keep").map((s) => describeRef(s.object));
  let failed = 0;
  for (const { object } of plan.steps.filter((s) => s.action === "delete")) {
    const targetRef = { kind: object.kind, ...(object.namespace ? { namespace: object.namespace } : {}), name: object.name };
    sequence += 1;
    try {
      const outcome = await target!.remove(object, object.uid);
      if (outcome === "changed") leftInCluster.push(describeRef(object));
      await deps.audit.recordStep(operation.id, { sequence, phase: "finished", action: "cluster_object.deleted", outcome: outcome === "changed" ? "skipped" : "succeeded", target: targetRef, detail: { uid: object.uid, outcome }, recordedAt: now() });
    } catch (e) {
      failed += 1;
      leftInCluster.push(describeRef(object));
      await deps.audit.recordStep(operation.id, { sequence, phase: "finished", action: "cluster_object.deleted", outcome: "failed", target: targetRef, error: { kind: "failed", message: e instanceof Error ? e.message : String(e) }, recordedAt: now() });
    }
  }
  const forgotten = await deps.clusters.forget(input.name);
  await deps.audit.recordStep(operation.id, { sequence: sequence + 1, phase: "finished", action: "cluster_credential.forgotten", outcome: forgotten ? "succeeded" : "skipped", detail: { name: input.name }, recordedAt: now() });
  const left = leftInCluster.length > 0 ? `; left in the cluster: ${leftInCluster.join(", ")}` : input.deleteObjects ? "" : "; its objects were left in the cluster";
  const summary = `${deps.actor.email} removed cluster ${input.name}${left}`;
  await deps.audit.finishOperation(operation.id, { status: failed > 0 ? "partially_failed" : "succeeded", summary, finishedAt: now() });
  return { ok: true, operationId: operation.id, summary, leftInCluster };
}
