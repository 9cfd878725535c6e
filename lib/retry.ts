import { setTimeout as delay } from "node:timers/promises";
import pRetry, { AbortError } from "p-retry";

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  /**
   * How long to wait after `error` ended try `attempt` (1-based) before the next one,
   * or undefined to give up and throw `error` now. Only called while tries are left.
   */
  delayMs: (error: unknown, attempt: number) => number | undefined;
  /** Stops waiting and gives up with the last error (a cancelled run). */
  signal?: AbortSignal;
  /** Replaces the real wait (tests). */
  wait?: (ms: number) => Promise<void>;
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, signal ? { signal } : undefined).catch(() => undefined);
}

/**
 * Runs `run` until it succeeds, `delayMs` gives up or the tries run out, and
 * throws the last error unchanged. The policy (which errors, how long to wait)
 * is the caller's: Pullkeeper's clients each have their own rules about what may
 * be repeated; p-retry keeps the loop.
 */
export async function retry<T>(run: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const wait = options.wait ?? ((ms: number) => pause(ms, options.signal));
  // p-retry turns a thrown non-Error into a TypeError; carry such a value through unchanged.
  let thrownValue: { value: unknown } | undefined;
  try {
    return await pRetry(
      async (attempt) => {
        try {
          return await run(attempt);
        } catch (error) {
          if (error instanceof Error) throw error;
          thrownValue = { value: error };
          throw new AbortError("a non-Error value was thrown");
        }
      },
      {
        retries: Math.max(0, options.attempts - 1),
        // The wait happens in shouldRetry, where the error (and the server's Retry-After) is known.
        minTimeout: 0,
        maxTimeout: 0,
        shouldRetry: async ({ error, attemptNumber }) => {
          const ms = options.delayMs(error, attemptNumber);
          if (ms === undefined || options.signal?.aborted) return false;
          await wait(ms);
          return !options.signal?.aborted;
        },
      },
    );
  } catch (error) {
    if (thrownValue) throw thrownValue.value;
    throw error;
  }
}
