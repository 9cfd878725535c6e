import { describe, expect, it } from "vitest";
import { demoClusterSpec } from "./index";
import { CREDENTIAL_CANARY, DEMO_CLUSTER_SERVICE_IDS } from "../demo-credentials";
import { Store } from "../kube/store";
import { seedStore } from "../kube/seed";

type Obj = Record<string, any>;
const of = (objects: Obj[], kind: string, ns?: string) => objects.filter((o) => o.kind === kind && (ns === undefined || o.metadata.namespace === ns));
const auths = (s: Obj) => JSON.parse(Buffer.from(s.data[".dockerconfigjson"], "base64").toString()).auths as Record<string, Obj>;
const seeded = (name: Parameters<typeof demoClusterSpec>[0], count?: number) => {
  const spec = demoClusterSpec(name, { largeNamespaceCount: count });
  const store = new Store();
  seedStore(store, spec.objects);
  return { spec, store };
};

describe("demo fleet", () => {
  it("legacy: registry-token secrets for bluemix domains, attached in default and kube-system, created before 2019-02-25", () => {
    const { spec, store } = seeded("legacy");
    expect(spec.serverVersion.minor).toBe("27");
    for (const ns of ["default", "kube-system"]) {
      const names = of(spec.objects, "Secret", ns).map((s) => s.metadata.name).sort();
      expect(names).toEqual(["bluemix-default-secret", "bluemix-default-secret-international", "bluemix-default-secret-regional"]);
      expect(store.get("serviceaccounts", ns, "default")!.imagePullSecrets).toHaveLength(3);
    }
    const intl = of(spec.objects, "Secret", "default").find((s) => s.metadata.name === "bluemix-default-secret-international")!;
    expect(Object.keys(auths(intl))).toEqual(["registry.bluemix.net"]);
    expect(auths(intl)["registry.bluemix.net"]!.username).toBe("token");
    expect(Date.parse(store.get("namespaces", undefined, "default")!.metadata.creationTimestamp)).toBeLessThan(Date.parse("2019-02-25T00:00:00Z"));
    expect(of(spec.objects, "Deployment").every((d) => /^registry\.(ng\.)?bluemix\.net\//.test(d.spec.template.spec.containers[0].image))).toBe(true);
  });

  it("regional: six default secrets, stale copies, a dangling reference, Helm and replicator objects, and uncovered namespaces", () => {
    const { spec, store } = seeded("regional");
    const defaults = of(spec.objects, "Secret", "default").map((s) => s.metadata.name).sort();
    expect(defaults).toEqual(["default-au-icr-io", "default-de-icr-io", "default-icr-io", "default-jp-icr-io", "default-uk-icr-io", "default-us-icr-io"]);
    const stale = of(spec.objects, "Secret").filter((s) => s.type === "kubernetes.io/dockerconfigjson" && Object.values(auths(s)).some((a) => a.password === DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey));
    expect(stale.map((s) => s.metadata.namespace).sort()).toEqual(["checkout", "checkout", "inventory"]);
    expect(store.get("serviceaccounts", "web-staging", "default")!.imagePullSecrets).toEqual([{ name: "web-staging-us-icr-io" }]);
    expect(store.get("secrets", "web-staging", "web-staging-us-icr-io")).toBeUndefined();
    expect(store.get("serviceaccounts", "search", "default")!.metadata.labels["app.kubernetes.io/managed-by"]).toBe("Helm");
    expect(store.get("secrets", "analytics", "default-us-icr-io")!.metadata.annotations["replicator.v1.mittwald.de/replicate-from"]).toBe("default/default-us-icr-io");
    expect(of(spec.objects, "Pod", "web-frontend").every((p) => p.spec.imagePullSecrets[0].name === "web-pull")).toBe(true);
    const coversUs = (ns: string) => store.list("secrets", ns).some((s) => s.type === "kubernetes.io/dockerconfigjson" && "us.icr.io" in auths(s));
    const uncovered = store.list("namespaces").map((n) => n.metadata.name).filter((n) => !n.startsWith("kube-") && n !== "ibm-system" && !coversUs(n));
    expect(uncovered).toEqual(expect.arrayContaining(["ml-training", "shipping", "sandbox", "qa", "web-staging", "monitoring", "batch-jobs"]));
    expect(store.list("namespaces").filter((n) => n.metadata.labels.team).length).toBeGreaterThanOrEqual(12);
  });

  it("modern: one all-icr-io covering every icr.io domain, attached to default", () => {
    const { spec, store } = seeded("modern");
    const all = store.get("secrets", "default", "all-icr-io")!;
    expect(Object.keys(auths(all))).toEqual(expect.arrayContaining(["icr.io", "us.icr.io", "uk.icr.io", "de.icr.io", "au.icr.io", "jp.icr.io"]));
    expect(Object.values(auths(all)).every((a) => a.password === DEMO_CLUSTER_SERVICE_IDS.modern.apiKey && a.username === "iamapikey")).toBe(true);
    expect(store.get("serviceaccounts", "default", "default")!.imagePullSecrets).toEqual([{ name: "all-icr-io" }]);
    expect(Number(spec.serverVersion.minor)).toBeGreaterThan(29);
  });

  // How fast it seeds is a benchmark's business (timed assertions flake on a loaded machine), not this test's.
  it("large: 2,000 namespaces with about ten secrets each", () => {
    const { store } = seeded("large");
    expect(store.count("namespaces")).toBe(2004);
    const perNs = store.count("secrets") / 2000;
    expect(perNs).toBeGreaterThanOrEqual(9.5);
    expect(perNs).toBeLessThanOrEqual(10.5);
    const withRefs = store.list("serviceaccounts").filter((sa) => sa.imagePullSecrets?.length).length;
    expect(withRefs).toBeGreaterThan(1000);
    expect(store.count("deployments")).toBeGreaterThan(500);
    expect(store.list("secrets").some((s) => s.type === "kubernetes.io/dockercfg")).toBe(true);
  }, 60_000);

  it("keeps credentials inside secret data only", () => {
    for (const name of ["legacy", "regional", "modern"] as const) {
      const { spec } = seeded(name);
      for (const o of spec.objects) {
        const { data: _data, ...rest } = o;
        expect(JSON.stringify(rest)).not.toContain(CREDENTIAL_CANARY);
      }
    }
  });
});
