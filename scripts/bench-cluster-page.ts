/**
 * The cluster page at scale: the demo fleet with its large cluster at 2,000 and at 10,000 namespaces, measured in
 * Chromium. For each size: time from navigation to the coverage matrix's ready marker (`data-ready="true"`), cold (the
 * first view after start: the cluster is scanned) and warm (a reload), then a page change and a filter change (each
 * a request to the server), and the bytes shipped: the HTML document and the page's JavaScript, as sent (gzip) and
 * decoded. The cold view is taken as soon as the new server answers `/api/health`, before it reports ready: a visitor
 * who arrives while the first scans run (the demo opened at once) waits for the scan; "scan" is how long that scan
 * took (the page's "scanned … in N ms"). Then the server is restarted twice, and each time, once it reports ready
 * (`/api/health/ready`, what a Deployment's readiness probe waits for before routing anyone to it), the first view is
 * timed the same way: after a plain restart it is drawn from the scan saved before it (lib/queries/scan-snapshots.ts)
 * while a new scan runs; after a restart with the saved scans deleted (what a first start finds: nothing saved), from
 * the first scan, which readiness waits for (lib/queries/scan-refresh.ts). `--baseline <checkout>` measures another build (say, a worktree of the previous commit with its
 * `.next` built) the same way in the same run, for a side-by-side ratio.
 *
 *   npm run build && npm run bench:pages -- [--namespaces 2000,10000] [--baseline <checkout>] [--root <checkout>]
 */
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { chromium, type Browser, type Page } from "@playwright/test";
import { signInAs, startFleetStack, type FleetStack } from "../e2e/support/fleet-stack";

const load = () => os.loadavg().map((n) => n.toFixed(2)).join(", ");
const ms = (n: number) => `${Math.round(n)} ms`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const READY = 'table[aria-label="Coverage matrix"][data-ready="true"]';

interface Bytes {
  htmlSent: number;
  htmlDecoded: number;
  jsSent: number;
  jsDecoded: number;
  scripts: number;
}

interface Figures {
  cold: number;
  /** The scan the cold view showed: its own duration (the page header's figure). */
  coldScan: number;
  /** The first view after a restart, and whether it was drawn from the scan saved before it. */
  restarted: number;
  restartedFromSaved: boolean;
  /** How long after answering /api/health the restarted server reported ready (it restores the saved scans first). */
  readyAfterHealth: number;
  /** The first view of a start with nothing saved (the saved scans deleted), once ready, and how long ready took. */
  freshOnceReady: number;
  freshReadyAfterHealth: number;
  warm: number;
  nextPage: number;
  filter: number;
  bytes: Bytes;
  rows: number;
  loads: string[];
}

/** Milliseconds from the navigation's start to the table's ready marker (the page's own clock). */
async function readyAt(page: Page): Promise<number> {
  await page.waitForSelector(READY, { timeout: 300_000 });
  return page.evaluate(() => performance.now());
}

/** Milliseconds from an action in the page until `shown` is visible and the table is ready (the same test on both builds). */
async function settle(page: Page, action: () => Promise<unknown>, shown: RegExp): Promise<number> {
  const start = await page.evaluate(() => performance.now());
  await action();
  await page.getByText(shown).first().waitFor({ state: "visible", timeout: 60_000 });
  return (await readyAt(page)) - start;
}

const RESTORED_NOTICE = "From the last scan before the server restarted";

/** Deletes the scans saved in the data folder's database (a build from before saved scans has no such table). */
function forgetSavedScans(dataDir: string): void {
  const db = new Database(path.join(dataDir, "pullkeeper.db"));
  try {
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'ClusterScanSnapshot'").get();
    if (table) db.prepare("DELETE FROM ClusterScanSnapshot").run();
  } finally {
    db.close();
  }
}

/** Restarts the stack (with `whileStopped` run in between), signs in again and times the first view of the cluster page. */
async function firstViewAfterRestart(stack: FleetStack, page: Page, whileStopped?: (dataDir: string) => void) {
  const { readyAfterHealthMs } = await stack.restart(whileStopped);
  await signInAs(page, stack.baseURL, "operator");
  const loadBefore = load();
  await page.goto(`${stack.baseURL}/clusters/large`, { waitUntil: "commit" });
  const view = await readyAt(page);
  return { view, fromSaved: await page.getByText(RESTORED_NOTICE).isVisible(), readyAfterHealthMs, loadBefore };
}

/** The duration of the scan the page shows, from its header ("scanned 2s ago in 517 ms"). */
async function scanDuration(page: Page): Promise<number> {
  const text = await page.getByText(/scanned .* in \d+ ms/).first().textContent();
  return Number(/in (\d+) ms/.exec(text ?? "")?.[1] ?? Number.NaN);
}

function bytesOf(page: Page): Promise<Bytes> {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const scripts = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).filter((e) => e.initiatorType === "script" || /\.js(\?|$)/.test(e.name));
    return {
      htmlSent: nav.encodedBodySize,
      htmlDecoded: nav.decodedBodySize,
      jsSent: scripts.reduce((sum, e) => sum + e.encodedBodySize, 0),
      jsDecoded: scripts.reduce((sum, e) => sum + e.decodedBodySize, 0),
      scripts: scripts.length,
    };
  });
}

async function measure(browser: Browser, namespaces: number, root: string | undefined): Promise<Figures> {
  const stack = await startFleetStack({ dir: path.join(os.tmpdir(), `pullkeeper-cluster-page-${process.pid}-${namespaces}`), scaleClusters: 0, scaleNamespaces: 0, largeNamespaces: namespaces, root, restartable: true });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    await signInAs(page, stack.baseURL, "operator");
    const loads = [load()];
    await page.goto(`${stack.baseURL}/clusters/large`, { waitUntil: "commit" });
    const cold = await readyAt(page);
    const coldScan = await scanDuration(page);
    loads.push(load());
    await page.reload({ waitUntil: "commit" });
    const warm = await readyAt(page);
    const bytes = await bytesOf(page);
    const rows = await page.locator(`${READY} tbody tr`).count();
    loads.push(load());
    const nextPage = await settle(page, () => page.getByRole("navigation", { name: "Matrix pages" }).getByRole("button", { name: "Next" }).click(), /^51–100 of \d+/);
    const filter = await settle(page, () => page.getByLabel("State", { exact: true }).selectOption("not_covered"), /^\d+ of \d+ namespaces match/);
    loads.push(load());
    const restart = await firstViewAfterRestart(stack, page);
    const fresh = await firstViewAfterRestart(stack, page, forgetSavedScans);
    loads.push(restart.loadBefore, fresh.loadBefore);
    return {
      cold, coldScan, warm, nextPage, filter, bytes, rows, loads,
      restarted: restart.view, restartedFromSaved: restart.fromSaved, readyAfterHealth: restart.readyAfterHealthMs,
      freshOnceReady: fresh.view, freshReadyAfterHealth: fresh.readyAfterHealthMs,
    };
  } finally {
    await context.close();
    await stack.stop();
  }
}

function report(label: string, f: Figures): void {
  console.log(
    `${label}: cold, before ready ${ms(f.cold)} (the scan it waited for took ${ms(f.coldScan)}), warm ${ms(f.warm)}, next page ${ms(f.nextPage)}, filter ${ms(f.filter)}; ` +
      `first view after a restart ${ms(f.restarted)} (${f.restartedFromSaved ? "from the scan saved before it" : "not from a saved scan"}; ready ${ms(f.readyAfterHealth)} after answering health); ` +
      `first view of a start with nothing saved, once ready ${ms(f.freshOnceReady)} (ready ${ms(f.freshReadyAfterHealth)} after answering health); ` +
      `HTML ${kb(f.bytes.htmlSent)} sent (${kb(f.bytes.htmlDecoded)} decoded, ${f.rows} rows in the table); ` +
      `JavaScript ${kb(f.bytes.jsSent)} sent (${kb(f.bytes.jsDecoded)} decoded, ${f.bytes.scripts} scripts) ` +
      `(load average before cold: ${f.loads[0]}; before warm: ${f.loads[1]}; before page/filter: ${f.loads[2]}; after: ${f.loads[3]}; before the view after the restart: ${f.loads[4]}; before the view of the start with nothing saved: ${f.loads[5]})`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { namespaces: { type: "string", default: "2000,10000" }, baseline: { type: "string" }, root: { type: "string" } } });
  const sizes = values.namespaces.split(",").map(Number);
  const root = values.root ? path.resolve(values.root) : undefined;
  const baseline = values.baseline ? path.resolve(values.baseline) : undefined;
  const browser = await chromium.launch({ executablePath: process.env.PULLKEEPER_CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    console.log(`cluster page, large cluster; build: ${root ?? "this checkout"}${baseline ? `; baseline: ${baseline}` : ""}; ${os.cpus().length} cores`);
    for (const n of sizes) {
      const now = await measure(browser, n, root);
      report(`${n} namespaces`, now);
      if (!baseline) continue;
      const before = await measure(browser, n, baseline);
      report(`${n} namespaces, baseline`, before);
      const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : "n/a");
      console.log(
        `${n} namespaces, this build / baseline: cold ${ratio(now.cold, before.cold)}, after a restart ${ratio(now.restarted, before.restarted)}, start with nothing saved once ready ${ratio(now.freshOnceReady, before.freshOnceReady)}, warm ${ratio(now.warm, before.warm)}, ` +
          `HTML sent ${ratio(now.bytes.htmlSent, before.bytes.htmlSent)}, JavaScript sent ${ratio(now.bytes.jsSent, before.bytes.jsSent)}`,
      );
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
