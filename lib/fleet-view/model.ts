import { fleetLabelFilter, inFleetScope, displayNameOf, type ClusterDirectory } from "./labels";
import { FLEET_MEASURES, type AnsweredRow, type FleetMeasure } from "./measures";

/** One cluster on the fleet page: its row, or nothing yet because the cluster has not answered. */
export type FleetEntry = ({ state: "answered" } & AnsweredRow) | { state: "waiting"; cluster: string };

export const entryCluster = (entry: FleetEntry): string => (entry.state === "answered" ? entry.row.cluster : entry.cluster);

export type FleetSort = "need" | "name";

/** What the URL asks the table to show: `?state=<measure id>&name=<part of a cluster name>&labels=<label selector>&sort=name`. */
export interface FleetQuery {
  state: string | null;
  name: string;
  /** A Kubernetes label selector over the clusters' labels (`env=prod,region in (eu-de,eu-gb)`); empty: every cluster. */
  labels: string;
  sort: FleetSort;
}

export const DEFAULT_FLEET_QUERY: FleetQuery = { state: null, name: "", labels: "", sort: "need" };

const NO_DIRECTORY: ClusterDirectory = new Map();

/** Reads the query leniently: an unknown state or sort is ignored rather than an error, as in a hand-edited link. */
export function parseFleetQuery(params: { get(name: string): string | null }, measures: readonly FleetMeasure[] = FLEET_MEASURES): FleetQuery {
  const state = params.get("state");
  return {
    state: state !== null && measures.some((m) => m.id === state) ? state : null,
    name: (params.get("name") ?? "").trim().slice(0, 100),
    labels: (params.get("labels") ?? "").trim().slice(0, 1000),
    sort: params.get("sort") === "name" ? "name" : "need",
  };
}

/** The query as URL parameters, defaults left out so the plain page stays `/`. */
export function fleetQueryString(query: FleetQuery): string {
  const params = new URLSearchParams();
  if (query.state) params.set("state", query.state);
  if (query.name) params.set("name", query.name);
  if (query.labels) params.set("labels", query.labels);
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

/**
 * One item per measure, summed over the rows that have the figure. Give it the entries in scope (`scopeFleet`) and
 * the query: its links keep the query's name and label filters, so the counts and the rows they lead to agree.
 */
export function fleetSummary(entries: readonly FleetEntry[], measures: readonly FleetMeasure[] = FLEET_MEASURES, query: Partial<FleetQuery> = {}): FleetSummary {
  const answered = entries.filter((e): e is Extract<FleetEntry, { state: "answered" }> => e.state === "answered");
  const items = measures.map((measure) => {
    let total = 0;
    let clusters = 0;
    for (const entry of answered) {
      const value = measure.value(entry) ?? 0;
      total += value;
      if (value > 0) clusters += 1;
    }
    return { id: measure.id, text: measure.summary(total, clusters), total, clusters, tone: measure.tone, href: fleetHref({ name: query.name ?? "", labels: query.labels ?? "", sort: query.sort ?? "need", state: measure.id }) };
  });
  return { items, clusters: entries.length, answered: answered.length };
}

const byNameIn = (directory: ClusterDirectory) => (a: FleetEntry, b: FleetEntry) =>
  displayNameOf(directory, entryCluster(a)).localeCompare(displayNameOf(directory, entryCluster(b)), "en", { numeric: true });

/**
 * The clusters the name and label filters keep, answered or not (labels are known without asking the cluster): what
 * the summary counts. A label selector that does not parse narrows nothing (the filter box says why).
 */
export function scopeFleet(entries: readonly FleetEntry[], query: Pick<FleetQuery, "name" | "labels">, directory: ClusterDirectory = NO_DIRECTORY): FleetEntry[] {
  const name = query.name.toLowerCase();
  const filter = fleetLabelFilter(query.labels);
  const requirements = filter.ok ? filter.requirements : null;
  if (!name && requirements === null) return [...entries];
  return entries.filter((entry) => inFleetScope(directory, entryCluster(entry), name, requirements));
}

/**
 * The rows to show: those in scope (name or display name contains the name filter, labels match the selector) and,
 * with a state filter, those the measure counts. A cluster that has not answered stays in every state's view,
 * marked as waiting: it may belong to it.
 */
export function filterFleet(entries: readonly FleetEntry[], query: FleetQuery, measures: readonly FleetMeasure[] = FLEET_MEASURES, directory: ClusterDirectory = NO_DIRECTORY): FleetEntry[] {
  const measure = query.state ? measures.find((m) => m.id === query.state) : undefined;
  return scopeFleet(entries, query, directory).filter((entry) => {
    if (!measure || entry.state === "waiting") return true;
    return (measure.value(entry) ?? 0) > 0;
  });
}

/**
 * By need: the ranked measures in rank order, each larger first (a figure a cluster could not give counts as
 * zero: its own "unreachable" measure ranks it), then by name; clusters still waiting come last. By name: natural order of display names (fleet-2 before fleet-10).
 */
export function sortFleet(entries: readonly FleetEntry[], sort: FleetSort, measures: readonly FleetMeasure[] = FLEET_MEASURES, directory: ClusterDirectory = NO_DIRECTORY): FleetEntry[] {
  const byName = byNameIn(directory);
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

export function fleetView(entries: readonly FleetEntry[], query: FleetQuery, measures: readonly FleetMeasure[] = FLEET_MEASURES, directory: ClusterDirectory = NO_DIRECTORY): FleetEntry[] {
  return sortFleet(filterFleet(entries, query, measures, directory), query.sort, measures, directory);
}
