import "server-only";
import { normalizeRegistryHost } from "./domains";
import { credentialFingerprint, credentialSetFingerprint } from "./fingerprint";
import { PullkeeperError } from "@/lib/errors";

export const DOCKER_CONFIG_JSON_TYPE = "kubernetes.io/dockerconfigjson";
export const DOCKER_CFG_TYPE = "kubernetes.io/dockercfg";
export const DOCKER_CONFIG_JSON_KEY = ".dockerconfigjson";
export const DOCKER_CFG_KEY = ".dockercfg";
export type PullSecretType = typeof DOCKER_CONFIG_JSON_TYPE | typeof DOCKER_CFG_TYPE;

/**
 * How a registry entry authenticates, read from its username:
 * `iamapikey` (IBM Cloud API key), `token` (registry token, discontinued 19 Aug 2021),
 * `iambearer`/`iamrefresh` (short-lived IAM tokens that expire within hours), anything else basic auth.
 */
export type CredentialKind = "iam-api-key" | "registry-token" | "iam-token" | "basic";

/** What may be shown about one registry entry of a pull secret: never its password or `auth`. */
export interface RegistryCredentialInfo {
  registry: string;
  username: string;
  credentialKind: CredentialKind;
  fingerprint: string;
}

/** A credential to write into a pull secret. Only ever held transiently, never returned in DTOs. */
export interface DockerCredential {
  registry: string;
  username: string;
  password: string;
  email?: string;
}

export interface ParsedPullSecret {
  format: "dockerconfigjson" | "dockercfg";
  entries: RegistryCredentialInfo[];
  /** Order-independent fingerprint of all entries (see credentialSetFingerprint). */
  credentialFingerprint: string;
}

export type DockerConfigParseReason = "wrong_type" | "missing_key" | "not_base64" | "not_json" | "not_object" | "bad_entry" | "empty";

/**
 * A pull secret's content could not be read. The message names the problem and
 * the offending registry key at most: it never contains any of the content.
 */
export class DockerConfigParseError extends PullkeeperError {
  override readonly name = "DockerConfigParseError";
  constructor(readonly reason: DockerConfigParseReason, message: string) {
    super("registry", "invalid", message);
  }
}

export function credentialKindOf(username: string): CredentialKind {
  switch (username.toLowerCase()) {
    case "iamapikey":
      return "iam-api-key";
    case "token":
      return "registry-token";
    case "iambearer":
    case "iamrefresh":
      return "iam-token";
    default:
      return "basic";
  }
}

function b64(s: string): string {
  return Buffer.from(s, "utf8").toString("base64");
}

function safeKey(key: string): string {
  return JSON.stringify(normalizeRegistryHost(key).slice(0, 100));
}

function decodeBase64Strict(value: string, what: string): string {
  const compact = value.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new DockerConfigParseError("not_base64", `${what} is not valid base64`);
  }
  return Buffer.from(compact, "base64").toString("utf8");
}

/**
 * Builds the `.dockerconfigjson` document (`{"auths":{domain:{username,password,email,auth}}}`)
 * for one or several registries, as `kubectl create secret docker-registry` and IKS do.
 */
export function buildDockerConfigJson(credentials: readonly DockerCredential[]): string {
  if (credentials.length === 0) throw new DockerConfigParseError("empty", "a pull secret needs at least one registry");
  const auths: Record<string, { username: string; password: string; email?: string; auth: string }> = {};
  for (const c of credentials) {
    const registry = normalizeRegistryHost(c.registry);
    if (registry === "") throw new DockerConfigParseError("bad_entry", "a registry host is empty");
    if (c.username === "" || c.username.includes(":")) {
      throw new DockerConfigParseError("bad_entry", `the username for ${safeKey(registry)} must be non-empty and contain no colon`);
    }
    if (c.password === "") throw new DockerConfigParseError("bad_entry", `the password for ${safeKey(registry)} is empty`);
    if (registry in auths) throw new DockerConfigParseError("bad_entry", `registry ${safeKey(registry)} appears twice`);
    auths[registry] = {
      username: c.username,
      password: c.password,
      ...(c.email !== undefined ? { email: c.email } : {}),
      auth: b64(`${c.username}:${c.password}`),
    };
  }
  return JSON.stringify({ auths });
}

/**
 * The IBM convention: user `iamapikey`, the API key as password, email `iamapikey`
 * (what IKS writes), one entry per domain (one domain: `default-us-icr-io` style;
 * many: `all-icr-io` style).
 */
export function buildIamApiKeyDockerConfigJson(opts: { apiKey: string; domains: readonly string[]; email?: string }): string {
  return buildDockerConfigJson(
    opts.domains.map((registry) => ({ registry, username: "iamapikey", password: opts.apiKey, email: opts.email ?? "iamapikey" })),
  );
}

function readEntries(text: string, format: ParsedPullSecret["format"]): DockerCredential[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new DockerConfigParseError("not_json", `the ${format === "dockercfg" ? ".dockercfg" : ".dockerconfigjson"} value is not valid JSON`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new DockerConfigParseError("not_object", "the registry configuration is not a JSON object");
  }
  const map = format === "dockerconfigjson" ? (doc as Record<string, unknown>).auths : doc;
  if (typeof map !== "object" || map === null || Array.isArray(map)) {
    throw new DockerConfigParseError("not_object", 'the registry configuration has no "auths" object');
  }
  const out: DockerCredential[] = [];
  for (const [key, raw] of Object.entries(map as Record<string, unknown>)) {
    if (typeof raw !== "object" || raw === null) {
      throw new DockerConfigParseError("bad_entry", `the entry for ${safeKey(key)} is not an object`);
    }
    const e = raw as Record<string, unknown>;
    let username = typeof e.username === "string" ? e.username : undefined;
    let password = typeof e.password === "string" ? e.password : undefined;
    // The kubelet lets `auth` win over username/password when both are present.
    if (typeof e.auth === "string" && e.auth !== "") {
      const decoded = decodeBase64Strict(e.auth, `the "auth" field for ${safeKey(key)}`);
      const sep = decoded.indexOf(":");
      if (sep < 0) throw new DockerConfigParseError("bad_entry", `the "auth" field for ${safeKey(key)} is not user:password`);
      username = decoded.slice(0, sep);
      password = decoded.slice(sep + 1);
    }
    if (username === undefined || username === "" || password === undefined) {
      throw new DockerConfigParseError("bad_entry", `the entry for ${safeKey(key)} has no username and password`);
    }
    out.push({ registry: normalizeRegistryHost(key), username, password, ...(typeof e.email === "string" ? { email: e.email } : {}) });
  }
  if (out.length === 0) throw new DockerConfigParseError("empty", "the registry configuration lists no registries");
  return out;
}

function describe(creds: DockerCredential[], format: ParsedPullSecret["format"]): ParsedPullSecret {
  return {
    format,
    entries: creds.map((c) => ({
      registry: c.registry,
      username: c.username,
      credentialKind: credentialKindOf(c.username),
      fingerprint: credentialFingerprint(c.username, c.password),
    })),
    credentialFingerprint: credentialSetFingerprint(creds),
  };
}

/** Parses a decoded `.dockerconfigjson` document into safe entries. Throws DockerConfigParseError. */
export function parseDockerConfigJson(text: string): ParsedPullSecret {
  return describe(readEntries(text, "dockerconfigjson"), "dockerconfigjson");
}

/** Parses a decoded legacy `.dockercfg` document (registry map without `auths`). Throws DockerConfigParseError. */
export function parseDockerCfg(text: string): ParsedPullSecret {
  return describe(readEntries(text, "dockercfg"), "dockercfg");
}

function pickDocument(secret: { type?: string; data?: Readonly<Record<string, string>> }): { text: string; format: ParsedPullSecret["format"] } {
  const format = secret.type === DOCKER_CONFIG_JSON_TYPE ? "dockerconfigjson" : secret.type === DOCKER_CFG_TYPE ? "dockercfg" : undefined;
  if (!format) throw new DockerConfigParseError("wrong_type", `secrets of type ${JSON.stringify(secret.type ?? "")} are not used by the kubelet to pull images`);
  const key = format === "dockerconfigjson" ? DOCKER_CONFIG_JSON_KEY : DOCKER_CFG_KEY;
  const value = secret.data?.[key];
  if (value === undefined) throw new DockerConfigParseError("missing_key", `the secret has no ${key} key`);
  return { text: decodeBase64Strict(value, `the ${key} value`), format };
}

/** Parses a Secret's `type` and base64 `data` (as the API returns them) into safe entries. */
export function parsePullSecretData(secret: { type?: string; data?: Readonly<Record<string, string>> }): ParsedPullSecret {
  const { text, format } = pickDocument(secret);
  return describe(readEntries(text, format), format);
}

/**
 * The credentials themselves, for the few server-side steps that must use them
 * (registry verification, rebuilding a secret for another domain). Never put
 * the result in a DTO, a log line or an error.
 */
export function decodePullSecretCredentials(secret: { type?: string; data?: Readonly<Record<string, string>> }): DockerCredential[] {
  const { text, format } = pickDocument(secret);
  return readEntries(text, format);
}
