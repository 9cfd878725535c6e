"use server";

import { z } from "zod";
import { notifications } from "@/lib/notifications";
import { recordTargetChange } from "@/lib/notifications/target-audit";
import { targetIdSchema } from "@/lib/notifications/targets";
import { action } from "../safe-action";
import { existingTarget, refreshNotificationsPage } from "./shared";

/** Admin: removes a webhook target with its deliveries (the audit log keeps the change). */
export const deleteWebhookTargetAction = action(
  "settings.manage",
  z.object({ targetId: targetIdSchema }),
  async ({ input, user }) => {
    const target = await existingTarget(input.targetId);
    await (await notifications()).store.deleteTarget(input.targetId);
    await recordTargetChange(user, "webhook_target.deleted", target);
    refreshNotificationsPage();
    return { id: target.id };
  },
  { name: "notifications.delete_target" },
);
