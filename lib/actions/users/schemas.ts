import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";

export const userIdSchema = z.string().trim().min(1, "Pick a user.").max(100);
export const roleSchema = z.enum(ROLES, { error: "Pick viewer, operator or admin." });

/**
 * Cluster limits as a form sends them: `limit` unchecked → all clusters (null);
 * checked → the comma- or newline-separated names in `clusters` (at least one).
 */
export const clusterLimitSchema = z
  .object({
    limit: z.enum(["on", "true", "false", ""]).optional(),
    clusters: z.union([z.string(), z.array(z.string())]).optional(),
  })
  .transform((value, ctx) => {
    if (value.limit !== "on" && value.limit !== "true") return null;
    const raw = Array.isArray(value.clusters) ? value.clusters.join(",") : (value.clusters ?? "");
    const names = [...new Set(raw.split(/[\s,]+/).map((name) => name.trim()).filter(Boolean))];
    if (names.length === 0) {
      ctx.addIssue({ code: "custom", path: ["clusters"], message: "Name at least one cluster, or allow all clusters." });
      return z.NEVER;
    }
    const bad = names.find((name) => !/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/.test(name));
    if (bad) {
      ctx.addIssue({ code: "custom", path: ["clusters"], message: `"${bad}" is not a cluster name.` });
      return z.NEVER;
    }
    return names;
  });
