/** What an evaluation of one rule on one cluster found. Credential-free: names, fingerprints and reasons only. */

export interface RuleDrift {
  namespace: string;
  registries: string[];
  /** Copies to write: `create` a new one, `refresh` one this rule made (or a person adopted) whose key differs from the source's. */
  copies: { name: string; from: { namespace: string; name: string }; action: "create" | "refresh"; expectedFingerprint: string | null }[];
  /** Service accounts to attach the copies to. */
  attach: { serviceAccount: string; names: string[] }[];
  /** Service accounts the rule targets that do not exist yet (a new namespace's `default` appears a moment after it). */
  waitingFor: string[];
}

export type ConflictKind =
  /** A same-name secret this rule cannot prove it made. */
  | "foreign_secret"
  /** A same-name secret managed by Helm, Argo CD or another controller. */
  | "managed_secret"
  /** A service account another tool manages (it would revert the attachment). */
  | "managed_service_account"
  /** Another rule keeps the same registry in the namespace from a different source. */
  | "overlap"
  /** The cluster refused a change the fix needs (from the last enforce run). */
  | "forbidden";

export interface RuleConflict {
  namespace: string;
  kind: ConflictKind;
  secret?: string;
  serviceAccount?: string;
  otherRule?: string;
  reason: string;
}

export interface RuleRemoval {
  namespace: string;
  secret: string;
  fingerprint: string | null;
  /** The run of this rule that wrote it (proven). */
  operationId: string | null;
  /** Service accounts that still reference it (detached first). */
  serviceAccounts: string[];
  /** Deployments whose own template names it: the secret is kept while they do. */
  deploymentTemplates: string[];
}

export interface RuleEvaluation {
  ruleId: string;
  ruleName: string;
  cluster: string;
  readAt: string;
  /** Namespaces the rule's selector matches in this cluster (the source namespace excluded). */
  matched: number;
  /** Matched namespaces that need nothing. */
  compliant: number;
  drift: RuleDrift[];
  conflicts: RuleConflict[];
  removals: RuleRemoval[];
  /** Namespaces whose coverage for the rule's registries comes from this rule's copies. */
  keptNamespaces: string[];
  /** Why the rule cannot act on this cluster at all (its source is gone), or a warning about it. */
  sourceProblem: string | null;
}

/** A person's answer to a conflict on a same-name secret. */
export interface ConflictDecision {
  namespace: string;
  /** The conventional copy name the conflict is about. */
  secret: string;
  decision: "adopt" | "skip" | "rename";
  /** For `rename`: the name the rule uses in this namespace instead. */
  renameTo?: string | null;
  decidedBy: string;
  decidedAt: string;
}
