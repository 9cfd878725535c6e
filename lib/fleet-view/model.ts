import { FLEET_MEASURES, type AnsweredRow, type FleetMeasure } from "./measures";

/** One cluster on the fleet page: its row, or nothing yet because the cluster has not answered. */
export type FleetEntry = ({ state: "answered" } & AnsweredRow) | { state: "waiting"; cluster: string };

export const entryCluster = (entry: FleetEntry): string => (entry.state === "answered" ? entry.row.cluster : entry.cluster);

export type FleetSort = "need" | "name";

/** What the URL asks the table to show: `?state=<measure id>&name=<part of a cluster name>&sort=name`. */
export interface FleetQuery {
  state: string | null;
  name: string;
  sort: FleetSort;
}

export const DEFAULT_FLEET_QUERY: FleetQuery = { state: null, name: "", sort: "need" };

/** Reads the query leniently: an unknown state or sort is ignored rather than an error, as in a hand-edited link. */
export function parseFleetQuery(params: { get(name: string): string | null }, measures: readonly FleetMeasure[] = FLEET_MEASURES): FleetQuery {
  const state = params.get("state");
  return {
    state: state !== null && measures.some((m) => m.id === state) ? state : null,
    name: (params.get("name") ?? "").trim().slice(0, 100),
    sort: params.get("sort") === "name" ? "name" : "need",
  };
}

/** The query as URL parameters, defaults left out so the plain page stays `/`. */
export function fleetQueryString(query: FleetQuery): string {
  const params = new URLSearchParams();
  if (query.state) params.set("state", query.state);
  if (query.name) params.set("name", query.name);
  if (query.sort !== "need") params.set("sort", query.sort);
  return params.toString();
}

export function fleetHref(query: Partial<FleetQuery>): string {
  const qs = fleetQueryString({ ...DEFAULT_FLEET_QUERY, ...query });
  return qs ? `/?${qs}` : "/";
}

export interface FleetSummaryItem {
  id: string;
  text: string;
  total: number;
  clusters: number;
  tone: FleetMeasure["tone"];
  /** The filtered view of the clusters this item counts. */
  href: string;
}

export interface FleetSummary {
  items: FleetSummaryItem[];
  clusters: number;
  /** Clusters the totals include; the others have not answered yet. */
  answered: number;
}

/** One item per measure, summed over the rows that have the figure. */
export function fleetSummary(entries: readonly FleetEntry[], measures: readonly FleetMeasure[] = FLEET_MEASURES): FleetSummary {
  const answered = entries.filter((e): e is Extract<FleetEntry, { state: "answered" }> => e.state === "answered");
  const items = measures.map((measure) => {
    let total = 0;
    let clusters = 0;
    for (const entry of answered) {
      const value = measure.value(entry) ?? 0;
      total += value;
      if (value > 0) clusters += 1;
    }
    return { id: measure.id, text: measure.summary(total, clusters), total, clusters, tone: measure.tone, href: fleetHref({ state: measure.id }) };
  });
  return { items, clusters: entries.length, answered: answered.length };
}

const byName = (a: FleetEntry, b: FleetEntry) => entryCluster(a).localeCompare(entryCluster(b), "en", { numeric: true });

/**
 * The rows to show: those whose name contains the name filter and, with a state filter, those the measure counts.
 * A cluster that has not answered stays in every view, marked as waiting: it may belong to it.
 */
export function filterFleet(entries: readonly FleetEntry[], query: FleetQuery, measures: readonly FleetMeasure[] = FLEET_MEASURES): FleetEntry[] {
  const name = query.name.toLowerCase();
  const measure = query.state ? measures.find((m) => m.id === query.state) : undefined;
  return entries.filter((entry) => {
    if (name && !entryCluster(entry).toLowerCase().includes(name)) return false;
    if (!measure || entry.state === "waiting") return true;
    return (measure.value(entry) ?? 0) > 0;
  });
}

/**
 * By need: the ranked measures in rank order, each larger first (a figure a cluster could not give counts as
 * zero: its own "unreachable" measure ranks it), then by name; clusters still waiting come last. By name: natural order (fleet-2 before fleet-10).
 */
export function sortFleet(entries: readonly FleetEntry[], sort: FleetSort, measures: readonly FleetMeasure[] = FLEET_MEASURES): FleetEntry[] {
  if (sort === "name") return [...entries].sort(byName);
  const ranked = measures.filter((m) => m.needRank !== undefined).sort((a, b) => a.needRank! - b.needRank!);
  const need = (entry: FleetEntry) => (entry.state === "waiting" ? null : ranked.map((m) => m.value(entry) ?? 0));
  const keyed = entries.map((entry) => ({ entry, key: need(entry) }));
  keyed.sort((a, b) => {
    if (!a.key || !b.key) return a.key === b.key ? byName(a.entry, b.entry) : a.key ? -1 : 1;
    for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return b.key[i]! - a.key[i]!;
    return byName(a.entry, b.entry);
  });
  return keyed.map((k) => k.entry);
}

export function fleetView(entries: readonly FleetEntry[], query: FleetQuery, measures: readonly FleetMeasure[] = FLEET_MEASURES): FleetEntry[] {
  return sortFleet(filterFleet(entries, query, measures), query.sort, measures);
}
