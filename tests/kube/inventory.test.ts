import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREDENTIAL_CANARY } from "@/sim/demo-credentials";
import { createKubeGateway, type PullSecretInventory } from "@/lib/kube";
import { startHarness, type Harness } from "./support";

let h: Harness;
let baseline: PullSecretInventory;

beforeAll(async () => {
  h = await startHarness();
  baseline = await h.gateway().readPullSecretInventory("c1");
});
afterAll(async () => h.close());

/** The inventory without the fields that legitimately differ between reads. */
function comparable(inv: PullSecretInventory) {
  const sort = <T extends { namespace?: string; name: string }>(xs: T[]) => [...xs].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  return { namespaces: sort(inv.namespaces), pullSecrets: sort(inv.pullSecrets), serviceAccounts: sort(inv.serviceAccounts), workloads: sort(inv.workloads) };
}

describe("readPullSecretInventory", () => {
  it("reads pull secrets of both types, service accounts and workloads (pods, deployments, statefulsets, daemonsets) cluster-wide in eight lists", async () => {
    h.sim.resetStats();
    const inv = await h.gateway().readPullSecretInventory("c1");
    expect(inv.scope).toBe("cluster");
    expect(inv.requestCount).toBe(8);
    expect(h.sim.stats().total).toBe(8);
    expect(inv.pullSecrets.map((s) => `${s.namespace}/${s.name}`).sort()).toEqual(["default/all-icr-io", "default/bluemix-default-secret", "payments/old-cfg", "team-a-web/team-a-web-us-icr-io"]);
    expect(inv.pullSecrets.find((s) => s.name === "old-cfg")).toMatchObject({ type: "kubernetes.io/dockercfg", registries: [{ registry: "us.icr.io", credentialKind: "iam-api-key" }] });
    expect(inv.serviceAccounts.find((s) => s.namespace === "default" && s.name === "default")?.imagePullSecrets).toEqual(["all-icr-io", "bluemix-default-secret"]);
    expect(inv.workloads.find((w) => w.kind === "Deployment")).toMatchObject({ name: "web", images: [{ image: "registry.ng.bluemix.net/team/init:1", init: true }, { image: "registry.ng.bluemix.net/team/web:2" }, { image: "nginx:1.25" }] });
    expect(inv.workloads.find((w) => w.kind === "Pod")).toMatchObject({ name: "web-abc12-xyz", owner: { deployment: "web" }, serviceAccountName: "default" });
  });

  it("never carries a secret value (canary)", () => {
    const text = JSON.stringify(baseline);
    expect(text).not.toContain(CREDENTIAL_CANARY);
    expect(text).not.toContain("last-applied-configuration");
    expect(text).not.toContain('"auth"');
  });

  it("pages with a small limit and returns the same inventory", async () => {
    h.sim.resetStats();
    const inv = await h.gateway("admin", { pageSize: 2 }).readPullSecretInventory("c1");
    expect(comparable(inv)).toEqual(comparable(baseline));
    expect(inv.requestCount).toBeGreaterThan(8);
    expect(h.sim.stats().byKey["list namespaces"]).toBe(4); // 7 namespaces, 2 per page
  });

  it("survives 5% server errors, 429s and dropped connections on every read", async () => {
    const clean = (await h.gateway("admin", { pageSize: 1 }).readPullSecretInventory("c1")).requestCount;
    h.sim.setFaults({ errorRate: 0.05, rateLimitRate: 0.05, retryAfterSeconds: 0, dropRate: 0.02, seed: 7 });
    try {
      const g = h.gateway("admin", { pageSize: 1, retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 100 } });
      let retried = 0;
      for (let i = 0; i < 3; i++) {
        const inv = await g.readPullSecretInventory("c1");
        expect(comparable(inv)).toEqual(comparable(baseline));
        retried += inv.requestCount - clean;
      }
      expect(retried).toBeGreaterThan(0);
    } finally {
      h.sim.setFaults({});
    }
  });

  it("falls back to per-namespace lists when cluster-wide listing is forbidden (team-a)", async () => {
    h.sim.resetStats();
    const inv = await h.gateway("team-a", { namespace: "team-a-web" }).readPullSecretInventory("c1", { knownNamespaces: ["team-a-api", "payments"] });
    expect(inv.scope).toBe("namespaces");
    expect(inv.namespaces.map((n) => n.name)).toEqual(["team-a-web", "team-a-api", "payments"]);
    expect(inv.pullSecrets.map((s) => s.name)).toEqual(["team-a-web-us-icr-io"]);
    expect(inv.serviceAccounts.map((s) => `${s.namespace}/${s.name}`).sort()).toEqual(["team-a-api/default", "team-a-web/builder", "team-a-web/default"]);
    expect(inv.unreadableNamespaces.map((u) => u.namespace)).toEqual(["payments"]);
    expect(inv.notes.join(" ")).toMatch(/Listing namespaces is forbidden/);
    expect(inv.notes.join(" ")).toMatch(/namespace by namespace/);
  });

  it("marks namespaces unreadable when secrets may not be listed anywhere (no-secrets user)", async () => {
    const inv = await h.gateway("no-secrets").readPullSecretInventory("c1");
    expect(inv.scope).toBe("namespaces");
    expect(inv.namespaces).toHaveLength(baseline.namespaces.length);
    expect(inv.pullSecrets).toEqual([]);
    expect(inv.serviceAccounts).toHaveLength(baseline.serviceAccounts.length);
    expect(inv.unreadableNamespaces.map((u) => u.namespace).sort()).toEqual(baseline.namespaces.map((n) => n.name).sort());
    expect(inv.unreadableNamespaces[0]?.message).toMatch(/secrets/);
  });

  it("says so when nothing can be read", async () => {
    const inv = await h.gateway("team-a").readPullSecretInventory("c1");
    expect(inv.namespaces).toEqual([]);
    expect(inv.notes[0]).toMatch(/names no namespace/);
  });

  it("does not list namespace by namespace when the cluster-wide list is allowed", async () => {
    h.sim.resetStats();
    await h.gateway("viewer").readPullSecretInventory("c1");
    const keys = Object.keys(h.sim.stats().byKey);
    expect(keys.every((k) => k.startsWith("list "))).toBe(true);
    expect(h.sim.stats().total).toBe(8);
  });
});

describe("kubeconfig loading", () => {
  it("merges files like KUBECONFIG, first file wins, missing files skipped", () => {
    const a = h.kubeconfigFor("admin", { namespace: "payments" });
    const b = path.join(h.dir, "second");
    fs.writeFileSync(
      b,
      fs
        .readFileSync(h.kubeconfigFor("viewer"), "utf8")
        .replace(/- name: c1\n  context:/, "- name: c2\n  context:")
        .replace("current-context: c1", "current-context: c2"),
    );
    const g = createKubeGateway({ kubeconfigPaths: [path.join(h.dir, "missing"), a, b] });
    expect(g.listClusters()).toEqual([
      { name: "c1", clusterEntry: "c1", server: h.sim.url, user: "admin", namespace: "payments", sourceFile: a },
      { name: "c2", clusterEntry: "c1", server: h.sim.url, user: "viewer", namespace: null, sourceFile: b },
    ]);
    expect(g.configProblems()).toEqual([]);
  });

  it("reports an unreadable file without its content", () => {
    const bad = path.join(h.dir, "bad");
    fs.writeFileSync(bad, `clusters: [ {{ ${CREDENTIAL_CANARY}`);
    const g = createKubeGateway({ kubeconfigPaths: [bad] });
    expect(g.listClusters()).toEqual([]);
    expect(g.configProblems()[0]).toContain(bad);
    expect(g.configProblems().join()).not.toContain(CREDENTIAL_CANARY);
  });
});
