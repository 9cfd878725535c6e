"use server";

import { z } from "zod";
import { notifications } from "@/lib/notifications";
import { recordTargetChange } from "@/lib/notifications/target-audit";
import { targetIdSchema } from "@/lib/notifications/targets";
import { action, ActionError } from "../safe-action";
import { existingTarget, refreshNotificationsPage } from "./shared";

/** Admin: queues a `webhook.test` delivery to one target (enabled or not); its attempts show in the deliveries list. */
export const sendTestWebhookAction = action(
  "settings.manage",
  z.object({ targetId: targetIdSchema }),
  async ({ input, user }) => {
    const target = await existingTarget(input.targetId);
    const deliveryId = await (await notifications()).sendTest(target.id, user.email);
    if (!deliveryId) throw new ActionError("That webhook target no longer exists; reload the page.");
    await recordTargetChange(user, "webhook_target.test_sent", target, { deliveryId });
    refreshNotificationsPage();
    return { deliveryId };
  },
  { name: "notifications.send_test" },
);
