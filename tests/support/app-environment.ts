import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DatabaseProvider } from "@/lib/db/database-url";
import { startDemoFleet, type DemoFleet, type DemoFleetOptions } from "@/sim/fleet";
import { createScratchDatabase } from "./databases";

/**
 * The app in this test process, as the server would run it, for tests that call route handlers or the composition
 * root directly: a temporary directory with a SQLite database, the demo fleet's simulators and their kubeconfig,
 * and the environment the app reads. The app reads its environment once, on first use: start this before the
 * first import of an app module (import them dynamically afterwards).
 */
export interface AppEnvironment {
  dir: string;
  fleet: DemoFleet;
  kubeconfigPath: string;
  /** Closes the app's database, stops the simulators and removes the directory. */
  close(): Promise<void>;
}

export async function startAppEnvironment(options: {
  /** Names the temporary directory and the session secret. */
  name: string;
  fleet?: Omit<DemoFleetOptions, "kubeconfigPath">;
  /** More of the app's environment (PULLKEEPER_WATCH, PULLKEEPER_RULE_SCHEDULE...). */
  env?: Record<string, string>;
  /** `postgresql`: a scratch PostgreSQL database (dropped by `close`), migrated by the app on open; default SQLite. */
  database?: DatabaseProvider;
}): Promise<AppEnvironment> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pullkeeper-${options.name}-`));
  const kubeconfigPath = path.join(dir, "kubeconfig");
  const fleet = await startDemoFleet({ ...options.fleet, kubeconfigPath });
  const scratch = options.database === "postgresql" ? await createScratchDatabase("postgresql") : null;
  Object.assign(process.env, {
    DATABASE_URL: scratch ? scratch.target.url : `file:${dir}/pullkeeper.db`,
    AUTH_SECRET: `${options.name}-test-secret-0123456789abcdef`,
    PULLKEEPER_PUBLIC_URL: "http://pullkeeper.test",
    LOG_LEVEL: "silent",
    KUBECONFIG: kubeconfigPath,
    PULLKEEPER_IN_CLUSTER: "false",
    ...options.env,
  });
  return {
    dir,
    fleet,
    kubeconfigPath,
    async close() {
      await (await import("@/lib/db")).database().then((connection) => connection.close(), () => undefined);
      await scratch?.drop();
      await fleet.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
