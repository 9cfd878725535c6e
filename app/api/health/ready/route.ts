import { NextResponse } from "next/server";
import { database } from "@/lib/db";
import { scansWarm } from "@/lib/server/readiness";
import { takingRuns } from "@/lib/server/running-operations";

export const dynamic = "force-dynamic";

const READY_TIMEOUT_MS = 3_000;

/**
 * Readiness: the database answers and its schema is current (database()
 * resolves only once migrations are applied, or found applied when
 * PULLKEEPER_MIGRATE=false), the process is not shutting down, and every
 * cluster has something to show: its scan saved before the start restored, or
 * else its first scan done (at most 30 s after the start: lib/queries
 * scan-refresh.ts), so the first person routed here does not wait for a scan.
 * Public, so it says only ready or not; the reason is in the server log.
 */
export async function GET() {
  const ready = takingRuns() && scansWarm() && (await databaseAnswers());
  return NextResponse.json({ status: ready ? "ready" : "not ready" }, { status: ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}

async function databaseAnswers(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
  });
  const check = (async () => {
    const { prisma } = await database();
    await prisma.$queryRawUnsafe("SELECT 1");
    return true;
  })().catch(() => false);
  try {
    return await Promise.race([check, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
