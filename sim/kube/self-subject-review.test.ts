import https from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeSim } from "./server";
import type { KubeSim } from "./types";

/** SelfSubjectReview (`kubectl auth whoami`) over HTTPS: who each kind of caller is, on servers of each version. */

let sim: KubeSim;
let old: KubeSim;
let ancient: KubeSim;
beforeAll(async () => {
  [sim, old, ancient] = await Promise.all([
    startKubeSim({ name: "whoami", objects: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "pk" } }] }),
    startKubeSim({ name: "whoami-127", serverVersion: { major: "1", minor: "27", gitVersion: "v1.27.16" } }),
    startKubeSim({ name: "whoami-126", serverVersion: { major: "1", minor: "26", gitVersion: "v1.26.15" } }),
  ]);
});
afterAll(async () => Promise.all([sim?.close(), old?.close(), ancient?.close()]));

function call(on: KubeSim, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const r = https.request(`${on.url}${path}`, { method, ca: on.caPem!, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "null") }));
    });
    r.on("error", reject);
    r.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
const V1 = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
const REVIEW = { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" };
const whoami = (token: string, headers: Record<string, string> = {}) => call(sim, token, "POST", V1, REVIEW, headers);

describe("SelfSubjectReview", () => {
  it("answers 201 with the caller's username and groups, system:authenticated added, and no uid or extra for a preset user", async () => {
    const res = await whoami(sim.tokens.admin!);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      kind: "SelfSubjectReview",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { creationTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) },
      status: { userInfo: { username: "admin", groups: ["system:authenticated"] } },
    });
  });

  it("needs no RBAC: a user who may do nothing cluster-wide still learns who it is", async () => {
    expect((await call(sim, sim.tokens["team-a"]!, "GET", "/api/v1/namespaces")).status).toBe(403);
    expect((await whoami(sim.tokens["team-a"]!)).body.status.userInfo.username).toBe("team-a");
    const review = await call(sim, sim.tokens["team-a"]!, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
      spec: { resourceAttributes: { verb: "create", group: "authentication.k8s.io", resource: "selfsubjectreviews" } },
    });
    expect(review.body.status.allowed).toBe(true);
  });

  it("is 401 without valid credentials, like every other API request", async () => {
    const res = await whoami("not-a-token");
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
  });

  it("names a service-account token's account with its uid and the service-account groups", async () => {
    const admin = sim.tokens.admin!;
    const sa = await call(sim, admin, "POST", "/api/v1/namespaces/pk/serviceaccounts", { metadata: { name: "scanner" } });
    await call(sim, admin, "POST", "/api/v1/namespaces/pk/secrets", { metadata: { name: "scanner-token", annotations: { "kubernetes.io/service-account.name": "scanner" } }, type: "kubernetes.io/service-account-token" });
    let token = "";
    for (let i = 0; i < 100 && !token; i++) {
      const data = (await call(sim, admin, "GET", "/api/v1/namespaces/pk/secrets/scanner-token")).body.data;
      if (data?.token) token = Buffer.from(data.token, "base64").toString("utf8");
      else await new Promise((r) => setTimeout(r, 20));
    }
    expect((await whoami(token)).body.status.userInfo).toEqual({
      username: "system:serviceaccount:pk:scanner",
      uid: sa.body.metadata.uid,
      groups: ["system:serviceaccounts", "system:serviceaccounts:pk", "system:authenticated"],
    });
  });

  it("shows the impersonated user, service accounts with their groups, and refuses impersonation without the right", async () => {
    expect((await whoami(sim.tokens.admin!, { "Impersonate-User": "jane" })).body.status.userInfo).toEqual({ username: "jane", groups: ["system:authenticated"] });
    expect((await whoami(sim.tokens.admin!, { "Impersonate-User": "system:serviceaccount:pk:robot" })).body.status.userInfo).toEqual({
      username: "system:serviceaccount:pk:robot",
      groups: ["system:serviceaccounts", "system:serviceaccounts:pk", "system:authenticated"],
    });
    const refused = await whoami(sim.tokens["no-secrets"]!, { "Impersonate-User": "jane" });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('users "jane" is forbidden: User "no-secrets" cannot impersonate resource "users" in API group "" at the cluster scope');
  });

  it("is create-only: reading it is 405", async () => {
    expect((await call(sim, sim.tokens.admin!, "GET", V1)).status).toBe(405);
  });

  it("is discovered as authentication.k8s.io/v1 on 1.28+, v1beta1 on 1.27 and absent before", async () => {
    const groups = async (on: KubeSim) => (await call(on, on.tokens.admin!, "GET", "/apis")).body.groups.filter((g: { name: string }) => g.name === "authentication.k8s.io").map((g: any) => g.preferredVersion.groupVersion);
    expect(await groups(sim)).toEqual(["authentication.k8s.io/v1"]);
    expect(await groups(old)).toEqual(["authentication.k8s.io/v1beta1"]);
    expect(await groups(ancient)).toEqual([]);
    expect((await call(sim, sim.tokens.admin!, "GET", "/apis/authentication.k8s.io/v1")).body.resources).toEqual([
      { name: "selfsubjectreviews", singularName: "selfsubjectreview", namespaced: false, kind: "SelfSubjectReview", verbs: ["create"] },
    ]);
    expect((await call(old, old.tokens.admin!, "POST", V1, REVIEW)).status).toBe(404);
    const beta = await call(old, old.tokens.admin!, "POST", "/apis/authentication.k8s.io/v1beta1/selfsubjectreviews", { ...REVIEW, apiVersion: "authentication.k8s.io/v1beta1" });
    expect(beta).toMatchObject({ status: 201, body: { apiVersion: "authentication.k8s.io/v1beta1", status: { userInfo: { username: "admin" } } } });
    expect((await call(ancient, ancient.tokens.admin!, "POST", "/apis/authentication.k8s.io/v1beta1/selfsubjectreviews", REVIEW)).status).toBe(404);
  });
});
