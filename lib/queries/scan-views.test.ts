import { describe, expect, it } from "vitest";
import { createScanViewCache } from "./scan-views";

type Scan = { cluster: string; namespaces: number };

describe("createScanViewCache", () => {
  it("builds a scan's view once and serves it to every later request of that scan", () => {
    let builds = 0;
    const views = createScanViewCache((scan: Scan) => ({ rows: scan.namespaces, build: ++builds }));
    const scan = { cluster: "large", namespaces: 2000 };
    const first = views.get(scan, 7);
    expect(views.get(scan, 7)).toBe(first);
    expect(builds).toBe(1);
  });

  it("never serves the view of an older scan: a new scan (or a rescan after a workflow) is a new object", () => {
    let builds = 0;
    const views = createScanViewCache((scan: Scan) => ({ rows: scan.namespaces, build: ++builds }));
    const before = views.get({ cluster: "large", namespaces: 2000 }, 1);
    const after = views.get({ cluster: "large", namespaces: 2001 }, 1);
    expect(after).not.toBe(before);
    expect(after.rows).toBe(2001);
    expect(builds).toBe(2);
  });

  it("rebuilds when the version it was built at moved (a verification result changed), and keeps one view per scan", () => {
    let builds = 0;
    const views = createScanViewCache((scan: Scan) => ({ rows: scan.namespaces, build: ++builds }));
    const scan = { cluster: "large", namespaces: 2000 };
    expect(views.get(scan, 1).build).toBe(1);
    expect(views.get(scan, 2).build).toBe(2);
    expect(views.get(scan, 2).build).toBe(2);
    expect(views.get(scan, 1).build).toBe(3);
  });

  it("keeps views of different clusters apart", () => {
    const views = createScanViewCache((scan: Scan) => scan.cluster);
    const regional = { cluster: "regional", namespaces: 5 };
    const large = { cluster: "large", namespaces: 2000 };
    expect(views.get(regional)).toBe("regional");
    expect(views.get(large)).toBe("large");
    expect(views.get(regional)).toBe("regional");
  });
});
