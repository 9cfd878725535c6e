import https from "node:https";
import { afterAll, describe, expect, it } from "vitest";
import { startDemoFleet, type DemoFleet } from "./index";
import { scaleClusterName, scaleClusterSpecs } from "./scale";

const namespaces = (objects: { kind?: unknown }[]) => objects.filter((o) => o.kind === "Namespace").length;

describe("scale clusters", () => {
  it("are named fleet-01… and differ in size around the asked count", () => {
    const specs = scaleClusterSpecs({ count: 6, namespaceCount: 40 });
    expect(specs.map((s) => s.name)).toEqual(["fleet-01", "fleet-02", "fleet-03", "fleet-04", "fleet-05", "fleet-06"]);
    // The large cluster's shape: `default` plus the app namespaces.
    expect(specs.map((s) => namespaces(s.objects) - 1)).toEqual([40, 38, 36, 34, 32, 40]);
    expect(scaleClusterName(99, 100)).toBe("fleet-100");
  });

  describe("in a fleet with faults", () => {
    let fleet: DemoFleet | undefined;
    afterAll(() => fleet?.close());

    it("a hanging cluster accepts the connection and never answers; the others answer", async () => {
      fleet = await startDemoFleet({ clusters: ["modern"], scale: { count: 2, namespaceCount: 2 }, faults: { "fleet-02": { hang: true } } });
      expect(fleet.sims.map((s) => s.name)).toEqual(["modern", "fleet-01", "fleet-02"]);
      const version = (url: string) =>
        new Promise<string>((resolve) => {
          const request = https.get(`${url}/version`, { rejectUnauthorized: false, timeout: 500 }, (res) => resolve(String(res.statusCode)));
          request.on("error", () => resolve("no answer"));
          request.on("timeout", () => {
            request.destroy();
            resolve("no answer");
          });
        });
      expect(await version(fleet.sims[1]!.url)).toBe("200");
      expect(await version(fleet.sims[2]!.url)).toBe("no answer");
    });

    it("refuses faults for a cluster it does not start", async () => {
      await expect(startDemoFleet({ clusters: ["modern"], faults: { nowhere: { hang: true } } })).rejects.toThrow("faults for unknown cluster(s): nowhere");
    });
  });
});
