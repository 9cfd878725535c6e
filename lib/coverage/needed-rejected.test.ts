import { describe, expect, it } from "vitest";
import { buildDockerConfigJson, buildIamApiKeyDockerConfigJson } from "@/lib/registry/docker-config";
import { credentialFingerprint } from "@/lib/registry/fingerprint";
import { toDeploymentDto, toPodDto, toPullSecretDto } from "@/lib/kube/mappers";
import type { PullSecretDto, ServiceAccountDto, WorkloadDto } from "@/lib/kube/port";
import { computeClusterCoverage } from "./compute";
import { testCell as cell, testInventory as inventory } from "./test-inventory";
import { verdictKey } from "./health";
import { countedState, isRedCell } from "./summary";
import { isSystemNamespace } from "./system-namespaces";
import type { CoverageOptions, KeyOwnerFact, RegistryVerdict } from "./types";

// Local fixtures, each value carrying the canary (unit tests stay independent of sim/).
const CANARY = "PKCANARY-unit-7e2a";
const LIVE = `live_${CANARY}_0123456789abcdef0123456`;
const DEAD = `dead_${CANARY}_0123456789abcdef0123456`;
const fp = (key: string) => credentialFingerprint("iamapikey", key);

function secret(namespace: string, name: string, json: string): PullSecretDto {
  const dto = toPullSecretDto("c", { metadata: { name, namespace }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": Buffer.from(json).toString("base64") } });
  if (!dto) throw new Error("not a pull secret");
  return dto;
}
const icr = (namespace: string, name: string, domains: string[], apiKey = LIVE) => secret(namespace, name, buildIamApiKeyDockerConfigJson({ apiKey, domains }));
const sa = (namespace: string, imagePullSecrets: string[]): ServiceAccountDto => ({ cluster: "c", namespace, name: "default", imagePullSecrets, createdAt: null, labels: {}, managedBy: null, resourceVersion: "1" });
const pod = (namespace: string, name: string, images: string[], phase = "Running"): WorkloadDto =>
  toPodDto("c", { metadata: { name, namespace }, spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) }, status: { phase } });
const deployment = (namespace: string, name: string, images: string[]): WorkloadDto =>
  toDeploymentDto("c", { metadata: { name, namespace }, spec: { selector: {}, template: { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } } });



const rejectedBy = (registry: string, at: string): [string, RegistryVerdict] => [
  verdictKey(registry, "iamapikey", fp(DEAD)),
  { result: "rejected", checkedAt: at, detail: `${registry} rejected the credentials of iamapikey (HTTP 401).` },
];

describe("rejected: attached, but the registry or IAM says the key is dead", () => {
  const team = () => inventory(["team"], [icr("team", "team-us-icr-io", ["us.icr.io", "de.icr.io"], DEAD)], [sa("team", ["team-us-icr-io"])]);
  const run = (opts: CoverageOptions) => computeClusterCoverage(team(), { iksConvention: false, ...opts });

  it("is covered while nothing is known, rejected once the registry's newest check rejected the key (that registry only)", () => {
    expect(cell(run({}), "team", "us.icr.io").state).toBe("covered");
    const cov = run({ registryVerdicts: new Map([rejectedBy("us.icr.io", "2026-03-01T10:00:00Z")]) });
    expect(cell(cov, "team", "us.icr.io")).toMatchObject({
      state: "rejected",
      secrets: ["team-us-icr-io"],
      rejection: { by: "registry", secret: "team-us-icr-io", registry: "us.icr.io", checkedAt: "2026-03-01T10:00:00Z", detail: expect.stringContaining("HTTP 401") },
    });
    expect(cell(cov, "team", "de.icr.io").state).toBe("covered");
    expect(cov.summary.rejected).toBe(1);
    expect(isRedCell(cell(cov, "team", "us.icr.io"))).toBe(true);
  });

  it("is rejected when IAM says the key no longer exists or is disabled; a locked key still pulls", () => {
    const owners = (fact: KeyOwnerFact) => new Map([[fp(DEAD), fact]]);
    expect(cell(run({ keyOwners: owners({ status: "unknown", checkedAt: "2026-03-01T10:00:00Z" }) }), "team", "de.icr.io")).toMatchObject({
      state: "rejected",
      rejection: { by: "iam", reason: "deleted", secret: "team-us-icr-io" },
    });
    expect(cell(run({ keyOwners: owners({ status: "found", serviceId: "ServiceId-a", disabled: true }) }), "team", "us.icr.io").rejection).toMatchObject({ by: "iam", reason: "disabled" });
    expect(cell(run({ keyOwners: owners({ status: "found", serviceId: "ServiceId-a", disabled: false }) }), "team", "us.icr.io").state).toBe("covered");
  });

  it("trusts a registry that accepted the key after IAM said it was gone", () => {
    const keyOwners = new Map<string, KeyOwnerFact>([[fp(DEAD), { status: "unknown", checkedAt: "2026-03-01T10:00:00Z" }]]);
    const valid = (at: string) => new Map<string, RegistryVerdict>([[verdictKey("us.icr.io", "iamapikey", fp(DEAD)), { result: "valid", checkedAt: at, detail: null }]]);
    expect(cell(run({ keyOwners, registryVerdicts: valid("2026-03-02T10:00:00Z") }), "team", "us.icr.io").state).toBe("covered");
    expect(cell(run({ keyOwners, registryVerdicts: valid("2026-02-28T10:00:00Z") }), "team", "us.icr.io").state).toBe("rejected");
  });

  it("prefers a live attached secret, then a live unattached one (attach it), over a dead one", () => {
    const verdicts = new Map([rejectedBy("us.icr.io", "2026-03-01T10:00:00Z")]);
    const both = inventory(["team"], [icr("team", "dead", ["us.icr.io"], DEAD), icr("team", "live", ["us.icr.io"])], [sa("team", ["dead", "live"])]);
    expect(cell(computeClusterCoverage(both, { registryVerdicts: verdicts }), "team", "us.icr.io")).toMatchObject({ state: "covered", secrets: ["live"] });
    const liveUnattached = inventory(["team"], both.pullSecrets, [sa("team", ["dead"])]);
    expect(cell(computeClusterCoverage(liveUnattached, { registryVerdicts: verdicts }), "team", "us.icr.io")).toMatchObject({ state: "rejected", secrets: ["dead"] });
    const onlyDeadUnattached = inventory(["team"], [both.pullSecrets[0]!], [sa("team", [])]);
    expect(cell(computeClusterCoverage(onlyDeadUnattached, { registryVerdicts: verdicts }), "team", "us.icr.io").state).toBe("rejected");
  });

  it("puts a workload pulling with a dead key at risk", () => {
    const inv = inventory(["team"], team().pullSecrets, team().serviceAccounts, [deployment("team", "web", ["us.icr.io/team/web:1"])]);
    const cov = computeClusterCoverage(inv, { registryVerdicts: new Map([rejectedBy("us.icr.io", "2026-03-01T10:00:00Z")]) });
    expect(cov.findings).toContainEqual(expect.objectContaining({ type: "image_pull_at_risk", workload: { kind: "Deployment", name: "web" }, images: [expect.objectContaining({ reason: "credential_rejected" })] }));
  });
});

describe("needed vs not needed", () => {
  const secrets = [icr("default", "default-us-icr-io", ["us.icr.io"]), secret("mon", "robot", buildDockerConfigJson([{ registry: "registry.example.com", username: "robot", password: `p-${CANARY}` }]))];
  const accounts = [sa("default", ["default-us-icr-io"]), sa("mon", ["robot"]), sa("web", []), sa("batch", [])];
  const workloads = [pod("web", "web-1", ["de.icr.io/team/web:1"], "Pending"), deployment("batch", "jobs", ["registry.example.com/jobs:2"])];
  const inv = inventory(["default", "mon", "web", "batch"], secrets, accounts, workloads);

  it("needs what workloads pull (failing pods included) and, by the IKS convention, every icr.io domain default holds", () => {
    const cov = computeClusterCoverage(inv);
    expect(cell(cov, "web", "de.icr.io")).toMatchObject({ state: "missing", needed: true, neededBecause: [{ kind: "workload", workloads: [{ kind: "Pod", name: "web-1" }] }] });
    expect(cell(cov, "web", "us.icr.io")).toMatchObject({ state: "missing", needed: true, neededBecause: [{ kind: "convention", sourceNamespace: "default" }] });
    expect(cell(cov, "batch", "registry.example.com")).toMatchObject({ needed: true, neededBecause: [{ kind: "workload", workloads: [{ kind: "Deployment", name: "jobs" }] }] });
    // Nothing pulls from these and default holds nothing for them.
    for (const [ns, registry] of [["web", "registry.example.com"], ["batch", "de.icr.io"], ["mon", "jp.icr.io"]] as const) {
      expect(cell(cov, ns, registry)).toMatchObject({ state: "missing", needed: false });
      expect(countedState(cell(cov, ns, registry))).toBe("not_needed");
    }
    expect(cell(cov, "mon", "registry.example.com")).toMatchObject({ state: "covered", needed: false });
  });

  it("counts missing only where needed; a group summary is over the namespaces that need it", () => {
    const cov = computeClusterCoverage(inv);
    const de = cov.summary.domains.find((d) => d.registry === "de.icr.io")!;
    expect(de.counts).toMatchObject({ missing: 1, not_needed: 3 });
    // us.icr.io (3 namespaces missing, all by convention) + de.icr.io in web + registry.example.com in batch.
    expect(cov.summary.neededMissing).toBe(5);
    expect(cov.summary.groups.find((g) => g.group === "other")).toMatchObject({ fullyCovered: 0, partiallyCovered: 0, uncovered: 1, notNeeded: 3, shareCovered: 0 });
    expect(cov.summary.groups.find((g) => g.group === "icr")).toMatchObject({ fullyCovered: 1, uncovered: 3, notNeeded: 0 });
  });

  it("asks the convention for nothing in the platform's own namespaces, the ones keeping rules leave out, unless a workload there pulls", () => {
    const platform = ["kube-system", "ibm-observe", "openshift-monitoring", "calico-system", "tigera-operator"];
    const withPlatform = inventory(["default", "web", ...platform], secrets, accounts, [pod("calico-system", "node-1", ["us.icr.io/calico/node:3"])]);
    const cov = computeClusterCoverage(withPlatform);
    for (const ns of platform.filter((name) => name !== "calico-system")) {
      expect(isSystemNamespace(ns), ns).toBe(true);
      expect(cell(cov, ns, "us.icr.io"), ns).toMatchObject({ needed: false });
    }
    expect(cell(cov, "calico-system", "us.icr.io")).toMatchObject({ needed: true, neededBecause: [{ kind: "workload", workloads: [{ kind: "Pod", name: "node-1" }] }] });
    expect(cell(cov, "web", "us.icr.io")).toMatchObject({ needed: true, neededBecause: [{ kind: "convention", sourceNamespace: "default" }] });
    expect(isSystemNamespace("kubeflow")).toBe(false);
  });

  it("follows keeping rules, which can add a registry no secret or image names, and can leave the convention out", () => {
    const requiredRegistries = new Map([["mon", new Set(["jp.icr.io", "quay.io"])]]);
    const cov = computeClusterCoverage(inv, { requiredRegistries, iksConvention: false });
    expect(cov.domains).toContain("quay.io");
    expect(cell(cov, "mon", "quay.io")).toMatchObject({ state: "missing", needed: true, neededBecause: [{ kind: "rule" }] });
    expect(cell(cov, "mon", "jp.icr.io").needed).toBe(true);
    expect(cell(cov, "web", "us.icr.io")).toMatchObject({ needed: false });
    expect(cell(cov, "web", "quay.io").needed).toBe(false);
  });
});
