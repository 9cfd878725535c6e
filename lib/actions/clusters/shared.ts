import "server-only";
import { z } from "zod";
import { revalidatePath } from "next/cache";

/** The uploaded kubeconfig's text (read by the browser from the chosen file; used once, never stored) and its context. */
export const kubeconfigUploadSchema = z.object({
  kubeconfig: z.string().min(1, "Choose a kubeconfig file.").max(256 * 1024, "A kubeconfig is at most 256 KiB."),
  context: z.string().max(253).optional(),
});

export const CLUSTERS_PATH = "/admin/clusters";

export function refreshClustersPage(): void {
  revalidatePath(CLUSTERS_PATH);
}
