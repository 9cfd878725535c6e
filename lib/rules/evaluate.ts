import { SecretGrader } from "@/lib/coverage/grading";
import type { PullSecretDto, PullSecretInventory, ServiceAccountDto } from "@/lib/kube/port";
import { registryKeyMatches } from "@/lib/registry/domains";
import { copyName } from "@/lib/workflows/copy-pull-secrets";
import { managedByLabel } from "@/lib/workflows/shared/inventory-index";
import { matchingNamespaces } from "./match";
import type { KeepingRule } from "./spec";
import type { ConflictDecision, RuleConflict, RuleDrift, RuleEvaluation, RuleRemoval } from "./types";

/**
 * What one rule asks of one cluster, against what the cluster holds: the
 * namespaces it matches, which of them drift (and the copies and attachments
 * that would fix them), which are conflicts for a person to decide, and which
 * copies it made that are now out of its scope. Pure: `owned` (secrets this
 * rule provably wrote, see ownership.ts) and `decisions` come in as data.
 */
export interface EvaluationContext {
  /** `namespace/name` of every secret this rule provably wrote (its provenance names one of its runs). */
  owned: ReadonlySet<string>;
  /** A person's decision per `namespace/name` of a conflicting secret. */
  decisions: ReadonlyMap<string, ConflictDecision>;
  /** The other active rules that apply to this cluster (for overlaps). */
  otherRules: readonly KeepingRule[];
  /**
   * The cluster left the rule's cluster scope (off its list, or relabelled out of its selector): as for a namespace
   * leaving scope, the rule matches nothing there and its own copies are listed for removal. Its source secret need not exist.
   */
  clusterOutOfScope?: boolean;
}

interface Lookups {
  secrets: Map<string, PullSecretDto>;
  accounts: Map<string, ServiceAccountDto[]>;
  grader: SecretGrader;
}

function lookups(inventory: PullSecretInventory): Lookups {
  const secrets = new Map(inventory.pullSecrets.map((secret) => [`${secret.namespace}/${secret.name}`, secret] as const));
  const accounts = new Map<string, ServiceAccountDto[]>();
  for (const account of inventory.serviceAccounts) {
    const list = accounts.get(account.namespace) ?? [];
    list.push(account);
    accounts.set(account.namespace, list);
  }
  return { secrets, accounts, grader: new SecretGrader() };
}

export function evaluateRule(rule: KeepingRule, inventory: PullSecretInventory, context: EvaluationContext): RuleEvaluation {
  const spec = rule.spec;
  const index = lookups(inventory);
  const base = { ruleId: rule.id, ruleName: rule.name, cluster: inventory.cluster, readAt: inventory.readAt };
  if (context.clusterOutOfScope) {
    return { ...base, matched: 0, compliant: 0, drift: [], conflicts: [], keptNamespaces: [], sourceProblem: null, removals: removals(rule, inventory, index, new Set(), [], context) };
  }
  const sources = spec.source.secrets.map((name) => index.secrets.get(`${spec.source.namespace}/${name}`));
  const missing = spec.source.secrets.filter((_, i) => !sources[i] || sources[i]!.parseError);
  if (missing.length) {
    return {
      ...base, matched: 0, compliant: 0, drift: [], conflicts: [], removals: [], keptNamespaces: [],
      sourceProblem: `Source secret${missing.length > 1 ? "s" : ""} ${missing.map((name) => `${spec.source.namespace}/${name}`).join(", ")} ${missing.length > 1 ? "do" : "does"} not exist in ${inventory.cluster} or cannot be read; nothing is changed until ${missing.length > 1 ? "they are" : "it is"} back.`,
    };
  }
  const useful = (sources as PullSecretDto[]).filter((source) => spec.registries.some((registry) => index.grader.grade(source, registry) === "usable"));
  const uncoveredBySources = spec.registries.filter((registry) => !useful.some((source) => index.grader.grade(source, registry) === "usable"));
  const matched = matchingNamespaces(spec, inventory.namespaces).filter((name) => name !== spec.source.namespace);
  const overlaps = overlapsByNamespace(rule, inventory, context.otherRules, new Set(matched));
  const drift: RuleDrift[] = [];
  const conflicts: RuleConflict[] = [];
  const kept: string[] = [];
  let compliant = 0;
  for (const namespace of matched) {
    const overlap = overlaps.get(namespace);
    if (overlap) {
      conflicts.push(overlap);
      continue;
    }
    const verdict = namespaceVerdict(rule, namespace, useful, index, context);
    conflicts.push(...verdict.conflicts);
    if (verdict.drift) drift.push(verdict.drift);
    else if (verdict.conflicts.length === 0) compliant += 1;
    if (verdict.keptByRule) kept.push(namespace);
  }
  return {
    ...base, matched: matched.length, compliant, drift, conflicts, keptNamespaces: kept,
    removals: removals(rule, inventory, index, new Set(matched), useful, context),
    sourceProblem: uncoveredBySources.length ? `The source secrets hold no current credential for ${uncoveredBySources.join(", ")}.` : null,
  };
}

interface NamespaceVerdict {
  drift: RuleDrift | null;
  conflicts: RuleConflict[];
  /** The rule's own copies are what covers the namespace. */
  keptByRule: boolean;
}

function targetAccounts(rule: KeepingRule, namespace: string, index: Lookups): { accounts: ServiceAccountDto[]; waitingFor: string[] } {
  const present = index.accounts.get(namespace) ?? [];
  const scope = rule.spec.serviceAccounts;
  if (scope.mode === "all") return { accounts: present, waitingFor: present.length ? [] : ["default"] };
  const names = scope.mode === "default" ? ["default"] : scope.names;
  return { accounts: present.filter((account) => names.includes(account.name)), waitingFor: names.filter((name) => !present.some((account) => account.name === name)) };
}

/** Whether every target account already pulls every registry through attached secrets, not counting this rule's stale copies. */
function alreadyCovered(rule: KeepingRule, namespace: string, accounts: ServiceAccountDto[], sources: PullSecretDto[], index: Lookups, owned: ReadonlySet<string>): boolean {
  if (accounts.length === 0) return false;
  return accounts.every((account) => {
    const attached = account.imagePullSecrets
      .map((name) => index.secrets.get(`${namespace}/${name}`))
      .filter((secret): secret is PullSecretDto => secret !== undefined)
      .filter((secret) => !owned.has(`${namespace}/${secret.name}`) || sources.some((source) => source.credentialFingerprint === secret.credentialFingerprint));
    return rule.spec.registries.every((registry) => index.grader.best(attached, registry) === "usable");
  });
}

function namespaceVerdict(rule: KeepingRule, namespace: string, sources: PullSecretDto[], index: Lookups, context: EvaluationContext): NamespaceVerdict {
  const { accounts, waitingFor } = targetAccounts(rule, namespace, index);
  const names: string[] = [];
  const copies: RuleDrift["copies"] = [];
  const conflicts: RuleConflict[] = [];
  for (const source of sources) {
    const outcome = copyVerdict(rule, namespace, source, index, context);
    if (outcome.conflict) conflicts.push(outcome.conflict);
    if (outcome.name) names.push(outcome.name);
    if (outcome.copy) copies.push(outcome.copy);
  }
  const keptByRule = names.length > 0 && names.every((name) => context.owned.has(`${namespace}/${name}`) || copies.some((copy) => copy.name === name));
  if (alreadyCovered(rule, namespace, accounts, sources, index, context.owned) && copies.every((copy) => copy.action !== "refresh")) {
    return { drift: null, conflicts: [], keptByRule: keptByRule && copies.length === 0 };
  }
  const attach: RuleDrift["attach"] = [];
  for (const account of accounts) {
    const toAdd = names.filter((name) => !account.imagePullSecrets.includes(name));
    if (toAdd.length === 0) continue;
    const tool = managedByLabel(account.managedBy);
    if (tool) {
      conflicts.push({ namespace, kind: "managed_service_account", serviceAccount: account.name, reason: `Service account ${namespace}/${account.name} is managed by ${tool}, which would revert an attachment; add the pull secret in its source instead, or skip it.` });
      continue;
    }
    attach.push({ serviceAccount: account.name, names: toAdd });
  }
  const fixes = copies.length > 0 || attach.length > 0;
  const drift = fixes || waitingFor.length ? { namespace, copies, attach, waitingFor, registries: rule.spec.registries } : null;
  return { drift, conflicts, keptByRule };
}

interface CopyVerdict {
  /** The name the namespace's copy has (or will have), when the rule may use it. */
  name: string | null;
  copy: RuleDrift["copies"][number] | null;
  conflict: RuleConflict | null;
}

/**
 * The name the rule gives a source's copy in a namespace, after people's decisions. A decision is keyed by the name
 * that was in the way: the conventional one first, then each other name given, so an answer about a renamed copy
 * (someone else's secret holds that name too) is found. `null`: the namespace is skipped. A rename back to a name
 * already tried stops at the name before it, undecided, so the conflict is listed again rather than looping.
 */
function decidedName(namespace: string, conventional: string, decisions: EvaluationContext["decisions"]): { name: string | null; adopt: boolean } {
  const tried = new Set<string>();
  let name = conventional;
  for (;;) {
    tried.add(name);
    const decision = decisions.get(`${namespace}/${name}`);
    if (decision?.decision === "skip") return { name: null, adopt: false };
    if (decision?.decision !== "rename" || !decision.renameTo || tried.has(decision.renameTo)) return { name, adopt: decision?.decision === "adopt" };
    name = decision.renameTo;
  }
}

function copyVerdict(rule: KeepingRule, namespace: string, source: PullSecretDto, index: Lookups, context: EvaluationContext): CopyVerdict {
  const { name, adopt } = decidedName(namespace, copyName(source.name, namespace, rule.spec.naming), context.decisions);
  if (name === null) return { name: null, copy: null, conflict: null };
  const key = `${namespace}/${name}`;
  const existing = index.secrets.get(key);
  const from = { namespace: source.namespace, name: source.name };
  if (!existing) return { name, copy: { name, from, action: "create", expectedFingerprint: null }, conflict: null };
  if (existing.credentialFingerprint === source.credentialFingerprint) return { name, copy: null, conflict: null };
  const refresh = { name, from, action: "refresh" as const, expectedFingerprint: existing.credentialFingerprint };
  if (context.owned.has(key)) return { name, copy: refresh, conflict: null };
  const tool = managedByLabel(existing.managedBy);
  if (tool) {
    return { name: null, copy: null, conflict: { namespace, kind: "managed_secret", secret: name, reason: `${key} is managed by ${tool}; the rule does not overwrite it. Skip it, or have the rule use another name.` } };
  }
  if (adopt) return { name, copy: refresh, conflict: null };
  return {
    name: null, copy: null,
    conflict: { namespace, kind: "foreign_secret", secret: name, reason: `A different secret named ${key} exists and this rule cannot prove it made it. Adopt it (the rule overwrites it with ${source.namespace}/${source.name}), skip this namespace, or use another name.` },
  };
}

/** Copies this rule made in namespaces it no longer matches, or under names it no longer uses (another name given counts as used). */
function removals(rule: KeepingRule, inventory: PullSecretInventory, index: Lookups, matched: Set<string>, sources: PullSecretDto[], context: EvaluationContext): RuleRemoval[] {
  const out: RuleRemoval[] = [];
  for (const key of context.owned) {
    const secret = index.secrets.get(key);
    if (!secret) continue;
    const stillWanted =
      matched.has(secret.namespace) &&
      sources.some((source) => decidedName(secret.namespace, copyName(source.name, secret.namespace, rule.spec.naming), context.decisions).name === secret.name);
    if (stillWanted) continue;
    const referencedBy = (index.accounts.get(secret.namespace) ?? []).filter((account) => account.imagePullSecrets.includes(secret.name)).map((account) => account.name);
    const templates = inventory.workloads
      .filter((workload) => workload.kind === "Deployment" && workload.namespace === secret.namespace && workload.imagePullSecrets.includes(secret.name))
      .map((workload) => workload.name);
    out.push({ namespace: secret.namespace, secret: secret.name, fingerprint: secret.credentialFingerprint, operationId: secret.provenance?.operationId ?? null, serviceAccounts: referencedBy, deploymentTemplates: templates });
  }
  return out.sort((a, b) => `${a.namespace}/${a.secret}`.localeCompare(`${b.namespace}/${b.secret}`));
}

/** Namespaces another active rule also keeps, for an overlapping registry, from a different source: a conflict on both rules. */
function overlapsByNamespace(rule: KeepingRule, inventory: PullSecretInventory, others: readonly KeepingRule[], matched: Set<string>): Map<string, RuleConflict> {
  const out = new Map<string, RuleConflict>();
  for (const other of others) {
    if (other.id === rule.id) continue;
    const sameSource = other.spec.source.namespace === rule.spec.source.namespace && other.spec.source.secrets.join() === rule.spec.source.secrets.join();
    const shared = rule.spec.registries.filter((registry) => other.spec.registries.some((theirs) => registryKeyMatches(theirs, registry)));
    if (sameSource || shared.length === 0) continue;
    for (const namespace of matchingNamespaces(other.spec, inventory.namespaces)) {
      if (!matched.has(namespace) || out.has(namespace)) continue;
      out.set(namespace, { namespace, kind: "overlap", otherRule: other.name, reason: `Rule ${other.name} also keeps ${shared.join(", ")} in ${namespace}, from a different source; neither rule changes it until one of them excludes it.` });
    }
  }
  return out;
}
