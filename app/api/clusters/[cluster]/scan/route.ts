import { clusterRowFor } from "@/lib/auth/connection-details";
import { withUser } from "@/lib/auth/route";
import { serverRoot } from "@/lib/server/root";
import { findCluster, refreshCluster } from "@/lib/queries";
import type { ScanResponse } from "@/lib/api/responses";
import { fleetRow } from "@/lib/queries/fleet";
import { routeParam } from "@/lib/queries/route-param";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ cluster: string }> };

const clusterOf = async (context: Context) => routeParam((await context.params).cluster);

/**
 * Scans the cluster again now (the Refresh button): same-origin only, a few per
 * user per minute (PULLKEEPER_SCAN_RATE_LIMIT_PER_MINUTE), and concurrent
 * refreshes of one cluster share one scan (lib/queries' scan cache).
 */
export const POST = withUser<Context>(
  "coverage.read",
  async (_request, context) => {
    const limited = serverRoot().scanLimiter().take(context.user.id);
    if (!limited.allowed) {
      return Response.json(
        { error: `Too many rescans. Try again in ${limited.retryAfterSeconds} s.`, kind: "rate_limited" },
        { status: 429, headers: { "Retry-After": String(limited.retryAfterSeconds), "Cache-Control": "no-store" } },
      );
    }
    const cluster = await clusterOf(context);
    if (!findCluster(cluster)) return Response.json({ error: `No cluster is named "${cluster}".`, kind: "not_found" }, { status: 404 });
    const { value } = await refreshCluster(cluster);
    const body: ScanResponse = { cluster: clusterRowFor(context.user, fleetRow(value)) };
    return Response.json(body, { headers: { "Cache-Control": "no-store" } });
  },
  { scope: async (_request, context) => ({ cluster: await clusterOf(context) }), sameOrigin: true },
);
