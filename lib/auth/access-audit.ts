import "server-only";
import { auditStore } from "@/lib/audit";
import type { OperationKind, RecordStepInput, StepAction } from "@/lib/audit/port";
import { logger } from "@/lib/log";
import type { SessionUser } from "./permissions";
import type { SignInAuditSink, SignInEvent } from "./sign-in-event";

/** People sometimes type their password into the email field: only something shaped like an address is kept. */
const EMAIL_SHAPE = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

export function auditableEmail(typed: string): string {
  const trimmed = typed.trim();
  return EMAIL_SHAPE.test(trimmed) && trimmed.length <= 254 ? trimmed.toLowerCase() : "(not an email address)";
}

/** Pure: the audit entry of a sign-in attempt. */
export function signInAuditEntry(event: SignInEvent) {
  const email = auditableEmail(event.email);
  const summary =
    event.outcome === "succeeded"
      ? `${email} signed in (${event.method === "sso" ? "single sign-on" : "password"})`
      : `sign-in as ${email} ${event.outcome}${event.reason ? `: ${event.reason}` : ""}`;
  return {
    kind: "sign_in" as const,
    actor: email,
    ...(event.user ? { actorRole: event.user.role } : {}),
    parameters: { method: event.method, address: event.address },
    action: (event.outcome === "succeeded" ? "session.signed_in" : "session.sign_in_failed") as StepAction,
    outcome: event.outcome === "succeeded" ? ("succeeded" as const) : ("refused" as const),
    status: event.outcome === "succeeded" ? ("succeeded" as const) : ("failed" as const),
    summary,
  };
}

/** Writes one finished operation with one step; the shape every access event shares. */
async function recordEvent(entry: {
  kind: OperationKind;
  actor: string;
  actorRole?: string;
  cluster?: string;
  relatedOperationId?: string;
  parameters: Record<string, unknown>;
  step: Omit<RecordStepInput, "sequence" | "phase">;
  status: "succeeded" | "failed";
  summary: string;
}): Promise<void> {
  const store = await auditStore();
  const operation = await store.startOperation({
    kind: entry.kind,
    actor: entry.actor,
    ...(entry.actorRole ? { actorRole: entry.actorRole } : {}),
    ...(entry.cluster ? { cluster: entry.cluster } : {}),
    ...(entry.relatedOperationId ? { relatedOperationId: entry.relatedOperationId } : {}),
    parameters: entry.parameters,
    status: "running",
  });
  await store.recordStep(operation.id, { sequence: 1, phase: "finished", ...entry.step });
  await store.finishOperation(operation.id, { status: entry.status, summary: entry.summary });
}

/** The process-wide sink: sign-ins and their failures in the audit log. A failure to record is logged, never fatal to signing in. */
export const recordSignIn: SignInAuditSink = async (event) => {
  const entry = signInAuditEntry(event);
  try {
    await recordEvent({
      kind: entry.kind,
      actor: entry.actor,
      ...(entry.actorRole ? { actorRole: entry.actorRole } : {}),
      parameters: entry.parameters,
      step: { action: entry.action, outcome: entry.outcome, target: { kind: "Session", name: entry.actor }, detail: entry.parameters },
      status: entry.status,
      summary: entry.summary,
    });
  } catch (error) {
    logger.error({ err: error instanceof Error ? error.message : String(error) }, "could not record a sign-in in the audit log");
  }
};

/** First-run setup: the first admin created with the one-time token. Awaited by the caller. */
export async function recordFirstRunSetup(admin: { id: string; email: string }): Promise<void> {
  await recordEvent({
    kind: "first_run_setup",
    actor: admin.email,
    actorRole: "admin",
    parameters: { user: admin.email },
    step: { action: "user.created", outcome: "succeeded", target: { kind: "User", name: admin.email }, detail: { userId: admin.id, role: "admin", via: "setup token" } },
    status: "succeeded",
    summary: `${admin.email} created the first admin account with the setup token`,
  });
}

/** An export of the audit log: who, which format and filter. Awaited: no export leaves unrecorded. */
export async function recordAuditExport(user: SessionUser, detail: { format: string; filter: Record<string, unknown> }): Promise<void> {
  await recordEvent({
    kind: "audit_exported",
    actor: user.email,
    actorRole: user.role,
    parameters: detail,
    step: { action: "audit.exported", outcome: "succeeded", target: { kind: "AuditLog", name: detail.format }, detail },
    status: "succeeded",
    summary: `${user.email} exported the audit log as ${detail.format.toUpperCase()}`,
  });
}

/** Who asked a running workflow to stop. Awaited: the run is cancelled only once this is recorded. */
export async function recordRunCancelled(user: SessionUser, run: { id: string; kind: string; cluster: string | null }): Promise<void> {
  await recordEvent({
    kind: "run_cancelled",
    actor: user.email,
    actorRole: user.role,
    ...(run.cluster ? { cluster: run.cluster } : {}),
    relatedOperationId: run.id,
    parameters: { operationId: run.id, kind: run.kind },
    step: { action: "operation.cancel_requested", outcome: "succeeded", target: { kind: "Operation", name: run.id }, detail: { operationId: run.id } },
    status: "succeeded",
    summary: `${user.email} cancelled ${run.kind.replace(/_/g, " ")} ${run.id}`,
  });
}
