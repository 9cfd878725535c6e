import type { KubeSimFaults } from "./types";

/** Per-instance fault injection with a seeded PRNG, so fault runs are reproducible. */

export type FaultOutcome =
  | { kind: "none" }
  | { kind: "drop" }
  | { kind: "error"; code: 500 | 503 }
  | { kind: "rateLimit"; retryAfterSeconds: number }
  | { kind: "conflict" };

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private faults: KubeSimFaults = {};
  private random: () => number = mulberry32(1);

  constructor(initial?: KubeSimFaults) {
    this.set(initial ?? {});
  }

  /** Replaces the whole fault configuration (an empty object clears every fault). */
  set(f: KubeSimFaults): void {
    this.faults = { ...f };
    this.random = mulberry32(f.seed ?? 1);
  }

  get(): KubeSimFaults {
    return { ...this.faults };
  }

  latencyMs(): number {
    return this.faults.latencyMs ?? 0;
  }

  /** Decides the fate of one resource request; `mutating` marks update/patch (conflict candidates). */
  decide(mutating: boolean): FaultOutcome {
    const f = this.faults;
    if (f.dropRate && this.random() < f.dropRate) return { kind: "drop" };
    const retryAfterSeconds = f.retryAfterSeconds ?? 1;
    if (f.rateLimitNext && f.rateLimitNext > 0) {
      f.rateLimitNext--;
      return { kind: "rateLimit", retryAfterSeconds };
    }
    if (f.rateLimitRate && this.random() < f.rateLimitRate) return { kind: "rateLimit", retryAfterSeconds };
    if (f.errorRate && this.random() < f.errorRate) return { kind: "error", code: this.random() < 0.5 ? 500 : 503 };
    if (mutating) {
      if (f.conflictNext && f.conflictNext > 0) {
        f.conflictNext--;
        return { kind: "conflict" };
      }
      if (f.conflictRate && this.random() < f.conflictRate) return { kind: "conflict" };
    }
    return { kind: "none" };
  }
}
