import { classifyHost, ORIGINAL_ICR_DOMAINS, successorDomain, type HostClass } from "@/lib/registry/domains";
import { tryParseImageReference } from "@/lib/registry/image-ref";
import type { PullSecretDto, PullSecretInventory, ServiceAccountDto, WorkloadDto } from "@/lib/kube/port";
import { pullFindings } from "@/lib/pulls/findings";
import { copyFindings } from "./copies";
import { isLegacySecret, SecretGrader } from "./grading";
import type {
  ClusterCoverage,
  ClusterCoverageSummary,
  CoverageFinding,
  CoverageOptions,
  CoverageState,
  DomainCoverage,
  GroupSummary,
  ImageRiskReason,
  NamespaceCoverage,
} from "./types";

const GROUP_ORDER: HostClass[] = ["icr", "legacy-icr", "other", "docker-hub"];

interface NamespaceIndex {
  secrets: PullSecretDto[];
  byName: Map<string, PullSecretDto>;
  serviceAccounts: Map<string, ServiceAccountDto>;
}

function indexInventory(inv: PullSecretInventory): Map<string, NamespaceIndex> {
  const out = new Map<string, NamespaceIndex>();
  const get = (ns: string) => {
    let e = out.get(ns);
    if (!e) {
      e = { secrets: [], byName: new Map(), serviceAccounts: new Map() };
      out.set(ns, e);
    }
    return e;
  };
  for (const ns of inv.namespaces) get(ns.name);
  for (const s of inv.pullSecrets) {
    const e = get(s.namespace);
    e.secrets.push(s);
    e.byName.set(s.name, s);
  }
  for (const sa of inv.serviceAccounts) get(sa.namespace).serviceAccounts.set(sa.name, sa);
  return out;
}

function imageRegistry(image: string): string | undefined {
  return tryParseImageReference(image)?.domain;
}

/**
 * The registries reported for a cluster: the base set, then every registry named
 * by a pull secret, then every registry workload images come from. Docker Hub is
 * included only when some secret holds Docker Hub credentials: otherwise its
 * images are assumed public and would only add noise.
 */
export function clusterDomains(inv: PullSecretInventory, base: readonly string[] = ORIGINAL_ICR_DOMAINS): string[] {
  const seen = new Set<string>(base);
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

function namespaceCoverage(
  cluster: string,
  namespace: string,
  labels: Record<string, string>,
  idx: NamespaceIndex | undefined,
  domains: readonly string[],
  grader: SecretGrader,
): NamespaceCoverage {
  const secrets = idx?.secrets ?? [];
  const defaultSa = idx?.serviceAccounts.get("default");
  const attached = (defaultSa?.imagePullSecrets ?? []).map((n) => idx?.byName.get(n)).filter((s): s is PullSecretDto => s !== undefined);
  const out: DomainCoverage[] = domains.map((registry) => {
    const group = classifyHost(registry);
    const attachedUsable = attached.filter((s) => grader.grade(s, registry) === "usable");
    if (attachedUsable.length > 0) return { registry, group, state: "covered", secrets: attachedUsable.map((s) => s.name) };
    const usable = secrets.filter((s) => grader.grade(s, registry) === "usable");
    if (usable.length > 0) return { registry, group, state: "not_attached", secrets: usable.map((s) => s.name) };
    const legacy = secrets.filter((s) => grader.grade(s, registry) === "legacy");
    if (legacy.length > 0) return { registry, group, state: "legacy_only", secrets: legacy.map((s) => s.name) };
    return { registry, group, state: "missing", secrets: [] };
  });
  return { cluster, namespace, labels, hasDefaultServiceAccount: defaultSa !== undefined, domains: out };
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
  grader: SecretGrader,
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
    if (g === "usable") continue;
    risks.push({ image, registry, reason: g === "legacy" ? "legacy_only" : anyDangling ? "dangling_reference" : "no_credentials" });
  }
  return risks;
}

/**
 * Coverage of one cluster: the namespace x registry matrix for the `default`
 * service accounts, findings for workloads (images that would fail to pull,
 * pods that need a restart to pick up their SA's secrets), dangling references,
 * stale and orphaned copies, and a summary. Pure: reads only the inventory.
 * Detection is by `.dockerconfigjson` content (registries, usernames, fingerprints), never by secret names.
 */
export function computeClusterCoverage(inv: PullSecretInventory, opts: CoverageOptions = {}): ClusterCoverage {
  const grader = new SecretGrader();
  const index = indexInventory(inv);
  const domains = clusterDomains(inv, opts.baseDomains ?? ORIGINAL_ICR_DOMAINS);
  const findings: CoverageFinding[] = [];

  const namespaces = inv.namespaces.map((ns) => namespaceCoverage(inv.cluster, ns.name, ns.labels, index.get(ns.name), domains, grader));

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

  const deployments = new Map<string, WorkloadDto>();
  for (const w of inv.workloads) if (w.kind === "Deployment") deployments.set(`${w.namespace}/${w.name}`, w);

  for (const w of inv.workloads) {
    const idx = index.get(w.namespace);
    for (const n of new Set(w.imagePullSecrets)) {
      if (!idx?.byName.has(n)) findings.push({ type: "dangling_reference", cluster: inv.cluster, namespace: w.namespace, referencedBy: { kind: w.kind, name: w.name }, secret: n });
    }
    const eff = effectivePullSecrets(w, idx);
    const risks = imageRisks(w, eff.names, idx, privateRegistries, grader);
    if (risks.length > 0) {
      findings.push({ type: "image_pull_at_risk", cluster: inv.cluster, namespace: w.namespace, workload: { kind: w.kind, name: w.name }, serviceAccount: w.serviceAccountName, ownPullSecrets: eff.own, images: risks });
    }
    if (w.kind === "Pod") {
      const restart = restartFinding(inv.cluster, w, idx, deployments, risks, privateRegistries, grader);
      if (restart) findings.push(restart);
    }
  }

  findings.push(...copyFindings(inv, index, opts.sourceNamespace ?? "default", opts.keyOwners ?? new Map()));
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
  deployments: ReadonlyMap<string, WorkloadDto>,
  currentRisks: { reason: ImageRiskReason }[],
  privateRegistries: ReadonlySet<string>,
  grader: SecretGrader,
): CoverageFinding | undefined {
  const sa = idx?.serviceAccounts.get(pod.serviceAccountName);
  if (!sa || sa.imagePullSecrets.length === 0) return undefined;
  const deploymentName = pod.owner?.deployment;
  const template = deploymentName ? deployments.get(`${pod.namespace}/${deploymentName}`) : undefined;
  if (template && template.imagePullSecrets.length > 0) return undefined;
  const saSet = new Set(sa.imagePullSecrets);
  // Without a known template, a pod list that is not a subset of the SA's was set explicitly.
  if (!template && pod.imagePullSecrets.some((n) => !saSet.has(n))) return undefined;
  const have = new Set(pod.imagePullSecrets);
  const missingSecrets = sa.imagePullSecrets.filter((n) => !have.has(n));
  if (missingSecrets.length === 0) return undefined;
  const fixable = currentRisks.some((r) => r.reason !== "discontinued_registry");
  const restartFixes = fixable && imageRisks({ ...pod, imagePullSecrets: sa.imagePullSecrets }, sa.imagePullSecrets, idx, privateRegistries, grader).length < currentRisks.length;
  return {
    type: "restart_needed",
    cluster,
    namespace: pod.namespace,
    workload: { kind: "Pod", name: pod.name },
    serviceAccount: pod.serviceAccountName,
    missingSecrets,
    restartFixes,
    ...(deploymentName ? { deployment: deploymentName } : {}),
  };
}

function summarize(inv: PullSecretInventory, domains: readonly string[], namespaces: NamespaceCoverage[], findings: CoverageFinding[]): ClusterCoverageSummary {
  const domainSummaries = domains.map((registry, i) => {
    const counts: Record<CoverageState, number> = { covered: 0, not_attached: 0, legacy_only: 0, missing: 0 };
    for (const ns of namespaces) {
      const d = ns.domains[i];
      if (d) counts[d.state] += 1;
    }
    return { registry, group: classifyHost(registry), counts };
  });
  const groups: GroupSummary[] = [];
  for (const group of GROUP_ORDER) {
    const idxs = domains.map((d, i) => (classifyHost(d) === group ? i : -1)).filter((i) => i >= 0);
    if (idxs.length === 0) continue;
    let full = 0;
    let partial = 0;
    for (const ns of namespaces) {
      const covered = idxs.filter((i) => ns.domains[i]?.state === "covered").length;
      if (covered === idxs.length) full += 1;
      else if (covered > 0) partial += 1;
    }
    groups.push({
      group,
      domains: idxs.map((i) => domains[i] ?? ""),
      fullyCovered: full,
      partiallyCovered: partial,
      uncovered: namespaces.length - full - partial,
      shareCovered: namespaces.length === 0 ? 0 : full / namespaces.length,
    });
  }
  const count = (t: CoverageFinding["type"]) => findings.filter((f) => f.type === t).length;
  return {
    cluster: inv.cluster,
    namespaceCount: namespaces.length,
    domains: domainSummaries,
    groups,
    pullSecretCount: inv.pullSecrets.length,
    legacySecretCount: inv.pullSecrets.filter(isLegacySecret).length,
    unparsableSecretCount: inv.pullSecrets.filter((s) => s.parseError !== null).length,
    workloadsAtRisk: count("image_pull_at_risk"),
    restartNeeded: count("restart_needed"),
    danglingReferences: count("dangling_reference"),
    staleCopies: count("stale_copy"),
    orphanedCopies: count("orphaned_copy"),
    pullFailingPods: findings.filter((f) => f.type === "pull_failure" && f.state === "failing").length,
    pullLatentPods: findings.filter((f) => f.type === "pull_failure" && f.state === "latent").length,
  };
}
