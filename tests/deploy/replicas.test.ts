/**
 * Two replicas of the standalone bundle on one PostgreSQL database, as a
 * platform team runs Pullkeeper: a copy into 500 namespaces of the large
 * cluster is applied on replica A; A is killed with SIGKILL mid-run; replica B
 * takes the run's job once it expires and finishes it from the audited steps,
 * every step exactly once, the cluster holding each entry once. A second run,
 * applied on B, is cancelled from A.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callAction, operation, previewAndApply, serverActionIds, signIn, type AppSession, type OperationStatus } from "@/scripts/bench/app-client";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { createPorts } from "@/lib/server/ports";
import { startDemoFleet, type DemoFleet } from "@/sim/fleet";
import { createScratchDatabase, type ScratchDatabase } from "../support/databases";
import { copyBundle, freePort, startBundle, waitFor, type BundleCopy, type RunningBundle } from "./bundle-process";

const ROOT = path.join(import.meta.dirname, "..", "..");
const AUTH_SECRET = "replicas-test-secret-0123456789abcdef-0123";
const NAMESPACES = Array.from({ length: 500 }, (_, i) => `app-${String(i + 1).padStart(4, "0")}`);

let copy: BundleCopy;
let fleet: DemoFleet;
let kubeconfig: string;
let database: ScratchDatabase;
const running: RunningBundle[] = [];

const replicaEnv = (port: number) => ({
  NODE_ENV: "production",
  PORT: String(port),
  DATABASE_URL: database.target.url,
  AUTH_SECRET,
  PULLKEEPER_PUBLIC_URL: `http://127.0.0.1:${port}`,
  PULLKEEPER_DEMO: "true",
  PULLKEEPER_ALLOW_DEMO_IN_PRODUCTION: "true",
  PULLKEEPER_IN_CLUSTER: "false",
  KUBECONFIG: kubeconfig,
  PULLKEEPER_JOB_CHUNK_SECONDS: "2",
  PULLKEEPER_JOB_EXPIRE_SECONDS: "6",
  PULLKEEPER_JOB_MAINTENANCE_SECONDS: "1",
  PULLKEEPER_WORKFLOW_WORKERS: "1",
  // The first replica must be killed mid-run: a low ceiling keeps the 1,000-step copy at the API server's pace for tens of
  // seconds (at the default ceiling of 16 it can finish before the second replica is up).
  PULLKEEPER_KUBE_CONCURRENCY: "4",
  PULLKEEPER_VERIFY_SCHEDULE: "off",
  LOG_LEVEL: "warn",
});

async function startReplica(): Promise<{ server: RunningBundle; session: AppSession }> {
  const port = await freePort();
  const server = startBundle(copy, replicaEnv(port));
  running.push(server);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(`${baseUrl}/api/health/ready`, 200, 120_000, server);
  const operator = DEMO_USERS.find((user) => user.role === "operator")!;
  return { server, session: await signIn(baseUrl, operator.email, operator.password) };
}

async function until(session: AppSession, id: string, done: (status: OperationStatus) => boolean, timeoutMs: number): Promise<OperationStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await operation(session, id);
    if (done(status)) return status;
    if (Date.now() > deadline) throw new Error(`operation ${id} still ${status.status} with ${status.steps.length} steps recorded`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  copy = copyBundle();
  kubeconfig = path.join(copy.root, "kubeconfig");
  fleet = await startDemoFleet({ clusters: ["large"], largeNamespaceCount: 600, kubeconfigPath: kubeconfig });
  fs.chmodSync(kubeconfig, 0o644);
  database = await createScratchDatabase("postgresql");
  const seeded = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/seed-demo-users.ts"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: database.target.url, PULLKEEPER_DEMO: "true", AUTH_SECRET, LOG_LEVEL: "silent" },
  });
  expect(seeded.status, seeded.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  for (const server of running) server.process.kill("SIGKILL");
  await fleet?.close();
  await database?.drop();
  copy?.remove();
});

describe("two replicas on PostgreSQL", () => {
  it("a replica killed mid-run: the other resumes the run once its job expires and finishes it, every step once; cancel works from either", async () => {
    const a = await startReplica();
    const actions = serverActionIds(copy.app);
    const large = fleet.sims.find((sim) => sim.name === "large")!;
    const input = { cluster: "large", sourceNamespace: "default", secrets: ["all-icr-io"], targets: { mode: "list", namespaces: NAMESPACES }, naming: "keep", attach: true, serviceAccount: "default", restartPods: false };
    large.setFaults({ latencyMs: 60 });
    const run = await previewAndApply(a.session, actions, { kind: "copy_pull_secrets", slug: "copy" }, input);
    expect(run.changes).toBeGreaterThan(400);
    // B starts while A works: A holds the run's job.
    const b = await startReplica();
    await until(a.session, run.operationId, (status) => status.steps.filter((step) => step.outcome === "succeeded").length >= 60, 60_000);
    a.server.process.kill("SIGKILL");
    await a.server.exited;
    const killedAt = Date.now();
    const stepsAtKill = (await operation(b.session, run.operationId)).steps.filter((step) => step.outcome === "succeeded").length;
    await until(b.session, run.operationId, (status) => status.steps.filter((step) => step.outcome === "succeeded").length > stepsAtKill + 5, 60_000);
    const resumedAfterMs = Date.now() - killedAt;
    expect(resumedAfterMs).toBeLessThan(30_000);
    large.setFaults({});
    const finished = await until(b.session, run.operationId, (status) => status.status !== "running", 180_000);
    expect(finished.status).toBe("succeeded");
    expect(finished.steps.filter((step) => step.outcome === "started")).toEqual([]);
    expect(new Set(finished.steps.map((step) => step.sequence)).size).toBe(finished.steps.length);
    expect(finished.steps.filter((step) => step.outcome === "succeeded").length).toBeGreaterThanOrEqual(run.changes);

    // The cluster agrees with the record: each namespace holds the copy once and lists it once.
    const ports = createPorts({ kubeconfigPaths: [kubeconfig], iam: null });
    try {
      const inventory = await ports.kube.readPullSecretInventory("large");
      for (const namespace of NAMESPACES) {
        expect(inventory.pullSecrets.filter((secret) => secret.namespace === namespace && secret.name === "all-icr-io"), namespace).toHaveLength(1);
        const sa = inventory.serviceAccounts.find((account) => account.namespace === namespace && account.name === "default");
        expect(sa?.imagePullSecrets.filter((name) => name === "all-icr-io"), namespace).toHaveLength(1);
      }
    } finally {
      ports.close();
    }

    // A run applied on B, cancelled from a third replica: it stops within seconds.
    const c = await startReplica();
    large.setFaults({ latencyMs: 200 });
    const more = Array.from({ length: 100 }, (_, i) => `app-${String(i + 501).padStart(4, "0")}`);
    const second = await previewAndApply(b.session, actions, { kind: "copy_pull_secrets", slug: "copy" }, { ...input, targets: { mode: "list", namespaces: more } });
    const cancelled = await callAction<{ cancelledBy: string }>(c.session, actions.get("cancelOperationAction")!, [{ operationId: second.operationId }], `/audit/${second.operationId}`);
    expect(cancelled).toMatchObject({ ok: true });
    const ended = await until(c.session, second.operationId, (status) => status.status !== "running", 30_000);
    expect(ended.status).toBe("interrupted");
    expect(ended.summary).toMatch(/^Cancelled by demo-operator/);
    expect(ended.steps.filter((step) => step.outcome === "succeeded").length).toBeLessThan(second.changes);
    expect(ended.steps.filter((step) => step.outcome === "started")).toEqual([]);
    large.setFaults({});
  }, 420_000);
});
