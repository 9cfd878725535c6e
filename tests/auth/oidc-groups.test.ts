import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGroupRoles } from "@/lib/auth/oidc-groups";
import { toSessionUser } from "@/lib/auth/users";
import { authRequest, BASE_URL, createAuthHarness, sessionUser, type AuthHarness } from "./support";
import { followProvider, startTestIdp, type IdpUser, type TestIdp } from "./oidc-idp";

const CALLBACK = `${BASE_URL}/api/auth/callback/oidc`;
const MAPPING = "platform-admins=admin;team-a=operator:cluster1,cluster2;everyone=viewer";

async function singleSignOn(h: AuthHarness, idp: TestIdp, user: IdpUser) {
  idp.setUser(user);
  const jar = new Map<string, string>();
  const start = await authRequest(h.service, "/sign-in/social", { body: { provider: "oidc", callbackURL: "/" }, jar });
  const { url } = (await start.json()) as { url: string };
  expect(new URL(url).searchParams.get("scope")?.split(" ")).toContain("groups");
  const back = await followProvider(url, CALLBACK, new Map());
  const callback = await authRequest(h.service, back.slice(`${BASE_URL}/api/auth`.length), { jar });
  expect(callback.headers.get("location")).toBe("/");
  return jar;
}

describe("single sign-on roles from the provider's groups (AUTH_OIDC_GROUP_ROLES)", () => {
  let idp: TestIdp;
  let h: AuthHarness;

  beforeAll(async () => {
    idp = await startTestIdp(CALLBACK);
    const oidc = { providerId: "oidc" as const, issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, name: "Test IdP" };
    h = await createAuthHarness("sqlite", { config: { oidc: { ...oidc, createUsers: true, groupRoles: parseGroupRoles(MAPPING).rules, groupsClaim: "groups" } } });
  });

  afterAll(async () => {
    await h?.close();
    await idp?.close();
  });

  it("signs a member of mapped groups in with the most privileged role on that role's clusters, and follows group changes", async () => {
    const jar = await singleSignOn(h, idp, { sub: "g-1", email: "ana@example.com", name: "Ana", groups: ["everyone", "team-a"] });
    const user = await sessionUser(h.service, jar);
    expect(toSessionUser(user!)).toMatchObject({ email: "ana@example.com", role: "operator", clusters: ["cluster1", "cluster2"] });

    const promoted = await singleSignOn(h, idp, { sub: "g-1", email: "ana@example.com", name: "Ana", groups: ["platform-admins"] });
    expect(toSessionUser((await sessionUser(h.service, promoted))!)).toMatchObject({ role: "admin", clusters: null });
  });

  it("leaves a user with no mapped group pending, with no access, until an admin approves", async () => {
    const jar = await singleSignOn(h, idp, { sub: "g-2", email: "cy@example.com", name: "Cy", groups: ["contractors"] });
    const user = await sessionUser(h.service, jar);
    expect(user).toMatchObject({ email: "cy@example.com", role: "pending" });
    expect(toSessionUser(user!)).toBeNull();
    const listed = await h.service.users.findByEmail("cy@example.com");
    expect(listed).toMatchObject({ pending: true, active: true });

    await h.service.users.approve(listed!.id, "viewer", ["cluster2"]);
    expect(toSessionUser((await sessionUser(h.service, jar))!)).toMatchObject({ role: "viewer", clusters: ["cluster2"] });
    // Still no mapped group at the next sign-in: the admin's choice stands.
    const again = await singleSignOn(h, idp, { sub: "g-2", email: "cy@example.com", name: "Cy", groups: [] });
    expect(toSessionUser((await sessionUser(h.service, again))!)).toMatchObject({ role: "viewer", clusters: ["cluster2"] });
    await expect(h.service.users.approve(listed!.id, "admin", null)).rejects.toThrow(/not waiting for approval/);
  });
});
