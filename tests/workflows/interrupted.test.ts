import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseProvider } from "@/lib/db/database-url";
import { createPrismaRunStateStore } from "@/lib/queries/run-state-store";
import { createSealedBox } from "@/lib/sealing/sealed-box";
import { previewWorkflow } from "@/lib/workflows";
import { runWorkflowJob } from "@/lib/workflows/run-job";
import { DEMO_OPERATOR } from "@/sim/demo-credentials";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const SEALING_SECRET = "test-server-secret-shared-by-every-replica";

describe.each<DatabaseProvider>(["sqlite", "postgresql"])("a run killed mid-way (%s)", (database) => {
  let harness: WorkflowHarness;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["regional"], { database });
  });
  afterAll(async () => harness?.close());

  it("is resumed by another process from its audited steps: every step exactly once, the record matching the cluster", async () => {
    const namespaces = ["sandbox", "qa", "shipping", "ml-training", "payments", "search", "analytics", "inventory"];
    const input = { cluster: "regional", sourceNamespace: "default", secrets: ["default-uk-icr-io", "default-au-icr-io"], targets: { mode: "list", namespaces }, naming: "seed", attach: true, serviceAccount: "default", restartPods: false };
    const planned = await previewWorkflow("copy_pull_secrets", input, harness.deps, OPERATOR);
    // Slow enough that the child is caught mid-way however loaded the machine is (24 steps, 2 at a time).
    harness.fleet.sims[0]!.setFaults({ latencyMs: 250 });

    // Node itself (not the tsx wrapper, which would survive as a separate parent) so SIGKILL hits the runner.
    const child = spawn(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        path.join(repoRoot, "tests/support/run-workflow-child.ts"),
        JSON.stringify({
          kubeconfigPath: harness.kubeconfigPath,
          databaseUrl: harness.scratch.target.url,
          iam: { apiKey: DEMO_OPERATOR.apiKey, iamUrl: harness.ibm.url, identityUrl: harness.ibm.url, policyUrl: harness.ibm.url },
          registryEndpointTemplate: harness.ibm.registryUrlTemplate,
          kind: "copy_pull_secrets",
          input,
          concurrency: 2,
          sealingSecret: SEALING_SECRET,
        }),
      ],
      { cwd: repoRoot, stdio: "ignore" },
    );
    const exited = new Promise((resolve) => child.on("exit", resolve));

    // Wait until the child has finished a few steps and has some in flight, then kill it as a crash would. A child
    // process loading the app's modules can take most of a minute on a loaded machine.
    const deadline = Date.now() + 150_000;
    let operationId: string | undefined;
    for (;;) {
      const page = await harness.audit.listOperations({ cluster: "regional", status: "running" }, { limit: 5 });
      operationId = page.items[0]?.id;
      const done = operationId ? ((await harness.audit.getOperation(operationId))?.steps.filter((s) => s.outcome === "succeeded").length ?? 0) : 0;
      if (done >= 3) break;
      if (Date.now() > deadline) throw new Error("the child never got going");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill("SIGKILL");
    await exited;
    harness.fleet.sims[0]!.setFaults({});
    // Requests the dead process had in flight still land on the server after its latency.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const left = await harness.audit.getOperation(operationId!);
    expect(left?.status).toBe("running");
    const finishedBefore = left!.steps.filter((s) => s.outcome === "succeeded").length;

    // Another process (here: this one, with its own ports) takes the job in chunks so short that each starts about one step.
    const runs = createPrismaRunStateStore(harness.connection.prisma, createSealedBox(SEALING_SECRET, "workflow-run-secrets"));
    const other = { ...harness.otherProcess(), runs };
    let chunks = 0;
    for (;;) {
      chunks++;
      const outcome = await runWorkflowJob(operationId!, other, { chunkMs: 1 });
      if (outcome.closed) break;
      if (chunks > 200) throw new Error("the run never closed");
    }
    expect(chunks).toBeGreaterThan(1);
    expect(await runs.load(operationId!)).toBeNull();

    const record = (await harness.audit.getOperation(operationId!))!;
    expect(record.status).toBe("succeeded");
    const changes = planned.steps.filter((step) => step.status === "change");
    expect(record.counts.total).toBeGreaterThanOrEqual(changes.length);
    // Every planned change ended once, as succeeded; none was left started, none recorded twice.
    const bySequence = new Map<number, number>();
    for (const step of record.steps) bySequence.set(step.sequence, (bySequence.get(step.sequence) ?? 0) + 1);
    for (const step of changes) {
      const recorded = record.steps.filter((candidate) => candidate.sequence === step.sequence);
      expect(recorded.map((entry) => entry.outcome), step.title).toEqual(["succeeded"]);
    }
    expect(record.steps.filter((step) => step.outcome === "succeeded").length).toBeGreaterThan(finishedBefore);

    const inventory = await harness.deps.kube.readPullSecretInventory("regional");
    for (const namespace of namespaces) {
      const list = inventory.serviceAccounts.find((sa) => sa.namespace === namespace && sa.name === "default")?.imagePullSecrets ?? [];
      for (const name of [`${namespace}-uk-icr-io`, `${namespace}-au-icr-io`]) {
        expect(list.filter((entry) => entry === name), namespace).toHaveLength(1);
        expect(inventory.pullSecrets.filter((secret) => secret.namespace === namespace && secret.name === name), name).toHaveLength(1);
      }
    }
    // Nothing is left to do.
    expect((await previewWorkflow("copy_pull_secrets", input, harness.deps, OPERATOR)).counts.change).toBe(0);
  }, 240_000);
});
