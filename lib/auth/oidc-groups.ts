import { isRole, ROLES, type Role } from "./permissions";

/**
 * Which role (and clusters) a single sign-on user gets from the groups their
 * identity provider puts in the ID token, like Argo CD's RBAC groups.
 * Written `group=role[:cluster,cluster];group=role`, e.g.
 * `platform-admins=admin;team-a=operator:cluster1,cluster2;everyone=viewer`.
 * A rule without clusters means every cluster.
 */
export interface GroupRule {
  group: string;
  role: Role;
  /** null = every cluster */
  clusters: string[] | null;
}

export interface DerivedAccess {
  role: Role;
  /** null = every cluster */
  clusters: string[] | null;
}

/** Role stored for a single sign-on user no group grants anything: no access until an admin approves. */
export const PENDING_ROLE = "pending";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._:/@ -]*$/;
const CLUSTER = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Parses the setting; returns the rules or the problems, each naming the rule it is about. */
export function parseGroupRoles(value: string): { rules: GroupRule[]; problems: string[] } {
  const rules: GroupRule[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const raw of value.split(";").map((part) => part.trim()).filter(Boolean)) {
    const equals = raw.indexOf("=");
    const group = equals < 0 ? "" : raw.slice(0, equals).trim();
    const rest = equals < 0 ? "" : raw.slice(equals + 1).trim();
    const colon = rest.indexOf(":");
    const roleText = (colon < 0 ? rest : rest.slice(0, colon)).trim();
    const clusterText = colon < 0 ? null : rest.slice(colon + 1);
    if (!group || !NAME.test(group)) {
      problems.push(`"${raw}": expected group=role or group=role:cluster1,cluster2`);
      continue;
    }
    if (!isRole(roleText)) {
      problems.push(`"${raw}": unknown role "${roleText}" (one of ${ROLES.join(", ")})`);
      continue;
    }
    const clusters = clusterText === null ? null : clusterText.split(",").map((cluster) => cluster.trim());
    if (clusters && (clusters.length === 0 || clusters.some((cluster) => !CLUSTER.test(cluster)))) {
      problems.push(`"${raw}": cluster names are letters, digits, ".", "_" or "-", separated by commas`);
      continue;
    }
    if (seen.has(group)) {
      problems.push(`"${raw}": group "${group}" is mapped twice`);
      continue;
    }
    seen.add(group);
    rules.push({ group, role: roleText, clusters });
  }
  return { rules, problems };
}

const RANK: Readonly<Record<Role, number>> = { viewer: 1, operator: 2, admin: 3 };

/**
 * The access the user's groups grant: the most privileged mapped role, on the
 * union of the clusters of the rules granting that role (a rule without clusters
 * means every cluster). Rules of lesser roles add no cluster: a user holds one
 * role everywhere, so `team-a=operator:c1;everyone=viewer` must not make an
 * operator of every cluster. null when no group is mapped: the user is pending.
 */
export function deriveAccess(rules: readonly GroupRule[], groups: readonly string[]): DerivedAccess | null {
  const matched = rules.filter((rule) => groups.includes(rule.group));
  if (matched.length === 0) return null;
  const role = matched.reduce<Role>((best, rule) => (RANK[rule.role] > RANK[best] ? rule.role : best), matched[0]!.role);
  const granting = matched.filter((rule) => rule.role === role);
  if (granting.some((rule) => rule.clusters === null)) return { role, clusters: null };
  const clusters = [...new Set(granting.flatMap((rule) => rule.clusters ?? []))].sort();
  return { role, clusters };
}

/** The group names in a claim value: an array of strings, or one string (some providers send a single group so). */
export function groupsFromClaim(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  return [];
}

