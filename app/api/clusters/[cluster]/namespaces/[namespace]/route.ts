import { withUser } from "@/lib/auth/route";
import { findCluster, namespaceView } from "@/lib/queries";
import type { NamespaceCoverageResponse } from "@/lib/api/responses";
import { routeParam } from "@/lib/queries/route-param";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ cluster: string; namespace: string }> };

const clusterOf = async (context: Context) => routeParam((await context.params).cluster);

/** One namespace's coverage cells with the secrets behind them, for the matrix's details panel. */
export const GET = withUser<Context>(
  "coverage.read",
  async (_request, context) => {
    const cluster = await clusterOf(context);
    const namespace = routeParam((await context.params).namespace);
    const json = (status: number, body: object) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
    if (!findCluster(cluster)) return json(404, { error: `No cluster is named "${cluster}".`, kind: "not_found" });
    const view = await namespaceView(cluster, namespace);
    if (!view.ok) {
      return view.reason === "not_found"
        ? json(404, { error: `Namespace ${namespace} is not in the scan of ${cluster} from ${view.scan.finishedAt}. Rescan the cluster.`, kind: "not_found", scannedAt: view.scan.finishedAt })
        : json(503, { error: view.scan.error?.message ?? view.scan.probe.message, kind: "unavailable" });
    }
    const body: NamespaceCoverageResponse = {
      cluster,
      namespace,
      scannedAt: view.scan.finishedAt,
      hasDefaultServiceAccount: view.detail.hasDefaultServiceAccount,
      coverage: view.detail.coverage,
      pulls: view.detail.pulls,
    };
    return json(200, body);
  },
  { scope: async (_request, context) => ({ cluster: await clusterOf(context) }) },
);
