import "server-only";
import { serverRoot } from "./root";

/**
 * Workflow runs in flight in this process, so an operator can cancel one
 * between steps. A run on another server process cannot be cancelled from here;
 * if that process dies, the next start marks the run interrupted.
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
