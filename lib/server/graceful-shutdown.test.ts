import { afterEach, describe, expect, it, vi } from "vitest";
import { exitGracefullyOnSigterm } from "./graceful-shutdown";
import { serverRoot } from "./root";
import { finishRun, registerRun, takingRuns, waitForRuns } from "./running-operations";

describe("graceful shutdown", () => {
  afterEach(() => {
    process.removeAllListeners("SIGTERM");
    process.removeAllListeners("SIGINT");
    serverRoot().shutdown.draining = false;
  });

  it("on SIGTERM takes no new runs, waits for the running one, then exits 0", async () => {
    registerRun("op-1", new AbortController());
    const exit = vi.fn();
    exitGracefullyOnSigterm(5_000, exit);
    process.emit("SIGTERM", "SIGTERM");
    expect(takingRuns()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(exit).not.toHaveBeenCalled();
    finishRun("op-1");
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
  });

  it("gives up waiting at the deadline and reports how many runs were left", async () => {
    registerRun("op-2", new AbortController());
    const started = Date.now();
    expect(await waitForRuns(250, 20)).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    finishRun("op-2");
    expect(await waitForRuns(250, 20)).toBe(0);
  });
});

describe("graceful shutdown at the deadline", () => {
  afterEach(() => {
    process.removeAllListeners("SIGTERM");
    process.removeAllListeners("SIGINT");
    serverRoot().shutdown.draining = false;
    finishRun("op-long");
  });

  it("marks the runs still going as interrupted before it exits", async () => {
    registerRun("op-long", new AbortController());
    const events: string[] = [];
    const exit = vi.fn(() => void events.push("exit"));
    exitGracefullyOnSigterm(200, exit, async (ids) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      events.push(`interrupted ${ids.join(",")}`);
    });
    process.emit("SIGTERM", "SIGTERM");
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
    expect(events).toEqual(["interrupted op-long", "exit"]);
  });

  it("still exits when the audit store cannot be written", async () => {
    registerRun("op-long", new AbortController());
    const exit = vi.fn();
    exitGracefullyOnSigterm(100, exit, async () => Promise.reject(new Error("database gone")));
    process.emit("SIGTERM", "SIGTERM");
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
  });
});
