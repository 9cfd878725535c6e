import crypto from "node:crypto";
import type { Obj, Store, StoreEvent } from "./store";
import type { KubeSimUser } from "./types";
import { SERVICE_ACCOUNT_PREFIX } from "./rbac-bindings";

/**
 * The legacy service-account token controller and authenticator (kube-controller-manager's
 * `tokens_controller.go`, kube-apiserver's `legacy` JWT validator):
 * - a Secret of type `kubernetes.io/service-account-token` annotated `kubernetes.io/service-account.name`
 *   gets, shortly after it is created (the controller works from a queue, so clients wait for it),
 *   `data.token` (an RS256 JWT of issuer `kubernetes/serviceaccount`), `data["ca.crt"]`, `data.namespace` and the
 *   `kubernetes.io/service-account.uid` annotation; one whose ServiceAccount does not exist is deleted;
 * - deleting a ServiceAccount deletes its token Secrets;
 * - such a token authenticates as `system:serviceaccount:<ns>:<name>` only while its Secret still holds it and the
 *   ServiceAccount with that uid exists (otherwise 401, as a real server answers for a revoked token).
 */

export const SA_TOKEN_TYPE = "kubernetes.io/service-account-token";
export const SA_NAME_ANNOTATION = "kubernetes.io/service-account.name";
export const SA_UID_ANNOTATION = "kubernetes.io/service-account.uid";
const ISSUER = "kubernetes/serviceaccount";
/** The controller's queue delay: long enough that a client reading at once sees the Secret still empty. */
const CONTROLLER_DELAY_MS = 30;

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

export class ServiceAccountTokens {
  private key: { privateKey: crypto.KeyObject; publicKey: crypto.KeyObject; kid: string } | null = null;
  private timers = new Set<NodeJS.Timeout>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: Store,
    private readonly caPem: string | null,
  ) {
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
  }

  private signingKey() {
    if (!this.key) {
      const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
      const kid = crypto.createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("base64url").slice(0, 43);
      this.key = { privateKey, publicKey, kid };
    }
    return this.key;
  }

  private onEvent(e: StoreEvent) {
    if (e.resource === "secrets" && e.type !== "DELETED" && e.object.type === SA_TOKEN_TYPE && !e.object.data?.token) {
      const { namespace, name } = e.object.metadata;
      this.later(() => this.fill(namespace, name));
    }
    if (e.resource === "serviceaccounts" && e.type === "DELETED") {
      const { namespace, name } = e.object.metadata;
      this.later(() => {
        for (const s of [...this.store.list("secrets", namespace)]) {
          if (s.type === SA_TOKEN_TYPE && s.metadata.annotations?.[SA_NAME_ANNOTATION] === name) this.store.remove("secrets", namespace, s.metadata.name);
        }
      });
    }
  }

  private later(fn: () => void) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, CONTROLLER_DELAY_MS);
    this.timers.add(t);
  }

  private fill(namespace: string, secretName: string) {
    const secret = this.store.get("secrets", namespace, secretName);
    if (!secret || secret.type !== SA_TOKEN_TYPE || secret.data?.token) return;
    const saName: string | undefined = secret.metadata.annotations?.[SA_NAME_ANNOTATION];
    const sa = saName ? this.store.get("serviceaccounts", namespace, saName) : undefined;
    const uid = secret.metadata.annotations?.[SA_UID_ANNOTATION];
    if (!sa || (uid && uid !== sa.metadata.uid)) {
      this.store.remove("secrets", namespace, secretName);
      return;
    }
    const next: Obj = structuredClone(secret);
    next.metadata.annotations = { ...next.metadata.annotations, [SA_UID_ANNOTATION]: sa.metadata.uid };
    next.data = {
      ...(next.data ?? {}),
      ...(this.caPem ? { "ca.crt": b64(this.caPem) } : {}),
      namespace: b64(namespace),
      token: b64(this.sign(namespace, secretName, sa)),
    };
    next.metadata.resourceVersion = String(this.store.nextRv());
    this.store.put("secrets", next, "MODIFIED");
  }

  private sign(namespace: string, secretName: string, sa: Obj): string {
    const key = this.signingKey();
    const header = Buffer.from(JSON.stringify({ alg: "RS256", kid: key.kid })).toString("base64url");
    const payload = Buffer.from(
      JSON.stringify({
        iss: ISSUER,
        "kubernetes.io/serviceaccount/namespace": namespace,
        "kubernetes.io/serviceaccount/secret.name": secretName,
        "kubernetes.io/serviceaccount/service-account.name": sa.metadata.name,
        "kubernetes.io/serviceaccount/service-account.uid": sa.metadata.uid,
        sub: `${SERVICE_ACCOUNT_PREFIX}${namespace}:${sa.metadata.name}`,
      }),
    ).toString("base64url");
    const signature = crypto.sign("sha256", Buffer.from(`${header}.${payload}`), key.privateKey).toString("base64url");
    return `${header}.${payload}.${signature}`;
  }

  /** The service account a bearer token stands for, or null (not such a token, or revoked). */
  authenticate(token: string): KubeSimUser | null {
    if (!this.key) return null;
    const parts = token.split(".");
    if (parts.length !== 3) return null;
    const [header, payload, signature] = parts as [string, string, string];
    if (!crypto.verify("sha256", Buffer.from(`${header}.${payload}`), this.key.publicKey, Buffer.from(signature, "base64url"))) return null;
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    } catch {
      return null;
    }
    if (claims.iss !== ISSUER) return null;
    const namespace = String(claims["kubernetes.io/serviceaccount/namespace"]);
    const secret = this.store.get("secrets", namespace, String(claims["kubernetes.io/serviceaccount/secret.name"]));
    if (!secret?.data?.token || Buffer.from(secret.data.token, "base64").toString("utf8") !== token) return null;
    const saName = String(claims["kubernetes.io/serviceaccount/service-account.name"]);
    const sa = this.store.get("serviceaccounts", namespace, saName);
    if (!sa || sa.metadata.uid !== claims["kubernetes.io/serviceaccount/service-account.uid"]) return null;
    return { name: `${SERVICE_ACCOUNT_PREFIX}${namespace}:${saName}`, uid: sa.metadata.uid, token, rules: [] };
  }

  close() {
    this.unsubscribe();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

