import { describe, expect, it } from "vitest";
import { createPrismaRunStateStore } from "@/lib/queries/run-state-store";
import { createSealedBox } from "@/lib/sealing/sealed-box";
import { RunStateError, type StoredRun } from "@/lib/workflows/engine/run-state";
import { CREDENTIAL_CANARY } from "@/sim/demo-credentials";
import { PROVIDERS, useMigratedDatabase } from "../support/databases";

const SECRET = "run-state-test-secret-of-enough-length";

function storedRun(operationId: string): StoredRun {
  return {
    operationId,
    kind: "create_private_registry_secret",
    plan: { kind: "create_private_registry_secret", cluster: "c", namespaces: ["team"], input: { server: "r.example.com" }, steps: [], warnings: [], counts: { change: 0, skip: 0, refused: 0 }, digest: "0123456789abcdef", readAt: "now", previewOperationId: null },
    options: { actor: { email: "a@example.com", role: "operator" }, failurePolicy: "stop" },
    secrets: { privateRegistry: { server: "r.example.com", username: "robot", password: `pw-${CREDENTIAL_CANARY}`, email: "e@example.com" } },
    outputs: {},
    cancelRequestedBy: null,
  };
}

describe.each(PROVIDERS)("stored workflow runs (%s)", (provider) => {
  const db = useMigratedDatabase(provider);

  it("keeps the run's credentials sealed at rest and gives them back to a process with the same AUTH_SECRET", async () => {
    const runs = createPrismaRunStateStore(db.connection.prisma, createSealedBox(SECRET, "workflow-run-secrets"));
    await runs.save(storedRun("op-sealed"));
    await runs.saveOutputs("op-sealed", { "iam:key": { apiKeyId: "ApiKey-1", apiKey: `key-${CREDENTIAL_CANARY}` } });
    const row = await db.connection.prisma.workflowRun.findUniqueOrThrow({ where: { operationId: "op-sealed" } });
    expect(JSON.stringify(row)).not.toContain(CREDENTIAL_CANARY);
    const loaded = await runs.load("op-sealed");
    expect(loaded?.secrets.privateRegistry?.password).toBe(`pw-${CREDENTIAL_CANARY}`);
    expect(loaded?.outputs["iam:key"]?.apiKey).toBe(`key-${CREDENTIAL_CANARY}`);
    expect(loaded?.plan.digest).toBe("0123456789abcdef");
  });

  it("refuses, with a reason and without the value, a run sealed under another AUTH_SECRET or stored in a shape this version cannot read", async () => {
    const runs = createPrismaRunStateStore(db.connection.prisma, createSealedBox(SECRET, "workflow-run-secrets"));
    await runs.save(storedRun("op-other-secret"));
    const rotated = createPrismaRunStateStore(db.connection.prisma, createSealedBox("a-rotated-secret-nobody-sealed-with", "workflow-run-secrets"));
    await expect(rotated.load("op-other-secret")).rejects.toThrow(RunStateError);
    await expect(rotated.load("op-other-secret")).rejects.toThrow(/another AUTH_SECRET/);
    await runs.save({ ...storedRun("op-old-shape"), secrets: {} });
    await db.connection.prisma.workflowRun.update({ where: { operationId: "op-old-shape" }, data: { plan: JSON.stringify({ version: 0, steps: "not a list" }) } });
    const refusal = await runs.load("op-old-shape").catch((error: unknown) => error as Error);
    expect(refusal).toBeInstanceOf(RunStateError);
    expect(String((refusal as Error).message)).not.toContain(CREDENTIAL_CANARY);
  });

  it("tells idle runs from live ones, and takes a cancel once, until the run is removed", async () => {
    const runs = createPrismaRunStateStore(db.connection.prisma, createSealedBox(SECRET, "workflow-run-secrets"));
    await runs.save(storedRun("op-idle"));
    await db.connection.prisma.workflowRun.update({ where: { operationId: "op-idle" }, data: { updatedAt: new Date(Date.now() - 10 * 60_000) } });
    await runs.save(storedRun("op-live"));
    const idle = await runs.idleSince(new Date(Date.now() - 60_000));
    expect(idle).toContain("op-idle");
    expect(idle).not.toContain("op-live");
    await runs.touch("op-idle");
    expect(await runs.idleSince(new Date(Date.now() - 60_000))).not.toContain("op-idle");
    expect(await runs.requestCancel("op-live", "first@example.com")).toBe(true);
    expect(await runs.requestCancel("op-live", "second@example.com")).toBe(true);
    expect(await runs.cancelRequestedBy("op-live")).toBe("first@example.com");
    await runs.remove("op-live");
    expect(await runs.requestCancel("op-live", "late@example.com")).toBe(false);
    expect(await runs.load("op-live")).toBeNull();
  });
});
