import { isIamError, type IamErrorContext, type IamOperation } from "./errors";

/** The seams the IAM client's parts share: its logger, its request wrapper and IAM's paging. */

/** A pino-compatible subset; lib/iam logs ids and names only, never key values. */
export interface IamLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** One IAM request: token first, SDK errors mapped (credentials scrubbed), retried when safe. */
export type IamCall = <T>(operation: IamOperation, endpoint: string, context: IamErrorContext, idempotent: boolean, run: () => Promise<{ result: T }>) => Promise<T>;

/** Reads the page token from a `next` link, which IAM sends as a URL string or as `{href, start}`. */
export function nextPageToken(next: unknown, param: "pagetoken" | "start"): string | undefined {
  if (next === undefined || next === null) return undefined;
  if (typeof next === "object") {
    const n = next as { href?: unknown; start?: unknown };
    if (param === "start" && typeof n.start === "string" && n.start !== "") return n.start;
    return typeof n.href === "string" ? nextPageToken(n.href, param) : undefined;
  }
  if (typeof next !== "string") return undefined;
  try {
    return new URL(next, "https://iam.invalid").searchParams.get(param) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Deletes are for rollback, where "already gone" is the goal reached, not a failure. */
export async function deleteIgnoringMissing(call: IamCall, operation: IamOperation, endpoint: string, context: IamErrorContext, run: () => Promise<{ result: unknown }>): Promise<void> {
  try {
    await call(operation, endpoint, context, true, run);
  } catch (error) {
    if (isIamError(error) && error.kind === "not_found") return;
    throw error;
  }
}
