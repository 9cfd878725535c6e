import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPodPullTracker, startKubeWatcher, type KubeWatcher } from "@/lib/kube/watch";
import { startDemoFleet, type DemoFleet } from "@/sim/fleet";

/**
 * What watching every pod of a large cluster costs the app: the large demo cluster (10,000 namespaces) listed and
 * relisted page by page, CPU per pod, and what stays in memory (the informer's name → uid/resourceVersion; the pod
 * tracker's failing pods and per-namespace registries). Figures are printed with the load average.
 */
let fleet: DemoFleet;
let watcher: KubeWatcher | null = null;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-watch-pods-"));

beforeAll(async () => {
  fleet = await startDemoFleet({ clusters: ["large"], largeNamespaceCount: 10_000, kubeconfigPath: path.join(dir, "kubeconfig") });
}, 60_000);
afterAll(async () => {
  await watcher?.close();
  await fleet?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("watching the pods of a large cluster", () => {
  it("lists and relists every pod a page at a time, keeping only their keys and the tracker's small state", async () => {
    const tracker = createPodPullTracker();
    let changes = 0;
    let counted = 0;
    const cpu = process.cpuUsage();
    const heapBefore = process.memoryUsage().heapUsed;
    watcher = startKubeWatcher({ kubeconfigPaths: [fleet.kubeconfigPath!], resources: ["pods"], relistIntervalMs: 60 * 60_000 });
    watcher.onChange((change) => {
      changes++;
      if (tracker.observe(change)) counted++;
    });
    const listed = async (lists: number) => {
      for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
        const [health] = watcher!.health();
        if (health && health.lists >= lists && health.state === "watching") return health;
      }
      throw new Error(`timed out waiting for the pod list: ${JSON.stringify(watcher!.health())}`);
    };
    const first = await listed(1);
    const firstCpu = process.cpuUsage(cpu);
    const heapAfter = process.memoryUsage().heapUsed;
    const relistCpuFrom = process.cpuUsage();
    watcher.relist();
    await listed(2);
    const relistCpu = process.cpuUsage(relistCpuFrom);
    const size = tracker.size();
    const ms = (u: NodeJS.CpuUsage) => ((u.user + u.system) / 1000).toFixed(0);
    console.log(
      `${first.objects} pods: first list ${ms(firstCpu)} ms CPU (${changes} changes, ${counted} counted), relist ${ms(relistCpu)} ms CPU; ` +
        `heap +${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB; tracker: ${size.failingPods} failing pods, ${size.namespaceRegistries} namespace registries (load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")})`,
    );
    expect(first.objects).toBeGreaterThan(3_000);
    // The first list is what was there: recorded, never counted as a change; an unchanged relist reports nothing.
    expect(counted).toBe(0);
    expect(changes).toBe(first.objects);
    // Bounded by namespaces × registries, not by pods or their size.
    expect(size.namespaceRegistries).toBeLessThanOrEqual(first.objects);
    expect(size.failingPods).toBeLessThan(first.objects);
  }, 240_000);
});
