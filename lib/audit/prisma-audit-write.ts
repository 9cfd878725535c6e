import "server-only";
import { FOREIGN_KEY_VIOLATION, prismaErrorCode, UNIQUE_VIOLATION } from "@/lib/db/errors";
import { isPullkeeperError } from "@/lib/errors";
import { AuditError } from "./port";

/**
 * Runs one audit write and turns any database failure into an AuditError the
 * caller stops on: a duplicate event, a missing operation, or an unavailable store.
 */
export async function auditWrite<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isPullkeeperError(error, "audit")) throw error;
    const code = prismaErrorCode(error);
    if (code === UNIQUE_VIOLATION) throw new AuditError("invalid", `${what}: this event was already recorded.`);
    if (code === FOREIGN_KEY_VIOLATION) throw new AuditError("not_found", `${what}: the operation does not exist.`);
    throw new AuditError("unavailable", `${what}: the audit store could not be written, so nothing was done.`);
  }
}
