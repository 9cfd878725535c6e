import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { Page } from "@playwright/test";
import { DEMO_USERS } from "../../lib/auth/demo-users";

/**
 * A second demo stack (simulators + the built app) with extra clusters, for the fleet page at scale: started by
 * scripts/demo-stack.sh on free ports, so it runs beside the e2e server and other stacks on this machine.
 */
export interface FleetStackOptions {
  /** Data folder (wiped first). */
  dir: string;
  scaleClusters: number;
  scaleNamespaces: number;
  largeNamespaces?: number;
  slow?: string[];
  hanging?: string[];
  /** PULLKEEPER_KUBE_TIMEOUT_MS of the app: how long a request to a silent cluster waits. */
  kubeTimeoutMs?: number;
  /** The checkout whose build runs (default: this one). */
  root?: string;
  /**
   * Fixed ports for the simulators, chosen now, so `restart` brings every cluster back at its address. Otherwise the
   * simulators pick free ports themselves (nothing can take them between choosing and listening).
   */
  restartable?: boolean;
}

export interface FleetStack {
  baseURL: string;
  stop(): Promise<void>;
  /**
   * Stops the app and the simulators and starts them again on the same data folder (database kept) and the same
   * ports, so every cluster keeps its API server address: a server restart as users see one behind a readiness probe.
   * Resolves once `/api/health/ready` answers 200, with how long that took after `/api/health` first answered.
   * `whileStopped` runs with everything stopped (say, to change the database the next start finds).
   */
  restart(whileStopped?: (dataDir: string) => void): Promise<{ readyAfterHealthMs: number }>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `count` consecutive free ports (the simulated clusters listen on base, base + 1, ...), so a restart can reuse them. */
async function freePortRange(count: number): Promise<number> {
  const bindable = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    let free = true;
    for (let port = base; free && port < base + count; port++) free = await bindable(port);
    if (free) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

async function waitForHealth(baseURL: string, child: ChildProcess, timeoutMs: number, probe = "/api/health", pollMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the fleet stack exited with ${child.exitCode}`);
    const ok = await fetch(`${baseURL}${probe}`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(`the fleet stack did not answer ${baseURL}${probe} within ${timeoutMs} ms`);
}

export async function startFleetStack(options: FleetStackOptions): Promise<FleetStack> {
  const root = options.root ?? path.resolve(import.meta.dirname, "../..");
  const dir = path.resolve(options.dir);
  fs.rmSync(dir, { recursive: true, force: true });
  const port = await freePort();
  // The demo's four clusters and the scaled ones listen on consecutive ports from kubeBase; 0: free ports each start.
  const ibmPort = options.restartable ? await freePort() : 0;
  const kubeBase = options.restartable ? await freePortRange(4 + options.scaleClusters) : 0;
  const simArgs = [
    `--scale-clusters ${options.scaleClusters}`,
    `--scale-namespaces ${options.scaleNamespaces}`,
    `--large-namespaces ${options.largeNamespaces ?? 20}`,
    ...(options.slow ?? []).map((name) => `--slow ${name}`),
    ...(options.hanging ?? []).map((name) => `--hanging ${name}`),
  ].join(" ");
  const baseURL = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.pid === undefined) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    process.kill(-running.pid, "SIGTERM");
    const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000))]);
    // The app drains open requests first, and one to a silent cluster does not end: do not wait for it.
    if (!gone) process.kill(-running.pid, "SIGKILL");
  };

  const start = async () => {
    child = spawn("bash", ["scripts/demo-stack.sh", dir, "127.0.0.1", String(port), String(kubeBase), String(ibmPort)], {
      cwd: root,
      detached: true,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, SIM_DEMO_ARGS: simArgs, ...(options.kubeTimeoutMs ? { PULLKEEPER_KUBE_TIMEOUT_MS: String(options.kubeTimeoutMs) } : {}) },
    });
    try {
      await waitForHealth(baseURL, child, 180_000);
    } catch (error) {
      await stop();
      throw error;
    }
  };

  await start();
  return {
    baseURL,
    stop,
    async restart(whileStopped) {
      if (!options.restartable) throw new Error("startFleetStack: restart needs { restartable: true }");
      await stop();
      whileStopped?.(dir);
      await start();
      const healthy = Date.now();
      await waitForHealth(baseURL, child!, 60_000, "/api/health/ready", 50);
      return { readyAfterHealthMs: Date.now() - healthy };
    },
  };
}

/**
 * Signs in through the form with a demo account (as e2e/fixtures does, without the test runner), landing on the
 * settings page, which scans no cluster: the first view of the fleet page afterwards is a cold one.
 */
export async function signInAs(page: Page, baseURL: string, role: "admin" | "operator" | "viewer"): Promise<void> {
  const account = DEMO_USERS.find((user) => user.role === role)!;
  await page.goto(`${baseURL}/sign-in?next=${encodeURIComponent("/settings")}`);
  await page.getByRole("textbox", { name: "Email" }).fill(account.email);
  await page.getByRole("textbox", { name: "Password" }).fill(account.password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

/**
 * Rows of the Clusters table that show a cluster's answer (not "Scanning…" nor "Not answering yet"). Runs in the
 * page, passed as a function: the app's CSP forbids evaluating strings.
 */
export function countAnsweredRows(): number {
  return [...document.querySelectorAll('table[aria-label="Clusters"] tbody tr')].filter((r) => !/Scanning…|Not answering yet/.test(r.textContent ?? "")).length;
}
