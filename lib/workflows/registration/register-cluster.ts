import { z } from "zod";
import { createHash } from "node:crypto";
import type { AuditStore, RecordStepInput, StepAction } from "@/lib/audit/port";
import { isKubeError } from "@/lib/kube/errors";
import { grantedPermissions, rulesFor, type RegistrationAccess } from "@/lib/kube/pullkeeper-rbac";
import type { ObservedRegistrationObject, RegistrationObjectRef, RegistrationTarget } from "@/lib/kube/registration";
import { describeRef, registrationObjects, REGISTRATION_NAMESPACE, RESOURCE_OF, SERVICE_ACCOUNT_NAME, TOKEN_SECRET_NAME, type RegistrationObject } from "./objects";
import type { RegisteredClusterStore } from "./port";

/** An object this attempt created: what its clean-up deletes (by uid). */
type CreatedObject = RegistrationObjectRef & { uid: string };

/**
 * Registering a cluster for the long run, as `argocd cluster add` does: from an admin's context (used for this one
 * run, never kept) plan the `pullkeeper` ServiceAccount, a ClusterRole with exactly Pullkeeper's rules (or the
 * read-only ones), its binding and a token Secret; apply creates what is missing, waits for the token controller,
 * verifies the new token (reads succeed; every granted permission is granted, and a read-only identity cannot
 * write), and keeps only server, CA and token. Any failure deletes what this attempt created (uid preconditions), or
 * lists what could not be deleted. Audited as `register_cluster`.
 */

export const clusterNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "Letters, digits, '.', '_' or '-', at most 63, starting with a letter or digit.");
export const registrationInputSchema = z.object({ name: clusterNameSchema, access: z.enum(["full", "read-only"]) });
export type RegistrationInput = z.infer<typeof registrationInputSchema>;

export type RegistrationStepAction = "create" | "reuse" | "refuse";

export interface RegistrationPlanStep {
  action: RegistrationStepAction;
  ref: RegistrationObjectRef;
  /** What the preview says about this object. */
  detail: string;
}

export interface RegistrationPlan {
  input: RegistrationInput;
  server: string;
  steps: RegistrationPlanStep[];
  /** Why the registration cannot go ahead (permissions the context lacks, objects someone else owns); empty when it can. */
  refusals: string[];
  rules: ReturnType<typeof rulesFor>;
  /** Covers input, server and every step: apply refuses when the cluster moved since the preview. */
  digest: string;
}

export interface RegistrationDeps {
  audit: AuditStore;
  clusters: RegisteredClusterStore;
  /** The new service account's view of the cluster (lib/kube `openTokenTarget`). */
  openAsToken: (server: string, caPem: string | null, token: string) => RegistrationTarget;
  actor: { email: string; role: string };
  /** How long to wait for the token controller (default 20 s). */
  tokenWaitMs?: number;
  now?: () => Date;
}

export type RegistrationResult =
  | { ok: true; operationId: string; summary: string }
  | { ok: false; operationId: string | null; message: string; leftBehind: string[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function denialText(ref: RegistrationObjectRef, verb: string, reason?: string | null): string {
  const { group, resource } = RESOURCE_OF[ref.kind];
  const where = ref.namespace ? `in namespace ${ref.namespace}` : "cluster-wide";
  return `The context's user may not ${verb} ${resource}${group ? `.${group}` : ""} (${where}), which registering needs for ${describeRef(ref)}.${reason ? ` ${reason}` : ""}`;
}

function planStep(object: RegistrationObject, existing: ObservedRegistrationObject | null): RegistrationPlanStep {
  if (!existing) return { action: "create", ref: object.ref, detail: `Create ${describeRef(object.ref)}` };
  if (object.sameAs(existing)) return { action: "reuse", ref: object.ref, detail: `Reuse ${describeRef(object.ref)}: made by an earlier registration${existing.annotations["pullkeeper.io/registered-as"] ? ` (as ${existing.annotations["pullkeeper.io/registered-as"]})` : ""}` };
  return { action: "refuse", ref: object.ref, detail: `${describeRef(object.ref)} already exists and is not the one a registration makes (other labels, rules or subjects); Pullkeeper will not overwrite it. Delete or rename it, then register again.` };
}

/** Reads the cluster as the admin's context sees it; writes nothing. */
export async function planClusterRegistration(input: RegistrationInput, target: RegistrationTarget, clusters: RegisteredClusterStore): Promise<RegistrationPlan> {
  const refusals: string[] = [];
  if (await clusters.get(input.name)) refusals.push(`A cluster named "${input.name}" is already registered. Remove it first, or choose another name.`);
  const objects = registrationObjects(input.name, input.access);
  const steps: RegistrationPlanStep[] = [];
  for (const object of objects) {
    const step = planStep(object, await target.read(object.ref));
    steps.push(step);
    if (step.action === "refuse") refusals.push(step.detail);
  }
  // The admin context must be able to create what is missing, read the token, and delete what it made should a later step fail.
  for (const step of steps) {
    const verbs = step.action === "create" ? ["create", "delete"] : [];
    if (step.ref.kind === "Secret") verbs.push("get");
    for (const verb of verbs) {
      const decision = await target.review({ verb, ...RESOURCE_OF[step.ref.kind], ...(step.ref.namespace ? { namespace: step.ref.namespace } : {}) });
      if (!decision.allowed) refusals.push(denialText(step.ref, verb));
    }
  }
  const plan = { input, server: target.server, steps, refusals, rules: rulesFor(input.access) };
  return { ...plan, digest: createHash("sha256").update(JSON.stringify([input, target.server, steps.map((s) => [s.action, s.ref])])).digest("hex") };
}

/**
 * Plans again and, when that plan has the previewed digest and no refusal, registers the cluster. Expected failures
 * are the result (`ok: false` with the message and anything left behind); only an audit outage throws.
 */
export async function applyClusterRegistration(input: RegistrationInput, previewedDigest: string, target: RegistrationTarget, deps: RegistrationDeps): Promise<RegistrationResult> {
  const plan = await planClusterRegistration(input, target, deps.clusters);
  if (plan.refusals.length > 0) return { ok: false, operationId: null, message: plan.refusals.join(" "), leftBehind: [] };
  if (plan.digest !== previewedDigest) return { ok: false, operationId: null, message: "The cluster changed since the preview (an object appeared or went). Preview again.", leftBehind: [] };

  const now = deps.now ?? (() => new Date());
  const audit = deps.audit;
  const operation = await audit.startOperation({
    kind: "register_cluster",
    actor: deps.actor.email,
    actorRole: deps.actor.role,
    cluster: input.name,
    parameters: { name: input.name, access: input.access, server: target.server, steps: plan.steps.map((s) => ({ action: s.action, object: describeRef(s.ref) })) },
    status: "running",
  });
  const run = auditedRun(audit, operation.id, now);
  const { record } = run;
  const created: CreatedObject[] = [];
  let reused = 0;
  const fail = (message: string) => run.fail(message, target, created);

  const objects = registrationObjects(input.name, input.access);
  for (const step of plan.steps) {
    const object = objects.find((o) => o.ref.kind === step.ref.kind)!;
    if (step.action === "reuse") {
      const existing = await target.read(step.ref);
      if (!existing || !object.sameAs(existing)) return fail(`${describeRef(step.ref)} changed or went away while registering.`);
      reused += 1;
      await record("cluster_object.reused", step.ref, "succeeded", { uid: existing.uid });
      continue;
    }
    try {
      const made = await target.create(step.ref, object.body);
      created.push({ ...step.ref, uid: made.uid });
      await record("cluster_object.created", step.ref, "succeeded", { uid: made.uid });
    } catch (e) {
      const why = isKubeError(e, "already_exists")
        ? `${describeRef(step.ref)} was created by someone else while this registration ran (another admin registering the same cluster at once?); this attempt stops.`
        : isKubeError(e, "forbidden")
          ? `${denialText(step.ref, "create")} The server said: ${e.message}`
          : `Creating ${describeRef(step.ref)} failed: ${e instanceof Error ? e.message : String(e)}`;
      await record("cluster_object.created", step.ref, "failed", {}, why);
      return fail(why);
    }
  }

  const token = await waitForToken(target, deps.tokenWaitMs ?? 20_000);
  if (!token) return fail(`The token controller did not fill Secret ${REGISTRATION_NAMESPACE}/${TOKEN_SECRET_NAME} in time.`);
  const caPem = target.caPem ?? token.caPem;
  const problem = await verifyIdentity(deps.openAsToken(target.server, caPem, token.token), input.access);
  await record("cluster_identity.verified", { kind: "ServiceAccount", namespace: REGISTRATION_NAMESPACE, name: SERVICE_ACCOUNT_NAME }, problem ? "failed" : "succeeded", { access: input.access }, problem ?? undefined);
  if (problem) return fail(problem);

  const saved = await deps.clusters.save({ name: input.name, server: target.server, caPem }, token.token, deps.actor.email);
  if (saved === "exists") {
    await record("cluster_credential.stored", null, "failed", { name: input.name }, "name taken");
    return fail(`A cluster named "${input.name}" was registered by someone else meanwhile.`);
  }
  await record("cluster_credential.stored", null, "succeeded", { name: input.name, server: target.server, access: input.access });
  const summary = `${deps.actor.email} registered cluster ${input.name} (${input.access === "full" ? "full" : "read-only"} role; ${created.length} object(s) created, ${reused} reused)`;
  await audit.finishOperation(operation.id, { status: "succeeded", summary, finishedAt: now() });
  return { ok: true, operationId: operation.id, summary };
}

/** The audit side of one registration: numbered steps, and the clean-up of a failed attempt (what it created, newest first). */
function auditedRun(audit: AuditStore, operationId: string, now: () => Date) {
  let sequence = 0;
  const record = async (action: StepAction, ref: RegistrationObjectRef | null, outcome: RecordStepInput["outcome"], detail: Record<string, unknown>, error?: string) => {
    sequence += 1;
    await audit.recordStep(operationId, {
      sequence,
      phase: "finished",
      action,
      outcome,
      ...(ref ? { target: { kind: ref.kind, ...(ref.namespace ? { namespace: ref.namespace } : {}), name: ref.name } } : {}),
      detail,
      ...(error ? { error: { kind: "failed", message: error } } : {}),
      recordedAt: now(),
    });
  };
  const fail = async (message: string, target: RegistrationTarget, created: CreatedObject[]): Promise<RegistrationResult> => {
    const leftBehind: string[] = [];
    for (const object of [...created].reverse()) {
      try {
        const outcome = await target.remove(object, object.uid);
        await record("cluster_object.deleted", object, "succeeded", { uid: object.uid, outcome, reason: "clean-up of a failed registration" });
      } catch (e) {
        leftBehind.push(describeRef(object));
        await record("cluster_object.deleted", object, "failed", { uid: object.uid }, e instanceof Error ? e.message : String(e));
      }
    }
    const tail = leftBehind.length === 0 ? " Nothing this attempt created is left in the cluster." : ` Left in the cluster (delete them by hand): ${leftBehind.join(", ")}.`;
    await audit.finishOperation(operationId, { status: "failed", summary: `${message}${tail}`, finishedAt: now() });
    return { ok: false, operationId, message: `${message}${tail}`, leftBehind };
  };
  return { record, fail };
}

async function waitForToken(target: RegistrationTarget, waitMs: number) {
  const deadline = Date.now() + waitMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    const token = await target.readServiceAccountToken(REGISTRATION_NAMESPACE, TOKEN_SECRET_NAME);
    if (token || Date.now() >= deadline) return token;
    await sleep(delay);
  }
}

/** Reads as the scan does, then asks the server whether the new identity holds each granted permission; a read-only one must not be able to write. */
async function verifyIdentity(asToken: RegistrationTarget, access: RegistrationAccess): Promise<string | null> {
  try {
    await asToken.probeReads();
  } catch (e) {
    return `The new service account cannot read the cluster: ${e instanceof Error ? e.message : String(e)}`;
  }
  for (const p of grantedPermissions(rulesFor(access))) {
    const decision = await asToken.review({ verb: p.verb, group: p.group, resource: p.resource });
    if (!decision.allowed) return `The new service account was not granted ${p.verb} on ${p.resource}${p.group ? `.${p.group}` : ""}.`;
  }
  if (access === "read-only") {
    for (const verb of ["create", "update", "delete"]) {
      if ((await asToken.review({ verb, group: "", resource: "secrets" })).allowed) return `The read-only service account may ${verb} secrets: some other binding grants it more than read access.`;
    }
  }
  return null;
}
