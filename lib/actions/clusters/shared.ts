import "server-only";
import { z } from "zod";
import { revalidatePath } from "next/cache";
import { parseLabels } from "@/lib/clusters/label-text";

/** The uploaded kubeconfig's text (read by the browser from the chosen file; used once, never stored) and its context. */
export const kubeconfigUploadSchema = z.object({
  kubeconfig: z.string().min(1, "Choose a kubeconfig file.").max(256 * 1024, "A kubeconfig is at most 256 KiB."),
  context: z.string().max(253).optional(),
});

/**
 * Where "Register a cluster" takes its context from: an uploaded kubeconfig (and one of its contexts), or a context
 * of the kubeconfig files Pullkeeper reads (KUBECONFIG) by name; exactly one of the two (`withOneRegistrationSource`).
 */
export const registrationSourceShape = {
  kubeconfig: kubeconfigUploadSchema.shape.kubeconfig.optional(),
  context: kubeconfigUploadSchema.shape.context,
  kubeconfigContext: z.string().trim().min(1).max(253).optional(),
};

export function withOneRegistrationSource<S extends z.ZodType<{ kubeconfig?: string | undefined; kubeconfigContext?: string | undefined }>>(schema: S) {
  return schema.refine((value) => Boolean(value.kubeconfig) !== Boolean(value.kubeconfigContext), { message: "Choose a kubeconfig file or a context from KUBECONFIG.", path: ["kubeconfig"] });
}

export const CLUSTERS_PATH = "/admin/clusters";

export function refreshClustersPage(): void {
  revalidatePath(CLUSTERS_PATH);
}

/** A cluster named on the clusters page (kubeconfig context names allow more than Kubernetes object names). */
export const clusterNameSchema = z.string().trim().min(1, "Pick a cluster.").max(253, "A cluster name is at most 253 characters.");

/** The version the admin's page showed: the change is refused when someone changed the cluster since (compare-and-set). */
export const expectedVersionSchema = z.coerce.number({ error: "Reload the page and try again." }).int().min(0);

/** `key=value` per line or comma, validated as Kubernetes validates labels; every problem listed under `labels`. */
export const labelsTextSchema = z
  .string()
  .max(16 * 1024, "Too many labels.")
  .default("")
  .transform((text, ctx) => {
    const parsed = parseLabels(text);
    if (parsed.ok) return parsed.labels;
    for (const problem of parsed.problems) ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  });

export const clusterDetailsSchema = z.object({
  cluster: clusterNameSchema,
  displayName: z.string().trim().max(100, "A display name is at most 100 characters.").default(""),
  labels: labelsTextSchema,
  expectedVersion: expectedVersionSchema,
});
