import type { KubeSimRule, KubeSimUser } from "./types";
import type { Obj, Store } from "./store";
import { authorize, type Attributes } from "./rbac";

/**
 * The RBAC authorizer's view of the stored rbac.authorization.k8s.io/v1 objects: the rules a
 * user gets from ClusterRoleBindings (everywhere) and RoleBindings (in their namespace), added
 * to the user's preset rules so one authorizer (rbac.ts) decides every request. Also the
 * escalation check the API server runs when a role or binding is written
 * (pkg/registry/rbac/validation: ConfirmNoEscalation).
 */

export const SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

/** The groups the authenticator adds: every identity is `system:authenticated`; service accounts also their two groups. */
export function groupsOf(user: KubeSimUser): string[] {
  const groups = new Set(user.groups ?? []);
  if (user.name.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    const namespace = user.name.slice(SERVICE_ACCOUNT_PREFIX.length).split(":")[0]!;
    groups.add("system:serviceaccounts");
    groups.add(`system:serviceaccounts:${namespace}`);
  }
  // The authenticator appends the authenticated group last (AuthenticatedGroupAdder).
  groups.add("system:authenticated");
  return [...groups];
}

function subjectMatches(subject: Obj, user: KubeSimUser, groups: string[], bindingNamespace: string | undefined): boolean {
  switch (subject?.kind) {
    case "User":
      return subject.name === user.name;
    case "Group":
      return groups.includes(subject.name);
    case "ServiceAccount": {
      const namespace = subject.namespace || bindingNamespace;
      return user.name === `${SERVICE_ACCOUNT_PREFIX}${namespace}:${subject.name}`;
    }
    default:
      return false;
  }
}

function toRules(role: Obj | undefined, namespace: string | undefined): KubeSimRule[] {
  const rules: Obj[] = Array.isArray(role?.rules) ? role.rules : [];
  return rules
    .filter((r) => Array.isArray(r.resources) && r.resources.length > 0)
    .map((r) => ({
      verbs: r.verbs ?? [],
      resources: r.resources,
      apiGroups: r.apiGroups ?? [],
      ...(Array.isArray(r.resourceNames) && r.resourceNames.length > 0 ? { resourceNames: r.resourceNames } : {}),
      ...(namespace !== undefined ? { namespaces: [namespace] } : {}),
    }));
}

/** The rules the stored bindings give `user` (their roles' rules; a binding to a missing role gives nothing). */
export function boundRules(store: Store, user: KubeSimUser): KubeSimRule[] {
  const groups = groupsOf(user);
  const out: KubeSimRule[] = [];
  for (const b of store.list("clusterrolebindings")) {
    if (!(b.subjects ?? []).some((s: Obj) => subjectMatches(s, user, groups, undefined))) continue;
    out.push(...toRules(store.get("clusterroles", undefined, b.roleRef?.name), undefined));
  }
  for (const b of store.list("rolebindings")) {
    const namespace: string = b.metadata.namespace;
    if (!(b.subjects ?? []).some((s: Obj) => subjectMatches(s, user, groups, namespace))) continue;
    const role = b.roleRef?.kind === "Role" ? store.get("roles", namespace, b.roleRef?.name) : store.get("clusterroles", undefined, b.roleRef?.name);
    out.push(...toRules(role, namespace));
  }
  return out;
}

/** The user as the authorizer sees it: preset rules plus what stored RBAC binds to it. */
export function withBoundRules(store: Store, user: KubeSimUser): KubeSimUser {
  const extra = boundRules(store, user);
  return extra.length === 0 ? user : { ...user, rules: [...user.rules, ...extra] };
}

/** How the API server prints a rule it refuses to let someone grant (rbac.PolicyRule's CompactString). */
function compact(rule: Obj, resource: string, verb: string, group: string): string {
  const names = Array.isArray(rule.resourceNames) && rule.resourceNames.length > 0 ? ` ResourceNames:[${rule.resourceNames.map((n: string) => JSON.stringify(n)).join(" ")}],` : "";
  return `{APIGroups:[${JSON.stringify(group)}], Resources:[${JSON.stringify(resource)}],${names} Verbs:[${JSON.stringify(verb)}]}`;
}

/**
 * ConfirmNoEscalation: writing a role (or binding to one) is allowed only to a user who holds every permission it
 * grants, or who may `escalate` roles (`bind` for bindings) — otherwise the 403 text lists what is not held.
 * Returns null when allowed, else the denial text after `is forbidden: `.
 */
export function escalationDenial(user: KubeSimUser, rules: Obj[], namespace: string, bypass: Attributes): string | null {
  if (authorize(user, bypass).allowed) return null;
  const missing: string[] = [];
  for (const rule of rules) {
    const names: (string | undefined)[] = Array.isArray(rule.resourceNames) && rule.resourceNames.length > 0 ? rule.resourceNames : [undefined];
    for (const group of rule.apiGroups ?? [])
      for (const resource of rule.resources ?? [])
        for (const verb of rule.verbs ?? [])
          for (const name of names) {
            const [res, sub] = String(resource).split("/");
            if (!authorize(user, { verb, group, resource: res!, subresource: sub, namespace, name }).allowed) missing.push(compact(rule, resource, verb, group));
          }
  }
  if (missing.length === 0) return null;
  const groups = groupsOf(user).map((g) => JSON.stringify(g)).join(" ");
  return `user ${JSON.stringify(user.name)} (groups=[${groups}]) is attempting to grant RBAC permissions not currently held:\n${[...new Set(missing)].join("\n")}`;
}
