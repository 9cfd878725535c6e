import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKubeGateway, type KubeGateway } from "@/lib/kube";
import { createClusterScanCache, type ClusterScan } from "@/lib/queries/cluster-scan";
import { fleetRow } from "@/lib/queries/fleet";
import { startDemoFleet, type DemoFleet } from "@/sim/fleet";
import { scaleClusterName } from "@/sim/fleet/scale";

/**
 * A fleet whose first two clusters are the worst a bounded scan can meet first: one that never answers and one that
 * answers every request slowly. With one scan turn for the whole fleet, every other cluster's row still arrives
 * before either of theirs, and no two inventories are ever read at once. Order, not durations: the slow and silent
 * clusters take seconds per request, the others milliseconds.
 */

const FAST = 4;
const COUNT = FAST + 2;
const SILENT = scaleClusterName(0, COUNT);
const SLOW = scaleClusterName(1, COUNT);
const FAST_NAMES = Array.from({ length: FAST }, (_, i) => scaleClusterName(i + 2, COUNT));

describe("scanning a fleet with an unreachable and a slow cluster", () => {
  let fleet: DemoFleet;
  let dir: string;
  let gateway: KubeGateway;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pk-fleet-order-"));
    fleet = await startDemoFleet({
      clusters: [],
      scale: { count: COUNT, namespaceCount: 10 },
      faults: { [SILENT]: { hang: true }, [SLOW]: { latencyMs: 3_000 } },
      kubeconfigPath: path.join(dir, "kubeconfig"),
    });
    // One attempt per request: the silent cluster is declared unreachable after one timeout, which the slow one stays under.
    gateway = createKubeGateway({ kubeconfigPaths: [path.join(dir, "kubeconfig")], requestTimeoutMs: 10_000, retry: { attempts: 1 } });
  }, 60_000);

  afterAll(async () => {
    gateway?.close();
    await fleet?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("sends every other cluster's row first, reading one inventory at a time", { timeout: 90_000 }, async () => {
    expect(gateway.listClusters().map((c) => c.name)).toEqual([SILENT, SLOW, ...FAST_NAMES]);
    let reading = 0;
    let mostAtOnce = 0;
    const reads: string[] = [];
    // The real gateway, observed: how many inventory reads overlap.
    const observed: Pick<KubeGateway, "listClusters" | "probe" | "readPullSecretInventory"> = {
      listClusters: () => gateway.listClusters(),
      probe: (name) => gateway.probe(name),
      readPullSecretInventory: async (name) => {
        reads.push(name);
        mostAtOnce = Math.max(mostAtOnce, ++reading);
        try {
          return await gateway.readPullSecretInventory(name);
        } finally {
          reading--;
        }
      },
    };
    const scans = createClusterScanCache(observed, undefined, undefined, { concurrency: 1 });

    const arrived: ClusterScan[] = [];
    // As the fleet page asks: every cluster at once, in kubeconfig order.
    await Promise.all(gateway.listClusters().map(async ({ name }) => arrived.push((await scans.get(name)).value)));

    const order = arrived.map((scan) => scan.cluster);
    expect(new Set(order.slice(0, FAST))).toEqual(new Set(FAST_NAMES));
    expect(new Set(order.slice(FAST))).toEqual(new Set([SILENT, SLOW]));
    expect(mostAtOnce).toBe(1);
    // The silent cluster failed its probe and never took the turn; the slow one took it and was read.
    expect(reads).not.toContain(SILENT);
    expect(new Set(reads)).toEqual(new Set([SLOW, ...FAST_NAMES]));

    const rows = new Map(arrived.map((scan) => [scan.cluster, fleetRow(scan)]));
    expect(rows.get(SILENT)).toMatchObject({ status: "unreachable", namespaceCount: null });
    for (const name of [SLOW, ...FAST_NAMES]) expect(rows.get(name)?.namespaceCount).toBeGreaterThan(0);
  });
});
