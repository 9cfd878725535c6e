/**
 * Runs `run(key)` at most once per `minIntervalMs` per key, at the end of a short burst window: the first poke
 * after a quiet period runs `burstMs` later (so a burst of events is one run), pokes meanwhile join it, and pokes
 * soon after a run wait until the interval since that run has passed. Nothing is lost: a poke always leads to a
 * run that starts after it. Pure (timers only).
 */
export interface KeyedThrottle {
  poke(key: string): void;
  /** Drops the key's pending run (a cluster that left). */
  cancel(key: string): void;
  close(): void;
}

export function createKeyedThrottle(options: { burstMs: number; minIntervalMs: number; run: (key: string) => void; now?: () => number }): KeyedThrottle {
  const now = options.now ?? (() => Date.now());
  const pending = new Map<string, NodeJS.Timeout>();
  const lastRun = new Map<string, number>();
  return {
    poke(key) {
      if (pending.has(key)) return;
      const last = lastRun.get(key);
      const delay = Math.max(options.burstMs, last === undefined ? 0 : last + options.minIntervalMs - now());
      const timer = setTimeout(() => {
        pending.delete(key);
        lastRun.set(key, now());
        options.run(key);
      }, delay);
      timer.unref?.();
      pending.set(key, timer);
    },
    cancel(key) {
      clearTimeout(pending.get(key));
      pending.delete(key);
      lastRun.delete(key);
    },
    close() {
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    },
  };
}
