import { describe, expect, it } from "vitest";
import type { FleetRow } from "@/lib/api/fleet";
import { FLEET_MEASURES, namespacesNotCovered, type FleetMeasure } from "./measures";
import { DEFAULT_FLEET_QUERY, entryCluster, fleetHref, fleetSummary, fleetView, parseFleetQuery, sortFleet, type FleetEntry } from "./model";

function row(cluster: string, figures: { uncovered?: number; partial?: number; atRisk?: number; legacy?: number; failing?: number; latent?: number; unreadable?: boolean } = {}): FleetRow {
  const unreadable = figures.unreadable === true;
  return {
    cluster,
    server: "",
    sourceFile: null,
    status: unreadable ? "unreachable" : "reachable",
    message: "",
    identity: null,
    serverVersion: null,
    namespaceCount: unreadable ? null : 10,
    groups: unreadable
      ? []
      : [{ group: "icr", label: "icr.io", domains: ["icr.io"], fullyCovered: 10 - (figures.uncovered ?? 0) - (figures.partial ?? 0), partiallyCovered: figures.partial ?? 0, uncovered: figures.uncovered ?? 0, share: 0 }],
    legacySecretCount: unreadable ? null : (figures.legacy ?? 0),
    workloadsAtRisk: unreadable ? null : (figures.atRisk ?? 0),
    staleCopies: null,
    danglingReferences: null,
    restartNeeded: null,
    inventoryScope: null,
    notes: [],
    scanError: null,
    scannedAt: "2026-12-07T05:00:00.000Z",
    scanDurationMs: 1,
    needsMigration: (figures.legacy ?? 0) > 0,
    pullFailures: unreadable ? null : { failingPods: figures.failing ?? 0, latentPods: figures.latent ?? 0, namespaces: 0, byRegistryCause: [] },
  };
}

const answered = (r: FleetRow, stale = false): FleetEntry => ({ state: "answered", row: r, stale });
const waiting = (cluster: string): FleetEntry => ({ state: "waiting", cluster });
const names = (entries: FleetEntry[]) => entries.map(entryCluster);
const params = (qs: string) => new URLSearchParams(qs);

describe("fleet measures", () => {
  it("counts a namespace partly covered for icr.io as not covered, and knows nothing of a cluster that did not answer", () => {
    expect(namespacesNotCovered(row("a", { uncovered: 2, partial: 1 }))).toBe(3);
    expect(namespacesNotCovered(row("a", { unreadable: true }))).toBeNull();
  });
});

describe("fleetSummary", () => {
  const entries = [
    answered(row("a", { uncovered: 3, atRisk: 2 })),
    answered(row("b", { uncovered: 1 })),
    answered(row("c")),
    answered(row("d", { unreadable: true })),
    answered(row("e"), true),
    waiting("f"),
  ];
  const item = (id: string) => fleetSummary(entries).items.find((i) => i.id === id)!;

  it("sums each measure over the answered rows and counts the clusters it concerns", () => {
    expect(item("uncovered")).toMatchObject({ total: 4, clusters: 2, text: "4 namespaces not covered for icr.io in 2 clusters", href: "/?state=uncovered" });
    expect(item("at-risk")).toMatchObject({ total: 2, clusters: 1, text: "2 workloads at risk of failing to pull in 1 cluster" });
    expect(item("covered")).toMatchObject({ total: 2, text: "2 clusters fully covered" });
    expect(item("failing")).toMatchObject({ total: 0, clusters: 0, text: "0 pods failing to pull in 0 clusters", href: "/?state=failing" });
    expect(item("unreachable")).toMatchObject({ total: 2, text: "2 clusters unreachable or stale", href: "/?state=unreachable" });
  });

  it("says how many clusters the totals include", () => {
    expect(fleetSummary(entries)).toMatchObject({ clusters: 6, answered: 5 });
  });

  it("has exactly one item per listed measure, so a counter without data never shows", () => {
    const only: FleetMeasure[] = [FLEET_MEASURES.find((m) => m.id === "covered")!];
    expect(fleetSummary(entries, only).items.map((i) => i.id)).toEqual(["covered"]);
  });
});

describe("sortFleet by need", () => {
  it("puts failing pods first, then workloads at risk, latent failures, uncovered namespaces, unreachable clusters, then the rest by name; waiting last", () => {
    const entries = [
      answered(row("latent", { latent: 1 })),
      answered(row("failing", { failing: 1 })),
      answered(row("zeta")),
      waiting("alpha"),
      answered(row("gamma", { uncovered: 1 })),
      answered(row("beta", { unreadable: true })),
      answered(row("delta", { uncovered: 5 })),
      answered(row("omega", { uncovered: 1, atRisk: 1 })),
      answered(row("eta"), true),
      answered(row("fleet-10")),
      answered(row("fleet-2")),
    ];
    expect(names(sortFleet(entries, "need"))).toEqual(["failing", "omega", "latent", "delta", "gamma", "beta", "eta", "fleet-2", "fleet-10", "zeta", "alpha"]);
  });

  it("by name is natural order whatever the need", () => {
    expect(names(sortFleet([answered(row("b", { uncovered: 9 })), waiting("a10"), answered(row("a2"))], "name"))).toEqual(["a2", "a10", "b"]);
  });
});

describe("fleetView filters", () => {
  const entries = [answered(row("prod-eu", { uncovered: 2 })), answered(row("prod-us")), answered(row("dev", { uncovered: 1 })), waiting("prod-jp")];

  it("by state keeps the rows the measure counts, and keeps a waiting cluster (it may belong)", () => {
    expect(names(fleetView(entries, { ...DEFAULT_FLEET_QUERY, state: "uncovered" }))).toEqual(["prod-eu", "dev", "prod-jp"]);
    expect(names(fleetView(entries, { ...DEFAULT_FLEET_QUERY, state: "covered" }))).toEqual(["prod-us", "prod-jp"]);
  });

  it("by a part of the name, ignoring case, combined with the state", () => {
    expect(names(fleetView(entries, { ...DEFAULT_FLEET_QUERY, name: "PROD" }))).toEqual(["prod-eu", "prod-us", "prod-jp"]);
    expect(names(fleetView(entries, { ...DEFAULT_FLEET_QUERY, name: "prod", state: "uncovered" }))).toEqual(["prod-eu", "prod-jp"]);
  });
});

describe("the fleet query in the URL", () => {
  it("reads state, name and sort, ignoring what it does not know", () => {
    expect(parseFleetQuery(params("state=uncovered&name=%20prod%20&sort=name"))).toEqual({ state: "uncovered", name: "prod", sort: "name" });
    expect(parseFleetQuery(params("state=bogus&sort=random"))).toEqual(DEFAULT_FLEET_QUERY);
  });

  it("writes only what differs from the default, and round-trips", () => {
    expect(fleetHref({})).toBe("/");
    const href = fleetHref({ state: "unreachable", name: "eu west" });
    expect(href).toBe("/?state=unreachable&name=eu+west");
    expect(parseFleetQuery(params(href.slice(2)))).toEqual({ state: "unreachable", name: "eu west", sort: "need" });
  });
});
