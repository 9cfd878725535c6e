import { afterEach, describe, expect, it } from "vitest";
import type { ServerResponse } from "node:http";
import { EventEmitter } from "node:events";
import { KubeApi, type ApiRequest } from "./api";
import { Store } from "./store";
import { seedStore } from "./seed";
import { STORED, type ResourceDef } from "./resources";
import { KubeStatusError } from "./status";

const apis: KubeApi[] = [];
function setup(objects: unknown[] = []) {
  const store = new Store();
  seedStore(store, objects);
  const api = new KubeApi(store, { namespaceDeletionDelayMs: 5 });
  apis.push(api);
  return { store, api };
}
afterEach(() => apis.splice(0).forEach((a) => a.close()));

function req(def: ResourceDef, o: Partial<ApiRequest> & { json?: unknown; type?: string } = {}): ApiRequest {
  const body = o.json === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(o.json));
  return { verb: "", def, query: new URLSearchParams(), headers: { "content-type": o.type ?? "application/json" }, body, ...o };
}
const q = (s: string) => new URLSearchParams(s);
function statusOf(fn: () => unknown): KubeStatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof KubeStatusError) return e;
    throw e;
  }
  throw new Error("expected a KubeStatusError");
}

const ns = (name: string, labels?: Record<string, string>) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
const { namespaces, secrets, serviceaccounts, pods } = STORED;

describe("KubeApi lists", () => {
  it("pages with limit/continue in key order and reports remainingItemCount", () => {
    const { api } = setup(["a", "b", "c", "d", "e"].map((n) => ns(`ns-${n}`)));
    const first = api.list(req(namespaces, { query: q("limit=3") })).body as any;
    expect(first.items.map((i: any) => i.metadata.name)).toEqual(["default", "kube-node-lease", "kube-public"]);
    expect(first.metadata.remainingItemCount).toBe(6);
    const names: string[] = first.items.map((i: any) => i.metadata.name);
    let cont = first.metadata.continue;
    while (cont) {
      const page = api.list(req(namespaces, { query: q(`limit=3&continue=${cont}`) })).body as any;
      names.push(...page.items.map((i: any) => i.metadata.name));
      cont = page.metadata.continue;
    }
    expect(names).toEqual(["default", "kube-node-lease", "kube-public", "kube-system", "ns-a", "ns-b", "ns-c", "ns-d", "ns-e"]);
    expect(statusOf(() => api.list(req(namespaces, { query: q("continue=garbage") }))).code).toBe(400);
  });

  it("pages a filtered list, cluster-wide and in one namespace, to exactly the unpaged result", () => {
    const secret = (namespace: string, name: string, team: string) => ({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace, labels: { team } }, type: "Opaque", data: {} });
    const objects = ["ns-a", "ns-b", "ns-c"].flatMap((n, i) => [ns(n), ...Array.from({ length: 7 }, (_, j) => secret(n, `s-${j}`, (i + j) % 3 === 0 ? "web" : "data"))]);
    const { api } = setup(objects);
    const names = (body: any) => body.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`);
    for (const [namespace, selector] of [[undefined, "labelSelector=team%3Dweb"], [undefined, ""], ["ns-b", "labelSelector=team%3Dweb"], ["ns-b", ""]] as const) {
      const whole = names(api.list(req(secrets, { namespace, query: q(selector) })).body);
      for (const limit of [1, 2, 5, 100]) {
        const paged: string[] = [];
        let cont: string | undefined;
        do {
          const page = api.list(req(secrets, { namespace, query: q(`${selector}&limit=${limit}${cont ? `&continue=${cont}` : ""}`) })).body as any;
          expect(page.items.length).toBeLessThanOrEqual(limit);
          paged.push(...names(page));
          cont = page.metadata.continue;
          // A continue token only when more matching items follow; remainingItemCount only without selectors.
          if (cont) expect(page.items.length).toBe(limit);
          expect(page.metadata.remainingItemCount === undefined).toBe(selector !== "" || !cont);
        } while (cont);
        expect(paged).toEqual(whole);
      }
      expect(whole.length).toBeGreaterThan(0);
    }
  });

  it("filters by label selector and returns list items without kind", () => {
    const { api } = setup([ns("web-1", { team: "web" }), ns("data-1", { team: "data" })]);
    const body = api.list(req(namespaces, { query: q("labelSelector=team%3Dweb") })).body as any;
    expect(body.kind).toBe("NamespaceList");
    expect(body.items).toHaveLength(1);
    expect(body.items[0].kind).toBeUndefined();
    expect(body.items[0].metadata.labels).toEqual({ team: "web", "kubernetes.io/metadata.name": "web-1" });
  });

  it("serves tables with PartialObjectMetadata rows", () => {
    const { api } = setup();
    const t = api.list(req(namespaces, { headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" } })).body as any;
    expect(t.kind).toBe("Table");
    expect(t.columnDefinitions.map((c: any) => c.name)).toEqual(["Name", "Status", "Age"]);
    expect(t.rows[0].cells.slice(0, 2)).toEqual(["default", "Active"]);
    expect(t.rows[0].object.kind).toBe("PartialObjectMetadata");
  });
});

describe("KubeApi writes", () => {
  it("creates a namespace with its default service account and a global resourceVersion", () => {
    const { api, store } = setup();
    const before = store.rv;
    const created = api.create(req(namespaces, { json: { metadata: { name: "team-x" } } }));
    expect(created.status).toBe(201);
    expect((created.body as any).spec).toEqual({ finalizers: ["kubernetes"] });
    expect(Number((created.body as any).metadata.resourceVersion)).toBe(before + 1);
    expect(store.get("serviceaccounts", "team-x", "default")?.metadata.resourceVersion).toBe(String(before + 2));
    expect(statusOf(() => api.create(req(namespaces, { json: { metadata: { name: "team-x" } } }))).reason).toBe("AlreadyExists");
  });

  it("rejects resourceVersion on create with the storage error", () => {
    const { api } = setup();
    const e = statusOf(() => api.create(req(secrets, { namespace: "default", json: { metadata: { name: "s", resourceVersion: "12" } } })));
    expect(e.code).toBe(500);
    expect(e.message).toBe("resourceVersion should not be set on objects to be created");
  });

  it("merges stringData into data, defaults type, and honours dryRun", () => {
    const { api, store } = setup();
    const dry = api.create(req(secrets, { namespace: "default", query: q("dryRun=All"), json: { metadata: { name: "s" }, data: { a: "eA==" }, stringData: { a: "bar", b: "c" } } }));
    expect((dry.body as any).data).toEqual({ a: "YmFy", b: "Yw==" });
    expect((dry.body as any).type).toBe("Opaque");
    expect((dry.body as any).stringData).toBeUndefined();
    expect(store.get("secrets", "default", "s")).toBeUndefined();
  });

  it("rejects bad base64, unknown fields under Strict, and namespace mismatches", () => {
    const { api } = setup();
    expect(statusOf(() => api.create(req(secrets, { namespace: "default", json: { metadata: { name: "s" }, data: { a: "!!!" } } }))).message).toMatch(/illegal base64 data at input byte 0/);
    const strict = statusOf(() => api.create(req(secrets, { namespace: "default", query: q("fieldValidation=Strict"), json: { metadata: { name: "s", colour: 1 }, x: 1 } })));
    expect(strict.message).toBe('Secret in version "v1" cannot be handled as a Secret: strict decoding error: unknown field "metadata.colour", unknown field "x"');
    const warn = api.create(req(secrets, { namespace: "default", json: { metadata: { name: "w" }, x: 1 } }));
    expect(warn.headers?.Warning).toBe('299 - "unknown field \\"x\\""');
    expect((warn.body as any).x).toBeUndefined();
    expect(statusOf(() => api.create(req(secrets, { namespace: "default", json: { metadata: { name: "s", namespace: "other" } } }))).code).toBe(400);
  });

  it("409s a stale PUT and does not bump resourceVersion on no-op patches", () => {
    const { api } = setup();
    const created = api.create(req(secrets, { namespace: "default", json: { metadata: { name: "s" }, stringData: { a: "1" } } })).body as any;
    const updated = api.update(req(secrets, { namespace: "default", name: "s", json: { ...created, data: { a: "Mg==" } } })).body as any;
    expect(updated.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
    const stale = statusOf(() => api.update(req(secrets, { namespace: "default", name: "s", json: { ...created, data: { a: "Mw==" } } })));
    expect(stale.message).toBe('Operation cannot be fulfilled on secrets "s": the object has been modified; please apply your changes to the latest version and try again');
    const noop = api.patch(req(secrets, { namespace: "default", name: "s", type: "application/merge-patch+json", json: { data: { a: "Mg==" } } }), false).body as any;
    expect(noop.metadata.resourceVersion).toBe(updated.metadata.resourceVersion);
    expect(statusOf(() => api.patch(req(secrets, { namespace: "default", name: "s", type: "application/json", json: {} }), false)).code).toBe(415);
    expect(statusOf(() => api.update(req(secrets, { namespace: "default", name: "s", json: { ...updated, type: "kubernetes.io/tls" } }))).message).toMatch(/type: Invalid value: "kubernetes.io\/tls": field is immutable/);
  });

  it("copies the service account's pull secrets into new pods and requires the service account", () => {
    const { api } = setup([{ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: "default" }, imagePullSecrets: [{ name: "reg" }] }]);
    const pod = api.create(req(pods, { namespace: "default", json: { metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "us.icr.io/a/b:1" }] } } })).body as any;
    expect(pod.spec.imagePullSecrets).toEqual([{ name: "reg" }]);
    expect(pod.spec.containers[0].imagePullPolicy).toBe("IfNotPresent");
    const e = statusOf(() => api.create(req(pods, { namespace: "default", json: { metadata: { name: "q" }, spec: { serviceAccountName: "ghost", containers: [{ name: "c", image: "x" }] } } })));
    expect(e.message).toBe('pods "q" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found');
  });

  it("terminates a namespace, forbids new content, then purges it", async () => {
    const { api, store } = setup([ns("doomed"), { apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "doomed" } }]);
    const r = api.delete(req(namespaces, { name: "doomed" })).body as any;
    expect(r.status.phase).toBe("Terminating");
    expect(r.metadata.deletionTimestamp).toBeDefined();
    const e = statusOf(() => api.create(req(secrets, { namespace: "doomed", json: { metadata: { name: "t" } } })));
    expect(e.message).toBe('secrets "t" is forbidden: unable to create new content in namespace doomed because it is being terminated');
    expect(statusOf(() => api.delete(req(namespaces, { name: "doomed" }))).reason).toBe("Conflict");
    await new Promise((res) => setTimeout(res, 30));
    expect(store.get("namespaces", undefined, "doomed")).toBeUndefined();
    expect(store.list("secrets", "doomed")).toEqual([]);
    expect(statusOf(() => api.delete(req(namespaces, { name: "kube-system" }))).message).toBe('namespaces "kube-system" is forbidden: this namespace may not be deleted');
  });

  it("answers deletes with a Status for secrets and the object for service accounts, and recreates default", () => {
    const { api, store } = setup([{ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "default" } }]);
    expect(api.delete(req(secrets, { namespace: "default", name: "s" })).body).toMatchObject({ kind: "Status", status: "Success", details: { name: "s", kind: "secrets" } });
    const uid = store.get("serviceaccounts", "default", "default")!.metadata.uid;
    expect((api.delete(req(serviceaccounts, { namespace: "default", name: "default" })).body as any).kind).toBe("ServiceAccount");
    expect(store.get("serviceaccounts", "default", "default")!.metadata.uid).not.toBe(uid);
  });
});

class FakeResponse extends EventEmitter {
  chunks: string[] = [];
  writeHead() {
    return this;
  }
  flushHeaders() {}
  write(c: string) {
    this.chunks.push(c);
    return true;
  }
  end(c?: string) {
    if (c) this.chunks.push(c);
    this.emit("close");
  }
  destroy() {
    this.emit("close");
  }
  events() {
    return this.chunks.join("").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  }
}

describe("KubeApi watch", () => {
  it("resumes from a resourceVersion and applies field selectors", () => {
    const { api, store } = setup();
    const rv = store.rv;
    api.create(req(namespaces, { json: { metadata: { name: "w1" } } }));
    const res = new FakeResponse();
    api.watch(req(namespaces, { query: q(`watch=true&resourceVersion=${rv}&fieldSelector=metadata.name%3Dw1`) }), res as unknown as ServerResponse);
    api.create(req(namespaces, { json: { metadata: { name: "w2" } } }));
    api.patch(req(namespaces, { name: "w1", type: "application/merge-patch+json", json: { metadata: { labels: { a: "b" } } } }), false);
    expect(res.events().map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED w1", "MODIFIED w1"]);
    res.destroy();
  });

  it("sends synthetic ADDED events without a resourceVersion and 410 for history that is gone", () => {
    const { api, store } = setup();
    const res = new FakeResponse();
    api.watch(req(namespaces, { query: q("watch=true") }), res as unknown as ServerResponse);
    expect(res.events()).toHaveLength(4);
    res.destroy();
    store.oldestRv = store.rv;
    const old = new FakeResponse();
    api.watch(req(namespaces, { query: q("watch=true&resourceVersion=1") }), old as unknown as ServerResponse);
    expect(old.events()[0]).toMatchObject({ type: "ERROR", object: { code: 410, reason: "Expired" } });
  });
});
