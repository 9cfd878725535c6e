import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { clusterLabelling, currentClusterLabels } from "@/lib/clusters/labels";
import { createClusterStore, type ClusterStore } from "@/lib/clusters/store";
import { clusterDirectory } from "@/lib/fleet-view/labels";
import { DEFAULT_FLEET_QUERY, entryCluster, fleetSummary, scopeFleet, type FleetEntry } from "@/lib/fleet-view/model";
import { createCredentialCipher } from "@/lib/sealing/credential-cipher";
import { PROVIDERS, useMigratedDatabase } from "../support/databases";

/**
 * Cluster display names and labels as the fleet page and keeping rules read them from the cluster store (both
 * databases): kubeconfig contexts edited on the clusters page, registered clusters, and contexts nobody edited.
 */
describe.each(PROVIDERS)("cluster labels for the fleet filter and rule selectors (%s)", (provider) => {
  const db = useMigratedDatabase(provider);
  let store: ClusterStore;
  const fleet = ["regional", "legacy", "modern", "edge-1"];
  const waiting = (names: string[]): FleetEntry[] => names.map((cluster) => ({ state: "waiting", cluster }));

  beforeAll(async () => {
    store = createClusterStore(db.connection.prisma, createCredentialCipher(randomBytes(32)));
    await store.updateCluster("regional", { displayName: "Regional (Frankfurt)", labels: { env: "prod", region: "eu-de" } }, "admin@example.com");
    await store.updateCluster("legacy", { labels: { env: "dev" } }, "admin@example.com");
    await store.saveRegisteredCluster({ name: "edge-1", server: "https://edge-1.example.com:6443", caPem: null, token: "sa-token-0123456789", labels: { env: "prod", region: "us-south" } }, "admin@example.com");
  });

  it("gives every named cluster its display name and labels, an unedited context its own name and none", async () => {
    expect(await clusterLabelling(store, fleet)).toEqual([
      { name: "regional", displayName: "Regional (Frankfurt)", labels: { env: "prod", region: "eu-de" } },
      { name: "legacy", displayName: "legacy", labels: { env: "dev" } },
      { name: "modern", displayName: "modern", labels: {} },
      { name: "edge-1", displayName: "edge-1", labels: { env: "prod", region: "us-south" } },
    ]);
    expect(await currentClusterLabels(store, "modern")).toEqual({});
  });

  it("filters the fleet by label selector, and the summary counts only those clusters", async () => {
    const directory = clusterDirectory(await clusterLabelling(store, fleet));
    const scoped = (labels: string) => scopeFleet(waiting(fleet), { ...DEFAULT_FLEET_QUERY, labels }, directory).map(entryCluster);
    expect(scoped("env=prod")).toEqual(["regional", "edge-1"]);
    expect(scoped("env=prod,region!=us-south")).toEqual(["regional"]);
    expect(scoped("env notin (prod)")).toEqual(["legacy", "modern"]);
    expect(fleetSummary(scopeFleet(waiting(fleet), { ...DEFAULT_FLEET_QUERY, labels: "env" }, directory))).toMatchObject({ clusters: 3, answered: 0 });
  });

  it("follows a relabelling at the next read", async () => {
    await store.updateCluster("modern", { labels: { env: "prod", region: "eu-gb" } }, "admin@example.com");
    const directory = clusterDirectory(await clusterLabelling(store, fleet));
    expect(scopeFleet(waiting(fleet), { ...DEFAULT_FLEET_QUERY, labels: "env=prod" }, directory).map(entryCluster)).toEqual(["regional", "modern", "edge-1"]);
    await store.updateCluster("modern", { labels: {} }, "admin@example.com");
    expect(await currentClusterLabels(store, "modern")).toEqual({});
  });
});
