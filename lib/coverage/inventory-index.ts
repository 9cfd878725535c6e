import type { PullSecretDto, PullSecretInventory, ServiceAccountDto } from "@/lib/kube/port";

/** One namespace's pull secrets (by name too) and service accounts. */
export interface NamespaceIndex {
  secrets: PullSecretDto[];
  byName: Map<string, PullSecretDto>;
  serviceAccounts: Map<string, ServiceAccountDto>;
}

/** The inventory grouped by namespace; every listed namespace has an entry, even an empty one. */
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
