/**
 * How Pullkeeper names and marks what it creates in IAM. Names follow IBM's own
 * procedure (`<cluster>-<namespace>-id`, `<cluster>-<namespace>-key`); the
 * marker goes in the description because IAM has no labels or tags on service
 * IDs, API keys or v1 policies, and names are often chosen by the operator.
 */

export const PULLKEEPER_MARKER = "[managed-by:pullkeeper]";

/** Appends the marker once; idempotent. */
export function withMarker(description: string): string {
  const trimmed = description.trim();
  return trimmed.endsWith(PULLKEEPER_MARKER) ? trimmed : `${trimmed} ${PULLKEEPER_MARKER}`.trim();
}

export function hasMarker(description: string | undefined): boolean {
  return description?.includes(PULLKEEPER_MARKER) ?? false;
}

/** `ibmcloud iam service-id-create <cluster_name>-<kube_namespace>-id` (the seed's step 2). */
export function serviceIdNameFor(clusterName: string, namespace: string): string {
  return `${clusterName}-${namespace}-id`;
}

export function serviceIdDescriptionFor(clusterName: string, namespace: string): string {
  return withMarker(`Service ID for IBM Cloud Container Registry in Kubernetes cluster ${clusterName} namespace ${namespace}`);
}

/** `ibmcloud iam service-api-key-create <cluster_name>-<kube_namespace>-key` (the seed's step 4). */
export function apiKeyNameFor(clusterName: string, namespace: string): string {
  return `${clusterName}-${namespace}-key`;
}

export function apiKeyDescriptionFor(serviceId: string, clusterName: string, namespace: string): string {
  return withMarker(`API key for service ID ${serviceId} in Kubernetes cluster ${clusterName} namespace ${namespace}`);
}
