import { largeObjects } from "./large";
import type { Obj } from "./builders";

/**
 * Extra clusters for trying the fleet page at the size of a real estate: `fleet-01…fleet-NN`, each a copy of the
 * large cluster's shape with fewer namespaces. Clusters differ by a few namespaces (so rows are not all alike) but
 * are otherwise the same deterministic objects, which keeps a 50-cluster fleet quick to seed.
 */
export interface ScaleFleetOptions {
  count: number;
  /** Namespaces per cluster (each with the large cluster's ten secrets). */
  namespaceCount: number;
}

export function scaleClusterName(index: number, count: number): string {
  return `fleet-${String(index + 1).padStart(Math.max(2, String(count).length), "0")}`;
}

export function scaleClusterSpecs({ count, namespaceCount }: ScaleFleetOptions): { name: string; objects: Obj[] }[] {
  const shapes = new Map<number, Obj[]>();
  return Array.from({ length: count }, (_, i) => {
    // Five sizes around the asked count, so coverage figures differ from row to row.
    const namespaces = Math.max(1, namespaceCount - (i % 5) * Math.ceil(namespaceCount / 20));
    if (!shapes.has(namespaces)) shapes.set(namespaces, JSON.parse(JSON.stringify(largeObjects(namespaces))) as Obj[]);
    return { name: scaleClusterName(i, count), objects: shapes.get(namespaces)! };
  });
}
