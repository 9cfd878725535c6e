/**
 * Pull failures as the kubelet reports them, and latent ones (pods that run only
 * because their node had the image). Plain, value-free data: safe for the browser.
 */

import type { RestartableKind } from "@/lib/kube/port";

/**
 * Why a pull fails: `no_credential` (the registry refused an anonymous pull), `credential_rejected` (credentials were
 * sent and refused, 401/403), `image_not_found` (not a credential problem), `registry_unreachable` (DNS, TCP, TLS,
 * 5xx), `unknown` (a message no rule recognises).
 */
export type PullCause = "no_credential" | "credential_rejected" | "image_not_found" | "registry_unreachable" | "unknown";

export const PULL_CAUSES: readonly PullCause[] = ["no_credential", "credential_rejected", "image_not_found", "registry_unreachable", "unknown"];

/** Causes a pull secret can fix: only these get a copy/attach/restart offer. */
export const CREDENTIAL_CAUSES: ReadonlySet<PullCause> = new Set<PullCause>(["no_credential", "credential_rejected"]);

/** Where the cause was read: the container's waiting message, the pod's `Failed` event, or nowhere (no error text). */
export type PullEvidence = "status" | "event" | "none";

export interface PullClassification {
  cause: PullCause;
  evidence: PullEvidence;
  /** The runtime's error text the cause was read from (containerd's wording; never a credential), null when none. */
  error: string | null;
}

/** `failing`: a container waits on its image now. `latent`: Running, but a new pod of it would fail (rescheduling). */
export type PullState = "failing" | "latent";

/** One pod's container that fails (or would fail) to pull. */
export interface PodPullProblem {
  namespace: string;
  pod: string;
  container: string;
  image: string;
  registry: string;
  state: PullState;
  cause: PullCause;
  /** Failing only: the kubelet's waiting reason (`ErrImagePull`, `ImagePullBackOff`, ...). */
  reason: string | null;
  evidence: PullEvidence;
  error: string | null;
  /** The workload to restart: the owning Deployment (or StatefulSet/DaemonSet), else null (a bare pod or a Job's). */
  workload: { kind: RestartableKind; name: string } | null;
  /** When the pod was created (restart offers: pods that predate a fix). */
  podCreatedAt: string | null;
}

/** Pods of one namespace with the same image, state and cause: what the namespace page lists. */
export interface PullGroup {
  namespace: string;
  image: string;
  registry: string;
  state: PullState;
  cause: PullCause;
  /** "3 pods cannot pull us.icr.io/team/api:1.4 — no credential for us.icr.io". */
  sentence: string;
  /** What to do, in plain words (a credential fix only for credential causes). */
  advice: string;
  credentialFix: boolean;
  pods: string[];
  workloads: string[];
  /** A sample of the runtime's error text. */
  error: string | null;
}

export interface RegistryCauseCount {
  registry: string;
  cause: PullCause;
  state: PullState;
  pods: number;
  namespaces: number;
}

/** Per-cluster counts: what the fleet page shows ("14 pods in 3 namespaces cannot pull from us.icr.io: no credential"). */
export interface PullFailureCounts {
  failingPods: number;
  latentPods: number;
  /** Namespaces with a failing or latent pod. */
  namespaces: number;
  byRegistryCause: RegistryCauseCount[];
}

export interface PullReport {
  problems: PodPullProblem[];
  counts: PullFailureCounts;
}

/** What registry verification last said about one credential (lib/queries' log), when known. */
export type CredentialVerdict = "valid" | "rejected" | "unreachable" | "tls_error" | "never" | string;
export type CredentialVerdictLookup = (key: { domain: string; username: string; fingerprint: string }) => CredentialVerdict;
