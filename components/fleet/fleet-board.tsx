"use client";

import { useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import type { FleetRow, StoredFleetRow } from "@/lib/api/fleet";
import { FLEET_MEASURES } from "@/lib/fleet-view/measures";
import type { ClusterLabelling } from "@/lib/clusters/labels";
import { clusterDirectory, fleetLabelFilter } from "@/lib/fleet-view/labels";
import { fleetSummary, fleetView, parseFleetQuery, scopeFleet, type FleetEntry } from "@/lib/fleet-view/model";
import { FleetFilters } from "./fleet-filters";
import { FleetSummaryView } from "./fleet-summary";
import { FleetTable } from "./fleet-table";
import { useFleetRows } from "./use-fleet-rows";

const COLUMNS = FLEET_MEASURES.filter((m) => m.column);
const newer = (a: FleetRow | null | undefined, b: FleetRow | null | undefined) => (!a ? b : !b ? a : Date.parse(a.scannedAt) >= Date.parse(b.scannedAt) ? a : b);

/** A clock for the "not answering yet" seconds and the scan ages, starting at the server's render time so hydration matches. */
function useNow(start: number, everyMs: number): number {
  const [now, setNow] = useState(start);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * The fleet page's body: the server renders the rows it already has; the others (no scan yet, or too old) stream in
 * from GET /api/clusters as each cluster answers, so no cluster holds the page or its load event.
 */
export function FleetBoard({ stored, plannable, renderedAt, clusters }: { stored: StoredFleetRow[]; plannable: string[]; renderedAt: number; clusters: ClusterLabelling[] }) {
  const query = parseFleetQuery(useSearchParams());
  const directory = useMemo(() => clusterDirectory(clusters), [clusters]);
  const awaitedList = useMemo(() => stored.filter((s) => !s.fresh).map((s) => s.cluster), [stored]);
  const streamed = useFleetRows(awaitedList);
  const [since] = useState(renderedAt);
  const now = useNow(renderedAt, 1000);

  const answeredNow = new Map((streamed.data ?? []).map((row) => [row.cluster, row]));
  const awaited = new Set(streamed.isFetching || streamed.isPending ? awaitedList.filter((c) => !answeredNow.has(c)) : []);
  const entries: FleetEntry[] = stored.map(({ cluster, row, fresh }) => {
    const latest = newer(answeredNow.get(cluster), row);
    if (!latest) return { state: "waiting", cluster };
    return { state: "answered", row: latest, stale: latest === row && !fresh };
  });
  const shown = fleetView(entries, query, FLEET_MEASURES, directory);
  // The summary counts the clusters the name and label filters keep, so its figures and the rows they link to agree.
  const inScope = scopeFleet(entries, query, directory);
  const labelFilter = fleetLabelFilter(query.labels);
  const plannableSet = useMemo(() => new Set(plannable), [plannable]);

  return (
    <>
      <FleetSummaryView summary={fleetSummary(inScope, FLEET_MEASURES, query)} filtered={inScope.length < entries.length} />
      <FleetFilters query={query} measures={FLEET_MEASURES} shown={shown.length} total={entries.length} labelError={labelFilter.ok ? null : labelFilter.error} />
      {streamed.isError ? (
        <p role="alert" className="mb-2 rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
          The rows of {awaitedList.length} cluster{awaitedList.length === 1 ? "" : "s"} could not be loaded: {streamed.error.message}{" "}
          <button type="button" className="underline" onClick={() => void streamed.refetch()}>
            Try again
          </button>
        </p>
      ) : null}
      {shown.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-700">No cluster matches this filter.</p>
      ) : (
        <FleetTable entries={shown} awaited={awaited} waitedMs={now - since} plannable={plannableSet} columns={COLUMNS} now={now} directory={directory} />
      )}
    </>
  );
}
