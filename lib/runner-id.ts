import { serverRoot } from "@/lib/server/root";

/**
 * Identifies this server process in the audit store, so a restart can tell its
 * own runs from orphans. One id per process: the instrumentation hook and the
 * app are bundled separately, and both read it from the composition root.
 */
export const runnerId: string = serverRoot().runnerId;
