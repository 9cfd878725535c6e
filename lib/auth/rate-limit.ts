/**
 * A sliding-window limit per key (a user id), kept in this process's memory:
 * enough to stop one person's loop from rescanning a cluster without pause.
 * Pure apart from the injected clock.
 */
export interface RateLimiter {
  /** Counts one use by `key`; refused when `limit` uses already fall inside the window. */
  take(key: string): { allowed: true } | { allowed: false; retryAfterSeconds: number };
}

export function createRateLimiter({ limit, windowMs, now = Date.now }: { limit: number; windowMs: number; now?: () => number }): RateLimiter {
  const uses = new Map<string, number[]>();
  return {
    take(key) {
      const at = now();
      const recent = (uses.get(key) ?? []).filter((time) => time > at - windowMs);
      if (recent.length >= limit) {
        uses.set(key, recent);
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + windowMs - at) / 1000)) };
      }
      recent.push(at);
      uses.set(key, recent);
      // Keys whose window has passed are dropped as they are met; a sweep keeps idle ones from piling up.
      if (uses.size > 10_000) for (const [k, times] of uses) if (times.every((time) => time <= at - windowMs)) uses.delete(k);
      return { allowed: true };
    },
  };
}
