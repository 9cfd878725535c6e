/**
 * The cluster watches that wake keeping rules and the pages' cached scans, as
 * the server wires them (composition root, job workers, watches over HTTPS to
 * the simulated regional cluster): a watch's first lists leave the cached scan
 * alone, so /api/metrics keeps every cluster's series through a start; a real
 * change makes the next read scan again (the blast-radius preview sees a
 * namespace created a moment before), while the metrics keep reading the
 * previous scan, marked stale, until the new one is stored. SQLite only: this
 * is the process's cache, not the store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/auth/permissions";
import { ruleSpecSchema } from "@/lib/rules/spec";
import { startAppEnvironment, type AppEnvironment } from "../support/app-environment";
import { call } from "../support/sim-workloads";

const CLUSTER = "regional";
const admin: SessionUser = { id: "admin", email: "admin@example.com", name: "Admin", role: "admin", clusters: null };

let app: AppEnvironment;
let stopWork: ((timeoutMs: number) => Promise<void>) | undefined;
let root: typeof import("@/lib/server/root");

beforeAll(async () => {
  app = await startAppEnvironment({ name: "watch-scans", fleet: { clusters: [CLUSTER] }, env: { PULLKEEPER_RULE_SCHEDULE: "off", PULLKEEPER_WATCH: "on" } });
  // Imported only now: the environment is read once, on first use.
  root = await import("@/lib/server/root");
});

afterAll(async () => {
  await stopWork?.(1_000);
  await app?.close();
});

async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const clusterSeries = async () => (await root.serverRoot().metrics().render()).match(new RegExp(`^pullkeeper_cluster_up\\{cluster="${CLUSTER}"\\} 1$`, "m")) !== null;

describe("cluster watches and the cached scans", () => {
  it("leaves the cached scan alone when the watches start: their first lists are what was there, not a change", async () => {
    const scans = root.serverRoot().scans();
    const before = await scans.get(CLUSTER);
    const { startJobWorkers } = await import("@/lib/server/job-workers");
    stopWork = await startJobWorkers();
    const watcher = await until("the watches' first lists", () => {
      const current = root.serverRoot().watcher.current;
      return current !== null && current.health().length > 0 && current.health().every((health) => health.lists >= 1 && health.state === "watching") ? current : undefined;
    });
    expect(watcher.clusters()).toEqual([CLUSTER]);
    // Longer than the watches' burst delay (300 ms), after which a change would have dropped the scan.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(scans.peek(CLUSTER)).toBe(before);
    expect(await clusterSeries()).toBe(true);
  });

  it("scans again after a change the watch saw, so the blast-radius preview sees a namespace just created; the metrics keep the cluster meanwhile", async () => {
    const scans = root.serverRoot().scans();
    const before = scans.peek(CLUSTER);
    expect(before?.value.inventory?.namespaces.some((ns) => ns.name === "just-made")).toBe(false);
    await call(app.fleet.sims[0]!, "POST", "/api/v1/namespaces", { metadata: { name: "just-made", labels: { "watch-scans": "yes" } } });
    // Until the watch's burst ends the scan is current; then it is stale, never gone: every scrape has the cluster.
    const stale = await until("the scan marked stale", async () => {
      expect(await clusterSeries()).toBe(true);
      const peeked = scans.peek(CLUSTER);
      expect(peeked).toBeDefined();
      return peeked?.stale && peeked;
    });
    expect(stale.value).toBe(before!.value);
    expect(await clusterSeries()).toBe(true);

    const { blastRadius } = await import("@/lib/server/rule-service");
    const radius = await blastRadius(admin, {
      name: "just-made-preview", description: "", mode: "enforce",
      spec: ruleSpecSchema.parse({
        clusters: { mode: "list", names: [CLUSTER] }, namespaces: { match: { mode: "labels", labelSelector: "watch-scans=yes" } }, registries: ["us.icr.io"],
        source: { namespace: "default", secrets: ["default-us-icr-io"] }, serviceAccounts: { mode: "default" },
      }),
    });
    expect(radius.clusters).toMatchObject([{ cluster: CLUSTER, unreadable: null, matched: 1 }]);
    expect(radius.clusters[0]!.sample).toEqual(["just-made"]);
    const fresh = scans.peek(CLUSTER);
    expect(fresh?.stale).toBeUndefined();
    expect(fresh?.value.inventory?.namespaces.some((ns) => ns.name === "just-made")).toBe(true);
    expect(await clusterSeries()).toBe(true);
  });
});
