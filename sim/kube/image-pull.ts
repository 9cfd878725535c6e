import http from "node:http";
import https from "node:https";
import crypto from "node:crypto";
import { isIbmRegistry, PUBLIC_REGISTRIES, type ImageRef, type RegistryCredential } from "./image-ref";
import type { KubeletOptions } from "./types";

/**
 * The container runtime's pull, reduced to what decides it: containerd's
 * resolve step (HEAD the manifest, follow the Bearer challenge, fetch a token
 * with the credentials) against the registry simulator over HTTP, and
 * containerd 1.7's error texts as the kubelet reports them on IKS.
 */

export type PullResult = { ok: true; imageID: string } | { ok: false; message: string };

interface HttpAnswer {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const DNS_SERVER = "172.21.0.10:53";

function request(url: string, method: string, headers: Record<string, string>, body: string | undefined, ca: string | undefined): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === "https:" ? https : http;
    const req = mod.request(u, { method, headers, timeout: 10_000, ...(ca && u.protocol === "https:" ? { ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("timeout", () => req.destroy(new Error("i/o timeout")));
    req.on("error", reject);
    req.end(body);
  });
}

const statusLine = (a: HttpAnswer) => `${a.status} ${a.statusText || http.STATUS_CODES[a.status] || ""}`.trim();

function parseChallenge(value: string | string[] | undefined): Record<string, string> | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text || !/^Bearer\s/i.test(text)) return null;
  const params: Record<string, string> = {};
  for (const m of text.slice(7).matchAll(/([a-z_]+)="([^"]*)"/gi)) params[m[1]!.toLowerCase()] = m[2]!;
  return params;
}

function tokenOf(body: string): string {
  try {
    const parsed = JSON.parse(body);
    return String(parsed.token ?? parsed.access_token ?? "");
  } catch {
    return "";
  }
}

const wrap = (ref: ImageRef, detail: string, code = "Unknown") =>
  `rpc error: code = ${code} desc = failed to pull and unpack image "${ref.full}": failed to resolve reference "${ref.full}": ${detail}`;
export const notFoundMessage = (ref: ImageRef) => wrap(ref, `${ref.full}: not found`, "NotFound");
export const unreachableMessage = (ref: ImageRef) =>
  wrap(ref, `failed to do request: Head "https://${ref.domain}/v2/${ref.path}/manifests/${ref.reference}": dial tcp: lookup ${ref.domain} on ${DNS_SERVER}: no such host`);

/** A stable fake digest: the same image always gets the same imageID. */
export function imageIdFor(ref: ImageRef): string {
  return `${ref.domain}/${ref.path}@sha256:${crypto.createHash("sha256").update(ref.full).digest("hex")}`;
}

export class ImagePuller {
  private readonly missing: Set<string>;

  constructor(private readonly opts: KubeletOptions) {
    this.missing = new Set(opts.missingImages ?? []);
  }

  private exists(ref: ImageRef): PullResult {
    return this.missing.has(ref.spec) || this.missing.has(ref.full) ? { ok: false, message: notFoundMessage(ref) } : { ok: true, imageID: imageIdFor(ref) };
  }

  /** Pulls `ref` trying each credential in turn, as the kubelet does; all failures are reported together. */
  async pull(ref: ImageRef, credentials: RegistryCredential[]): Promise<PullResult> {
    if (this.opts.pullVerifier) {
      const verdict = await this.opts.pullVerifier({ image: ref.spec, domain: ref.domain, credentials });
      return verdict.ok ? this.exists(ref) : { ok: false, message: wrap(ref, verdict.detail) };
    }
    if (PUBLIC_REGISTRIES.has(ref.domain)) return this.exists(ref);
    if (!isIbmRegistry(ref.domain) || !this.opts.registryUrlTemplate) return { ok: false, message: unreachableMessage(ref) };
    try {
      return await this.pullFromRegistry(ref, credentials);
    } catch {
      return { ok: false, message: unreachableMessage(ref) };
    }
  }

  private async pullFromRegistry(ref: ImageRef, credentials: RegistryCredential[]): Promise<PullResult> {
    const base = this.opts.registryUrlTemplate!.replace("{domain}", ref.domain);
    const shownBase = `https://${ref.domain}`;
    const manifestPath = `/v2/${ref.path}/manifests/${ref.reference}`;
    const ca = this.opts.registryCaPem;
    const anonymous = await request(base + manifestPath, "HEAD", {}, undefined, ca);
    if (anonymous.status === 200 || anonymous.status === 404) return this.exists(ref);
    const challenge = parseChallenge(anonymous.headers["www-authenticate"]);
    if (anonymous.status !== 401 || !challenge?.realm || credentials.length === 0) {
      return { ok: false, message: wrap(ref, `unexpected status from HEAD request to ${shownBase}${manifestPath}: ${statusLine(anonymous)}`) };
    }
    const errors: string[] = [];
    for (const cred of credentials) {
      const detail = await this.tryCredential(ref, cred, challenge, { base, shownBase, manifestPath, ca });
      if (detail === null) return this.exists(ref);
      errors.push(wrap(ref, detail));
    }
    return { ok: false, message: errors.length === 1 ? errors[0]! : `[${errors.join(", ")}]` };
  }

  /** null when the credential reads the manifest; otherwise containerd's reason. */
  private async tryCredential(
    ref: ImageRef,
    cred: RegistryCredential,
    challenge: Record<string, string>,
    at: { base: string; shownBase: string; manifestPath: string; ca: string | undefined },
  ): Promise<string | null> {
    const realm = challenge.realm!;
    const shownRealm = realm.startsWith(at.base) ? at.shownBase + realm.slice(at.base.length) : realm;
    const scope = challenge.scope ?? `repository:${ref.path}:pull`;
    const service = challenge.service ?? "";
    // containerd posts an OAuth2 password grant first and falls back to GET with Basic on 400/401/404.
    const form = new URLSearchParams({ grant_type: "password", username: cred.username, password: cred.password, service, scope, client_id: "containerd-client" }).toString();
    let answer = await request(realm, "POST", { "Content-Type": "application/x-www-form-urlencoded" }, form, at.ca);
    if ([400, 401, 404].includes(answer.status)) {
      const query = `?scope=${encodeURIComponent(scope)}&service=${encodeURIComponent(service)}`;
      const basic = Buffer.from(`${cred.username}:${cred.password}`).toString("base64");
      answer = await request(realm + query, "GET", { Authorization: `Basic ${basic}` }, undefined, at.ca);
      if (answer.status !== 200) return `failed to authorize: failed to fetch oauth token: unexpected status from GET request to ${shownRealm}${query}: ${statusLine(answer)}`;
    }
    if (answer.status !== 200) return `failed to authorize: failed to fetch oauth token: unexpected status from POST request to ${shownRealm}: ${statusLine(answer)}`;
    return this.readManifest(ref, tokenOf(answer.body), at);
  }

  private async readManifest(ref: ImageRef, token: string, at: { base: string; manifestPath: string; ca: string | undefined }): Promise<string | null> {
    const answer = await request(at.base + at.manifestPath, "HEAD", { Authorization: `Bearer ${token}` }, undefined, at.ca);
    if (answer.status === 200 || answer.status === 404) return null;
    return `pulling from host ${ref.domain} failed with status code [manifests ${ref.reference}]: ${statusLine(answer)}`;
  }
}
