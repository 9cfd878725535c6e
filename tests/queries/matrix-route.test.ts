/**
 * GET /api/clusters/:cluster/matrix, the coverage matrix's pages, as the browser calls it: the route handler over the
 * demo fleet's simulators (regional, and large with a few hundred namespaces), with real sessions. It refuses callers
 * without a session or without the cluster in their scope, answers one page of the view in the query string with its
 * counts (never the whole cluster), and lists every matching namespace for select-all.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { MatrixNamesResponse, MatrixPageResponse } from "@/lib/api/matrix-query";
import type { Role } from "@/lib/auth/permissions";
import { startAppEnvironment, type AppEnvironment } from "../support/app-environment";

const request = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", async () => (await import("../support/next-request")).nextHeaders(request));

const LARGE_NAMESPACES = 300;
const PASSWORD = "matrix route test passphrase";

let app: AppEnvironment;
let GET: (request: Request, context: { params: Promise<{ cluster: string }> }) => Promise<Response>;
let cookies: { all: string; regionalOnly: string };

async function signedIn(role: Role, clusters: string[] | null): Promise<string> {
  const { authService } = await import("@/lib/auth/service");
  const { users, auth } = await authService();
  const email = `${role}-${clusters?.join("-") ?? "all"}@example.com`;
  await users.createLocalUser({ email, name: email, role, clusters, password: PASSWORD });
  const { headers } = await auth.api.signInEmail({ body: { email, password: PASSWORD }, returnHeaders: true });
  return headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
}

async function call(cluster: string, search: string, cookie?: string): Promise<Response> {
  const headers = new Headers({ "x-pullkeeper-client-address": "198.51.100.7", ...(cookie ? { cookie } : {}) });
  request.headers = headers;
  const url = `http://pullkeeper.test/api/clusters/${encodeURIComponent(cluster)}/matrix${search ? `?${search}` : ""}`;
  return GET(new Request(url, { headers }), { params: Promise.resolve({ cluster }) });
}

async function page(cluster: string, search: string, cookie = cookies.all): Promise<MatrixPageResponse> {
  const response = await call(cluster, search, cookie);
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  return (await response.json()) as MatrixPageResponse;
}

beforeAll(async () => {
  app = await startAppEnvironment({ name: "matrix-route", fleet: { clusters: ["regional", "large"], largeNamespaceCount: LARGE_NAMESPACES } });
  // Imported only now: the environment is read once, on first use.
  ({ GET } = await import("@/app/api/clusters/[cluster]/matrix/route"));
  cookies = { all: await signedIn("viewer", null), regionalOnly: await signedIn("viewer", ["regional"]) };
});

afterAll(async () => {
  await app?.close();
});

describe("who may read the matrix", () => {
  it("answers 401 without a session and 403 for a cluster outside the user's scope", async () => {
    expect((await call("large", "")).status).toBe(401);
    const refused = await call("large", "", cookies.regionalOnly);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ kind: "forbidden" });
    expect((await call("regional", "", cookies.regionalOnly)).status).toBe(200);
  });

  it("answers 404 for a cluster that is not configured", async () => {
    expect((await call("nowhere", "", cookies.all)).status).toBe(404);
  });
});

describe("pages of a view", () => {
  it("sends one page of the cluster with the totals, not every row", async () => {
    const first = await page("large", "");
    expect(first.total).toBeGreaterThanOrEqual(LARGE_NAMESPACES);
    expect(first).toMatchObject({ cluster: "large", filtered: first.total, page: 1, pageSize: 50, pageCount: Math.ceil(first.total / 50), selectorError: null });
    expect(first.rows).toHaveLength(50);
    expect(first.stateCounts.any).toBe(first.total);
    const names = first.rows.map(([name]) => name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));

    const third = await page("large", "page=3&size=100");
    expect(third.page).toBe(3);
    expect(third.rows).toHaveLength(100);
    const all = await page("large", "size=250&page=1");
    const rest = await page("large", "size=250&page=2");
    expect(third.rows.map(([name]) => name)).toEqual([...all.rows, ...rest.rows].slice(200, 300).map(([name]) => name));
    // Past the end: the last page.
    expect((await page("large", "page=999")).page).toBe(first.pageCount);
  });

  it("filters and sorts on the server, counting each state the menu offers", async () => {
    const regional = await page("regional", "state=missing&domain=us.icr.io");
    const names = regional.rows.map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining(["ml-training", "shipping", "sandbox", "qa"]));
    expect(names).not.toContain("payments");
    expect(regional.filtered).toBe(regional.stateCounts.missing);
    expect(regional.filtered).toBeLessThan(regional.total);

    const prod = await page("large", "selector=env%3Dprod");
    expect(prod.filtered).toBeGreaterThan(0);
    expect(prod.filtered).toBeLessThan(prod.total);
    expect(prod.labelPairs).toContain("env=prod");
    const worstFirst = await page("large", "sort=coverage&dir=asc&size=250");
    const covered = worstFirst.rows.map(([, cells]) => cells.split("").filter((c, i) => i % 2 === 0 && c === "C").length);
    expect(covered).toEqual([...covered].sort((a, b) => a - b));

    const bad = await page("large", "selector=env%3D%3D%3D");
    expect(bad.selectorError).toBeTruthy();
    expect(bad.filtered).toBe(bad.total);
  });

  it("lists every namespace a filter matches for select-all, in name order", async () => {
    const prod = await page("large", "selector=env%3Dprod&state=not_covered");
    const response = await call("large", "selector=env%3Dprod&state=not_covered&names=1", cookies.all);
    expect(response.status).toBe(200);
    const body = (await response.json()) as MatrixNamesResponse;
    expect(body.namespaces).toHaveLength(prod.filtered);
    expect(body.namespaces.slice(0, prod.rows.length)).toEqual(prod.rows.map(([name]) => name));
    expect((await call("large", "names=1", cookies.regionalOnly)).status).toBe(403);
  });
});
