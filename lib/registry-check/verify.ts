import "server-only";
import { credentialFingerprint } from "@/lib/registry/fingerprint";
import { outboundRefusal } from "@/lib/net/errors";
import type { GuardedFetch } from "@/lib/net/guarded-fetch";
import { allowedRealm, parseChallenge } from "./challenge";
import { registryBaseUrlResolver } from "./endpoint";
import { classifyNetworkError, Outcome } from "./errors";
import { guardedFetchFor } from "./outbound";
import { DEFAULT_VERIFY_TIMEOUT_MS, type RegistryVerification, type VerifyRegistryCredentialInput } from "./port";

/**
 * Proves a registry credential works by asking the registry itself, the way
 * `docker login` does (Docker Registry HTTP API v2 token flow), instead of
 * trusting pod status: a node with the image cached starts a pod even with a
 * dead credential (field notes §8). The password is sent only to the registry's
 * token realm or /v2/ (Basic) and never appears in a result, detail or error.
 * Every connection goes through the outbound policy (lib/net): the destination
 * may come from a tenant's pull secret or a form.
 */

const MAX_REDIRECTS = 3;

/**
 * GET /v2/, following redirects only within the registry's own origin: a
 * redirect elsewhere could aim the server at an address the user chose.
 */
async function probeV2(http: GuardedFetch, probeUrl: string, signal: AbortSignal): Promise<Response | Outcome> {
  let url = new URL(probeUrl);
  for (let hop = 0; ; hop += 1) {
    const response = await http(url, { signal, redirect: "manual" });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || !location) return response;
    await response.body?.cancel();
    const next = new URL(location, url);
    if (next.origin !== url.origin) {
      return new Outcome("unreachable", `${url.host} redirected /v2/ to another host (${next.host}); Pullkeeper follows redirects only within the registry's own address.`, false);
    }
    if (hop + 1 >= MAX_REDIRECTS) return new Outcome("unreachable", `${url.host} redirected /v2/ more than ${MAX_REDIRECTS} times.`, false);
    url = next;
  }
}

/** The first distribution-spec error (`{errors:[{code,message}]}`) in a body, if any. */
async function registryMessage(response: Response): Promise<string> {
  try {
    const text = (await response.text()).slice(0, 4_000);
    const body = JSON.parse(text) as { errors?: Array<{ code?: unknown; message?: unknown }> };
    const first = body.errors?.[0];
    if (first && (typeof first.code === "string" || typeof first.message === "string")) {
      return `${typeof first.code === "string" ? first.code : "error"}: ${typeof first.message === "string" ? first.message : ""}`.trim();
    }
  } catch {
    // Not JSON: the status code says enough.
  }
  return "";
}

function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

async function runExchange(input: VerifyRegistryCredentialInput, base: string, signal: AbortSignal, http: GuardedFetch): Promise<Outcome> {
  const probeUrl = `${base}/v2/`;
  const probe = await probeV2(http, probeUrl, signal);
  if (probe instanceof Outcome) return probe;
  if (probe.status === 200) {
    await probe.body?.cancel();
    return new Outcome("valid", `${input.domain} answers /v2/ without authentication; the registry is reachable but the credential was not exercised.`, false);
  }
  if (probe.status !== 401) {
    await probe.body?.cancel();
    if (probe.status === 404) return new Outcome("unreachable", `${probeUrl} is not a Docker Registry v2 endpoint (HTTP 404).`, false);
    return new Outcome("unreachable", `${input.domain} answered /v2/ with HTTP ${probe.status}; the registry may be down or rate limiting.`, false);
  }
  const challenge = parseChallenge(probe.headers.get("www-authenticate"));
  await probe.body?.cancel();

  if (challenge?.scheme === "basic") {
    const login = await http(probeUrl, { signal, redirect: "manual", headers: { Authorization: basicAuth(input.username, input.password) } });
    const message = await registryMessage(login);
    if (login.status === 200) return new Outcome("valid", `${input.domain} accepted the credentials of ${input.username} (Basic authentication).`);
    if (login.status === 401 || login.status === 403) return new Outcome("rejected", `${input.domain} rejected the credentials of ${input.username} (HTTP ${login.status}${message ? `, ${message}` : ""}).`);
    return new Outcome("unreachable", `${input.domain} answered the Basic login with HTTP ${login.status}.`);
  }
  if (challenge?.scheme !== "bearer") {
    return new Outcome("unreachable", `${input.domain} asked for authentication without a usable challenge (WWW-Authenticate: ${challenge?.scheme === "unknown" ? challenge.raw.slice(0, 120) : "missing"}).`, false);
  }

  const realm = allowedRealm(base, challenge.realm);
  if (realm === "not_a_url") return new Outcome("unreachable", `${input.domain} sent a token realm that is not a URL.`, false);
  if (realm === "foreign_host") {
    return new Outcome("unreachable", `${input.domain} pointed its token realm at another host; Pullkeeper sends credentials only to the registry's own host or IBM Cloud IAM.`, false);
  }
  if (realm === "insecure") {
    return new Outcome("unreachable", `${input.domain} pointed its token realm at plain HTTP; Pullkeeper does not send credentials unencrypted.`, false);
  }
  if (challenge.service) realm.searchParams.set("service", challenge.service);
  const scope = input.scope ?? challenge.scope;
  if (scope) realm.searchParams.set("scope", scope);
  const tokenResponse = await http(realm, { signal, redirect: "manual", headers: { Authorization: basicAuth(input.username, input.password), Accept: "application/json" } });
  if (tokenResponse.status === 401 || tokenResponse.status === 403) {
    const message = await registryMessage(tokenResponse);
    return new Outcome("rejected", `${input.domain} rejected the credentials of ${input.username} at its token service (HTTP ${tokenResponse.status}${message ? `, ${message}` : ""}).`);
  }
  if (tokenResponse.status !== 200) {
    const message = await registryMessage(tokenResponse);
    return new Outcome("unreachable", `The token service of ${input.domain} (${realm.host}) answered HTTP ${tokenResponse.status}${message ? ` (${message})` : ""}.`);
  }
  let token: unknown;
  try {
    const body = (await tokenResponse.json()) as { token?: unknown; access_token?: unknown };
    token = body.token ?? body.access_token;
  } catch {
    token = undefined;
  }
  if (typeof token !== "string" || token === "") {
    return new Outcome("unreachable", `The token service of ${input.domain} answered 200 without a token.`);
  }
  const confirm = await http(probeUrl, { signal, redirect: "manual", headers: { Authorization: `Bearer ${token}` } });
  const confirmMessage = await registryMessage(confirm);
  if (confirm.status === 200) return new Outcome("valid", `${input.domain} issued a token for ${input.username} and accepted it on /v2/.`);
  if (confirm.status === 401 || confirm.status === 403) {
    return new Outcome("rejected", `${input.domain} issued a token for ${input.username} but refused it on /v2/ (HTTP ${confirm.status}${confirmMessage ? `, ${confirmMessage}` : ""}).`);
  }
  return new Outcome("unreachable", `${input.domain} answered /v2/ with HTTP ${confirm.status} after issuing a token.`);
}

/** Removes the password (and its Basic encoding) from text that quotes a registry's reply. */
function scrub(text: string, username: string, password: string): string {
  if (password.length === 0) return text;
  const encoded = Buffer.from(`${username}:${password}`).toString("base64");
  return text.split(password).join("[redacted]").split(encoded).join("[redacted]");
}

/** The {@link RegistryCredentialChecker} over `fetch`. */
export async function verifyRegistryCredential(input: VerifyRegistryCredentialInput): Promise<RegistryVerification> {
  const now = input.now ?? (() => new Date());
  const timeoutMs = input.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
  const started = performance.now();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  let outcome: Outcome;
  let base = "";
  try {
    base = (input.resolveBaseUrl ?? registryBaseUrlResolver())(input.domain).replace(/\/+$/, "");
    outcome = await runExchange(input, base, controller.signal, guardedFetchFor(input.outbound));
  } catch (error) {
    const refusal = outboundRefusal(error);
    outcome = refusal
      ? new Outcome("unreachable", refusal.message, false)
      : base === "" ? new Outcome("unreachable", `No registry URL could be built for ${input.domain}.`, false) : classifyNetworkError(error, `Contacting ${input.domain} (${new URL(base).host})`, timeoutMs, timedOut);
  } finally {
    clearTimeout(timer);
  }
  return {
    domain: input.domain,
    username: input.username,
    fingerprint: credentialFingerprint(input.username, input.password),
    result: outcome.result,
    latencyMs: Math.round(performance.now() - started),
    checkedAt: now().toISOString(),
    detail: scrub(outcome.detail, input.username, input.password),
    credentialTested: outcome.credentialTested,
  };
}
