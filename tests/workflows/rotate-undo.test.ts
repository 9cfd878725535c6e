import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseProvider } from "@/lib/db/database-url";
import type { PullSecretInventory } from "@/lib/kube/port";
import { createPrismaRunStateStore } from "@/lib/queries/run-state-store";
import { buildIamApiKeyDockerConfigJson } from "@/lib/registry/docker-config";
import { credentialFingerprint } from "@/lib/registry/fingerprint";
import { createSealedBox } from "@/lib/sealing/sealed-box";
import { previewWorkflow, runWorkflowToEnd, startWorkflow, type WorkflowDeps } from "@/lib/workflows";
import { runWorkflowJob } from "@/lib/workflows/run-job";
import { DEMO_CLUSTER_SERVICE_IDS } from "@/sim/demo-credentials";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

const OLD_KEY = DEMO_CLUSTER_SERVICE_IDS.regional.apiKey;
const OLD = credentialFingerprint("iamapikey", OLD_KEY);

interface Held {
  fingerprint: string | null;
  /** The entry fingerprints of its `iamapikey` entries. */
  keys: string[];
}

/** Every pull secret of both clusters: its content fingerprint and the API keys it holds. */
async function contents(deps: WorkflowDeps): Promise<Map<string, Held>> {
  const reads: Array<[string, PullSecretInventory]> = await Promise.all(["regional", "modern"].map(async (cluster) => [cluster, await deps.kube.readPullSecretInventory(cluster)] as [string, PullSecretInventory]));
  return new Map(
    reads.flatMap(([cluster, inventory]) =>
      inventory.pullSecrets.map((secret) => [`${cluster}/${secret.namespace}/${secret.name}`, { fingerprint: secret.credentialFingerprint, keys: secret.registries.filter((entry) => entry.username === "iamapikey").map((entry) => entry.fingerprint) }] as const),
    ),
  );
}

describe.each<DatabaseProvider>(["sqlite", "postgresql"])("undoing a key rotation (%s)", (database) => {
  let harness: WorkflowHarness;
  let deps: WorkflowDeps;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["regional", "modern"], { database });
    // One service ID serving two clusters: modern's default holds regional's key too.
    await harness.deps.kube.createPullSecret("modern", { namespace: "default", name: "default-shared-icr-io", dockerConfigJson: buildIamApiKeyDockerConfigJson({ apiKey: OLD_KEY, domains: ["us.icr.io"] }) });
    // As on a server: runs are stored (sealed) and queued; the test plays the job worker.
    const runs = createPrismaRunStateStore(harness.connection.prisma, createSealedBox("test-server-secret", "workflow-run-secrets"));
    deps = { ...harness.deps, runs, runQueue: { enqueue: async () => undefined } };
  });
  afterAll(async () => harness?.close());

  const rotation = (graceSeconds: number) => ({ cluster: "regional", from: "secret", namespace: "default", name: "default-us-icr-io", graceSeconds });

  it("while the old key waits to be deleted, writes it back everywhere, unlocks it, deletes the new key and cancels the delete", async () => {
    const before = await contents(deps);
    const plan = await previewWorkflow("rotate_api_key", rotation(3_600), deps, OPERATOR);
    expect(plan.steps.filter((step) => step.op.type === "iam.hold_old_key")).toHaveLength(1);
    const started = await startWorkflow("rotate_api_key", rotation(3_600), plan.digest, deps, OPERATOR);
    if (!started.ok) throw new Error(started.message);
    const waiting = await runWorkflowJob(started.operationId, { ...deps, runs: deps.runs! }, { chunkMs: 60_000 });
    expect(waiting.closed).toBeNull();
    expect(waiting.closed === null && waiting.resumeAt).toBeTruthy();
    const rotated = await contents(deps);
    const changed = [...before].filter(([where, held]) => rotated.get(where)?.fingerprint !== held.fingerprint).map(([where]) => where).sort();
    expect(changed).toContain("regional/default/default-us-icr-io");
    expect(changed).toContain("modern/default/default-shared-icr-io");
    expect(changed.filter((where) => where.startsWith("regional/") && !where.startsWith("regional/default/")).length).toBeGreaterThan(0);
    expect((await harness.ports.iam!.identifyApiKey(OLD_KEY))).toMatchObject({ status: "found", identity: { locked: true } });

    const undoPlan = await previewWorkflow("undo", { operationId: started.operationId }, deps, OPERATOR);
    const restores = undoPlan.steps.filter((step) => step.op.type === "secret.restore_key");
    expect(restores.map((step) => `${step.cluster}/${step.target.namespace}/${step.target.name}`).sort()).toEqual(changed);
    expect(restores.every((step) => step.status === "change")).toBe(true);
    expect(undoPlan.steps.map((step) => step.op.type)).toEqual(expect.arrayContaining(["rotation.cancel_retirement", "iam.unlock_api_key", "registry.verify", "iam.delete_api_key"]));
    expect(undoPlan.steps.find((step) => step.op.type === "iam.delete_api_key")?.status).toBe("change");
    // The preview holds fingerprints only.
    expect(JSON.stringify(undoPlan)).not.toContain(OLD_KEY);

    const undo = await startWorkflow("undo", { operationId: started.operationId }, undoPlan.digest, deps, OPERATOR);
    if (!undo.ok) throw new Error(undo.message);
    const undone = await runWorkflowJob(undo.operationId, { ...deps, runs: deps.runs! }, { chunkMs: 60_000 });
    expect(undone.closed?.status, undone.closed?.summary).toBe("succeeded");

    // Every secret that held the old key holds exactly what it held before the rotation; a copy the rotation found
    // holding a dead key (left stale by an earlier rotation) gets the old key, as its source has; the new key is gone.
    const after = await contents(deps);
    for (const where of changed) {
      if (before.get(where)!.keys.includes(OLD)) expect(after.get(where)!.fingerprint, where).toBe(before.get(where)!.fingerprint);
      else expect(after.get(where)!.keys, where).toEqual(before.get(where)!.keys.map(() => OLD));
    }
    expect(await harness.ports.iam!.identifyApiKey(OLD_KEY)).toMatchObject({ status: "found", identity: { locked: false } });
    const minted = (await harness.audit.getOperation(started.operationId))!.steps.find((step) => step.action === "iam.api_key.created")!;
    const alive = await harness.ports.iam!.listApiKeys(String(minted.detail!.serviceIamId));
    expect(alive.map((key) => key.id)).not.toContain(minted.detail!.apiKeyId);

    // The rotation, due again, closes without deleting the old key.
    const closing = await runWorkflowJob(started.operationId, { ...deps, runs: deps.runs! }, { chunkMs: 60_000 });
    const record = (await harness.audit.getOperation(started.operationId))!;
    expect(closing.closed ?? record.status).toBeTruthy();
    const deleteStep = record.steps.find((step) => step.action === "iam.api_key.deleted")!;
    expect(deleteStep.outcome).toBe("skipped");
    expect(String(deleteStep.detail?.reason)).toContain(`undo ${undo.operationId}`);
    expect(await harness.ports.iam!.identifyApiKey(OLD_KEY)).toMatchObject({ status: "found" });
    expect(await deps.runs!.load(started.operationId)).toBeNull();
    // No key value in the audit record of either operation.
    const audited = JSON.stringify([record, await harness.audit.getOperation(undo.operationId)]);
    expect(audited).not.toContain(OLD_KEY);
  });

  it("is refused, saying why, once the old key is deleted (grace 0: a leaked key's value is never kept)", async () => {
    const { plan, result } = await runWorkflowToEnd("rotate_api_key", rotation(0), harness.deps, OPERATOR);
    expect(plan.steps.some((step) => step.op.type === "iam.hold_old_key")).toBe(false);
    expect(result.status, result.summary).toBe("succeeded");
    await expect(previewWorkflow("undo", { operationId: result.operationId }, deps, OPERATOR)).rejects.toThrow(/was deleted .*IAM cannot bring a deleted key back/);
    expect(await harness.ports.iam!.identifyApiKey(OLD_KEY)).toEqual({ status: "unknown" });
  });
});
