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
}

export interface FleetStack {
  baseURL: string;
  stop(): Promise<void>;
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

async function waitForHealth(baseURL: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the fleet stack exited with ${child.exitCode}`);
    const ok = await fetch(`${baseURL}/api/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the fleet stack did not answer ${baseURL}/api/health within ${timeoutMs} ms`);
}

export async function startFleetStack(options: FleetStackOptions): Promise<FleetStack> {
  const root = options.root ?? path.resolve(import.meta.dirname, "../..");
  const dir = path.resolve(options.dir);
  fs.rmSync(dir, { recursive: true, force: true });
  const port = await freePort();
  const simArgs = [
    `--scale-clusters ${options.scaleClusters}`,
    `--scale-namespaces ${options.scaleNamespaces}`,
    `--large-namespaces ${options.largeNamespaces ?? 20}`,
    ...(options.slow ?? []).map((name) => `--slow ${name}`),
    ...(options.hanging ?? []).map((name) => `--hanging ${name}`),
  ].join(" ");
  const child = spawn("bash", ["scripts/demo-stack.sh", dir, "127.0.0.1", String(port), "0", "0"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, SIM_DEMO_ARGS: simArgs, ...(options.kubeTimeoutMs ? { PULLKEEPER_KUBE_TIMEOUT_MS: String(options.kubeTimeoutMs) } : {}) },
  });
  const baseURL = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGTERM");
    const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000))]);
    // The app drains open requests first, and one to a silent cluster does not end: do not wait for it.
    if (!gone) process.kill(-child.pid, "SIGKILL");
  };
  try {
    await waitForHealth(baseURL, child, 180_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseURL, stop };
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
