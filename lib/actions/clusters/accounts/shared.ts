import "server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";

export const ACCOUNTS_PATH = "/admin/clusters/accounts";

/** The accounts pages, and the clusters page whose table lists what they add. */
export function refreshAccountPages(): void {
  revalidatePath(ACCOUNTS_PATH, "layout");
  revalidatePath("/admin/clusters");
}

export const accountIdSchema = z.string().trim().uuid("Choose a connected account.");
export const endpointSchema = z.enum(["public", "private"], { error: "Choose the public or the private service endpoint." });
/** A stored cluster's name: a kubeconfig-context-like name (IBM's cluster names, `<name>-<region>`). */
export const clusterNameSchema = z
  .string()
  .trim()
  .min(1, "Name the cluster.")
  .max(253, "A cluster name is at most 253 characters.")
  .regex(/^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/i, "Letters, digits, dots, dashes and underscores only.");
/** An IBM Cloud Kubernetes Service cluster id (`c4s1dhd20f9e0rcj3ekg`): letters and digits. */
export const iksClusterIdSchema = z.string().trim().min(1).max(64).regex(/^[a-z0-9-]+$/i, "Not a Kubernetes Service cluster id.");
