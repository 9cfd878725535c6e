import { clusterRowFor } from "@/lib/auth/connection-details";
import { visibleClusters } from "@/lib/auth/permissions";
import { withUser } from "@/lib/auth/route";
import { fleetRowFor, listClusters } from "@/lib/queries";
import type { FleetResponse } from "@/lib/api/responses";

export const dynamic = "force-dynamic";

/**
 * The fleet rows the caller may see, from cached scans (scanning those without a
 * fresh one); connection details (server, kubeconfig file, identity) for admins only.
 */
export const GET = withUser("coverage.read", async (_request, { user }) => {
  const names = visibleClusters(user, listClusters().map((c) => c.name));
  const rows = await Promise.all(names.map(fleetRowFor));
  const body: FleetResponse = { clusters: rows.map((row) => clusterRowFor(user, row)) };
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
});
