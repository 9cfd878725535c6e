import type { KubeGateway, PullSecretDto } from "@/lib/kube/port";
import { applyPlan, type StepOutcome } from "./engine/apply";
import type { Actor, RegistryVerifier, WorkflowDeps } from "./engine/deps";
import type { RegistryCheck } from "./engine/execute-step";
import type { Plan } from "./engine/plan";
import { PlanBuilder } from "./engine/plan-builder";
import { unknownSecretMessage, unlessUnrecorded, type PullSecretRef, type SecretOperationDeps } from "./pull-secret-ref";
import { PullkeeperError, type ErrorKind } from "@/lib/errors";

export interface VerifyCredentialsDeps extends SecretOperationDeps {
  kube: Pick<KubeGateway, "withPullSecretCredentials">;
  /** The ports' verifier, which also saves each result for the dashboard before it returns. */
  verifyRegistry: RegistryVerifier;
}

/** One registry's verdict, as the namespace page shows it: no credential, only its fingerprint. */
export interface RegistryCheckView {
  registry: string;
  username: string;
  fingerprint: string | null;
  result: RegistryCheck["result"] | "skipped";
  detail: string;
  latencyMs: number;
  checkedAt: string | null;
  credentialTested: boolean;
}

export interface VerifyCredentialsResult {
  operationId: string;
  status: "succeeded" | "failed" | "partially_failed";
  summary: string;
  checks: RegistryCheckView[];
}

/** Expected failures (secret gone, forbidden, audit log down) with an operator-readable message. */
/** Why a Verify could not run, in words for the operator (unknown secret, audit log down, step failed). */
export class VerifyCredentialsError extends PullkeeperError {
  override name = "VerifyCredentialsError";
  constructor(message: string, kind: ErrorKind = "rejected") {
    super("workflow", kind, message);
  }
}

const WILDCARD_REASON = "A wildcard registry key names no single registry to ask; verify an image's registry instead.";

/** One `registry.verify` step per registry the secret holds (as last scanned); wildcard keys are skipped. */
export function planVerifyPullSecret(ref: PullSecretRef, known: PullSecretDto, readAt = new Date().toISOString()): Plan {
  const { namespace, secret: name } = ref;
  const builder = new PlanBuilder();
  for (const entry of new Map(known.registries.map((item) => [item.registry, item])).values()) {
    const wildcard = entry.registry.includes("*");
    builder.add({
      key: `registry.verify:${namespace}/${name}/${entry.registry}`,
      op: { type: "registry.verify", ref: { namespace, name }, domains: [entry.registry] },
      target: { kind: "Secret", namespace, name },
      title: `Verify the ${entry.registry} credential of ${namespace}/${name}`,
      group: "Verification",
      ...(wildcard ? { status: "skip" as const, reason: WILDCARD_REASON } : { status: "change" as const }),
    });
  }
  return builder.build({ kind: "verify_credentials", cluster: ref.cluster, input: { secretName: `${namespace}/${name}` }, readAt, namespaces: [namespace] });
}

/**
 * Verifies every registry entry of one pull secret against the registry itself
 * (the v2 token exchange) as an audited `verify_credentials` operation run by
 * the workflow engine. The decoded credentials stay inside the gateway's
 * callback and reach only `verifyRegistry`; the result carries fingerprints
 * only. Nothing is verified if the audit log cannot be written.
 */
export async function verifyPullSecretCredentials(deps: VerifyCredentialsDeps, ref: PullSecretRef, actor: Actor): Promise<VerifyCredentialsResult> {
  const known = await deps.lookup(ref);
  if (!known) throw new VerifyCredentialsError(unknownSecretMessage(ref), "not_found");
  const plan = planVerifyPullSecret(ref, known);
  const name = `${ref.namespace}/${ref.secret}`;
  // Verify steps read the secret and ask the registry; nothing else of the gateway is reached.
  const engine: WorkflowDeps = { kube: deps.kube as KubeGateway, iam: null, verifyRegistry: deps.verifyRegistry, audit: deps.audit, ...(deps.runs ? { runs: deps.runs } : {}), concurrency: 1 };
  const result = await unlessUnrecorded(
    (onStarted) => applyPlan(plan, engine, { actor, failurePolicy: "continue", onStarted, summarise: ({ steps }) => summarise(name, steps) }),
    new VerifyCredentialsError("The audit log cannot be written right now, so nothing was verified. Try again shortly.", "unavailable"),
  );
  const outcomes = new Map(result.steps.map((step) => [step.key, step]));
  const checks = plan.steps.map((step): RegistryCheckView => {
    const registry = step.op.type === "registry.verify" ? step.op.domains[0]! : step.target.name;
    const entry = known.registries.find((item) => item.registry === registry)!;
    const outcome = outcomes.get(step.key);
    const check = (outcome?.detail?.results as RegistryCheck[] | undefined)?.[0];
    if (step.status === "change" && !check) throw new VerifyCredentialsError(outcome?.error?.message ?? result.summary);
    return check
      ? { registry: check.domain, username: check.username ?? entry.username, fingerprint: check.fingerprint, result: check.result, detail: check.detail, latencyMs: check.latencyMs, checkedAt: check.checkedAt, credentialTested: check.credentialTested }
      : { registry: entry.registry, username: entry.username, fingerprint: null, result: "skipped", detail: step.reason ?? WILDCARD_REASON, latencyMs: 0, checkedAt: null, credentialTested: false };
  });
  const status = result.status === "succeeded" || result.status === "failed" || result.status === "partially_failed" ? result.status : "failed";
  return { operationId: result.operationId, status, summary: result.summary, checks };
}

function summarise(name: string, steps: readonly StepOutcome[]): string {
  const valid = steps.filter((step) => step.outcome === "succeeded").length;
  if (steps.length === 0) return `${name} holds no registry that can be verified.`;
  const failedRead = steps.find((step) => step.outcome === "failed" && !step.detail);
  if (failedRead) return `Verification of ${name} failed: ${failedRead.error?.message ?? "the secret could not be read"}`;
  return `${valid} of ${steps.length} registr${steps.length === 1 ? "y" : "ies"} accepted the credentials of ${name}.`;
}
