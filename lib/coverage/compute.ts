import { classifyHost, ORIGINAL_ICR_DOMAINS, successorDomain } from "@/lib/registry/domains";
import { imageDomain } from "@/lib/registry/image-ref";
import type { PullSecretDto, PullSecretInventory, ServiceAccountDto, WorkloadDto } from "@/lib/kube/port";
import { owningWorkload } from "@/lib/kube/workloads";
import { pullFindings } from "@/lib/pulls/findings";
import { copyFindings } from "./copies";
import { SecretGrader } from "./grading";
import { CredentialHealth } from "./health";
import { registryNeeds, type RegistryNeeds } from "./needs";
import { GROUP_ORDER, summarize } from "./summary";
import type { ClusterCoverage, CoverageFinding, CredentialDeath, CoverageOptions, DomainCoverage, ImageRiskReason, NamespaceCoverage } from "./types";

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

interface Judges {
  grader: SecretGrader;
  health: CredentialHealth;
  needs: RegistryNeeds;
}

/** A reported registry with its group, classified once per computation rather than once per cell. */
type ReportedDomain = Pick<DomainCoverage, "registry" | "group">;

type CellState = Pick<DomainCoverage, "state" | "secrets" | "rejection">;

/** The names of the secrets that grade `usable` for the registry, split by whether their credentials are dead. */
function usableNames(registry: string, list: readonly PullSecretDto[], { grader, health }: Judges): { live: string[]; all: string[]; firstDeath: CredentialDeath | null } {
  const live: string[] = [];
  const all: string[] = [];
  let firstDeath: CredentialDeath | null = null;
  for (const s of list) {
    if (grader.grade(s, registry) !== "usable") continue;
    all.push(s.name);
    const death = health.deathOf(s, registry);
    if (!death) live.push(s.name);
    else firstDeath ??= death;
  }
  return { live, all, firstDeath };
}

/**
 * covered (attached, live) > rejected (attached, dead) > not_attached (live) > rejected (only dead ones) > legacy_only > missing.
 * Written as plain loops: it runs for every namespace and registry of the cluster.
 */
function cellState(registry: string, attached: readonly PullSecretDto[], secrets: readonly PullSecretDto[], judges: Judges): CellState {
  if (attached.length > 0) {
    const a = usableNames(registry, attached, judges);
    if (a.live.length > 0) return { state: "covered", secrets: a.live, rejection: null };
    if (a.all.length > 0) return { state: "rejected", secrets: a.all, rejection: a.firstDeath };
  }
  if (secrets.length === 0) return { state: "missing", secrets: [], rejection: null };
  const u = usableNames(registry, secrets, judges);
  if (u.live.length > 0) return { state: "not_attached", secrets: u.live, rejection: null };
  if (u.all.length > 0) return { state: "rejected", secrets: u.all, rejection: u.firstDeath };
  const legacy: string[] = [];
  for (const s of secrets) if (judges.grader.grade(s, registry) === "legacy") legacy.push(s.name);
  if (legacy.length > 0) return { state: "legacy_only", secrets: legacy, rejection: null };
  return { state: "missing", secrets: [], rejection: null };
}

function namespaceCoverage(cluster: string, namespace: string, labels: Record<string, string>, idx: NamespaceIndex | undefined, domains: readonly ReportedDomain[], judges: Judges): NamespaceCoverage {
  const secrets = idx?.secrets ?? [];
  const defaultSa = idx?.serviceAccounts.get("default");
  const attached = (defaultSa?.imagePullSecrets ?? []).map((n) => idx?.byName.get(n)).filter((s): s is PullSecretDto => s !== undefined);
  const needs = judges.needs.get(namespace);
  const out: DomainCoverage[] = [];
  for (const { registry, group } of domains) {
    const neededBecause = needs?.get(registry) ?? [];
    const { state, secrets: names, rejection } = cellState(registry, attached, secrets, judges);
    out.push({ registry, group, state, secrets: names, rejection, needed: neededBecause.length > 0, neededBecause });
  }
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
  const namespaces = inv.namespaces.map((ns) => namespaceCoverage(inv.cluster, ns.name, ns.labels, index.get(ns.name), reported, judges));

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
