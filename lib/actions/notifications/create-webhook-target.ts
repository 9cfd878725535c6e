"use server";

import { logger } from "@/lib/log";
import { notifications } from "@/lib/notifications";
import { generateSigningSecret } from "@/lib/notifications/signature";
import { recordTargetChange } from "@/lib/notifications/target-audit";
import { targetInputSchema } from "@/lib/notifications/targets";
import { action, ActionError } from "../safe-action";
import { refreshNotificationsPage } from "./shared";

/**
 * Admin: adds a webhook target. The URL is checked against the outbound policy
 * first (DNS resolved now; again on every send). Returns the signing secret,
 * the only time it is shown.
 */
export const createWebhookTargetAction = action(
  "settings.manage",
  targetInputSchema,
  async ({ input, user }) => {
    const service = await notifications();
    const refusal = await service.urlRefusal(input.url);
    if (refusal) throw new ActionError("Pullkeeper may not send to this address.", { url: [refusal] });
    const secret = generateSigningSecret();
    const target = await service.store.createTarget({ ...input, createdBy: user.email, secret });
    logger.info({ actor: user.email, target: target.name, url: target.url }, "webhook target created");
    await recordTargetChange(user, "webhook_target.created", target);
    refreshNotificationsPage();
    return { id: target.id, name: target.name, secret };
  },
  { name: "notifications.create_target" },
);
