import type { IncomingHttpHeaders } from "node:http";
import type { KubeSimUser } from "./types";
import { authorize, type Attributes } from "./rbac";
import { badRequest } from "./status";
import { decodeProtobufObject } from "./protobuf";
import { isObject } from "./patch";

/** SelfSubjectAccessReview / SelfSubjectRulesReview answered from the simulated rules. */

/** The request body as JSON, from JSON or a protobuf runtime.Unknown (400 as the API server answers an undecodable one). */
export function decodeReviewBody(headers: IncomingHttpHeaders, body: Buffer): Record<string, any> {
  const type = String(headers["content-type"] ?? "").split(";")[0]!.trim();
  if (type === "application/vnd.kubernetes.protobuf") {
    const obj = decodeProtobufObject(body);
    if (!obj) throw badRequest("unsupported protobuf kind for this endpoint");
    return obj;
  }
  try {
    const obj = JSON.parse(body.toString("utf8"));
    if (!isObject(obj)) throw new Error("not an object");
    return obj;
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

export function selfSubjectAccessReview(user: KubeSimUser, headers: IncomingHttpHeaders, body: Buffer) {
  const review = decodeReviewBody(headers, body);
  const spec = review.spec ?? {};
  let decision: { allowed: boolean; reason: string };
  if (isObject(spec.resourceAttributes)) {
    const ra = spec.resourceAttributes;
    const attrs: Attributes = {
      verb: String(ra.verb ?? ""),
      group: String(ra.group ?? ""),
      resource: String(ra.resource ?? ""),
      subresource: ra.subresource ? String(ra.subresource) : undefined,
      namespace: String(ra.namespace ?? ""),
      name: ra.name ? String(ra.name) : undefined,
    };
    decision = authorize(user, attrs);
  } else if (isObject(spec.nonResourceAttributes)) {
    // Non-resource URLs are open to users holding an unrestricted wildcard rule only.
    const allowed = user.rules.some((r) => r.resources.includes("*") && r.namespaces === undefined && (r.verbs.includes("*") || r.verbs.includes(String(spec.nonResourceAttributes.verb))));
    decision = { allowed, reason: allowed ? `RBAC: allowed by simulated wildcard rule of User "${user.name}"` : "" };
  } else {
    throw badRequest('SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified');
  }
  const status: Record<string, unknown> = { allowed: decision.allowed };
  if (decision.reason) status.reason = decision.reason;
  return {
    kind: "SelfSubjectAccessReview",
    apiVersion: "authorization.k8s.io/v1",
    metadata: { creationTimestamp: null },
    spec,
    status,
  };
}

export function selfSubjectRulesReview(user: KubeSimUser, headers: IncomingHttpHeaders, body: Buffer, servesSelfSubjectReviews: boolean) {
  const review = decodeReviewBody(headers, body);
  const namespace = String(review.spec?.namespace ?? "");
  const matchesNs = (patterns: string[] | undefined) =>
    patterns === undefined || patterns.some((p) => p === "*" || p === namespace || (p.endsWith("*") && namespace.startsWith(p.slice(0, -1))));
  const resourceRules = [
    { verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] },
    // system:basic-user also grants SelfSubjectReview where the server has it.
    ...(servesSelfSubjectReviews ? [{ verbs: ["create"], apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"] }] : []),
    ...user.rules.filter((r) => matchesNs(r.namespaces)).map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups ?? ["*"], resources: r.resources, ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}) })),
  ];
  return {
    kind: "SelfSubjectRulesReview",
    apiVersion: "authorization.k8s.io/v1",
    metadata: { creationTimestamp: null },
    spec: { namespace },
    status: {
      resourceRules,
      nonResourceRules: [{ verbs: ["get"], nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"] }],
      incomplete: false,
    },
  };
}
