/**
 * The cluster watches as the server wires them (composition root, job workers, watches over HTTPS to the simulated
 * regional cluster with its kubelet): a Deployment whose pods cannot pull shows its failing pods in the cached scan
 * within seconds, without a rescan, and a stream of pod events costs a scan every few seconds at most; a registered
 * cluster stored at runtime is watched, so a namespace created there is covered by an enforce rule within seconds,
 * and disabling it stops its watches. Run on SQLite (watch-live.test.ts) and PostgreSQL (watch-live-postgres.test.ts):
 * the stored cluster and the rule come from the store, and the rule's evaluation is a job on that database's queue.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseProvider } from "@/lib/db/database-url";
import type { KubeWatcher } from "@/lib/kube/watch";
import { ruleSpecSchema } from "@/lib/rules/spec";
import { startAppEnvironment, type AppEnvironment } from "../support/app-environment";
import { call, createWorkload, until } from "../support/sim-workloads";

const CLUSTER = "regional";
const STORED = "regional-registered";

/** The tests, on the given database (each file runs in its own process: the app reads its environment once). */
export function watchLiveTests(database: DatabaseProvider): void {
  let app: AppEnvironment;
  let stopWork: ((timeoutMs: number) => Promise<void>) | undefined;
  let root: typeof import("@/lib/server/root");

  beforeAll(async () => {
    app = await startAppEnvironment({
      name: `watch-live-${database}`,
      database,
      fleet: {
        clusters: [CLUSTER],
        // Private pulls succeed only with a credential; none here is checked against a registry.
        kubelet: { backOffInitialMs: 300, backOffMaxMs: 600, pullVerifier: async (check) => (check.credentials.length > 0 ? { ok: true } : { ok: false, detail: "pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials" }) },
      },
      env: { PULLKEEPER_RULE_SCHEDULE: "off", PULLKEEPER_WATCH: "on", PULLKEEPER_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString("base64") },
    });
    root = await import("@/lib/server/root");
    const { startJobWorkers } = await import("@/lib/server/job-workers");
    stopWork = await startJobWorkers();
  });

  afterAll(async () => {
    await stopWork?.(1_000);
    await app?.close();
  });

  const watcherReady = (cluster: string) => {
    const w: KubeWatcher | null = root.serverRoot().watcher.current;
    const mine = w?.health().filter((h) => h.cluster === cluster) ?? [];
    return w !== null && mine.length > 0 && mine.every((h) => h.state === "watching" && h.lists >= 1) ? w : undefined;
  };

  describe(`cluster watches of pods and of stored clusters (${database})`, () => {
    it("shows a Deployment's failing pulls in the cached scan within seconds, without a rescan, and scans at most every few seconds for a stream of pod events", async () => {
      const watcher = await until("the watches up", async () => watcherReady(CLUSTER));
      const scans = root.serverRoot().scans();
      const kube = root.serverRoot().ports().kube;
      await scans.get(CLUSTER);
      let inventoryReads = 0;
      const read = kube.readPullSecretInventory;
      kube.readPullSecretInventory = (...args) => (inventoryReads++, read(...args));
      let podEvents = 0;
      watcher.onChange((c) => void (c.resource === "pods" && c.cluster === CLUSTER && podEvents++));
      try {
        // The namespace first (a change the watches invalidate the scan for), then, once the scan has it, the
        // Deployment: Deployments are not watched, so only its pods' events can make the scan current again.
        await call(app.fleet.sims[0]!, "POST", "/api/v1/namespaces", { metadata: { name: "pod-watch" } });
        await until("the new namespace in the cached scan", async () => (await scans.get(CLUSTER)).value.inventory?.namespaces.some((ns) => ns.name === "pod-watch"));
        const started = Date.now();
        await createWorkload(app.fleet.sims[0]!, "pod-watch", "Deployment", "api", { image: "us.icr.io/team/api:1.4", replicas: 3 });
        // Only `get`, as a page does: what it serves is the cached scan unless the watches invalidated it.
        const failing = await until("3 failing pods in the cached scan", async () => {
          const { value } = await scans.get(CLUSTER);
          const pods = value.inventory?.workloads.filter((w) => w.namespace === "pod-watch" && w.kind === "Pod" && (w.imagePullErrors?.length ?? 0) > 0) ?? [];
          return pods.length === 3 && pods;
        }, 10_000);
        expect(failing.map((p) => p.imagePullErrors![0]!.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/ErrImagePull|ImagePullBackOff/)]));
        const seconds = (Date.now() - started) / 1000;
        expect(seconds).toBeLessThan(10);

        // The kubelet retries every 300–600 ms: ErrImagePull ↔ ImagePullBackOff, a stream of events that changes nothing shown.
        const cpuBefore = process.cpuUsage();
        const [eventsBefore, readsBefore] = [podEvents, inventoryReads];
        const windowMs = 6_000;
        for (const end = Date.now() + windowMs; Date.now() < end; ) {
          await scans.get(CLUSTER);
          await new Promise((r) => setTimeout(r, 200));
        }
        const cpu = process.cpuUsage(cpuBefore);
        const events = podEvents - eventsBefore;
        const reads = inventoryReads - readsBefore;
        console.log(`pods failing in the cached scan after ${seconds.toFixed(1)} s; then ${events} pod events in ${windowMs / 1000} s caused ${reads} scans; test process CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (load ${(await import("node:os")).loadavg().map((l) => l.toFixed(1)).join(" ")})`);
        expect(events).toBeGreaterThan(10);
        // Pods staying in their failure change nothing a page shows: not one scan for them.
        expect(reads).toBe(0);

        // 20 more failing pods at once: a burst, scanned again at most once per 3 s.
        const [burstReadsBefore, burstEventsBefore] = [inventoryReads, podEvents];
        await call(app.fleet.sims[0]!, "PATCH", "/apis/apps/v1/namespaces/pod-watch/deployments/api", { spec: { replicas: 23 } }, "application/merge-patch+json");
        const burstEnd = Date.now() + windowMs;
        while (Date.now() < burstEnd) {
          await scans.get(CLUSTER);
          await new Promise((r) => setTimeout(r, 200));
        }
        const burstReads = inventoryReads - burstReadsBefore;
        console.log(`burst: ${podEvents - burstEventsBefore} pod events in ${windowMs / 1000} s caused ${burstReads} scans`);
        expect(podEvents - burstEventsBefore).toBeGreaterThan(40);
        expect(burstReads).toBeGreaterThanOrEqual(1);
        expect(burstReads).toBeLessThanOrEqual(Math.ceil(windowMs / 3_000) + 1);
        const { value } = await scans.get(CLUSTER);
        expect(value.inventory?.workloads.filter((w) => w.namespace === "pod-watch" && w.kind === "Pod").length).toBeGreaterThan(3);
      } finally {
        kube.readPullSecretInventory = read;
      }
    });

    it("watches a registered cluster stored at runtime: an enforce rule covers a namespace created there within seconds; disabled, its watches stop", async () => {
      const server = root.serverRoot();
      const sim = app.fleet.sims[0]!;
      const store = await server.clusterStore();
      await store.saveRegisteredCluster({ name: STORED, server: sim.url, caPem: sim.caPem, token: sim.tokens.admin! }, "admin@example.com");
      await (await server.clusterConnections()).sync();
      await until("the stored cluster watched", async () => watcherReady(STORED));
      const rules = await server.rules();
      await rules.create({
        name: "stored-cluster-icr", description: "", mode: "enforce",
        spec: ruleSpecSchema.parse({
          clusters: { mode: "list", names: [STORED] }, namespaces: { match: { mode: "names" }, include: ["stored-team"] }, registries: ["us.icr.io"],
          source: { namespace: "default", secrets: ["default-us-icr-io"] }, serviceAccounts: { mode: "default" },
        }),
      }, "admin@example.com");
      const created = Date.now();
      await call(sim, "POST", "/api/v1/namespaces", { metadata: { name: "stored-team" } });
      const attached = await until("the namespace covered by the rule on the stored cluster", async () => {
        const account = (await call(sim, "GET", "/api/v1/namespaces/stored-team/serviceaccounts/default").catch(() => null)) as { imagePullSecrets?: Array<{ name: string }> } | null;
        return (account?.imagePullSecrets?.length ?? 0) > 0 && account!.imagePullSecrets!;
      }, 10_000);
      console.log(`namespace on the stored cluster covered ${((Date.now() - created) / 1000).toFixed(1)} s after creation`);
      expect(attached.length).toBeGreaterThan(0);

      await store.updateCluster(STORED, { disabled: true }, "admin@example.com");
      await (await server.clusterConnections()).sync();
      await until("the disabled cluster's watches stopped", async () => !server.watcher.current!.clusters().includes(STORED) && !server.watcher.current!.health().some((h) => h.cluster === STORED));
      expect(server.watcher.current!.clusters()).toEqual([CLUSTER]);
    });
  });
}
