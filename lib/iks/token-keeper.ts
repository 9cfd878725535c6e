import "server-only";
import { IksError } from "./errors";
import type { IamTokenSource } from "./port";

/**
 * Keeps one IAM access token fresh for an API key, for as long as the process runs:
 * the key is exchanged once (`grant_type=urn:ibm:params:oauth:grant-type:apikey`), then the
 * token is renewed with its refresh token (`grant_type=refresh_token`) once 80 % of its
 * lifetime has passed, as IBM's SDKs do, falling back to the key when IAM no longer takes the
 * refresh token. Both requests authenticate as the IBM CLI's client (`Basic bx:bx`), which is
 * what makes IAM issue a refresh token for a service ID's key (bluemix-go
 * authentication/iam.go) and what `applyRBACAndGetKubeconfig` wants in `X-Auth-Refresh-Token`.
 *
 * When IAM cannot be reached the keeper is `stale`: the current token is still handed out
 * while it is valid, and renewal is retried with exponential back-off (with jitter) until IAM
 * answers again, when the keeper is `fresh` again without anyone acting. A key IAM refuses
 * makes it `failed` (retried at the longest back-off, in case the key is re-enabled).
 */

export type TokenKeeperState = "starting" | "fresh" | "stale" | "failed";

export interface TokenKeeperStatus {
  state: TokenKeeperState;
  /** When the token handed out now expires. */
  expiresAt: Date | null;
  lastRefreshedAt: Date | null;
  /** Tokens obtained since start (the first exchange included). */
  refreshes: number;
  consecutiveFailures: number;
  /** The last failure, written for the operator (never a credential). */
  lastError: string | null;
  nextAttemptAt: Date | null;
}

export interface IamTokenKeeperOptions {
  /** IAM base URL (`https://iam.cloud.ibm.com`); `/identity/token` is appended. */
  iamUrl: string;
  apiKey: string;
  /** Renew once this fraction of the lifetime has passed; default 0.8. */
  renewAtFraction?: number;
  /** First retry after a failed renewal (default 1 s), doubling up to `maxBackoffMs` (default 60 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Per request to IAM; default 10 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
  /** Told after every attempt (metrics, logs); must not throw. */
  onChange?: (status: TokenKeeperStatus) => void;
}

export interface IamTokenKeeper extends IamTokenSource {
  /** Gets the first token and starts renewing; rejects with the first failure (renewal keeps trying). */
  start(): Promise<void>;
  stop(): void;
  status(): TokenKeeperStatus;
}

interface Held {
  access: string;
  refresh: string;
  issuedAt: number;
  expiresAt: number;
}

const APIKEY_GRANT = "urn:ibm:params:oauth:grant-type:apikey";
const CLI_CLIENT = `Basic ${Buffer.from("bx:bx").toString("base64")}`;

/** Seconds-since-epoch `exp` of a JWT, or undefined when it has none. */
function jwtExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp : undefined;
  } catch {
    return undefined;
  }
}

/** Why IAM refused a token request, for the operator (never the request's key or token). */
function tokenRequestError(res: Response, body: Record<string, unknown>): IksError {
  const code = typeof body.errorCode === "string" ? body.errorCode : undefined;
  const retryAfter = Number(res.headers.get("retry-after"));
  if (res.status === 429) return new IksError({ kind: "rate_limited", operation: "iam_token", status: 429, message: "IAM is rate-limiting token requests.", ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}) });
  if (res.status >= 500) return new IksError({ kind: "unavailable", operation: "iam_token", status: res.status, message: `IAM answered ${res.status}; it is retried.`, ...(code ? { ibmCode: code } : {}) });
  if (code === "BXNIM0415E" || res.status === 401 || res.status === 403) {
    return new IksError({ kind: "unauthorized", operation: "iam_token", status: res.status, ibmCode: code ?? String(res.status), message: "IAM does not accept this API key: it was deleted, disabled or mistyped. Add a current key (a service ID's key is recommended)." });
  }
  return new IksError({ kind: "invalid", operation: "iam_token", status: res.status, ...(code ? { ibmCode: code } : {}), message: `IAM refused the token request (${code ?? res.status}).` });
}

/** One `POST /identity/token` as the CLI's client; the answer's lifetime measured on our clock. */
async function requestToken(tokenUrl: string, form: Record<string, string>, opts: { fetch: typeof fetch; timeoutMs: number; now: () => number }): Promise<Held> {
  let res: Response;
  try {
    res = await opts.fetch(tokenUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json", Authorization: CLI_CLIENT },
      body: new URLSearchParams({ ...form, response_type: "cloud_iam" }),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    throw new IksError({ kind: "unavailable", operation: "iam_token", message: timedOut ? "IAM did not answer in time." : "IAM could not be reached." });
  }
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = {};
  }
  if (!res.ok) throw tokenRequestError(res, body);
  const access = typeof body.access_token === "string" ? body.access_token : undefined;
  if (!access) throw new IksError({ kind: "invalid", operation: "iam_token", status: res.status, message: "IAM answered without an access token." });
  const issuedAt = opts.now();
  const expSeconds = typeof body.expiration === "number" ? body.expiration : jwtExpiry(access);
  const expiresIn = typeof body.expires_in === "number" ? body.expires_in : undefined;
  // The earlier of the two readings: `expires_in` (relative, immune to clock skew) and `expiration`
  // (absolute, whole seconds, so it may end up to a second before issuedAt + expires_in).
  const candidates = [expiresIn !== undefined ? issuedAt + expiresIn * 1000 : undefined, expSeconds !== undefined ? expSeconds * 1000 : undefined].filter((v): v is number => v !== undefined);
  const expiresAt = candidates.length > 0 ? Math.min(...candidates) : issuedAt;
  return { access, refresh: typeof body.refresh_token === "string" ? body.refresh_token : "not_supported", issuedAt, expiresAt };
}

class TokenKeeper implements IamTokenKeeper {
  private held: Held | null = null;
  private inflight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private lastError: IksError | null = null;
  private readonly state: TokenKeeperStatus = { state: "starting", expiresAt: null, lastRefreshedAt: null, refreshes: 0, consecutiveFailures: 0, lastError: null, nextAttemptAt: null };
  private readonly tokenUrl: string;
  private readonly now: () => number;
  private readonly renewAt: number;

  constructor(private readonly options: IamTokenKeeperOptions) {
    this.tokenUrl = `${options.iamUrl.replace(/\/+$/, "").replace(/\/identity\/token$/, "")}/identity/token`;
    this.now = options.now ?? Date.now;
    this.renewAt = options.renewAtFraction ?? 0.8;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.renew();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.state.nextAttemptAt = null;
  }

  status(): TokenKeeperStatus {
    return { ...this.state };
  }

  async accessToken(): Promise<string> {
    return (await this.current()).access;
  }

  async refreshToken(): Promise<string> {
    const h = await this.current();
    if (h.refresh === "not_supported") throw new IksError({ kind: "invalid", operation: "iam_token", message: "IAM issued no refresh token for this key." });
    return h.refresh;
  }

  /** Treated as expired a little before `exp` (10 s like IBM's SDKs, or 20 % of a shorter lifetime, so a request that waits in a queue still arrives in time). */
  private usable(h: Held | null): h is Held {
    return h !== null && this.now() < h.expiresAt - Math.min(10_000, (h.expiresAt - h.issuedAt) * 0.2);
  }

  private due(h: Held): number {
    return h.issuedAt + (h.expiresAt - h.issuedAt) * this.renewAt;
  }

  private async current(): Promise<Held> {
    const held = this.held;
    if (this.usable(held)) {
      // A renewal that is due but whose timer has not fired yet (a busy event loop) starts now, in the background.
      if (this.now() >= this.due(held) && !this.inflight) void this.renew().catch(() => undefined);
      return held;
    }
    // While renewal is backing off, callers get the last failure instead of each hitting IAM again.
    const next = this.state.nextAttemptAt;
    const backingOff = this.lastError !== null && next !== null && this.now() < next.getTime();
    if (!backingOff || this.inflight) {
      try {
        await this.renew();
      } catch {
        // Reported below: the question is only whether a usable token exists now.
      }
    }
    if (this.usable(this.held)) return this.held;
    throw this.lastError ?? new IksError({ kind: "unavailable", operation: "iam_token", message: "No IAM token is available." });
  }

  private async obtain(): Promise<Held> {
    const opts = { fetch: this.options.fetch ?? fetch, timeoutMs: this.options.timeoutMs ?? 10_000, now: this.now };
    if (this.held && this.held.refresh !== "not_supported") {
      try {
        return await requestToken(this.tokenUrl, { grant_type: "refresh_token", refresh_token: this.held.refresh }, opts);
      } catch (e) {
        // A refused refresh token (expired, or IAM forgot it) is not the end: the key gets a new session.
        if (!(e instanceof IksError) || e.kind === "unavailable" || e.kind === "rate_limited") throw e;
      }
    }
    return requestToken(this.tokenUrl, { grant_type: APIKEY_GRANT, apikey: this.options.apiKey }, opts);
  }

  private schedule(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.stopped) return;
    this.state.nextAttemptAt = new Date(at);
    this.timer = setTimeout(() => void this.renew().catch(() => undefined), Math.max(0, at - this.now()));
    this.timer.unref();
  }

  private renew(): Promise<void> {
    this.inflight ??= this.attempt().finally(() => {
      this.inflight = null;
      try {
        this.options.onChange?.(this.status());
      } catch {
        // An observer's bug must not stop renewal.
      }
    });
    return this.inflight;
  }

  private async attempt(): Promise<void> {
    try {
      const held = await this.obtain();
      this.held = held;
      this.lastError = null;
      Object.assign(this.state, { state: "fresh", expiresAt: new Date(held.expiresAt), lastRefreshedAt: new Date(held.issuedAt), refreshes: this.state.refreshes + 1, consecutiveFailures: 0, lastError: null });
      this.schedule(this.due(held));
    } catch (e) {
      const error = e instanceof IksError ? e : new IksError({ kind: "unavailable", operation: "iam_token", message: "IAM could not be reached." });
      this.lastError = error;
      this.state.consecutiveFailures += 1;
      this.state.lastError = error.message;
      this.state.state = error.kind === "unauthorized" || error.kind === "invalid" ? "failed" : "stale";
      const maxBackoff = this.options.maxBackoffMs ?? 60_000;
      const backoff = this.state.state === "failed" ? maxBackoff : Math.min(maxBackoff, (this.options.initialBackoffMs ?? 1000) * 2 ** (this.state.consecutiveFailures - 1));
      const retryAfter = Math.min((error.retryAfterSeconds ?? 0) * 1000, maxBackoff);
      this.schedule(this.now() + Math.max(backoff * (0.8 + Math.random() * 0.4), retryAfter));
      throw error;
    }
  }
}

export function createIamTokenKeeper(options: IamTokenKeeperOptions): IamTokenKeeper {
  return new TokenKeeper(options);
}
