import type { PullFailureFinding } from "@/lib/pulls/findings";
import type { HostClass } from "@/lib/registry/domains";

/**
 * How a namespace's `default` service account stands for one registry domain:
 * - `covered`: it references a pull secret holding a current credential (IAM API key or basic) for the domain, and
 *   nothing known says that credential is dead;
 * - `rejected`: the referenced secrets' credentials for the domain are dead: the newest registry verification rejected
 *   them, or IAM says the API key no longer exists or is disabled (also when the only current credentials in the
 *   namespace are dead ones nobody references: attaching them would not help);
 * - `not_attached`: a secret with a live current credential exists in the namespace but the `default` service account
 *   does not reference it;
 * - `legacy_only`: the only credentials for the domain are discontinued registry tokens (or short-lived IAM tokens);
 * - `missing`: nothing for the domain.
 */
export type CoverageState = "covered" | "not_attached" | "legacy_only" | "rejected" | "missing";

/**
 * What the summary, the matrix and the metrics count a cell as: its state, except that a `missing` registry the
 * namespace does not need is `not_needed` (shown quietly, not counted against coverage).
 */
export type CountedState = CoverageState | "not_needed";

/** Why a namespace needs a registry (see `CoverageOptions`). */
export type NeedReason =
  /** Workloads in the namespace (pods, failing ones included, and Deployments) have images on it. */
  | { kind: "workload"; workloads: WorkloadRef[] }
  /** A keeping rule requires it (`CoverageOptions.requiredRegistries`). */
  | { kind: "rule" }
  /** The IKS convention: every namespace can pull from every icr.io domain the source namespace holds a credential for. */
  | { kind: "convention"; sourceNamespace: string };

/** Why the credential behind a `rejected` cell is known to be dead: the newest word on it, from the registry or IAM. */
export type CredentialDeath =
  | { by: "registry"; secret: string; registry: string; checkedAt: string; detail: string | null }
  | { by: "iam"; secret: string; reason: "deleted" | "disabled"; checkedAt: string | null };

export interface DomainCoverage {
  registry: string;
  group: HostClass;
  state: CoverageState;
  /**
   * Secrets behind the state: attached usable ones (covered), the dead ones (rejected), unattached usable ones
   * (not_attached), legacy ones (legacy_only).
   */
  secrets: string[];
  /** True when something in the namespace or a rule needs the registry (`neededBecause` says what). */
  needed: boolean;
  neededBecause: NeedReason[];
  /** For `rejected`: the evidence, for the first dead secret. */
  rejection: CredentialDeath | null;
}

export interface NamespaceCoverage {
  cluster: string;
  namespace: string;
  labels: Record<string, string>;
  /** False when no `default` service account was read for the namespace (all states are then at best not_attached). */
  hasDefaultServiceAccount: boolean;
  domains: DomainCoverage[];
}

export type ImageRiskReason =
  /** No referenced secret has any credential for the registry. */
  | "no_credentials"
  /** Only discontinued registry-token (or short-lived IAM token) credentials. */
  | "legacy_only"
  /** The references name secrets that do not exist. */
  | "dangling_reference"
  /** The referenced secrets hold credentials for it, but the registry or IAM says they are dead. */
  | "credential_rejected"
  /** The image is on a discontinued registry.*.bluemix.net domain: rewrite it to its icr.io successor. */
  | "discontinued_registry";

export interface WorkloadRef {
  kind: "Pod" | "Deployment";
  name: string;
}

export type CoverageFinding =
  /** A pod failing to pull now, or latent (Running, would fail when rescheduled): lib/pulls. */
  | PullFailureFinding
  | {
      type: "image_pull_at_risk";
      cluster: string;
      namespace: string;
      workload: WorkloadRef;
      serviceAccount: string;
      /** True when the workload lists its own imagePullSecrets (the SA's are then ignored). */
      ownPullSecrets: boolean;
      images: { image: string; registry: string; reason: ImageRiskReason; successor?: string }[];
    }
  | {
      type: "restart_needed";
      cluster: string;
      namespace: string;
      workload: WorkloadRef;
      serviceAccount: string;
      /** Secrets the SA has now that the running pod did not get at creation. */
      missingSecrets: string[];
      /** Recreating the pod would make an at-risk image pullable. */
      restartFixes: boolean;
      /** The Deployment to restart, when the pod belongs to one. */
      deployment?: string;
    }
  | {
      type: "dangling_reference";
      cluster: string;
      namespace: string;
      referencedBy: { kind: "ServiceAccount" | "Pod" | "Deployment"; name: string };
      secret: string;
    }
  | {
      type: "stale_copy";
      cluster: string;
      namespace: string;
      secret: string;
      source: { namespace: string; name: string };
      /**
       * How the copy is known to be one: `annotation` (its provenance names the source), `iam` (IAM says its key
       * belongs to the source's service ID) or `name_pattern` (the seed recipe's name for a copy of the source, with
       * the same registries and users; IAM has not said who owns the key).
       */
      evidence: "annotation" | "iam" | "name_pattern";
      /** IAM no longer knows the copy's key (deleted or rotated away), so it cannot pull. */
      keyUnknownToIam: boolean;
      copyFingerprint: string | null;
      sourceFingerprint: string | null;
    }
  | {
      type: "orphaned_copy";
      cluster: string;
      namespace: string;
      secret: string;
      source: { namespace: string; name: string };
    };

export interface DomainSummary {
  registry: string;
  group: HostClass;
  /** Namespaces per counted state: `missing` counts only namespaces that need the registry, `not_needed` the others. */
  counts: Record<CountedState, number>;
}

/**
 * Coverage of a registry group, over the namespaces that need some registry of it (a namespace that needs none is
 * `notNeeded` and counts neither way).
 */
export interface GroupSummary {
  group: HostClass;
  domains: string[];
  /** Namespaces covered for every domain of the group they need. */
  fullyCovered: number;
  /** Covered for some but not all. */
  partiallyCovered: number;
  uncovered: number;
  /** Namespaces that need no registry of the group. */
  notNeeded: number;
  /** fullyCovered / namespaces needing the group (0 when none does). */
  shareCovered: number;
}

export interface ClusterCoverageSummary {
  cluster: string;
  namespaceCount: number;
  domains: DomainSummary[];
  groups: GroupSummary[];
  pullSecretCount: number;
  /** Secrets holding any registry-token credential or any legacy-domain entry. */
  legacySecretCount: number;
  unparsableSecretCount: number;
  /** Cells shown red: `missing` where needed, and `rejected`. */
  neededMissing: number;
  rejected: number;
  workloadsAtRisk: number;
  restartNeeded: number;
  danglingReferences: number;
  staleCopies: number;
  orphanedCopies: number;
  /** Pods failing to pull now, and Running pods that would fail when rescheduled (lib/pulls). */
  pullFailingPods: number;
  pullLatentPods: number;
}

export interface ClusterCoverage {
  cluster: string;
  /** The domains reported on, in display order. */
  domains: string[];
  namespaces: NamespaceCoverage[];
  findings: CoverageFinding[];
  summary: ClusterCoverageSummary;
}

export interface CoverageOptions {
  /** Domains always reported (default: the six domains of the 2019 IKS set). Domains seen in secrets and images are added. */
  baseDomains?: readonly string[];
  /** Namespace whose IKS-made secrets are the sources of un-annotated copies (default `default`). */
  sourceNamespace?: string;
  /** What IAM said about the key behind each API-key credential fingerprint (absent: never looked up). */
  keyOwners?: ReadonlyMap<string, KeyOwnerFact>;
  /**
   * The newest registry verification of each credential entry, keyed by `verdictKey(entry.registry, entry.username,
   * entry.fingerprint)` (absent: never verified). Only `rejected` verdicts, and `valid` ones newer than IAM's word,
   * change a state.
   */
  registryVerdicts?: ReadonlyMap<string, RegistryVerdict>;
  /**
   * Registries a keeping rule requires, per namespace (lib/rules fills this): each is needed there and reported as a
   * column even when no secret or image names it.
   */
  requiredRegistries?: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * The IKS convention (default true): every namespace needs every icr.io domain the source namespace holds a current
   * credential for, because IKS puts them in `default` for the cluster to copy everywhere (the platform's own
   * namespaces excepted: system-namespaces.ts).
   */
  iksConvention?: boolean;
}

/**
 * The part of an IAM key lookup coverage uses: the owning service ID and whether the key is disabled, or that IAM does
 * not know the key (deleted or rotated away). `checkedAt` orders it against registry verdicts. A locked key still
 * authenticates (locking only protects it from changes and deletion), so it is not a fact here.
 */
export type KeyOwnerFact = { status: "found"; serviceId: string | null; disabled?: boolean; checkedAt?: string } | { status: "unknown"; checkedAt?: string };

/** The newest registry verification of one credential entry (lib/registry-check's result, reduced). */
export interface RegistryVerdict {
  result: "valid" | "rejected" | "unreachable" | "tls_error";
  checkedAt: string;
  /** The verifier's operator-readable explanation (never the credential). */
  detail: string | null;
}
