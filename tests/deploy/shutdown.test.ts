/**
 * SIGTERM during a long run, on the standalone bundle run as the image runs it
 * (embedded SQLite, one process): the process stops starting steps, lets the
 * ones in flight finish and exits within its timeout; the run stays open, and
 * the restarted process takes it up from its audited steps and finishes it,
 * every step exactly once. The run is started over HTTP through the workflow
 * pages' own server actions, against the simulated large cluster slowed down
 * so that it cannot finish before the signal.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operation, previewAndApply, serverActionIds, signIn } from "@/scripts/bench/app-client";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { startDemoFleet, type DemoFleet } from "@/sim/fleet";
import { copyBundle, freePort, IMAGE_UID, logLines, runsAsRoot, startBundle, waitFor, type BundleCopy } from "./bundle-process";

const ROOT = path.join(import.meta.dirname, "..", "..");
const AUTH_SECRET = "shutdown-test-secret-0123456789abcdef-0123";

let copy: BundleCopy;
let fleet: DemoFleet;
let kubeconfig: string;

beforeAll(async () => {
  copy = copyBundle();
  kubeconfig = path.join(copy.root, "kubeconfig");
  fleet = await startDemoFleet({ clusters: ["large"], largeNamespaceCount: 150, kubeconfigPath: kubeconfig });
  fs.chmodSync(kubeconfig, 0o644);
  // The demo accounts, created as `npm run demo` creates them, then handed to the image's user.
  const seeded = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/seed-demo-users.ts"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: `file:${copy.data}/pullkeeper.db`, PULLKEEPER_DEMO: "true", AUTH_SECRET, LOG_LEVEL: "silent" },
  });
  expect(seeded.status, seeded.stderr).toBe(0);
  if (runsAsRoot()) for (const file of fs.readdirSync(copy.data)) fs.chownSync(path.join(copy.data, file), IMAGE_UID, IMAGE_UID);
});

afterAll(async () => {
  await fleet?.close();
  copy?.remove();
});

const serverEnv = (port: number) => ({
  NODE_ENV: "production",
  PORT: String(port),
  DATABASE_URL: `file:${copy.data}/pullkeeper.db`,
  AUTH_SECRET,
  PULLKEEPER_PUBLIC_URL: `http://127.0.0.1:${port}`,
  PULLKEEPER_DEMO: "true",
  PULLKEEPER_ALLOW_DEMO_IN_PRODUCTION: "true",
  PULLKEEPER_IN_CLUSTER: "false",
  KUBECONFIG: kubeconfig,
  PULLKEEPER_SHUTDOWN_TIMEOUT_SECONDS: "2",
  PULLKEEPER_JOB_CHUNK_SECONDS: "3",
  LOG_LEVEL: "info",
});

describe("a stop of the whole process group", () => {
  // Ctrl-C on `npm run demo`, or a supervisor stopping a process group, signals the server and the reader of its log
  // pipe (the demo's `tee`) at once: the server's last log lines then meet a pipe nobody reads. It must exit all the same.
  it("exits when its log pipe's reader is gone, instead of retrying the log write for ever", async () => {
    const port = await freePort();
    const server = startBundle(copy, serverEnv(port));
    try {
      await waitFor(`http://127.0.0.1:${port}/api/health/ready`, 200, 90_000, server);
      server.process.stdout!.destroy();
      server.process.stderr!.destroy();
      server.process.kill("SIGTERM");
      const exited = await Promise.race([server.exited, new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), 20_000))]);
      expect(exited).toBe(0);
    } finally {
      server.process.kill("SIGKILL");
    }
  }, 150_000);
});

describe("SIGTERM with a run still going", () => {
  it("exits within the timeout leaving the run open, and the restarted process finishes it, each step once", async () => {
    let port = await freePort();
    let server = startBundle(copy, serverEnv(port));
    const admin = DEMO_USERS.find((user) => user.role === "admin")!;
    const large = fleet.sims.find((sim) => sim.name === "large")!;
    let operationId: string;
    let changes: number;
    try {
      const baseUrl = `http://127.0.0.1:${port}`;
      await waitFor(`${baseUrl}/api/health/ready`, 200, 90_000, server);
      const session = await signIn(baseUrl, admin.email, admin.password);
      const actions = serverActionIds(copy.app);
      const input = { cluster: "large", sourceNamespace: "default", secrets: ["all-icr-io"], targets: { mode: "uncovered" }, naming: "keep", attach: true, serviceAccount: "default", restartPods: false };
      // Every request takes 300 ms: the preview's few list requests stay quick, the run's hundreds of writes cannot finish before the signal.
      large.setFaults({ latencyMs: 300 });
      const run = await previewAndApply(session, actions, { kind: "copy_pull_secrets", slug: "copy" }, input);
      ({ operationId, changes } = run);
      expect(changes).toBeGreaterThan(40);
      let progress = await operation(session, operationId);
      const succeededSteps = () => progress.steps.filter((step) => step.outcome === "succeeded").length;
      for (let i = 0; i < 100 && progress.status === "running" && succeededSteps() === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        progress = await operation(session, operationId);
      }
      expect(progress.status).toBe("running");
      expect(succeededSteps()).toBeGreaterThan(0);

      const signalled = Date.now();
      server.process.kill("SIGTERM");
      expect(await server.exited).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(2_000 + 3_000);
      const lines = logLines(server.output());
      expect(lines.some((line) => String(line.msg).startsWith("shutting down: no new workflow steps"))).toBe(true);
    } finally {
      server.process.kill("SIGKILL");
    }
    const db = new Database(path.join(copy.data, "pullkeeper.db"), { readonly: true });
    try {
      const row = db.prepare("SELECT status, finishedAt FROM AuditOperation WHERE id = ?").get(operationId) as { status: string; finishedAt: unknown };
      expect(row).toMatchObject({ status: "running", finishedAt: null });
      expect(db.prepare("SELECT count(*) AS n FROM WorkflowRun WHERE operationId = ?").get(operationId)).toEqual({ n: 1 });
    } finally {
      db.close();
    }

    // The restart takes the run up by itself: nobody re-runs anything.
    large.setFaults({});
    port = await freePort();
    server = startBundle(copy, serverEnv(port));
    try {
      const baseUrl = `http://127.0.0.1:${port}`;
      await waitFor(`${baseUrl}/api/health/ready`, 200, 90_000, server);
      const session = await signIn(baseUrl, admin.email, admin.password);
      let progress = await operation(session, operationId);
      for (let i = 0; i < 300 && progress.status === "running"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        progress = await operation(session, operationId);
      }
      expect(progress.status).toBe("succeeded");
      const finished = progress.steps.filter((step) => step.outcome === "succeeded");
      expect(finished.length).toBeGreaterThanOrEqual(changes);
      expect(new Set(progress.steps.map((step) => step.sequence)).size).toBe(progress.steps.length);
      expect(progress.steps.filter((step) => step.outcome === "started")).toEqual([]);
    } finally {
      server.process.kill("SIGTERM");
      await server.exited;
    }
    const after = new Database(path.join(copy.data, "pullkeeper.db"), { readonly: true });
    try {
      expect(after.prepare("SELECT count(*) AS n FROM WorkflowRun").get()).toEqual({ n: 0 });
    } finally {
      after.close();
    }
  }, 240_000);
});
