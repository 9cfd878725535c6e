/**
 * Who may do what to a keeping rule, through the server actions as the pages
 * call them: a viewer cannot create one, an operator can pause and resume but
 * not edit or delete, an admin limited to some clusters cannot create one (a
 * rule may span the fleet), bad input changes nothing, and an admin saves only
 * the values whose blast radius they just previewed. The Next request
 * scope is stood in for as in tests/notifications/admin-actions.test.ts.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const request = vi.hoisted(() => {
  const dir = `/tmp/pullkeeper-rule-actions-${process.pid}-${Date.now()}`;
  process.env.DATABASE_URL = `file:${dir}/pullkeeper.db`;
  process.env.AUTH_SECRET = "rule-actions-test-secret-0123456789abcdef";
  process.env.PULLKEEPER_PUBLIC_URL = "http://pullkeeper.test";
  process.env.LOG_LEVEL = "silent";
  return { dir, headers: new Headers(), cookies: new Map<string, string>() };
});

vi.mock("next/headers", async () => (await import("../support/next-request")).nextHeaders(request));

vi.mock("next/cache", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/cache")>()), revalidatePath: () => undefined }));

import { createRuleAction } from "@/lib/actions/rules/create-rule";
import { deleteRuleAction } from "@/lib/actions/rules/delete-rule";
import { pauseRuleAction } from "@/lib/actions/rules/pause-rule";
import { previewRuleBlastRadiusAction } from "@/lib/actions/rules/preview-rule-blast-radius";
import { resumeRuleAction } from "@/lib/actions/rules/resume-rule";
import { updateRuleAction } from "@/lib/actions/rules/update-rule";
import { fieldsOfRule, ruleDraftSchema, type RuleFormFields } from "@/lib/actions/rules/rule-form";
import { PATH_HEADER } from "@/lib/auth/paths";
import type { Role } from "@/lib/auth/permissions";
import { authService } from "@/lib/auth/service";
import { database } from "@/lib/db";
import { ruleSpecSchema } from "@/lib/rules/spec";
import { serverRoot } from "@/lib/server/root";
import { signRulePreview } from "@/lib/server/rule-service";

const PASSWORD = "rule actions test passphrase";
const ACCOUNTS: Record<string, { role: Role; clusters: string[] | null }> = {
  "rules-viewer@example.com": { role: "viewer", clusters: null },
  "rules-operator@example.com": { role: "operator", clusters: null },
  "rules-limited-admin@example.com": { role: "admin", clusters: ["regional"] },
  "rules-admin@example.com": { role: "admin", clusters: null },
  "rules-second-admin@example.com": { role: "admin", clusters: null },
};
const sessions = new Map<string, Headers>();

async function as(email: string): Promise<void> {
  request.headers = sessions.get(email)!;
}

const spec = ruleSpecSchema.parse({ clusters: { mode: "list", names: ["regional"] }, namespaces: { match: { mode: "all" } }, registries: ["icr.io"], source: { secrets: ["default-icr-io"] }, serviceAccounts: { mode: "default" } });
let ruleId = "";

beforeAll(async () => {
  const { users, auth } = await authService();
  for (const [email, account] of Object.entries(ACCOUNTS)) {
    await users.createLocalUser({ email, name: email, role: account.role, clusters: account.clusters, password: PASSWORD });
    const { headers } = await auth.api.signInEmail({ body: { email, password: PASSWORD }, returnHeaders: true });
    sessions.set(email, new Headers({ cookie: headers.getSetCookie().map((line) => line.split(";")[0]).join("; "), [PATH_HEADER]: "/rules", "x-pullkeeper-client-address": "198.51.100.7" }));
  }
  ruleId = (await (await serverRoot().rules()).create({ name: "icr-everywhere", description: "", mode: "report", spec }, "setup@example.com")).id;
});

afterAll(async () => {
  await (await serverRoot().jobs()).stop(1_000);
  await (await database()).close();
  fs.rmSync(request.dir, { recursive: true, force: true });
});

const stored = async () => (await serverRoot().rules()).get(ruleId);
const form = (name: string) => fieldsOfRule({ name, description: "", mode: "enforce", spec }) as RuleFormFields;

describe("keeping rule actions by role", () => {
  it("refuses a viewer who tries to create a rule, and creates nothing", async () => {
    await as("rules-viewer@example.com");
    expect(await createRuleAction(form("viewer-made"))).toMatchObject({ ok: false, error: expect.stringMatching(/viewer/i) });
    expect(await pauseRuleAction({ ruleId })).toMatchObject({ ok: false });
    expect((await (await serverRoot().rules()).list()).map((rule) => rule.name)).toEqual(["icr-everywhere"]);
  });

  it("lets an operator pause and resume a rule, but not edit or delete it", async () => {
    await as("rules-operator@example.com");
    expect(await pauseRuleAction({ ruleId })).toMatchObject({ ok: true, data: { paused: true } });
    expect((await stored())?.paused).toBe(true);
    expect(await resumeRuleAction({ ruleId })).toMatchObject({ ok: true, data: { paused: false } });
    const before = await stored();
    expect(await updateRuleAction({ ...form("icr-everywhere"), ruleId, expectedVersion: before!.version })).toMatchObject({ ok: false });
    expect(await deleteRuleAction({ ruleId })).toMatchObject({ ok: false });
    expect(await stored()).toMatchObject({ mode: "report", version: before!.version });
  });

  it("refuses an admin limited to some clusters: a rule is the fleet's", async () => {
    await as("rules-limited-admin@example.com");
    expect(await createRuleAction(form("limited-made"))).toMatchObject({ ok: false, error: expect.stringMatching(/limited to some clusters/) });
    expect(await (await serverRoot().rules()).getByName("limited-made")).toBeNull();
    // It may pause a rule whose clusters are all its own, but not one that also acts on others.
    const fleetWide = await (await serverRoot().rules()).create({ name: "fleet-wide", description: "", mode: "report", spec: { ...spec, clusters: { mode: "all" } } }, "admin@example.com");
    expect(await pauseRuleAction({ ruleId: fleetWide.id })).toMatchObject({ ok: false, error: expect.stringMatching(/cannot pause and resume keeping rules/) });
    expect((await (await serverRoot().rules()).get(fleetWide.id))?.paused).toBe(false);
    expect(await pauseRuleAction({ ruleId })).toMatchObject({ ok: true, data: { paused: true } });
    expect(await resumeRuleAction({ ruleId })).toMatchObject({ ok: true, data: { paused: false } });
    await (await serverRoot().rules()).remove(fleetWide.id);
  });

  it("answers bad input with field errors before anything else, even for a permitted role", async () => {
    await as("rules-operator@example.com");
    expect(await pauseRuleAction({ ruleId: "" })).toMatchObject({ ok: false, fieldErrors: { ruleId: expect.any(Array) } });
    expect(await pauseRuleAction({ ruleId: "no-such-rule" })).toEqual({ ok: false, error: "That keeping rule no longer exists; reload the page." });
  });
});

describe("saving a keeping rule after previewing its blast radius", () => {
  const previewOf = async (fields: RuleFormFields & { ruleId?: string }) => {
    const result = await previewRuleBlastRadiusAction(fields);
    if (!result.ok) throw new Error(result.error);
    expect(result.data.radius.totals).toBeDefined();
    return result.data.previewToken;
  };

  it("refuses a rule never previewed, or whose values differ from the preview, and saves nothing; the previewed values save", async () => {
    await as("rules-admin@example.com");
    expect(await createRuleAction(form("previewed"))).toEqual({ ok: false, error: "Preview the blast radius of these values before saving them. Nothing was saved." });
    const previewToken = await previewOf(form("previewed"));
    const widened = { ...form("previewed"), registries: "icr.io\nus.icr.io", previewToken };
    expect(await createRuleAction(widened)).toMatchObject({ ok: false, error: expect.stringMatching(/^These values differ from the ones whose blast radius you previewed.*Nothing was saved\.$/) });
    expect(await createRuleAction({ ...form("previewed"), mode: "report", previewToken })).toMatchObject({ ok: false, error: expect.stringMatching(/differ from the ones/) });
    expect(await createRuleAction({ ...form("previewed"), previewToken: `${previewToken}x` })).toMatchObject({ ok: false, error: expect.stringMatching(/differ from the ones/) });
    expect(await (await serverRoot().rules()).getByName("previewed")).toBeNull();
    expect(await createRuleAction({ ...form("previewed"), previewToken })).toMatchObject({ ok: true, data: { name: "previewed" } });
  });

  it("refuses another admin's preview, a stale one, and a new rule's preview used to edit an existing rule", async () => {
    await as("rules-second-admin@example.com");
    const theirs = await previewOf(form("second"));
    await as("rules-admin@example.com");
    expect(await createRuleAction({ ...form("second"), previewToken: theirs })).toMatchObject({ ok: false, error: expect.stringMatching(/differ from the ones/) });
    const admin = { id: "admin", email: "rules-admin@example.com", name: "admin", role: "admin" as const, clusters: null };
    const stale = signRulePreview(admin, ruleDraftSchema.parse(form("second")), null, Date.now() - 16 * 60_000);
    expect(await createRuleAction({ ...form("second"), previewToken: stale })).toMatchObject({ ok: false, error: expect.stringMatching(/more than 15 minutes old.*Nothing was saved\.$/) });
    expect(await (await serverRoot().rules()).getByName("second")).toBeNull();

    const before = (await stored())!;
    const edited = { ...form("icr-everywhere"), description: "edited after a preview" };
    const forNewRule = await previewOf(edited);
    expect(await updateRuleAction({ ...edited, ruleId, expectedVersion: before.version, previewToken: forNewRule })).toMatchObject({ ok: false, error: expect.stringMatching(/differ from the ones/) });
    expect(await stored()).toMatchObject({ version: before.version, description: "" });
    const forThisRule = await previewOf({ ...edited, ruleId });
    expect(await updateRuleAction({ ...edited, ruleId, expectedVersion: before.version, previewToken: forThisRule })).toMatchObject({ ok: true, data: { version: before.version + 1 } });
    expect(await stored()).toMatchObject({ description: "edited after a preview", mode: "enforce" });
  });
});
