import type { ClusterLabelling } from "@/lib/clusters/labels";
import { matchesSelector, parseLabelSelector, type LabelRequirement } from "@/lib/labels/selector";

/** Display names and labels of the fleet's clusters by name (set on the clusters page); a cluster missing is unlabelled. */
export type ClusterDirectory = ReadonlyMap<string, ClusterLabelling>;

export const clusterDirectory = (clusters: readonly ClusterLabelling[]): ClusterDirectory => new Map(clusters.map((cluster) => [cluster.name, cluster] as const));

/** How a cluster is named on the page: its display name, else its name. */
export const displayNameOf = (directory: ClusterDirectory, cluster: string): string => directory.get(cluster)?.displayName ?? cluster;

export const labelsOf = (directory: ClusterDirectory, cluster: string): Readonly<Record<string, string>> => directory.get(cluster)?.labels ?? {};

/**
 * The `?labels=` filter as requirements: `null` when there is none; an error (said beside the box) when it does
 * not parse, in which case the table is not narrowed by it rather than emptied.
 */
export function fleetLabelFilter(selector: string): { ok: true; requirements: LabelRequirement[] | null } | { ok: false; error: string } {
  if (!selector.trim()) return { ok: true, requirements: null };
  const parsed = parseLabelSelector(selector);
  return parsed.ok ? { ok: true, requirements: parsed.requirements } : parsed;
}

/** Whether the cluster's name or display name contains `part` (lower-cased already) and its labels satisfy the filter. */
export function inFleetScope(directory: ClusterDirectory, cluster: string, part: string, requirements: readonly LabelRequirement[] | null): boolean {
  if (part && !cluster.toLowerCase().includes(part) && !displayNameOf(directory, cluster).toLowerCase().includes(part)) return false;
  return requirements === null || matchesSelector(requirements, labelsOf(directory, cluster));
}

/** Labels as `key=value`, sorted by key, for the compact row. */
export const labelPairs = (labels: Readonly<Record<string, string>>): string[] =>
  Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key]}`);
