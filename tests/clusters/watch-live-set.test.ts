import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeWatcher, type KubeWatcher, type WatchChange } from "@/lib/kube/watch";
import { startClusterConnectionsHarness, type ClusterConnectionsHarness } from "../support/cluster-connections-harness";
import { call, until } from "../support/sim-workloads";
import { PROVIDERS } from "../support/databases";

/**
 * The watches follow the live gateway's cluster set, as scans and the scheduled sweep do: a registered cluster
 * stored at runtime gets informers and its changes are seen within seconds; a replaced token reconnects them (a
 * wrong one backs off, it does not loop); disabling or removing the cluster stops them; a kubeconfig edit is
 * followed too. Both databases: the clusters come from the store.
 */

const STORED = "stored-regional";
const ready = (w: KubeWatcher, cluster: string) => {
  const mine = w.health().filter((h) => h.cluster === cluster);
  return mine.length > 0 && mine.every((h) => h.state === "watching" && h.lists >= 1);
};

describe.each(PROVIDERS)("the watches follow the live cluster set (%s)", (provider) => {
  let harness: ClusterConnectionsHarness;
  let watcher: KubeWatcher;
  const changes: WatchChange[] = [];

  beforeAll(async () => {
    // Both are kubeconfig contexts at first; the first test renames regional's context and registers regional's API
    // server as a stored cluster (STORED), whose watches the later tests change.
    harness = await startClusterConnectionsHarness(provider, {
      fleet: { clusters: ["regional", "modern"] },
      createKeeper: () => {
        throw new Error("no IBM Cloud accounts here");
      },
    });
    watcher = startKubeWatcher({ clusterSource: harness.gateway.watchableClusters(), bookmarkIntervalMs: 200, relistIntervalMs: 60_000, initialBackoffMs: 100, maxBackoffMs: 400 });
    watcher.onChange((c) => changes.push(c));
  });

  afterAll(async () => {
    await watcher?.close();
    await harness?.close();
  });

  // The fleet's simulators are in the order asked for.
  const regional = () => harness.fleet.sims[0]!;

  it("watches a registered cluster stored at runtime and sees a namespace created there within seconds", async () => {
    expect(watcher.clusters().sort()).toEqual(["modern", "regional"]);
    fs.writeFileSync(path.join(harness.kubeconfigDir, "config"), harness.fleet.kubeconfig.replace(/current-context: .*/, "").replace(/- name: "?regional"?\n {2}context:/, "- name: regional-old\n  context:"));
    await until("the kubeconfig edit followed", async () => watcher.clusters().includes("regional-old") && !watcher.clusters().includes("regional"), 10_000);
    const sim = regional();
    await harness.store.saveRegisteredCluster({ name: STORED, server: sim.url, caPem: sim.caPem, token: sim.tokens.admin! }, "admin@example.com");
    await harness.connections.sync();
    await until("the stored cluster watched", async () => ready(watcher, STORED), 10_000);
    await call(sim, "POST", "/api/v1/namespaces", { metadata: { name: `live-${provider}` } });
    const seen = await until("the new namespace seen on the stored cluster", async () => changes.find((c) => c.cluster === STORED && c.resource === "namespaces" && c.name === `live-${provider}` && !c.firstList), 10_000);
    expect(seen.via).toBe("watch");
  });

  it("reconnects with a replaced token: a wrong one backs off instead of looping, the right one recovers", async () => {
    const sim = regional();
    await harness.store.replaceClusterToken(STORED, "not-a-token-this-cluster-knows", "admin@example.com");
    await harness.connections.sync();
    await until("the watches refused", async () => watcher.health().some((h) => h.cluster === STORED && h.errors > 0), 10_000);
    const errorsAt = () => watcher.health().filter((h) => h.cluster === STORED).reduce((n, h) => n + h.errors, 0);
    const first = errorsAt();
    await new Promise((r) => setTimeout(r, 1_500));
    // Five informers backing off 100 → 400 ms for 1.5 s: a handful of attempts each, not hundreds.
    expect(errorsAt() - first).toBeLessThan(40);
    await harness.store.replaceClusterToken(STORED, sim.tokens.admin!, "admin@example.com");
    await harness.connections.sync();
    await until("the watches up again", async () => ready(watcher, STORED) && watcher.health().filter((h) => h.cluster === STORED).every((h) => h.errors === 0), 10_000);
  });

  it("stops the informers of a disabled cluster, starts them again when enabled, and stops them for good when removed", async () => {
    await harness.store.updateCluster(STORED, { disabled: true }, "admin@example.com");
    await harness.connections.sync();
    await until("the disabled cluster unwatched", async () => !watcher.clusters().includes(STORED) && !watcher.health().some((h) => h.cluster === STORED), 5_000);
    await harness.store.updateCluster(STORED, { disabled: false }, "admin@example.com");
    await harness.connections.sync();
    await until("the enabled cluster watched again", async () => ready(watcher, STORED), 10_000);
    await harness.store.removeCluster(STORED);
    await harness.connections.sync();
    await until("the removed cluster unwatched", async () => !watcher.clusters().includes(STORED), 5_000);
    const after = changes.length;
    await call(regional(), "POST", "/api/v1/namespaces", { metadata: { name: `gone-${provider}` } });
    await new Promise((r) => setTimeout(r, 1_000));
    // The kubeconfig context `regional-old` (same server) still sees it; the removed cluster does not.
    expect(changes.slice(after).filter((c) => c.name === `gone-${provider}`).map((c) => c.cluster)).toEqual(["regional-old"]);
  });
});
