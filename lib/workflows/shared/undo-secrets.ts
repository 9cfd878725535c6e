import type { StepRecord } from "@/lib/audit/port";
import type { PullSecretDto } from "@/lib/kube/port";
import { allowedStatus, undoKey, type UndoContext } from "./undo-context";

const SECRET_WRITES = ["secret.created", "secret.copied"];

interface WrittenSecret {
  namespace: string;
  name: string;
  /** The step that wrote it; `started` when the run died before recording the end, but the secret's provenance names the operation. */
  step: StepRecord;
}

/**
 * The secrets the operation wrote: its succeeded writes, and the writes still
 * `started` when its process died whose secret now carries this operation's id
 * in its provenance (the write reached the cluster; the record did not).
 */
export function secretsWrittenBy(context: UndoContext): WrittenSecret[] {
  const { operation, index } = context;
  const found = new Map<string, WrittenSecret>();
  for (const step of [...operation.steps].sort((a, b) => b.sequence - a.sequence)) {
    if (!SECRET_WRITES.includes(step.action) || !step.target?.namespace) continue;
    const where = `${step.target.namespace}/${step.target.name}`;
    const live = index.secret(step.target.namespace, step.target.name);
    const reachedCluster = step.outcome === "started" && live?.provenance?.operationId === operation.id;
    if ((step.outcome === "succeeded" || reachedCluster) && !found.has(where)) {
      found.set(where, { namespace: step.target.namespace, name: step.target.name, step });
    }
  }
  return [...found.values()];
}

/** Service accounts and workloads that will still name the secret once this undo's own detach steps ran. */
export function remainingReferences(context: UndoContext, namespace: string, name: string): string[] {
  const accounts = context.index.inventory.serviceAccounts
    .filter((account) => account.namespace === namespace && account.imagePullSecrets.includes(name))
    .filter((account) => !context.detachedReferences.has(`${namespace}/${account.name}/${name}`))
    .map((account) => `service account ${namespace}/${account.name}`);
  const workloads = context.index
    .workloads(namespace)
    .filter((workload) => workload.imagePullSecrets.includes(name))
    .map((workload) => `${workload.kind.toLowerCase()} ${namespace}/${workload.name}`);
  return [...accounts, ...workloads];
}

function listed(items: string[]): string {
  return `${items.slice(0, 5).join(", ")}${items.length > 5 ? `, and ${items.length - 5} more` : ""}`;
}

/**
 * Why the secret is kept as the cluster holds it now, or null when it may be deleted: `skip` when it is in
 * use or another operation owns it now, `refused` when its content changed under an unknown hand.
 */
function reasonToKeep(context: UndoContext, written: WrittenSecret, current: PullSecretDto): { status: "skip" | "refused"; reason: string } | null {
  const ownerNow = current.provenance?.operationId;
  if (ownerNow && ownerNow !== context.operation.id) {
    return { status: "skip", reason: `Operation ${ownerNow} has written it since (its provenance names that operation); it is left to that operation.` };
  }
  if (written.step.afterFingerprint && current.credentialFingerprint !== written.step.afterFingerprint) {
    return { status: "refused", reason: "Its content changed since the operation wrote it; it is left alone." };
  }
  const references = remainingReferences(context, written.namespace, written.name);
  if (references.length) {
    const dangling = references.length === 1 ? "a dangling reference" : "dangling references";
    return { status: "skip", reason: `Kept: still referenced by ${listed(references)}, which this undo does not detach (attached later, by another run or by hand); deleting it would leave ${dangling}.` };
  }
  return null;
}

/** One delete step per secret the operation wrote, kept with the reason when deleting it would break something. */
export async function planSecretRemovals(context: UndoContext): Promise<void> {
  for (const written of secretsWrittenBy(context)) {
    const { namespace, name, step } = written;
    const current = context.index.secret(namespace, name);
    const provenOurs = current?.provenance?.operationId === context.operation.id;
    const base = {
      key: undoKey(step), group: "Secrets", stage: 1, dependsOn: context.detachKeysByNamespace.get(namespace) ?? [],
      op: {
        type: "secret.delete" as const, ref: { namespace, name }, force: false,
        // The gateway re-reads the secret and deletes nothing if another operation or content replaced it meanwhile.
        ...(provenOurs ? { expect: { operationId: context.operation.id, fingerprint: current?.credentialFingerprint ?? null } } : {}),
      },
      target: { kind: "Secret", namespace, name },
      title: `Delete ${namespace}/${name}, ${step.outcome === "succeeded" ? "created" : "written (its record was cut short)"} by step ${step.sequence}`,
      beforeFingerprint: current?.credentialFingerprint ?? null, afterFingerprint: null,
    };
    const planned = !current
      ? context.builder.add({ ...base, status: "skip", reason: "Already gone." })
      : await planDeleteOrKeep(context, written, current, base);
    context.secretRemovals.set(`${namespace}/${name}`, { key: planned.key, status: planned.status });
  }
}

type UnstatusedStep = Omit<Parameters<UndoContext["builder"]["add"]>[0], "status">;

async function planDeleteOrKeep(context: UndoContext, written: WrittenSecret, current: PullSecretDto, base: UnstatusedStep) {
  const keep = reasonToKeep(context, written, current);
  if (keep) return context.builder.add({ ...base, ...(keep.status === "skip" ? { group: "Kept: still in use" } : {}), ...keep });
  return context.builder.add({ ...base, ...(await allowedStatus(context, { verb: "delete", resource: "secrets", namespace: written.namespace })) });
}
