/**
 * The IBM Cloud accounts page's server actions, called as an admin against the simulators, with the
 * process-wide services (database, audit, job queue, live gateway) on the database the entry file
 * configured (account-actions-sqlite.test.ts, account-actions-postgres.test.ts): connect (bad inputs,
 * a revoked key, whose key it is), discovery with what to grant, adding clusters (two admins at once,
 * a key without a service role), join rules run at once and as the scheduled job, access checks,
 * removal; no API key in any answer, audit record or database file.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCloudClustersAction } from "@/lib/actions/clusters/accounts/add-clusters";
import { checkCloudClusterAction, syncCloudClusterAccessAction } from "@/lib/actions/clusters/accounts/cluster-access";
import { connectCloudAccountAction } from "@/lib/actions/clusters/accounts/connect-account";
import { createJoinRuleAction, deleteJoinRuleAction } from "@/lib/actions/clusters/accounts/join-rules";
import { removeCloudAccountAction } from "@/lib/actions/clusters/accounts/remove-account";
import type { ActionResult } from "@/lib/actions/safe-action";
import { auditStore } from "@/lib/audit";
import { PATH_HEADER } from "@/lib/auth/paths";
import { authService } from "@/lib/auth/service";
import { database } from "@/lib/db";
import { discoverAccountClusters } from "@/lib/server/cloud-accounts";
import { runJoinRules, startJoinRuleSchedule } from "@/lib/server/join-rule-schedule";
import { accountPorts } from "@/lib/server/cluster-connections";
import { serverRoot } from "@/lib/server/root";
import { CREDENTIAL_CANARY, DEMO_CLUSTER_ACCESS_SERVICE_ID, DEMO_CLUSTER_SERVICE_IDS, DEMO_RESTRICTED_USER, DEMO_TEAM_SERVICE_IDS } from "@/sim/demo-credentials";
import { startDemoFleet, type DemoFleet } from "@/sim/fleet";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";
import type { TestRequest } from "../support/next-request";

export interface SuiteSetup {
  request: TestRequest;
  /** Where the entry file pointed KUBECONFIG and the IBM Cloud URLs. */
  dir: string;
  ibmPort: number;
  /** The SQLite database file, to search for the key's bytes (none on PostgreSQL). */
  sqliteFile?: string;
  createDatabase(): Promise<void>;
  dropDatabase(): Promise<void>;
}

const ADMIN = "accounts-admin@example.com";
const OPERATOR = "accounts-operator@example.com";
const PASSWORD = "accounts test passphrase";

function ok<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got: ${result.error} ${JSON.stringify(result.fieldErrors ?? {})}`);
  return result.data;
}

export function accountActionsSuite(provider: string, setup: SuiteSetup): void {
  let ibm: IbmCloudSim;
  let fleet: DemoFleet;
  const sessions = new Map<string, string>();
  const answers: unknown[] = [];

  const as = (email: string) => {
    setup.request.headers = new Headers({ cookie: sessions.get(email)!, [PATH_HEADER]: "/admin/clusters/accounts", "x-pullkeeper-client-address": "198.51.100.7" });
  };
  const keep = <T>(result: T): T => (answers.push(result), result);
  const auditText = async () => {
    const store = await auditStore();
    const { items } = await store.listOperations({}, { limit: 200 });
    return JSON.stringify(await Promise.all(items.map((item) => store.getOperation(item.id))));
  };
  const accountId = async (name: string) => (await (await serverRoot().clusterStore()).listAccounts()).find((a) => a.displayName === name)!.id;
  const gatewayNames = () => serverRoot().ports().kube.listClusters().map((c) => c.name);

  beforeAll(async () => {
    await setup.createDatabase();
    ibm = await startIbmCloudSim({ port: setup.ibmPort });
    fleet = await startDemoFleet({ clusters: ["legacy", "regional", "modern"], largeNamespaceCount: 5, iamIssuerUrl: ibm.iamIssuerUrl });
    // `modern` is created in IBM Cloud later, for the scheduled join rule to find.
    ibm.setClusters(fleet.ibmClusters().filter((c) => c.name !== "modern"));
    fs.writeFileSync(path.join(setup.dir, "kubeconfig"), fleet.kubeconfig.replace(/current-context: .*/, ""));
    const { users, auth } = await authService();
    for (const [email, role] of [[ADMIN, "admin"], [OPERATOR, "operator"]] as const) {
      await users.createLocalUser({ email, name: role, role, clusters: null, password: PASSWORD });
      const { headers } = await auth.api.signInEmail({ body: { email, password: PASSWORD }, returnHeaders: true });
      sessions.set(email, headers.getSetCookie().map((line) => line.split(";")[0]).join("; "));
    }
    as(ADMIN);
  });

  afterAll(async () => {
    (await serverRoot().clusterConnections().catch(() => null))?.stop();
    await (await serverRoot().jobs()).stop(1_000);
    serverRoot().ports().kube.close();
    await (await database()).close();
    await fleet?.close();
    await ibm?.close();
    await setup.dropDatabase();
  });

  describe(`IBM Cloud accounts as an admin manages them (${provider})`, () => {
    it("refuses an operator, bad inputs and a revoked or unknown key, storing nothing", async () => {
      as(OPERATOR);
      const denied = keep(await connectCloudAccountAction({ displayName: "Demo", apiKey: DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey }));
      expect(denied).toMatchObject({ ok: false, error: expect.stringMatching(/operator role cannot/) });
      as(ADMIN);
      expect(keep(await connectCloudAccountAction({ displayName: "", apiKey: "short" }))).toMatchObject({ ok: false, fieldErrors: { displayName: [expect.any(String)], apiKey: [expect.stringMatching(/not an IBM Cloud API key/)] } });
      for (const apiKey of [DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey, `mistyped-${CREDENTIAL_CANARY}-0000000000000`]) {
        const refused = keep(await connectCloudAccountAction({ displayName: "Wrong key", apiKey }));
        expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/IAM does not (accept|know) this API key.*Nothing was stored/) });
      }
      expect(await (await serverRoot().clusterStore()).listAccounts()).toEqual([]);
    });

    it("connects the demo account, saying whose key it is and never returning the key", async () => {
      const connected = ok(keep(await connectCloudAccountAction({ displayName: "Demo account", apiKey: DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey })));
      expect(connected).toMatchObject({ displayName: "Demo account", ownerKind: "service_id", ownerIamId: expect.stringMatching(/^iam-ServiceId-/), ibmAccountId: expect.any(String) });
      // The same key twice is one account.
      expect(keep(await connectCloudAccountAction({ displayName: "Demo again", apiKey: DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey }))).toMatchObject({ ok: false, error: expect.stringMatching(/already/i) });
      const discovery = await discoverAccountClusters((await (await serverRoot().clusterStore()).getAccount(connected.id))!);
      expect(discovery).toMatchObject({ ok: true, advice: null });
      expect(discovery.ok && discovery.clusters.map((c) => [c.name, c.addedAs])).toEqual([["legacy", null], ["regional", null]]);
    });

    it("adds a cluster once when two admins add it at the same time, the loser told why; it joins the live gateway and answers", async () => {
      const id = await accountId("Demo account");
      const legacy = fleet.ibmClusters().find((c) => c.name === "legacy")!;
      expect(keep(await addCloudClustersAction({ accountId: id, clusters: [] }))).toMatchObject({ ok: false, fieldErrors: { clusters: [expect.any(String)] } });
      const [first, second] = await Promise.all([
        addCloudClustersAction({ accountId: id, clusters: [{ iksClusterId: legacy.id, endpoint: "public" }] }),
        addCloudClustersAction({ accountId: id, clusters: [{ iksClusterId: legacy.id, endpoint: "public" }] }),
      ]);
      const outcomes = [...ok(keep(first)), ...ok(keep(second))];
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      const loser = outcomes.find((o) => !o.ok)!;
      expect(loser).toMatchObject({ name: "legacy-us-south", error: expect.stringMatching(/already/), advice: expect.any(String) });
      expect(gatewayNames()).toContain("legacy-us-south");
      const check = ok(keep(await checkCloudClusterAction({ accountId: id, name: "legacy-us-south" })));
      expect(check).toMatchObject({ status: "reachable", advice: null });
      // Added after the account's token was obtained, it shows that token's renewal and expiry at once.
      expect(await (await serverRoot().clusterStore()).getCluster("legacy-us-south")).toMatchObject({ lastRefreshAt: expect.any(String), credentialExpiresAt: expect.any(String), lastError: null });
      // A cluster the account does not list: refused with the reason and what to check.
      const gone = ok(keep(await addCloudClustersAction({ accountId: id, clusters: [{ iksClusterId: "c0ffee0000deleted", endpoint: "public" }] })));
      expect(gone).toEqual([expect.objectContaining({ ok: false, problem: "cluster_gone", advice: expect.stringMatching(/Viewer platform access role/) })]);
    });

    it("says what to grant when the key lacks a service role, or sees no cluster at all", async () => {
      const restricted = ok(keep(await connectCloudAccountAction({ displayName: "Viewer only", apiKey: DEMO_RESTRICTED_USER.apiKey })));
      const regional = fleet.ibmClusters().find((c) => c.name === "regional")!;
      const [refused] = ok(keep(await addCloudClustersAction({ accountId: restricted.id, clusters: [{ iksClusterId: regional.id, endpoint: "public" }] })));
      expect(refused).toMatchObject({ ok: false, problem: "no_service_role", advice: expect.stringMatching(/Writer service access role on Kubernetes Service for the cluster regional/) });
      expect(gatewayNames().filter((n) => n.startsWith("regional-"))).toEqual([]);
      const team = ok(keep(await connectCloudAccountAction({ displayName: "Team key", apiKey: DEMO_TEAM_SERVICE_IDS.payments.apiKey })));
      const discovery = await discoverAccountClusters((await (await serverRoot().clusterStore()).getAccount(team.id))!);
      expect(discovery).toMatchObject({ ok: true, clusters: [], advice: expect.stringMatching(/sees no cluster.*Viewer platform access role/) });
      for (const account of [restricted, team]) ok(keep(await removeCloudAccountAction({ accountId: account.id, confirm: "yes" })));
    });

    it("runs a join rule at once, then as the scheduled job when a new cluster appears, auditing the run that joined it", async () => {
      const id = await accountId("Demo account");
      expect(keep(await createJoinRuleAction({ accountId: id, endpoint: "public" }))).toMatchObject({ ok: false, fieldErrors: { resourceGroup: [expect.stringMatching(/resource group, a tag, or both/)] } });
      expect(keep(await createJoinRuleAction({ accountId: id, resourceGroup: "prod", endpoint: "sideways" as "public" }))).toMatchObject({ ok: false, fieldErrors: { endpoint: [expect.any(String)] } });
      const created = ok(keep(await createJoinRuleAction({ accountId: id, resourceGroup: "prod", endpoint: "public" })));
      expect(created).toMatchObject({ joined: ["regional-eu-de"], failed: [] });

      ibm.setClusters(fleet.ibmClusters());
      const jobs = await serverRoot().jobs();
      await startJoinRuleSchedule(jobs);
      await jobs.send("cluster-join-rules", {});
      await expect.poll(gatewayNames, { timeout: 30_000, interval: 250 }).toContain("modern-us-east");
      const store = await auditStore();
      await expect.poll(async () => (await store.listOperations({ kind: "join_rules_run" }, { limit: 10 })).items.length, { timeout: 10_000, interval: 250 }).toBe(1);
      const [run] = (await store.listOperations({ kind: "join_rules_run" }, { limit: 10 })).items;
      const detail = (await store.getOperation(run!.id))!;
      expect(detail).toMatchObject({ status: "succeeded", summary: expect.stringContaining("modern-us-east") });
      expect(detail.steps.map((s) => [s.action, s.outcome, s.target?.name])).toEqual([
        ["join_rule.evaluated", "succeeded", "every cluster with resource group prod (public endpoint)"],
        ["cloud_cluster.added", "succeeded", "modern-us-east"],
      ]);
      // A run that finds nothing new changes nothing and writes no audit entry; the rule shows it ran.
      const root = serverRoot();
      const again = await runJoinRules(accountPorts(await root.clusterStore(), await root.clusterConnections(), root.ports()), await root.auditStore());
      expect(again).toMatchObject({ operationId: null, runs: [{ added: [], error: null }] });
      const [rule] = await (await root.clusterStore()).listJoinRules(id);
      expect(rule!.lastEvaluatedAt).not.toBeNull();
      const synced = ok(keep(await syncCloudClusterAccessAction({ accountId: id, name: "modern-us-east" })));
      expect(synced).toMatchObject({ status: "reachable" });
      ok(keep(await deleteJoinRuleAction({ ruleId: created.ruleId })));
      expect(keep(await deleteJoinRuleAction({ ruleId: created.ruleId }))).toMatchObject({ ok: false, error: expect.stringMatching(/already removed/) });
    });

    it("removes the account with its clusters only when confirmed, and they leave the live gateway", async () => {
      const id = await accountId("Demo account");
      expect(keep(await removeCloudAccountAction({ accountId: id } as { accountId: string; confirm: "yes" }))).toMatchObject({ ok: false, fieldErrors: { confirm: [expect.any(String)] } });
      expect(keep(await removeCloudAccountAction({ accountId: "not-a-uuid", confirm: "yes" }))).toMatchObject({ ok: false, fieldErrors: { accountId: [expect.any(String)] } });
      const removed = ok(keep(await removeCloudAccountAction({ accountId: id, confirm: "yes" })));
      expect(removed.clusters.sort()).toEqual(["legacy-us-south", "modern-us-east", "regional-eu-de"]);
      expect(gatewayNames().filter((n) => n.includes("-"))).toEqual([]);
      expect(gatewayNames().sort()).toEqual(["legacy", "modern", "regional"]);
      expect(keep(await removeCloudAccountAction({ accountId: id, confirm: "yes" }))).toMatchObject({ ok: false, error: expect.stringMatching(/no longer connected/) });
    });

    it("never lets an API key reach an answer, the audit log or the database file", async () => {
      const audit = await auditText();
      expect(audit).toContain("cloud_account.connected");
      expect(audit).toContain("cloud_account.removed");
      expect(audit).not.toContain(CREDENTIAL_CANARY);
      expect(JSON.stringify(answers)).not.toContain(CREDENTIAL_CANARY);
      if (setup.sqliteFile) expect(fs.readFileSync(setup.sqliteFile).includes(Buffer.from(CREDENTIAL_CANARY))).toBe(false);
    });
  });
}
