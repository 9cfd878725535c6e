import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authRequest, BASE_URL, createAuthHarness, sessionUser, type AuthHarness } from "./support";
import { toSessionUser } from "@/lib/auth/users";
import { followProvider, startTestIdp, type IdpUser, type TestIdp } from "./oidc-idp";

const CALLBACK = `${BASE_URL}/api/auth/callback/oidc`;

/** Runs the whole browser journey: Pullkeeper → provider → callback. Returns the final redirect and the app's cookies. */
async function singleSignOn(h: AuthHarness, idp: TestIdp, user: IdpUser) {
  idp.setUser(user);
  const jar = new Map<string, string>();
  const start = await authRequest(h.service, "/sign-in/social", {
    body: { provider: "oidc", callbackURL: "/audit", errorCallbackURL: "/sign-in?error=sso" },
    jar,
  });
  expect(start.status).toBe(200);
  const { url } = (await start.json()) as { url: string };
  const authorize = new URL(url);
  expect(authorize.origin).toBe(idp.issuer);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("nonce")).toBeTruthy();
  const back = await followProvider(url, CALLBACK, new Map());
  const callback = await authRequest(h.service, back.slice(`${BASE_URL}/api/auth`.length), { jar });
  return { callback, jar, location: callback.headers.get("location") ?? "" };
}

describe("single sign-on through an OpenID Connect provider", () => {
  let idp: TestIdp;
  let open: AuthHarness;
  let closed: AuthHarness;

  beforeAll(async () => {
    idp = await startTestIdp(CALLBACK);
    const oidc = { providerId: "oidc" as const, issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, name: "Test IdP", groupRoles: [], groupsClaim: "groups" };
    open = await createAuthHarness("sqlite", { config: { oidc: { ...oidc, createUsers: true } } });
    closed = await createAuthHarness("sqlite", { config: { oidc: { ...oidc, createUsers: false } } });
  });

  afterAll(async () => {
    await open?.close();
    await closed?.close();
    await idp?.close();
  });

  it("signs a new person in with no access (pending an admin's approval) and keeps none of the provider's tokens", async () => {
    const { callback, jar, location } = await singleSignOn(open, idp, { sub: "u-100", email: "Nia@Example.com", name: "Nia Nakamura" });
    expect(callback.status).toBe(302);
    expect(location).toBe("/audit");
    const user = await sessionUser(open.service, jar);
    expect(user).toMatchObject({ email: "nia@example.com", name: "Nia Nakamura", role: "pending", clusters: null });
    expect(toSessionUser(user!)).toBeNull();
    const account = await open.connection.prisma.account.findFirstOrThrow({ where: { providerId: "oidc" } });
    expect(account.accountId).toBe("u-100");
    expect(account).toMatchObject({ idToken: null, accessToken: null, refreshToken: null });
    // A second sign-in updates the account row; the tokens must stay out of it too.
    const again = await singleSignOn(open, idp, { sub: "u-100", email: "nia@example.com", name: "Nia Nakamura" });
    expect(again.location).toBe("/audit");
    expect(await open.connection.prisma.account.findFirstOrThrow({ where: { providerId: "oidc" } })).toMatchObject({ idToken: null, accessToken: null });
  });

  it("links the provider identity to a user an admin created with the same email, keeping their role", async () => {
    await open.service.users.createLocalUser({ email: "omar@example.com", name: "Omar", role: "operator", clusters: ["regional"], password: "a long enough passphrase one" });
    const { jar } = await singleSignOn(open, idp, { sub: "u-200", email: "omar@example.com", name: "Omar O." });
    expect(await sessionUser(open.service, jar)).toMatchObject({ email: "omar@example.com", role: "operator", clusters: '["regional"]' });
    const user = await open.service.users.findByEmail("omar@example.com");
    expect(user?.signInMethods).toEqual(["password", "sso"]);
  });

  it("does not link an identity whose email the provider has not verified", async () => {
    await open.service.users.createLocalUser({ email: "pat@example.com", name: "Pat", role: "admin", clusters: null, password: "a long enough passphrase two" });
    const { jar, location } = await singleSignOn(open, idp, { sub: "u-300", email: "pat@example.com", name: "Mallory", emailVerified: false });
    expect(location).toMatch(/^\/sign-in\?error=/);
    expect(await sessionUser(open.service, jar)).toBeNull();
    expect((await open.service.users.findByEmail("pat@example.com"))?.signInMethods).toEqual(["password"]);
  });

  it("refuses a deactivated user", async () => {
    const user = await open.service.users.findByEmail("nia@example.com");
    await open.service.users.deactivate(user!.id);
    const { jar, location } = await singleSignOn(open, idp, { sub: "u-100", email: "nia@example.com", name: "Nia Nakamura" });
    expect(location).toMatch(/^\/sign-in\?error=/);
    expect(await sessionUser(open.service, jar)).toBeNull();
  });

  it("with AUTH_OIDC_CREATE_USERS=false, admits only people an admin added first", async () => {
    const { jar, location } = await singleSignOn(closed, idp, { sub: "u-400", email: "stranger@example.com", name: "Stranger" });
    expect(location).toMatch(/^\/sign-in\?error=/);
    expect(await sessionUser(closed.service, jar)).toBeNull();
    expect(await closed.service.users.count()).toBe(0);

    await closed.service.users.createLocalUser({ email: "known@example.com", name: "Known", role: "viewer", clusters: null, password: "a long enough passphrase three" });
    const known = await singleSignOn(closed, idp, { sub: "u-500", email: "known@example.com", name: "Known" });
    expect(known.location).toBe("/audit");
    expect(await sessionUser(closed.service, known.jar)).toMatchObject({ email: "known@example.com" });
  });

  it("rejects a callback whose state was not issued to this browser", async () => {
    idp.setUser({ sub: "u-600", email: "victim@example.com", name: "Victim" });
    const attackerJar = new Map<string, string>();
    const start = await authRequest(open.service, "/sign-in/social", { body: { provider: "oidc", callbackURL: "/" }, jar: attackerJar });
    const { url } = (await start.json()) as { url: string };
    const back = await followProvider(url, CALLBACK, new Map());
    // The victim's browser has no state cookie for this flow.
    const victimJar = new Map<string, string>();
    const callback = await authRequest(open.service, back.slice(`${BASE_URL}/api/auth`.length), { jar: victimJar });
    expect(callback.headers.get("location") ?? "").toMatch(/error/);
    expect(await sessionUser(open.service, victimJar)).toBeNull();
  });
});
