import { describe, expect, it } from "vitest";
import { computeClusterCoverage } from "@/lib/coverage";
import { KubeError } from "@/lib/kube/errors";
import { toWorkloadDto, toPodDto, toPullSecretDto } from "@/lib/kube/mappers";
import type { ClusterInfo, ProbeResult, PullSecretDto, PullSecretInventory, ServiceAccountDto, WorkloadDto } from "@/lib/kube/port";
import { buildDockerConfigJson, buildIamApiKeyDockerConfigJson } from "@/lib/registry/docker-config";
import { credentialFingerprint } from "@/lib/registry/fingerprint";
import { scanCluster } from "./cluster-scan";
import { fleetRow } from "./fleet";
import { buildMatrixPayload } from "./matrix";
import { STATE_BY_CODE } from "@/lib/api/matrix";
import { buildNamespaceDetail } from "./namespace-detail";
import { provenanceAnnotations } from "@/lib/provenance/annotations";
import { createVerificationLog } from "./verification-state";

// Local fixtures (unit tests stay independent of sim/); every credential carries a canary.
const CANARY = "PKCANARY-queries-91ab";
const KEY = `current_${CANARY}_0123456789abcdef0123`;
const OLD_KEY = `revoked_${CANARY}_0123456789abcdef0123`;
const TOKEN = `eyJhbGciOiJIUzI1NiJ9.legacy-${CANARY}.c2ln`;
const b64 = (s: string) => Buffer.from(s).toString("base64");
const DOMAINS = ["icr.io", "us.icr.io", "uk.icr.io", "de.icr.io", "au.icr.io", "jp.icr.io"];

function secret(namespace: string, name: string, json: string, annotations?: Record<string, string>, labels?: Record<string, string>): PullSecretDto {
  const dto = toPullSecretDto("c", { metadata: { name, namespace, creationTimestamp: "2024-01-01T00:00:00Z", ...(annotations ? { annotations } : {}), ...(labels ? { labels } : {}) }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": b64(json) } });
  if (!dto) throw new Error("not a pull secret");
  return dto;
}
const sa = (namespace: string, name: string, imagePullSecrets: string[]): ServiceAccountDto => ({ cluster: "c", namespace, name, imagePullSecrets, createdAt: null, labels: {}, managedBy: null, resourceVersion: "1" });
const pod = (namespace: string, name: string, image: string, pullSecrets: string[] = []): WorkloadDto =>
  toPodDto("c", { metadata: { name, namespace }, spec: { containers: [{ name: "app", image }], imagePullSecrets: pullSecrets.map((n) => ({ name: n })) }, status: { phase: "Running" } });
const deployment = (namespace: string, name: string, image: string): WorkloadDto =>
  toWorkloadDto("c", "Deployment", { metadata: { name, namespace }, spec: { selector: {}, template: { spec: { containers: [{ name: "app", image }] } } } });

function fixture(): PullSecretInventory {
  const pullSecrets = [
    secret("default", "all-icr-io", buildIamApiKeyDockerConfigJson({ apiKey: KEY, domains: DOMAINS })),
    secret("team-a", "team-a-us-icr-io", buildIamApiKeyDockerConfigJson({ apiKey: OLD_KEY, domains: ["us.icr.io"] }), {
      "replicator.v1.mittwald.de/replicate-from": "default/all-icr-io",
    }),
    secret("team-b", "all-icr-io", buildIamApiKeyDockerConfigJson({ apiKey: KEY, domains: DOMAINS }), undefined, { "app.kubernetes.io/managed-by": "pullkeeper" }),
    secret("old", "bluemix-default-secret", buildDockerConfigJson([{ registry: "registry.ng.bluemix.net", username: "token", password: TOKEN }])),
  ];
  return {
    cluster: "c",
    readAt: "2025-01-01T00:00:00Z",
    scope: "cluster",
    namespaces: [
      { cluster: "c", name: "default", labels: {}, phase: "Active", createdAt: null },
      { cluster: "c", name: "team-a", labels: { team: "a", env: "prod" }, phase: "Active", createdAt: null },
      { cluster: "c", name: "team-b", labels: { team: "b", env: "dev" }, phase: "Active", createdAt: null },
      { cluster: "c", name: "old", labels: { env: "prod" }, phase: "Active", createdAt: null },
      { cluster: "c", name: "empty", labels: {}, phase: "Active", createdAt: null },
    ],
    unreadableNamespaces: [],
    pullSecrets,
    serviceAccounts: [
      sa("default", "default", ["all-icr-io"]),
      sa("team-a", "default", ["team-a-us-icr-io"]),
      sa("team-b", "default", []),
      sa("old", "default", ["bluemix-default-secret"]),
      sa("empty", "default", ["gone-secret"]),
    ],
    workloads: [pod("empty", "web-1", "us.icr.io/web/app:1"), deployment("empty", "web", "us.icr.io/web/app:1"), pod("team-b", "api-1", "docker.io/library/nginx:1")],
    notes: [],
    requestCount: 5,
  };
}

const INFO: ClusterInfo = { name: "c", clusterEntry: "c", server: "https://c.example:6443", user: "admin", namespace: null, sourceFile: "/k/config" };
const PROBE_OK: ProbeResult = { cluster: "c", status: "reachable", message: "Connected as admin.", serverVersion: "v1.30.0", identity: { username: "admin", groups: [], source: "self-subject-review" }, latencyMs: 3, checkedAt: "2025-01-01T00:00:00Z" };

describe("scanCluster", () => {
  it("reads inventory and coverage when the probe gets through", async () => {
    const scan = await scanCluster({ probe: async () => PROBE_OK, readPullSecretInventory: async () => fixture() }, INFO);
    expect(scan.coverage?.summary.namespaceCount).toBe(5);
    expect(scan.error).toBeNull();
  });

  it("does not read the inventory of a cluster whose credentials are rejected, and keeps the probe's message", async () => {
    let reads = 0;
    const scan = await scanCluster(
      { probe: async () => ({ ...PROBE_OK, status: "unauthorized", message: "The API server rejected the kubeconfig credentials (401).", identity: null }), readPullSecretInventory: async () => (reads++, fixture()) },
      INFO,
    );
    expect(reads).toBe(0);
    const row = fleetRow(scan);
    expect(row).toMatchObject({ status: "unauthorized", message: "The API server rejected the kubeconfig credentials (401).", namespaceCount: null, needsMigration: false });
  });

  it("turns a KubeError while reading into a row that says why; other errors are bugs and propagate", async () => {
    const failing = { probe: async () => PROBE_OK, readPullSecretInventory: async () => Promise.reject(new KubeError("timeout", "Listing secrets timed out after 15 s.", { cluster: "c" })) };
    const scan = await scanCluster(failing, INFO);
    expect(fleetRow(scan)).toMatchObject({ scanError: "Listing secrets timed out after 15 s.", namespaceCount: null });
    await expect(scanCluster({ probe: async () => PROBE_OK, readPullSecretInventory: async () => Promise.reject(new TypeError("bug")) }, INFO)).rejects.toThrow("bug");
  });
});

describe("fleetRow", () => {
  it("summarises coverage per registry group, legacy secrets, risk, and asks for migration", async () => {
    const scan = await scanCluster({ probe: async () => PROBE_OK, readPullSecretInventory: async () => fixture() }, INFO);
    const row = fleetRow(scan);
    expect(row).toMatchObject({ cluster: "c", status: "reachable", identity: "admin", serverVersion: "v1.30.0", namespaceCount: 5, legacySecretCount: 1, needsMigration: true, staleCopies: 1 });
    expect(row.workloadsAtRisk).toBeGreaterThanOrEqual(2);
    const icr = row.groups.find((g) => g.group === "icr")!;
    expect(icr).toMatchObject({ label: "icr.io", fullyCovered: 1, partiallyCovered: 1, uncovered: 3 });
    expect(icr.share).toBeCloseTo(0.2);
  });
});

describe("buildMatrixPayload", () => {
  const inv = fixture();
  const coverage = computeClusterCoverage(inv);

  it("encodes one row per namespace with two characters per domain, interned labels and finding counts", () => {
    const payload = buildMatrixPayload(coverage, inv, createVerificationLog().lookup, "2025-01-01T00:00:00Z");
    expect(payload.domains.map((d) => d.registry)).toEqual(coverage.domains);
    expect(payload.domains.find((d) => d.registry === "registry.ng.bluemix.net")).toMatchObject({ group: "legacy-icr", successor: "us.icr.io" });
    const byNs = new Map(payload.rows.map((r) => [r[0], r]));
    const state = (ns: string, registry: string) => {
      const i = payload.domains.findIndex((d) => d.registry === registry);
      return STATE_BY_CODE[byNs.get(ns)![1][i * 2]!];
    };
    expect(state("default", "us.icr.io")).toBe("covered");
    expect(state("team-b", "us.icr.io")).toBe("not_attached");
    expect(state("old", "registry.ng.bluemix.net")).toBe("legacy_only");
    expect(state("empty", "us.icr.io")).toBe("missing");
    expect(byNs.get("default")![1]).toHaveLength(payload.domains.length * 2);
    const teamA = byNs.get("team-a")!;
    expect(teamA[2].map((i) => payload.labelPairs[i]).sort()).toEqual(["env=prod", "team=a"]);
    expect(teamA[5]).toBe(1); // stale copy
    const empty = byNs.get("empty")!;
    expect(empty[3]).toBeGreaterThanOrEqual(2); // pod and deployment at risk
    expect(empty[4]).toBe(1); // dangling SA reference
    expect(payload.labelPairs.filter((p) => p === "env=prod")).toHaveLength(1);
  });

  it("marks a cell verified when the credential behind it was verified, by fingerprint", () => {
    const log = createVerificationLog();
    log.record({ domain: "us.icr.io", username: "iamapikey", fingerprint: credentialFingerprint("iamapikey", KEY), result: "valid", latencyMs: 5, checkedAt: "2025-01-01T00:00:00Z", detail: "ok", credentialTested: true });
    log.record({ domain: "us.icr.io", username: "iamapikey", fingerprint: credentialFingerprint("iamapikey", OLD_KEY), result: "rejected", latencyMs: 5, checkedAt: "2025-01-01T00:00:00Z", detail: "denied", credentialTested: true });
    const payload = buildMatrixPayload(coverage, inv, log.lookup, "t");
    const us = payload.domains.findIndex((d) => d.registry === "us.icr.io");
    const uk = payload.domains.findIndex((d) => d.registry === "uk.icr.io");
    const cells = (ns: string) => payload.rows.find((r) => r[0] === ns)![1];
    expect(cells("default").slice(us * 2, us * 2 + 2)).toBe("Cv");
    expect(cells("default").slice(uk * 2, uk * 2 + 2)).toBe("C-");
    expect(cells("team-a").slice(us * 2, us * 2 + 2)).toBe("Cr");
  });

  it("carries no credential and stays small", () => {
    const payload = buildMatrixPayload(coverage, inv, createVerificationLog().lookup, "t");
    const json = JSON.stringify(payload);
    expect(json).not.toContain(CANARY);
    expect(json.length).toBeLessThan(JSON.stringify(coverage).length / 2);
  });
});

describe("buildNamespaceDetail", () => {
  const inv = fixture();
  const coverage = computeClusterCoverage(inv);
  const lookup = createVerificationLog().lookup;

  it("lists secrets with copy state, who uses them, and never a credential", () => {
    const d = buildNamespaceDetail(coverage, inv, "team-a", lookup)!;
    expect(d.pullSecrets).toHaveLength(1);
    expect(d.pullSecrets[0]).toMatchObject({ name: "team-a-us-icr-io", copyOf: { namespace: "default", name: "all-icr-io" }, copyState: "stale", usedBy: ["ServiceAccount/default"], legacy: false });
    expect(d.pullSecrets[0]!.entries[0]).toMatchObject({ registry: "us.icr.io", username: "iamapikey", credentialKind: "iam-api-key", verification: { status: "never" } });
    expect(JSON.stringify(buildNamespaceDetail(coverage, inv, "old", lookup))).not.toContain(CANARY);
  });

  it("flags dangling references and says which images cannot be pulled", () => {
    const d = buildNamespaceDetail(coverage, inv, "empty", lookup)!;
    expect(d.serviceAccounts[0]).toMatchObject({ name: "default", pullSecrets: [{ name: "gone-secret", exists: false }] });
    expect(d.danglingReferences).toEqual([{ referencedBy: "ServiceAccount/default", secret: "gone-secret" }]);
    const web = d.workloads.find((w) => w.kind === "Deployment")!;
    expect(web.images[0]).toMatchObject({ registry: "us.icr.io", pull: "at_risk" });
    expect(d.coverage.find((c) => c.registry === "us.icr.io")).toMatchObject({ state: "missing", secrets: [] });
  });

  it("treats Docker Hub images as public and shows legacy secrets as such", () => {
    expect(buildNamespaceDetail(coverage, inv, "team-b", lookup)!.workloads[0]!.images[0]).toMatchObject({ pull: "public", group: "docker-hub" });
    expect(buildNamespaceDetail(coverage, inv, "old", lookup)!.pullSecrets[0]).toMatchObject({ legacy: true, managedBy: null });
    expect(buildNamespaceDetail(coverage, inv, "team-b", lookup)!.pullSecrets[0]).toMatchObject({ managedBy: "pullkeeper", usedBy: [] });
  });

  it("offers Delete only for a Pullkeeper secret carrying provenance, not for a managed-by label alone", () => {
    expect(buildNamespaceDetail(coverage, inv, "team-b", lookup)!.pullSecrets[0]).toMatchObject({ managedBy: "pullkeeper", deletable: false });
    const annotated = secret("team-b", "all-icr-io", buildIamApiKeyDockerConfigJson({ apiKey: KEY, domains: DOMAINS }), provenanceAnnotations({ operationId: "op-1", origin: "secret", sourceCluster: "c" }), {
      "app.kubernetes.io/managed-by": "pullkeeper",
    });
    const withProvenance = { ...inv, pullSecrets: inv.pullSecrets.map((s) => (s.namespace === "team-b" ? annotated : s)) };
    expect(buildNamespaceDetail(computeClusterCoverage(withProvenance), withProvenance, "team-b", lookup)!.pullSecrets[0]).toMatchObject({ deletable: true });
    expect(buildNamespaceDetail(coverage, inv, "team-a", lookup)!.pullSecrets[0]).toMatchObject({ deletable: false });
  });

  it("returns null for a namespace the scan does not know", () => {
    expect(buildNamespaceDetail(coverage, inv, "nope", lookup)).toBeNull();
  });

  it("counts an image as private when a secret in another namespace names its registry, and reads only the namespace's own pods", () => {
    // quay.example.com is named only by a secret in team-a; team-b's pod pulls from it with no secret of its own.
    const privateSecret = secret("team-a", "quay", buildDockerConfigJson([{ registry: "quay.example.com", username: "robot", password: `pw-${CANARY}` }]));
    const withPrivate = {
      ...inv,
      pullSecrets: [...inv.pullSecrets, privateSecret],
      workloads: [...inv.workloads, pod("team-b", "worker-1", "quay.example.com/team/worker:2"), pod("team-a", "other-1", "quay.example.com/team/other:1")],
    };
    const d = buildNamespaceDetail(computeClusterCoverage(withPrivate), withPrivate, "team-b", lookup)!;
    expect(d.workloads.find((w) => w.name === "worker-1")!.images[0]).toMatchObject({ registry: "quay.example.com", pull: "at_risk" });
    expect(d.pulls.map((g) => [g.pods, g.cause, g.state])).toEqual([[["worker-1"], "no_credential", "latent"]]);
  });
});
