import "server-only";
import { auditStore } from "@/lib/audit";
import { logger } from "@/lib/log";
import { PERMISSION_LABELS, type Permission, type SessionUser } from "./permissions";

/**
 * A name an untrusted party chose (an unknown cluster, say), safe to store and show:
 * anything but letters, digits, '.', '_' and '-' becomes \uXXXX, and it is cut at 100 characters.
 */
export function escapeForAudit(value: string): string {
  return [...value.slice(0, 100)].map((ch) => (/[A-Za-z0-9._-]/.test(ch) ? ch : `\\u${ch.codePointAt(0)!.toString(16).padStart(4, "0")}`)).join("");
}

export interface DeniedAttempt {
  user: SessionUser;
  permission: Permission;
  cluster?: string;
  /** What was attempted: a page path, an API path or a server action's name. */
  target: string;
  via: "page" | "route" | "action";
}

/**
 * Records a refused attempt in the audit log (operation kind `access_denied`,
 * one step `access.denied` with outcome `refused`), with the actor's email and
 * role. Never throws: the attempt is refused whether or not the record is written.
 */
export async function recordAccessDenied(attempt: DeniedAttempt): Promise<void> {
  const { user, permission, cluster, target, via } = attempt;
  const summary = `${user.email} (${user.role}) was refused: cannot ${PERMISSION_LABELS[permission]}${cluster ? ` on cluster ${cluster}` : ""} (${via} ${target})`;
  try {
    const store = await auditStore();
    const operation = await store.startOperation({
      kind: "access_denied",
      actor: user.email,
      actorRole: user.role,
      ...(cluster ? { cluster } : {}),
      parameters: { permission, target, via },
      status: "running",
    });
    await store.recordStep(operation.id, {
      sequence: 1,
      phase: "finished",
      action: "access.denied",
      outcome: "refused",
      target: { kind: via, name: target },
      error: { kind: "forbidden", message: summary },
      detail: { permission, ...(cluster ? { cluster } : {}) },
    });
    await store.finishOperation(operation.id, { status: "failed", summary });
  } catch (error) {
    logger.error({ err: error instanceof Error ? error.message : String(error), actor: user.email, permission, target }, "could not record a denied access attempt");
  }
  logger.warn({ actor: user.email, role: user.role, permission, cluster, target, via }, "access denied");
}
