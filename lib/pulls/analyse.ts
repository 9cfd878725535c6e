import { SecretGrader } from "@/lib/coverage/grading";
import type { PullSecretDto, PullSecretInventory, WorkloadDto } from "@/lib/kube/port";
import { owningWorkload } from "@/lib/kube/workloads";
import { classifyHost, registryKeyMatches } from "@/lib/registry/domains";
import { imageDomain } from "@/lib/registry/image-ref";
import { classifyPullError } from "./classify";
import { countProblems } from "./summary";
import type { CredentialVerdictLookup, PodPullProblem, PullCause, PullReport } from "./types";

/**
 * Every pod container that fails to pull now (from the kubelet's evidence) or
 * would fail when its pod is recreated elsewhere (latent: Running with a private
 * image its own admitted pull secrets hold no accepted credential for). Pure.
 */

export interface PullAnalysisOptions {
  /** Registry verification results by credential; a credential last verified `rejected` is not accepted. */
  verdicts?: CredentialVerdictLookup;
  /** Only the pods of this namespace (the registries secrets name are still taken from the whole cluster). */
  namespace?: string;
  /**
   * The registries some pull secret of the whole cluster names, when `inventory` is a part of the cluster
   * (one namespace's objects): images from them are private even if this part holds no secret for them.
   */
  secretRegistries?: readonly string[];
}

interface Context {
  grader: SecretGrader;
  secretsByKey: Map<string, PullSecretDto>;
  /** Registries some pull secret of the cluster names: images from them are private. */
  secretRegistries: readonly string[];
  verdicts: CredentialVerdictLookup | undefined;
}

function registryOf(image: string): string | undefined {
  return imageDomain(image);
}

/** An icr.io image, or one from a registry some secret names; Docker Hub and other hosts are assumed public. */
function isPrivate(registry: string, ctx: Context): boolean {
  const cls = classifyHost(registry);
  if (cls === "icr") return true;
  if (cls === "legacy-icr") return false; // gone for good: the migration findings handle these
  return ctx.secretRegistries.some((key) => registryKeyMatches(key, registry));
}

function podSecrets(pod: WorkloadDto, ctx: Context): PullSecretDto[] {
  return pod.imagePullSecrets.map((name) => ctx.secretsByKey.get(`${pod.namespace}/${name}`)).filter((s): s is PullSecretDto => s !== undefined);
}

/** Whether the pod's secrets hold a credential the registry accepts, as far as is known: `null` when they do. */
function latentCause(secrets: PullSecretDto[], registry: string, ctx: Context): PullCause | null {
  const grade = ctx.grader.best(secrets, registry);
  if (grade === undefined) return "no_credential";
  if (grade === "legacy") return "credential_rejected"; // registry tokens died in 2021; IAM tokens expire within hours
  if (!ctx.verdicts) return null;
  const entries = secrets.flatMap((s) => s.registries.filter((e) => registryKeyMatches(e.registry, registry)));
  // Only when every credential offered was last verified rejected: unverified ones get the benefit of the doubt.
  const rejected = entries.length > 0 && entries.every((e) => ctx.verdicts!({ domain: e.registry, username: e.username, fingerprint: e.fingerprint }) === "rejected");
  return rejected ? "credential_rejected" : null;
}

function failingProblems(pod: WorkloadDto, ctx: Context): PodPullProblem[] {
  const secrets = podSecrets(pod, ctx);
  return (pod.imagePullErrors ?? []).map((err) => {
    const image = pod.images.find((i) => i.container === err.container)?.image ?? "";
    const registry = registryOf(image) ?? "unknown";
    const hasCredential = secrets.some((s) => s.registries.some((e) => registryKeyMatches(e.registry, registry)));
    const c = classifyPullError({ ...err, hasCredential, publicRegistry: classifyHost(registry) === "docker-hub" });
    return {
      namespace: pod.namespace, pod: pod.name, container: err.container, image, registry, state: "failing" as const,
      cause: c.cause, reason: err.reason, evidence: c.evidence, error: c.error, workload: owningWorkload(pod), podCreatedAt: pod.createdAt,
    };
  });
}

function latentProblems(pod: WorkloadDto, ctx: Context): PodPullProblem[] {
  if (pod.phase !== "Running" || (pod.imagePullErrors ?? []).length > 0) return [];
  const secrets = podSecrets(pod, ctx);
  const out: PodPullProblem[] = [];
  for (const { container, image } of pod.images) {
    const registry = registryOf(image);
    if (!registry || !isPrivate(registry, ctx)) continue;
    const cause = latentCause(secrets, registry, ctx);
    if (!cause) continue;
    out.push({ namespace: pod.namespace, pod: pod.name, container, image, registry, state: "latent", cause, reason: null, evidence: "none", error: null, workload: owningWorkload(pod), podCreatedAt: pod.createdAt });
  }
  return out;
}

export function analysePulls(inventory: PullSecretInventory, options: PullAnalysisOptions = {}): PullReport {
  const ctx: Context = {
    grader: new SecretGrader(),
    secretsByKey: new Map(inventory.pullSecrets.map((s) => [`${s.namespace}/${s.name}`, s])),
    secretRegistries: options.secretRegistries ?? [...new Set(inventory.pullSecrets.flatMap((s) => s.registries.map((e) => e.registry)))],
    verdicts: options.verdicts,
  };
  const problems: PodPullProblem[] = [];
  for (const w of inventory.workloads) {
    if (w.kind !== "Pod" || (options.namespace !== undefined && w.namespace !== options.namespace)) continue;
    problems.push(...((w.imagePullErrors ?? []).length ? failingProblems(w, ctx) : latentProblems(w, ctx)));
  }
  return { problems, counts: countProblems(problems) };
}
