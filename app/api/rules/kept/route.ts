import { z } from "zod";
import { withUser } from "@/lib/auth/route";
import type { KeptByRulesResponse } from "@/lib/api/rules";
import { findCluster } from "@/lib/queries";
import { rulesKeepingNamespace } from "@/lib/server/rule-service";
import { clusterNameSchema, namespaceNameSchema } from "@/lib/workflows/shared/schemas";

export const dynamic = "force-dynamic";

const querySchema = z.object({ cluster: clusterNameSchema, namespace: namespaceNameSchema });

function parsedQuery(request: Request) {
  const params = new URL(request.url).searchParams;
  return querySchema.safeParse({ cluster: params.get("cluster") ?? "", namespace: params.get("namespace") ?? "" });
}

/** The keeping rules whose copies cover one namespace of a cluster (names and registries only), for the matrix's details panel. */
export const GET = withUser(
  "coverage.read",
  async (request, { user }) => {
    const json = (status: number, body: object) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
    const query = parsedQuery(request);
    if (!query.success) return json(400, { error: "Name a cluster and a namespace.", kind: "invalid" });
    if (!findCluster(query.data.cluster)) return json(404, { error: `No cluster is named "${query.data.cluster}".`, kind: "not_found" });
    const body: KeptByRulesResponse = { rules: await rulesKeepingNamespace(user, query.data.cluster, query.data.namespace) };
    return json(200, body);
  },
  { scope: async (request) => ({ cluster: new URL(request.url).searchParams.get("cluster") ?? "" }) },
);
