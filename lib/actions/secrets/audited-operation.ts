import "server-only";
import type { AuditStore, OperationKind } from "@/lib/audit/port";
import type { SessionUser } from "@/lib/auth/permissions";
import type { PullSecretRefInput } from "./schemas";

/**
 * Starts the audit record of a one-secret operation (verify, delete). Throws
 * `refusal` when the record cannot be written, so the caller does nothing
 * unrecorded.
 */
export async function startSecretOperation(
  deps: { audit: AuditStore; runnerId: string },
  kind: Extract<OperationKind, "verify_credentials" | "delete_pull_secret">,
  input: PullSecretRefInput,
  actor: SessionUser,
  refusal: Error,
) {
  try {
    return await deps.audit.startOperation({
      kind,
      actor: actor.email,
      actorRole: actor.role,
      cluster: input.cluster,
      namespaces: [input.namespace],
      parameters: { secretName: `${input.namespace}/${input.secret}` },
      status: "running",
      runnerId: deps.runnerId,
    });
  } catch {
    throw refusal;
  }
}
