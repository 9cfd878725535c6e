import "server-only";
import { revalidatePath } from "next/cache";
import { notifications } from "@/lib/notifications";
import type { WebhookTargetRecord } from "@/lib/notifications/records";
import { ActionError } from "../safe-action";

export const NOTIFICATIONS_PATH = "/admin/notifications";

/** The target an action is about, or the refusal a stale page gets. */
export async function existingTarget(id: string): Promise<WebhookTargetRecord> {
  const target = await (await notifications()).store.getTarget(id);
  if (!target) throw new ActionError("That webhook target no longer exists; reload the page.");
  return target;
}

export function refreshNotificationsPage(): void {
  revalidatePath(NOTIFICATIONS_PATH);
}
