import "server-only";
import fs from "node:fs";
import type { KubeConfig, User } from "@kubernetes/client-node";

type Authenticator = Parameters<KubeConfig["addAuthenticator"]>[0];

export const TOKEN_FILE_PROVIDER = "pullkeeper-token-file";
/** The kubelet refreshes a projected token at 80% of its lifetime (10 minutes at the shortest); re-reading often costs one small read. */
const REREAD_AFTER_MS = 10_000;

/**
 * Bearer token read from a file and re-read as it rotates, one cache per
 * KubeConfig. Why not client-node's own `tokenFile`: its FileAuth is a single
 * instance shared by every KubeConfig in the process, caching one token for
 * all of them for 60 s, so two clusters with token files would send each
 * other's tokens.
 */
export class TokenFileAuth implements Authenticator {
  private token: string | null = null;
  private readAt = 0;

  isAuthProvider(user: User): boolean {
    return user.authProvider?.name === TOKEN_FILE_PROVIDER;
  }

  async applyAuthentication(user: User, opts: { headers?: Record<string, string | string[] | number | undefined> }): Promise<void> {
    const file = (user.authProvider?.config as { path?: string } | undefined)?.path;
    if (!file) return;
    if (this.token === null || Date.now() - this.readAt > REREAD_AFTER_MS) {
      this.token = (await fs.promises.readFile(file, "utf8")).trim();
      this.readAt = Date.now();
    }
    opts.headers ??= {};
    opts.headers.Authorization = `Bearer ${this.token}`;
  }
}
