import { createHash } from "node:crypto";
import type { KubeGateway, ObjectKey, ObservedObject, PullSecretInventory } from "@/lib/kube/port";
import { canonical } from "./digest";
import type { Plan, StepOp } from "./plan";

/**
 * What a preview's plan depends on in the cluster, and a cheap way to tell at
 * apply time whether any of it moved: the objects its steps name (sources,
 * targets, service accounts, deployments), each summarised as a hash of the
 * DTO the planner read. Apply re-reads only those objects (one GET each), or,
 * for a plan naming many, the inventory once (witnessHolds), and compares.
 */
export interface PlanWitness {
  keys: ObjectKey[];
  /** Per key, a hash of the object as the planner saw it, or "absent". */
  states: string[];
}

function refsOf(op: StepOp): ObjectKey[] {
  switch (op.type) {
    case "secret.create":
    case "secret.delete":
    case "registry.verify":
    case "secret.restore_key":
      return [{ kind: "Secret", ...op.ref }];
    case "secret.copy":
    case "secret.refresh_copy":
      return [
        { kind: "Secret", ...op.from },
        { kind: "Secret", ...op.to },
      ];
    case "service_account.add":
    case "service_account.remove":
      return [{ kind: "ServiceAccount", namespace: op.namespace, name: op.serviceAccount }];
    case "deployment.rewrite_images":
    case "deployment.restart":
      return [{ kind: "Deployment", ...op.ref }];
    default:
      return []; // IAM steps touch no cluster object; they find-or-create, so they are safe to repeat.
  }
}

/** Every cluster object the plan's steps name, once each, in a stable order. */
export function objectsOfPlan(plan: Pick<Plan, "steps">): ObjectKey[] {
  const byId = new Map<string, ObjectKey>();
  for (const step of plan.steps) {
    for (const key of refsOf(step.op)) byId.set(`${key.kind}/${key.namespace}/${key.name}`, { kind: key.kind, namespace: key.namespace, name: key.name });
  }
  return [...byId.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, key]) => key);
}

function stateOf(object: ObservedObject | undefined): string {
  return object ? createHash("sha256").update(canonical(object)).digest("hex").slice(0, 16) : "absent";
}

/** The inventory's objects a witness can name, by `Kind/namespace/name`. */
function inventoryObjects(inventory: PullSecretInventory): Map<string, ObservedObject> {
  const byId = new Map<string, ObservedObject>();
  for (const secret of inventory.pullSecrets) byId.set(`Secret/${secret.namespace}/${secret.name}`, secret);
  for (const account of inventory.serviceAccounts) byId.set(`ServiceAccount/${account.namespace}/${account.name}`, account);
  for (const workload of inventory.workloads) if (workload.kind === "Deployment") byId.set(`Deployment/${workload.namespace}/${workload.name}`, workload);
  return byId;
}

function objectsIn(inventory: PullSecretInventory, keys: readonly ObjectKey[]): ObservedObject[] {
  const byId = inventoryObjects(inventory);
  return keys.map((key) => byId.get(`${key.kind}/${key.namespace}/${key.name}`) ?? null);
}

/** The witness of a plan, from the inventory its planner read. */
export function witnessFromInventory(plan: Pick<Plan, "steps">, inventory: PullSecretInventory): PlanWitness {
  const keys = objectsOfPlan(plan);
  return { keys, states: objectsIn(inventory, keys).map((object) => stateOf(object ?? undefined)) };
}

/**
 * Up to this many objects, a GET each; beyond, one inventory read (a few cluster-wide list pages, mapped by the
 * same mappers) costs the API server far less: a copy into 500 namespaces names 3,500 objects.
 */
export const GET_EACH_UP_TO = 50;

/** True when every object the plan depends on reads as it did when planned. Any read failure counts as changed. */
export async function witnessHolds(kube: Pick<KubeGateway, "readObjects" | "readPullSecretInventory">, cluster: string, witness: PlanWitness): Promise<boolean> {
  if (!witness.keys.length) return false;
  const read = witness.keys.length > GET_EACH_UP_TO ? kube.readPullSecretInventory(cluster).then((inventory) => objectsIn(inventory, witness.keys)) : kube.readObjects(cluster, witness.keys);
  const now = await read.catch(() => null);
  return now !== null && now.every((object, index) => stateOf(object ?? undefined) === witness.states[index]);
}

/**
 * The gateway the planner runs on, keeping the last inventory it read of each
 * cluster, so the preview's witness describes exactly what the plan was built from.
 */
export function observingKube(kube: KubeGateway): { kube: KubeGateway; inventoryOf(cluster: string): PullSecretInventory | undefined } {
  const seen = new Map<string, PullSecretInventory>();
  const observed: KubeGateway = Object.create(kube) as KubeGateway;
  observed.readPullSecretInventory = async (cluster, opts) => {
    const inventory = await kube.readPullSecretInventory(cluster, opts);
    seen.set(cluster, inventory);
    return inventory;
  };
  return { kube: observed, inventoryOf: (cluster) => seen.get(cluster) };
}
