import { causeWords } from "./classify";
import { CREDENTIAL_CAUSES, type PodPullProblem, type PullFailureCounts, type PullGroup, type RegistryCauseCount } from "./types";

const podKey = (p: PodPullProblem) => `${p.namespace}/${p.pod}`;

/** Pods, not containers: a pod failing on two images counts once; a pod both failing and latent counts as failing. */
export function countProblems(problems: readonly PodPullProblem[]): PullFailureCounts {
  const failing = new Set(problems.filter((p) => p.state === "failing").map(podKey));
  const latent = new Set(problems.filter((p) => p.state === "latent" && !failing.has(podKey(p))).map(podKey));
  const byKey = new Map<string, { row: RegistryCauseCount; pods: Set<string>; namespaces: Set<string> }>();
  for (const p of problems) {
    const key = `${p.state}|${p.registry}|${p.cause}`;
    let entry = byKey.get(key);
    if (!entry) {
      entry = { row: { registry: p.registry, cause: p.cause, state: p.state, pods: 0, namespaces: 0 }, pods: new Set(), namespaces: new Set() };
      byKey.set(key, entry);
    }
    entry.pods.add(podKey(p));
    entry.namespaces.add(p.namespace);
  }
  const byRegistryCause = [...byKey.values()]
    .map((e) => ({ ...e.row, pods: e.pods.size, namespaces: e.namespaces.size }))
    .sort((a, b) => (a.state === b.state ? b.pods - a.pods || a.registry.localeCompare(b.registry) || a.cause.localeCompare(b.cause) : a.state === "failing" ? -1 : 1));
  return { failingPods: failing.size, latentPods: latent.size, namespaces: new Set(problems.map((p) => p.namespace)).size, byRegistryCause };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function adviceFor(state: PodPullProblem["state"], cause: PodPullProblem["cause"], registry: string): string {
  if (cause === "no_credential") return `Copy a pull secret for ${registry} into the namespace and attach it to the pods' service account, then restart the workload.`;
  if (cause === "credential_rejected") return `Replace the credential for ${registry} (the key may be revoked or lack a Reader policy), then restart the workload.`;
  if (cause === "image_not_found") return "Check the image name and tag: no pull secret will make a missing image pullable.";
  if (cause === "registry_unreachable") return `Check the nodes' network path and DNS to ${registry}: this is not a credential problem.`;
  return state === "failing" ? "Read the pod's events (kubectl describe pod) for the runtime's error." : "Check the pods' pull secrets.";
}

/** The pods of one namespace grouped by image, state and cause, failing first, each with a sentence and advice. */
export function groupProblems(problems: readonly PodPullProblem[]): PullGroup[] {
  const groups = new Map<string, { first: PodPullProblem; pods: Set<string>; workloads: Set<string> }>();
  for (const p of problems) {
    const key = `${p.namespace}|${p.image}|${p.state}|${p.cause}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { first: p, pods: new Set(), workloads: new Set() }));
    g.pods.add(p.pod);
    if (p.workload) g.workloads.add(`${p.workload.kind} ${p.workload.name}`);
  }
  return [...groups.values()]
    .map(({ first: p, pods, workloads }): PullGroup => {
      const who = plural(pods.size, "pod", "pods");
      const sentence =
        p.state === "failing"
          ? `${who} cannot pull ${p.image} — ${causeWords(p.cause, p.registry)}`
          : `${who} will fail when rescheduled: ${p.image} — ${causeWords(p.cause, p.registry)} (running from the node's image cache)`;
      return {
        namespace: p.namespace, image: p.image, registry: p.registry, state: p.state, cause: p.cause, sentence,
        advice: adviceFor(p.state, p.cause, p.registry), credentialFix: CREDENTIAL_CAUSES.has(p.cause),
        pods: [...pods].sort(), workloads: [...workloads].sort(), error: p.error,
      };
    })
    .sort((a, b) => (a.state === b.state ? b.pods.length - a.pods.length || a.image.localeCompare(b.image) : a.state === "failing" ? -1 : 1));
}

/** "14 pods in 3 namespaces cannot pull from us.icr.io: no credential for us.icr.io". */
export function countSentence(row: RegistryCauseCount): string {
  const where = `${plural(row.pods, "pod", "pods")} in ${plural(row.namespaces, "namespace", "namespaces")}`;
  return row.state === "failing"
    ? `${where} cannot pull from ${row.registry}: ${causeWords(row.cause, row.registry)}`
    : `${where} will fail when rescheduled (${row.registry}: ${causeWords(row.cause, row.registry)})`;
}
