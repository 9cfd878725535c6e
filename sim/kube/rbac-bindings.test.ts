import https from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeSim } from "./server";
import type { KubeSim } from "./types";

/** Stored RBAC, the token controller and service-account tokens, over HTTPS as a client sees them. */

let sim: KubeSim;
beforeAll(async () => {
  sim = await startKubeSim({ name: "rbac", objects: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "pk" } }] });
});
afterAll(async () => sim?.close());

function call(token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const r = https.request(`${sim.url}${path}`, { method, ca: sim.caPem!, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "null") }));
    });
    r.on("error", reject);
    r.end(text);
  });
}
const admin = () => sim.tokens.admin!;
const RBAC = "/apis/rbac.authorization.k8s.io/v1";

async function tokenOf(namespace: string, secret: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const s = await call(admin(), "GET", `/api/v1/namespaces/${namespace}/secrets/${secret}`);
    if (s.body?.data?.token) return Buffer.from(s.body.data.token, "base64").toString("utf8");
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the token controller never filled the secret");
}

describe("service-account token secrets", () => {
  it("are filled by the controller after creation, and their token authenticates as the service account", async () => {
    expect((await call(admin(), "POST", "/api/v1/namespaces/pk/serviceaccounts", { metadata: { name: "reader" } })).status).toBe(201);
    const created = await call(admin(), "POST", "/api/v1/namespaces/pk/secrets", {
      metadata: { name: "reader-token", annotations: { "kubernetes.io/service-account.name": "reader" } },
      type: "kubernetes.io/service-account-token",
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toBeUndefined();
    const token = await tokenOf("pk", "reader-token");
    const secret = (await call(admin(), "GET", "/api/v1/namespaces/pk/secrets/reader-token")).body;
    expect(Buffer.from(secret.data["ca.crt"], "base64").toString("utf8")).toBe(sim.caPem);
    expect(Buffer.from(secret.data.namespace, "base64").toString("utf8")).toBe("pk");
    expect(secret.metadata.annotations["kubernetes.io/service-account.uid"]).toMatch(/-/);

    const denied = await call(token, "GET", "/api/v1/namespaces/pk/secrets");
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe('secrets is forbidden: User "system:serviceaccount:pk:reader" cannot list resource "secrets" in API group "" in the namespace "pk"');
  });

  it("a token secret for a missing service account is deleted, and needs the name annotation", async () => {
    const bad = await call(admin(), "POST", "/api/v1/namespaces/pk/secrets", { metadata: { name: "no-annotation" }, type: "kubernetes.io/service-account-token" });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toContain("metadata.annotations[kubernetes.io/service-account.name]: Required value");
    await call(admin(), "POST", "/api/v1/namespaces/pk/secrets", { metadata: { name: "orphan", annotations: { "kubernetes.io/service-account.name": "ghost" } }, type: "kubernetes.io/service-account-token" });
    for (let i = 0; i < 100 && (await call(admin(), "GET", "/api/v1/namespaces/pk/secrets/orphan")).status === 200; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await call(admin(), "GET", "/api/v1/namespaces/pk/secrets/orphan")).status).toBe(404);
  });
});

describe("stored RBAC", () => {
  let token: string;
  beforeAll(async () => {
    await call(admin(), "POST", "/api/v1/namespaces/pk/serviceaccounts", { metadata: { name: "bound" } });
    await call(admin(), "POST", "/api/v1/namespaces/pk/secrets", { metadata: { name: "bound-token", annotations: { "kubernetes.io/service-account.name": "bound" } }, type: "kubernetes.io/service-account-token" });
    token = await tokenOf("pk", "bound-token");
    const role = await call(admin(), "POST", `${RBAC}/clusterroles`, {
      metadata: { name: "bound-role" },
      rules: [
        { apiGroups: [""], resources: ["namespaces", "secrets"], verbs: ["list"] },
        { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"], resourceNames: ["web"] },
      ],
    });
    expect(role.status).toBe(201);
    const binding = await call(admin(), "POST", `${RBAC}/clusterrolebindings`, {
      metadata: { name: "bound-role" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "bound-role" },
      subjects: [{ kind: "ServiceAccount", name: "bound", namespace: "pk" }],
    });
    expect(binding.status).toBe(201);
  });

  it("grants exactly the bound rules: verbs, API groups and resource names", async () => {
    expect((await call(token, "GET", "/api/v1/secrets")).status).toBe(200);
    expect((await call(token, "GET", "/api/v1/namespaces/pk/secrets/bound-token")).status).toBe(403);
    expect((await call(token, "GET", "/apis/apps/v1/namespaces/pk/deployments")).status).toBe(403);
    expect((await call(token, "GET", "/apis/apps/v1/namespaces/pk/deployments/web")).status).toBe(404);
    const review = await call(token, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", { spec: { resourceAttributes: { verb: "list", resource: "namespaces" } } });
    expect(review.body.status.allowed).toBe(true);
  });

  it("refuses a role granting what its writer lacks, with the API server's text", async () => {
    const escalate = await call(token, "POST", `${RBAC}/clusterroles`, { metadata: { name: "more" }, rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["create"] }] });
    expect(escalate.status).toBe(403);
    expect(escalate.body.message).toBe('clusterroles.rbac.authorization.k8s.io is forbidden: User "system:serviceaccount:pk:bound" cannot create resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope');
    // A user who may create roles but does not hold what the role grants meets the escalation check.
    await call(admin(), "POST", `${RBAC}/clusterroles`, { metadata: { name: "role-writer" }, rules: [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["create"] }] });
    await call(admin(), "POST", `${RBAC}/clusterrolebindings`, { metadata: { name: "role-writer" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "role-writer" }, subjects: [{ kind: "ServiceAccount", name: "bound", namespace: "pk" }] });
    const escalation = await call(token, "POST", `${RBAC}/clusterroles`, { metadata: { name: "more" }, rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["list", "create"] }] });
    expect(escalation.status).toBe(403);
    expect(escalation.body.message).toBe(
      'clusterroles.rbac.authorization.k8s.io "more" is forbidden: user "system:serviceaccount:pk:bound" (groups=["system:serviceaccounts" "system:serviceaccounts:pk" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["create"]}',
    );
    const noRights = await call(sim.tokens.viewer!, "POST", `${RBAC}/clusterroles`, { metadata: { name: "more" }, rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["delete"] }] });
    expect(noRights.status).toBe(403);
    expect(noRights.body.message).toBe('clusterroles.rbac.authorization.k8s.io is forbidden: User "viewer" cannot create resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope');
  });

  it("validates bindings and keeps roleRef immutable", async () => {
    const invalid = await call(admin(), "POST", `${RBAC}/clusterrolebindings`, { metadata: { name: "x" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r" }, subjects: [{ kind: "ServiceAccount", name: "bound" }] });
    expect(invalid.status).toBe(422);
    expect(invalid.body.message).toContain('roleRef.kind: Unsupported value: "Role"');
    expect(invalid.body.message).toContain("subjects[0].namespace: Required value");
    const current = (await call(admin(), "GET", `${RBAC}/clusterrolebindings/bound-role`)).body;
    const changed = await call(admin(), "PUT", `${RBAC}/clusterrolebindings/bound-role`, { ...current, roleRef: { ...current.roleRef, name: "other" } });
    expect(changed.status).toBe(422);
    expect(changed.body.message).toContain("cannot change roleRef");
  });

  it("impersonation (kubectl --as) answers for the service account", async () => {
    const asSa = await call(admin(), "GET", "/api/v1/secrets", undefined, { "Impersonate-User": "system:serviceaccount:pk:bound" });
    expect(asSa.status).toBe(200);
    const write = await call(admin(), "POST", "/api/v1/namespaces/pk/secrets", { metadata: { name: "x" } }, { "Impersonate-User": "system:serviceaccount:pk:bound" });
    expect(write.status).toBe(403);
    const notAllowed = await call(sim.tokens.viewer!, "GET", "/api/v1/secrets", undefined, { "Impersonate-User": "admin" });
    expect(notAllowed.status).toBe(403);
    expect(notAllowed.body.message).toBe('users "admin" is forbidden: User "viewer" cannot impersonate resource "users" in API group "" at the cluster scope');
  });

  it("deleting the service account revokes its token and deletes its token secrets", async () => {
    await call(admin(), "DELETE", "/api/v1/namespaces/pk/serviceaccounts/bound");
    expect((await call(token, "GET", "/api/v1/secrets")).status).toBe(401);
    for (let i = 0; i < 100 && (await call(admin(), "GET", "/api/v1/namespaces/pk/secrets/bound-token")).status === 200; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await call(admin(), "GET", "/api/v1/namespaces/pk/secrets/bound-token")).status).toBe(404);
  });
});
