import { clusterRowFor } from "@/lib/auth/connection-details";
import { visibleClusters } from "@/lib/auth/permissions";
import { withUser } from "@/lib/auth/route";
import { fleetRowFor, listClusters } from "@/lib/queries";
import { FLEET_ROWS_NDJSON, type FleetResponse } from "@/lib/api/responses";
import type { FleetRow } from "@/lib/api/fleet";

export const dynamic = "force-dynamic";

/**
 * The fleet rows the caller may see (`?cluster=` repeated narrows them), from cached scans (scanning those
 * without a fresh one); connection details (server, kubeconfig file, identity) for admins only.
 * With `Accept: application/x-ndjson` each row is sent as its cluster answers, one JSON object a line, so one
 * cluster that never answers holds back only its own row (until the request timeout makes it unreachable).
 */
export const GET = withUser("coverage.read", async (request, { user }) => {
  const visible = visibleClusters(user, listClusters().map((c) => c.name));
  const asked = new URL(request.url).searchParams.getAll("cluster");
  const names = asked.length ? visible.filter((name) => asked.includes(name)) : visible;
  const rowOf = async (name: string) => clusterRowFor(user, await fleetRowFor(name));
  if (request.headers.get("accept")?.includes(FLEET_ROWS_NDJSON)) return streamRows(names, rowOf, request.signal);
  const body: FleetResponse = { clusters: await Promise.all(names.map(rowOf)) };
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
});

function streamRows(names: string[], rowOf: (name: string) => Promise<FleetRow>, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const close = () => {
        if (open) controller.close();
        open = false;
      };
      // The scans go on (the cache keeps them for the next page view); only this reader stops listening.
      signal.addEventListener("abort", close);
      const sent = names.map(async (name) => {
        const row = await rowOf(name);
        if (open) controller.enqueue(encoder.encode(`${JSON.stringify(row)}\n`));
      });
      Promise.allSettled(sent).then((results) => {
        const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failed && open) {
          open = false;
          controller.error(failed.reason);
        } else close();
      });
    },
  });
  return new Response(body, { headers: { "Content-Type": `${FLEET_ROWS_NDJSON}; charset=utf-8`, "Cache-Control": "no-store", "X-Accel-Buffering": "no" } });
}
