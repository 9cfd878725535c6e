import "server-only";
import { clusterLabelling, unlabelled, type ClusterLabelling } from "@/lib/clusters/labels";
import { logger } from "@/lib/log";
import { serverRoot } from "@/lib/server/root";

/**
 * Display names and labels of the named clusters (set on the admin clusters page), for the pages: the fleet's label
 * filter, the rule form's cluster selector. A database that cannot be read leaves them unlabelled under their own
 * names (logged) rather than failing the page; keeping rules read labels themselves and never fall back.
 */
export async function clusterLabellingOf(names: readonly string[]): Promise<ClusterLabelling[]> {
  try {
    return await clusterLabelling(await serverRoot().clusterStore(), names);
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, "cluster display names and labels could not be read; clusters are shown by name, unlabelled");
    return names.map(unlabelled);
  }
}
