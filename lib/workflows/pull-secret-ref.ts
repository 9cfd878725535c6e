import type { AuditStore } from "@/lib/audit/port";
import type { PullSecretDto } from "@/lib/kube/port";
import type { RunStateStore } from "./engine/run-state";

/** One pull secret, as the namespace page's Verify and Delete buttons name it. */
export interface PullSecretRef {
  cluster: string;
  namespace: string;
  secret: string;
}

/** What a one-secret operation needs besides its gateway calls: the audit log and the secret as last scanned. */
export interface SecretOperationDeps {
  audit: AuditStore;
  /** Where the run is stored so another process can finish it (the server's); absent: held in memory. */
  runs?: RunStateStore;
  /** The secret as last scanned, or undefined if the scan does not know it. */
  lookup: (ref: PullSecretRef) => Promise<PullSecretDto | undefined>;
}

export const unknownSecretMessage = (ref: PullSecretRef) =>
  `No pull secret ${ref.namespace}/${ref.secret} is known in cluster ${ref.cluster}. Refresh the page and try again.`;

/** Runs `apply` and tells an audit log that could not record the operation (nothing ran) from a failure during the run. */
export async function unlessUnrecorded<T>(apply: (onStarted: () => void) => Promise<T>, refusal: Error): Promise<T> {
  let started = false;
  try {
    return await apply(() => (started = true));
  } catch (error) {
    throw started ? error : refusal;
  }
}
