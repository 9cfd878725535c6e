import "server-only";
import { serverRoot } from "./root";

/**
 * Workflow runs in flight in this process, so an operator can cancel one
 * between steps, and a shutdown can wait for them. A run on another server
 * process cannot be cancelled from here; if that process dies, the next start
 * marks the run interrupted.
 */
const runs = () => serverRoot().runs;

export function registerRun(operationId: string, controller: AbortController): void {
  runs().set(operationId, controller);
}

export function finishRun(operationId: string): void {
  runs().delete(operationId);
}

/** True when the run was live here and is now told to stop before its next step. */
export function cancelRun(operationId: string): boolean {
  const controller = runs().get(operationId);
  if (!controller) return false;
  controller.abort();
  return true;
}

export function isRunning(operationId: string): boolean {
  return runs().has(operationId);
}

/** The operations of the runs in flight here. */
export function runningOperationIds(): string[] {
  return [...runs().keys()];
}

export function runningCount(): number {
  return runs().size;
}

/** After SIGTERM: new runs are refused (apply again and another replica, or the restarted one, takes it). */
export function stopTakingRuns(): void {
  serverRoot().shutdown.draining = true;
}

export function takingRuns(): boolean {
  return !serverRoot().shutdown.draining;
}

/** Resolves with the number of runs still going when they have all finished (0) or the time is up. */
export async function waitForRuns(timeoutMs: number, pollMs = 200): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (runs().size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(1, deadline - Date.now()))));
  }
  return runs().size;
}
