"use client";

import { experimental_streamedQuery as streamedQuery, useQuery } from "@tanstack/react-query";
import type { FleetRow } from "@/lib/api/fleet";
import { dashboardApi, dashboardKeys } from "@/lib/api/keys";
import { FLEET_ROWS_NDJSON, type ApiErrorBody } from "@/lib/api/responses";

/** Reads GET /api/clusters as NDJSON: yields each row as its cluster answers. */
async function* readFleetRows(clusters: readonly string[], signal: AbortSignal): AsyncGenerator<FleetRow> {
  const response = await fetch(dashboardApi.fleet(clusters), { headers: { accept: FLEET_ROWS_NDJSON }, signal });
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => null)) as Partial<ApiErrorBody> | null;
    throw new Error(body?.error ?? `The server answered ${response.status}.`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += value;
    let end: number;
    while ((end = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (line.trim()) yield JSON.parse(line) as FleetRow;
    }
  }
}

/**
 * The rows of clusters the page rendered without (no fresh scan yet), each arriving on its own. A fetch does not
 * hold the browser's load event, so one cluster that never answers keeps only its own row waiting.
 */
export function useFleetRows(clusters: readonly string[]) {
  return useQuery({
    queryKey: dashboardKeys.fleetRows(clusters),
    queryFn: streamedQuery({ streamFn: ({ signal }) => readFleetRows(clusters, signal) }),
    enabled: clusters.length > 0,
    staleTime: Infinity,
    retry: false,
  });
}
