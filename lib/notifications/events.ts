/**
 * The events Pullkeeper notifies about: a closed list of types, each with a
 * credential-free data shape. Pure (no server imports) so the admin page can
 * list them. Producers build events with these types and pass them to
 * `serverRoot().notify(event)`; bodies are rendered from them at send time.
 */

export const EVENT_TYPES = [
  "run.failed",
  "run.interrupted",
  "drift.unfixed",
  "rule.conflict",
  "rotation.keys_pending_deletion",
  "registry.credential_rejected",
  "pod.pull_failing",
  "webhook.test",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Event types an admin subscribes a target to (the test event is sent to one target on request, whatever it subscribes to). */
export const SUBSCRIBABLE_EVENT_TYPES = EVENT_TYPES.filter((type): type is Exclude<EventType, "webhook.test"> => type !== "webhook.test");
export type SubscribableEventType = (typeof SUBSCRIBABLE_EVENT_TYPES)[number];

export const EVENT_LABELS: Readonly<Record<EventType, string>> = {
  "run.failed": "A workflow run failed or partially failed",
  "run.interrupted": "A workflow run was interrupted",
  "drift.unfixed": "Drift a keeping rule could not fix",
  "rule.conflict": "Keeping rules that conflict",
  "rotation.keys_pending_deletion": "API keys about to be deleted by a rotation",
  "registry.credential_rejected": "A registry rejected a credential",
  "pod.pull_failing": "Pods failing to pull their images",
  "webhook.test": "A test sent from the notifications page",
};

export interface RunEndedData {
  operationId: string;
  /** The operation kind, e.g. copy_pull_secrets. */
  kind: string;
  status: "failed" | "partially_failed" | "interrupted";
  actor: string;
  cluster: string | null;
  summary: string | null;
  counts?: { total: number; succeeded: number; failed: number; skipped: number };
}

export interface DriftUnfixedData {
  rule: string;
  cluster: string;
  namespace: string;
  /** What differs from the rule's desired state, e.g. "service account default lacks icr-io". */
  drift: string;
  /** Why it could not be fixed (the error an operator acts on). */
  reason: string;
}

export interface RuleConflictData {
  /** The rules that want different states of the same object. */
  rules: string[];
  cluster: string;
  namespace: string;
  /** The object they disagree about, e.g. "ServiceAccount default". */
  object: string;
  reason: string;
}

export interface KeysPendingDeletionData {
  serviceId: string;
  serviceIdName: string | null;
  /** When the rotation deletes the keys unless stopped (ISO 8601). */
  deleteAt: string;
  /** Identified by id, name and (when the run knows it) fingerprint: never the key. */
  keys: Array<{ keyId: string; name: string | null; fingerprint: string | null }>;
  /** Pull secrets still holding one of the keys, which will stop pulling. */
  stillReferencedBy: Array<{ cluster: string; namespace: string; pullSecret: string }>;
}

export interface CredentialRejectedData {
  registry: string;
  username: string;
  /** `credentialFingerprint(username, password)`: never the password. */
  fingerprint: string;
  detail: string;
  checkedAt: string;
}

export interface PodsPullFailingData {
  cluster: string;
  namespace: string;
  /** ImagePullBackOff, ErrImagePull, … */
  cause: string;
  pods: Array<{ name: string; image: string; message: string }>;
}

export interface WebhookTestData {
  requestedBy: string;
  target: string;
}

interface EventDataByType {
  "run.failed": RunEndedData;
  "run.interrupted": RunEndedData;
  "drift.unfixed": DriftUnfixedData;
  "rule.conflict": RuleConflictData;
  "rotation.keys_pending_deletion": KeysPendingDeletionData;
  "registry.credential_rejected": CredentialRejectedData;
  "pod.pull_failing": PodsPullFailingData;
  "webhook.test": WebhookTestData;
}

/** One event: its type, when it happened, and its data. */
export type NotificationEvent = { [T in EventType]: { type: T; occurredAt: string; data: EventDataByType[T] } }[EventType];

export type EventOf<T extends EventType> = Extract<NotificationEvent, { type: T }>;

const TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

export function isEventType(value: unknown): value is EventType {
  return typeof value === "string" && TYPES.has(value);
}
