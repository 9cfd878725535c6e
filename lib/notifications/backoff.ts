/**
 * When a delivery is tried again, and what an answer means. Pure.
 *
 * Eight attempts: the first at once, then after 30 s, 1, 2, 4, 8, 16 and 32
 * minutes (each ±20 % so targets that failed together are not all retried in
 * the same second): about an hour of a target being down before giving up.
 */

export interface RetryPolicy {
  maxAttempts: number;
  /** The wait after the first failed attempt; doubled after each further one. */
  baseDelayMs: number;
  /** 0.2 → each wait is drawn from ±20 % of its nominal value. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 30_000, jitter: 0.2 };

/** The wait after failed attempt number `attempt` (1-based), or null when no attempt is left. `random` returns [0, 1). */
export function retryDelayMs(attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random: () => number = Math.random): number | null {
  if (attempt >= policy.maxAttempts) return null;
  const nominal = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.round(nominal * (1 - policy.jitter + 2 * policy.jitter * random()));
}

export type AttemptOutcome =
  | { kind: "delivered"; statusCode: number }
  /** Worth trying again: the target may recover (5xx, 408, 429, a timeout, a connection error). */
  | { kind: "retry"; statusCode: number | null; error: string }
  /** Trying again would get the same answer (other 4xx, a redirect, a refused address). */
  | { kind: "failed"; statusCode: number | null; error: string };

const RETRYABLE_4XX = new Set([408, 425, 429]);

/** The outcome of an answer with this HTTP status. */
export function outcomeOfStatus(status: number, statusText: string): AttemptOutcome {
  if (status >= 200 && status < 300) return { kind: "delivered", statusCode: status };
  const answer = `HTTP ${status}${statusText ? ` ${statusText}` : ""}`;
  if (status >= 300 && status < 400) {
    return { kind: "failed", statusCode: status, error: `${answer}: redirects are not followed; configure the final URL.` };
  }
  if (status >= 500 || RETRYABLE_4XX.has(status)) return { kind: "retry", statusCode: status, error: `${answer} from the target.` };
  return { kind: "failed", statusCode: status, error: `${answer} from the target: check its URL and that it accepts ${status === 401 || status === 403 ? "this signature" : "these requests"}.` };
}
