/**
 * The server logs to stdout, which is a pipe wherever it runs (the demo's `tee`, a container runtime). When the pipe's
 * reader is gone, as when Ctrl-C stops the demo's whole process group, a log line written just before the process exits
 * must not keep the process alive: pino's default asynchronous destination flushes at exit and, on a broken pipe,
 * retried that write for ever (sonic-boom 4's flushSync sleeps and retries on every error), so the server never exited.
 * The real logger (lib/log.ts) runs in a child process whose stdout is a pipe this test closes.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.join(import.meta.dirname, "..", "..");

/** Waits for the child to print "ready" on stderr, closes its stdout pipe, then asks it to log twice and exit at once. */
async function logThenExitAfterReaderGone(): Promise<number | "still running"> {
  const script = `
    const { logger } = await import("@/lib/log");
    process.on("SIGUSR2", () => {
      logger.info("first line after the reader left");
      logger.info("second line, queued behind the first");
      process.exit(0);
    });
    process.stderr.write("ready\\n");
    setInterval(() => {}, 1_000);
  `;
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "--input-type=module", "-e", script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: "info", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? -1)));
  let stderr = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes("ready")) resolve();
    });
    void exited.then((code) => reject(new Error(`the child exited (${code}) before it was ready:\n${stderr}`)));
  });
  child.stdout!.destroy();
  await new Promise((resolve) => setTimeout(resolve, 200));
  child.kill("SIGUSR2");
  const outcome = await Promise.race([exited, new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), 15_000))]);
  child.kill("SIGKILL");
  return outcome;
}

describe("the server's log on a pipe nobody reads", () => {
  it("lets the process exit right after logging", async () => {
    for (let attempt = 0; attempt < 3; attempt++) expect(await logThenExitAfterReaderGone()).toBe(0);
  }, 90_000);
});
