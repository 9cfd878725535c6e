import { describe, expect, it } from "vitest";
import type { PullSecretDto, PullSecretInventory, WorkloadDto } from "@/lib/kube/port";
import { analysePulls } from "./analyse";
import { pullFindings } from "./findings";
import { countSentence, groupProblems } from "./summary";

const secret = (namespace: string, name: string, registry = "us.icr.io", fingerprint = "fp1"): PullSecretDto => ({
  cluster: "c", namespace, name, type: "kubernetes.io/dockerconfigjson",
  registries: [{ registry, username: "iamapikey", credentialKind: "iam-api-key", fingerprint }] as PullSecretDto["registries"],
  credentialFingerprint: fingerprint, parseError: null, createdAt: null, labels: {}, managedBy: null,
});

const pod = (namespace: string, name: string, over: Partial<WorkloadDto>): WorkloadDto => ({
  cluster: "c", namespace, kind: "Pod", name, images: [{ container: "app", image: "us.icr.io/team/api:1.4", init: false }],
  imagePullSecrets: [], serviceAccountName: "default", createdAt: "2026-01-01T00:00:00Z",
  owner: { kind: "ReplicaSet", name: "api-6b7f", deployment: "api" }, managedBy: null, phase: "Running", imagePullErrors: [], ...over,
});

const HEAD_401 = 'rpc error: code = Unknown desc = failed to pull and unpack image "us.icr.io/team/api:1.4": failed to resolve reference "us.icr.io/team/api:1.4": unexpected status from HEAD request to https://us.icr.io/v2/team/api/manifests/1.4: 401 Unauthorized';

function inventory(pullSecrets: PullSecretDto[], workloads: WorkloadDto[]): PullSecretInventory {
  return { cluster: "c", readAt: "", scope: "cluster", namespaces: [], unreadableNamespaces: [], pullSecrets, serviceAccounts: [], workloads, notes: [], requestCount: 0 };
}

const failing = (ns: string, name: string) => pod(ns, name, { phase: "Pending", imagePullErrors: [{ container: "app", reason: "ErrImagePull", message: HEAD_401 }] });

describe("analysePulls", () => {
  it("classifies failing pods, flags latent ones, and counts pods per registry and cause", () => {
    const inv = inventory(
      [secret("ok", "icr"), secret("stale", "icr", "us.icr.io", "revoked")],
      [
        failing("shop", "api-1"),
        failing("shop", "api-2"),
        failing("shop", "api-3"),
        pod("shop", "cached", {}), // Running with no pull secret: from the node's cache
        pod("ok", "fine", { imagePullSecrets: ["icr"] }),
        pod("stale", "old-key", { imagePullSecrets: ["icr"] }),
        pod("public", "nginx", { images: [{ container: "app", image: "nginx:1.27", init: false }] }),
      ],
    );
    const report = analysePulls(inv, { verdicts: (key) => (key.fingerprint === "revoked" ? "rejected" : "valid") });
    expect(report.counts).toEqual({
      failingPods: 3,
      latentPods: 2,
      namespaces: 2,
      byRegistryCause: [
        { registry: "us.icr.io", cause: "no_credential", state: "failing", pods: 3, namespaces: 1 },
        { registry: "us.icr.io", cause: "credential_rejected", state: "latent", pods: 1, namespaces: 1 },
        { registry: "us.icr.io", cause: "no_credential", state: "latent", pods: 1, namespaces: 1 },
      ],
    });
    const groups = groupProblems(report.problems.filter((p) => p.namespace === "shop"));
    expect(groups.map((g) => g.sentence)).toEqual([
      "3 pods cannot pull us.icr.io/team/api:1.4 — no credential for us.icr.io",
      "1 pod will fail when rescheduled: us.icr.io/team/api:1.4 — no credential for us.icr.io (running from the node's image cache)",
    ]);
    expect(groups[0]).toMatchObject({ credentialFix: true, workloads: ["Deployment api"], pods: ["api-1", "api-2", "api-3"] });
    expect(countSentence(report.counts.byRegistryCause[0]!)).toBe("3 pods in 1 namespace cannot pull from us.icr.io: no credential for us.icr.io");
  });

  it("trusts an unverified credential, and without verification results a usable one", () => {
    const inv = inventory([secret("stale", "icr", "us.icr.io", "revoked")], [pod("stale", "old-key", { imagePullSecrets: ["icr"] })]);
    expect(analysePulls(inv).counts.latentPods).toBe(0);
    expect(analysePulls(inv, { verdicts: () => "never" }).counts.latentPods).toBe(0);
  });

  it("offers no credential fix for a missing image", () => {
    const missing = 'rpc error: code = NotFound desc = failed to pull and unpack image "us.icr.io/team/api:9": failed to resolve reference "us.icr.io/team/api:9": us.icr.io/team/api:9: not found';
    const inv = inventory([secret("shop", "icr")], [pod("shop", "api-9", { phase: "Pending", imagePullSecrets: ["icr"], images: [{ container: "app", image: "us.icr.io/team/api:9", init: false }], imagePullErrors: [{ container: "app", reason: "ErrImagePull", message: missing }] })]);
    const [group] = groupProblems(analysePulls(inv).problems);
    expect(group).toMatchObject({ cause: "image_not_found", credentialFix: false, sentence: "1 pod cannot pull us.icr.io/team/api:9 — the image or tag does not exist (not a credential problem)" });
    expect(group!.advice).toMatch(/no pull secret will make a missing image pullable/);
  });

  it("makes one coverage finding per pod", () => {
    const findings = pullFindings(inventory([], [failing("shop", "api-1"), pod("shop", "cached", {})]));
    expect(findings).toEqual([
      { type: "pull_failure", cluster: "c", namespace: "shop", workload: { kind: "Pod", name: "api-1" }, state: "failing", images: [{ image: "us.icr.io/team/api:1.4", registry: "us.icr.io", cause: "no_credential" }] },
      { type: "pull_failure", cluster: "c", namespace: "shop", workload: { kind: "Pod", name: "cached" }, state: "latent", images: [{ image: "us.icr.io/team/api:1.4", registry: "us.icr.io", cause: "no_credential" }] },
    ]);
  });
});
