import fs from "node:fs";
import path from "node:path";
import type { Page, Response } from "@playwright/test";
import { CREDENTIAL_CANARY } from "../sim/demo-credentials";
import { expect, signIn, test } from "./fixtures";
import { WorkflowPage } from "./pages/workflow-page";

/**
 * The canary test (issue: access control). Every credential in the simulated
 * fleet and IBM Cloud contains CREDENTIAL_CANARY. An admin visits every page of
 * the demo fleet and runs a workflow; every response body (HTML, RSC payloads,
 * JSON, exports, client bundles), the server log and the database file are
 * searched for the canary. This test stays in the suite.
 */
const dataDir = path.resolve(import.meta.dirname, "../data/e2e");
const SMALL_CLUSTERS = ["legacy", "regional", "modern"];

function crawlable(pathname: string): boolean {
  if (pathname.startsWith("/api/auth") || pathname.startsWith("/sign-") || pathname === "/setup") return false;
  // The large cluster's 2,000 namespace pages add nothing the small ones do not show.
  if (/^\/clusters\/large\/namespaces\//.test(pathname) && !pathname.endsWith("/default")) return false;
  return true;
}

test("no credential value reaches a browser, a log line or the database", async ({ page, request }) => {
  // About 3.5 minutes on the 2-core CI machine (one tab; more tabs did not help there).
  test.setTimeout(480_000);
  const leaks: string[] = [];
  const scanned = { responses: 0, bytes: 0 };
  // Build assets are content-hashed and immutable: one scan of each URL covers every page that loads it.
  const staticAssetsScanned = new Set<string>();
  const inspect = async (response: Response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith("/_next/static/")) {
      if (staticAssetsScanned.has(url.pathname)) return;
      staticAssetsScanned.add(url.pathname);
    }
    try {
      const body = await response.body();
      scanned.responses++;
      scanned.bytes += body.length;
      if (body.includes(Buffer.from(CREDENTIAL_CANARY))) leaks.push(`${response.request().method()} ${response.url()}`);
    } catch {
      // Redirects and aborted requests have no body.
    }
  };
  page.on("response", (response) => void inspect(response));
  await signIn(page, "admin");

  // Run a workflow first so its preview, progress and audit record are crawled too.
  const workflow = new WorkflowPage(page);
  await workflow.open("regional", "copy", { namespaces: "sandbox,qa" });
  await workflow.preview();
  await workflow.apply(/^Copy and attach \(\d+ changes?\)$/);
  await workflow.expectStatus(/succeeded|partially failed/, 30_000);

  const seen = new Set<string>();
  const queue = ["/", "/audit", "/settings", "/admin/users", ...SMALL_CLUSTERS.map((c) => `/clusters/${c}`), "/clusters/large"];
  const visit = async (target: string, browser: Page) => {
    const response = await browser.goto(target);
    expect(response?.status(), target).toBeLessThan(500);
    const hrefs = await browser.locator("a[href^='/']").evaluateAll((anchors) => anchors.map((a) => a.getAttribute("href")!));
    for (const href of hrefs) {
      const url = new URL(href, "http://x");
      const key = url.pathname + url.search;
      if (!seen.has(key) && crawlable(url.pathname) && !url.pathname.startsWith("/api/")) queue.push(key);
      if (url.pathname.startsWith("/api/audit/export") && !seen.has(key)) {
        seen.add(key);
        const exported = await request.get(key, { headers: { cookie: (await browser.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ") } });
        const body = await exported.body();
        scanned.responses++;
        if (body.includes(Buffer.from(CREDENTIAL_CANARY))) leaks.push(`export ${key}`);
      }
    }
  };
  while (queue.length && seen.size < 400) {
    const next = queue.shift()!;
    if (seen.has(next)) continue;
    seen.add(next);
    await visit(next, page);
  }
  // React Server Component payloads of the same pages, as client-side navigation fetches them.
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  for (const target of [...seen].filter((key) => !key.startsWith("/api/")).slice(0, 120)) {
    const rsc = await request.get(target, { headers: { RSC: "1", cookie } });
    const body = await rsc.body();
    scanned.responses++;
    if (body.includes(Buffer.from(CREDENTIAL_CANARY))) leaks.push(`RSC ${target}`);
  }

  expect(seen.size, "pages crawled").toBeGreaterThan(20);
  expect([...seen].some((key) => /^\/clusters\/regional\/namespaces\//.test(key)), "namespace pages crawled").toBe(true);
  expect([...seen].some((key) => /^\/audit\/[0-9a-f-]{36}$/.test(key)), "operation pages crawled").toBe(true);
  expect(leaks, `canary found in ${leaks.length} response(s)`).toEqual([]);

  for (const file of ["server.log", "pullkeeper.db", "pullkeeper.db-wal"]) {
    const full = path.join(dataDir, file);
    if (!fs.existsSync(full)) continue;
    expect(fs.readFileSync(full).includes(Buffer.from(CREDENTIAL_CANARY)), `${file} holds a credential`).toBe(false);
  }
  expect(fs.existsSync(path.join(dataDir, "server.log")), "server log captured").toBe(true);
  test.info().annotations.push({ type: "scanned", description: `${seen.size} pages, ${scanned.responses} responses, ${(scanned.bytes / 1e6).toFixed(1)} MB` });
});
