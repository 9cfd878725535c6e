"use server";

import { z } from "zod";
import { notifications } from "@/lib/notifications";
import { generateSigningSecret } from "@/lib/notifications/signature";
import { recordTargetChange } from "@/lib/notifications/target-audit";
import { targetIdSchema } from "@/lib/notifications/targets";
import { action } from "../safe-action";
import { existingTarget, refreshNotificationsPage } from "./shared";

/**
 * Admin: gives a webhook target a new signing secret, used from the next
 * attempt on (retries included). Returns it: the only time it is shown.
 */
export const rotateWebhookSecretAction = action(
  "settings.manage",
  z.object({ targetId: targetIdSchema }),
  async ({ input, user }) => {
    await existingTarget(input.targetId);
    const secret = generateSigningSecret();
    const target = await (await notifications()).store.updateTarget(input.targetId, { secret });
    await recordTargetChange(user, "webhook_target.secret_rotated", target, { secretHint: target.secretHint });
    refreshNotificationsPage();
    return { id: target.id, name: target.name, secret };
  },
  { name: "notifications.rotate_secret" },
);
