import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * scripts/demo-stack.sh with the app replaced by a stand-in that exits at once
 * (a `node` earlier on PATH that answers for `scripts/start.mjs` and runs the
 * real node for everything else): what happens to the simulators when the app exits.
 * Ports from this worktree's block, apart from the end-to-end stack's.
 */
const root = path.join(import.meta.dirname, "../..");
const KUBE_BASE = Number(process.env.DEMO_STACK_TEST_KUBE_BASE_PORT ?? 17760);
const IBM_PORT = Number(process.env.DEMO_STACK_TEST_IBM_PORT ?? 17790);

let work: string;
let fakeBin: string;
let separate: ChildProcess | undefined;

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

async function waitFor(check: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/**
 * Output goes to files, not pipes: if the stand-in ever missed the app and a real server started, it would hold a pipe
 * open and spawnSync would block the test run for good; with files, the timeout ends the script and the test fails.
 */
function runStack(dir: string) {
  const out = path.join(work, `${path.basename(dir)}.stdout`);
  const err = path.join(work, `${path.basename(dir)}.stderr`);
  const [outFd, errFd] = [fs.openSync(out, "w"), fs.openSync(err, "w")];
  try {
    const result = spawnSync("bash", ["scripts/demo-stack.sh", dir, "127.0.0.1", "17799", String(KUBE_BASE), String(IBM_PORT)], {
      cwd: root, timeout: 90_000, stdio: ["ignore", outFd, errFd],
      env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH}` },
    });
    return { status: result.status, stdout: fs.readFileSync(out, "utf8"), stderr: fs.readFileSync(err, "utf8") };
  } finally {
    fs.closeSync(outFd);
    fs.closeSync(errFd);
  }
}

/** The app's command line as `npm start` runs it: its heap flags, then the start script (demo-stack.sh uses the same). */
const npmStartFlags = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start.split(" ").filter((word) => word.startsWith("--"));
const appStandIn = `app stand-in: ${[...npmStartFlags, "scripts/start.mjs"].join(" ")}`;

const simArgs = (dir: string) => ["--conditions=react-server", "--import", "tsx", "scripts/sim-demo.ts", "--dir", dir, "--kube-base-port", String(KUBE_BASE), "--ibm-port", String(IBM_PORT), "--large-namespaces", "20"];

describe("scripts/demo-stack.sh stops only the simulators it started", () => {
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-stack-"));
    fakeBin = path.join(work, "bin");
    fs.mkdirSync(fakeBin);
    fs.writeFileSync(
      path.join(fakeBin, "node"),
      `#!/bin/sh\nfor arg in "$@"; do if [ "$arg" = "scripts/start.mjs" ]; then echo "app stand-in: $*"; exit 0; fi; done\nexec "${process.execPath}" "$@"\n`,
      { mode: 0o755 },
    );
  });
  afterAll(async () => {
    separate?.kill("SIGTERM");
    await waitFor(async () => !(await listening(IBM_PORT)), 10_000);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("leaves simulators started separately running when the app exits", async () => {
    const dir = path.join(work, "separate");
    separate = spawn("node", simArgs(dir), { cwd: root, stdio: "ignore" });
    expect(await waitFor(() => fs.existsSync(path.join(dir, "demo.env")), 60_000)).toBe(true);

    const stack = runStack(dir);
    expect(stack.stderr).toBe("");
    expect(stack.status).toBe(0);
    expect(stack.stdout).toContain("using the simulators already running");
    expect(stack.stdout).toContain(appStandIn);
    expect(separate.exitCode).toBeNull();
    expect(await listening(IBM_PORT)).toBe(true);
    expect(fs.existsSync(path.join(dir, "demo.env"))).toBe(true);

    separate.kill("SIGTERM");
    expect(await waitFor(async () => !(await listening(IBM_PORT)), 10_000)).toBe(true);
  }, 120_000);

  it("stops the simulators it started itself when the app exits", async () => {
    const stack = runStack(path.join(work, "own"));
    expect(stack.status).toBe(0);
    expect(stack.stdout).not.toContain("using the simulators already running");
    expect(stack.stdout).toContain(appStandIn);
    expect(await waitFor(async () => !(await listening(IBM_PORT)), 10_000)).toBe(true);
  }, 120_000);
});
