import { spawn } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseProvider } from "@/lib/db/database-url";
import type { PullSecretInventory } from "@/lib/kube/port";
import { createPrismaRunStateStore } from "@/lib/queries/run-state-store";
import { buildIamApiKeyDockerConfigJson } from "@/lib/registry/docker-config";
import { credentialFingerprint } from "@/lib/registry/fingerprint";
import { createSealedBox } from "@/lib/sealing/sealed-box";
import { previewWorkflow, runWorkflowToEnd, type WorkflowDeps } from "@/lib/workflows";
import { runWorkflowJob } from "@/lib/workflows/run-job";
import { DEMO_CLUSTER_SERVICE_IDS, DEMO_OPERATOR, DEMO_TEAM_SERVICE_IDS } from "@/sim/demo-credentials";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const SEALING_SECRET = "test-server-secret-shared-by-every-replica";
const OLD_KEY = DEMO_CLUSTER_SERVICE_IDS.regional.apiKey;
const OLD = credentialFingerprint("iamapikey", OLD_KEY);
const TEAM = credentialFingerprint("iamapikey", DEMO_TEAM_SERVICE_IDS.payments.apiKey);

const keysOf = (inventory: PullSecretInventory, namespace: string, name: string) =>
  inventory.pullSecrets.find((secret) => secret.namespace === namespace && secret.name === name)?.registries.filter((entry) => entry.username === "iamapikey").map((entry) => entry.fingerprint) ?? [];

/** `modern` gets a secret in default holding regional's key (one service ID serving two clusters), and a seed-style copy of it. */
async function shareRegionalKeyWithModern(deps: WorkflowDeps): Promise<string> {
  const dockerConfigJson = buildIamApiKeyDockerConfigJson({ apiKey: OLD_KEY, domains: ["us.icr.io"] });
  const inventory = await deps.kube.readPullSecretInventory("modern");
  const namespace = inventory.namespaces.map((ns) => ns.name).find((name) => !["default", "kube-system", "ibm-system"].includes(name))!;
  await deps.kube.createPullSecret("modern", { namespace: "default", name: "default-shared-icr-io", dockerConfigJson });
  await deps.kube.createPullSecret("modern", { namespace, name: `${namespace}-shared-icr-io`, dockerConfigJson });
  return namespace;
}

describe.each<DatabaseProvider>(["sqlite", "postgresql"])("rotating a key across two clusters (%s)", (database) => {
  let harness: WorkflowHarness;
  let modernNamespace: string;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["regional", "modern"], { database });
    modernNamespace = await shareRegionalKeyWithModern(harness.deps);
  });
  afterAll(async () => harness?.close());

  const input = (graceSeconds: number) => ({ cluster: "regional", from: "secret", namespace: "default", name: "default-us-icr-io", graceSeconds });

  it("previews every secret in every cluster, the copies by their evidence, and what it leaves alone", async () => {
    const plan = await previewWorkflow("rotate_api_key", input(2), harness.deps, OPERATOR);
    const writes = plan.steps.filter((step) => step.op.type === "secret.rotate_key");
    const where = writes.map((step) => `${step.cluster}/${step.target.namespace}/${step.target.name}`);
    expect(where).toContain("regional/default/default-us-icr-io");
    expect(where).toContain("modern/default/default-shared-icr-io");
    expect(where).toContain(`modern/${modernNamespace}/${modernNamespace}-shared-icr-io`);
    expect(where.filter((w) => w.startsWith("regional/") && !w.startsWith("regional/default/")).length).toBeGreaterThan(0);
    expect(writes.every((step) => step.status === "change")).toBe(true);
    expect(plan.steps.filter((step) => step.op.type === "iam.create_api_key")).toHaveLength(1);
    const warnings = Object.fromEntries(plan.warnings.map((warning) => [warning.code, warning.targets ?? []]));
    expect(warnings.independent_credentials?.some((target) => target.startsWith("regional/payments/payments-team-puller"))).toBe(true);
    expect(warnings.old_key_elsewhere).toContain("regional/web-frontend/web-pull");
    expect(warnings.pods_on_old_key?.length).toBeGreaterThan(0);
    const retire = plan.steps.filter((step) => step.group === "Retire the old key");
    expect(retire.map((step) => step.op.type)).toEqual(["iam.lock_api_key", "iam.delete_api_key"]);
    expect(retire[1]!.waitSeconds).toBe(2);
  });

  it("killed after the new key is written, resumes by itself: every copy current, the old key locked, then deleted after the grace period", async () => {
    const rotation = input(3);
    harness.fleet.sims[0]!.setFaults({ latencyMs: 60 });
    const child = spawn(
      process.execPath,
      [
        "--conditions=react-server", "--import", "tsx", path.join(repoRoot, "tests/support/run-workflow-child.ts"),
        JSON.stringify({
          kubeconfigPath: harness.kubeconfigPath, databaseUrl: harness.scratch.target.url,
          iam: { apiKey: DEMO_OPERATOR.apiKey, iamUrl: harness.ibm.url, identityUrl: harness.ibm.url, policyUrl: harness.ibm.url },
          registryEndpointTemplate: harness.ibm.registryUrlTemplate, kind: "rotate_api_key", input: rotation, concurrency: 2, sealingSecret: SEALING_SECRET,
        }),
      ],
      { cwd: repoRoot, stdio: "ignore" },
    );
    const exited = new Promise((resolve) => child.on("exit", resolve));
    const deadline = Date.now() + 90_000;
    let operationId: string | undefined;
    for (;;) {
      operationId = (await harness.audit.listOperations({ kind: "rotate_api_key", status: "running" }, { limit: 1 })).items[0]?.id;
      const written = operationId ? ((await harness.audit.getOperation(operationId))?.steps.filter((s) => s.action === "secret.key_rotated" && s.outcome === "succeeded").length ?? 0) : 0;
      if (written >= 1) break;
      if (Date.now() > deadline) throw new Error("the child never wrote the new key");
      await sleep(50);
    }
    child.kill("SIGKILL");
    await exited;
    harness.fleet.sims[0]!.setFaults({});
    await sleep(500);
    expect((await harness.audit.getOperation(operationId!))?.status).toBe("running");

    // Another process takes the run from its stored state; the old key's delete waits out its grace period.
    const runs = createPrismaRunStateStore(harness.connection.prisma, createSealedBox(SEALING_SECRET, "workflow-run-secrets"));
    const other = { ...harness.otherProcess(), runs };
    let waited = false;
    for (let chunk = 0; ; chunk++) {
      const outcome = await runWorkflowJob(operationId!, other, { chunkMs: 60_000 });
      if (outcome.closed) break;
      if (outcome.resumeAt) {
        waited = true;
        // Every secret holds the new key: its value is no longer kept (sealed) for the rest of the grace period.
        const stored = await runs.load(operationId!);
        expect(Object.values(stored!.outputs).some((output) => output.apiKey !== undefined)).toBe(false);
        await sleep(Math.max(0, outcome.resumeAt.getTime() - Date.now()));
      }
      if (chunk > 20) throw new Error("the run never closed");
    }
    expect(waited).toBe(true);
    const record = (await harness.audit.getOperation(operationId!))!;
    expect(record.status, record.summary ?? "").toBe("succeeded");
    const lock = record.steps.find((step) => step.action === "iam.api_key.locked")!;
    const deleted = record.steps.find((step) => step.action === "iam.api_key.deleted")!;
    expect(lock.outcome).toBe("succeeded");
    expect(deleted.outcome).toBe("succeeded");
    expect(Date.parse(deleted.recordedAt) - Date.parse(lock.recordedAt)).toBeGreaterThanOrEqual(3_000);
    // Each planned write ended exactly once.
    const writes = record.steps.filter((step) => step.action === "secret.key_rotated");
    expect(new Set(writes.map((step) => step.sequence)).size).toBe(writes.length);
    expect(writes.every((step) => step.outcome === "succeeded")).toBe(true);

    const created = record.steps.find((step) => step.action === "iam.api_key.created")!;
    const fresh = created.detail!.fingerprint as string;
    const regional = await harness.deps.kube.readPullSecretInventory("regional");
    const modern = await harness.deps.kube.readPullSecretInventory("modern");
    expect(keysOf(regional, "default", "default-us-icr-io")).toEqual([fresh]);
    expect(keysOf(modern, "default", "default-shared-icr-io")).toEqual([fresh]);
    expect(keysOf(modern, modernNamespace, `${modernNamespace}-shared-icr-io`)).toEqual([fresh]);
    expect(keysOf(regional, "payments", "payments-team-puller")).toEqual([TEAM]);
    expect(keysOf(regional, "web-frontend", "web-pull")).toEqual([OLD]);
    expect(await harness.ports.iam!.identifyApiKey(OLD_KEY)).toEqual({ status: "unknown" });
    // A budget for a loaded machine: a child process starts, is killed, and the grace period is waited out.
  }, 150_000);

  it("an IAM fault on the lock fails that step clearly, leaves the key in place, and a re-run finishes", async () => {
    const plan = await previewWorkflow("rotate_api_key", input(0), harness.deps, OPERATOR);
    const lockStep = plan.steps.find((step) => step.op.type === "iam.lock_api_key" && step.status === "change")!;
    const keyId = (lockStep.op as { id: string }).id;
    harness.ibm.setFaults({ errorRate: 1, errorStatus: 503, pathPrefix: `/v1/apikeys/${keyId}/lock` });
    const first = await runWorkflowToEnd("rotate_api_key", input(0), harness.deps, OPERATOR).finally(() => harness.ibm.setFaults({}));
    expect(first.result.status).toBe("partially_failed");
    const failed = first.result.steps.find((step) => step.outcome === "failed")!;
    expect(failed.error?.message).toMatch(/lock an API key/);
    const notDeleted = first.result.steps.find((step) => step.key === `iam.delete_api_key:${keyId}`)!;
    expect(notDeleted.outcome).toBe("skipped");
    expect(String(notDeleted.detail?.reason)).toMatch(/did not succeed/);

    const again = await runWorkflowToEnd("rotate_api_key", input(0), harness.deps, OPERATOR);
    expect(again.result.status, again.result.summary).toBe("succeeded");
    expect(again.result.steps.some((step) => step.key === `iam.delete_api_key:${keyId}` && step.outcome === "succeeded")).toBe(true);
  });
});
