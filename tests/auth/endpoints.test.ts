/**
 * better-auth's endpoints that would bypass Pullkeeper's password policy, input
 * validation and audit log are not served: only sign-in, sign-out, session and
 * the OpenID Connect callback are, through the handler app/api/auth uses.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER } from "@/lib/auth/client-address";
import { exposedAuthHandler } from "@/lib/auth/endpoints";
import { BASE_URL, applySetCookies, cookieHeader, createAuthHarness, type AuthHarness } from "./support";

const PASSWORD = "endpoint test passphrase";

describe("the /api/auth endpoints Pullkeeper serves", () => {
  let h: AuthHarness;
  let route: (request: Request) => Promise<Response>;
  const jar = new Map<string, string>();

  const call = async (method: string, path: string, body?: unknown) => {
    const headers = new Headers({ origin: BASE_URL, [CLIENT_ADDRESS_HEADER]: "198.51.100.9" });
    if (body !== undefined) headers.set("content-type", "application/json");
    if (jar.size > 0) headers.set("cookie", cookieHeader(jar));
    const response = await route(new Request(`${BASE_URL}/api/auth${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    applySetCookies(jar, response);
    return response;
  };

  beforeAll(async () => {
    h = await createAuthHarness("sqlite");
    route = exposedAuthHandler((request) => h.service.auth.handler(request));
    await h.service.users.createLocalUser({ email: "ada@example.com", name: "Ada", role: "viewer", clusters: null, password: PASSWORD });
  });
  afterAll(async () => h?.close());

  it("signs in, reads the session and signs out", async () => {
    expect((await call("POST", "/sign-in/email", { email: "ada@example.com", password: PASSWORD })).status).toBe(200);
    const session = await call("GET", "/get-session");
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ user: { email: "ada@example.com" } });
  });

  it("refuses a signed-in user's password change (policy bypass) and profile change (markup in the name), changing nothing", async () => {
    const change = await call("POST", "/change-password", { currentPassword: PASSWORD, newPassword: "a", revokeOtherSessions: false });
    expect(change.status).toBe(404);
    const update = await call("POST", "/update-user", { name: "<img src=x onerror=alert(1)>" });
    expect(update.status).toBe(404);
    const user = await h.connection.prisma.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    expect(user.name).toBe("Ada");
    // The old password still works: nothing was changed.
    const again = new Map<string, string>();
    const response = await h.service.auth.handler(
      new Request(`${BASE_URL}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { origin: BASE_URL, "content-type": "application/json", [CLIENT_ADDRESS_HEADER]: "198.51.100.10" },
        body: JSON.stringify({ email: "ada@example.com", password: PASSWORD }),
      }),
    );
    applySetCookies(again, response);
    expect(response.status).toBe(200);
  });

  it("serves none of better-auth's other endpoints", async () => {
    for (const [method, path] of [
      ["POST", "/sign-up/email"],
      ["POST", "/change-email"],
      ["POST", "/delete-user"],
      ["GET", "/list-sessions"],
      ["POST", "/revoke-sessions"],
      ["GET", "/list-accounts"],
      ["POST", "/request-password-reset"],
      ["POST", "/sign-in/social"],
      ["GET", "/sign-out"],
    ] as const) {
      expect((await call(method, path, method === "POST" ? {} : undefined)).status, `${method} ${path}`).toBe(404);
    }
    expect((await call("POST", "/sign-out", {})).status).toBe(200);
  });
});
