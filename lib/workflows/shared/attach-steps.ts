import type { AccessChecker } from "../engine/access";
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
  /** Add restart steps for Deployments whose pods will not pick the change up. */
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
 * when asked, restart the Deployments whose pods would take the service
 * account's new list (after the attachment step `attachKey`).
 */
async function planPodRestarts(builder: PlanBuilder, index: InventoryIndex, access: AccessChecker, request: AttachRequest, added: string[], attachKey: string): Promise<void> {
  const { namespace, serviceAccount } = request;
  const pods = index.podsMissing(namespace, serviceAccount, added);
  if (!pods.length) return;
  const deployments = index.restartableDeployments(namespace, pods);
  builder.warn({
    code: "pods_need_restart",
    message: `${pods.length} running pod${pods.length === 1 ? "" : "s"} in ${namespace} will keep the pull secrets they started with until recreated${
      deployments.length ? `; restarting ${deployments.join(", ")} recreates them` : ""
    }.`,
    targets: pods.map((pod) => `${namespace}/${pod.name}`),
  });
  if (!request.restartPods) return;
  for (const deployment of deployments) {
    const restartAllowed = await access.check({ verb: "patch", resource: "deployments", group: "apps", namespace });
    const restartKey = `deployment.restart:${namespace}/${deployment}`;
    builder.add({
      key: restartKey,
      op: { type: "deployment.restart", ref: { namespace, name: deployment } },
      target: { kind: "Deployment", namespace, name: deployment },
      title: `Restart ${namespace}/${deployment} so its pods get the new pull secrets`,
      group: "Restarts",
      status: restartAllowed.allowed ? "change" : "refused",
      ...(restartAllowed.allowed ? {} : { reason: restartAllowed.reason ?? "Not allowed." }),
      dependsOn: [attachKey],
      stage: request.stage + 1,
    });
    if (!restartAllowed.allowed) continue;
    builder.add({
      key: `deployment.follow_pods:${namespace}/${deployment}`,
      op: { type: "deployment.follow_pods", ref: { namespace, name: deployment } },
      target: { kind: "Deployment", namespace, name: deployment },
      title: `Follow ${namespace}/${deployment}'s new pods until they pull or fail again (up to 2 minutes)`,
      group: "Restarts",
      status: "change",
      dependsOn: [restartKey],
      stage: request.stage + 2,
    });
  }
}
