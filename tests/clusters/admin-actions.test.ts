/**
 * The clusters page's server actions as people call them (SQLite; tests/clusters/admin.test.ts runs the operations
 * on both databases): an operator and a viewer are refused and nothing changes, bad labels come back as field
 * errors naming each problem, an unknown cluster or a stale version changes nothing, and an uploaded kubeconfig
 * whose server the outbound rules refuse is refused before the cluster is contacted. The Next request scope is
 * stood in for as in tests/notifications/admin-actions.test.ts.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const request = vi.hoisted(() => {
  const dir = `/tmp/pullkeeper-cluster-actions-${process.pid}-${Date.now()}`;
  process.env.DATABASE_URL = `file:${dir}/pullkeeper.db`;
  process.env.AUTH_SECRET = "cluster-actions-test-secret-0123456789abcdef";
  process.env.PULLKEEPER_PUBLIC_URL = "http://pullkeeper.test";
  process.env.KUBECONFIG = `${dir}/kubeconfig`;
  process.env.PULLKEEPER_ENCRYPTION_KEY = Buffer.alloc(32, 5).toString("base64");
  process.env.LOG_LEVEL = "silent";
  return { dir, headers: new Headers(), cookies: new Map<string, string>() };
});

vi.mock("next/headers", async () => (await import("../support/next-request")).nextHeaders(request));
vi.mock("next/cache", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/cache")>()), revalidatePath: () => undefined }));

import { previewClusterRegistrationAction } from "@/lib/actions/clusters/preview-cluster-registration";
import { removeClusterAction } from "@/lib/actions/clusters/remove-cluster";
import { setClusterDisabledAction } from "@/lib/actions/clusters/set-cluster-disabled";
import { testClusterConnectionAction } from "@/lib/actions/clusters/test-cluster-connection";
import { updateClusterDetailsAction } from "@/lib/actions/clusters/update-cluster-details";
import { auditStore } from "@/lib/audit";
import type { Role } from "@/lib/auth/permissions";
import { PATH_HEADER } from "@/lib/auth/paths";
import { authService } from "@/lib/auth/service";
import { database } from "@/lib/db";
import { ruleSpecSchema } from "@/lib/rules/spec";
import { serverRoot } from "@/lib/server/root";
import { startKubeSim, type KubeSim } from "@/sim/kube";
import { smallClusterObjects } from "../kube/support";

const PASSWORD = "cluster actions test passphrase";
let sim: KubeSim;
const created = new Set<Role>();

async function signInAs(role: Role): Promise<string> {
  const email = `${role}-clusters@example.com`;
  const { users, auth } = await authService();
  if (!created.has(role)) await users.createLocalUser({ email, name: role, role, clusters: null, password: PASSWORD });
  created.add(role);
  const { headers } = await auth.api.signInEmail({ body: { email, password: PASSWORD }, returnHeaders: true });
  request.headers = new Headers({ cookie: headers.getSetCookie().map((line) => line.split(";")[0]).join("; "), [PATH_HEADER]: "/admin/clusters", "x-pullkeeper-client-address": "198.51.100.7" });
  return email;
}

beforeAll(async () => {
  fs.mkdirSync(request.dir, { recursive: true });
  sim = await startKubeSim({ name: "sim", objects: smallClusterObjects() });
  fs.writeFileSync(process.env.KUBECONFIG!, sim.kubeconfig({ user: "admin", contextName: "kc-prod" }));
});

afterAll(async () => {
  (await serverRoot().clusterConnections()).stop();
  serverRoot().ports().close();
  await (await serverRoot().jobs()).stop(1_000);
  await (await database()).close();
  await sim?.close();
  fs.rmSync(request.dir, { recursive: true, force: true });
});

const storedRow = async (name: string) => (await serverRoot().clusterStore()).getCluster(name);

describe("clusters page actions", () => {
  it("refuses operators and viewers, auditing the denial, and changes nothing", async () => {
    for (const role of ["operator", "viewer"] as const) {
      const email = await signInAs(role);
      for (const result of [
        await updateClusterDetailsAction({ cluster: "kc-prod", displayName: "x", labels: "env=prod", expectedVersion: 0 }),
        await setClusterDisabledAction({ cluster: "kc-prod", disabled: "true", expectedVersion: 0 }),
        await removeClusterAction({ cluster: "kc-prod", expectedVersion: 0 }),
        await testClusterConnectionAction({ cluster: "kc-prod" }),
      ]) {
        expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/cannot change settings/) });
      }
      const denied = await (await auditStore()).listOperations({ actor: email, kind: "access_denied" }, { limit: 10 });
      expect(denied.items).toHaveLength(4);
    }
    expect(await storedRow("kc-prod")).toBeNull();
    expect(serverRoot().ports().kube.listClusters().map((c) => c.name)).toContain("kc-prod");
  });

  it("returns each invalid label as a field error and saves nothing; then saves valid ones", async () => {
    await signInAs("admin");
    const bad = await updateClusterDetailsAction({ cluster: "kc-prod", displayName: "Prod", labels: `env=prod\n-bad=1\nregion=${"x".repeat(64)}`, expectedVersion: 0 });
    expect(bad).toMatchObject({ ok: false, fieldErrors: { labels: [expect.stringContaining('"-bad"'), expect.stringMatching(/^Label "region": .*64 characters \(at most 63\)/)] } });
    expect(await storedRow("kc-prod")).toBeNull();

    const form = new FormData();
    form.set("cluster", "kc-prod");
    form.set("displayName", "Prod");
    form.set("labels", "env=prod, region=eu-de");
    form.set("expectedVersion", "0");
    expect(await updateClusterDetailsAction(null, form)).toMatchObject({ ok: true, data: { cluster: "kc-prod", version: 1 } });
    expect(await storedRow("kc-prod")).toMatchObject({ displayName: "Prod", labels: { env: "prod", region: "eu-de" }, version: 1 });

    const stale = await updateClusterDetailsAction({ cluster: "kc-prod", displayName: "Other", labels: "env=dev", expectedVersion: 0 });
    expect(stale).toMatchObject({ ok: false, error: expect.stringMatching(/changed the cluster "kc-prod" since you opened it/) });
    const unknown = await setClusterDisabledAction({ cluster: "nowhere", disabled: "true", expectedVersion: 0 });
    expect(unknown).toMatchObject({ ok: false, error: expect.stringContaining('No cluster is named "nowhere"') });
    expect(await storedRow("nowhere")).toBeNull();
    expect(await storedRow("kc-prod")).toMatchObject({ displayName: "Prod", version: 1 });
  });

  it("disables a kubeconfig context at once and explains why it cannot be removed", async () => {
    await signInAs("admin");
    expect(await setClusterDisabledAction({ cluster: "kc-prod", disabled: "true", expectedVersion: 1 })).toMatchObject({ ok: true, data: { disabled: true, version: 2 } });
    expect(serverRoot().ports().kube.listClusters().map((c) => c.name)).not.toContain("kc-prod");
    expect(await removeClusterAction({ cluster: "kc-prod", expectedVersion: 2 })).toMatchObject({ ok: false, error: expect.stringMatching(/kubeconfig file.*Disable it/) });
    expect(await testClusterConnectionAction({ cluster: "kc-prod" })).toMatchObject({ ok: true, data: { status: "reachable", serverVersion: "v1.30.4" } });
    expect(await setClusterDisabledAction({ cluster: "kc-prod", disabled: "false", expectedVersion: 2 })).toMatchObject({ ok: true });
    expect(serverRoot().ports().kube.listClusters().map((c) => c.name)).toContain("kc-prod");
  });

  it("has a relabelled cluster judged at once by the rules that choose clusters by label", async () => {
    const admin = await signInAs("admin");
    const spec = ruleSpecSchema.parse({
      clusters: { mode: "labels", labelSelector: "tier=gold" }, namespaces: { match: { mode: "all" } },
      registries: ["icr.io"], source: { secrets: ["all-icr-io"] }, serviceAccounts: { mode: "default" },
    });
    await (await serverRoot().rules()).create({ name: "gold-clusters", description: "", mode: "report", spec }, admin);
    const jobs = await serverRoot().jobs();
    const waitingEvaluations = async () => (await jobs.depth()).find((queue) => queue.queue === "rule-evaluation")?.waiting ?? 0;
    const before = await waitingEvaluations();
    const version = (await storedRow("kc-prod"))!.version;
    expect(await updateClusterDetailsAction({ cluster: "kc-prod", displayName: "Prod", labels: "env=prod, tier=gold", expectedVersion: version })).toMatchObject({ ok: true });
    // Queued now, not at the next sweep (no worker runs in this test, so it waits in the queue).
    expect(await waitingEvaluations()).toBe(before + 1);
  });

  it("refuses to register from a kubeconfig whose server is on loopback unless PULLKEEPER_CLUSTER_ALLOWED_HOSTS names it, before contacting it", async () => {
    await signInAs("admin");
    const before = sim.stats().total;
    const result = await previewClusterRegistrationAction({ kubeconfig: sim.kubeconfig({ user: "admin" }), name: "uploaded", access: "full" });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^The cluster was not contacted\. Pullkeeper does not connect to 127\.0\.0\.1:\d+.*PULLKEEPER_CLUSTER_ALLOWED_HOSTS does not name it\.$/) });
    expect(sim.stats().total).toBe(before);
    expect(await storedRow("uploaded")).toBeNull();
  });

  it("previews a registration from a context Pullkeeper already reads (KUBECONFIG), which the operator chose, and needs exactly one source", async () => {
    await signInAs("admin");
    const preview = await previewClusterRegistrationAction({ kubeconfigContext: "kc-prod", name: "kc-prod-long-run", access: "full" });
    expect(preview).toMatchObject({ ok: true, data: { server: sim.url, context: "kc-prod", refusals: [], steps: expect.arrayContaining([expect.objectContaining({ action: "create", object: "ServiceAccount kube-system/pullkeeper" })]) } });
    expect(await previewClusterRegistrationAction({ kubeconfigContext: "ghost", name: "x", access: "full" })).toMatchObject({ ok: false, error: expect.stringContaining('No context of the kubeconfig files Pullkeeper reads is named "ghost"') });
    expect(await previewClusterRegistrationAction({ name: "x", access: "full" })).toMatchObject({ ok: false, fieldErrors: { kubeconfig: [expect.stringMatching(/Choose a kubeconfig file or a context from KUBECONFIG/)] } });
    const both = await previewClusterRegistrationAction({ kubeconfig: sim.kubeconfig(), kubeconfigContext: "kc-prod", name: "x", access: "full" });
    expect(both).toMatchObject({ ok: false, fieldErrors: { kubeconfig: [expect.any(String)] } });
    // Previewing writes nothing, here or in the cluster.
    expect(await storedRow("kc-prod-long-run")).toBeNull();
    expect(sim.stats().byKey["create serviceaccounts"] ?? 0).toBe(0);
  });

  it("refuses a kubeconfig context name as a registered cluster's name", async () => {
    await signInAs("admin");
    const preview = await previewClusterRegistrationAction({ kubeconfigContext: "kc-prod", name: "kc-prod", access: "full" });
    expect(preview).toMatchObject({ ok: true, data: { refusals: [expect.stringContaining('A cluster named "kc-prod" already exists')] } });
  });
});
