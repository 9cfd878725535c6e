import { withUser } from "@/lib/auth/route";
import { findCluster, refreshCluster } from "@/lib/queries";
import type { ScanResponse } from "@/lib/api/responses";
import { fleetRow } from "@/lib/queries/fleet";
import { routeParam } from "@/lib/queries/route-param";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ cluster: string }> };

const clusterOf = async (context: Context) => routeParam((await context.params).cluster);

/** Scans the cluster again now (the Refresh button); concurrent refreshes share one scan. */
export const POST = withUser<Context>(
  "coverage.read",
  async (_request, context) => {
    const cluster = await clusterOf(context);
    if (!findCluster(cluster)) return Response.json({ error: `No cluster is named "${cluster}".`, kind: "not_found" }, { status: 404 });
    const { value } = await refreshCluster(cluster);
    const body: ScanResponse = { cluster: fleetRow(value) };
    return Response.json(body, { headers: { "Cache-Control": "no-store" } });
  },
  { scope: async (_request, context) => ({ cluster: await clusterOf(context) }) },
);
