import type { User } from "@kubernetes/client-node";
import { TOKEN_FILE_PROVIDER, TOKEN_SOURCE_PROVIDER } from "./token-file-auth";

/**
 * How a cluster's user proves who it is, named without any of the credential: what the admin's
 * clusters page shows beside each cluster.
 */
export type ClusterAuthKind =
  | "token"
  | "client-certificate"
  | "basic"
  | "exec"
  | "auth-provider"
  | "service-account-token-file"
  | "token-source"
  | "none";

export function authKindOf(user: User | null | undefined): ClusterAuthKind {
  if (!user) return "none";
  const provider = (user.authProvider as { name?: unknown } | undefined)?.name;
  if (provider === TOKEN_SOURCE_PROVIDER) return "token-source";
  if (provider === TOKEN_FILE_PROVIDER) return "service-account-token-file";
  if (user.exec) return "exec";
  if (provider) return "auth-provider";
  if (user.token) return "token";
  if (user.certData || user.certFile) return "client-certificate";
  if (user.username || user.password) return "basic";
  return "none";
}
