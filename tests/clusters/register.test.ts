import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaAuditStore } from "@/lib/audit/prisma-audit-store";
import type { AuditStore } from "@/lib/audit/port";
import type { DatabaseConnection } from "@/lib/db/client";
import { createKubeGateway } from "@/lib/kube";
import { isKubeError } from "@/lib/kube/errors";
import { openRegistrationTarget, openTokenTarget, type RegistrationTarget } from "@/lib/kube/registration";
import { applyClusterRegistration, planClusterRegistration, type RegistrationDeps, type RegistrationInput } from "@/lib/workflows/registration/register-cluster";
import { applyClusterRemoval, planClusterRemoval } from "@/lib/workflows/registration/remove-cluster";
import { registeredClustersOver } from "@/lib/clusters/registered";
import { createClusterStore, type ClusterStore } from "@/lib/clusters/store";
import { createCredentialCipher } from "@/lib/sealing/credential-cipher";
import type { RegisteredClusterStore } from "@/lib/workflows/registration/port";
import { defaultUsers, startKubeSim, type KubeSim, type KubeSimUser } from "@/sim/kube";
import { PROVIDERS, createMigratedDatabase, type ScratchDatabase } from "../support/databases";
import { rawGet, smallClusterObjects } from "../kube/support";
import { KubectlHarness } from "../kubectl/support";

/**
 * Registering a cluster with a dedicated service account, on the Kubernetes simulator (stored RBAC, the token
 * controller), with the audit log and the cluster connections store on SQLite and PostgreSQL; kubectl checks the role the way an admin would.
 */

const RBAC = "rbac.authorization.k8s.io";
const registrationKinds = (verbs: string[]) => [
  { verbs, resources: ["serviceaccounts", "secrets"], apiGroups: [""], namespaces: ["kube-system"] },
  { verbs, resources: ["clusterroles", "clusterrolebindings"], apiGroups: [RBAC] },
];
/** May create and delete the four kinds, but holds none of what the role grants: the escalation check refuses the role. */
const ROLE_WRITER: KubeSimUser = { name: "role-writer", token: "role-writer-token", rules: registrationKinds(["get", "create", "delete"]) };
/** May do everything except create service accounts. */
const NO_ACCOUNTS: KubeSimUser = { name: "no-accounts", token: "no-accounts-token", rules: [{ verbs: ["get", "list", "delete"], resources: ["*"] }, { verbs: ["create"], resources: ["secrets", "clusterroles", "clusterrolebindings"] }] };

const ACTOR = { email: "admin@example.com", role: "admin" };

describe.each(PROVIDERS)("cluster registration (audit on %s)", (provider) => {
  let scratch: ScratchDatabase;
  let connection: DatabaseConnection;
  let audit: AuditStore;
  let clusterStore: ClusterStore;
  let clusters: RegisteredClusterStore;
  let sim: KubeSim;
  let kubectl: KubectlHarness;
  let adminKubeconfig: string;
  beforeAll(async () => {
    ({ scratch, connection } = await createMigratedDatabase(provider));
    audit = createPrismaAuditStore(connection.prisma, connection.provider);
    clusterStore = createClusterStore(connection.prisma, createCredentialCipher(randomBytes(32)));
    clusters = registeredClustersOver(clusterStore);
    sim = await startKubeSim({ name: "target", objects: smallClusterObjects(), users: [...defaultUsers(), ROLE_WRITER, NO_ACCOUNTS] });
    kubectl = new KubectlHarness("1.31");
    adminKubeconfig = kubectl.writeKubeconfig("admin", sim.kubeconfig());
  });
  afterAll(async () => {
    kubectl?.cleanup();
    await sim?.close();
    await connection?.close();
    await scratch?.drop();
  });

  const targetFor = (user = "admin"): RegistrationTarget => {
    const opened = openRegistrationTarget(sim.kubeconfig({ user }));
    if (!opened.ok) throw new Error(opened.reason);
    return opened.target;
  };
  const deps = (): RegistrationDeps => ({ audit, clusters, actor: ACTOR, openAsToken: (server, caPem, token) => openTokenTarget("verify", server, caPem, token) });
  const register = async (input: RegistrationInput, user = "admin") => {
    const plan = await planClusterRegistration(input, targetFor(user), clusters);
    return { plan, result: await applyClusterRegistration(input, plan.digest, targetFor(user), deps()) };
  };
  const registrationObjectsInCluster = async () => {
    const selector = "labelSelector=app.kubernetes.io/component%3Dcluster-registration";
    const lists = await Promise.all(
      ["/api/v1/namespaces/kube-system/serviceaccounts", "/api/v1/namespaces/kube-system/secrets", `/apis/${RBAC}/v1/clusterroles`, `/apis/${RBAC}/v1/clusterrolebindings`].map((p) => rawGet(sim, `${p}?${selector}`)),
    );
    return lists.flatMap((l) => l.body.items.map((o: { metadata: { name: string } }) => o.metadata.name));
  };

  it("registers with a full role: the cluster is scannable with the service account's token only, and the role has no wildcard", async () => {
    const { plan, result } = await register({ name: "target", access: "full" });
    expect(plan.steps.map((s) => `${s.action} ${s.ref.kind}`)).toEqual(["create ServiceAccount", "create ClusterRole", "create ClusterRoleBinding", "create Secret"]);
    expect(result).toMatchObject({ ok: true });
    const stored = await clusters.get("target");
    expect(stored).toEqual({ name: "target", server: sim.url, caPem: sim.caPem });
    const token = await clusterStore.openClusterToken("target");
    expect(token).not.toBe(sim.tokens.admin);

    const gateway = createKubeGateway({ kubeconfigPaths: [], tokenClusters: [{ name: "target", server: stored!.server, caPem: stored!.caPem, token: async () => token }] });
    const inventory = await gateway.readPullSecretInventory("target");
    expect(inventory.scope).toBe("cluster");
    expect(inventory.namespaces.length).toBeGreaterThan(1);
    expect(inventory.pullSecrets.length).toBeGreaterThan(0);

    const role = await kubectl.run(adminKubeconfig, ["get", "clusterrole", "pullkeeper-registered", "-o", "json"]);
    expect(role.code).toBe(0);
    const rules = JSON.parse(role.stdout).rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect([...rule.apiGroups, ...rule.resources, ...rule.verbs]).not.toContain("*");
    const as = ["--as", "system:serviceaccount:kube-system:pullkeeper"];
    expect((await kubectl.run(adminKubeconfig, ["auth", "can-i", "create", "secrets", "-n", "default", ...as])).stdout.trim()).toBe("yes");
    expect((await kubectl.run(adminKubeconfig, ["auth", "can-i", "delete", "namespaces", ...as])).stdout.trim()).toBe("no");

    const operation = await audit.getOperation(result.ok ? result.operationId : "");
    expect(operation).toMatchObject({ kind: "register_cluster", status: "succeeded", cluster: "target" });
    expect(operation!.steps.map((s) => s.action)).toEqual(["cluster_object.created", "cluster_object.created", "cluster_object.created", "cluster_object.created", "cluster_identity.verified", "cluster_credential.stored"]);
    expect(JSON.stringify(operation)).not.toContain(token);

    // Removal previews the four objects, deletes exactly them, and the token stops working.
    const removalTarget = targetFor();
    const preview = await planClusterRemoval({ name: "target", deleteObjects: true }, clusters, removalTarget);
    expect(preview.steps.map((s) => s.action)).toEqual(["delete", "delete", "delete", "delete"]);
    const removed = await applyClusterRemoval({ name: "target", deleteObjects: true }, removalTarget, { audit, clusters, actor: ACTOR });
    expect(removed).toMatchObject({ ok: true, leftInCluster: [] });
    expect(await registrationObjectsInCluster()).toEqual([]);
    expect(await clusters.get("target")).toBeNull();
    expect((await kubectl.run(adminKubeconfig, ["get", "serviceaccount", "default", "-n", "default", "-o", "name"])).stdout.trim()).toBe("serviceaccount/default");
    const revoked = await openTokenTarget("x", sim.url, sim.caPem, token).probeReads().catch((e: unknown) => e);
    expect(isKubeError(revoked, "unauthorized")).toBe(true);
  });

  it("registers a read-only identity that reads but cannot write (403)", async () => {
    const { result } = await register({ name: "target-ro", access: "read-only" });
    expect(result).toMatchObject({ ok: true });
    const asToken = openTokenTarget("ro", sim.url, sim.caPem, await clusterStore.openClusterToken("target-ro"));
    await asToken.probeReads();
    const write = await asToken.create({ kind: "Secret", namespace: "default", name: "should-not-exist" }, { metadata: { name: "should-not-exist" }, stringData: { a: "b" } }).catch((e: unknown) => e);
    expect(isKubeError(write, "forbidden")).toBe(true);
    expect((write as Error).message).toContain('User "system:serviceaccount:kube-system:pullkeeper" cannot create resource "secrets"');
    await applyClusterRemoval({ name: "target-ro", deleteObjects: true }, targetFor(), { audit, clusters, actor: ACTOR });
    expect(await registrationObjectsInCluster()).toEqual([]);
  });

  it("refuses a kubeconfig whose user runs a program or reads files, with the reason", () => {
    const exec = sim.kubeconfig().replace(/ {4}token: .*/, "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /usr/local/bin/get-token\n");
    expect(exec).toContain("command: /usr/local/bin/get-token");
    expect(openRegistrationTarget(exec)).toEqual({ ok: false, reason: expect.stringContaining('runs the program "/usr/local/bin/get-token"') });
    const file = sim.kubeconfig().replace(/ {4}token: .*/, "    token-file: /home/someone/.kube/token\n");
    expect(openRegistrationTarget(file)).toEqual({ ok: false, reason: expect.stringContaining('reads the file "/home/someone/.kube/token"') });
  });

  it("an admin context that may not create the service account: the preview names the permission and nothing is created", async () => {
    const { plan, result } = await register({ name: "target", access: "full" }, "no-accounts");
    expect(plan.refusals).toEqual(["The context's user may not create serviceaccounts (in namespace kube-system), which registering needs for ServiceAccount kube-system/pullkeeper."]);
    expect(result).toMatchObject({ ok: false, operationId: null });
    expect(await registrationObjectsInCluster()).toEqual([]);
  });

  it("a context refused mid-way (the role grants what it does not hold): clear message, and what it created is deleted", async () => {
    const { plan, result } = await register({ name: "target", access: "full" }, "role-writer");
    expect(plan.refusals).toEqual([]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain("may not create clusterroles.rbac.authorization.k8s.io");
    expect(result.message).toContain("is attempting to grant RBAC permissions not currently held");
    expect(result.message).toContain("Nothing this attempt created is left in the cluster.");
    expect(result.leftBehind).toEqual([]);
    expect(await registrationObjectsInCluster()).toEqual([]);
    const operation = await audit.getOperation(result.operationId!);
    expect(operation).toMatchObject({ status: "failed" });
    expect(operation!.steps.map((s) => `${s.action} ${s.outcome}`)).toEqual(["cluster_object.created succeeded", "cluster_object.created failed", "cluster_object.deleted succeeded"]);
  });

  it("two admins registering the same cluster at once: one wins, the other gets a clear message, no duplicate objects", async () => {
    const input: RegistrationInput = { name: "target", access: "full" };
    const [a, b] = [targetFor(), targetFor()];
    const [planA, planB] = await Promise.all([planClusterRegistration(input, a, clusters), planClusterRegistration(input, b, clusters)]);
    const results = await Promise.all([applyClusterRegistration(input, planA.digest, a, deps()), applyClusterRegistration(input, planB.digest, b, deps())]);
    const winners = results.filter((r) => r.ok);
    const losers = results.filter((r) => !r.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]).toMatchObject({ message: expect.stringMatching(/created by someone else while this registration ran|already registered|registered by someone else meanwhile/), leftBehind: [] });
    expect((await registrationObjectsInCluster()).sort()).toEqual(["pullkeeper", "pullkeeper-registered", "pullkeeper-registered", "pullkeeper-token"]);
    expect(await clusters.list()).toHaveLength(1);
    await applyClusterRemoval({ name: "target", deleteObjects: true }, targetFor(), { audit, clusters, actor: ACTOR });
    expect(await registrationObjectsInCluster()).toEqual([]);
  });
});
