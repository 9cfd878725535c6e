import { setTimeout as sleep } from "node:timers/promises";
import pLimit, { type LimitFunction } from "p-limit";

/** How a request ended, as far as the API server's load is concerned. */
export type ServerSignal =
  /** An answer (2xx, and 4xx other than 429: the server did its work). */
  | { kind: "ok" }
  /** 429 Too Many Requests: max-inflight or Priority and Fairness refused it; `retryAfterMs` from Retry-After. */
  | { kind: "overloaded"; retryAfterMs?: number }
  /** 5xx, a timeout or a dropped connection: a server that may be struggling. */
  | { kind: "failed" };

export interface AdaptiveConcurrencyOptions {
  /** Never more requests in flight than this (PULLKEEPER_KUBE_CONCURRENCY). */
  ceiling: number;
  /** Where the level starts (default: half the ceiling, at least 1). */
  initial?: number;
  /** Longest pause a Retry-After may impose on every request (default 30 s). */
  maxHoldMs?: number;
  now?: () => number;
}

/** Hands a request's outcome back to the limiter that started it. */
export type Report = (signal: ServerSignal) => void;

/**
 * Per-cluster request concurrency that follows the API server's answers
 * (additive increase, multiplicative decrease, as TCP does): it starts at
 * `initial`, grows by about one request per round of healthy answers, halves on
 * a 429 (max-inflight or API Priority and Fairness rejecting requests) or on
 * 5xx / timeouts, and never exceeds `ceiling`. A 429's Retry-After holds back
 * every new request to that cluster until it has passed: the server said when
 * it can take more, for the client, not only for the request it refused.
 *
 * One decrease per congestion event: answers to requests sent before the last
 * decrease do not halve the level again (they were sent at the old level).
 * p-limit does the queueing; its concurrency is resized as the level moves
 * (requests already running finish; fewer start).
 */
export class AdaptiveConcurrency {
  readonly ceiling: number;
  private readonly limit: LimitFunction;
  private readonly maxHoldMs: number;
  private readonly now: () => number;
  /** Fractional, so that healthy answers add 1/level each (about +1 per round trip of the whole window). */
  private current: number;
  /** Bumped by each decrease; a request remembers the epoch it was sent in. */
  private epoch = 0;
  private holdUntil = 0;

  constructor(options: AdaptiveConcurrencyOptions) {
    this.ceiling = Math.max(1, Math.floor(options.ceiling));
    this.current = Math.min(this.ceiling, Math.max(1, Math.floor(options.initial ?? Math.ceil(this.ceiling / 2))));
    this.maxHoldMs = options.maxHoldMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.limit = pLimit(this.level);
  }

  /** Requests allowed in flight now. */
  get level(): number {
    return Math.floor(this.current);
  }

  get activeCount(): number {
    return this.limit.activeCount;
  }

  get pendingCount(): number {
    return this.limit.pendingCount;
  }

  /**
   * Runs `send` when a slot is free and no Retry-After pause is running; `send`
   * reports how the request ended (once) through its argument.
   */
  run<T>(send: (report: Report) => Promise<T>): Promise<T> {
    return this.limit(async () => {
      // A pause that began while this request waited for its slot still applies.
      for (let wait = this.holdUntil - this.now(); wait > 0; wait = this.holdUntil - this.now()) await sleep(wait);
      const epoch = this.epoch;
      let reported = false;
      return send((signal) => {
        if (reported) return;
        reported = true;
        this.observe(signal, epoch);
      });
    });
  }

  private observe(signal: ServerSignal, epoch: number): void {
    if (signal.kind === "ok") {
      this.current = Math.min(this.ceiling, this.current + 1 / this.current);
    } else {
      if (signal.kind === "overloaded" && signal.retryAfterMs !== undefined && signal.retryAfterMs > 0) {
        this.holdUntil = Math.max(this.holdUntil, this.now() + Math.min(signal.retryAfterMs, this.maxHoldMs));
      }
      if (epoch !== this.epoch) return;
      this.epoch++;
      this.current = Math.max(1, Math.floor(this.current / 2));
    }
    if (this.limit.concurrency !== this.level) this.limit.concurrency = this.level;
  }
}
