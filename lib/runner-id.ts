import { randomUUID } from "node:crypto";

/**
 * Identifies this server process in the audit store, so a restart can tell its
 * own runs from orphans. Held on globalThis because Next bundles the
 * instrumentation hook and the app separately: a plain module constant would
 * give the heartbeat one id and the workflows another, and the sweep would
 * then mark this process's own live runs interrupted.
 */
const holder = globalThis as unknown as { pullkeeperRunnerId?: string };
export const runnerId: string = (holder.pullkeeperRunnerId ??= randomUUID());
