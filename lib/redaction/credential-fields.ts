/**
 * The one place that decides which fields are credentials. Everything that
 * stores, logs or returns free-form data (audit parameters and step details,
 * log lines, error context) passes it through here.
 */

/** Field names whose values are credentials, compared case-insensitively without separators. */
const CREDENTIAL_KEYS = new Set([
  "password",
  "passwd",
  "pass",
  "secret",
  "secretvalue",
  "clientsecret",
  "apikey",
  "iamapikey",
  "token",
  "accesstoken",
  "refreshtoken",
  "idtoken",
  "bearertoken",
  "auth",
  "authorization",
  "credential",
  "credentials",
  "dockerconfigjson",
  "dockercfg",
  "data",
  "stringdata",
  "privatekey",
  "clientkey",
  "clientkeydata",
  "cookie",
  "setcookie",
]);

export const REDACTED = "[redacted]";

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export function isCredentialKey(key: string): boolean {
  return CREDENTIAL_KEYS.has(normaliseKey(key));
}

/** Strings that are a Docker config or an encoded one, whatever field they sit in. */
function looksLikeDockerConfig(value: string): boolean {
  if (value.includes('"auths"')) return true;
  if (value.length < 16 || !/^[A-Za-z0-9+/=]+$/.test(value)) return false;
  try {
    return Buffer.from(value, "base64").toString("utf8").includes('"auths"');
  } catch {
    return false;
  }
}

/**
 * Returns a deep copy with every credential field's value replaced by
 * "[redacted]" and every Docker-config-looking string too. Non-plain values
 * (dates, class instances) become strings so the result is always JSON-safe.
 */
export function redactCredentials<T>(value: T): T {
  return redactValue(value, 0) as T;
}

function redactValue(value: unknown, depth: number): unknown {
  if (depth > 20) return REDACTED;
  if (typeof value === "string") return looksLikeDockerConfig(value) ? REDACTED : value;
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = isCredentialKey(key) && item !== null && item !== undefined && item !== "" ? REDACTED : redactValue(item, depth + 1);
  }
  return copy;
}

/**
 * Free text (error messages from admission webhooks, summaries) can quote an
 * object's data: any base64 run that decodes to a Docker config, and any text
 * that carries one raw, is cut out.
 */
export function redactText(text: string): string {
  if (text.includes('"auths"')) return "[redacted: the message quoted a registry credential]";
  return text.replace(/[A-Za-z0-9+/]{24,}={0,2}/g, (run) => (looksLikeDockerConfig(run) ? REDACTED : run));
}

/** Log-library redaction paths (pino) for the same field names, at the top level and one or two levels deep. */
export function credentialLogPaths(): string[] {
  const names = ["password", "apiKey", "apikey", "token", "auth", "authorization", "secret", "dockerconfigjson", ".dockerconfigjson", "data", "stringData", "cookie"];
  const quoted = names.map((name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`));
  const join = (prefix: string, name: string) => (name.startsWith("[") ? `${prefix}${name}` : `${prefix}.${name}`);
  return [...quoted, ...quoted.map((name) => join("*", name)), ...quoted.map((name) => join("*.*", name))];
}
