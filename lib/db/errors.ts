/** The Prisma error codes callers turn into their own errors (Prisma's error reference). */
export const UNIQUE_VIOLATION = "P2002";
export const FOREIGN_KEY_VIOLATION = "P2003";

/** The `code` of a Prisma known-request error (the same with either driver adapter), or undefined. */
export function prismaErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Keeps the newest of racing writes to one row, on both databases: a
 * conditional update replaces the row unless it holds something newer; with no
 * row, an insert; if another process inserted in between (unique violation),
 * the conditional update runs once more. `replaceIfNotNewer` must be that one
 * atomic `updateMany … where checkedAt <= mine`.
 */
export async function saveNewestWins(replaceIfNotNewer: () => Promise<{ count: number }>, insert: () => Promise<unknown>): Promise<void> {
  if ((await replaceIfNotNewer()).count > 0) return;
  try {
    await insert();
  } catch (error) {
    if (prismaErrorCode(error) !== UNIQUE_VIOLATION) throw error;
    await replaceIfNotNewer();
  }
}
