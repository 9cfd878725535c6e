import { EVENT_LABELS, type NotificationEvent } from "./events";

/**
 * What a person reads about an event (a title, one line of detail, and the
 * Pullkeeper page to open), shared by the JSON and Slack bodies. Pure.
 */
export interface EventDescription {
  title: string;
  detail: string;
  /** Path of the Pullkeeper page about the event, made absolute with the public URL when one is configured. */
  path: string;
}

const namespacePath = (cluster: string, namespace: string) => `/clusters/${encodeURIComponent(cluster)}/namespaces/${encodeURIComponent(namespace)}`;
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

export function describeEvent(event: NotificationEvent): EventDescription {
  switch (event.type) {
    case "run.failed":
    case "run.interrupted": {
      const { data } = event;
      const where = data.cluster ? ` on ${data.cluster}` : "";
      const counts = data.counts ? ` (${data.counts.succeeded} of ${data.counts.total} steps succeeded, ${data.counts.failed} failed)` : "";
      return { title: `Run ${data.kind} ${data.status.replace("_", " ")}${where}`, detail: `${data.summary ?? "No summary."}${counts} Started by ${data.actor}.`, path: `/audit/${encodeURIComponent(data.operationId)}` };
    }
    case "drift.unfixed":
      return { title: `Rule ${event.data.rule} could not fix drift in ${event.data.cluster}/${event.data.namespace}`, detail: `${event.data.drift}: ${event.data.reason}`, path: namespacePath(event.data.cluster, event.data.namespace) };
    case "rule.conflict":
      return { title: `Rules ${event.data.rules.join(", ")} conflict in ${event.data.cluster}/${event.data.namespace}`, detail: `${event.data.object}: ${event.data.reason}`, path: namespacePath(event.data.cluster, event.data.namespace) };
    case "rotation.keys_pending_deletion": {
      const { data } = event;
      const referenced = data.stillReferencedBy.length ? `; still in ${plural(data.stillReferencedBy.length, "pull secret")}` : "";
      return { title: `${plural(data.keys.length, "API key")} of ${data.serviceIdName ?? data.serviceId} will be deleted at ${data.deleteAt}`, detail: `Keys ${data.keys.map((key) => key.name ?? key.keyId).join(", ")}${referenced}.`, path: "/" };
    }
    case "registry.credential_rejected":
      return { title: `${event.data.registry} rejected the credential of ${event.data.username} (${event.data.fingerprint})`, detail: event.data.detail, path: "/" };
    case "pod.pull_failing":
      return { title: `${plural(event.data.pods.length, "pod")} in ${event.data.cluster}/${event.data.namespace} failing to pull (${event.data.cause})`, detail: event.data.pods.slice(0, 5).map((pod) => `${pod.name}: ${pod.image}`).join("; "), path: namespacePath(event.data.cluster, event.data.namespace) };
    case "webhook.test":
      return { title: `Test notification for ${event.data.target}`, detail: `Sent by ${event.data.requestedBy} from the notifications page. ${EVENT_LABELS["webhook.test"]}.`, path: "/admin/notifications" };
  }
}
