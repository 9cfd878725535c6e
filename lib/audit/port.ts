/**
 * The audit store's port: what workflows and pages may do with the audit log.
 * Append-only by construction: there is no call that edits or removes a step,
 * and an operation's status only moves forward (see ARCHITECTURE.md).
 */

import { PullkeeperError } from "@/lib/errors";

/** Operations that are workflow runs: planned, then applied step by step (the rest are single events). */
export const RUN_OPERATION_KINDS = [
  "migrate_to_api_keys",
  "copy_pull_secrets",
  "attach_pull_secrets",
  "create_scoped_credentials",
  "create_private_registry_secret",
  "verify_credentials",
  "delete_pull_secret",
  "undo",
  "keep_rule",
  "rotate_api_key",
] as const;

export const OPERATION_KINDS = [
  ...RUN_OPERATION_KINDS,
  "access_denied",
  "users_changed",
  "notifications_changed",
  "rules_changed",
  "sign_in",
  "first_run_setup",
  "audit_exported",
  "run_cancelled",
  "register_cluster",
  "remove_cluster",
  "cloud_accounts_changed",
  "join_rules_run",
  "clusters_changed",
] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

export const OPERATION_STATUSES = [
  "planned",
  "running",
  "succeeded",
  "failed",
  "partially_failed",
  "interrupted",
  "dry_run",
] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

/** The forward-only status graph: a status may only move to one listed for it. */
export const NEXT_STATUSES: Readonly<Record<OperationStatus, readonly OperationStatus[]>> = {
  planned: ["running", "interrupted", "failed"],
  running: ["succeeded", "failed", "partially_failed", "interrupted"],
  succeeded: [],
  failed: [],
  partially_failed: [],
  interrupted: [],
  dry_run: [],
};

export const STEP_ACTIONS = [
  "secret.created",
  "secret.copied",
  "secret.updated",
  "secret.key_rotated",
  "secret.key_restored",
  "secret.deleted",
  "service_account.patched",
  "service_account.unpatched",
  "deployment.images_rewritten",
  "deployment.restarted",
  "deployment.pods_followed",
  "workload.restarted",
  "workload.pods_followed",
  "iam.service_id.created",
  "iam.service_id.deleted",
  "iam.policy.created",
  "iam.policy.deleted",
  "iam.api_key.created",
  "iam.api_key.deleted",
  "iam.api_key.locked",
  "iam.api_key.unlocked",
  "iam.api_key.held",
  "registry.credential_verified",
  "access.denied",
  "user.created",
  "user.role_changed",
  "user.clusters_changed",
  "user.deactivated",
  "user.reactivated",
  "user.approved",
  "user.rejected",
  "user.password_set",
  "session.signed_in",
  "session.sign_in_failed",
  "audit.exported",
  "operation.cancel_requested",
  "operation.retirement_cancelled",
  "webhook_target.created",
  "webhook_target.updated",
  "webhook_target.enabled",
  "webhook_target.disabled",
  "webhook_target.secret_rotated",
  "webhook_target.deleted",
  "webhook_target.test_sent",
  "rule.created",
  "rule.updated",
  "rule.paused",
  "rule.resumed",
  "rule.deleted",
  "rule.conflict_decided",
  "cluster_object.created",
  "cluster_object.reused",
  "cluster_object.deleted",
  "cluster_identity.verified",
  "cluster_credential.stored",
  "cluster_credential.forgotten",
  "cloud_account.connected",
  "cloud_account.removed",
  "cloud_cluster.added",
  "cloud_cluster.access_synced",
  "join_rule.created",
  "join_rule.deleted",
  "join_rule.evaluated",
  "cluster.updated",
  "cluster.disabled",
  "cluster.enabled",
  "cluster.removed",
  "cluster.connection_tested",
] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

/** planned: a dry run's step; started/finished: the two events of an applied step. */
export type StepPhase = "planned" | "started" | "finished";
export type StepOutcome = "planned" | "started" | "succeeded" | "failed" | "skipped" | "refused";

export interface StepTarget {
  kind: string;
  namespace?: string;
  name: string;
}

export interface StartOperationInput {
  kind: OperationKind;
  actor: string;
  actorRole?: string;
  cluster?: string;
  namespaces?: string[];
  /** Inputs of the operation; credential fields are redacted before storage. */
  parameters?: Record<string, unknown>;
  /** `dry_run` records a plan; `planned` and `running` start an applied run. */
  status?: "planned" | "running" | "dry_run";
  relatedOperationId?: string;
  startedAt?: Date;
  /** For a dry run, which is final when recorded: what the preview showed. */
  summary?: string;
}

export interface RecordStepInput {
  sequence: number;
  phase: StepPhase;
  action: StepAction;
  outcome: StepOutcome;
  target?: StepTarget;
  error?: { kind: string; message: string };
  beforeFingerprint?: string;
  afterFingerprint?: string;
  /** Credential-free detail; credential fields are redacted before storage. */
  detail?: Record<string, unknown>;
  durationMs?: number;
  recordedAt?: Date;
}

export interface FinishOperationInput {
  status: Exclude<OperationStatus, "planned" | "running">;
  summary?: string;
  finishedAt?: Date;
}

export interface OperationRecord {
  id: string;
  kind: string;
  actor: string;
  actorRole: string | null;
  cluster: string | null;
  namespaces: string[];
  parameters: Record<string, unknown>;
  status: OperationStatus;
  summary: string | null;
  counts: { total: number; succeeded: number; failed: number; skipped: number };
  relatedOperationId: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** A step as the log shows it: its latest event, with when it started. */
export interface StepRecord {
  sequence: number;
  action: string;
  target: StepTarget | null;
  outcome: StepOutcome;
  error: { kind: string; message: string } | null;
  beforeFingerprint: string | null;
  afterFingerprint: string | null;
  detail: Record<string, unknown> | null;
  durationMs: number | null;
  startedAt: string | null;
  recordedAt: string;
}

export interface OperationWithSteps extends OperationRecord {
  steps: StepRecord[];
}

export interface OperationFilter {
  cluster?: string;
  /** Only operations on these clusters (a user limited to some clusters); null or absent: no limit. */
  clusters?: string[] | null;
  namespace?: string;
  kind?: string;
  status?: OperationStatus;
  actor?: string;
  from?: Date;
  to?: Date;
  /** Case-insensitive text search over id, kind, actor, cluster, namespaces and summary. */
  text?: string;
}

export interface OperationPage {
  items: OperationRecord[];
  /** Opaque; pass back to get the next (older) page. Null on the last page. */
  nextCursor: string | null;
}

export type ExportFormat = "json" | "csv";

export class AuditError extends PullkeeperError {
  declare readonly kind: "not_found" | "invalid_transition" | "invalid" | "unavailable";

  constructor(kind: AuditError["kind"], message: string) {
    super("audit", kind, message);
    this.name = "AuditError";
  }
}

export interface AuditStore {
  /** Creates an operation; throws AuditError("unavailable") if it cannot be written, so the caller does not proceed. */
  startOperation(input: StartOperationInput): Promise<OperationRecord>;
  /** Appends one step event; the same (sequence, phase) twice is rejected. */
  recordStep(operationId: string, step: RecordStepInput): Promise<void>;
  /** Appends many step events in one transaction (a preview's planned steps). */
  recordSteps(operationId: string, steps: RecordStepInput[]): Promise<void>;
  /** Moves the operation to a final status along NEXT_STATUSES and stores its step counts. */
  finishOperation(operationId: string, input: FinishOperationInput): Promise<OperationRecord>;
  listOperations(filter: OperationFilter, page: { limit: number; cursor?: string | null }): Promise<OperationPage>;
  getOperation(id: string): Promise<OperationWithSteps | null>;
  /** Streams the filtered operations (with their steps in JSON) without loading them all. */
  exportOperations(filter: OperationFilter, format: ExportFormat): AsyncIterable<string>;
}
