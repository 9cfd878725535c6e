import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS } from "../support/databases";
import { createAuthHarness, sessionUser, signIn, type AuthHarness } from "./support";

const PASSWORD = "a sturdy admin passphrase";

describe.each(PROVIDERS)("first-run setup and user management on %s", (provider) => {
  let h: AuthHarness;

  beforeAll(async () => {
    h = await createAuthHarness(provider);
  });

  afterAll(async () => h?.close());

  it("creates the first admin with the printed token exactly once", async () => {
    expect(await h.service.setup.needed()).toBe(true);
    const token = await h.service.setup.issueToken();
    expect(token).toMatch(/^pk_setup_/);
    // One token per process: a second call does not print another.
    expect(await h.service.setup.issueToken()).toBeNull();
    const stored = await h.connection.prisma.authSetupToken.findMany();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).not.toContain(token!.slice(9));

    await expect(h.service.setup.complete({ token: "pk_setup_wrong", email: "root@example.com", name: "Root", password: PASSWORD })).rejects.toMatchObject({ kind: "unauthorized" });
    // A weak password is refused before the token is spent.
    await expect(h.service.setup.complete({ token: token!, email: "root@example.com", name: "Root", password: "short" })).rejects.toMatchObject({ kind: "invalid" });

    // Two concurrent uses: exactly one wins.
    const results = await Promise.allSettled([
      h.service.setup.complete({ token: token!, email: "root@example.com", name: "Root", password: PASSWORD }),
      h.service.setup.complete({ token: token!, email: "root2@example.com", name: "Root Two", password: PASSWORD }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await h.service.users.count()).toBe(1);
    const admin = (await h.service.users.list())[0]!;
    expect(admin).toMatchObject({ role: "admin", clusters: null, active: true, signInMethods: ["password"] });

    await expect(h.service.setup.complete({ token: token!, email: "late@example.com", name: "Late", password: PASSWORD })).rejects.toMatchObject({ kind: "conflict" });
    expect(await h.service.setup.needed()).toBe(false);
    const { response } = await signIn(h.service, admin.email, PASSWORD);
    expect(response.status).toBe(200);
  });

  it("refuses an expired token", async () => {
    const fresh = await createAuthHarness(provider);
    try {
      const token = await fresh.service.setup.issueToken();
      await fresh.connection.prisma.authSetupToken.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
      await expect(fresh.service.setup.complete({ token: token!, email: "a@example.com", name: "A", password: PASSWORD })).rejects.toMatchObject({ kind: "unauthorized" });
      expect(await fresh.service.users.count()).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it("never leaves the installation without an unrestricted active admin", async () => {
    const [admin] = await h.service.users.list();
    await expect(h.service.users.changeRole(admin!.id, "operator")).rejects.toMatchObject({ kind: "conflict" });
    await expect(h.service.users.deactivate(admin!.id)).rejects.toMatchObject({ kind: "conflict" });
    await expect(h.service.users.setClusters(admin!.id, ["regional"])).rejects.toMatchObject({ kind: "conflict" });
    const second = await h.service.users.createLocalUser({ email: "second@example.com", name: "Second", role: "admin", clusters: null, password: PASSWORD });
    const demoted = await h.service.users.changeRole(admin!.id, "operator");
    expect(demoted.role).toBe("operator");
    await h.service.users.changeRole(admin!.id, "admin");
    expect((await h.service.users.get(second.id))?.role).toBe("admin");
  });

  it("applies role and cluster changes to live sessions on their next request", async () => {
    const user = await h.service.users.createLocalUser({ email: "v@example.com", name: "Vee", role: "viewer", clusters: null, password: PASSWORD });
    const { jar } = await signIn(h.service, "v@example.com", PASSWORD, "198.51.100.20");
    expect((await sessionUser(h.service, jar))?.role).toBe("viewer");
    await h.service.users.changeRole(user.id, "operator");
    await h.service.users.setClusters(user.id, ["modern", "regional", "modern"]);
    const after = await sessionUser(h.service, jar);
    expect(after).toMatchObject({ role: "operator", clusters: '["modern","regional"]' });
  });

  it("lets an admin set a password, which signs the user out everywhere", async () => {
    const user = await h.service.users.findByEmail("v@example.com");
    const { jar } = await signIn(h.service, "v@example.com", PASSWORD, "198.51.100.21");
    await h.service.users.setPassword(user!.id, "a different long passphrase");
    expect(await sessionUser(h.service, jar)).toBeNull();
    expect((await signIn(h.service, "v@example.com", PASSWORD, "198.51.100.21")).response.status).toBe(401);
    expect((await signIn(h.service, "v@example.com", "a different long passphrase", "198.51.100.21")).response.status).toBe(200);
  });
});
