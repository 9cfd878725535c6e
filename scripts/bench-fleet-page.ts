/**
 * The fleet page at the size of a real estate: 50 simulated clusters of 200 namespaces (plus the four demo
 * clusters), one answering each request after 2 s and one never answering. Measures in Chromium, cold (first
 * view after start: every cluster scanned) and warm (a reload): the load event, the first answered row, every row
 * but the silent cluster's, the silent cluster's row (unreachable after the request timeout), and the row height.
 *
 *   npm run build && npm run bench:fleet-page -- [--clusters 50] [--namespaces 200] [--large 20] [--root <checkout>]
 *   (--large: namespaces of the demo's large cluster; PULLKEEPER_SCAN_CONCURRENCY in the environment reaches the app)
 */
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Page } from "@playwright/test";
import { scaleClusterName } from "../sim/fleet/scale";
import { signInAs, startFleetStack } from "../e2e/support/fleet-stack";

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(", ");

async function measureView(page: Page, total: number, action: () => Promise<unknown>) {
  await action();
  // The same test as countAnsweredRows, inline: a predicate runs alone in the page.
  const answeredAt = async (count: number) =>
    (await page.waitForFunction(
      (count) => [...document.querySelectorAll('table[aria-label="Clusters"] tbody tr')].filter((r) => !/Scanning…|Not answering yet/.test(r.textContent ?? "")).length >= count && performance.now(),
      count,
      { polling: 50, timeout: 180_000 },
    )).jsonValue() as Promise<number>;
  const first = await answeredAt(1);
  const allButSilent = await answeredAt(total - 1);
  const loadEvent = (await (
    await page.waitForFunction(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined)?.loadEventEnd || false, undefined, { polling: 50, timeout: 180_000 })
  ).jsonValue()) as number;
  const silent = await answeredAt(total);
  return { loadEvent, first, allButSilent, silent };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { clusters: { type: "string", default: "50" }, namespaces: { type: "string", default: "200" }, large: { type: "string", default: "20" }, root: { type: "string" } } });
  const count = Number(values.clusters);
  const slow = scaleClusterName(6, count);
  const silent = scaleClusterName(12, count);
  const root = values.root ? path.resolve(values.root) : undefined;
  const stack = await startFleetStack({ dir: path.join(os.tmpdir(), `pullkeeper-fleet-page-${process.pid}`), scaleClusters: count, scaleNamespaces: Number(values.namespaces), largeNamespaces: Number(values.large), slow: [slow], hanging: [silent], root });
  const browser = await chromium.launch({ executablePath: process.env.PULLKEEPER_CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] }).catch(async (error: unknown) => {
    await stack.stop();
    throw error;
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signInAs(page, stack.baseURL, "operator");
    const total = 4 + count;
    console.log(`${total} clusters (${count} of ${values.namespaces} namespaces, ${slow} at 2 s a request, ${silent} never answers); build: ${root ?? "this checkout"}`);
    for (const [label, action] of [
      ["cold", () => page.goto(`${stack.baseURL}/`, { waitUntil: "commit" })],
      ["warm", () => page.reload({ waitUntil: "commit" })],
    ] as const) {
      const loadBefore = load();
      const m = await measureView(page, total, action);
      console.log(`${label}: load event ${seconds(m.loadEvent)}, first row ${seconds(m.first)}, all rows but the silent one ${seconds(m.allButSilent)}, the silent one ${seconds(m.silent)} (load average before: ${loadBefore}; after: ${load()})`);
    }
    const heights = await page.$$eval('table[aria-label="Clusters"] tbody tr', (rows) => rows.map((r) => r.getBoundingClientRect().height));
    const table = await page.$eval('table[aria-label="Clusters"]', (t) => t.getBoundingClientRect().height);
    const median = [...heights].sort((a, b) => a - b)[Math.floor(heights.length / 2)]!;
    console.log(`rows: median ${median.toFixed(1)} px, max ${Math.max(...heights).toFixed(1)} px; table ${Math.round(table)} px for ${heights.length} rows (viewport 900 px)`);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
