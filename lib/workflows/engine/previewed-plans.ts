import { createHmac, randomBytes } from "node:crypto";
import { canonical } from "./digest";
import type { PlanWitness } from "./freshness";
import type { Plan } from "./plan";

interface Previewed {
  plan: Plan;
  witness: PlanWitness;
  storedAt: number;
}

/**
 * The plans this process previewed, so apply runs the very plan the operator
 * saw instead of planning again. Held in memory only: another replica, a
 * restart or an expired entry simply means apply plans again from live state
 * (the slower path, with the same stale-plan guard).
 *
 * Entries are keyed by a keyed hash of the workflow kind, the exact validated
 * input and the plan's digest, so only an apply with the same input finds one
 * (a private registry's password is in that input: the per-process key keeps
 * the hash from being a fingerprint of it, and it never leaves memory).
 */
export class PreviewedPlans {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, Previewed>();

  constructor(
    private readonly options: { ttlMs: number; maxEntries: number } = { ttlMs: 15 * 60_000, maxEntries: 500 },
    private readonly clock: () => number = Date.now,
  ) {}

  remember(kind: string, input: unknown, plan: Plan, witness: PlanWitness): void {
    const id = this.idOf(kind, input, plan.digest);
    this.entries.delete(id);
    this.entries.set(id, { plan, witness, storedAt: this.clock() });
    // Maps iterate in insertion order: the first entries are the oldest.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  /** The plan previewed with this input and digest, while it is fresh enough to trust its witness. */
  find(kind: string, input: unknown, digest: string): { plan: Plan; witness: PlanWitness } | undefined {
    const id = this.idOf(kind, input, digest);
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (this.clock() - entry.storedAt > this.options.ttlMs) {
      this.entries.delete(id);
      return undefined;
    }
    return { plan: entry.plan, witness: entry.witness };
  }

  private idOf(kind: string, input: unknown, digest: string): string {
    return createHmac("sha256", this.key).update(canonical({ kind, input, digest })).digest("hex");
  }
}
