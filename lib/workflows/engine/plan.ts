import type { OperationKind, StepTarget } from "@/lib/audit/port";
import type { STEP_ACTION_OF } from "./step-actions";

/**
 * What a workflow would do, as data. A plan is computed from live state and
 * kept nowhere but the audit log (as a dry run) and the memory of the process
 * that previewed it (engine/previewed-plans.ts); apply runs the previewed
 * plan while the objects it names are unchanged, else plans again and refuses
 * to write when that no longer matches what the operator previewed.
 * Plans never hold a credential: API keys are minted during apply and private
 * registry passwords travel in RunSecrets, outside the plan.
 */

export interface ObjectRefDto {
  namespace: string;
  name: string;
}

export type StepOp =
  /** `existing`: the service ID the plan found and reuses (a `skip` step); the run takes its ids from here. */
  | { type: "iam.ensure_service_id"; name: string; description: string; existing?: { id: string; iamId: string } }
  | { type: "iam.ensure_policy"; serviceIdStep: string; role: "Reader" | "Writer" | "Manager"; regions: string[]; registryNamespace: string | null }
  | { type: "iam.create_api_key"; serviceIdStep: string; name: string; description: string }
  | {
      type: "secret.create";
      ref: ObjectRefDto;
      domains: string[];
      /** Where the credential comes from at apply time. */
      credential: { source: "api_key_step"; step: string } | { source: "private_registry" };
      email: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
    }
  | { type: "secret.copy"; from: ObjectRefDto; to: ObjectRefDto }
  | { type: "secret.refresh_copy"; from: ObjectRefDto; to: ObjectRefDto; expectedFingerprint: string | null }
  | {
      type: "secret.delete";
      ref: ObjectRefDto;
      force: boolean;
      /** What the plan proved (lib/provenance): the live secret must still carry this operation id and content, else nothing is deleted. */
      expect?: { operationId: string; fingerprint: string | null };
    }
  | { type: "service_account.add"; namespace: string; serviceAccount: string; names: string[] }
  | { type: "service_account.remove"; namespace: string; serviceAccount: string; names: string[] }
  /** Without `mapping`, legacy registry references are rewritten to icr.io; with it, exactly the listed images (undo). */
  | { type: "deployment.rewrite_images"; ref: ObjectRefDto; mapping?: Record<string, string> }
  | { type: "deployment.restart"; ref: ObjectRefDto }
  /** After a restart: read the new pods until they pull (Running) or fail again, bounded; the outcome goes to the audit record. */
  | { type: "deployment.follow_pods"; ref: ObjectRefDto }
  | { type: "registry.verify"; ref: ObjectRefDto; domains: string[] }
  /** `locked`: the key was locked by an earlier step of the run (IAM refuses to delete a locked key): unlock, then delete. */
  | { type: "iam.delete_api_key"; id: string; name: string; locked?: boolean }
  /** Locks a key so that nothing deletes or changes it before its run does (a locked key still authenticates). */
  | { type: "iam.lock_api_key"; id: string; name: string }
  /**
   * Replaces, in one pull secret, the `iamapikey` entries holding one of `replace` (entry fingerprints) with the key
   * minted by `keyStep`; other entries stay. `source`: the secret in `default` this one is a provable copy of.
   */
  | {
      type: "secret.rotate_key";
      ref: ObjectRefDto;
      keyStep: string;
      replace: string[];
      expectedFingerprint: string | null;
      source?: ObjectRefDto;
      /** Which key each replaced entry held (fingerprints): what an undo writes back, entry by entry. */
      previous?: Array<{ registry: string; fingerprint: string }>;
    }
  /**
   * Reads one old key's value from a secret holding it (`from`, on the step's cluster) and keeps it, sealed with
   * the run, until the run closes: a rotation with a grace period can then be undone before the old key is deleted.
   */
  | { type: "iam.hold_old_key"; fingerprint: string; name: string; from: ObjectRefDto }
  /**
   * Undo of a rotation: takes the old keys' values the rotation holds (its run's sealed outputs) for this run,
   * and cancels the rotation's remaining steps (the old key's delete), which take effect when it is next due.
   */
  | { type: "rotation.cancel_retirement"; operationId: string; fingerprints: string[] }
  | { type: "iam.unlock_api_key"; id: string; name: string }
  /**
   * Undo of a rotation: in one pull secret, the `iamapikey` entries holding `current` (the rotation's key) get back the
   * key each held before, taken from `keysStep`'s outputs (`restore`: earlier key fingerprint → registries).
   */
  | { type: "secret.restore_key"; ref: ObjectRefDto; keysStep: string; current: string; restore: Array<{ fingerprint: string; registries: string[] }>; expectedFingerprint: string | null; source?: ObjectRefDto }
  | { type: "iam.delete_service_id"; id: string; name: string }
  | { type: "iam.delete_policy"; id: string };

export type StepStatus = "change" | "skip" | "refused";

export interface PlanStep {
  /** Stable identity of the step (operation + target), used for dependencies and the plan digest. */
  key: string;
  sequence: number;
  /** Derived from `op` (step-actions.ts): the name the audit log records this step under. */
  action: (typeof STEP_ACTION_OF)[StepOp["type"]];
  op: StepOp;
  target: StepTarget;
  /** One line an operator reads in the preview. */
  title: string;
  /** Preview grouping, e.g. "IBM Cloud IAM", "Pull secrets", "Service accounts". */
  group: string;
  status: StepStatus;
  /** Why the step is skipped or refused. */
  reason?: string;
  /** Credential-free before/after summaries (e.g. imagePullSecrets lists, image references). */
  before?: string[] | string | null;
  after?: string[] | string | null;
  beforeFingerprint?: string | null;
  afterFingerprint?: string | null;
  /**
   * The resourceVersion of the step's target as its planner read it, i.e. of the state `before` describes. A write
   * sends it as its precondition instead of reading the object again (one request when nothing moved; a stale one
   * costs a 409 and a fresh read). Not in the digest: the preview's witness already covers the object.
   */
  targetVersion?: string;
  /** Keys of steps that must succeed first. */
  dependsOn: string[];
  /** Steps run stage by stage; within a stage, concurrently. */
  stage: number;
  /** The cluster this step acts on, when a workflow spans clusters (rotate_api_key); absent: the plan's cluster. */
  cluster?: string;
  /** Starts no earlier than this many seconds after the last of its dependencies ended (a grace period); the run waits, durably. */
  waitSeconds?: number;
}

export type WarningCode =
  | "managed_by_other_tool"
  | "pods_need_restart"
  | "legacy_images"
  | "stale_copies"
  | "legacy_copies"
  | "iam_permission_unknown"
  | "iam_not_configured"
  | "partial_read"
  | "nothing_to_do"
  | "registry_unverified"
  | "old_key_elsewhere"
  | "independent_credentials"
  | "pods_on_old_key";

export interface PlanWarning {
  code: WarningCode;
  message: string;
  targets?: string[];
}

export interface PlanCounts {
  change: number;
  skip: number;
  refused: number;
}

export interface Plan {
  kind: OperationKind;
  cluster: string;
  namespaces: string[];
  /** The workflow's input, credential-free, as recorded in the audit log. */
  input: Record<string, unknown>;
  steps: PlanStep[];
  warnings: PlanWarning[];
  counts: PlanCounts;
  /** Hash of every step's identity, status and before/after state: equal digests mean the same plan. */
  digest: string;
  readAt: string;
  /** The dry-run audit record of this preview, when recorded. */
  previewOperationId: string | null;
}

/** Every cluster a plan acts on: its own, and each step's where a workflow spans clusters (rotate_api_key). */
export function planClusters(plan: Pick<Plan, "cluster" | "steps">): string[] {
  return [...new Set([plan.cluster, ...plan.steps.flatMap((step) => (step.cluster ? [step.cluster] : []))])];
}
