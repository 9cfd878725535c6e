import { canSeeConnectionDetails, withoutServerAddress } from "@/lib/auth/connection-details";
import { withUser } from "@/lib/auth/route";
import { matrixQueryFromParams, type MatrixNamesResponse, type MatrixPageResponse } from "@/lib/api/matrix-query";
import { clusterView, findCluster, matchingNamespaces, queryMatrix } from "@/lib/queries";
import { routeParam } from "@/lib/queries/route-param";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ cluster: string }> };

const clusterOf = async (context: Context) => routeParam((await context.params).cluster);

/**
 * One page of a cluster's coverage matrix for a view given in the query string (lib/api/matrix-query.ts: the same
 * parameters as the cluster page's URL), or with `names=1` every namespace the view's filter matches (select all).
 * Served from the cached scan, like the page.
 */
export const GET = withUser<Context>(
  "coverage.read",
  async (request, { user, ...context }) => {
    const cluster = await clusterOf(context);
    const json = (status: number, body: object) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
    if (!findCluster(cluster)) return json(404, { error: `No cluster is named "${cluster}".`, kind: "not_found" });
    const view = await clusterView(cluster);
    if (!view.ok) {
      // The API server's address is for admins only, as on the page.
      const message = view.scan.error?.message ?? view.scan.probe.message;
      return json(503, { error: canSeeConnectionDetails(user) ? message : withoutServerAddress(message, view.scan.info.server), kind: "unavailable" });
    }
    const params = new URL(request.url).searchParams;
    const query = matrixQueryFromParams(params);
    if (params.get("names") === "1") {
      const body: MatrixNamesResponse = { cluster, namespaces: matchingNamespaces(view.matrix, query.filter) };
      return json(200, body);
    }
    const body: MatrixPageResponse = queryMatrix(view.matrix, query);
    return json(200, body);
  },
  { scope: async (_request, context) => ({ cluster: await clusterOf(context) }) },
);
