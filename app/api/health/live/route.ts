import { NextResponse } from "next/server";

export const dynamic = "force-dynamic";

/**
 * Liveness: answered by the event loop itself, so a blocked or wedged process
 * fails the probe by timing out. It deliberately checks nothing outside the
 * process: a database outage must not make Kubernetes restart every replica.
 * Public and content-free.
 */
export function GET() {
  return NextResponse.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
