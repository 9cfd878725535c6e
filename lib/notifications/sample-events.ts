import type { EventType, NotificationEvent } from "./events";

/**
 * One example of every event type, as producers build them: used by the tests
 * (every type has a body) and by the README's body examples.
 */
export const SAMPLE_EVENTS: { [T in EventType]: Extract<NotificationEvent, { type: T }> } = {
  "run.failed": {
    type: "run.failed",
    occurredAt: "2026-12-07T02:00:00.000Z",
    data: { operationId: "op-1", kind: "copy_pull_secrets", status: "partially_failed", actor: "ops@example.com", cluster: "prod-eu", summary: "Copied to 18 of 20 namespaces.", counts: { total: 20, succeeded: 18, failed: 2, skipped: 0 } },
  },
  "run.interrupted": {
    type: "run.interrupted",
    occurredAt: "2026-12-07T02:00:00.000Z",
    data: { operationId: "op-2", kind: "attach_pull_secrets", status: "interrupted", actor: "ops@example.com", cluster: null, summary: null },
  },
  "drift.unfixed": {
    type: "drift.unfixed",
    occurredAt: "2026-12-07T02:00:00.000Z",
    data: { rule: "icr-everywhere", cluster: "prod-eu", namespace: "payments", drift: "service account default lacks all-icr-io", reason: "forbidden: cannot patch serviceaccounts" },
  },
  "rule.conflict": {
    type: "rule.conflict",
    occurredAt: "2026-12-07T02:00:00.000Z",
    data: { rules: ["icr-everywhere", "payments-private"], cluster: "prod-eu", namespace: "payments", object: "ServiceAccount default", reason: "one rule adds all-icr-io, the other removes it" },
  },
  "rotation.keys_pending_deletion": {
    type: "rotation.keys_pending_deletion",
    occurredAt: "2026-12-07T02:00:00.000Z",
    data: {
      serviceId: "ServiceId-1234",
      serviceIdName: "pullkeeper-prod-eu",
      deleteAt: "2026-12-08T02:00:00.000Z",
      keys: [{ keyId: "ApiKey-5678", name: "pullkeeper-2026-11", fingerprint: "3f2a9c1b7d4e" }],
      stillReferencedBy: [{ cluster: "prod-eu", namespace: "legacy", pullSecret: "all-icr-io" }],
    },
  },
  "registry.credential_rejected": {
    type: "registry.credential_rejected",
    occurredAt: "2026-12-07T02:00:00.000Z",
    data: { registry: "de.icr.io", username: "iamapikey", fingerprint: "3f2a9c1b7d4e", detail: "The registry answered 401: the API key is invalid or deleted.", checkedAt: "2026-12-07T02:00:00.000Z" },
  },
  "pod.pull_failing": {
    type: "pod.pull_failing",
    occurredAt: "2026-12-07T02:00:00.000Z",
    data: { cluster: "prod-eu", namespace: "payments", cause: "ImagePullBackOff", pods: [{ name: "api-7d9f", image: "de.icr.io/team/api:1.4", message: "401 Unauthorized" }] },
  },
  "webhook.test": {
    type: "webhook.test",
    occurredAt: "2026-12-07T02:00:00.000Z",
    data: { requestedBy: "admin@example.com", target: "platform-alerts" },
  },
};
