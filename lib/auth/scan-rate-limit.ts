import "server-only";
import { env } from "@/lib/env";
import { createRateLimiter, type RateLimiter } from "./rate-limit";

const holder = globalThis as unknown as { pullkeeperScanLimiter?: RateLimiter };

/** The per-user limit on cluster rescans, one per process (kept across dev reloads). */
export function scanRateLimiter(): RateLimiter {
  holder.pullkeeperScanLimiter ??= createRateLimiter({ limit: env().PULLKEEPER_SCAN_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 });
  return holder.pullkeeperScanLimiter;
}
