import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeSim, type KubeSim } from "./index";

/** Watch streams over HTTP: bookmarks, the stall fault, compaction and the expired-resume fault. */

let sim: KubeSim;

beforeAll(async () => {
  sim = await startKubeSim({ name: "watch-test", tls: false, watchBookmarkIntervalMs: 60 });
});
afterAll(async () => {
  await sim?.close();
});

interface Stream {
  events: any[];
  ended: boolean;
  close(): void;
}

function watch(path: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(sim.url + path, { headers: { Authorization: `Bearer ${sim.tokens.admin}` } }, (res) => {
      const stream: Stream = { events: [], ended: false, close: () => req.destroy() };
      let buf = "";
      res.on("data", (c: Buffer) => {
        buf += c.toString();
        let i: number;
        while ((i = buf.indexOf("\n")) >= 0) {
          stream.events.push(JSON.parse(buf.slice(0, i)));
          buf = buf.slice(i + 1);
        }
      });
      res.on("end", () => (stream.ended = true));
      res.on("error", () => (stream.ended = true));
      resolve(stream);
    });
    req.on("error", (e) => ((e as NodeJS.ErrnoException).code === "ECONNRESET" ? undefined : reject(e)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const createNamespace = (name: string) =>
  fetch(`${sim.url}/api/v1/namespaces`, {
    method: "POST",
    headers: { Authorization: `Bearer ${sim.tokens.admin}`, "Content-Type": "application/json" },
    body: JSON.stringify({ metadata: { name } }),
  });
const currentRv = async () => (await (await fetch(`${sim.url}/api/v1/namespaces`, { headers: { Authorization: `Bearer ${sim.tokens.admin}` } })).json()).metadata.resourceVersion as string;

describe("watch", () => {
  it("sends BOOKMARKs with only kind, apiVersion and the current resourceVersion when asked", async () => {
    const rv = await currentRv();
    const s = await watch(`/api/v1/namespaces?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`);
    const plain = await watch(`/api/v1/namespaces?watch=true&resourceVersion=${rv}`);
    await sleep(200);
    await createNamespace("bm-1");
    await sleep(150);
    s.close();
    plain.close();
    const bookmarks = s.events.filter((e) => e.type === "BOOKMARK");
    expect(bookmarks.length).toBeGreaterThanOrEqual(3);
    expect(bookmarks[0]).toEqual({ type: "BOOKMARK", object: { kind: "Namespace", apiVersion: "v1", metadata: { resourceVersion: rv } } });
    const last = bookmarks.at(-1)!;
    expect(Number(last.object.metadata.resourceVersion)).toBeGreaterThan(Number(rv));
    expect(s.events.some((e) => e.type === "ADDED" && e.object.metadata.name === "bm-1")).toBe(true);
    expect(plain.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED bm-1"]);
  });

  it("stalls open watches for good: no events, no bookmarks, no timeout close, even after the fault is cleared", async () => {
    const rv = await currentRv();
    const s = await watch(`/api/v1/namespaces?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=1`);
    await sleep(100);
    sim.setFaults({ stallWatches: true });
    const countAtStall = s.events.length;
    await createNamespace("stall-1");
    sim.setFaults({});
    await createNamespace("stall-2");
    await sleep(1300);
    expect(s.events.length).toBe(countAtStall);
    expect(s.ended).toBe(false);
    s.close();
    const fresh = await watch(`/api/v1/namespaces?watch=true&resourceVersion=${rv}`);
    await sleep(100);
    fresh.close();
    expect(fresh.events.map((e) => e.object.metadata.name)).toEqual(expect.arrayContaining(["stall-1", "stall-2"]));
  });

  it("answers 410 Expired to resumes after a compaction, and to every resume under the fault", async () => {
    const rv = await currentRv();
    await createNamespace("compact-1");
    sim.compactHistory!();
    const old = await watch(`/api/v1/namespaces?watch=true&resourceVersion=${rv}`);
    await sleep(100);
    expect(old.events).toEqual([{ type: "ERROR", object: expect.objectContaining({ kind: "Status", code: 410, reason: "Expired" }) }]);
    expect(old.ended).toBe(true);
    const now = await currentRv();
    const ok = await watch(`/api/v1/namespaces?watch=true&resourceVersion=${now}`);
    sim.setFaults({ watchResumeExpired: true });
    const refused = await watch(`/api/v1/namespaces?watch=true&resourceVersion=${now}`);
    await sleep(100);
    sim.setFaults({});
    expect(refused.events[0].object.message).toBe(`too old resource version: ${now} (${Number(now) + 1})`);
    expect(ok.ended).toBe(false);
    ok.close();
    const res = await fetch(`${sim.url}/_sim/compact`, { method: "POST", headers: { Authorization: `Bearer ${sim.controlToken}` } });
    expect(await res.json()).toEqual({ resourceVersion: Number(now), oldestResourceVersion: Number(now) });
  });

  it("serves metadata-only lists and watches for PartialObjectMetadata clients", async () => {
    const auth = { Authorization: `Bearer ${sim.tokens.admin}`, "Content-Type": "application/json" };
    await fetch(`${sim.url}/api/v1/namespaces/default/secrets`, { method: "POST", headers: auth, body: JSON.stringify({ metadata: { name: "meta-1" }, stringData: { password: "hidden" } }) });
    const list = await (await fetch(`${sim.url}/api/v1/secrets`, { headers: { ...auth, Accept: "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json" } })).json();
    expect(list.kind).toBe("PartialObjectMetadataList");
    expect(list.items[0]).toEqual({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: expect.objectContaining({ name: "meta-1", namespace: "default" }) });
    const rv = list.metadata.resourceVersion;
    const stream = await new Promise<Stream>((resolve) => {
      const req = http.get(`${sim.url}/api/v1/secrets?watch=true&resourceVersion=${rv}`, { headers: { ...auth, Accept: "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json" } }, (res) => {
        const s: Stream = { events: [], ended: false, close: () => req.destroy() };
        res.on("data", (c: Buffer) => s.events.push(...c.toString().trim().split("\n").map((l) => JSON.parse(l))));
        resolve(s);
      });
    });
    await fetch(`${sim.url}/api/v1/namespaces/default/secrets`, { method: "POST", headers: auth, body: JSON.stringify({ metadata: { name: "meta-2" }, stringData: { password: "hidden" } }) });
    await sleep(100);
    stream.close();
    expect(stream.events).toEqual([{ type: "ADDED", object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: expect.objectContaining({ name: "meta-2" }) } }]);
  });
});

describe("a watch that ends while its client has not read what was sent", () => {
  it("sends nothing after its end (no bookmark, no event), and the simulator keeps serving", async () => {
    // 20,000 namespaces: the first list of a watch from resourceVersion 0 is megabytes, more than the sockets buffer, so
    // the end of the stream waits for a client that does not read, while bookmarks fall due every 10 ms. A write then
    // was an unhandled 'error' that stopped the whole simulator (seen in a full end-to-end run).
    const objects = Array.from({ length: 20_000 }, (_, index) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: `backlog-${index}` } }));
    const busy = await startKubeSim({ name: "watch-backlog", tls: false, watchBookmarkIntervalMs: 10, objects });
    try {
      const socketClosed = new Promise<void>((resolve) => {
        const req = http.get(`${busy.url}/api/v1/namespaces?watch=true&resourceVersion=0&allowWatchBookmarks=true&timeoutSeconds=1`, { headers: { Authorization: `Bearer ${busy.tokens.admin}` } }, (res) => {
          res.pause();
          // Start reading long after the end and the bookmarks that fell due meanwhile.
          setTimeout(() => res.resume(), 2_500);
          res.on("end", () => resolve());
          res.on("error", () => resolve());
        });
        req.on("error", () => resolve());
      });
      await socketClosed;
      const answer = await fetch(`${busy.url}/api/v1/namespaces/backlog-0`, { headers: { Authorization: `Bearer ${busy.tokens.admin}` } });
      expect(answer.status).toBe(200);
    } finally {
      await busy.close();
    }
  }, 60_000);
});
