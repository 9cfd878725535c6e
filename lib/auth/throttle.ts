/**
 * Sign-in throttling: failed attempts are counted per account and per client
 * address in a sliding window; once either count reaches its limit, further
 * attempts for that account or from that address are refused until the oldest
 * failure leaves the window. A success clears the account's count. Kept in
 * process memory: one Pullkeeper server per database is the supported layout.
 */

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

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; limitedBy: "account" | "address" };

/** Bounds memory when someone sprays random emails: the stalest keys go first. */
const MAX_KEYS = 50_000;

export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly rules: ThrottleRules = DEFAULT_THROTTLE_RULES,
    private readonly now: () => number = Date.now,
  ) {}

  check(keys: AttemptKeys): ThrottleVerdict {
    const verdicts = this.entries(keys).map(([scope, key, rule]) => {
      const recent = this.recent(key, rule);
      if (recent.length < rule.maxFailures) return null;
      const oldestCounted = recent[recent.length - rule.maxFailures] ?? this.now();
      const retryAfterMs = oldestCounted + rule.windowMs - this.now();
      return { allowed: false as const, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)), limitedBy: scope };
    });
    const refused = verdicts.filter((verdict) => verdict !== null);
    if (refused.length === 0) return { allowed: true };
    return refused.reduce((longest, verdict) => (verdict.retryAfterSeconds > longest.retryAfterSeconds ? verdict : longest));
  }

  recordFailure(keys: AttemptKeys): void {
    for (const [, key, rule] of this.entries(keys)) {
      const recent = this.recent(key, rule);
      recent.push(this.now());
      this.failures.delete(key);
      this.failures.set(key, recent);
    }
    while (this.failures.size > MAX_KEYS) {
      const stalest = this.failures.keys().next().value;
      if (stalest === undefined) break;
      this.failures.delete(stalest);
    }
  }

  recordSuccess(keys: AttemptKeys): void {
    this.failures.delete(accountKey(keys.account));
  }

  private entries(keys: AttemptKeys): Array<["account" | "address", string, ThrottleRule]> {
    const entries: Array<["account" | "address", string, ThrottleRule]> = [["account", accountKey(keys.account), this.rules.account]];
    if (keys.address) entries.push(["address", `address:${keys.address}`, this.rules.address]);
    return entries;
  }

  private recent(key: string, rule: ThrottleRule): number[] {
    const since = this.now() - rule.windowMs;
    const recent = (this.failures.get(key) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.failures.delete(key);
    return recent;
  }
}

function accountKey(email: string): string {
  return `account:${email.trim().toLowerCase()}`;
}

export function retryAfterText(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? "in a minute" : `in ${minutes} minutes`;
}
