import { connectDatabase, type DatabaseConnection } from "@/lib/db/client";
import type { DatabaseProvider } from "@/lib/db/database-url";
import { CLIENT_ADDRESS_HEADER } from "@/lib/auth/client-address";
import type { AuthConfig } from "@/lib/auth/config";
import { composeAuthService, type AuthService } from "@/lib/auth/service";
import type { ThrottleRules } from "@/lib/auth/throttle";
import { createMigratedDatabase, type ScratchDatabase } from "../support/databases";

export const TEST_SECRET = "test-secret-0123456789abcdef0123456789abcdef";
export const BASE_URL = "http://pullkeeper.test";

export function testConfig(overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    secret: TEST_SECRET,
    baseURL: BASE_URL,
    trustedOrigins: [],
    sessionTtlSeconds: 3600,
    oidc: null,
    demo: false,
    dataDir: "/nonexistent",
    production: false,
    ...overrides,
  };
}

export interface AuthHarness {
  service: AuthService;
  connection: DatabaseConnection;
  scratch: ScratchDatabase;
  logs: Array<{ level: string; message: string; detail: unknown }>;
  /** Moves the throttle's clock (of every replica). */
  advance(ms: number): void;
  /**
   * Another server process on the same database: its own connection and auth
   * service, the same configuration and clock. Closed with the harness.
   */
  replica(): Promise<AuthService>;
  close(): Promise<void>;
}

export async function createAuthHarness(
  provider: DatabaseProvider,
  options: { config?: Partial<AuthConfig>; throttle?: ThrottleRules } = {},
): Promise<AuthHarness> {
  const { scratch, connection } = await createMigratedDatabase(provider);
  let offset = 0;
  const logs: AuthHarness["logs"] = [];
  const compose = (database: DatabaseConnection) =>
    composeAuthService({
      config: testConfig(options.config),
      prisma: database.prisma,
      provider: database.provider,
      throttle: { rules: options.throttle, now: () => Date.now() + offset },
      log: (level, message, detail) => logs.push({ level, message, detail }),
    });
  const replicaConnections: DatabaseConnection[] = [];
  return {
    service: compose(connection),
    connection,
    scratch,
    logs,
    advance: (ms) => (offset += ms),
    replica: async () => {
      const replicaConnection = await connectDatabase(scratch.target);
      replicaConnections.push(replicaConnection);
      return compose(replicaConnection);
    },
    close: async () => {
      for (const replicaConnection of replicaConnections) await replicaConnection.close();
      await connection.close();
      await scratch.drop();
    },
  };
}

/** `name=value` pairs of a response's Set-Cookie headers, merged into a jar (deleted cookies removed). */
export function applySetCookies(jar: Map<string, string>, response: Response | Headers): Map<string, string> {
  const headers = response instanceof Response ? response.headers : response;
  for (const line of headers.getSetCookie()) {
    const [pair, ...attributes] = line.split(";");
    const index = pair!.indexOf("=");
    const name = pair!.slice(0, index).trim();
    const value = pair!.slice(index + 1).trim();
    const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute)) || value === "";
    if (expired) jar.delete(name);
    else jar.set(name, value);
  }
  return jar;
}

export function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}

/** Calls the auth HTTP handler like a browser on the app's origin would. */
export async function authRequest(
  service: AuthService,
  path: string,
  init: { method?: string; body?: unknown; jar?: Map<string, string>; address?: string } = {},
): Promise<Response> {
  const headers = new Headers({ origin: BASE_URL });
  if (init.body !== undefined) headers.set("content-type", "application/json");
  if (init.jar && init.jar.size > 0) headers.set("cookie", cookieHeader(init.jar));
  // What the HTTP server stamps from the socket (lib/auth/client-address-stamp.ts).
  if (init.address) headers.set(CLIENT_ADDRESS_HEADER, init.address);
  const response = await service.auth.handler(
    new Request(`${BASE_URL}/api/auth${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
  );
  if (init.jar) applySetCookies(init.jar, response);
  return response;
}

export async function signIn(service: AuthService, email: string, password: string, address = "198.51.100.1") {
  const jar = new Map<string, string>();
  const response = await authRequest(service, "/sign-in/email", { body: { email, password }, jar, address });
  return { response, jar };
}

export async function sessionUser(service: AuthService, jar: Map<string, string>) {
  const session = await service.auth.api.getSession({ headers: new Headers({ cookie: cookieHeader(jar) }) });
  return session?.user ?? null;
}
