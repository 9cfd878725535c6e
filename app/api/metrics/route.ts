import { env } from "@/lib/env";
import { decideScrape } from "@/lib/metrics/scrape-auth";
import { serverRoot } from "@/lib/server/root";

export const dynamic = "force-dynamic";

/**
 * Prometheus scrape endpoint. Not behind a session: Prometheus signs in with
 * the bearer token in PULLKEEPER_METRICS_TOKEN instead. Without that setting
 * the endpoint does not exist (404). Reads only what the process already holds
 * (counters and the scan cache): a scrape never scans a cluster.
 */
export async function GET(request: Request): Promise<Response> {
  const decision = decideScrape(env().PULLKEEPER_METRICS_TOKEN, request.headers.get("authorization"));
  const noStore = { "Cache-Control": "no-store" };
  if (decision === "off") return new Response("Not found\n", { status: 404, headers: { ...noStore, "Content-Type": "text/plain; charset=utf-8" } });
  if (decision === "unauthorized") {
    return new Response("A bearer token is required (PULLKEEPER_METRICS_TOKEN).\n", {
      status: 401,
      headers: { ...noStore, "Content-Type": "text/plain; charset=utf-8", "WWW-Authenticate": 'Bearer realm="pullkeeper-metrics"' },
    });
  }
  const metrics = serverRoot().metrics();
  return new Response(await metrics.render(), { headers: { ...noStore, "Content-Type": metrics.contentType } });
}
