import type { PullSecretDto, PullSecretInventory, ServiceAccountDto } from "@/lib/kube/port";
import type { SecretGrader } from "./grading";
import type { CredentialHealth } from "./health";
import type { RegistryNeeds } from "./needs";
import type { CredentialDeath, DomainCoverage, NamespaceCoverage, NeedReason } from "./types";

/** One namespace's pull secrets (by name too) and service accounts. */
export interface NamespaceIndex {
  secrets: PullSecretDto[];
  byName: Map<string, PullSecretDto>;
  serviceAccounts: Map<string, ServiceAccountDto>;
}

export function indexInventory(inv: PullSecretInventory): Map<string, NamespaceIndex> {
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

export interface Judges {
  grader: SecretGrader;
  health: CredentialHealth;
  needs: RegistryNeeds;
}

/** A reported registry with its group, classified once per computation rather than once per cell. */
export type ReportedDomain = Pick<DomainCoverage, "registry" | "group">;

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

/** A `neededBecause` for registries nobody needs: one shared, frozen list instead of one per cell. */
const NOT_NEEDED: NeedReason[] = Object.freeze([]) as unknown as NeedReason[];

/** A small integer per distinct object, for memo keys. */
function idOf<K>(ids: Map<K, number>, key: K): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = ids.size;
    ids.set(key, id);
  }
  return id;
}

/**
 * The matrix rows. A cell depends only on the namespace's secrets (names, in order, and content), which of them
 * `default` attaches, and why the namespace needs the registry; in a large cluster most namespaces hold the same
 * copies and need the same registries for the same reason. So each distinct set of secrets is judged once
 * (`cellsOf`), and namespaces that also share their needs (registryNeeds shares the convention-only map) share one
 * frozen row of cells: memory and the summary then grow with the distinct rows, not with namespaces × registries.
 * Content is keyed by the entry list's identity, which lib/kube shares between equal copies; unequal identities only
 * cost sharing, never correctness.
 */
export function coverNamespaces(inv: PullSecretInventory, index: Map<string, NamespaceIndex>, domains: readonly ReportedDomain[], judges: Judges): NamespaceCoverage[] {
  const contentIds = new Map<PullSecretDto["registries"], number>();
  const needsIds = new Map<ReadonlyMap<string, NeedReason[]>, number>();
  const cellsBySecrets = new Map<string, CellState[]>();
  const rows = new Map<string, DomainCoverage[]>();
  // Grading ignores the entries of an unparsable secret; the name is in the cell's `secrets` and its deaths.
  const secretKey = (s: PullSecretDto) => `${s.name}\u0000${s.parseError ? "!" : idOf(contentIds, s.registries)}\u0000`;
  return inv.namespaces.map((ns) => {
    const idx = index.get(ns.name);
    const secrets = idx?.secrets ?? [];
    const defaultSa = idx?.serviceAccounts.get("default");
    const attached: PullSecretDto[] = [];
    for (const n of defaultSa?.imagePullSecrets ?? []) {
      const s = idx?.byName.get(n);
      if (s) attached.push(s);
    }
    let secretsKey = "";
    for (const s of attached) secretsKey += secretKey(s);
    secretsKey += "\u0001";
    for (const s of secrets) secretsKey += secretKey(s);
    let cells = cellsBySecrets.get(secretsKey);
    if (!cells) {
      cells = domains.map(({ registry }) => {
        const cell = cellState(registry, attached, secrets, judges);
        Object.freeze(cell.secrets);
        return cell;
      });
      cellsBySecrets.set(secretsKey, cells);
    }
    const needs = judges.needs.get(ns.name);
    const rowKey = `${needs ? idOf(needsIds, needs) : -1}\u0001${secretsKey}`;
    let row = rows.get(rowKey);
    if (!row) {
      const judged = cells;
      row = domains.map(({ registry, group }, i) => {
        const { state, secrets: names, rejection } = judged[i]!;
        const neededBecause = needs?.get(registry) ?? NOT_NEEDED;
        return Object.freeze({ registry, group, state, secrets: names, rejection, needed: neededBecause.length > 0, neededBecause });
      });
      Object.freeze(row);
      rows.set(rowKey, row);
    }
    return { cluster: inv.cluster, namespace: ns.name, labels: ns.labels, hasDefaultServiceAccount: defaultSa !== undefined, domains: row };
  });
}

