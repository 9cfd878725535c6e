/**
 * Who a session cookie belongs to, kept for a few seconds so that the pages and
 * APIs of one person's browsing do not each re-check the cookie's signature and
 * read the session and user rows (about a fifth of a small API request's CPU).
 *
 * Prompt by construction:
 * - any write to users, sessions or accounts through this process's database
 *   client (sign-out, sign-in, a role or cluster change, deactivation, a password
 *   change revoking sessions) empties the cache at once (lib/db/auth-writes.ts), so
 *   the next request on this replica reads the rows again;
 * - a lookup that began before such a write is not stored (the generation check),
 *   so a request racing a sign-out cannot put the old answer back;
 * - a change made elsewhere (another replica, a script) applies within `ttlMs`;
 * - an entry never outlives its session's own expiry.
 * Only valid sessions are kept; the key is a SHA-256 of the signed cookie value,
 * never the token itself.
 */
import { createHash } from "node:crypto";

export interface SessionCache<T> {
  /** The cached answer for this cookie value, or undefined when it must be looked up. */
  get(cookieValue: string): T | undefined;
  /** The generation to pass to `set`: take it before the lookup starts. */
  generation(): number;
  /** Keeps a looked-up answer, unless a write happened since `generationAtLookup`. */
  set(cookieValue: string, value: T, sessionExpiresAt: Date, generationAtLookup: number): void;
  /** Forgets every answer (a user, session or account row changed). */
  invalidateAll(): void;
  size(): number;
}

export function createSessionCache<T>(options: { ttlMs: number; maxEntries?: number; now?: () => number }): SessionCache<T> {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { value: T; until: number }>();
  let generation = 0;
  const keyOf = (cookieValue: string) => createHash("sha256").update(cookieValue).digest("base64url");
  return {
    get(cookieValue) {
      if (options.ttlMs <= 0) return undefined;
      const key = keyOf(cookieValue);
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.until <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    generation: () => generation,
    set(cookieValue, value, sessionExpiresAt, generationAtLookup) {
      if (options.ttlMs <= 0 || generationAtLookup !== generation) return;
      const until = Math.min(now() + options.ttlMs, sessionExpiresAt.getTime());
      if (until <= now()) return;
      // Oldest first out: a Map iterates in insertion order.
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(keyOf(cookieValue), { value, until });
    },
    invalidateAll() {
      generation++;
      entries.clear();
    },
    size: () => entries.size,
  };
}
