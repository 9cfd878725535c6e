import type { CountedState, CredentialDeath, ImageRiskReason, NeedReason } from "@/lib/coverage/types";
import type { ManagedBy, WorkloadDto } from "@/lib/kube/port";
import type { CredentialKind } from "@/lib/registry/docker-config";
import type { HostClass } from "@/lib/registry/domains";
import type { PullGroup } from "@/lib/pulls/types";
import type { KeyIdentity } from "./key-identity";
import type { VerificationState } from "./verification";

/** The namespace page and the matrix's side panel: what one namespace holds, without any secret value. */
export interface SecretEntryView {
  registry: string;
  username: string;
  credentialKind: CredentialKind;
  fingerprint: string;
  verification: VerificationState;
  /** For IAM API-key entries: who owns the key, as IAM last answered; null when never looked up (a Verify asks) or not an API key. */
  keyOwner: KeyIdentity | null;
}

export interface PullSecretView {
  name: string;
  type: string;
  entries: SecretEntryView[];
  credentialFingerprint: string | null;
  parseError: string | null;
  createdAt: string | null;
  managedBy: ManagedBy;
  /**
   * Whether to offer Delete: labelled managed-by pullkeeper and carrying a
   * pullkeeper.io/operation-id annotation. A cheap display condition only; the
   * delete itself proves the annotation against the audit log (lib/provenance).
   */
  deletable: boolean;
  /** Holds a discontinued registry token or a registry.*.bluemix.net entry. */
  legacy: boolean;
  copyOf: { namespace: string; name: string } | null;
  /** For copies: `fresh` (same content as its source), `stale`, `orphaned` (source gone); null for non-copies. */
  copyState: "fresh" | "stale" | "orphaned" | null;
  /** Service accounts and workloads in the namespace that reference it. */
  usedBy: string[];
}

export interface ServiceAccountView {
  name: string;
  pullSecrets: { name: string; exists: boolean }[];
  managedBy: ManagedBy;
  createdAt: string | null;
}

export interface ImageView {
  container: string;
  init: boolean;
  image: string;
  registry: string | null;
  group: HostClass | null;
  /** `ok`: a usable credential reaches it; `public`: no credential needed as far as Pullkeeper knows; `at_risk`: see `reason`. */
  pull: "ok" | "public" | "at_risk";
  reason: ImageRiskReason | null;
  successor: string | null;
}

export interface WorkloadView {
  kind: WorkloadDto["kind"];
  name: string;
  serviceAccount: string;
  /** The workload's own imagePullSecrets (which replace the service account's). */
  ownPullSecrets: string[];
  images: ImageView[];
  phase: string | null;
  imagePullErrors: { container: string; reason: string }[];
  /** `owner`: the Deployment, StatefulSet or DaemonSet whose restart recreates the pod. */
  restart: { missingSecrets: string[]; restartFixes: boolean; owner: { kind: string; name: string } | null } | null;
  managedBy: ManagedBy;
}

export interface CoverageCellView {
  registry: string;
  group: HostClass;
  /** The counted state (lib/coverage `countedState`): a missing registry the namespace does not need is `not_needed`. */
  state: CountedState;
  /** What makes the namespace need the registry (empty: nothing does). */
  neededBecause: NeedReason[];
  /** For `rejected`: who said the credential is dead, and when. */
  rejection: CredentialDeath | null;
  /** The secrets behind the state, each with what is known of its credential for this registry. */
  secrets: { name: string; verification: VerificationState }[];
}

export interface NamespaceDetail {
  cluster: string;
  namespace: string;
  labels: Record<string, string>;
  createdAt: string | null;
  hasDefaultServiceAccount: boolean;
  /** Set when the namespace's contents could not be read. */
  unreadable: string | null;
  coverage: CoverageCellView[];
  pullSecrets: PullSecretView[];
  serviceAccounts: ServiceAccountView[];
  workloads: WorkloadView[];
  danglingReferences: { referencedBy: string; secret: string }[];
  /** Pods failing to pull, and Running pods that would fail when rescheduled, grouped by image and cause (lib/pulls). */
  pulls: PullGroup[];
}
