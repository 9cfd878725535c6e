import crypto from "node:crypto";
import type { KubeSimOidcOptions, KubeSimRule, KubeSimUser } from "./types";

/**
 * kube-apiserver's OIDC token authenticator, for IAM tokens: an IKS master is configured
 * with IAM as its issuer and verifies each bearer JWT locally against the issuer's
 * published keys (OIDC discovery `<issuer>/.well-known/openid-configuration` → `jwks_uri`).
 * A token whose signature, issuer or `exp` does not check out is a 401 `Unauthorized`,
 * the same Status a real API server answers; a valid token whose identity has no RBAC yet
 * (IKS syncs IAM service roles into RBAC on `applyRBACAndGetKubeconfig`) authenticates and
 * is then Forbidden.
 */

/** IKS's mapping of IAM service roles to cluster roles (docs: containers understand-rbac): Reader = `view` (no secrets), Writer = `edit`, Manager = `cluster-admin`. */
export const IAM_ROLE_RULES: Record<"Reader" | "Writer" | "Manager", KubeSimRule[]> = {
  Reader: [{ verbs: ["get", "list", "watch"], resources: ["namespaces", "serviceaccounts", "pods", "deployments", "statefulsets", "daemonsets", "events"] }],
  Writer: [{ verbs: ["*"], resources: ["*"] }],
  Manager: [{ verbs: ["*"], resources: ["*"] }],
};

interface Jwk {
  kid?: string;
  kty?: string;
  n?: string;
  e?: string;
}

const KEY_REFETCH_MS = 10_000;

export class OidcAuthenticator {
  private keys = new Map<string, crypto.KeyObject>();
  private fetchedAt = 0;
  private pending: Promise<void> | null = null;
  private readonly rules = new Map<string, KubeSimRule[]>();

  constructor(private readonly opts: KubeSimOidcOptions) {
    for (const [name, rules] of Object.entries(opts.users ?? {})) this.rules.set(name, rules);
  }

  /** Sets the RBAC of an IAM identity (what the IBM Cloud simulator's RBAC sync writes). */
  grant(username: string, rules: KubeSimRule[]): void {
    this.rules.set(username, rules);
  }

  /** Looks like a JWT from this issuer (so a static user's token never reaches the key fetch). */
  claims(token: string): Record<string, unknown> | null {
    const parts = token.split(".");
    if (parts.length !== 3) return null;
    try {
      const payload = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as unknown;
      return typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  /** The user of a valid token; null when the token is not a valid, unexpired token of the issuer. */
  async authenticate(token: string, nowSeconds: number): Promise<KubeSimUser | null> {
    const claims = this.claims(token);
    if (!claims || claims.iss !== this.opts.issuerUrl) return null;
    const [headerPart, payloadPart, signature] = token.split(".") as [string, string, string];
    let header: { kid?: unknown; alg?: unknown };
    try {
      header = JSON.parse(Buffer.from(headerPart, "base64url").toString("utf8")) as { kid?: unknown; alg?: unknown };
    } catch {
      return null;
    }
    if (header.alg !== "RS256" || typeof header.kid !== "string") return null;
    const key = await this.key(header.kid);
    if (!key) return null;
    const valid = crypto.verify("sha256", Buffer.from(`${headerPart}.${payloadPart}`), key, Buffer.from(signature, "base64url"));
    if (!valid) return null;
    if (typeof claims.exp !== "number" || claims.exp <= nowSeconds) return null;
    const subject = typeof claims.email === "string" ? claims.email : typeof claims.iam_id === "string" ? claims.iam_id : null;
    if (!subject) return null;
    const name = `${this.opts.usernamePrefix ?? "IAM#"}${subject}`;
    return { name, token, rules: this.rules.get(name) ?? [] };
  }

  private async key(kid: string): Promise<crypto.KeyObject | undefined> {
    if (!this.keys.has(kid)) {
      // Concurrent first requests wait for the same fetch instead of being refused while it runs.
      if (!this.pending && Date.now() - this.fetchedAt > KEY_REFETCH_MS) this.pending = this.refreshKeys().finally(() => (this.pending = null));
      if (this.pending) await this.pending;
    }
    return this.keys.get(kid);
  }

  private async refreshKeys(): Promise<void> {
    this.fetchedAt = Date.now();
    try {
      const discovery = (await (await fetch(`${this.opts.issuerUrl}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) })).json()) as { jwks_uri?: unknown };
      if (typeof discovery.jwks_uri !== "string") return;
      const jwks = (await (await fetch(discovery.jwks_uri, { signal: AbortSignal.timeout(5000) })).json()) as { keys?: Jwk[] };
      const next = new Map<string, crypto.KeyObject>();
      for (const jwk of jwks.keys ?? []) {
        if (jwk.kty !== "RSA" || !jwk.kid || !jwk.n || !jwk.e) continue;
        next.set(jwk.kid, crypto.createPublicKey({ key: { kty: "RSA", n: jwk.n, e: jwk.e }, format: "jwk" }));
      }
      this.keys = next;
    } catch {
      // The issuer is unreachable: keep the keys we have, as kube-apiserver does; new kids fail until it is back.
    }
  }
}
