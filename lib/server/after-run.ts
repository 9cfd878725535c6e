import "server-only";

type Listener = (cluster: string | null) => void;
const holder = globalThis as unknown as { pullkeeperAfterRun?: Set<Listener> };
const listeners = (holder.pullkeeperAfterRun ??= new Set());

/** Read models (cached scans) subscribe here to drop what a workflow run made stale. */
export function onWorkflowRun(listener: Listener): void {
  listeners.add(listener);
}

export function afterWorkflowRun(cluster: string | null): void {
  for (const listener of listeners) listener(cluster);
}
