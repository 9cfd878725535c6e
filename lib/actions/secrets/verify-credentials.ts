import "server-only";
import type { AuditStore } from "@/lib/audit/port";
import type { SessionUser } from "@/lib/auth/permissions";
import { isKubeError } from "@/lib/kube/errors";
import type { KubeGateway } from "@/lib/kube/port";
import { credentialFingerprint } from "@/lib/registry/fingerprint";
import type { RegistryVerification, VerificationResult } from "@/lib/registry-check/port";
import type { RegistryVerifier } from "@/lib/workflows/engine/deps";
import { startSecretOperation } from "./audited-operation";
import type { PullSecretRefInput } from "./schemas";

export interface VerifyCredentialsDeps {
  kube: Pick<KubeGateway, "withPullSecretCredentials">;
  /** The ports' verifier, which also saves each result for the dashboard (lib/queries) before it returns. */
  verifyRegistry: RegistryVerifier;
  audit: AuditStore;
  runnerId: string;
}

/** One registry's verdict, as the namespace page shows it: no credential, only its fingerprint. */
export interface RegistryCheck {
  registry: string;
  username: string;
  fingerprint: string | null;
  result: VerificationResult | "skipped";
  detail: string;
  latencyMs: number;
  checkedAt: string | null;
  credentialTested: boolean;
}

export interface VerifyCredentialsResult {
  operationId: string;
  status: "succeeded" | "failed" | "partially_failed";
  summary: string;
  checks: RegistryCheck[];
}

/**
 * The workflow port's verifier promises only domain, result, latency and detail;
 * lib/registry-check returns the rest. Fill what is missing from the
 * credential (fingerprint only, never the password) so the page can show it.
 */
function complete(v: Awaited<ReturnType<RegistryVerifier>> & Partial<RegistryVerification>, credential: { username: string; password: string }): RegistryVerification {
  return {
    domain: v.domain,
    username: v.username ?? credential.username,
    fingerprint: v.fingerprint ?? credentialFingerprint(credential.username, credential.password),
    result: v.result,
    latencyMs: v.latencyMs,
    checkedAt: v.checkedAt ?? new Date().toISOString(),
    detail: v.detail,
    credentialTested: v.credentialTested ?? (v.result === "valid" || v.result === "rejected"),
  };
}

/** Expected failures (secret gone, forbidden, audit log down) with an operator-readable message. */
export class VerifyCredentialsError extends Error {
  override name = "VerifyCredentialsError";
}

/**
 * Verifies every registry entry of one pull secret against the registry itself
 * (the v2 token exchange), recording an audited `verify_credentials` operation
 * with one `registry.credential_verified` step per registry, each written
 * before and after the check. The decoded credentials stay inside the
 * gateway's callback and reach only `verifyRegistry`; the result carries
 * fingerprints only. Nothing is verified if the audit log cannot be written.
 */
export async function verifyPullSecretCredentials(deps: VerifyCredentialsDeps, input: PullSecretRefInput, actor: SessionUser): Promise<VerifyCredentialsResult> {
  const ref = { namespace: input.namespace, name: input.secret };
  const target = { kind: "Secret", namespace: input.namespace, name: input.secret };
  const operation = await startSecretOperation(deps, "verify_credentials", input, actor, new VerifyCredentialsError("The audit log cannot be written right now, so nothing was verified. Try again shortly."));
  let checks: RegistryCheck[];
  try {
    checks = await deps.kube.withPullSecretCredentials(input.cluster, ref, async (credentials) => {
      const out: RegistryCheck[] = [];
      let sequence = 0;
      for (const credential of credentials) {
        sequence += 1;
        const about = { registry: credential.registry, username: credential.username, credentialKind: credential.credentialKind };
        await deps.audit.recordStep(operation.id, { sequence, phase: "started", action: "registry.credential_verified", outcome: "started", target, detail: about });
        if (credential.registry.includes("*")) {
          const detail = "A wildcard registry key names no single registry to ask; verify an image's registry instead.";
          await deps.audit.recordStep(operation.id, { sequence, phase: "finished", action: "registry.credential_verified", outcome: "skipped", target, detail: { ...about, reason: detail } });
          out.push({ registry: credential.registry, username: credential.username, fingerprint: null, result: "skipped", detail, latencyMs: 0, checkedAt: null, credentialTested: false });
          continue;
        }
        const started = performance.now();
        const v = complete(await deps.verifyRegistry({ domain: credential.registry, username: credential.username, password: credential.password }), credential);
        const ok = v.result === "valid";
        await deps.audit.recordStep(operation.id, {
          sequence,
          phase: "finished",
          action: "registry.credential_verified",
          outcome: ok ? "succeeded" : "failed",
          target,
          afterFingerprint: v.fingerprint,
          detail: { ...about, result: v.result, latencyMs: v.latencyMs, credentialTested: v.credentialTested, detail: v.detail },
          ...(ok ? {} : { error: { kind: v.result, message: v.detail } }),
          durationMs: Math.round(performance.now() - started),
        });
        out.push({ registry: v.domain, username: v.username, fingerprint: v.fingerprint, result: v.result, detail: v.detail, latencyMs: v.latencyMs, checkedAt: v.checkedAt, credentialTested: v.credentialTested });
      }
      return out;
    });
  } catch (error) {
    const message = isKubeError(error) ? error.message : "The verification stopped unexpectedly; the server log has the details.";
    await deps.audit.finishOperation(operation.id, { status: "failed", summary: `Verification of ${input.namespace}/${input.secret} failed: ${message}` });
    if (isKubeError(error)) throw new VerifyCredentialsError(message);
    throw error;
  }
  const tested = checks.filter((c) => c.result !== "skipped");
  const valid = tested.filter((c) => c.result === "valid").length;
  const status = tested.length === 0 || valid === tested.length ? "succeeded" : valid === 0 ? "failed" : "partially_failed";
  const summary =
    tested.length === 0
      ? `${input.namespace}/${input.secret} holds no registry that can be verified.`
      : `${valid} of ${tested.length} registr${tested.length === 1 ? "y" : "ies"} accepted the credentials of ${input.namespace}/${input.secret}.`;
  await deps.audit.finishOperation(operation.id, { status, summary });
  return { operationId: operation.id, status, summary, checks };
}
