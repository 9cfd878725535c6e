import { retry } from "@/lib/retry";
import { isIamError, type IamError } from "./errors";

/**
 * The adapter's retry story. The SDK's own retries (retry-axios) are left off
 * because they would also repeat a POST after a 5xx, and a create that IAM
 * applied before failing would then mint a second service ID or API key.
 * Here: a 429 is retried for every call (IAM did not process it), honouring
 * Retry-After up to `maxDelayMs`; a 5xx or network failure is retried only for
 * idempotent calls (reads and deletes). Anything else surfaces at once.
 */
export interface RetryPolicy {
  maxRetries: number;
  /** Longest wait the adapter accepts; a longer Retry-After surfaces as `rate_limited`. */
  maxDelayMs: number;
  /** Base of the exponential backoff for 5xx and network failures. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 2, maxDelayMs: 5_000, baseDelayMs: 250 };

export function retryDelayMs(error: IamError, attempt: number, idempotent: boolean, policy: RetryPolicy): number | undefined {
  if (attempt >= policy.maxRetries) return undefined;
  if (error.kind === "rate_limited") {
    const wait = (error.retryAfterSeconds ?? 1) * 1000;
    return wait <= policy.maxDelayMs ? wait : undefined;
  }
  if (error.kind === "unavailable" && idempotent) return Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs);
  return undefined;
}

export function withRetry<T>(
  run: () => Promise<T>,
  options: { idempotent: boolean; policy: RetryPolicy; sleep?: (ms: number) => Promise<void>; onRetry?: (error: IamError, delayMs: number) => void },
): Promise<T> {
  return retry(run, {
    attempts: options.policy.maxRetries + 1,
    delayMs: (error, attempt) => {
      if (!isIamError(error)) return undefined;
      const delay = retryDelayMs(error, attempt - 1, options.idempotent, options.policy);
      if (delay !== undefined) options.onRetry?.(error, delay);
      return delay;
    },
    ...(options.sleep ? { wait: options.sleep } : {}),
  });
}
