"use server";

import { z } from "zod";
import { notifications } from "@/lib/notifications";
import { recordTargetChange } from "@/lib/notifications/target-audit";
import { targetIdSchema } from "@/lib/notifications/targets";
import { action } from "../safe-action";
import { existingTarget, refreshNotificationsPage } from "./shared";

/** Admin: turns a webhook target on or off; deliveries already queued for a disabled target are not sent. */
export const setWebhookTargetEnabledAction = action(
  "settings.manage",
  z.object({ targetId: targetIdSchema, enabled: z.enum(["true", "false"], { error: "Choose enable or disable." }).transform((value) => value === "true") }),
  async ({ input, user }) => {
    await existingTarget(input.targetId);
    const target = await (await notifications()).store.updateTarget(input.targetId, { enabled: input.enabled });
    await recordTargetChange(user, input.enabled ? "webhook_target.enabled" : "webhook_target.disabled", target);
    refreshNotificationsPage();
    return { id: target.id, enabled: target.enabled };
  },
  { name: "notifications.set_target_enabled" },
);
