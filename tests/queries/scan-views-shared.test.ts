/**
 * Next bundles lib/queries/views.ts once per route bundle and once more for the instrumentation hook, where the
 * background refresh builds each cluster page's views ahead of the first visitor. Those views must be the ones the
 * pages and APIs (other copies of the module) serve, or the first view of a large cluster builds its matrix again.
 * Two copies of the module are loaded here the way two bundles hold them: separate module instances, one process.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startAppEnvironment, type AppEnvironment } from "../support/app-environment";

const CLUSTER = "regional";
let app: AppEnvironment;

beforeAll(async () => {
  app = await startAppEnvironment({ name: "scan-views-shared", fleet: { clusters: [CLUSTER] } });
});

afterAll(async () => {
  await app?.close();
});

describe("views built ahead by the background refresh", () => {
  it("are served by every other copy of the module in the process", async () => {
    const refreshCopy = await import("@/lib/queries/views");
    const { serverRoot } = await import("@/lib/server/root");
    await serverRoot().scans().get(CLUSTER);
    await refreshCopy.prepareClusterView(CLUSTER);
    const built = await refreshCopy.clusterView(CLUSTER);
    if (!built.ok) throw new Error(`the scan of ${CLUSTER} failed`);

    vi.resetModules();
    const pageCopy = await import("@/lib/queries/views");
    expect(pageCopy).not.toBe(refreshCopy);
    const served = await pageCopy.clusterView(CLUSTER);
    if (!served.ok) throw new Error(`the scan of ${CLUSTER} failed`);
    expect(served.scan).toBe(built.scan);
    expect(served.matrix).toBe(built.matrix);
    expect(served.findings).toBe(built.findings);
  });
});
