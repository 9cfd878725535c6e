import { z } from "zod";
import { TARGET_FORMATS } from "./bodies";
import { SUBSCRIBABLE_EVENT_TYPES } from "./events";
import { targetUrlSchema } from "./target-url";

/** What an admin gives for a target; validated here for the server actions and the store alike. Pure. */

export const targetNameSchema = z.string().trim().min(1, "Name the target, e.g. platform-alerts.").max(100, "Use at most 100 characters.");

/** One or more event types; a form sends a repeated field (an array) or one value. */
export const targetEventsSchema = z
  .union([z.enum(SUBSCRIBABLE_EVENT_TYPES), z.array(z.enum(SUBSCRIBABLE_EVENT_TYPES))], { error: "Pick the events this target receives." })
  .transform((value) => [...new Set(Array.isArray(value) ? value : [value])])
  .refine((events) => events.length > 0, "Pick at least one event.");

const checkbox = z
  .enum(["on", "true", "false", ""])
  .optional()
  .transform((value) => value === "on" || value === "true");

export const targetInputSchema = z.object({
  name: targetNameSchema,
  url: targetUrlSchema,
  format: z.enum(TARGET_FORMATS, { error: "Pick JSON or Slack." }),
  events: targetEventsSchema,
  enabled: checkbox,
});
export type TargetInput = z.output<typeof targetInputSchema>;

export interface TargetChanges {
  name?: string;
  events?: TargetInput["events"];
  enabled?: boolean;
}

export const targetIdSchema = z.string().trim().min(1, "Pick a target.").max(100);
