import { describe, expect, it } from "vitest";
import { PullSecretContentMemo, toPodDto, toPullSecretDto } from "@/lib/kube/mappers";
import type { PullSecretDto, PullSecretInventory, ServiceAccountDto } from "@/lib/kube/port";
import { buildIamApiKeyDockerConfigJson } from "@/lib/registry/docker-config";
import { credentialFingerprint } from "@/lib/registry/fingerprint";
import { computeClusterCoverage } from "./compute";
import { testInventory } from "./test-inventory";
import type { CoverageOptions, KeyOwnerFact } from "./types";

// Namespaces alike share one frozen row of cells (compute.ts, coverNamespaces). These tests pin that sharing
// against the same computation with nothing shared: equal results, whatever the namespace holds.
const CANARY = "PKCANARY-unit-shared-rows";
const LIVE = `live_${CANARY}_0123456789abcdef0123`;
const DEAD = `dead_${CANARY}_0123456789abcdef01234`;
const b64 = (s: string) => Buffer.from(s).toString("base64");

/** A cluster as lib/kube reads it: copies of equal content share their parsed entry list (the content memo). */
function realisticInventory(): PullSecretInventory {
  const memo = new PullSecretContentMemo();
  const secret = (namespace: string, name: string, data: string): PullSecretDto => {
    const dto = toPullSecretDto("c", { metadata: { name, namespace }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": data } }, memo);
    if (!dto) throw new Error("not a pull secret");
    return dto;
  };
  const allIcr = b64(buildIamApiKeyDockerConfigJson({ apiKey: LIVE, domains: ["us.icr.io", "de.icr.io", "icr.io"] }));
  const usAndJp = b64(buildIamApiKeyDockerConfigJson({ apiKey: LIVE, domains: ["us.icr.io", "jp.icr.io"] }));
  const deadUs = b64(buildIamApiKeyDockerConfigJson({ apiKey: DEAD, domains: ["us.icr.io"] }));
  const sa = (namespace: string, imagePullSecrets: string[], name = "default"): ServiceAccountDto => ({ cluster: "c", namespace, name, imagePullSecrets, createdAt: null, labels: {}, managedBy: null, resourceVersion: "1" });

  const namespaces = ["default", "kube-system"];
  const secrets = [secret("default", "all-icr-io", allIcr)];
  const accounts = [sa("default", ["all-icr-io"]), sa("kube-system", [])];
  for (let i = 0; i < 40; i++) {
    const ns = `team-${i}`;
    namespaces.push(ns);
    // Most namespaces: the same copy, attached. Every fifth: a seed-recipe copy named after the namespace;
    // every seventh: a second, dead secret listed first; every ninth: the copy is not attached; every eleventh: no default SA.
    const name = i % 5 === 0 ? `${ns}-us-icr-io` : "all-icr-io";
    secrets.push(secret(ns, name, i % 5 === 0 ? usAndJp : allIcr));
    if (i % 7 === 0) secrets.unshift(secret(ns, "old-key", deadUs));
    if (i % 13 === 0) secrets.push(secret(ns, "broken", b64("{not json")));
    if (i % 11 !== 0) accounts.push(sa(ns, i % 9 === 0 ? [] : i % 7 === 0 ? ["old-key"] : [name, "gone"]));
  }
  const workloads = [
    toPodDto("c", { metadata: { name: "web", namespace: "team-3" }, spec: { containers: [{ name: "c", image: "us.icr.io/team/web:1" }] }, status: { phase: "Running" } }),
    toPodDto("c", { metadata: { name: "cache", namespace: "team-4" }, spec: { containers: [{ name: "c", image: "jp.icr.io/team/cache:1" }] }, status: { phase: "Running" } }),
  ];
  return testInventory(namespaces, secrets, accounts, workloads);
}

/** The same inventory with no two secrets sharing an entry list, so nothing can be judged once for several namespaces. */
function unshared(inv: PullSecretInventory): PullSecretInventory {
  return { ...inv, pullSecrets: inv.pullSecrets.map((s) => ({ ...s, registries: structuredClone(s.registries) })) };
}

const fp = credentialFingerprint("iamapikey", DEAD);
const options: CoverageOptions = {
  keyOwners: new Map<string, KeyOwnerFact>([[fp, { status: "unknown", checkedAt: "2026-03-01T10:00:00Z" }]]),
  requiredRegistries: new Map([["team-8", new Set(["jp.icr.io"])]]),
};

describe("rows shared between namespaces alike", () => {
  it("give exactly the result of judging every namespace on its own", () => {
    const inv = realisticInventory();
    const shared = computeClusterCoverage(inv, options);
    const alone = computeClusterCoverage(unshared(inv), options);
    expect(shared).toEqual(alone);
    // The fixture exercises every state the sharing could confuse.
    const states = new Set(shared.namespaces.flatMap((n) => n.domains.map((d) => `${d.state}/${d.needed}`)));
    expect(states).toEqual(new Set(["covered/true", "covered/false", "rejected/true", "not_attached/true", "not_attached/false", "missing/true", "missing/false"]));
  });

  it("are shared only between namespaces with the same secrets, attachments and needs", () => {
    const cov = computeClusterCoverage(realisticInventory(), options);
    const row = (ns: string) => cov.namespaces.find((n) => n.namespace === ns)!.domains;
    expect(row("team-1")).toBe(row("team-2")); // same copy, attached, needed by the convention alone
    expect(row("team-3")).not.toBe(row("team-1")); // a pod there pulls from us.icr.io: its own reasons
    expect(row("team-5")).not.toBe(row("team-10")); // seed-recipe copies: each names its own secret
    expect(row("team-9")).not.toBe(row("team-1")); // not attached
    expect(row("team-5").find((d) => d.registry === "us.icr.io")!.secrets).toEqual(["team-5-us-icr-io"]);
    expect(row("team-7").find((d) => d.registry === "us.icr.io")).toMatchObject({ state: "rejected", secrets: ["old-key"], rejection: { by: "iam", secret: "old-key" } });
    expect(new Set(cov.namespaces.map((n) => n.domains)).size).toBeLessThan(cov.namespaces.length / 2);
  });

  it("are frozen, so a reader cannot change another namespace's cells", () => {
    const cov = computeClusterCoverage(realisticInventory(), options);
    const cells = cov.namespaces.find((n) => n.namespace === "team-1")!.domains;
    expect(() => cells.push(cells[0]!)).toThrow(TypeError);
    expect(() => {
      cells[0]!.state = "missing";
    }).toThrow(TypeError);
    expect(() => cells[0]!.neededBecause.push({ kind: "rule" })).toThrow(TypeError);
  });

  it("count in the summary once per namespace", () => {
    const cov = computeClusterCoverage(realisticInventory(), options);
    for (const [i, registry] of cov.domains.entries()) {
      const counts = cov.summary.domains[i]!.counts;
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      expect(total).toBe(cov.namespaces.length);
      const covered = cov.namespaces.filter((n) => n.domains.find((d) => d.registry === registry)?.state === "covered").length;
      expect(counts.covered).toBe(covered);
    }
    const icr = cov.summary.groups.find((g) => g.group === "icr")!;
    expect(icr.fullyCovered + icr.partiallyCovered + icr.uncovered + icr.notNeeded).toBe(cov.namespaces.length);
  });
});
