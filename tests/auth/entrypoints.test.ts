/**
 * Every way into the server, found on disk, called without a session: route
 * handlers (app/**\/route.ts), server actions (every export of every "use server"
 * module) and pages (app/**\/page.tsx). A new one cannot be forgotten: it is
 * picked up here and must refuse anonymous callers unless public-entrypoints.ts
 * lists it with a reason.
 *
 * How the Next request scope is stood in for: `next/headers` is mocked so
 * `headers()` returns the headers of the simulated request (with or without a
 * session cookie) and `cookies()` a small in-memory store; `next/cache`'s
 * revalidation calls become no-ops. Sessions are real: users are created and
 * signed in through better-auth against a scratch SQLite database that the
 * process-wide services (lib/db, lib/auth, lib/audit) are configured to use.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";

const request = vi.hoisted(() => {
  const dir = `/tmp/pullkeeper-entrypoints-${process.pid}-${Date.now()}`;
  process.env.DATABASE_URL = `file:${dir}/pullkeeper.db`;
  process.env.AUTH_SECRET = "entrypoints-test-secret-0123456789abcdef";
  process.env.PULLKEEPER_PUBLIC_URL = "http://pullkeeper.test";
  process.env.LOG_LEVEL = "silent";
  return { dir, headers: new Headers(), cookies: new Map<string, string>() };
});

vi.mock("next/headers", async () => (await import("../support/next-request")).nextHeaders(request));

vi.mock("next/cache", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/cache")>()),
  revalidatePath: () => undefined,
  revalidateTag: () => undefined,
  updateTag: () => undefined,
  refresh: () => undefined,
}));

import { action, actionGuard, SIGN_IN_REQUIRED, type ActionResult } from "@/lib/actions/safe-action";
import { auditStore } from "@/lib/audit";
import { PATH_HEADER } from "@/lib/auth/paths";
import { ROLE_PERMISSIONS, type Role } from "@/lib/auth/permissions";
import { withUser } from "@/lib/auth/route";
import { authService } from "@/lib/auth/service";
import { database } from "@/lib/db";
import { pageFiles, ROOT, routeFiles, routeParams, serverActionFiles } from "./discover";
import { PUBLIC_ACTIONS, PUBLIC_PAGES, PUBLIC_ROUTES } from "./public-entrypoints";

const PASSWORD = "entrypoint test passphrase";
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

async function load(file: string): Promise<Record<string, unknown>> {
  return import(/* @vite-ignore */ path.join(ROOT, file));
}

function anonymous(pathname = "/"): void {
  request.headers = new Headers({ [PATH_HEADER]: pathname, "x-pullkeeper-client-address": "198.51.100.200" });
  request.cookies.clear();
}

let userCount = 0;
/** Creates a user with the role and makes the simulated request carry their session cookie. */
async function signedInAs(role: Role, clusters: string[] | null = null): Promise<{ email: string; id: string }> {
  const { users, auth } = await authService();
  const email = `${role}-${++userCount}@example.com`;
  const created = await users.createLocalUser({ email, name: `${role} ${userCount}`, role, clusters, password: PASSWORD });
  const { headers } = await auth.api.signInEmail({ body: { email, password: PASSWORD }, returnHeaders: true });
  const cookie = headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
  request.headers = new Headers({ cookie, [PATH_HEADER]: "/", "x-pullkeeper-client-address": "198.51.100.201" });
  return { email, id: created.id };
}

/** Row counts of everything an entrypoint could change. */
async function snapshot() {
  const { prisma } = await database();
  const [users, sessions, accounts, operations, steps] = await Promise.all([
    prisma.user.count(),
    prisma.session.count(),
    prisma.account.count(),
    prisma.auditOperation.count(),
    prisma.auditStep.count(),
  ]);
  return { users, sessions, accounts, operations, steps };
}

async function deniedOperations(actor: string) {
  const store = await auditStore();
  return (await store.listOperations({ actor, kind: "access_denied" }, { limit: 50 })).items;
}

function redirectTarget(error: unknown): string | null {
  const digest = (error as { digest?: unknown })?.digest;
  if (typeof digest !== "string" || !digest.startsWith("NEXT_REDIRECT")) return null;
  return digest.split(";")[2] ?? null;
}

const discovered = { routes: routeFiles(), actions: serverActionFiles(), pages: pageFiles() };

beforeAll(async () => {
  await authService();
  // An admin exists so first-run setup is not what answers.
  await signedInAs("admin");
  anonymous();
});

afterAll(async () => {
  await (await database()).close();
  fs.rmSync(request.dir, { recursive: true, force: true });
});

describe("discovery", () => {
  it("finds the route handlers, server action modules and pages on disk", () => {
    expect(discovered.routes).toEqual(expect.arrayContaining(Object.keys(PUBLIC_ROUTES)));
    expect(discovered.actions.modules).toEqual(
      expect.arrayContaining(["lib/actions/auth/sign-in.ts", "lib/actions/auth/sign-out.ts", "lib/actions/users/create-user.ts"]),
    );
    expect(discovered.pages).toEqual(expect.arrayContaining(Object.keys(PUBLIC_PAGES)));
  });

  it("has no inline \"use server\" functions, which could not be enumerated", () => {
    expect(discovered.actions.inline).toEqual([]);
  });

  it("lists only public entrypoints that still exist", async () => {
    for (const key of Object.keys(PUBLIC_ACTIONS)) {
      const [file, name] = key.split("#") as [string, string];
      expect(discovered.actions.modules).toContain(file);
      expect(actionGuard((await load(file))[name])).toEqual({ kind: "public" });
    }
  });
});

describe("route handlers refuse anonymous requests", () => {
  const protectedRoutes = discovered.routes.filter((file) => !PUBLIC_ROUTES[file]);
  it.each(discovered.routes)("%s", async (file) => {
    const routeModule = await load(file);
    const methods = HTTP_METHODS.filter((method) => typeof routeModule[method] === "function");
    expect(methods.length).toBeGreaterThan(0);
    if (PUBLIC_ROUTES[file]) {
      expect(methods.every((method) => PUBLIC_ROUTES[file]!.methods.includes(method))).toBe(true);
      return;
    }
    const { url, params } = routeParams(file);
    for (const method of methods) {
      anonymous(url);
      const before = await snapshot();
      const handler = routeModule[method] as (request: Request, context: unknown) => Promise<Response>;
      const response = await handler(
        new Request(`http://pullkeeper.test${url}`, { method, ...(method === "GET" || method === "HEAD" ? {} : { body: "{}", headers: { "content-type": "application/json" } }) }),
        { params: Promise.resolve(params) },
      );
      expect(response.status, `${method} ${file}`).toBe(401);
      expect(await snapshot()).toEqual(before);
    }
  });
  it("counts what it checked", () => {
    expect(protectedRoutes.length + Object.keys(PUBLIC_ROUTES).length).toBe(discovered.routes.length);
  });
});

describe("server actions refuse anonymous callers and roles without the permission", () => {
  const exportsOf = async (file: string) => Object.entries(await load(file));

  it.each(discovered.actions.modules)("%s", async (file) => {
    const entries = await exportsOf(file);
    expect(entries.length).toBeGreaterThan(0);
    for (const [name, fn] of entries) {
      const id = `${file}#${name}`;
      expect(typeof fn, `${id} must be an async function`).toBe("function");
      const guard = actionGuard(fn);
      expect(guard, `${id} must be built with lib/actions/safe-action`).toBeDefined();
      if (guard!.kind === "public") {
        expect(PUBLIC_ACTIONS[id], `${id} is public but not listed in public-entrypoints.ts`).toBeDefined();
        continue;
      }
      const call = fn as (...args: unknown[]) => Promise<ActionResult<unknown>>;

      anonymous();
      const before = await snapshot();
      for (const args of [[{}], [new FormData()], [null, new FormData()], [{ cluster: "regional", userId: "x", role: "admin" }]]) {
        await expect(call(...args), id).resolves.toEqual({ ok: false, error: SIGN_IN_REQUIRED });
      }
      expect(await snapshot(), `${id} did something for an anonymous caller`).toEqual(before);

      if (guard!.kind !== "permission") continue;
      const lacking = (["viewer", "operator"] as const).find((role) => !ROLE_PERMISSIONS[role].includes(guard!.permission));
      if (!lacking) continue;
      const actor = await signedInAs(lacking);
      const beforeDenied = await snapshot();
      const result = await call({});
      expect(result.ok, `${id} let a ${lacking} through`).toBe(false);
      const after = await snapshot();
      expect({ ...after, operations: after.operations - 1 }).toMatchObject({ ...beforeDenied, steps: after.steps });
      const denied = await deniedOperations(actor.email);
      expect(denied).toHaveLength(1);
      expect(denied[0]).toMatchObject({ kind: "access_denied", actor: actor.email, actorRole: lacking, status: "failed" });
      expect(denied[0]!.parameters).toMatchObject({ permission: guard!.permission, via: "action" });
    }
  });
});

describe("pages send anonymous visitors to sign-in before doing anything", () => {
  it.each(discovered.pages)("%s", async (file) => {
    if (PUBLIC_PAGES[file]) return;
    const { url, params } = routeParams(file);
    anonymous(url);
    const before = await snapshot();
    const Page = (await load(file)).default as (props: unknown) => unknown;
    let thrown: unknown = null;
    try {
      await Page({ params: Promise.resolve(params), searchParams: Promise.resolve({}) });
    } catch (error) {
      thrown = error;
    }
    const target = redirectTarget(thrown);
    expect(target, `${file} rendered for an anonymous visitor; call requireUser() first`).not.toBeNull();
    expect(target).toMatch(/^\/sign-in/);
    expect(await snapshot()).toEqual(before);
  });
});

describe("a single sign-on user pending approval has no access until an admin approves", () => {
  it("every page sends them to /pending, every route answers 403, every action refuses; approval lets them in", async () => {
    const { prisma } = await database();
    const { id, email } = await signedInAs("viewer");
    await prisma.user.update({ where: { id }, data: { role: "pending" } });
    const pendingHeaders = request.headers;
    for (const file of discovered.pages.filter((page) => !PUBLIC_PAGES[page] && page !== "app/(auth)/pending/page.tsx")) {
      const { url, params } = routeParams(file);
      request.headers = new Headers(pendingHeaders);
      request.headers.set(PATH_HEADER, url);
      const Page = (await load(file)).default as (props: unknown) => unknown;
      const thrown = await Promise.resolve(Page({ params: Promise.resolve(params), searchParams: Promise.resolve({}) })).then(() => null, (error: unknown) => error);
      expect(redirectTarget(thrown), file).toBe("/pending");
    }
    request.headers = pendingHeaders;
    const pendingPage = (await load("app/(auth)/pending/page.tsx")).default as () => Promise<unknown>;
    expect(JSON.stringify(await pendingPage())).toMatch(/an admin must approve your/i);
    for (const file of discovered.routes.filter((route) => !PUBLIC_ROUTES[route])) {
      const { url, params } = routeParams(file);
      const routeModule = await load(file);
      for (const method of HTTP_METHODS.filter((m) => typeof routeModule[m] === "function")) {
        const handler = routeModule[method] as (request: Request, context: unknown) => Promise<Response>;
        const response = await handler(new Request(`http://pullkeeper.test${url}`, { method, headers: pendingHeaders }), { params: Promise.resolve(params) });
        expect(response.status, `${method} ${file}`).toBe(403);
      }
    }
    for (const file of discovered.actions.modules) {
      for (const [name, fn] of Object.entries(await load(file))) {
        if (actionGuard(fn)?.kind === "public") continue;
        const result = await (fn as (...args: unknown[]) => Promise<ActionResult<unknown>>)({});
        expect(result, `${file}#${name}`).toEqual({ ok: false, error: expect.stringMatching(/an admin must approve your access/) });
      }
    }

    const { approveUserAction } = await import("@/lib/actions/users/approve-user");
    const admin = await signedInAs("admin");
    expect(await approveUserAction({ userId: id, role: "viewer", limit: "on", clusters: "regional" })).toMatchObject({ ok: true });
    const recorded = (await (await auditStore()).listOperations({ actor: admin.email, kind: "users_changed" }, { limit: 5 })).items;
    expect(recorded[0]).toMatchObject({ status: "succeeded", parameters: { user: email, role: "viewer", clusters: ["regional"] } });
    request.headers = pendingHeaders;
    const { userFromHeaders } = await import("@/lib/auth/session");
    expect(await userFromHeaders(pendingHeaders)).toMatchObject({ email, role: "viewer", clusters: ["regional"] });
  });
});

describe("roles are enforced inside actions and route handlers, not only in the UI", () => {
  const applied: string[] = [];
  const applyWorkflowAction = action(
    "workflow.apply",
    z.object({ cluster: z.string(), namespaces: z.array(z.string()).default([]) }),
    async ({ input }) => {
      applied.push(input.cluster);
      return { applied: input.cluster };
    },
    { name: "workflows.apply" },
  );

  it("a viewer cannot apply a workflow even by calling the action directly; the attempt is audited", async () => {
    const viewer = await signedInAs("viewer");
    const result = await applyWorkflowAction({ cluster: "regional" });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/viewer role cannot apply workflows/) });
    expect(applied).toEqual([]);
    const [denied] = await deniedOperations(viewer.email);
    expect(denied).toMatchObject({ actor: viewer.email, actorRole: "viewer", summary: expect.stringMatching(/apply workflows/) });
  });

  it("an operator limited to one cluster cannot preview or apply the undo of another cluster's operation", async () => {
    const { applyWorkflowAction: realApply } = await import("@/lib/actions/workflows/apply-workflow");
    const { previewWorkflowAction } = await import("@/lib/actions/workflows/preview-workflow");
    const elsewhere = await (await auditStore()).startOperation({ kind: "copy_pull_secrets", actor: "someone@example.com", cluster: "regional", status: "dry_run" });
    const operator = await signedInAs("operator", ["modern"]);
    const request = { kind: "undo", input: { operationId: elsewhere.id } };
    expect(await previewWorkflowAction(request)).toMatchObject({ ok: false, error: expect.stringMatching(/cluster regional/) });
    expect(await realApply({ ...request, digest: "0123456789abcdef" })).toMatchObject({ ok: false, error: expect.stringMatching(/cluster regional/) });
    expect(await deniedOperations(operator.email)).toHaveLength(2);
  });

  it("an operator may mint only the narrowest registry key (Reader, one region, one registry namespace); the attempt is audited", async () => {
    const { applyWorkflowAction: realApply } = await import("@/lib/actions/workflows/apply-workflow");
    const { previewWorkflowAction } = await import("@/lib/actions/workflows/preview-workflow");
    const operator = await signedInAs("operator");
    const narrow = { cluster: "modern", namespace: "orders", role: "Reader", regions: ["us-south"], registryNamespace: "orders", domains: ["us.icr.io"] };
    for (const [wider, reason] of [
      [{ role: "Manager" }, /Only an admin may grant the Manager role/],
      [{ role: "Writer" }, /the Writer role/],
      [{ regions: [] }, /every region/],
      [{ regions: ["us-south", "eu-de"] }, /2 regions/],
      [{ registryNamespace: "" }, /every registry namespace/],
    ] as const) {
      const request = { kind: "create_scoped_credentials", input: { ...narrow, ...wider } };
      expect(await previewWorkflowAction(request), JSON.stringify(wider)).toMatchObject({ ok: false, error: expect.stringMatching(reason) });
      expect(await realApply({ ...request, digest: "0123456789abcdef" })).toMatchObject({ ok: false, error: expect.stringMatching(reason) });
    }
    const denied = await deniedOperations(operator.email);
    expect(denied).toHaveLength(10);
    expect(denied[0]).toMatchObject({ cluster: "modern", summary: expect.stringMatching(/create_scoped_credentials/) });
    // The narrowest grant is not refused for its scope (it fails later here: this test has no cluster named modern).
    const narrowResult = await previewWorkflowAction({ kind: "create_scoped_credentials", input: narrow });
    expect(narrowResult.ok ? "" : narrowResult.error).not.toMatch(/Only an admin/);
    await signedInAs("admin");
    const adminResult = await previewWorkflowAction({ kind: "create_scoped_credentials", input: { ...narrow, role: "Manager", regions: [] } });
    expect(adminResult.ok ? "" : adminResult.error).not.toMatch(/Only an admin/);
  });

  it("an operator limited to one cluster cannot apply on another", async () => {
    const operator = await signedInAs("operator", ["modern"]);
    expect(await applyWorkflowAction({ cluster: "regional" })).toMatchObject({ ok: false, error: expect.stringMatching(/cluster regional/) });
    expect((await deniedOperations(operator.email))[0]).toMatchObject({ cluster: "regional" });
    expect(await applyWorkflowAction({ cluster: "modern" })).toEqual({ ok: true, data: { applied: "modern" } });
    expect(applied).toEqual(["modern"]);
  });

  it("an operator cannot manage users; an admin can, with field errors for bad input", async () => {
    const { createUserAction } = await import("@/lib/actions/users/create-user");
    const form = new FormData();
    form.set("email", "made-by-operator@example.com");
    form.set("name", "Made");
    form.set("role", "admin");
    form.set("password", PASSWORD);
    const operator = await signedInAs("operator");
    const before = await snapshot();
    expect(await createUserAction(null, form)).toMatchObject({ ok: false, error: expect.stringMatching(/operator role cannot manage users/) });
    expect((await snapshot()).users).toBe(before.users);
    expect(await deniedOperations(operator.email)).toHaveLength(1);

    const admin = await signedInAs("admin");
    expect(await createUserAction(null, form)).toMatchObject({ ok: true });
    const recorded = (await (await auditStore()).listOperations({ actor: admin.email, kind: "users_changed" }, { limit: 5 })).items;
    expect(recorded[0]).toMatchObject({ status: "succeeded", parameters: { user: "made-by-operator@example.com", role: "admin" } });
    expect(JSON.stringify(recorded)).not.toContain(PASSWORD);
    const bad = new FormData();
    bad.set("email", "not-an-email");
    bad.set("name", "");
    bad.set("role", "root");
    bad.set("password", "x");
    bad.set("limit", "on");
    const refused = await createUserAction(bad);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && Object.keys(refused.fieldErrors ?? {}).sort()).toEqual(["clusters", "email", "name", "role"]);
    const weak = new FormData();
    weak.set("email", "weak@example.com");
    weak.set("name", "Weak");
    weak.set("role", "viewer");
    weak.set("password", "short");
    expect(await createUserAction(weak)).toMatchObject({ ok: false, fieldErrors: { password: [expect.stringMatching(/at least 12/)] } });
  });

  it("withUser answers 401 to anonymous, 403 (audited) to a role without the permission, and runs the handler otherwise", async () => {
    const handled: string[] = [];
    const route = withUser<{ params: Promise<{ cluster: string }> }>(
      "workflow.apply",
      async (_request, { user }) => {
        handled.push(user.email);
        return Response.json({ ok: true });
      },
      { scope: async (_request, context) => ({ cluster: (await context.params).cluster }) },
    );
    const call = (headers: Headers) =>
      route(new Request("http://pullkeeper.test/api/clusters/regional/apply", { method: "POST", headers }), { params: Promise.resolve({ cluster: "regional" }) });

    expect((await call(new Headers())).status).toBe(401);
    const viewer = await signedInAs("viewer");
    const forbidden = await call(request.headers);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ kind: "forbidden" });
    expect((await deniedOperations(viewer.email))[0]).toMatchObject({ parameters: { via: "route", target: "/api/clusters/regional/apply" } });
    await signedInAs("operator", ["modern"]);
    expect((await call(request.headers)).status).toBe(403);
    const operator = await signedInAs("operator");
    expect((await call(request.headers)).status).toBe(200);
    expect(handled).toEqual([operator.email]);
  });
});

describe("the audit log records who did what, also where nothing changed", () => {
  const operationsOf = async (filter: { actor?: string; kind?: string }) => (await (await auditStore()).listOperations(filter as never, { limit: 50 })).items;

  it("records sign-ins and failed ones, never the password, nor an email field that holds one", async () => {
    const { signInAction } = await import("@/lib/actions/auth/sign-in");
    const { users } = await authService();
    await users.createLocalUser({ email: "audited@example.com", name: "Audited", role: "viewer", clusters: null, password: PASSWORD });
    anonymous("/sign-in");
    const attempt = async (email: string, password: string) => {
      const data = new FormData();
      data.set("email", email);
      data.set("password", password);
      return signInAction(data).catch((error: unknown) => ({ redirect: redirectTarget(error) }));
    };
    await attempt("audited@example.com", "wrong-secret-typed-here");
    await attempt("hunter2-typed-as-email", "another-secret-typed");
    expect(await attempt("audited@example.com", PASSWORD)).toEqual({ redirect: "/" });
    const signIns = await operationsOf({ kind: "sign_in" });
    expect(signIns.find((op) => op.actor === "audited@example.com" && op.status === "succeeded")).toMatchObject({ actorRole: "viewer", summary: expect.stringMatching(/signed in/) });
    expect(signIns.find((op) => op.actor === "audited@example.com" && op.status === "failed")).toBeTruthy();
    expect(signIns.find((op) => op.actor === "(not an email address)")).toBeTruthy();
    const everything = JSON.stringify(await operationsOf({}));
    for (const secret of ["wrong-secret-typed-here", "hunter2-typed-as-email", "another-secret-typed", PASSWORD]) expect(everything).not.toContain(secret);
  });

  it("records an export of the audit log with who asked for it", async () => {
    const operator = await signedInAs("operator");
    const { GET } = await import("@/app/api/audit/export/route");
    const response = await GET(new Request("http://pullkeeper.test/api/audit/export?format=csv", { headers: request.headers }), { params: Promise.resolve({}) });
    expect(response.status).toBe(200);
    await response.text();
    expect((await operationsOf({ actor: operator.email, kind: "audit_exported" }))[0]).toMatchObject({ actorRole: "operator", summary: expect.stringMatching(/exported the audit log as CSV/) });
  });

  it("records who cancelled a run, and hands the cancel to whichever process runs it", async () => {
    const { serverRoot } = await import("@/lib/server/root");
    const { cancelOperationAction } = await import("@/lib/actions/workflows/cancel-operation");
    const run = await (await auditStore()).startOperation({ kind: "copy_pull_secrets", actor: "someone@example.com", cluster: "regional", status: "running" });
    const runs = await serverRoot().runStates();
    const plan = { kind: "copy_pull_secrets" as const, cluster: "regional", namespaces: [], input: {}, steps: [], warnings: [], counts: { change: 0, skip: 0, refused: 0 }, digest: "0000000000000000", readAt: new Date().toISOString(), previewOperationId: null };
    await runs.save({ operationId: run.id, kind: "copy_pull_secrets", plan, options: { actor: { email: "someone@example.com", role: "operator" }, failurePolicy: "continue" }, secrets: {}, outputs: {}, cancelRequestedBy: null });
    const operator = await signedInAs("operator");
    expect(await cancelOperationAction({ operationId: run.id })).toMatchObject({ ok: true });
    expect(await runs.cancelRequestedBy(run.id)).toBe(operator.email);
    await runs.remove(run.id);
    const [cancelled] = await operationsOf({ actor: operator.email, kind: "run_cancelled" });
    expect(cancelled).toMatchObject({ actorRole: "operator", cluster: "regional", relatedOperationId: run.id, summary: expect.stringMatching(/cancelled copy pull secrets/) });
  });

  it("stores a verify of an unknown cluster only as a denial, with the name escaped", async () => {
    const operator = await signedInAs("operator");
    const { verifyPullSecretAction } = await import("@/lib/actions/secrets/verify-pull-secret");
    const planted = "no-such\u0000<script>alert(1)</script>";
    const result = await verifyPullSecretAction({ cluster: planted, namespace: "default", secret: "pull" });
    expect(result).toMatchObject({ ok: false });
    const mine = await operationsOf({ actor: operator.email });
    expect(mine.filter((op) => op.kind === "verify_credentials")).toEqual([]);
    const [denied] = mine.filter((op) => op.kind === "access_denied");
    expect(denied?.cluster).toBeNull();
    expect(denied?.summary).toContain("unknown cluster");
    expect(JSON.stringify(mine)).not.toContain("<script>");
  });
});

describe("sign-in and sign-out actions", () => {
  it("refuses a wrong password without saying which part was wrong, signs in with the right one, and signs out", async () => {
    const { signInAction } = await import("@/lib/actions/auth/sign-in");
    const { signOutAction } = await import("@/lib/actions/auth/sign-out");
    const { users } = await authService();
    await users.createLocalUser({ email: "sam@example.com", name: "Sam", role: "viewer", clusters: null, password: PASSWORD });
    anonymous("/sign-in");
    const form = (email: string, password: string) => {
      const data = new FormData();
      data.set("email", email);
      data.set("password", password);
      data.set("next", "/audit");
      return data;
    };
    expect(await signInAction(null, form("sam@example.com", "wrong password here"))).toEqual({ ok: false, error: "Email or password is wrong." });
    expect(await signInAction(null, form("nobody@example.com", "wrong password here"))).toEqual({ ok: false, error: "Email or password is wrong." });

    const { prisma } = await database();
    const sessionsBefore = await prisma.session.count({ where: { user: { email: "sam@example.com" } } });
    let thrown: unknown;
    try {
      await signInAction(null, form("sam@example.com", PASSWORD));
    } catch (error) {
      thrown = error;
    }
    expect(redirectTarget(thrown)).toBe("/audit");
    expect(await prisma.session.count({ where: { user: { email: "sam@example.com" } } })).toBe(sessionsBefore + 1);

    // Sign out the session the request carries.
    await signedInAs("viewer");
    const sessions = await prisma.session.count();
    try {
      await signOutAction(new FormData());
      expect.unreachable();
    } catch (error) {
      expect(redirectTarget(error)).toBe("/sign-in");
    }
    expect(await prisma.session.count()).toBe(sessions - 1);
  });

  it("tells a throttled person when to come back", async () => {
    const { signInAction } = await import("@/lib/actions/auth/sign-in");
    anonymous("/sign-in");
    const data = new FormData();
    data.set("email", "target@example.com");
    data.set("password", "wrong password here");
    const { prisma } = await database();
    const recordedBefore = await prisma.signInFailure.count();
    for (let i = 0; i < 5; i++) await signInAction(data);
    // Counted in the database (account, account and address, address per failure), where every replica sees them.
    expect(await prisma.signInFailure.count()).toBe(recordedBefore + 15);
    expect(await signInAction(data)).toMatchObject({ ok: false, error: expect.stringMatching(/Too many failed sign-in attempts\. Try again in \d+ minutes/) });
  });
});
