import { classifyHost, ORIGINAL_ICR_DOMAINS, successorDomain } from "@/lib/registry/domains";
import { imageDomain } from "@/lib/registry/image-ref";
import type { PullSecretDto, PullSecretInventory, WorkloadDto } from "@/lib/kube/port";
import { owningWorkload } from "@/lib/kube/workloads";
import { pullFindings } from "@/lib/pulls/findings";
import { copyFindings } from "./copies";
import { SecretGrader } from "./grading";
import { CredentialHealth } from "./health";
import { registryNeeds } from "./needs";
import { coverNamespaces, indexInventory, type Judges, type NamespaceIndex } from "./rows";
import { GROUP_ORDER, summarize } from "./summary";
import type { ClusterCoverage, CoverageFinding, CoverageOptions, ImageRiskReason } from "./types";

function imageRegistry(image: string): string | undefined {
  return imageDomain(image);
}

/**
 * The registries reported for a cluster: the base set, then every registry named
 * by a pull secret, by a keeping rule, or by a workload image. Docker Hub is
 * included only when some secret holds Docker Hub credentials or a rule requires
 * it: otherwise its images are assumed public and would only add noise.
 */
export function clusterDomains(inv: PullSecretInventory, base: readonly string[] = ORIGINAL_ICR_DOMAINS, required: ReadonlyMap<string, ReadonlySet<string>> = new Map()): string[] {
  const seen = new Set<string>(base);
  for (const registries of required.values()) for (const r of registries) seen.add(r);
  const secretDomains = new Set<string>();
  for (const s of inv.pullSecrets) for (const e of s.registries) if (!e.registry.includes("*")) secretDomains.add(e.registry);
  for (const d of secretDomains) seen.add(d);
  for (const w of inv.workloads) {
    for (const img of w.images) {
      const r = imageRegistry(img.image);
      if (r && (r !== "docker.io" || secretDomains.has("docker.io"))) seen.add(r);
    }
  }
  const baseSet = new Set(base);
  const rest = [...seen].filter((d) => !baseSet.has(d));
  rest.sort((a, b) => GROUP_ORDER.indexOf(classifyHost(a)) - GROUP_ORDER.indexOf(classifyHost(b)) || a.localeCompare(b));
  return [...base, ...rest];
}

function effectivePullSecrets(w: WorkloadDto, idx: NamespaceIndex | undefined): { names: string[]; own: boolean } {
  if (w.imagePullSecrets.length > 0) return { names: w.imagePullSecrets, own: true };
  // A pod's list is what admission copied at creation (empty if the SA had none); a template with none gets the SA's at pod creation.
  if (w.kind === "Pod") return { names: [], own: false };
  return { names: idx?.serviceAccounts.get(w.serviceAccountName)?.imagePullSecrets ?? [], own: false };
}

function imageRisks(
  w: WorkloadDto,
  names: readonly string[],
  idx: NamespaceIndex | undefined,
  privateRegistries: ReadonlySet<string>,
  { grader, health }: Pick<Judges, "grader" | "health">,
): { image: string; registry: string; reason: ImageRiskReason; successor?: string }[] {
  const existing = names.map((n) => idx?.byName.get(n)).filter((s): s is PullSecretDto => s !== undefined);
  const anyDangling = existing.length < names.length;
  const risks: { image: string; registry: string; reason: ImageRiskReason; successor?: string }[] = [];
  const seen = new Set<string>();
  for (const { image } of w.images) {
    if (seen.has(image)) continue;
    seen.add(image);
    const registry = imageRegistry(image);
    if (!registry) continue;
    const group = classifyHost(registry);
    if (group === "legacy-icr") {
      const successor = successorDomain(registry);
      risks.push({ image, registry, reason: "discontinued_registry", ...(successor ? { successor } : {}) });
      continue;
    }
    if (group !== "icr" && !privateRegistries.has(registry)) continue;
    const g = grader.best(existing, registry);
    if (g === "usable") {
      if (existing.some((s) => grader.grade(s, registry) === "usable" && !health.deathOf(s, registry))) continue;
      risks.push({ image, registry, reason: "credential_rejected" });
      continue;
    }
    risks.push({ image, registry, reason: g === "legacy" ? "legacy_only" : anyDangling ? "dangling_reference" : "no_credentials" });
  }
  return risks;
}

/**
 * Coverage of one cluster: the namespace x registry matrix for the `default`
 * service accounts, findings for workloads (images that would fail to pull,
 * pods that need a restart to pick up their SA's secrets), dangling references,
 * stale and orphaned copies, and a summary. Pure: reads only the inventory and
 * what `opts` says IAM, the registries and the keeping rules know. Each cell also
 * says whether the namespace needs the registry (lib/coverage/needs.ts).
 * Detection is by `.dockerconfigjson` content (registries, usernames, fingerprints), never by secret names.
 */
export function computeClusterCoverage(inv: PullSecretInventory, opts: CoverageOptions = {}): ClusterCoverage {
  const grader = new SecretGrader();
  const keyOwners = opts.keyOwners ?? new Map();
  const health = new CredentialHealth(keyOwners, opts.registryVerdicts ?? new Map());
  const index = indexInventory(inv);
  const required = opts.requiredRegistries ?? new Map<string, ReadonlySet<string>>();
  const domains = clusterDomains(inv, opts.baseDomains ?? ORIGINAL_ICR_DOMAINS, required);
  const sourceNamespace = opts.sourceNamespace ?? "default";
  const needs = registryNeeds(inv, { domains, sourceNamespace, sourceSecrets: index.get(sourceNamespace)?.secrets ?? [], requiredRegistries: required, iksConvention: opts.iksConvention ?? true, grader });
  const judges: Judges = { grader, health, needs };
  const findings: CoverageFinding[] = [];

  const reported = domains.map((registry) => ({ registry, group: classifyHost(registry) }));
  const namespaces = coverNamespaces(inv, index, reported, judges);

  // Registries treated as private for workload checks: icr domains always, plus anything some pull secret names.
  const privateRegistries = new Set<string>();
  for (const s of inv.pullSecrets) for (const e of s.registries) privateRegistries.add(e.registry);

  // Dangling references.
  for (const sa of inv.serviceAccounts) {
    const idx = index.get(sa.namespace);
    for (const n of new Set(sa.imagePullSecrets)) {
      if (!idx?.byName.has(n)) findings.push({ type: "dangling_reference", cluster: inv.cluster, namespace: sa.namespace, referencedBy: { kind: "ServiceAccount", name: sa.name }, secret: n });
    }
  }

  // Deployments, StatefulSets and DaemonSets by kind/namespace/name: the templates their pods were made from.
  const templates = new Map<string, WorkloadDto>();
  for (const w of inv.workloads) if (w.kind !== "Pod") templates.set(`${w.kind}/${w.namespace}/${w.name}`, w);

  for (const w of inv.workloads) {
    const idx = index.get(w.namespace);
    for (const n of new Set(w.imagePullSecrets)) {
      if (!idx?.byName.has(n)) findings.push({ type: "dangling_reference", cluster: inv.cluster, namespace: w.namespace, referencedBy: { kind: w.kind, name: w.name }, secret: n });
    }
    const eff = effectivePullSecrets(w, idx);
    const risks = imageRisks(w, eff.names, idx, privateRegistries, judges);
    if (risks.length > 0) {
      findings.push({ type: "image_pull_at_risk", cluster: inv.cluster, namespace: w.namespace, workload: { kind: w.kind, name: w.name }, serviceAccount: w.serviceAccountName, ownPullSecrets: eff.own, images: risks });
    }
    if (w.kind === "Pod") {
      const restart = restartFinding(inv.cluster, w, idx, templates, risks, privateRegistries, judges);
      if (restart) findings.push(restart);
    }
  }

  findings.push(...copyFindings(inv, index, sourceNamespace, keyOwners));
  findings.push(...pullFindings(inv));
  return { cluster: inv.cluster, domains, namespaces, findings, summary: summarize(inv, domains, namespaces, findings) };
}

/**
 * A pod only gets its SA's imagePullSecrets at creation, and only when it lists
 * none of its own. If the SA now has secrets the pod lacks and the pod's list
 * came from the SA (its template sets none), recreating it would pick them up.
 */
function restartFinding(
  cluster: string,
  pod: WorkloadDto,
  idx: NamespaceIndex | undefined,
  templates: ReadonlyMap<string, WorkloadDto>,
  currentRisks: { reason: ImageRiskReason }[],
  privateRegistries: ReadonlySet<string>,
  judges: Judges,
): CoverageFinding | undefined {
  const sa = idx?.serviceAccounts.get(pod.serviceAccountName);
  if (!sa || sa.imagePullSecrets.length === 0) return undefined;
  const owner = owningWorkload(pod);
  const template = owner ? templates.get(`${owner.kind}/${pod.namespace}/${owner.name}`) : undefined;
  if (template && template.imagePullSecrets.length > 0) return undefined;
  const saSet = new Set(sa.imagePullSecrets);
  // Without a known template, a pod list that is not a subset of the SA's was set explicitly.
  if (!template && pod.imagePullSecrets.some((n) => !saSet.has(n))) return undefined;
  const have = new Set(pod.imagePullSecrets);
  const missingSecrets = sa.imagePullSecrets.filter((n) => !have.has(n));
  if (missingSecrets.length === 0) return undefined;
  const fixable = currentRisks.some((r) => r.reason !== "discontinued_registry");
  const restartFixes = fixable && imageRisks({ ...pod, imagePullSecrets: sa.imagePullSecrets }, sa.imagePullSecrets, idx, privateRegistries, judges).length < currentRisks.length;
  return {
    type: "restart_needed",
    cluster,
    namespace: pod.namespace,
    workload: { kind: "Pod", name: pod.name },
    serviceAccount: pod.serviceAccountName,
    missingSecrets,
    restartFixes,
    ...(owner ? { owner } : {}),
  };
}
