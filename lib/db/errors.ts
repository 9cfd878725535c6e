/** The Prisma error codes callers turn into their own errors (Prisma's error reference). */
export const UNIQUE_VIOLATION = "P2002";
export const FOREIGN_KEY_VIOLATION = "P2003";

/** The `code` of a Prisma known-request error (the same with either driver adapter), or undefined. */
export function prismaErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}
