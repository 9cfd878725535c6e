import crypto from "node:crypto";
import type { KubeSimRule, KubeSimUser } from "./types";

/** Bearer-token identities and an RBAC-like authorizer with the real denial wording. */

export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** "" for cluster scope (cluster-wide lists, creating namespaces). */
  namespace: string;
  name?: string;
}

const randomToken = (user: string) => `${user}-${crypto.randomBytes(18).toString("base64url")}`;

/**
 * The preset identities:
 * - admin: everything.
 * - viewer: get/list/watch on everything, secrets included (a read-only auditor; real RBAC cannot hide secret data from a reader).
 * - no-secrets: get/list/watch on everything except secrets, like the built-in `view` ClusterRole.
 * - team-a: every verb, but only inside namespaces `team-a-*`; cluster-wide lists and namespace creation are forbidden.
 */
export function defaultUsers(tokens: Partial<Record<string, string>> = {}): KubeSimUser[] {
  const read = ["get", "list", "watch"];
  return [
    { name: "admin", token: tokens.admin ?? randomToken("admin"), rules: [{ verbs: ["*"], resources: ["*"] }] },
    { name: "viewer", token: tokens.viewer ?? randomToken("viewer"), rules: [{ verbs: read, resources: ["*"] }] },
    {
      name: "no-secrets",
      token: tokens["no-secrets"] ?? randomToken("no-secrets"),
      rules: [{ verbs: read, resources: ["namespaces", "serviceaccounts", "pods", "deployments", "statefulsets", "daemonsets", "events"] }],
    },
    { name: "team-a", token: tokens["team-a"] ?? randomToken("team-a"), rules: [{ verbs: ["*"], resources: ["*"], namespaces: ["team-a-*"] }] },
  ];
}

const matches = (patterns: string[], value: string) =>
  patterns.some((p) => p === "*" || p === value || (p.endsWith("*") && value.startsWith(p.slice(0, -1))));

function ruleAllows(rule: KubeSimRule, a: Attributes): boolean {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  if (!matches(rule.verbs, a.verb)) return false;
  // The preset identities' rules cover a resource's subresources too; stored RBAC rules (with apiGroups) name them exactly, as RBAC does.
  if (!matches(rule.resources, resource) && (rule.apiGroups || !matches(rule.resources, a.resource))) return false;
  if (rule.apiGroups && !rule.apiGroups.some((g) => g === "*" || g === a.group)) return false;
  // RBAC's ResourceNameMatches: a rule naming objects never covers a request without a name (list, watch, create).
  if (rule.resourceNames && rule.resourceNames.length > 0 && (!a.name || !rule.resourceNames.includes(a.name))) return false;
  if (rule.namespaces === undefined) return true;
  if (a.namespace === "") return false;
  return matches(rule.namespaces, a.namespace);
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

/** Every authenticated user may review its own access and ask who it is, as system:basic-user allows. */
const ALWAYS_ALLOWED = new Set(["selfsubjectaccessreviews", "selfsubjectrulesreviews", "selfsubjectreviews"]);

export function authorize(user: KubeSimUser, a: Attributes): Decision {
  if (ALWAYS_ALLOWED.has(a.resource) && a.verb === "create") {
    return { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated"` };
  }
  const index = user.rules.findIndex((r) => ruleAllows(r, a));
  if (index >= 0) {
    return { allowed: true, reason: `RBAC: allowed by simulated rule #${index} of User "${user.name}"` };
  }
  return { allowed: false, reason: "" };
}

/** The authorizer's denial text: `User "x" cannot list resource "secrets" in API group "" at the cluster scope`. */
export function denialMessage(user: KubeSimUser, a: Attributes): string {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : "at the cluster scope";
  return `User ${JSON.stringify(user.name)} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.group)} ${scope}`;
}

export function authenticate(users: KubeSimUser[], header: string | undefined): KubeSimUser | null {
  if (!header) return null;
  const m = header.match(/^Bearer\s+(.+)$/i);
  if (!m) return null;
  const token = m[1]!.trim();
  return users.find((u) => u.token === token) ?? null;
}
