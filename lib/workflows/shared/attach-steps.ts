import type { WorkloadRef } from "@/lib/kube/port";
import { restartAccessNeed, type AccessChecker } from "../engine/access";
import type { PlanBuilder } from "../engine/plan-builder";
import { InventoryIndex, managedByLabel } from "./inventory-index";

export interface AttachRequest {
  namespace: string;
  serviceAccount: string;
  /** Secret names to reference. */
  names: string[];
  /** Names that earlier steps of the same plan create (so they need not exist yet). */
  createdByPlan?: string[];
  /** Keys of the steps that must succeed first (the secrets' creation). */
  dependsOn?: string[];
  stage: number;
  /** Add restart steps for Deployments, StatefulSets and DaemonSets whose pods will not pick the change up. */
  restartPods: boolean;
}

/**
 * Plans adding secrets to a service account's imagePullSecrets (the seed's
 * `kubectl patch serviceaccount`): appended, never duplicated, others kept;
 * plus the pods that will not see it until recreated, and optional restarts.
 * Returns the key of the service-account step, if one was planned.
 */
export async function planAttachment(
  builder: PlanBuilder,
  index: InventoryIndex,
  access: AccessChecker,
  request: AttachRequest,
): Promise<string | null> {
  const { namespace, serviceAccount } = request;
  const key = `service_account.add:${namespace}/${serviceAccount}`;
  const target = { kind: "ServiceAccount", namespace, name: serviceAccount };
  const account = index.serviceAccount(namespace, serviceAccount);
  const base = { key, target, group: "Service accounts", stage: request.stage, dependsOn: request.dependsOn ?? [] };
  const op = { type: "service_account.add" as const, namespace, serviceAccount, names: request.names };

  if (!account) {
    builder.add({
      ...base, op, status: "refused",
      title: `Attach ${request.names.join(", ")} to ${namespace}/${serviceAccount}`,
      reason: `Service account ${serviceAccount} does not exist in ${namespace}.`,
    });
    return null;
  }
  const current = account.imagePullSecrets;
  const toAdd = request.names.filter((name) => !current.includes(name));
  const after = [...current, ...toAdd];
  if (toAdd.length === 0) {
    builder.add({
      ...base, op, status: "skip", before: current, after: current,
      title: `Attach ${request.names.join(", ")} to ${namespace}/${serviceAccount}`,
      reason: "Already attached.",
    });
    return key;
  }
  const missing = toAdd.filter((name) => !index.secret(namespace, name) && !(request.createdByPlan ?? []).includes(name));
  const decision = await access.check({ verb: "patch", resource: "serviceaccounts", namespace });
  const title = `Attach ${toAdd.join(", ")} to ${namespace}/${serviceAccount}`;
  if (missing.length) {
    builder.add({
      ...base, op, status: "refused", before: current, after, title,
      reason: `Secret ${missing.join(", ")} does not exist in ${namespace}: attaching it would leave a dangling reference. Copy or create it first.`,
    });
    return null;
  }
  if (!decision.allowed) {
    builder.add({ ...base, op: { ...op, names: toAdd }, status: "refused", before: current, after, title, reason: decision.reason ?? "Not allowed." });
    return null;
  }
  builder.add({ ...base, op: { ...op, names: toAdd }, status: "change", before: current, after, title, ...(account.resourceVersion ? { targetVersion: account.resourceVersion } : {}) });

  const tool = managedByLabel(account.managedBy);
  if (tool) {
    builder.warn({
      code: "managed_by_other_tool",
      message: `${namespace}/${serviceAccount} is managed by ${tool}, which may revert this change on its next sync; add the secrets to its source as well.`,
      targets: [`${namespace}/${serviceAccount}`],
    });
  }
  await planPodRestarts(builder, index, access, request, toAdd, key);
  return key;
}

/**
 * Running pods keep the pull secrets they started with: warn about them and,
 * when asked, restart the Deployments, StatefulSets and DaemonSets whose pods
 * would take the service account's new list (after the attachment step
 * `attachKey`), each followed until its new pods pull or fail again.
 */
async function planPodRestarts(builder: PlanBuilder, index: InventoryIndex, access: AccessChecker, request: AttachRequest, added: string[], attachKey: string): Promise<void> {
  const { namespace, serviceAccount } = request;
  const pods = index.podsMissing(namespace, serviceAccount, added);
  if (!pods.length) return;
  const workloads = index.restartableWorkloads(namespace, pods);
  builder.warn({
    code: "pods_need_restart",
    message: `${pods.length} running pod${pods.length === 1 ? "" : "s"} in ${namespace} will keep the pull secrets they started with until recreated${
      workloads.length ? `; restarting ${workloads.map(workloadLabel).join(", ")} recreates them` : ""
    }.`,
    targets: pods.map((pod) => `${namespace}/${pod.name}`),
  });
  if (!request.restartPods) return;
  for (const workload of workloads) await planRestart(builder, access, workload, index.podsStuckOnPulls(workload).length > 0, attachKey, request.stage);
}

/** "StatefulSet db" as the preview names a workload. */
const workloadLabel = (ref: WorkloadRef) => `${ref.kind} ${ref.name}`;

/**
 * One workload's restart (after `attachKey`) and the step that follows its new pods. An OrderedReady StatefulSet
 * with pods stuck on image pulls needs them deleted too (lib/kube restartWorkload): `delete pods` is asked then.
 */
async function planRestart(builder: PlanBuilder, access: AccessChecker, ref: WorkloadRef, hasStuckPods: boolean, attachKey: string, stage: number): Promise<void> {
  const { namespace, name, kind } = ref;
  const patch = await access.check(restartAccessNeed(ref));
  const deletesPods = kind === "StatefulSet" && hasStuckPods;
  const restartAllowed = patch.allowed && deletesPods ? await access.check({ verb: "delete", resource: "pods", namespace }) : patch;
  const id = `${kind}/${namespace}/${name}`;
  const restartKey = `workload.restart:${id}`;
  const target = { kind, namespace, name };
  builder.add({
    key: restartKey,
    op: { type: "workload.restart", ref: { kind, namespace, name } },
    target,
    title: `Restart ${kind} ${namespace}/${name} so its pods get the new pull secrets${deletesPods ? " (and delete its pods stuck on image pulls, which it never replaces itself)" : ""}`,
    group: "Restarts",
    status: restartAllowed.allowed ? "change" : "refused",
    ...(restartAllowed.allowed ? {} : { reason: restartAllowed.reason ?? "Not allowed." }),
    dependsOn: [attachKey],
    stage: stage + 1,
  });
  if (!restartAllowed.allowed) return;
  builder.add({
    key: `workload.follow_pods:${id}`,
    op: { type: "workload.follow_pods", ref: { kind, namespace, name } },
    target,
    title: `Follow ${kind} ${namespace}/${name}'s new pods until they pull or fail again (up to 2 minutes)`,
    group: "Restarts",
    status: "change",
    dependsOn: [restartKey],
    stage: stage + 2,
  });
}
