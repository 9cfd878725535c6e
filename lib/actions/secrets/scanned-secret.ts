import "server-only";
import type { PullSecretDto } from "@/lib/kube/port";
import { findCluster, getClusterScan } from "@/lib/queries";
import type { PullSecretRefInput } from "./schemas";

/** The secret as the cluster's cached scan shows it (registries, users, provenance; no credential), if known. */
export async function scannedSecret(ref: PullSecretRefInput): Promise<PullSecretDto | undefined> {
  if (!findCluster(ref.cluster)) return undefined;
  return (await getClusterScan(ref.cluster)).value.inventory?.pullSecrets.find((s) => s.namespace === ref.namespace && s.name === ref.secret);
}
