import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * Runs the assembled standalone bundle the way the image runs it (Dockerfile):
 * `node start.mjs` in the bundle's directory, a read-only copy of the bundle,
 * a writable data directory, uid/gid 65532 when the test runs as root, and only
 * the environment the Deployment sets.
 */

export const BUNDLE = path.join(import.meta.dirname, "..", "..", ".next", "standalone");
export const IMAGE_UID = 65532;

export interface BundleCopy {
  root: string;
  app: string;
  data: string;
  remove(): void;
}

export function requireBundle(): void {
  if (!fs.existsSync(path.join(BUNDLE, "start.mjs"))) {
    throw new Error(`No assembled bundle at ${BUNDLE}: run \`npm run build\` first (npm test builds before the integration tests).`);
  }
}

/** A read-only copy of the bundle (as the image's layers are), and an empty data directory the image's user owns. */
export function copyBundle(): BundleCopy {
  requireBundle();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-image-"));
  fs.chmodSync(root, 0o755);
  const app = path.join(root, "app");
  const data = path.join(root, "data");
  fs.cpSync(BUNDLE, app, { recursive: true, verbatimSymlinks: true });
  fs.mkdirSync(data);
  if (runsAsRoot()) {
    fs.chownSync(data, IMAGE_UID, IMAGE_UID);
  }
  makeReadOnly(app);
  return {
    root,
    app,
    data,
    remove: () => {
      makeWritable(app);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

export const runsAsRoot = () => process.getuid?.() === 0;

function walk(dir: string, visit: (file: string, isDir: boolean) => void): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) walk(file, visit);
    visit(file, entry.isDirectory());
  }
}

function makeReadOnly(dir: string): void {
  walk(dir, (file, isDir) => fs.chmodSync(file, isDir ? 0o555 : 0o444));
  fs.chmodSync(dir, 0o555);
}

function makeWritable(dir: string): void {
  fs.chmodSync(dir, 0o755);
  walk(dir, (file, isDir) => fs.chmodSync(file, isDir ? 0o755 : 0o644));
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RunningBundle {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `node start.mjs` with the given environment only (plus PATH), as the image's user. */
export function startBundle(copy: BundleCopy, env: Record<string, string>): RunningBundle {
  const asImageUser = runsAsRoot() ? ["setpriv", `--reuid=${IMAGE_UID}`, `--regid=${IMAGE_UID}`, "--clear-groups"] : [];
  const command = [...asImageUser, process.execPath, "start.mjs"];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: copy.app,
    env: { PATH: "/usr/bin:/bin", HOME: "/nonexistent", TMPDIR: "/tmp", ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { process: child, output: () => text, exited };
}

export async function waitFor(url: string, status: number, timeoutMs: number, running: RunningBundle): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (running.process.exitCode !== null) throw new Error(`the server exited (${running.process.exitCode}):\n${running.output()}`);
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status === status) return response;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last}):\n${running.output()}`);
}

/** JSON log lines the server printed (pino), skipping Next's banner. */
export function logLines(output: string): Array<Record<string, unknown>> {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
