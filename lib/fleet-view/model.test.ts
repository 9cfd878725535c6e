import { describe, expect, it } from "vitest";
import type { FleetRow } from "@/lib/api/fleet";
import { FLEET_MEASURES, namespacesNotCovered, type FleetMeasure } from "./measures";
import { clusterDirectory } from "./labels";
import { DEFAULT_FLEET_QUERY, entryCluster, fleetHref, fleetSummary, fleetView, parseFleetQuery, scopeFleet, sortFleet, type FleetEntry } from "./model";

function row(cluster: string, figures: { uncovered?: number; partial?: number; atRisk?: number; legacy?: number; failing?: number; latent?: number; drift?: number; conflicts?: number; unreadable?: boolean } = {}): FleetRow {
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
    rules: { rules: 1, driftNamespaces: figures.drift ?? 0, conflicts: figures.conflicts ?? 0, errors: 0 },
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

describe("keeping-rule measures", () => {
  it("sums rule drift and conflicts, and ranks drift after failing pods and before uncovered namespaces", () => {
    const entries = [answered(row("quiet", { uncovered: 9 })), answered(row("drifting", { drift: 4, conflicts: 2 })), answered(row("failing", { failing: 1 }))];
    const summary = fleetSummary(entries).items;
    expect(summary.find((i) => i.id === "drift")).toMatchObject({ total: 4, clusters: 1, text: "4 namespaces drifting from keeping rules in 1 cluster" });
    expect(summary.find((i) => i.id === "conflicts")).toMatchObject({ total: 2, text: "2 rule conflicts waiting for a decision in 1 cluster" });
    expect(names(sortFleet(entries, DEFAULT_FLEET_QUERY.sort))).toEqual(["failing", "drifting", "quiet"]);
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
    expect(parseFleetQuery(params("state=uncovered&name=%20prod%20&sort=name"))).toEqual({ state: "uncovered", name: "prod", labels: "", sort: "name" });
    expect(parseFleetQuery(params("state=bogus&sort=random"))).toEqual(DEFAULT_FLEET_QUERY);
  });

  it("writes only what differs from the default, and round-trips", () => {
    expect(fleetHref({})).toBe("/");
    const href = fleetHref({ state: "unreachable", name: "eu west" });
    expect(href).toBe("/?state=unreachable&name=eu+west");
    expect(parseFleetQuery(params(href.slice(2)))).toEqual({ state: "unreachable", name: "eu west", labels: "", sort: "need" });
  });
});

describe("the cluster label filter", () => {
  const directory = clusterDirectory([
    { name: "prod-eu", displayName: "Production Frankfurt", labels: { env: "prod", region: "eu-de" } },
    { name: "prod-us", displayName: "prod-us", labels: { env: "prod", region: "us-south" } },
    { name: "prod-jp", displayName: "prod-jp", labels: { env: "prod", region: "jp-tok" } },
  ]);
  const entries = [answered(row("prod-eu", { uncovered: 2 })), answered(row("prod-us", { uncovered: 5 })), answered(row("dev", { uncovered: 1 })), waiting("prod-jp")];
  const query = (over: Partial<typeof DEFAULT_FLEET_QUERY>) => ({ ...DEFAULT_FLEET_QUERY, ...over });

  it("keeps the clusters whose labels match, waiting ones included (their labels are known), an unlabelled one never for key=value", () => {
    expect(names(fleetView(entries, query({ labels: "env=prod" }), FLEET_MEASURES, directory))).toEqual(["prod-us", "prod-eu", "prod-jp"]);
    expect(names(fleetView(entries, query({ labels: "env=prod,region notin (us-south)" }), FLEET_MEASURES, directory))).toEqual(["prod-eu", "prod-jp"]);
    expect(names(fleetView(entries, query({ labels: "!env" }), FLEET_MEASURES, directory))).toEqual(["dev"]);
    expect(names(fleetView(entries, query({ labels: "region in (eu-de)", state: "uncovered" }), FLEET_MEASURES, directory))).toEqual(["prod-eu"]);
  });

  it("narrows nothing with a selector that does not parse (the filter says why)", () => {
    expect(names(scopeFleet(entries, query({ labels: "env in (prod" }), directory))).toEqual(["prod-eu", "prod-us", "dev", "prod-jp"]);
  });

  it("finds a cluster by its display name too, and sorts by display name", () => {
    expect(names(scopeFleet(entries, query({ name: "frankfurt" }), directory))).toEqual(["prod-eu"]);
    expect(names(sortFleet(entries, "name", FLEET_MEASURES, directory))).toEqual(["dev", "prod-jp", "prod-us", "prod-eu"]);
  });

  it("makes the summary count only the clusters in scope, its links keeping the filter", () => {
    const summary = fleetSummary(scopeFleet(entries, query({ labels: "region=eu-de" }), directory), FLEET_MEASURES, query({ labels: "region=eu-de" }));
    expect(summary).toMatchObject({ clusters: 1, answered: 1 });
    const uncovered = summary.items.find((item) => item.id === "uncovered")!;
    expect(uncovered.total).toBe(2);
    expect(uncovered.href).toBe("/?state=uncovered&labels=region%3Deu-de");
    expect(parseFleetQuery(params(uncovered.href.slice(2)))).toEqual(query({ state: "uncovered", labels: "region=eu-de" }));
  });
});
