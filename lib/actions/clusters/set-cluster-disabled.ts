"use server";

import { z } from "zod";
import { setClusterDisabled } from "@/lib/clusters/admin";
import { clusterAdminPorts, wakeRulesFor } from "@/lib/server/cluster-admin";
import { action } from "../safe-action";
import { clusterNameSchema, expectedVersionSchema, refreshClustersPage } from "./shared";

/** Admin: takes a cluster out of scans, rules and the fleet (or back in) without a restart; audited as `cluster.disabled` / `cluster.enabled`. */
export const setClusterDisabledAction = action(
  "settings.manage",
  z.object({
    cluster: clusterNameSchema,
    disabled: z.enum(["true", "false"], { error: "Choose disable or enable." }).transform((value) => value === "true"),
    expectedVersion: expectedVersionSchema,
  }),
  async ({ input, user }) => {
    const saved = await setClusterDisabled(await clusterAdminPorts(), user, { name: input.cluster, disabled: input.disabled, expectedVersion: input.expectedVersion });
    if (!saved.disabled) await wakeRulesFor(saved.name);
    refreshClustersPage();
    return { cluster: saved.name, disabled: saved.disabled, version: saved.version };
  },
  { name: "clusters.set_disabled" },
);
