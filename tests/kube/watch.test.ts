import https from "node:https";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CREDENTIAL_CANARY } from "@/sim/demo-credentials";
import { startKubeWatcher, type KubeWatcher, type WatchChange } from "@/lib/kube/watch";
import { b64, startHarness, type Harness } from "./support";

/**
 * lib/kube/watch against the simulator over HTTPS: new objects seen within
 * seconds, a stalled watch detected and recovered, 410 answered by a relist,
 * and secrets seen only as metadata.
 */

const BOOKMARK_MS = 100;
let h: Harness;
const watchers: KubeWatcher[] = [];

beforeAll(async () => {
  h = await startHarness({ watchBookmarkIntervalMs: BOOKMARK_MS });
});
afterEach(async () => {
  h.sim.setFaults({});
  await Promise.all(watchers.splice(0).map((w) => w.close()));
});
afterAll(async () => h.close());

function start(opts: { relistIntervalMs?: number; user?: string } = {}) {
  const changes: WatchChange[] = [];
  const w = startKubeWatcher({
    kubeconfigPaths: [h.kubeconfigFor(opts.user ?? "admin")],
    bookmarkIntervalMs: BOOKMARK_MS,
    stallAfterBookmarks: 3,
    relistIntervalMs: opts.relistIntervalMs ?? 60_000,
    initialBackoffMs: 50,
    maxBackoffMs: 200,
  });
  w.onChange((c) => changes.push(c));
  watchers.push(w);
  return { w, changes };
}

async function until<T>(what: string, fn: () => T | undefined | false, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** A raw API call as another client would make it (the simulator's CA is trusted explicitly). */
function api(method: string, path: string, body?: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(h.sim.url + path, { method, ca: h.sim.caPem!, headers: { Authorization: `Bearer ${h.sim.tokens.admin}`, "Content-Type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function createNamespace(name: string) {
  const status = await api("POST", "/api/v1/namespaces", { metadata: { name } });
  if (status !== 201) throw new Error(`create namespace ${name}: ${status}`);
}

const ready = (w: KubeWatcher) => w.health().every((x) => x.state === "watching" && x.lists >= 1);
const seen = (changes: WatchChange[], resource: string, name: string, type = "added") => changes.find((c) => c.resource === resource && c.name === name && c.type === type);

describe("lib/kube/watch", () => {
  it("lists every resource, then sees a new namespace within seconds", async () => {
    const { w, changes } = start();
    await until("watches up", () => ready(w), 5_000);
    expect(w.health().map((x) => `${x.resource}${x.secretType ? `:${x.secretType}` : ""}`)).toEqual([
      "namespaces",
      "serviceaccounts",
      "secrets:kubernetes.io/dockerconfigjson",
      "secrets:kubernetes.io/dockercfg",
      "pods",
    ]);
    // What the first lists found was already there: marked, so a consumer does not take the start for a change.
    expect(seen(changes, "namespaces", "payments")).toMatchObject({ via: "list", firstList: true });
    expect(changes.every((change) => change.firstList)).toBe(true);
    const started = Date.now();
    await h.gateway().createPullSecret("c1", { namespace: "default", name: "watched-secret", dockerConfigJson: JSON.stringify({ auths: { "us.icr.io": { username: "iamapikey", password: `x-${CREDENTIAL_CANARY}` } } }) });
    const created = await until("secret change", () => seen(changes, "secrets", "watched-secret"), 3_000);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(created).toMatchObject({ via: "watch", namespace: "default", secretType: "kubernetes.io/dockerconfigjson", metadata: { labels: { "app.kubernetes.io/managed-by": "pullkeeper" } } });
    expect(created.firstList).toBeUndefined();
    expect(created.metadata!.annotations).toBeUndefined();
    // Secrets arrive as metadata only: nothing of the data crosses the watch.
    expect(JSON.stringify(changes)).not.toContain(CREDENTIAL_CANARY);
    expect(JSON.stringify(changes)).not.toContain(b64("iamapikey").slice(0, 8));
  });

  it("detects a stalled watch and resumes it, replaying what it missed", async () => {
    const { w, changes } = start();
    await until("watches up", () => ready(w), 5_000);
    h.sim.setFaults({ stallWatches: true });
    await new Promise((r) => setTimeout(r, 50));
    expect((await h.gateway().probe("c1")).status).toBe("reachable");
    await createNamespace("during-stall");
    await new Promise((r) => setTimeout(r, 100));
    expect(seen(changes, "namespaces", "during-stall")).toBeUndefined();
    h.sim.setFaults({});
    const change = await until("namespace after the stall", () => seen(changes, "namespaces", "during-stall"), 3 * BOOKMARK_MS * 3 + 2_000);
    expect(change.via).toBe("watch");
    expect(w.health().find((x) => x.resource === "namespaces")!.stalls).toBeGreaterThanOrEqual(1);
  });

  it("finds what a watch that stays stalled misses within the relist period", async () => {
    const relistMs = 1_500;
    const { w, changes } = start({ relistIntervalMs: relistMs });
    await until("watches up", () => ready(w), 5_000);
    h.sim.setFaults({ stallWatches: true });
    const created = Date.now();
    await createNamespace("stalled-for-good");
    const change = await until("namespace by relist", () => seen(changes, "namespaces", "stalled-for-good"), relistMs + 2_000);
    expect(change.via).toBe("list");
    expect(change.firstList).toBeUndefined();
    expect(Date.now() - created).toBeLessThan(relistMs + 2_000);
  });

  it("relists after 410 Expired and reports deletions it learns from the diff", async () => {
    const { w, changes } = start();
    await until("watches up", () => ready(w), 5_000);
    await createNamespace("to-be-deleted");
    await until("namespace added", () => seen(changes, "namespaces", "to-be-deleted"), 3_000);
    h.sim.setFaults({ stallWatches: true });
    expect(await api("DELETE", "/api/v1/namespaces/to-be-deleted")).toBe(200);
    h.sim.compactHistory!();
    h.sim.setFaults({});
    const deleted = await until("deletion via relist", () => seen(changes, "namespaces", "to-be-deleted", "deleted"), 3_000);
    expect(deleted.via).toBe("list");
    expect(deleted.firstList).toBeUndefined();
    expect(w.health().find((x) => x.resource === "namespaces")!.expired).toBeGreaterThanOrEqual(1);
  });

  it("keeps retrying with back-off what it may not read, watches the rest, and closes at once", async () => {
    const { w } = start({ user: "no-secrets" });
    await until("secrets retried", () => w.health().filter((x) => x.resource === "secrets").every((x) => x.errors >= 2), 5_000);
    const secrets = w.health().find((x) => x.resource === "secrets")!;
    expect(secrets.lastError).toMatch(/forbidden|cannot list/i);
    expect(w.health().find((x) => x.resource === "namespaces")!.state).toBe("watching");
    const closing = Date.now();
    await w.close();
    expect(Date.now() - closing).toBeLessThan(1_000);
    expect(w.health().every((x) => x.state === "stopped")).toBe(true);
  });
});
