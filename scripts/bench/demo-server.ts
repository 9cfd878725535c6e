/**
 * The demo stack as the benchmarks drive it: the simulators (scripts/sim-demo.ts)
 * and the production server (`node scripts/start.mjs`, the standalone bundle),
 * each a child process on the given ports, with the demo accounts seeded.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.join(import.meta.dirname, "..", "..");
export const BUNDLE = path.join(ROOT, ".next", "standalone");
export const DEMO_ADMIN = { email: "demo-admin@pullkeeper.demo", password: "admin-demo-passphrase" };
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Node.js flags `npm start` (and the image, tests/deploy/manifests.test.ts compares them) runs the server with: the heap's size. */
export function startNodeFlags(): string[] {
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  return scripts.start!.split(" ").filter((word) => word.startsWith("--"));
}

function readEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) env[match[1]!] = match[2]!.replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1");
  }
  return env;
}

export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await Promise.resolve().then(check).catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
}

export interface DemoServer {
  baseUrl: string;
  /** The server process (for /proc sampling). */
  pid: number;
  /** The stack's directory: its database (pullkeeper.db) and the simulated fleet's kubeconfig. */
  dir: string;
  stop(): Promise<void>;
}

export async function startDemoServer(options: {
  port: number;
  kubeBasePort: number;
  ibmPort: number;
  label: string;
  /** Extra Node.js flags for the server process (e.g. --cpu-prof, to profile it under load), after `npm start`'s own (a later flag wins). */
  serverNodeArgs?: string[];
  /** Another assembled bundle to run (a copy of .next/standalone kept from an earlier build, to compare before and after). */
  bundle?: string;
}): Promise<DemoServer> {
  const bundle = options.bundle ?? BUNDLE;
  if (!fs.existsSync(path.join(bundle, "start.mjs"))) throw new Error(`No assembled bundle in ${bundle}: run \`npm run build\` first.`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pullkeeper-${options.label}-`));
  const children: ChildProcess[] = [];
  const stop = async () => {
    children.forEach((child) => child.exitCode === null && child.kill("SIGTERM"));
    await sleep(1000);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));
  try {
    children.push(
      spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/sim-demo.ts", "--dir", dir, "--kube-base-port", String(options.kubeBasePort), "--ibm-port", String(options.ibmPort)], { cwd: ROOT, stdio: "ignore" }),
    );
    await waitUntil(() => fs.existsSync(path.join(dir, "demo.env")), 120_000, "the simulators starting");
    const env: NodeJS.ProcessEnv = {
      ...(process.env as Record<string, string>),
      ...readEnvFile(path.join(dir, "demo.env")),
      DATABASE_URL: `file:${dir}/pullkeeper.db`,
      PULLKEEPER_DEMO: "true",
      PULLKEEPER_ALLOW_DEMO_IN_PRODUCTION: "true",
      PULLKEEPER_PUBLIC_URL: `http://127.0.0.1:${options.port}`,
      AUTH_SECRET: "bench-server-secret-0123456789abcdef-0123",
      NODE_ENV: "production" as const,
      PORT: String(options.port),
      PULLKEEPER_LISTEN_ADDRESS: "127.0.0.1",
      LOG_LEVEL: "warn",
    };
    const seeded = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/seed-demo-users.ts"], { cwd: ROOT, env, encoding: "utf8" });
    if (seeded.status !== 0) throw new Error(`seeding the demo accounts failed: ${seeded.stderr}`);
    const server = spawn(process.execPath, [...startNodeFlags(), ...(options.serverNodeArgs ?? []), path.join(bundle, "start.mjs")], { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit"] });
    children.push(server);
    const baseUrl = `http://127.0.0.1:${options.port}`;
    await waitUntil(async () => (await fetch(`${baseUrl}/api/health/ready`)).ok, 120_000, "the server becoming ready");
    return { baseUrl, pid: server.pid!, dir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
