import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, request, type Locator, type Page } from "@playwright/test";

/**
 * A workflow page as an operator uses it: fill the form, Preview, read the
 * plan, Apply, follow the run. One place for the locators every spec shares.
 */
export class WorkflowPage {
  readonly previewRegion: Locator;
  readonly resultRegion: Locator;
  /** The run's status line (`Status: succeeded`, `Cancelled by …`). */
  readonly status: Locator;
  /** "n changes, m already in place, k refused" (a paragraph: no role names it). */
  readonly planCounts: Locator;

  constructor(readonly page: Page) {
    this.previewRegion = page.getByRole("region", { name: "Preview" });
    this.resultRegion = page.getByRole("region", { name: "Result" });
    this.status = this.resultRegion.getByRole("status");
    this.planCounts = this.previewRegion.getByTestId("plan-counts");
  }

  async open(cluster: string, slug: string, query: Record<string, string> = {}): Promise<void> {
    const search = new URLSearchParams(query).toString();
    await this.page.goto(`/clusters/${encodeURIComponent(cluster)}/workflows/${slug}${search ? `?${search}` : ""}`);
  }

  heading(name: string | RegExp): Locator {
    return this.page.getByRole("heading", { level: 1, name });
  }

  /** Submits the form; resolves once a plan is on screen. */
  async preview(): Promise<Locator> {
    await this.page.getByRole("button", { name: "Preview" }).click();
    await expect(this.previewRegion).toBeVisible();
    return this.previewRegion;
  }

  /** Clicks the Apply button, whose label names the workflow's verb and the number of changes. */
  async apply(label: string | RegExp): Promise<void> {
    await this.page.getByRole("button", { name: label }).click();
  }

  async expectStatus(text: string | RegExp, timeout = 60_000): Promise<void> {
    await expect(this.status).toContainText(text, { timeout });
  }
}

interface FleetCluster {
  name: string;
  url: string;
  controlToken: string;
}

/** The demo fleet's simulator control endpoints (written by scripts/sim-demo.ts for the e2e run). */
export async function simulatedCluster(name: string) {
  const fleet = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../data/e2e/fleet.json"), "utf8")) as { clusters: FleetCluster[] };
  const cluster = fleet.clusters.find((entry) => entry.name === name)!;
  const control = await request.newContext({ ignoreHTTPSErrors: true, extraHTTPHeaders: { Authorization: `Bearer ${cluster.controlToken}` } });
  return {
    setFaults: async (faults: Record<string, unknown>) => void (await control.post(`${cluster.url}/_sim/faults`, { data: faults })),
    /** The store's resourceVersion: any write to the cluster moves it. */
    resourceVersion: async () => ((await (await control.get(`${cluster.url}/_sim/state`)).json()) as { resourceVersion: string | number }).resourceVersion,
    dispose: () => control.dispose(),
  };
}
