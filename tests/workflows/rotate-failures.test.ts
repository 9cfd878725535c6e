import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PullSecretInventory } from "@/lib/kube/port";
import { buildIamApiKeyDockerConfigJson } from "@/lib/registry/docker-config";
import { credentialFingerprint } from "@/lib/registry/fingerprint";
import { previewWorkflow, runWorkflowToEnd } from "@/lib/workflows";
import { applyPlan } from "@/lib/workflows/engine/apply";
import { DEMO_CLUSTER_SERVICE_IDS } from "@/sim/demo-credentials";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

/**
 * Rotation's bad input and failures (issue: exact coverage, "Bad input and failure"): a key IAM does not know,
 * an update conflict on one copy, a cluster that stops answering between the preview and the writes. Each ends in a
 * clear per-step error or a clear refusal, the old key is never deleted while a secret the rotation meant to
 * refresh still holds it, and a re-run finishes the job.
 */
const OLD_KEY = DEMO_CLUSTER_SERVICE_IDS.regional.apiKey;
const OLD = credentialFingerprint("iamapikey", OLD_KEY);

const holders = (inventory: PullSecretInventory, fingerprint: string) =>
  inventory.pullSecrets.filter((secret) => secret.registries.some((entry) => entry.fingerprint === fingerprint)).map((secret) => `${secret.namespace}/${secret.name}`);

describe("rotating a key when things go wrong", () => {
  let harness: WorkflowHarness;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["regional", "modern"]);
    // One service ID serving two clusters: modern's default holds regional's key too.
    const dockerConfigJson = buildIamApiKeyDockerConfigJson({ apiKey: OLD_KEY, domains: ["us.icr.io"] });
    await harness.deps.kube.createPullSecret("modern", { namespace: "default", name: "default-shared-icr-io", dockerConfigJson });
  });
  afterAll(async () => harness?.close());

  const input = { cluster: "regional", from: "secret", namespace: "default", name: "default-us-icr-io", graceSeconds: 0 };

  it("refuses, saying why, a key IAM does not know and a fingerprint no pull secret holds", async () => {
    const regional = await harness.deps.kube.readPullSecretInventory("regional");
    // As seeded, checkout's copies hold a key deleted in IAM by an earlier rotation.
    const dead = regional.pullSecrets.find((secret) => secret.namespace === "checkout" && secret.registries.some((entry) => entry.username === "iamapikey"))!;
    await expect(previewWorkflow("rotate_api_key", { ...input, namespace: "checkout", name: dead.name }, harness.deps, OPERATOR)).rejects.toThrow(
      "Cannot rotate: IAM does not know this key (deleted, or never existed).",
    );
    await expect(previewWorkflow("rotate_api_key", { cluster: "regional", from: "fingerprint", fingerprint: "0123456789ab", graceSeconds: 0 }, harness.deps, OPERATOR)).rejects.toThrow(
      "Cannot rotate: no pull secret in the fleet holds this key.",
    );
  });

  it("a cluster that stops answering mid-rotation fails its own steps by name, keeps the old key alive, and a re-run finishes", async () => {
    const plan = await previewWorkflow("rotate_api_key", input, harness.deps, OPERATOR);
    const modern = harness.fleet.sims[1]!; // clusters are started in the order given: regional, modern
    modern.setFaults({ errorRate: 1 });
    const first = await applyPlan(plan, harness.deps, { actor: OPERATOR }).finally(() => modern.setFaults({}));
    expect(first.status).toBe("partially_failed");
    const failed = first.steps.filter((step) => step.outcome === "failed");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((step) => step.detail?.cluster === "modern")).toBe(true);
    expect(failed[0]!.error?.message).toBeTruthy();
    // Regional was rotated; modern still holds the old key, so the old key is neither locked nor deleted.
    expect(holders(await harness.deps.kube.readPullSecretInventory("modern"), OLD)).toEqual(["default/default-shared-icr-io"]);
    expect(holders(await harness.deps.kube.readPullSecretInventory("regional"), OLD)).not.toContain("default/default-us-icr-io");
    expect(first.steps.find((step) => step.key.startsWith("iam.delete_api_key"))?.outcome).toBe("skipped");
    expect((await harness.ports.iam!.identifyApiKey(OLD_KEY)).status).toBe("found");

    const again = await runWorkflowToEnd("rotate_api_key", { ...input, from: "fingerprint", fingerprint: OLD, namespace: undefined, name: undefined }, harness.deps, OPERATOR);
    expect(again.result.status, again.result.summary).toBe("succeeded");
    expect(holders(await harness.deps.kube.readPullSecretInventory("modern"), OLD)).toEqual([]);
    expect(await harness.ports.iam!.identifyApiKey(OLD_KEY)).toEqual({ status: "unknown" });
  });

  it("an update conflict on a secret is read again and retried: every secret ends on the new key, none is left behind", async () => {
    const regional = harness.fleet.sims[0]!;
    const before = await harness.deps.kube.readPullSecretInventory("regional");
    const current = before.pullSecrets.find((secret) => secret.namespace === "default" && secret.name === "default-us-icr-io")!.registries[0]!.fingerprint;
    regional.setFaults({ conflictNext: 2 });
    const rotated = await runWorkflowToEnd("rotate_api_key", input, harness.deps, OPERATOR).finally(() => regional.setFaults({}));
    expect(rotated.result.status, rotated.result.summary).toBe("succeeded");
    expect(holders(await harness.deps.kube.readPullSecretInventory("regional"), current)).toEqual([]);
    expect(holders(await harness.deps.kube.readPullSecretInventory("modern"), current)).toEqual([]);
  });
});
