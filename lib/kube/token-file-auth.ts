import "server-only";
import fs from "node:fs";
import type { KubeConfig, User } from "@kubernetes/client-node";

type Authenticator = Parameters<KubeConfig["addAuthenticator"]>[0];
type RequestOptions = { headers?: Record<string, string | string[] | number | undefined> };

export const TOKEN_FILE_PROVIDER = "pullkeeper-token-file";
export const TOKEN_SOURCE_PROVIDER = "pullkeeper-token-source";
/** The kubelet refreshes a projected token at 80% of its lifetime (10 minutes at the shortest); re-reading often costs one small read. */
const REREAD_AFTER_MS = 10_000;

/**
 * A bearer token asked for on every request, one authenticator per KubeConfig: the
 * token may change between two requests (a rotated file, a renewed IAM token) and
 * the next request carries the new one. Why not client-node's own `tokenFile`: its
 * FileAuth is a single instance shared by every KubeConfig in the process, caching
 * one token for all of them for 60 s, so two clusters with token files would send
 * each other's tokens.
 */
abstract class RotatingBearerAuth implements Authenticator {
  constructor(private readonly provider: string) {}

  isAuthProvider(user: User): boolean {
    return user.authProvider?.name === this.provider;
  }

  protected abstract token(user: User): Promise<string | null>;

  async applyAuthentication(user: User, opts: RequestOptions): Promise<void> {
    const token = await this.token(user);
    if (token === null) return;
    opts.headers ??= {};
    opts.headers.Authorization = `Bearer ${token}`;
  }
}

/** The token in a file (a projected service-account token), re-read every 10 s as it rotates. */
export class TokenFileAuth extends RotatingBearerAuth {
  private cached: string | null = null;
  private readAt = 0;

  constructor() {
    super(TOKEN_FILE_PROVIDER);
  }

  protected async token(user: User): Promise<string | null> {
    const file = (user.authProvider?.config as { path?: string } | undefined)?.path;
    if (!file) return null;
    if (this.cached === null || Date.now() - this.readAt > REREAD_AFTER_MS) {
      this.cached = (await fs.promises.readFile(file, "utf8")).trim();
      this.readAt = Date.now();
    }
    return this.cached;
  }
}

/**
 * The token a function hands out (lib/iks's IAM token keeper): asked on every request, so a
 * renewed token is used from the next request on. A failure to get one fails the request
 * with the source's own error (e.g. "IAM could not be reached") before anything is sent.
 */
export class TokenSourceAuth extends RotatingBearerAuth {
  constructor(private readonly source: () => Promise<string>) {
    super(TOKEN_SOURCE_PROVIDER);
  }

  protected token(): Promise<string> {
    return this.source();
  }
}
