import { randomUUID } from "node:crypto";

/** Identifies this server process in the audit store, so a restart can tell its own runs from orphans. */
export const runnerId: string = randomUUID();
