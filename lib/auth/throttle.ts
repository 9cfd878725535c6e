/**
 * Sign-in throttling. Failed attempts are counted in sliding windows under three keys:
 * - per account *and* address: a hard limit, so one client cannot guess one password on;
 * - per address: a hard limit, so one client cannot spray many accounts;
 * - per account: past its limit, every further attempt on the account is slowed
 *   by a delay that doubles with each failure (up to a cap) instead of refused,
 *   so nobody can lock a person out of their account from somewhere else, while
 *   guessing one account from many addresses stays slow.
 * A refusal lasts until the oldest counted failure leaves the window (the longest
 * wait wins when several apply). A success clears the account's counts.
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

/** The per-account rule: past `maxFailures` in the window, attempts wait `initialDelayMs`, doubling per failure up to `maxDelayMs`. */
export interface AccountThrottleRule extends ThrottleRule {
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface ThrottleRules {
  account: AccountThrottleRule;
  /** Hard limit per account and address; defaults to the account's count and window. */
  accountAddress?: ThrottleRule;
  address: ThrottleRule;
}

export const DEFAULT_THROTTLE_RULES: ThrottleRules = {
  account: { maxFailures: 5, windowMs: 15 * 60_000, initialDelayMs: 1_000, maxDelayMs: 30_000 },
  accountAddress: { maxFailures: 5, windowMs: 15 * 60_000 },
  address: { maxFailures: 20, windowMs: 15 * 60_000 },
};

export interface AttemptKeys {
  /** The email as typed; compared case-insensitively. */
  account: string;
  address: string | null;
}

export type ThrottleScope = "account" | "account-address" | "address";

export type ThrottleVerdict =
  | { allowed: true; delayMs?: number }
  | { allowed: false; retryAfterSeconds: number; limitedBy: ThrottleScope };

/** The throttle the sign-in hooks call (server.ts). */
export interface SignInThrottle {
  /**
   * Whether an attempt with these keys may go ahead, and if not, for how long it is
   * refused; an allowed attempt may carry a delay the caller waits before checking the password.
   */
  check(keys: AttemptKeys): Promise<ThrottleVerdict>;
  /** Counts one failure against the account, the account and address, and the address. */
  recordFailure(keys: AttemptKeys): Promise<void>;
  /** Clears the account's failures (from every address); the address's stay. */
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
 * The stored form of a throttle key: HMAC-SHA-256 (hex) of `account:<lower-cased email>`,
 * `account-address:<lower-cased email> <address>` or `address:<address>`. A keyed hash rather than a plain one, because people
 * sometimes type their password into the email field: a plain SHA-256 of it
 * could be guessed back from a copy of the database, this cannot without the secret.
 */
export function throttleKey(scope: ThrottleScope, value: string, secret: string): string {
  const hashKey = createHmac("sha256", secret).update(KEY_PURPOSE).digest();
  const normalized = scope === "address" ? value : value.trim().toLowerCase();
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

/**
 * Pure: the delay for an attempt on an account with `failures` counted failures in
 * the window: none up to the limit, then `initialDelayMs` doubling per failure, capped.
 */
export function accountDelayMs(rule: AccountThrottleRule, failures: number): number {
  if (failures < rule.maxFailures) return 0;
  const doublings = Math.min(failures - rule.maxFailures, 30);
  return Math.min(rule.initialDelayMs * 2 ** doublings, rule.maxDelayMs);
}

/** Enough rows to reach the delay cap; more failures would not lengthen the delay. */
function accountReadLimit(rule: AccountThrottleRule): number {
  const doublingsToCap = Math.ceil(Math.log2(Math.max(1, rule.maxDelayMs / Math.max(1, rule.initialDelayMs))));
  return rule.maxFailures + doublingsToCap + 1;
}

/** Without a known address, attempts share one bucket per account (still a hard limit). */
const UNKNOWN_ADDRESS = "unknown";

export function createSignInThrottle({ log, secret, rules = DEFAULT_THROTTLE_RULES, now = Date.now }: SignInThrottleOptions): SignInThrottle {
  const pairRule = rules.accountAddress ?? { maxFailures: rules.account.maxFailures, windowMs: rules.account.windowMs };
  const longestWindowMs = Math.max(rules.account.windowMs, pairRule.windowMs, rules.address.windowMs);
  const accountKey = (keys: AttemptKeys) => throttleKey("account", keys.account, secret);
  const pairKey = (keys: AttemptKeys) => throttleKey("account-address", `${keys.account.trim()} ${keys.address ?? UNKNOWN_ADDRESS}`, secret);
  const addressKey = (keys: AttemptKeys) => (keys.address ? throttleKey("address", keys.address, secret) : null);

  return {
    async check(keys) {
      const at = now();
      // Each lookup reads a bounded number of rows of one key through the (key, failedAt) index,
      // however many other keys a spray of random emails has filled the log with.
      const hardLimits: Array<[ThrottleScope, string, ThrottleRule]> = [["account-address", pairKey(keys), pairRule]];
      const address = addressKey(keys);
      if (address) hardLimits.push(["address", address, rules.address]);
      const [accountFailures, verdicts] = await Promise.all([
        log.newest(accountKey(keys), at - rules.account.windowMs, accountReadLimit(rules.account)),
        Promise.all(hardLimits.map(async ([scope, key, rule]) => scopeVerdict(scope, rule, await log.newest(key, at - rule.windowMs, rule.maxFailures), at))),
      ]);
      const verdict = combineVerdicts(verdicts);
      if (!verdict.allowed) return verdict;
      const delayMs = accountDelayMs(rules.account, accountFailures.length);
      return delayMs > 0 ? { allowed: true, delayMs } : { allowed: true };
    },

    async recordFailure(keys) {
      const at = now();
      const address = addressKey(keys);
      await log.add([accountKey(keys), pairKey(keys), ...(address ? [address] : [])], at);
      // Pruning on every failure keeps the log bounded by the failures of one window.
      await log.prune(at - longestWindowMs);
    },

    async recordSuccess(keys) {
      await log.clear(accountKey(keys));
      await log.clear(pairKey(keys));
    },
  };
}

export function retryAfterText(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? "in a minute" : `in ${minutes} minutes`;
}
