"use server";

import { z } from "zod";
import { notifications } from "@/lib/notifications";
import { recordTargetChange } from "@/lib/notifications/target-audit";
import { targetEventsSchema, targetIdSchema, targetNameSchema } from "@/lib/notifications/targets";
import { action } from "../safe-action";
import { existingTarget, refreshNotificationsPage } from "./shared";

/** Admin: renames a webhook target or changes the events it receives. */
export const updateWebhookTargetAction = action(
  "settings.manage",
  z.object({ targetId: targetIdSchema, name: targetNameSchema, events: targetEventsSchema }),
  async ({ input, user }) => {
    await existingTarget(input.targetId);
    const target = await (await notifications()).store.updateTarget(input.targetId, { name: input.name, events: input.events });
    await recordTargetChange(user, "webhook_target.updated", target);
    refreshNotificationsPage();
    return { id: target.id };
  },
  { name: "notifications.update_target" },
);
