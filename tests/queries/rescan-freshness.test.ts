/**
 * Rescans that reflect the cluster as it is after the click, over the route handlers and the demo fleet's simulator,
 * with real sessions: a Rescan clicked while a scan that started earlier is still running answers with a scan started
 * after the click (the namespace just created is in it), and concurrent rescans share that one; a namespace newer than
 * the cached scan is found by one fresh scan (at most one per 30 s per cluster, so a mistyped address cannot force
 * scans), and a namespace that is nowhere is reported with the time of the scan looked in. SQLite only: the scan cache
 * is the process's memory, not the store.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { KubeGateway } from "@/lib/kube/port";
import { startAppEnvironment, type AppEnvironment } from "../support/app-environment";
import { call as simCall } from "../support/sim-workloads";

const request = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", async () => (await import("../support/next-request")).nextHeaders(request));

const CLUSTER = "regional";
const PASSWORD = "rescan freshness test passphrase";
type Context<P> = { params: Promise<P> };

let app: AppEnvironment;
let cookie: string;
let root: typeof import("@/lib/server/root");
let rescanRoute: (request: Request, context: Context<{ cluster: string }>) => Promise<Response>;
let namespaceRoute: (request: Request, context: Context<{ cluster: string; namespace: string }>) => Promise<Response>;

beforeAll(async () => {
  app = await startAppEnvironment({ name: "rescan-freshness", fleet: { clusters: [CLUSTER] }, env: { PULLKEEPER_SCAN_RATE_LIMIT_PER_MINUTE: "6" } });
  root = await import("@/lib/server/root");
  ({ POST: rescanRoute } = await import("@/app/api/clusters/[cluster]/scan/route"));
  ({ GET: namespaceRoute } = await import("@/app/api/clusters/[cluster]/namespaces/[namespace]/route"));
  const { authService } = await import("@/lib/auth/service");
  const { users, auth } = await authService();
  await users.createLocalUser({ email: "operator@example.com", name: "Operator", role: "operator", clusters: null, password: PASSWORD });
  const { headers } = await auth.api.signInEmail({ body: { email: "operator@example.com", password: PASSWORD }, returnHeaders: true });
  cookie = headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
});

afterAll(async () => {
  await app?.close();
});

function headers(): Headers {
  const h = new Headers({ "x-pullkeeper-client-address": "198.51.100.9", cookie, origin: "http://pullkeeper.test" });
  request.headers = h;
  return h;
}
const rescan = () => rescanRoute(new Request(`http://pullkeeper.test/api/clusters/${CLUSTER}/scan`, { method: "POST", headers: headers() }), { params: Promise.resolve({ cluster: CLUSTER }) });
const namespaceCoverage = (namespace: string) =>
  namespaceRoute(new Request(`http://pullkeeper.test/api/clusters/${CLUSTER}/namespaces/${namespace}`, { headers: headers() }), { params: Promise.resolve({ cluster: CLUSTER, namespace }) });

interface Hold {
  /** Resolved once the held read has read the cluster. */
  readDone: Promise<void>;
  markRead: () => void;
  release: () => void;
}

/** Counts inventory reads, and holds the next one (after it read the cluster) until released. */
function instrument(kube: KubeGateway) {
  const read = kube.readPullSecretInventory;
  const state = { reads: 0, hold: null as null | Hold };
  kube.readPullSecretInventory = async (...args) => {
    state.reads++;
    const held = state.hold;
    state.hold = null;
    const inventory = await read(...args);
    if (held) {
      held.markRead();
      await new Promise<void>((resolve) => (held.release = resolve));
    }
    return inventory;
  };
  return {
    state,
    holdNext() {
      let markRead!: () => void;
      const readDone = new Promise<void>((resolve) => (markRead = resolve));
      const hold: Hold = { readDone, release: () => {}, markRead };
      state.hold = hold;
      return hold;
    },
    restore: () => (kube.readPullSecretInventory = read),
  };
}

describe("rescans and namespaces newer than the scan", () => {
  it("answers a Rescan clicked during an older scan with a scan started after the click, shared by concurrent clicks", async () => {
    const scans = root.serverRoot().scans();
    const spy = instrument(root.serverRoot().ports().kube);
    try {
      scans.invalidate(CLUSTER);
      const hold = spy.holdNext();
      const older = scans.get(CLUSTER);
      await hold.readDone;
      // The older scan has read the cluster; the user now creates a namespace and clicks Rescan twice.
      await simCall(app.fleet.sims[0]!, "POST", "/api/v1/namespaces", { metadata: { name: "made-before-the-click" } });
      const readsBefore = spy.state.reads;
      const clicks = [rescan(), rescan()];
      await new Promise((r) => setTimeout(r, 200));
      expect(spy.state.reads).toBe(readsBefore);
      hold.release();
      expect((await older).value.inventory?.namespaces.some((ns) => ns.name === "made-before-the-click")).toBe(false);
      const answers = await Promise.all(clicks);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      expect(spy.state.reads).toBe(readsBefore + 1);
      expect(scans.peek(CLUSTER)?.value.inventory?.namespaces.some((ns) => ns.name === "made-before-the-click")).toBe(true);
    } finally {
      spy.restore();
    }
  });

  it("finds a namespace newer than the cached scan with one fresh scan, and scans at most once per 30 s for names that are nowhere", async () => {
    const scans = root.serverRoot().scans();
    await scans.get(CLUSTER);
    const spy = instrument(root.serverRoot().ports().kube);
    try {
      await simCall(app.fleet.sims[0]!, "POST", "/api/v1/namespaces", { metadata: { name: "newer-than-the-scan" } });
      const found = await namespaceCoverage("newer-than-the-scan");
      expect(found.status).toBe(200);
      expect(spy.state.reads).toBe(1);
      // A mistyped address right after: no scan, a 404 naming the scan's time.
      const missing = await namespaceCoverage("no-such-namespace");
      expect(missing.status).toBe(404);
      const body = (await missing.json()) as { error: string; scannedAt: string };
      expect(body.error).toBe(`Namespace no-such-namespace is not in the scan of ${CLUSTER} from ${body.scannedAt}. Rescan the cluster.`);
      expect((await namespaceCoverage("still-no-such-namespace")).status).toBe(404);
      expect(spy.state.reads).toBe(1);
    } finally {
      spy.restore();
    }
  });

  it("keeps the per-user rescan limit", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await rescan()).status);
    // Two were used by the first test: the limit is 6 a minute.
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(statuses.slice(4)).toEqual([429, 429]);
  });
});
