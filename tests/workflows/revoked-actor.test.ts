import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunAuthoriser } from "@/lib/auth/run-authorisation";
import { composeAuthService } from "@/lib/auth/service";
import type { DatabaseProvider } from "@/lib/db/database-url";
import { createPrismaRunStateStore } from "@/lib/queries/run-state-store";
import { createSealedBox } from "@/lib/sealing/sealed-box";
import { previewWorkflow } from "@/lib/workflows";
import { openRun } from "@/lib/workflows/engine/apply";
import { runWorkflowJob } from "@/lib/workflows/run-job";
import { testConfig } from "../auth/support";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

/**
 * A queued run is done in someone's name: when an admin takes the cluster away from that person (or lowers their
 * role, or deactivates them) between two chunks, what is left of the run is not done, and the record says why.
 */
describe.each<DatabaseProvider>(["sqlite", "postgresql"])("a run whose actor lost access (%s)", (database) => {
  let harness: WorkflowHarness;
  beforeAll(async () => {
    harness = await startWorkflowHarness(["regional"], { database });
  });
  afterAll(async () => harness?.close());

  it("stops before its next chunk once the person may no longer change the cluster", async () => {
    const { users } = composeAuthService({ config: testConfig(), prisma: harness.connection.prisma, provider: harness.connection.provider });
    const operator = await users.createLocalUser({ email: OPERATOR.email, name: "Operator", role: "operator", clusters: ["regional"], password: "a-long-enough-passphrase-for-tests" });
    const authorise = createRunAuthoriser(users);

    const namespaces = ["sandbox", "qa", "shipping", "ml-training", "payments", "search"];
    const input = { cluster: "regional", sourceNamespace: "default", secrets: ["default-uk-icr-io"], targets: { mode: "list", namespaces }, naming: "seed", attach: false, serviceAccount: "default", restartPods: false };
    const copiesIn = async () => {
      const inventory = await harness.ports.kube.readPullSecretInventory("regional");
      return inventory.pullSecrets.filter((secret) => namespaces.includes(secret.namespace) && secret.name === `${secret.namespace}-uk-icr-io`).length;
    };
    const before = await copiesIn();
    const plan = await previewWorkflow("copy_pull_secrets", input, harness.deps, OPERATOR);
    const changes = plan.steps.filter((step) => step.status === "change").length;
    expect(changes).toBeGreaterThan(2);
    const runs = createPrismaRunStateStore(harness.connection.prisma, createSealedBox("test-server-secret", "workflow-run-secrets"));
    const deps = { ...harness.deps, runs };
    const operationId = await openRun(plan, deps, runs, { actor: OPERATOR });

    // One chunk runs one step in the operator's name.
    expect((await runWorkflowJob(operationId, deps, { chunkMs: 0, authorise })).closed).toBeNull();
    // An admin limits the operator to another cluster.
    await users.setClusters(operator.id, ["modern"]);
    const outcome = await runWorkflowJob(operationId, deps, { chunkMs: 60_000, authorise });

    expect(outcome.closed?.status).toBe("interrupted");
    expect(outcome.closed?.summary).toContain(`Stopped, operator@example.com may no longer change cluster regional: 1 of ${changes} changes applied`);
    const record = (await harness.audit.getOperation(operationId))!;
    expect(record.status).toBe("interrupted");
    expect(record.steps.filter((step) => step.outcome === "succeeded")).toHaveLength(1);
    const notStarted = record.steps.filter((step) => step.outcome === "skipped" && step.detail?.reason === "Not started: operator@example.com may no longer change cluster regional.");
    expect(notStarted).toHaveLength(changes - 1);
    // The cluster holds exactly the one copy made before access was taken away.
    expect(await copiesIn()).toBe(before + 1);
    expect(await runs.load(operationId)).toBeNull();
  });
});
