"use server";

import { z } from "zod";
import { testClusterConnection } from "@/lib/clusters/admin";
import { clusterAdminPorts } from "@/lib/server/cluster-admin";
import { action } from "../safe-action";
import { clusterNameSchema } from "./shared";

/** Admin: one real request through the live gateway (server version, then identity), with its latency and failure reason; audited. */
export const testClusterConnectionAction = action(
  "settings.manage",
  z.object({ cluster: clusterNameSchema }),
  async ({ input, user }) => testClusterConnection(await clusterAdminPorts(), user, input.cluster),
  { name: "clusters.test_connection" },
);
