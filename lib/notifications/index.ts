import "server-only";
import { serverRoot } from "@/lib/server/root";
import type { Notifications } from "./service";

/** The process's webhook targets, deliveries and sender (held by the composition root). */
export function notifications(): Promise<Notifications> {
  return serverRoot().notifications();
}
