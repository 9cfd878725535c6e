import type { RegistrationAccess } from "@/lib/kube/pullkeeper-rbac";
import type { RegistrationObjectRef } from "@/lib/kube/registration";

/**
 * Where a registered cluster's connection is kept: the server, its CA and the service account's token (the only
 * credential; the admin's kubeconfig is never kept), with what the registration made in the cluster so that its
 * removal can offer to delete exactly that. The clusters module (lib/clusters) implements it; tests use a memory one.
 */

export interface RegisteredClusterObject extends RegistrationObjectRef {
  uid: string;
  /** True when this registration created it; false when it reused one an earlier registration made. */
  created: boolean;
}

export interface RegisteredCluster {
  name: string;
  server: string;
  caPem: string | null;
  access: RegistrationAccess;
  objects: RegisteredClusterObject[];
  registeredBy: string;
  registeredAt: string;
}

export interface RegisteredClusterStore {
  /** Keeps the registration and its token; "exists" (nothing changed) when a cluster of that name is already known. */
  save(cluster: RegisteredCluster, token: string): Promise<"saved" | "exists">;
  /** The registration without its token. */
  get(name: string): Promise<RegisteredCluster | null>;
  /** Forgets the registration and its token; false when there was none. */
  forget(name: string): Promise<boolean>;
}
