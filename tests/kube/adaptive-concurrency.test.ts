import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaAuditStore } from "@/lib/audit/prisma-audit-store";
import type { DatabaseConnection } from "@/lib/db/client";
import { buildIamApiKeyDockerConfigJson } from "@/lib/registry/docker-config";
import { createPorts, workflowDeps, type Ports } from "@/lib/server/ports";
import { runWorkflowToEnd } from "@/lib/workflows";
import type { WorkflowDeps } from "@/lib/workflows/engine/deps";
import { DEMO_CLUSTER_SERVICE_IDS } from "@/sim/demo-credentials";
import { startKubeSim, type KubeSim } from "@/sim/kube";
import { createMigratedDatabase, type ScratchDatabase } from "../support/databases";
import { pullSecretObject } from "./support";

/**
 * The per-cluster concurrency follows the API server: it never exceeds the
 * configured ceiling, and when the server refuses requests for load (429 with
 * Retry-After, as max-inflight and API Priority and Fairness do) it backs off
 * and the copy still completes, every refused request retried.
 */
const CEILING = 6;
const NAMESPACES = Array.from({ length: 16 }, (_, index) => `team-${String(index).padStart(2, "0")}`);

describe("adaptive per-cluster concurrency against the simulated API server", () => {
  let sim: KubeSim;
  let dir: string;
  let ports: Ports;
  let scratch: ScratchDatabase;
  let connection: DatabaseConnection;
  let deps: WorkflowDeps;

  beforeAll(async () => {
    sim = await startKubeSim({
      name: "apf",
      objects: [
        ...NAMESPACES.map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } })),
        pullSecretObject("default", "default-icr-io", buildIamApiKeyDockerConfigJson({ apiKey: DEMO_CLUSTER_SERVICE_IDS.modern.apiKey, domains: ["icr.io"] })),
        pullSecretObject("default", "default-us-icr-io", buildIamApiKeyDockerConfigJson({ apiKey: DEMO_CLUSTER_SERVICE_IDS.modern.apiKey, domains: ["us.icr.io"] })),
      ],
      faults: { latencyMs: 15 },
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-apf-"));
    fs.writeFileSync(path.join(dir, "kubeconfig"), sim.kubeconfig());
    ports = createPorts({ kubeconfigPaths: [path.join(dir, "kubeconfig")], iam: null, kubeConcurrency: CEILING });
    ({ scratch, connection } = await createMigratedDatabase("sqlite"));
    // More steps at once than the ceiling allows requests: the transport is what bounds the cluster's load.
    deps = workflowDeps(ports, createPrismaAuditStore(connection.prisma, connection.provider), 32);
  });

  afterAll(async () => {
    ports?.close();
    await connection?.close();
    await scratch?.drop();
    await sim?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const copyInto = (namespaces: string[]) => ({
    cluster: "apf",
    sourceNamespace: "default",
    secrets: ["default-icr-io", "default-us-icr-io"],
    targets: { mode: "list", namespaces },
    naming: "seed",
    attach: true,
    serviceAccount: "default",
    restartPods: false,
  });

  async function copiesIn(namespace: string): Promise<{ secrets: string[]; attached: string[] }> {
    const inventory = await ports.kube.readPullSecretInventory("apf");
    return {
      secrets: inventory.pullSecrets.filter((secret) => secret.namespace === namespace).map((secret) => secret.name).sort(),
      attached: [...(inventory.serviceAccounts.find((sa) => sa.namespace === namespace && sa.name === "default")?.imagePullSecrets ?? [])].sort(),
    };
  }

  it("never has more requests in flight at the API server than the configured ceiling", async () => {
    sim.resetStats();
    const { result } = await runWorkflowToEnd("copy_pull_secrets", copyInto(NAMESPACES.slice(0, 8)), deps, { email: "ops@example.com", role: "operator" });
    expect(result.status).toBe("succeeded");
    const stats = sim.stats();
    expect(stats.peakInflight).toBeLessThanOrEqual(CEILING);
    // It did run requests side by side (32 steps at once were ready to go).
    expect(stats.peakInflight).toBeGreaterThan(1);
    expect(stats.rejectedInflight).toBe(0);
  });

  it("backs off when the server refuses requests for load, and the copy completes with every refusal retried", async () => {
    sim.setFaults({ latencyMs: 15, maxInflight: 2, retryAfterSeconds: 1 });
    sim.resetStats();
    try {
      const targets = NAMESPACES.slice(8);
      const { result } = await runWorkflowToEnd("copy_pull_secrets", copyInto(targets), deps, { email: "ops@example.com", role: "operator" });
      expect(result.status).toBe("succeeded");
      const stats = sim.stats();
      // The server did refuse requests (so the retries were exercised)...
      expect(stats.rejectedInflight).toBeGreaterThan(0);
      // ...but far fewer than a client that kept sending at its ceiling would have drawn: 4 of every 6 sent, twice
      // as many refused as served. Backing off keeps refusals to a fraction of what is served.
      const served = stats.total - stats.rejectedInflight;
      expect(stats.rejectedInflight).toBeLessThan(served / 2);
      expect(stats.peakInflight).toBeLessThanOrEqual(2);
    } finally {
      sim.setFaults({ latencyMs: 15 });
    }
    for (const namespace of NAMESPACES.slice(8)) {
      expect(await copiesIn(namespace)).toEqual({ secrets: [`${namespace}-icr-io`, `${namespace}-us-icr-io`], attached: [`${namespace}-icr-io`, `${namespace}-us-icr-io`] });
    }
  });
});
