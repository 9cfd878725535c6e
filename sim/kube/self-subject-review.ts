import type { IncomingHttpHeaders } from "node:http";
import type { KubeSimUser } from "./types";
import { decodeReviewBody } from "./access-review";
import { groupsOf } from "./rbac-bindings";

/**
 * SelfSubjectReview (`kubectl auth whoami`): the caller's user as the authenticators (and impersonation) left it.
 * GA as authentication.k8s.io/v1 in 1.28; beta v1beta1, enabled by default, in 1.27; older servers have neither
 * (alpha in 1.26 is off by default), so clients get 404 and fall back.
 */

export const AUTHENTICATION_GROUP = "authentication.k8s.io";

/** The version of authentication.k8s.io serving SelfSubjectReview on a server of this minor version, if any. */
export function selfSubjectReviewVersion(minor: number): "v1" | "v1beta1" | null {
  if (minor >= 28) return "v1";
  return minor === 27 ? "v1beta1" : null;
}

/**
 * The review the API server returns: `status.userInfo` with the username, the uid and extra when the
 * authenticator set them (omitted when empty, as the Go omitempty tags do) and the groups with
 * `system:authenticated` added. The request's own status is ignored. Every authenticated user may
 * create one (no authorization check), as with access reviews.
 */
export function selfSubjectReview(user: KubeSimUser, version: string, headers: IncomingHttpHeaders, body: Buffer) {
  decodeReviewBody(headers, body);
  const userInfo: Record<string, unknown> = { username: user.name };
  if (user.uid) userInfo.uid = user.uid;
  userInfo.groups = groupsOf(user);
  return {
    kind: "SelfSubjectReview",
    apiVersion: `${AUTHENTICATION_GROUP}/${version}`,
    metadata: { creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") },
    status: { userInfo },
  };
}
