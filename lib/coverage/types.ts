import type { PullFailureFinding } from "@/lib/pulls/findings";
import type { HostClass } from "@/lib/registry/domains";

/**
 * How a namespace's `default` service account stands for one registry domain:
 * - `covered`: it references a pull secret holding a current credential (IAM API key or basic) for the domain;
 * - `not_attached`: such a secret exists in the namespace but the `default` service account does not reference it;
 * - `legacy_only`: the only credentials for the domain are discontinued registry tokens (or short-lived IAM tokens);
 * - `missing`: nothing for the domain.
 */
export type CoverageState = "covered" | "not_attached" | "legacy_only" | "missing";

export interface DomainCoverage {
  registry: string;
  group: HostClass;
  state: CoverageState;
  /** Secrets behind the state: attached usable ones (covered), unattached usable ones (not_attached), legacy ones (legacy_only). */
  secrets: string[];
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
  counts: Record<CoverageState, number>;
}

export interface GroupSummary {
  group: HostClass;
  domains: string[];
  /** Namespaces covered for every domain of the group. */
  fullyCovered: number;
  /** Covered for some but not all. */
  partiallyCovered: number;
  uncovered: number;
  /** fullyCovered / namespaceCount (0 when there are no namespaces). */
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
}

/** The part of an IAM key lookup coverage uses: the owning service ID, or that IAM does not know the key. */
export type KeyOwnerFact = { status: "found"; serviceId: string | null } | { status: "unknown" };
