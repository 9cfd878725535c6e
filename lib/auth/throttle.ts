/**
 * Sign-in throttling: failed attempts are counted per account and per client
 * address in a sliding window; once either count reaches its limit, further
 * attempts for that account or from that address are refused until the oldest
 * counted failure leaves the window (the longest wait wins when both apply).
 * A success clears the account's count.
 *
 * The failures live in a `FailureLog`: in the server, the database
 * (`throttle-store.ts`), so every Pullkeeper process on one database shares the
 * count and replicas do not multiply an attacker's attempts. The rules and the
 * window arithmetic below take their clock as a parameter and are unit-tested
 * against an in-memory log.
 */
import "server-only";
import { createHmac } from "node:crypto";

export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
}

export interface ThrottleRules {
  account: ThrottleRule;
  address: ThrottleRule;
}

export const DEFAULT_THROTTLE_RULES: ThrottleRules = {
  account: { maxFailures: 5, windowMs: 15 * 60_000 },
  address: { maxFailures: 20, windowMs: 15 * 60_000 },
};

export interface AttemptKeys {
  /** The email as typed; compared case-insensitively. */
  account: string;
  address: string | null;
}

export type ThrottleScope = "account" | "address";

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; limitedBy: ThrottleScope };

/** The throttle the sign-in hooks call (server.ts). */
export interface SignInThrottle {
  /** Whether an attempt with these keys may go ahead, and if not, for how long it is refused. */
  check(keys: AttemptKeys): Promise<ThrottleVerdict>;
  /** Counts one failure against the account and the address. */
  recordFailure(keys: AttemptKeys): Promise<void>;
  /** Clears the account's failures; the address's stay. */
  recordSuccess(keys: AttemptKeys): Promise<void>;
}

/**
 * Where failures are kept, as (key, time) rows. Keys arrive already hashed
 * (`throttleKey`). Times are milliseconds since the epoch.
 */
export interface FailureLog {
  /** The times of the newest failures under `key` later than `since`, newest first, at most `limit`. */
  newest(key: string, since: number, limit: number): Promise<number[]>;
  /** Adds one failure under each key. Must insert, never read-modify-write, so concurrent writers all count. */
  add(keys: string[], at: number): Promise<void>;
  /** Forgets every failure under `key`. */
  clear(key: string): Promise<void>;
  /** Forgets failures at or before `cutoff`; they no longer count under any rule. */
  prune(cutoff: number): Promise<void>;
}

export interface SignInThrottleOptions {
  log: FailureLog;
  /**
   * Keys the hash of what is stored (see `throttleKey`); the auth secret, which
   * every server process on one database already shares.
   */
  secret: string;
  rules?: ThrottleRules;
  now?: () => number;
}

/** Domain separation: the throttle's hashes never equal any other HMAC made with the auth secret. */
const KEY_PURPOSE = "pullkeeper sign-in throttle key";

/**
 * The stored form of a throttle key: HMAC-SHA-256 (hex) of `account:<lower-cased email>`
 * or `address:<address>`. A keyed hash rather than a plain one, because people
 * sometimes type their password into the email field: a plain SHA-256 of it
 * could be guessed back from a copy of the database, this cannot without the secret.
 */
export function throttleKey(scope: ThrottleScope, value: string, secret: string): string {
  const hashKey = createHmac("sha256", secret).update(KEY_PURPOSE).digest();
  const normalized = scope === "account" ? value.trim().toLowerCase() : value;
  return createHmac("sha256", hashKey).update(`${scope}:${normalized}`, "utf8").digest("hex");
}

/**
 * Pure: refused when the rule's newest `maxFailures` failures all fall inside the
 * window ending at `now`; the wait lasts until the oldest of them leaves it.
 * `newestFirst` holds the failures later than `now - windowMs`, newest first.
 */
export function scopeVerdict(scope: ThrottleScope, rule: ThrottleRule, newestFirst: number[], now: number): ThrottleVerdict {
  if (newestFirst.length < rule.maxFailures) return { allowed: true };
  const oldestCounted = newestFirst[rule.maxFailures - 1] ?? now;
  const retryAfterMs = oldestCounted + rule.windowMs - now;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)), limitedBy: scope };
}

/** Pure: allowed when every scope allows; otherwise the refusal with the longest wait. */
export function combineVerdicts(verdicts: ThrottleVerdict[]): ThrottleVerdict {
  let longest: ThrottleVerdict = { allowed: true };
  for (const verdict of verdicts) {
    if (verdict.allowed) continue;
    if (longest.allowed || verdict.retryAfterSeconds > longest.retryAfterSeconds) longest = verdict;
  }
  return longest;
}

/** One count an attempt falls under: its scope, its stored key and the rule that applies. */
interface CountedKey {
  scope: ThrottleScope;
  key: string;
  rule: ThrottleRule;
}

export function createSignInThrottle({ log, secret, rules = DEFAULT_THROTTLE_RULES, now = Date.now }: SignInThrottleOptions): SignInThrottle {
  const longestWindowMs = Math.max(rules.account.windowMs, rules.address.windowMs);

  const counted = (keys: AttemptKeys): CountedKey[] => {
    const entries: CountedKey[] = [{ scope: "account", key: throttleKey("account", keys.account, secret), rule: rules.account }];
    if (keys.address) entries.push({ scope: "address", key: throttleKey("address", keys.address, secret), rule: rules.address });
    return entries;
  };

  return {
    async check(keys) {
      const at = now();
      // Each lookup reads at most maxFailures rows of one key through the (key, failedAt) index,
      // however many other keys a spray of random emails has filled the log with.
      const verdicts = await Promise.all(
        counted(keys).map(async ({ scope, key, rule }) =>
          scopeVerdict(scope, rule, await log.newest(key, at - rule.windowMs, rule.maxFailures), at),
        ),
      );
      return combineVerdicts(verdicts);
    },

    async recordFailure(keys) {
      const at = now();
      await log.add(counted(keys).map(({ key }) => key), at);
      // Pruning on every failure keeps the log bounded by the failures of one window.
      await log.prune(at - longestWindowMs);
    },

    async recordSuccess(keys) {
      await log.clear(throttleKey("account", keys.account, secret));
    },
  };
}

export function retryAfterText(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? "in a minute" : `in ${minutes} minutes`;
}
