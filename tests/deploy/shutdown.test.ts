/**
 * SIGTERM during a long run, on the standalone bundle run as the image runs it:
 * the run still going at the shutdown deadline is recorded as interrupted
 * before the process exits, so its status is right the moment the process is
 * gone (not only after another process's sweep). The run is started over HTTP
 * through the workflow pages' own server actions, against the simulated large
 * cluster slowed down so that it cannot finish in time.
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

describe("SIGTERM with a run still going at the deadline", () => {
  it("marks the run interrupted in the audit store before the process exits", async () => {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const server = startBundle(copy, {
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_URL: `file:${copy.data}/pullkeeper.db`,
      AUTH_SECRET,
      PULLKEEPER_PUBLIC_URL: baseUrl,
      PULLKEEPER_DEMO: "true",
      PULLKEEPER_ALLOW_DEMO_IN_PRODUCTION: "true",
      PULLKEEPER_IN_CLUSTER: "false",
      KUBECONFIG: kubeconfig,
      PULLKEEPER_SHUTDOWN_TIMEOUT_SECONDS: "2",
      LOG_LEVEL: "info",
    });
    try {
      await waitFor(`${baseUrl}/api/health/ready`, 200, 90_000, server);
      const admin = DEMO_USERS.find((user) => user.role === "admin")!;
      const session = await signIn(baseUrl, admin.email, admin.password);
      const actions = serverActionIds(copy.app);
      const large = fleet.sims.find((sim) => sim.name === "large")!;
      const input = { cluster: "large", sourceNamespace: "default", secrets: ["all-icr-io"], targets: { mode: "uncovered" }, naming: "keep", attach: true, serviceAccount: "default", restartPods: false };
      // Every request takes 300 ms: the preview's few list requests stay quick, the run's hundreds of writes cannot finish before the deadline.
      large.setFaults({ latencyMs: 300 });
      const run = await previewAndApply(session, actions, { kind: "copy_pull_secrets", slug: "copy" }, input);
      expect(run.changes).toBeGreaterThan(40);
      let progress = await operation(session, run.operationId);
      const succeededSteps = () => progress.steps.filter((step) => step.outcome === "succeeded").length;
      for (let i = 0; i < 100 && progress.status === "running" && succeededSteps() === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        progress = await operation(session, run.operationId);
      }
      expect(progress.status).toBe("running");
      expect(succeededSteps()).toBeGreaterThan(0);

      server.process.kill("SIGTERM");
      expect(await server.exited).toBe(0);
      const db = new Database(path.join(copy.data, "pullkeeper.db"), { readonly: true });
      try {
        const row = db.prepare("SELECT status, summary, stepsSucceeded, finishedAt FROM AuditOperation WHERE id = ?").get(run.operationId) as { status: string; summary: string; stepsSucceeded: number; finishedAt: unknown };
        expect(row.status).toBe("interrupted");
        expect(row.summary).toMatch(/shut down.*Re-run it/);
        expect(row.stepsSucceeded).toBeGreaterThan(0);
        expect(row.finishedAt).not.toBeNull();
      } finally {
        db.close();
      }
      const lines = logLines(server.output());
      expect(lines.some((line) => line.msg === "shutdown deadline reached; marking the runs still going as interrupted")).toBe(true);
    } finally {
      server.process.kill("SIGKILL");
    }
  }, 180_000);
});
