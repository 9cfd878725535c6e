import { afterEach, describe, expect, it, vi } from "vitest";
import { exitGracefullyOnSigterm } from "./graceful-shutdown";
import { serverRoot } from "./root";
import { pauseSignal, takingRuns } from "./running-operations";

describe("graceful shutdown", () => {
  afterEach(() => {
    process.removeAllListeners("SIGTERM");
    process.removeAllListeners("SIGINT");
    serverRoot().shutdown.draining = false;
    serverRoot().shutdown.pause = new AbortController();
  });

  it("on SIGTERM takes no new runs, pauses running chunks, stops the workers within the timeout, then exits 0", async () => {
    let release!: () => void;
    const stopWork = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const exit = vi.fn();
    exitGracefullyOnSigterm(5_000, stopWork, exit);
    process.emit("SIGTERM", "SIGTERM");
    expect(takingRuns()).toBe(false);
    expect(pauseSignal().aborted).toBe(true);
    expect(stopWork).toHaveBeenCalledWith(5_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(exit).not.toHaveBeenCalled();
    release();
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
  });

  it("still exits shortly after the deadline when stopping hangs or fails", async () => {
    const exit = vi.fn();
    exitGracefullyOnSigterm(100, () => new Promise(() => undefined), exit);
    process.emit("SIGTERM", "SIGTERM");
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0), { timeout: 4_000 });
    process.removeAllListeners("SIGTERM");
    const failing = vi.fn();
    exitGracefullyOnSigterm(100, async () => Promise.reject(new Error("database gone")), failing);
    process.emit("SIGTERM", "SIGTERM");
    await vi.waitFor(() => expect(failing).toHaveBeenCalledWith(0));
  });
});
