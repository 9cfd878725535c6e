import type { NotificationEvent } from "@/lib/notifications/events";
import type { KeepingRule } from "./spec";
import type { RuleClusterStatus } from "./store";
import type { RuleConflict, RuleDrift } from "./types";

/** At most this many events per kind and evaluation: a rule newly matching 10,000 namespaces must not flood a chat channel. */
const MAX_EVENTS = 20;

function conflictKey(conflict: RuleConflict): string {
  return `${conflict.namespace}/${conflict.kind}/${conflict.secret ?? ""}/${conflict.serviceAccount ?? ""}/${conflict.otherRule ?? ""}`;
}

function driftText(drift: RuleDrift): string {
  const parts = [
    ...drift.copies.map((copy) => `${copy.action === "create" ? "no copy" : "stale copy"} ${drift.namespace}/${copy.name} of ${copy.from.namespace}/${copy.from.name}`),
    ...drift.attach.map((attach) => `service account ${attach.serviceAccount} lacks ${attach.names.join(", ")}`),
  ];
  return parts.join("; ");
}

/**
 * What is new in this evaluation that a person should hear about: conflicts
 * not seen in the previous one, drift the rule cannot fix (report mode, or a
 * change the cluster refused), and a rule that cannot act at all. Repeats of
 * what the previous evaluation already reported are not sent again.
 */
export function ruleEvents(rule: KeepingRule, status: RuleClusterStatus, previous: RuleClusterStatus | null): NotificationEvent[] {
  const occurredAt = status.evaluatedAt;
  const events: NotificationEvent[] = [];
  const before = new Set((previous?.evaluation?.conflicts ?? []).map(conflictKey));
  const newConflicts = (status.evaluation?.conflicts ?? []).filter((conflict) => !before.has(conflictKey(conflict)));
  for (const conflict of newConflicts.filter((c) => c.kind !== "forbidden").slice(0, MAX_EVENTS)) {
    const object = conflict.secret ? `Secret ${conflict.secret}` : conflict.serviceAccount ? `ServiceAccount ${conflict.serviceAccount}` : `Namespace ${conflict.namespace}`;
    events.push({ type: "rule.conflict", occurredAt, data: { rules: conflict.otherRule ? [rule.name, conflict.otherRule] : [rule.name], cluster: status.cluster, namespace: conflict.namespace, object, reason: conflict.reason } });
  }
  for (const conflict of newConflicts.filter((c) => c.kind === "forbidden").slice(0, MAX_EVENTS)) {
    events.push({ type: "drift.unfixed", occurredAt, data: { rule: rule.name, cluster: status.cluster, namespace: conflict.namespace, drift: conflict.secret ? `secret ${conflict.secret}` : `service account ${conflict.serviceAccount ?? ""}`, reason: conflict.reason } });
  }
  if (rule.mode === "report") {
    const seen = new Set((previous?.evaluation?.drift ?? []).map((drift) => drift.namespace));
    const fresh = (status.evaluation?.drift ?? []).filter((drift) => !seen.has(drift.namespace) && (drift.copies.length || drift.attach.length));
    for (const drift of fresh.slice(0, MAX_EVENTS)) {
      events.push({ type: "drift.unfixed", occurredAt, data: { rule: rule.name, cluster: status.cluster, namespace: drift.namespace, drift: driftText(drift), reason: "The rule is in report mode: nothing is changed until a person applies the fix or switches it to enforce." } });
    }
  }
  if (status.state === "error" && previous?.state !== "error") {
    events.push({ type: "drift.unfixed", occurredAt, data: { rule: rule.name, cluster: status.cluster, namespace: "", drift: "the rule cannot be evaluated", reason: status.error ?? "unknown error" } });
  }
  return events;
}
